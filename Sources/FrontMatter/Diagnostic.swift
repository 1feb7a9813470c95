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
    public var line: Int
    public var column: Int
    public var message: String

    public init(_ severity: Severity, at position: SourcePosition, _ message: String) {
        self.severity = severity
        self.line = position.line
        self.column = position.column
        self.message = message
    }

    public static func error(_ message: String, at position: SourcePosition) -> Diagnostic {
        Diagnostic(.error, at: position, message)
    }

    public static func warning(_ message: String, at position: SourcePosition) -> Diagnostic {
        Diagnostic(.warning, at: position, message)
    }

    public static func note(_ message: String, at position: SourcePosition) -> Diagnostic {
        Diagnostic(.note, at: position, message)
    }

    public var position: SourcePosition { SourcePosition(line: line, column: column) }

    /// `path:line:col: error: message`, the form compilers and editors understand.
    public func formatted(path: String) -> String {
        "\(path):\(line):\(column): \(severity.rawValue): \(message)"
    }
}
