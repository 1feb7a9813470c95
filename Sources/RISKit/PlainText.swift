import CRISSystem
import Foundation

// Text made the direct way where Foundation's way asks the Swift runtime for conformances
// (`ContiguousBytes`, `CVarArg`...): the first such question of a run scans every
// conformance record of the binary (~7,400), a tenth of a millisecond of a search each.

extension Data {
    /// The UTF-8 bytes of `text`, copied in one piece (`Data(text.utf8)` casts the view to
    /// `ContiguousBytes` first).
    public init(utf8Of text: String) {
        var text = text
        self = text.withUTF8 { Data(buffer: $0) }
    }
}

extension String {
    /// The text in double quotes with each of its quote scalars doubled, as CSV cells and
    /// FTS5 strings take them: scalar by scalar, so a quote that a combining mark joins into
    /// one character (`"\u{301}`) is doubled too.
    public var doubleQuoted: String {
        var quoted = String.UnicodeScalarView()
        quoted.append("\"")
        for scalar in unicodeScalars {
            quoted.append(scalar)
            if scalar == "\"" { quoted.append("\"") }
        }
        quoted.append("\"")
        return String(quoted)
    }
}

extension Double {
    /// The value with `places` (0 to 100) decimals, as `String(format: "%.2f")` writes it:
    /// C's printf, without a variadic argument list (66,000 instructions a score in a table of
    /// 20 through Foundation's formatter). Its numbers are the C locale's: ris never sets a
    /// locale (nothing calls `setlocale`), so LC_NUMERIC stays "C".
    public func fixedText(places: Int) -> String {
        precondition((0...100).contains(places), "fixedText takes 0 to 100 decimals")
        // Room for any finite Double written out in full (309 digits, a sign, the decimals).
        let capacity = 330 + places
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: capacity) { buffer in
            let written = ris_format_fixed(buffer.baseAddress, capacity, self, Int32(places))
            guard written > 0, written < capacity else { return String(self) }
            return String(
                decoding: UnsafeRawBufferPointer(start: buffer.baseAddress, count: Int(written)), as: UTF8.self)
        }
    }
}
