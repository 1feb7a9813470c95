import Foundation

/// Text that comes from records (titles, IDs, fields, file names, snippets) shown to people:
/// whatever a terminal, an editor or a browser would act on instead of showing is written
/// as a visible escape, so that a cloned repository cannot send commands to a terminal
/// (OSC 52 writes the clipboard, `ESC[2J` clears the screen, cursor moves hide lines) or
/// reorder what is read (Trojan Source bidi overrides).
///
/// Escapes: `\e` (ESC), `\a`, `\b`, `\t`, `\n`, `\v`, `\f`, `\r`, `\0`, `\x01` for the other C0
/// controls and `\x7F` for DEL, `\u{9B}` for C1 controls, `\u{202E}` for the bidi embeddings,
/// overrides and isolates and the line and paragraph separators. A backslash already in the
/// text is left alone: the result is for reading, and JSON output keeps the exact text.
public enum UntrustedText {
    /// Which layout characters may stay as they are.
    public enum Layout: Sendable {
        /// One value on one line (a table cell, a field, a path): tabs and line breaks are escaped too.
        case inline
        /// Lines of text: tab, LF and CR LF stay; a CR alone (which would overwrite the line) is escaped.
        case block
    }

    /// Whether `scalar` is never shown as it is: C0 controls, DEL, C1 controls, the bidi
    /// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the line and
    /// paragraph separators (U+2028, U+2029). Tab and line feed included: layouts keep them.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029: return true
        default: return false
        }
    }

    /// The visible form of one unsafe scalar: `\e`, `\x01`, `\u{202E}`.
    public static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\u{1B}": return "\\e"
        case "\u{07}": return "\\a"
        case "\u{08}": return "\\b"
        case "\t": return "\\t"
        case "\n": return "\\n"
        case "\u{0B}": return "\\v"
        case "\u{0C}": return "\\f"
        case "\r": return "\\r"
        case "\0": return "\\0"
        default:
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return scalar.value <= 0x7F ? "\\x" + (hex.count < 2 ? "0" : "") + hex : "\\u{\(hex)}"
        }
    }

    /// `text` as a display shows it, cut into units: each grapheme, or the escape of one
    /// unsafe scalar. Joined, they are `escaped(text, layout:)`; cutting between units never
    /// splits a grapheme or an escape.
    public static func units(_ text: String, layout: Layout = .inline) -> [String] {
        var units: [String] = []
        for character in text {
            if layout == .block, character == "\t" || character == "\n" || character == "\r\n" {
                units.append(String(character))
            } else if character.unicodeScalars.contains(where: isUnsafe) {
                // Controls are graphemes of their own (CR LF aside); any other scalar found
                // with one is kept, grouped, beside the escapes.
                var kept = String.UnicodeScalarView()
                for scalar in character.unicodeScalars {
                    if isUnsafe(scalar) {
                        if !kept.isEmpty {
                            units.append(String(kept))
                            kept = String.UnicodeScalarView()
                        }
                        units.append(escape(scalar))
                    } else {
                        kept.append(scalar)
                    }
                }
                if !kept.isEmpty { units.append(String(kept)) }
            } else {
                units.append(String(character))
            }
        }
        return units
    }

    /// `text` with every unsafe scalar that `layout` does not keep written as a visible escape.
    public static func escaped(_ text: String, layout: Layout = .inline) -> String {
        // Most text has nothing to escape: returned as it is, without a copy.
        guard text.unicodeScalars.contains(where: { isUnsafe($0) && !(layout == .block && ($0 == "\t" || $0 == "\n")) })
        else { return text }
        return units(text, layout: layout).joined()
    }
}
