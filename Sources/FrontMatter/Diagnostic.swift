/// A 1-based line and column in a file. Columns count Unicode scalars, as Yams and most
/// editors do.
public struct SourcePosition: Hashable, Sendable, Codable, Comparable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// What kind of problem a diagnostic is: stable, for scripts and agents (`code` in JSON) and
/// for the rules that act on diagnostics (`ris check` turns some into findings). The message
/// says the particulars; the code never changes with its wording.
public enum DiagnosticCode: String, Sendable, Hashable, Codable, CaseIterable {
    // The file.
    /// Not read: missing, over `max-file-size`, not a regular file, a read error.
    case fileUnreadable = "file-unreadable"
    case fileEmpty = "file-empty"
    /// A NUL byte: not text.
    case binaryFile = "binary-file"
    case invalidUTF8 = "invalid-utf8"
    /// A path the walk does not read: a link leading outside, a loop, a pipe, a name that is not UTF-8.
    case pathNotRead = "path-not-read"
    // YAML and front matter.
    case yamlSyntax = "yaml-syntax"
    case yamlDuplicateKey = "yaml-duplicate-key"
    /// Over a limit (size, nesting, aliases): refused before it is composed.
    case yamlRefused = "yaml-refused"
    /// Keys read around a YAML error (a note).
    case yamlSalvaged = "yaml-salvaged"
    case frontMatterNotMapping = "front-matter-not-mapping"
    case frontMatterUnclosed = "front-matter-unclosed"
    case twoYAMLDocuments = "two-yaml-documents"
    // Markdown.
    /// A fenced block holding other fences, read as one block.
    case fenceRepaired = "fence-repaired"
    case markdownTooLarge = "markdown-too-large"
    case markdownTooDeep = "markdown-too-deep"
    // Compliance metadata.
    case complianceValueType = "compliance-value-type"
    case complianceDate = "compliance-date"
    /// A compliance block in a shape that names no framework.
    case complianceShape = "compliance-shape"
    case complianceUnknownFramework = "compliance-unknown-framework"
    case retentionInvalid = "retention-invalid"
    case reviewFrequencyInvalid = "review-frequency-invalid"
    // Hot patterns.
    case hitCountInvalid = "hit-count-invalid"
    // `.ris/config.yaml`.
    case configInvalid = "config-invalid"
    case configUnknownKey = "config-unknown-key"
    case configAliasTaken = "config-alias-taken"
    case configPolicyBelowLaw = "config-policy-below-law"
    case configUnreadable = "config-unreadable"

    /// A problem of the YAML itself (syntax, shape or limits), as opposed to its values.
    public var isYAML: Bool {
        [.yamlSyntax, .yamlDuplicateKey, .yamlRefused, .frontMatterNotMapping].contains(self)
    }
}

/// A problem found in a file, positioned in the file's own lines.
public struct Diagnostic: Hashable, Sendable, Codable {
    public enum Severity: String, Hashable, Sendable, Codable {
        case error
        case warning
        /// A fact about how the file was read (keys recovered around a YAML error, a layout
        /// understood with a guess): nothing to fix, but worth knowing.
        case note
    }

    public var severity: Severity
    public var code: DiagnosticCode
    public var line: Int
    public var column: Int
    public var message: String

    public init(_ severity: Severity, _ code: DiagnosticCode, at position: SourcePosition, _ message: String) {
        self.severity = severity
        self.code = code
        self.line = position.line
        self.column = position.column
        self.message = message
    }

    public static func error(_ code: DiagnosticCode, _ message: String, at position: SourcePosition) -> Diagnostic {
        Diagnostic(.error, code, at: position, message)
    }

    public static func warning(_ code: DiagnosticCode, _ message: String, at position: SourcePosition) -> Diagnostic {
        Diagnostic(.warning, code, at: position, message)
    }

    public static func note(_ code: DiagnosticCode, _ message: String, at position: SourcePosition) -> Diagnostic {
        Diagnostic(.note, code, at: position, message)
    }

    /// A path that was not read at all (missing, a link leading outside, a loop, a pipe): an
    /// error at the start of the file, as `path:1:1: error: message`.
    public static func pathNotRead(_ message: String) -> Diagnostic {
        Diagnostic(.error, .pathNotRead, at: SourcePosition(line: 1, column: 1), message)
    }

    public var position: SourcePosition { SourcePosition(line: line, column: column) }

    /// `path:line:col: error: message`, the form compilers and editors understand.
    public func formatted(path: String) -> String {
        "\(path):\(line):\(column): \(severity.rawValue): \(message)"
    }
}
