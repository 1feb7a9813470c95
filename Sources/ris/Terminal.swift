import Foundation
import RISWorkflows
import Synchronization

/// What the standard streams are connected to: colour only on a terminal, never with NO_COLOR.
///
/// Text from records is untrusted (a cloned repository can hold any bytes): it reaches the
/// terminal only through `escaped` (or `clipped`/`padded`), which shows escape sequences,
/// controls and bidi overrides as `\e]52;…`, `\u{202E}`. `write` and `writeError` escape what
/// they are given as well, so that a value nobody escaped can still not act on the terminal;
/// only `writeStyled` keeps escape sequences, and only the colours `paint` adds.
enum Terminal {
    static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }

    /// Asked once: a run may print thousands of diagnostics.
    static let colorOnStandardError = useColor(on: STDERR_FILENO)
    static let colorOnStandardOutput = useColor(on: STDOUT_FILENO)

    static func useColor(on descriptor: Int32) -> Bool {
        if let noColor = ProcessEnvironment.value("NO_COLOR"), !noColor.isEmpty { return false }
        if ProcessEnvironment.value("TERM") == "dumb" { return false }
        return isTerminal(descriptor)
    }

    // MARK: Untrusted text

    /// `.inline` for one value on one line (cells, fields, IDs, paths, messages); `.block`
    /// for lines of text, which keep tab, LF and CR LF.
    typealias Layout = UntrustedText.Layout

    /// Untrusted text as it may reach a terminal: C0 and C1 controls (but the tab and line
    /// breaks `layout` keeps), escape sequences and bidi overrides written as visible escapes
    /// (`\e]52;c;…\a`, `\u{202E}`). Idempotent: escaped text has nothing left to escape.
    /// For `ris audit log` and every other human-readable output; never for JSON.
    static func escaped(_ text: String, _ layout: Layout = .inline) -> String {
        UntrustedText.escaped(text, layout: layout)
    }

    /// A path as one line of text (a newline in a file name would split a diagnostic in two
    /// for every tool reading it): the same as `escaped(path)`.
    static func printable(_ path: String) -> String { escaped(path) }

    /// The terminal columns `text` takes once escaped (`DisplayWidth`: a CJK character or an
    /// emoji takes two, a combining mark none).
    static func width(_ text: String) -> Int {
        DisplayWidth.of(escaped(text))
    }

    /// Untrusted text escaped and cut to `width` columns, with `…` when cut. Computed on the
    /// escaped text, and cut between graphemes and whole escapes only.
    static func clipped(_ text: String, to width: Int) -> String {
        let whole = escaped(text)
        guard DisplayWidth.of(whole) > width else { return whole }
        var kept = ""
        var used = 0
        for unit in UntrustedText.units(text) {
            let columns = DisplayWidth.of(unit)
            guard used + columns <= width - 1 else { break }
            kept += unit
            used += columns
        }
        return kept + "…"
    }

    /// Untrusted text escaped, cut to `width` columns and padded with spaces to it (a wide
    /// character counts two; `String.padding` counts UTF-16 units, and cuts inside a grapheme).
    static func padded(_ text: String, to width: Int) -> String {
        let cell = clipped(text, to: width)
        return cell + String(repeating: " ", count: max(0, width - DisplayWidth.of(cell)))
    }

    // MARK: The terminal's size

    /// The width tables fit: `COLUMNS` when set (in a pipe too: a script can ask for a width),
    /// else the width of the terminal on stdout; nil in a pipe without `COLUMNS`, where tables
    /// keep their own column limits (a script sees the same lines whatever window it runs in).
    static let columns: Int? = {
        if let value = ProcessEnvironment.value("COLUMNS"), let columns = Int(value), columns > 0 {
            return columns
        }
        return TerminalSize.of(STDOUT_FILENO)?.columns
    }()

    // MARK: Writing

    /// `text` between the SGR codes `code` and reset when `enabled`. `text` must be escaped
    /// already: the colour is the only escape sequence that reaches the terminal.
    static func paint(_ text: String, _ code: String, when enabled: Bool) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// A line (or lines) on stderr, escaped as `.block`: no escape sequence gets through.
    static func writeError(_ text: String) {
        FileHandle.standardError.write(Data(utf8Of: escaped(text, .block) + "\n"))
    }

    /// A line (or lines) on stdout, escaped as `.block`: no escape sequence gets through.
    static func write(_ text: String) {
        writeOutput(Data(utf8Of: escaped(text, .block) + "\n"))
    }

    /// Text output held for the pager (`Pager`) while it is collected; nil when stdout is
    /// written straight away.
    static let heldOutput = Mutex<Data?>(nil)

    /// Every byte of stdout goes through here, so that the pager sees all of it.
    static func writeOutput(_ data: Data) {
        let held = heldOutput.withLock { held -> Bool in
            guard held != nil else { return false }
            held!.append(data)
            return true
        }
        if !held { FileHandle.standardOutput.write(data) }
    }

    /// Lines made of escaped values and the colours of `paint`, on stdout (or stderr). The
    /// SGR colour codes are kept; any other control or sequence is still escaped.
    static func writeStyled(_ text: String, toError: Bool = false) {
        let line = styledLine(text)
        if toError { FileHandle.standardError.write(line) } else { writeOutput(line) }
    }

    /// The bytes `writeStyled` writes for `text`: escaped but for the colours, and a line end.
    static func styledLine(_ text: String) -> Data {
        Data(utf8Of: keepingColors(text) + "\n")
    }

    /// Machine formats (CSV, one path per line) written exactly, like JSON, for the program
    /// reading them; on a terminal, where a person reads them, escaped as `.block`.
    static func writeExact(_ text: String) {
        writeOutput(exact(text))
    }

    /// The bytes of a machine format for stdout: exact, or escaped when stdout is a terminal.
    static func exact(_ text: String) -> Data {
        Data(utf8Of: (isTerminal(STDOUT_FILENO) ? escaped(text, .block) : text) + "\n")
    }

    /// `text` escaped as `.block`, except `ESC [ digits;… m` (SGR: the colours).
    static func keepingColors(_ text: String) -> String {
        // Most text has nothing to escape and no colour: returned as it is, not rebuilt scalar
        // by scalar (that was 8% of `ris parse`). `\r`, an escape and every other unsafe
        // scalar take the long way.
        if !text.unicodeScalars.contains(where: { UntrustedText.isUnsafe($0) && $0 != "\t" && $0 != "\n" }) {
            return text
        }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\u{1B}", index + 1 < scalars.count, scalars[index + 1] == "[" {
                var end = index + 2
                while end < scalars.count, scalars[end] == ";" || ("0"..."9").contains(scalars[end]) { end += 1 }
                if end < scalars.count, scalars[end] == "m" {
                    out.append(contentsOf: scalars[index...end])
                    index = end + 1
                    continue
                }
            }
            let layout =
                scalar == "\t" || scalar == "\n"
                || (scalar == "\r" && index + 1 < scalars.count && scalars[index + 1] == "\n")
            if UntrustedText.isUnsafe(scalar) && !layout {
                out.append(contentsOf: UntrustedText.escape(scalar).unicodeScalars)
            } else {
                out.append(scalar)
            }
            index += 1
        }
        return String(out)
    }

    /// `path:line:col: error: message`, the severity coloured on a terminal; the path and the
    /// message (which quote the file) escaped.
    static func report(_ diagnostic: Diagnostic, path: String) {
        FileHandle.standardError.write(reportLine(diagnostic, path: path))
    }

    /// The line `report` writes.
    static func reportLine(_ diagnostic: Diagnostic, path: String) -> Data {
        let color = colorOnStandardError
        let code: String
        switch diagnostic.severity {
        case .error: code = "1;31"
        case .warning: code = "1;33"
        case .note: code = "1;36"
        }
        let severity = paint(diagnostic.severity.rawValue, code, when: color)
        let location = paint("\(escaped(path)):\(diagnostic.line):\(diagnostic.column):", "1", when: color)
        return styledLine("\(location) \(severity): \(escaped(diagnostic.message))")
    }
}
