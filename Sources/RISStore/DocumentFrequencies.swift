import Foundation
import GRDB

/// The number of documents that hold each stem, as `ris match` and `similar` weigh a log's words,
/// remembered for as long as the index is unchanged.
///
/// FTS5 keeps no count per term: `fts5vocab` walks the term's whole list of documents, about
/// 1 ms for a word in every document of 10,000, and a log's words are mostly such words. A
/// process that matches many logs (`ris mcp`) asks again for the same common words; a one-shot
/// command pays the same as without the cache. The counts are dropped as soon as the index may
/// have changed: another connection committed (`PRAGMA data_version`) or this one wrote
/// (`total_changes()`), so a weight is never computed from a stale count. An index opened
/// `immutable` (read-only) reports no change: nothing is kept for it (`remember: false`).
final class DocumentFrequencies: @unchecked Sendable {
    private let lock = NSLock()
    private var stamp: [Int64] = []
    private var documents = 0
    /// Stem -> documents holding it; 0 for a stem the index does not hold.
    private var counts: [String: Int] = [:]
    /// A bound on what is remembered: a process fed endless distinct words must not grow without end.
    static let capacity = 200_000

    /// The number of documents, and how many hold each of `stems` (absent when none), read in
    /// `db` (inside a read, so that the count and the stamp are of one snapshot).
    func lookup(_ stems: some Collection<String>, _ db: Database, remember: Bool = true) throws -> (
        documents: Int, counts: [String: Int]
    ) {
        let now = [
            try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0,
            try Int64.fetchOne(db, sql: "SELECT total_changes()") ?? 0,
        ]
        lock.lock()
        defer { lock.unlock() }
        // Read into copies, kept only when every query succeeded: a failed read must not leave
        // words counted as absent, or the stamp of one snapshot beside the total of another.
        var (documents, counts) = (self.documents, self.counts)
        if !remember || now != stamp || counts.count > DocumentFrequencies.capacity {
            counts = [:]
            documents = try IndexStore.documentCount(db)
        }
        let missing = Array(Set(stems.filter { counts[$0] == nil }))
        for start in stride(from: 0, to: missing.count, by: 200) {
            let part = Array(missing[start..<min(start + 200, missing.count)])
            let marks = Array(repeating: "?", count: part.count).joined(separator: ",")
            var found = Dictionary(uniqueKeysWithValues: part.map { ($0, 0) })
            for row in try Row.fetchAll(
                db, sql: "SELECT term, doc FROM documentSearchVocabulary WHERE term IN (\(marks))",
                arguments: StatementArguments(part))
            {
                found[row[0]] = row[1]
            }
            counts.merge(found) { $1 }
        }
        if remember { (self.stamp, self.documents, self.counts) = (now, documents, counts) }
        var found: [String: Int] = [:]
        for stem in stems {
            if let count = counts[stem], count > 0 { found[stem] = count }
        }
        return (documents, found)
    }
}
