import Foundation

/// A file's bytes decoded to text, with the facts needed to position diagnostics.
///
/// Reading never fails: a binary file, invalid UTF-8 or a byte-order mark become
/// diagnostics, and the text is what could be decoded.
public struct SourceText: Sendable {
    /// The decoded text, without a UTF-8 byte-order mark. Invalid bytes are U+FFFD.
    public let text: String
    /// The file holds a NUL byte: it is not read as text.
    public let isBinary: Bool
    /// The file started with a UTF-8 byte-order mark.
    public let hadByteOrderMark: Bool
    /// Lines end with CRLF (judged by the first line break).
    public let usesCRLF: Bool
    public let diagnostics: [Diagnostic]

    public init(data: Data) {
        var diagnostics: [Diagnostic] = []
        let bytes = data.withUnsafeBytes { Array($0.bindMemory(to: UInt8.self)) }
        hadByteOrderMark = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        let start = hadByteOrderMark ? 3 : 0
        let body = bytes[start...]

        // memchr: a generic search stepped the ~12 KB of a record byte by byte (40,000 instructions).
        let nul: Int? = body.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, let hit = memchr(base, 0, buffer.count) else { return nil }
            return body.startIndex + base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
        if let nul {
            let position = SourceText.position(ofByte: nul - start, in: Array(body))
            diagnostics.append(.error(.binaryFile, "binary file (NUL byte); not read as text", at: position))
            isBinary = true
            text = ""
            usesCRLF = false
            self.diagnostics = diagnostics
            return
        }
        isBinary = false
        if let bad = SourceText.firstInvalidUTF8Offset(in: body) {
            let position = SourceText.position(ofByte: bad, in: Array(body))
            diagnostics.append(
                .error(
                    .invalidUTF8,
                    "invalid UTF-8 (byte 0x\(String(body[start + bad], radix: 16, uppercase: true))); read with "
                        + "U+FFFD in its place",
                    at: position))
        }
        text = String(decoding: body, as: UTF8.self)
        if let newline = body.firstIndex(of: 0x0A) {
            usesCRLF = newline > start && bytes[newline - 1] == 0x0D
        } else {
            usesCRLF = false
        }
        self.diagnostics = diagnostics
    }

    public init(string: String) {
        self.init(data: Data(string.utf8))
    }

    /// The offset of the first byte that does not start or continue a valid UTF-8 sequence.
    static func firstInvalidUTF8Offset(in slice: ArraySlice<UInt8>) -> Int? {
        slice.withUnsafeBufferPointer { firstInvalidUTF8Offset(in: $0) }
    }

    static func firstInvalidUTF8Offset(in bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { firstInvalidUTF8Offset(in: $0) }
    }

    static func firstInvalidUTF8Offset(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        let count = bytes.count
        guard let base = bytes.baseAddress else { return nil }
        while index < count {
            // Eight ASCII bytes at a time: most of a record is ASCII (5 instructions a byte before).
            while index + 8 <= count,
                UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                index += 8
            }
            guard index < count else { break }
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var minSecond: UInt8 = 0x80
            var maxSecond: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                minSecond = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                maxSecond = 0x9F
            case 0xF0:
                length = 4
                minSecond = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                maxSecond = 0x8F
            default: return index
            }
            guard index + length <= count else { return index }
            let second = bytes[index + 1]
            guard second >= minSecond && second <= maxSecond else { return index }
            for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 {
                return index
            }
            index += length
        }
        return nil
    }

    /// Line and column (in Unicode scalars) of a byte offset.
    static func position(ofByte offset: Int, in bytes: [UInt8]) -> SourcePosition {
        var line = 1
        var column = 1
        var index = 0
        while index < offset {
            let byte = bytes[index]
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            index += 1
        }
        return SourcePosition(line: line, column: column)
    }
}

/// The lines of a text, addressed by 1-based line numbers, without their line breaks.
public struct TextLines: Sendable {
    /// The text the lines are of.
    private let text: String
    /// The byte offset of every `\n` in the text's UTF-8.
    private let breaks: [Int]

    public init(_ text: String) {
        var text = text
        // Line breaks found with memchr over the UTF-8 bytes. A line's Substring is made when it
        // is asked for (most readers look at a few lines: making all of them cost ~150,000
        // instructions a record); indices come from offsets, O(1) in a native string.
        breaks = text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return [] }
            var found: [Int] = []
            var offset = 0
            while offset < bytes.count, let hit = memchr(base + offset, 0x0A, bytes.count - offset) {
                let position = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                found.append(position)
                offset = position + 1
            }
            return found
        }
        self.text = text
    }

    public var count: Int { breaks.count + 1 }

    /// Line `number` (1-based), without its `\n` and a trailing `\r`.
    public subscript(number: Int) -> Substring {
        precondition(number >= 1 && number <= count, "line \(number) of \(count)")
        let utf8 = text.utf8
        let start = startOffset(ofLine: number)
        var end = number <= breaks.count ? breaks[number - 1] : utf8.count
        // A trailing `\r` (CRLF) is not part of the line.
        if end > start, utf8[utf8.index(utf8.startIndex, offsetBy: end - 1)] == 0x0D { end -= 1 }
        return text[utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: end)]
    }

    /// The lines, each without `\n` and a trailing `\r`.
    public var lines: [Substring] { (1...count).map { self[$0] } }

    /// Where line `number` (1-based) starts in the text.
    public func start(ofLine number: Int) -> String.Index {
        text.utf8.index(text.utf8.startIndex, offsetBy: startOffset(ofLine: number))
    }

    /// Where line `number` (1-based) starts, as an offset in the text's UTF-8.
    public func startOffset(ofLine number: Int) -> Int { number == 1 ? 0 : breaks[number - 2] + 1 }

    /// The text of lines `range` (1-based, line breaks included).
    public func text(of range: Range<Int>) -> String {
        guard !range.isEmpty else { return "" }
        let end = range.upperBound <= count ? start(ofLine: range.upperBound) : text.endIndex
        return String(text[start(ofLine: range.lowerBound)..<end])
    }
}
