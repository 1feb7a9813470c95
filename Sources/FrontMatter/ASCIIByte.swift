/// ASCII classes and case of single UTF-8 bytes, for the readers that work on bytes (trimming,
/// folded search, field values, log signatures). Every byte of a longer scalar is 0x80 or more,
/// so none is taken for an ASCII one.
public enum ASCIIByte {
    /// A space, a tab, a line feed, a vertical tab, a form feed or a carriage return.
    @inlinable public static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
    /// `0`-`9`.
    @inlinable public static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    /// `A`-`Z`.
    @inlinable public static func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
    /// `a`-`z`.
    @inlinable public static func isLower(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
    /// `A`-`Z` or `a`-`z`.
    @inlinable public static func isLetter(_ byte: UInt8) -> Bool { isUpper(byte) || isLower(byte) }
    /// An upper-case letter in lower case; any other byte as it is.
    @inlinable public static func lowered(_ byte: UInt8) -> UInt8 { isUpper(byte) ? byte + 0x20 : byte }
    /// A lower-case letter in upper case; any other byte as it is.
    @inlinable public static func uppercased(_ byte: UInt8) -> UInt8 { isLower(byte) ? byte - 0x20 : byte }
}
