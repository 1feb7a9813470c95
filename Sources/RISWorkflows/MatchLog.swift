import Foundation
import RISKit
import RISStore

/// One entry that carries a pasted log's signature, with its fix. JSON keys documented in
/// docs/search.md ("Matching a log").
public struct MatchResult: Sendable, Encodable {
    /// What matched, as the index found it.
    public var entry: MatchEntry
    /// The hot pattern's solution, or the record's resolution: its first lines.
    public var fix: String

    enum CodingKeys: String, CodingKey {
        case kind, id, path, line, title, score, matched, fix, related, date, severity
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entry.kind, forKey: .kind)
        try container.encode(entry.id, forKey: .id)
        try container.encode(entry.path, forKey: .path)
        try container.encode(entry.line, forKey: .line)
        try container.encode(entry.title, forKey: .title)
        try container.encode((entry.score * 100).rounded() / 100, forKey: .score)
        try container.encode(entry.matched, forKey: .matched)
        try container.encode(fix, forKey: .fix)
        try container.encode(entry.related, forKey: .related)
        try container.encode(entry.date, forKey: .date)
        try container.encode(entry.severity, forKey: .severity)
    }
}

/// What `match` found, and what `countHit` did.
public struct MatchReport: Sendable {
    /// Best first: hot patterns that score nearly as well as the best (`MatchScoring.patternLead`), then by score.
    public var results: [MatchResult]
    /// Audited records that matched but could not be shown (their reads cannot be logged).
    public var withheld: Int
    /// Lines of the log read, and whether the log was cut at `LogSignature.maxInputBytes`.
    public var linesRead: Int
    public var truncated: Bool
    /// The hit counted (`countHit`), or why none was.
    public var hit: RecordedHit?
    public var hitNotCounted: String?

    /// The hit counted on `result`, if it is the entry `countHit` counted one on.
    public func hit(on result: MatchResult) -> RecordedHit? {
        guard let hit, hit.path == result.entry.path, hit.pattern.line == result.entry.line else { return nil }
        return hit
    }
}

extension KnowledgeBaseSession {
    /// A hit is counted only on a hot pattern of the hot-patterns file that scores at least this
    /// many times any other entry of that file (each on its own) and any other incident (its
    /// records and patterns together).
    public static let hitMargin = 1.5
    /// The lines of a fix that are shown.
    public static let fixLines = 8

    /// The hot patterns and records that carry the signature of `log` (a pasted log, a
    /// traceback, CLI output), best first, each with its fix. Nothing of `log` is written
    /// anywhere: the audit events of the records shown name the records, not the log.
    ///
    /// `countHit`: count one hit (as `recordHit`) on the best entry when it is a hot pattern of
    /// the hot-patterns file and clearly the best (`hitMargin`); otherwise nothing changes and
    /// `hitNotCounted` says why.
    public func match(
        _ log: String, limit: Int = 5, refresh: Bool = true, countHit: Bool = false, day: CalendarDay? = nil,
        now: Date = Date()
    ) throws -> MatchReport {
        let signature = LogSignature(log)
        let store = try index(refresh: refresh || countHit, trustingInterval: !countHit)
        // A few more than shown: the margin of a hit is taken over all of them.
        let entries = try WorkflowError.mapping { try store.match(signature, limit: max(limit, 10)) }
        // Each entry shown is a read of its document and of those merged into it (same incident).
        let shown = Array(entries.prefix(limit))
        let reads = shown.enumerated().flatMap { offset, entry in
            ([entry.path] + entry.mergedPaths).map { (offset: offset, path: $0) }
        }
        let listed = try access.listing(reads, path: \.path, .match, in: store, checkingFiles: trustedLastRefresh)
        // An entry is shown only when every read it is has been logged (a read-only base withholds).
        let shownOffsets = shown.indices.filter { offset in
            reads.filter { $0.offset == offset }.count == listed.items.filter { $0.offset == offset }.count
        }
        let results = shownOffsets.map { result(shown[$0]) }
        let withheld = shown.count - results.count
        var report = MatchReport(
            results: results, withheld: withheld, linesRead: signature.lineCount,
            truncated: signature.truncated)
        if countHit {
            switch hitCandidate(entries) {
            case .success(let best):
                report.hit = try recordHit(on: "\(best.path):\(best.line)", day: day ?? CalendarDay.today(), at: now)
            case .failure(let reason):
                report.hitNotCounted = reason.message
            }
        }
        return report
    }

    struct NoHit: Error {
        var message: String
    }

    /// The hot pattern a hit may be counted on, or why there is none.
    func hitCandidate(_ entries: [MatchEntry]) -> Result<MatchEntry, NoHit> {
        guard let best = entries.first else { return .failure(NoHit(message: "nothing matched; no hit counted")) }
        guard best.kind == .hotPattern, best.inHotPatternsFile else {
            return .failure(
                NoHit(
                    message: "the best match is not an entry of the hot-patterns file \(base.config.hotPatterns); "
                        + "no hit counted"))
        }
        // Its rivals: the other entries of the hot-patterns file, on their own scores (a record
        // merged into one of two equal entries must not decide); the entries of other incidents,
        // on the scores of their incidents.
        let sameIncident = Set(best.related.map { $0.lowercased() })
        let others = entries.dropFirst()
        let fileRival = others.filter(\.inHotPatternsFile).map(\.ownScore).max() ?? 0
        // Another incident: an entry that shares no related record with the best (a file entry
        // of another incident counts with the records merged into it).
        let otherRival =
            others.filter { entry in
                let ids = Set(([entry.id] + (entry.inHotPatternsFile ? entry.related : [])).map { $0.lowercased() })
                guard sameIncident.isDisjoint(with: ids) else { return false }
                // What else is in the best's document is its own, but the file's other entries are not.
                return entry.inHotPatternsFile || entry.path != best.path
            }.map(\.score).max() ?? 0
        let margin = KnowledgeBaseSession.hitMargin
        if best.ownScore < fileRival * margin || best.score < otherRival * margin {
            let (mine, theirs) =
                best.ownScore < fileRival * margin ? (best.ownScore, fileRival) : (best.score, otherRival)
            return .failure(
                NoHit(
                    message: "the best match is not clear (scores \(Self.rounded(mine)) and \(Self.rounded(theirs)), "
                        + "a hit needs \(margin)x); no hit counted: `ris pattern hit PATH:LINE` counts the one you pick"
                ))
        }
        return .success(best)
    }

    static func rounded(_ score: Double) -> String { score.fixedText(places: 1) }

    /// An entry with its fix: the hot pattern's solution, or the record's resolution read from its file.
    func result(_ entry: MatchEntry) -> MatchResult {
        var fix = entry.solution
        if entry.kind == .record {
            let (document, data) = base.record(at: entry.path)
            if let data {
                let lines = String(decoding: data, as: UTF8.self).split(
                    separator: "\n", omittingEmptySubsequences: false)
                fix = KBArticle.sectionSource(["resolution", "solution", "fix"], in: document, lines: lines)
                if fix.isEmpty { fix = document.field("Resolution") ?? document.field("Solution") ?? "" }
            }
        }
        let shown = fix.split(separator: "\n", omittingEmptySubsequences: false).drop { $0.trimmed().isEmpty }
            .prefix(KnowledgeBaseSession.fixLines)
        // Joined as an array of strings: the standard library's specialised `joined` (a slice's
        // is generic, and asks the runtime for its conformances).
        return MatchResult(entry: entry, fix: shown.map(String.init).joined(separator: "\n").trimmed())
    }
}
