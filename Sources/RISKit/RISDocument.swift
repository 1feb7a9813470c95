import FrontMatter

/// What kind of document a file is.
public enum DocumentKind: String, Sendable, Codable, CaseIterable {
    /// An incident or resolution record.
    case ris
    /// A knowledge-base article.
    case kb
    /// A hot-patterns file: known-error signatures.
    case hotPattern = "hot-pattern"
    /// Any other markdown or YAML document.
    case doc
}

/// A `**Key:** value` line of the header (under the title) or the footer (after the last rule).
public struct HeaderField: Sendable, Hashable, Codable {
    public var name: String
    public var value: String
    public var line: Int
    public var placement: FieldPlacement
}

/// Where a field was written.
public enum FieldPlacement: String, Sendable, Hashable, Codable {
    /// Under the title.
    case header
    /// After the last rule.
    case footer
    /// A top-level scalar of a YAML record (or of its nested metadata).
    case record
}

public struct Section: Sendable, Hashable, Codable {
    public var level: Int
    public var heading: String
    public var line: Int
}

public struct TimelineEvent: Sendable, Hashable, Codable {
    public var time: String
    public var event: String
    public var line: Int
}

public struct Link: Sendable, Hashable, Codable {
    public var text: String
    public var target: String
    public var line: Int
    /// The target is a URL with a scheme (`https:`, `mailto:`), not a file of the knowledge base.
    public var external: Bool
}

public struct CodeBlock: Sendable, Hashable, Codable {
    public var language: String
    public var line: Int
    public var text: String
}

/// A known-error signature: from a record's `## Hot Pattern Entry` or a hot-patterns file.
public struct HotPattern: Sendable, Hashable, Codable {
    public var title: String
    public var keywords: [String] = []
    public var symptom: String = ""
    public var rootCause: String = ""
    public var solution: String = ""
    public var related: [String] = []
    public var hitCount: Int?
    public var lastUsed: String?
    /// File line of the pattern's title.
    public var line: Int
    /// File lines of the `**Hit Count:**` and `**Last Used:**` fields, for in-place updates.
    public var hitCountLine: Int?
    public var lastUsedLine: Int?

    public init(title: String, line: Int) {
        self.title = title
        self.line = line
    }
}

/// Everything ris understood of one file.
public struct RISDocument: Sendable {
    public var path: String
    public var id: String
    public var title: String
    public var kind: DocumentKind
    /// The incident's date, `YYYY-MM-DD`.
    public var date: String?
    /// Upper case, emoji and remarks removed: `CRITICAL`.
    public var severity: String?
    /// Upper case, emoji and remarks removed: `RESOLVED`.
    public var status: String?
    public var project: String?
    /// What the incident was about, as written (`**Category:** Database`, `category: Database`).
    public var category: String?
    public var resolutionMinutes: Int?
    public var shape: FrontMatterShape
    public var fields: [HeaderField] = []
    /// The front matter (or the whole YAML record) as written.
    public var frontMatter: YAMLNode?
    public var compliance: ComplianceMetadata
    public var sections: [Section] = []
    public var timeline: [TimelineEvent] = []
    public var hotPatterns: [HotPattern] = []
    public var tags: [String] = []
    public var links: [Link] = []
    public var codeBlocks: [CodeBlock] = []
    /// The readable text of the body, for search.
    public var bodyText: String = ""
    /// The symptom section's text, for search and similarity.
    public var symptomText: String = ""
    /// The root-cause text.
    public var rootCauseText: String = ""
    public var diagnostics: [Diagnostic] = []
    /// The YAML has a syntax error, and the keys read are those recovered around it.
    public var salvaged = false
    /// The front matter and its compliance block were read whole: no error in them, nothing
    /// salvaged, the file readable and text. When false, what the record requires (access
    /// auditing) is unknown, and `AccessPolicy` assumes the strictest.
    public var metadataReadable = true
    /// The file writes an `access-audit-required` key that ris did not read as a framework's
    /// (`compliance: {access-audit-required: true}`, a list item, a merge key, front matter ris
    /// does not see as such): what it says is unknown, and `AccessPolicy` assumes the strictest.
    public var accessAuditUnread = false

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// The value of a header or footer field, by name, case-insensitively.
    public func field(_ name: String) -> String? {
        fields.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}
