extension Unicode.Scalar {
    /// White space, decided without Foundation (ASCII first: it is almost all there is).
    @inline(__always) @usableFromInline
    var isSpace: Bool {
        if value < 0x80 { return value == 0x20 || (value >= 0x09 && value <= 0x0D) }
        return properties.isWhitespace
    }
}

extension StringProtocol where UTF8View: BidirectionalCollection, UnicodeScalarView: BidirectionalCollection {
    /// The text without white space (newlines included) at either end. Foundation's
    /// `trimmingCharacters(in:)` is an order of magnitude slower on Linux. Inlinable: called
    /// from other modules, the generic version cost ~1,800 instructions a call in protocol
    /// dispatch (6% of parsing a record).
    @inlinable
    public func trimmed() -> String {
        // On the contiguous bytes, as offsets: most texts have nothing to trim, and a String
        // that has none is returned as it is, not copied (24,000 calls a 200 records' parse);
        // the rest is made from the bytes (a Substring through `String.init` of a generic
        // StringProtocol cost 750 instructions).
        var whole = false
        let made: String?? = utf8.withContiguousStorageIfAvailable { bytes -> String? in
            var start = 0
            var end = bytes.count
            while start < end, ASCIIByte.isSpace(bytes[start]) { start += 1 }
            while end > start, ASCIIByte.isSpace(bytes[end - 1]) { end -= 1 }
            // A non-ASCII byte at an end may begin or end non-ASCII white space: the slow way.
            if start < end, bytes[start] >= 0x80 || bytes[end - 1] >= 0x80 { return nil }
            if start == 0, end == bytes.count, Self.self == String.self {
                whole = true
                return nil
            }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
        if let made, let made { return made }
        if whole, let string = self as? String { return string }
        return trimmedScalars()
    }

    /// `trimmed` by Unicode scalars: text that is not contiguous, or has a non-ASCII scalar at an end.
    @usableFromInline
    func trimmedScalars() -> String {
        let bytes = utf8
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, ASCIIByte.isSpace(bytes[start]) { start = bytes.index(after: start) }
        while end > start, ASCIIByte.isSpace(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        let trimmed = self[start..<end]
        // Non-ASCII white space (no-break space, ideographic space) at an end: the slow, exact way.
        if start < end, bytes[start] >= 0x80 || bytes[bytes.index(before: end)] >= 0x80,
            let first = trimmed.unicodeScalars.first, let last = trimmed.unicodeScalars.last,
            (first.value >= 0x80 && first.isSpace) || (last.value >= 0x80 && last.isSpace)
        {
            let scalars = trimmed.unicodeScalars
            var from = scalars.startIndex
            var to = scalars.endIndex
            while from < to, scalars[from].isSpace { from = scalars.index(after: from) }
            while to > from, scalars[scalars.index(before: to)].isSpace { to = scalars.index(before: to) }
            return String(trimmed[from..<to])
        }
        return String(trimmed)
    }
}

extension StringProtocol {
    /// Whether `needle` occurs in the text, compared byte for byte (no locale, no
    /// Foundation): what `contains` means for ASCII keys and markers.
    @inlinable
    public func includes(_ needle: String) -> Bool {
        searches(needle, with: ByteSearch.occurs)
    }

    /// `search` of `needle`'s bytes in the text's. The needle's own bytes (a literal's, on the
    /// stack): no array made for each call; the text's in place when contiguous.
    @inlinable
    func searches(
        _ needle: String, with search: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Bool
    ) -> Bool {
        var needle = needle
        return needle.withUTF8 { needleBytes in
            utf8.withContiguousStorageIfAvailable { search(needleBytes, $0) }
                ?? {
                    var text = String(self)
                    return text.withUTF8 { search(needleBytes, $0) }
                }()
        }
    }
}

extension Array where Element == String {
    /// `joined(separator:)` made in one allocation, the size counted first. The standard
    /// library's appends piece by piece, ~240 instructions each: 24,000 a record's body of
    /// fifty blocks.
    @inlinable
    public func joinedInOnePiece(separator: String) -> String {
        guard count > 1 else { return first ?? "" }
        var separator = separator
        let total = reduce(separator.utf8.count * (count - 1)) { $0 + $1.utf8.count }
        return separator.withUTF8 { separatorBytes in
            String(unsafeUninitializedCapacity: total) { buffer in
                var filled = 0
                func copy(_ bytes: UnsafeBufferPointer<UInt8>) {
                    guard let base = bytes.baseAddress, bytes.count > 0 else { return }
                    (buffer.baseAddress! + filled).initialize(from: base, count: bytes.count)
                    filled += bytes.count
                }
                for index in indices {
                    if index > startIndex { copy(separatorBytes) }
                    var element = self[index]
                    element.withUTF8(copy)
                }
                return filled
            }
        }
    }
}

extension StringProtocol {
    /// Whether the text, lowercased, holds `needle`, compared on the bytes with ASCII letters
    /// folded: no lowercased copy made. The same answer as `lowercased().includes(needle)` for
    /// a needle of lowercase ASCII with no `k` and no `i` at its end, since the only scalars
    /// beyond ASCII whose lowercase holds ASCII are the Kelvin sign (`k`) and `İ` (`i` and a
    /// combining dot).
    @inlinable
    public func includesFolded(_ needle: String) -> Bool {
        searches(needle, with: ByteSearch.occursFolded)
    }

    /// Whether the text, lowercased, is `needle` (see `includesFolded` for the needles it suits).
    @inlinable
    public func equalsFolded(_ needle: String) -> Bool {
        utf8.count == needle.utf8.count && includesFolded(needle)
    }
}

/// Byte-for-byte search: `includes` for text, and the log reader's error markers on its lines.
public enum ByteSearch {
    /// Whether `needle` occurs in `haystack` (an empty needle occurs in anything).
    @inlinable
    public static func occurs(_ needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = needle.first else { return true }
        guard haystack.count >= needle.count else { return false }
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var offset = 1
                while offset < needle.count && haystack[index + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return true }
            }
            index += 1
        }
        return false
    }

    /// Whether `needle` (lowercase) occurs in `haystack` with its ASCII letters folded.
    @inlinable
    public static func occursFolded(_ needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>)
        -> Bool
    {
        guard let first = needle.first else { return true }
        guard haystack.count >= needle.count else { return false }
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if ASCIIByte.lowered(haystack[index]) == first {
                var offset = 1
                while offset < needle.count && ASCIIByte.lowered(haystack[index + offset]) == needle[offset] {
                    offset += 1
                }
                if offset == needle.count { return true }
            }
            index += 1
        }
        return false
    }
}
