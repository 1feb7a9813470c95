import CRISSystem

/// How many terminal columns text takes: East Asian wide and fullwidth characters and emoji
/// take two, combining marks and other zero-width characters none, everything else one.
///
/// Counted per grapheme (what a terminal draws as one character): `é` written as `e` and a
/// combining accent is one column, a flag or a family emoji joined with ZWJ is two. The
/// table follows Unicode's East Asian Width (W and F) and Emoji_Presentation, like the
/// `wcwidth` of current terminals, and does not depend on the locale.
public enum DisplayWidth {
    /// The columns of `text` on a terminal.
    public static func of(_ text: String) -> Int {
        var columns = 0
        for character in text { columns += of(character) }
        return columns
    }

    /// The columns of one grapheme: 0, 1 or 2.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        let properties = first.properties
        // A text-style emoji (❤, ☀, and the keycap 1️⃣, whose base is ASCII) asked for in emoji
        // style with VS16 is drawn wide.
        if properties.isEmoji, scalars.count > 1, scalars.contains("\u{FE0F}") { return 2 }
        if first.isASCII { return first.value < 0x20 || first.value == 0x7F ? 0 : 1 }
        if properties.isEmojiPresentation { return 2 }
        if isWide(first.value) { return 2 }
        switch properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control:
            return 0
        default:
            // Hangul medial vowels and final consonants join the syllable before them.
            return (0x1160...0x11FF).contains(first.value) ? 0 : 1
        }
    }

    /// East Asian Wide (W) and Fullwidth (F) ranges outside the emoji (Unicode 15.1,
    /// EastAsianWidth.txt), merged where they touch.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
        0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF,
        0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4,
        0x16FF0...0x16FF1, 0x17000...0x18CFF, 0x18D00...0x18D08, 0x1AFF0...0x1B2FF, 0x1F200...0x1F202,
        0x1F210...0x1F23B, 0x1F240...0x1F248, 0x1F250...0x1F251, 0x1F260...0x1F265, 0x20000...0x2FFFD,
        0x30000...0x3FFFD,
    ]

    private static func isWide(_ value: UInt32) -> Bool {
        guard value >= 0x1100 else { return false }
        var low = 0
        var high = wideRanges.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let range = wideRanges[middle]
            if value < range.lowerBound {
                high = middle - 1
            } else if value > range.upperBound {
                low = middle + 1
            } else {
                return true
            }
        }
        return false
    }
}

/// The size of a terminal, in character cells.
public enum TerminalSize {
    /// The rows and columns of the terminal `descriptor` is connected to; nil when it is not a
    /// terminal (a pipe, a file) or says it has no size.
    public static func of(_ descriptor: Int32) -> (rows: Int, columns: Int)? {
        var rows: Int32 = 0
        var columns: Int32 = 0
        guard ris_terminal_size(descriptor, &rows, &columns) == 0, rows > 0, columns > 0 else { return nil }
        return (Int(rows), Int(columns))
    }
}
