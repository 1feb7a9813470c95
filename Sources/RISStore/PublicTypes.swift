import FrontMatter
import RISKit

/// What a refresh of the index did. JSON keys documented in docs/commands.md.
public struct IndexSummary: Sendable, Codable {
    /// Files of the knowledge base found on disk.
    public var scanned = 0
    public var added = 0
    public var updated = 0
    public var removed = 0
    public var unchanged = 0
    /// Documents in the index, after the run, that have at least one error.
    public var withErrors = 0
    public var seconds = 0.0
    /// Diagnostics of the files read in this run, by path.
    public var diagnostics: [PathDiagnostic] = []
    /// Every file was read again because ris reads records differently from the ris that
    /// built the index (a newer parser, other `field-aliases`).
    public var rereadAll = false

    public init() {}

    enum CodingKeys: String, CodingKey {
        case scanned, added, updated, removed, unchanged, withErrors, seconds
    }
}

/// A diagnostic with the path of its file, relative to the knowledge base.
public struct PathDiagnostic: Sendable, Hashable {
    public var path: String
    public var diagnostic: Diagnostic

    public init(path: String, diagnostic: Diagnostic) {
        self.path = path
        self.diagnostic = diagnostic
    }
}

/// Restrictions shared by `search`, `list` and `similar`.
public struct SearchFilters: Sendable, Hashable {
    public var severity: String?
    public var status: String?
    public var project: String?
    public var kind: DocumentKind?
    public var framework: String?
    public var control: String?
    /// `YYYY-MM-DD`, inclusive.
    public var since: String?
    public var until: String?
    /// `name=value`: a header field, or `framework.key` of the compliance block.
    public var conditions: [(key: String, value: String)] = []

    public init() {}

    public static func == (lhs: SearchFilters, rhs: SearchFilters) -> Bool {
        lhs.severity == rhs.severity && lhs.status == rhs.status && lhs.project == rhs.project && lhs.kind == rhs.kind
            && lhs.framework == rhs.framework && lhs.control == rhs.control && lhs.since == rhs.since
            && lhs.until == rhs.until
            && lhs.conditions.map { "\($0.key)=\($0.value)" } == rhs.conditions.map { "\($0.key)=\($0.value)" }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(severity)
        hasher.combine(status)
        hasher.combine(project)
        hasher.combine(framework)
        hasher.combine(control)
    }
}

/// How `list` orders documents.
public enum ListSort: String, Sendable, CaseIterable {
    case date, id, severity, title
}

/// One document found by `search`, `list` or `similar`. JSON keys documented in docs/search.md.
public struct SearchHit: Sendable, Codable, Hashable {
    public var id: String
    public var title: String
    public var path: String
    public var kind: DocumentKind
    public var date: String?
    public var severity: String?
    public var status: String?
    /// Higher is better; 0 for `list`.
    public var score: Double
    /// Matching text with each match between U+0002 and U+0003 (see `highlighted`).
    public var snippet: String

    enum CodingKeys: String, CodingKey {
        case id, title, path, kind, date, severity, status, score, snippet
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(path, forKey: .path)
        try container.encode(kind, forKey: .kind)
        try container.encode(date, forKey: .date)
        try container.encode(severity, forKey: .severity)
        try container.encode(status, forKey: .status)
        try container.encode((score * 1000).rounded() / 1000, forKey: .score)
        try container.encode(highlighted(open: "", close: ""), forKey: .snippet)
    }

    /// The snippet with matches wrapped in `open` and `close`: its STX and ETX marks replaced
    /// scalar by scalar (Foundation's `replacingOccurrences` bridges to NSString, whose
    /// conversion asks the Swift runtime for conformances the first time in a run).
    public func highlighted(open: String, close: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in snippet.unicodeScalars {
            switch scalar {
            case "\u{2}": result.append(contentsOf: open.unicodeScalars)
            case "\u{3}": result.append(contentsOf: close.unicodeScalars)
            default: result.append(scalar)
            }
        }
        return String(result)
    }
}

/// A document of the index, as `show` and `similar` name it.
public struct IndexedDocument: Sendable, Hashable {
    public var path: String
    public var id: String
    public var title: String
    public var kind: DocumentKind
    public var date: String?
    public var sha256: String
    public var size: Int64
    /// Modification time, nanoseconds since 1970.
    public var modified: Int64
    public var indexedAt: String
}

/// What a reference (`ris show REF`) names.
public enum ReferenceResolution: Sendable {
    case found(IndexedDocument)
    case ambiguous([IndexedDocument])
    case notFound
}

/// Errors a caller can act on; messages are for people.
/// The one public error type of RISStore: the index and the audit trail.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    /// A query that cannot be searched for, with a plain explanation.
    case badQuery(String)
    case database(String)
    /// The knowledge base cannot be written (a read-only mount): what cannot be done.
    case readOnly(String)
    /// The audit trail cannot be used or does not hold.
    case audit(String)
    /// The audit trail refused what the caller asked (a refused key file, no git repository).
    case auditRefused(String)

    public var description: String {
        switch self {
        case .badQuery(let message), .database(let message), .readOnly(let message), .audit(let message),
            .auditRefused(let message):
            return message
        }
    }

    /// The mistake is the caller's (exit 2), not a failure of the run.
    public var isUsage: Bool {
        switch self {
        case .badQuery, .auditRefused: true
        case .database, .readOnly, .audit: false
        }
    }
}

/// A hot pattern as the index holds it, with the file it is in. JSON keys documented in docs/commands.md.
public struct StoredHotPattern: Sendable, Codable, Hashable {
    public var title: String
    public var keywords: [String]
    public var symptom: String
    public var rootCause: String
    public var solution: String
    public var related: [String]
    public var hitCount: Int?
    public var lastUsed: String?
    public var path: String
    public var line: Int
    /// Hits recorded in `.ris/hits.jsonl` in the last 30 days (filled by the caller; nil when unknown).
    public var hitsLast30Days: Int?
}

/// What `find` found, and what the person should know about how (fallbacks taken, spelling).
public struct SearchResults: Sendable {
    /// Best first: all the words, then part-words, then most of the words.
    public var hits: [SearchHit]
    /// Said on stderr by the CLI: "no record has all the words; showing records with most of them".
    public var notes: [String] = []
    /// How many documents have every word, when `find` was asked to count and the hits were
    /// cut at its limit; nil otherwise (also when the fallbacks filled the list: their
    /// matches are not counted).
    public var total: Int?

    public init(hits: [SearchHit], notes: [String] = []) {
        self.hits = hits
        self.notes = notes
    }
}
