import XCTest

@testable import FrontMatter

/// `SourceText.firstInvalidUTF8Offset` reads ASCII eight bytes at a time: the offset it gives
/// must be the one a byte-by-byte reading of the UTF-8 rules gives (Unicode 15, table 3-7), for
/// a bad byte at any position against the eight-byte steps.
final class UTF8ValidationTests: XCTestCase {
    /// The first offset where `bytes` stop being well-formed UTF-8, one byte at a time.
    func reference(_ bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let (length, low, high): (Int, UInt8, UInt8)
            switch lead {
            case 0x00...0x7F: (length, low, high) = (1, 0, 0)
            case 0xC2...0xDF: (length, low, high) = (2, 0x80, 0xBF)
            case 0xE0: (length, low, high) = (3, 0xA0, 0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (length, low, high) = (3, 0x80, 0xBF)
            case 0xED: (length, low, high) = (3, 0x80, 0x9F)
            case 0xF0: (length, low, high) = (4, 0x90, 0xBF)
            case 0xF1...0xF3: (length, low, high) = (4, 0x80, 0xBF)
            case 0xF4: (length, low, high) = (4, 0x80, 0x8F)
            default: return index
            }
            if length == 1 {
                index += 1
                continue
            }
            guard index + length <= bytes.count, (low...high).contains(bytes[index + 1]) else { return index }
            for offset in 2..<length where !(0x80...0xBF).contains(bytes[index + offset]) { return index }
            index += length
        }
        return nil
    }

    func testTheOffsetIsTheOneByteByByteReadingGives() {
        let pieces: [[UInt8]] = [
            Array("plain ascii text, ".utf8), Array("é".utf8), Array("日本".utf8), Array("🚨".utf8), [0x80], [0xC0, 0x80],
            [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF], [0xF0, 0x9F, 0x98], Array("x".utf8),
        ]
        var generator = SystemRandomNumberGenerator()
        var checked = 0
        for _ in 0..<5_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...12, using: &generator) {
                // Mostly ASCII runs of every length, so a bad byte lands at every offset of a step.
                if Bool.random(using: &generator) {
                    bytes += Array(
                        repeating: UInt8.random(in: 0x20...0x7E, using: &generator), count: Int.random(in: 0...17))
                } else {
                    bytes += pieces.randomElement(using: &generator)!
                }
            }
            XCTAssertEqual(SourceText.firstInvalidUTF8Offset(in: bytes), reference(bytes), "\(bytes)")
            if reference(bytes) != nil { checked += 1 }
        }
        XCTAssertGreaterThan(checked, 1_000, "invalid inputs were among those compared")
        let valid = Array(String(repeating: "ascii and é 日本 🚨 ", count: 50).utf8)
        XCTAssertNil(SourceText.firstInvalidUTF8Offset(in: valid))
        for position in 0..<40 {
            var bytes = Array(repeating: UInt8(0x61), count: 40)
            bytes[position] = 0xFF
            XCTAssertEqual(SourceText.firstInvalidUTF8Offset(in: bytes), position)
        }
    }
}
