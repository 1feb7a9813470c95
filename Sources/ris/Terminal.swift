import Foundation
import FrontMatter

/// What the standard streams are connected to: colour only on a terminal, never with NO_COLOR.
enum Terminal {
    static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }

    /// Asked once: a run may print thousands of diagnostics.
    static let colorOnStandardError = useColor(on: STDERR_FILENO)
    static let colorOnStandardOutput = useColor(on: STDOUT_FILENO)

    static func useColor(on descriptor: Int32) -> Bool {
        let environment = ProcessInfo.processInfo.environment
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return isTerminal(descriptor)
    }

    static func paint(_ text: String, _ code: String, when enabled: Bool) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    static func writeError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// A path as one line of text: control characters (a newline in a file name would split
    /// the diagnostic in two for every tool reading it) are written as escapes.
    static func printable(_ path: String) -> String {
        guard path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return path }
        var escaped = ""
        for scalar in path.unicodeScalars {
            switch scalar {
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            case "\r": escaped += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: escaped += String(format: "\\x%02X", scalar.value)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// `path:line:col: error: message`, the severity coloured on a terminal.
    static func report(_ diagnostic: Diagnostic, path: String) {
        let color = colorOnStandardError
        let code: String
        switch diagnostic.severity {
        case .error: code = "1;31"
        case .warning: code = "1;33"
        case .note: code = "1;36"
        }
        let severity = paint(diagnostic.severity.rawValue, code, when: color)
        let location = paint("\(printable(path)):\(diagnostic.line):\(diagnostic.column):", "1", when: color)
        writeError("\(location) \(severity): \(diagnostic.message)")
    }
}
