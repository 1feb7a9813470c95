import Foundation
import RISKit
import RISStore

/// How `listHotPatterns` orders the patterns.
public enum HotPatternOrder: String, Sendable, CaseIterable {
    case hits
    case lastUsed = "last-used"
    case title
}

/// What `addHotPattern` did.
public struct AddedHotPattern: Sendable {
    public var pattern: HotPattern
    /// False when an entry of that title was already in the file (nothing changed).
    public var added: Bool
    /// The hot-patterns file, relative to the root.
    public var path: String
}

/// One recorded hit.
public struct RecordedHit: Sendable {
    public var pattern: HotPattern
    public var hitCount: Int
    public var lastUsed: String
    /// The hot-patterns file, relative to the root.
    public var path: String
}

extension KnowledgeBaseSession {
    /// The hot patterns of the hot-patterns file and of the records, with their hits of the
    /// last 30 days. `withContent`: the caller shows symptoms and solutions (record content),
    /// so reads of audited records are logged, or those records left out where they cannot be.
    public func listHotPatterns(
        order: HotPatternOrder = .hits, withContent: Bool, refresh: Bool = true, now: Date = Date()
    ) throws -> Listing<StoredHotPattern> {
        let store = try index(refresh: refresh)
        var patterns = try store.hotPatterns()
        let since = Timestamp.iso8601(now.addingTimeInterval(-30 * 86_400))
        let recent = base.hits().filter { $0.at >= since }
        for index in patterns.indices {
            let pattern = patterns[index]
            patterns[index].hitsLast30Days =
                recent.filter { $0.title == pattern.title && $0.path == pattern.path }.count
        }
        switch order {
        case .hits: patterns.sort { ($0.hitCount ?? -1, $1.title) > ($1.hitCount ?? -1, $0.title) }
        case .lastUsed: patterns.sort { ($0.lastUsed ?? "", $1.title) > ($1.lastUsed ?? "", $0.title) }
        case .title: patterns.sort { $0.title.lowercased() < $1.title.lowercased() }
        }
        guard withContent else {
            // Titles, counts and paths only: the symptom and solution are content of their records.
            return Listing(
                items: patterns.map { pattern in
                    var titled = pattern
                    (titled.symptom, titled.rootCause, titled.solution) = ("", "", "")
                    return titled
                }, withheld: 0)
        }
        return try access.listing(patterns, path: \.path, .patternList, in: store)
    }

    /// The one hot pattern `query` picks (a unique part of its title, its slug, or a related
    /// ID); its symptom and solution are shown, so an audited record's read is logged.
    public func hotPattern(_ query: String, refresh: Bool = true) throws -> StoredHotPattern {
        let store = try index(refresh: refresh)
        let stored = try store.hotPatterns()
        let candidates = stored.map { item -> (path: String, pattern: HotPattern) in
            var pattern = HotPattern(title: item.title, line: item.line)
            pattern.related = item.related
            pattern.keywords = item.keywords
            return (item.path, pattern)
        }
        let file = base.config.hotPatternsPath
        let item = stored[
            try WorkflowError.mapping { try HotPatternFile.choose(query, among: candidates, preferring: file) }]
        try access.append(.patternShow, try access.auditedReads(among: [item.path], in: store))
        return item
    }

    /// Appends the hot-pattern entry of the record `reference` names to the hot-patterns file
    /// (its `## Hot Pattern Entry`, or one made from its text), unless one of that title is there.
    public func addHotPattern(from reference: String) throws -> AddedHotPattern {
        let entry = try resolve(reference)
        let (document, read) = base.record(at: entry.path)
        // The entry copies the record's text into the hot-patterns file: a read of it.
        try access.log(.patternAdd, document, path: entry.path, data: read ?? Data())
        // The entry an author wrote in the record is meant for the hot-patterns file; one
        // generated from the text of an encryption-required record would copy that text.
        if document.hotPatterns.isEmpty {
            try refuseCopyIfEncryptionRequired(
                document, path: entry.path,
                into: "a generated hot-pattern entry (write a ## Hot Pattern Entry in the record to share one)")
        }
        let pattern = HotPatternFile.entry(for: document)
        let added = try WorkflowError.mapping { try base.addHotPattern(pattern, lastUsed: document.date) }
        if added { refreshAfterWrite() }
        return AddedHotPattern(pattern: pattern, added: added, path: base.config.hotPatterns)
    }

    /// Counts one use of the hot pattern `query` picks: `Hit Count` and `Last Used` change in
    /// place (atomically, under a lock, so concurrent hits all count); the hit is logged in
    /// `.ris/hits.jsonl` with the actor. An ambiguous query changes nothing (a usage error).
    public func recordHit(on query: String, day: CalendarDay, at now: Date = Date()) throws -> RecordedHit {
        let hit = try WorkflowError.mapping {
            try base.recordHit(
                on: query, day: day.text, actor: actor.name, at: Timestamp.iso8601(now))
        }
        // The index follows the file; a failure here leaves the file right and the index stale.
        refreshAfterWrite()
        return RecordedHit(
            pattern: hit.pattern, hitCount: hit.hitCount, lastUsed: day.text, path: base.config.hotPatternsPath)
    }

    /// Records marked `encryption-required` live in their own (encrypted) file and in the
    /// index, nowhere else: workflows that would copy their text into another file refuse.
    func refuseCopyIfEncryptionRequired(_ document: RISDocument, path: String, into what: String) throws {
        guard document.compliance.frameworks.contains(where: { $0.encryptionRequired?.value == true }) else { return }
        throw WorkflowError.usage(
            "\(path) is marked encryption-required; its text is not copied into \(what) (nothing written)")
    }
}
