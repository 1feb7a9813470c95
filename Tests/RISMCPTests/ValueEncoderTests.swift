import Foundation
import MCP
import XCTest

@testable import RISMCP

/// `ValueEncoder` builds the SDK's `Value` without JSON text; on the wire it must read as
/// `JSONEncoder` would write the same value.
final class ValueEncoderTests: XCTestCase {
    struct Inner: Encodable {
        var name = "inner"
        var numbers: [Int] = [1, 2, 3]
    }

    struct Everything: Encodable {
        var text = "a \"quoted\" line\nand é, 日本"
        var integer = -42
        var whole = 2.0
        var fraction = 0.1
        var single: Float = 0.1
        var flag = true
        var absent: String? = nil
        var wide: Int64 = 1 << 60
        var byte: UInt8 = 255
        var date = Date(timeIntervalSinceReferenceDate: 12345.5)
        var url = URL(string: "https://example.com/a?b=c")!
        var data = Data([0, 1, 2, 250])
        var nested = Inner()
        var list = [Inner(), Inner(name: "second", numbers: [])]
        var map = ["b": 2, "a": 1]
        var matrix = [[1, 2], [], [3]]
        var optionals: [String?] = ["x", nil]

        enum CodingKeys: String, CodingKey {
            case text, integer, whole, fraction, single, flag, absent, absentSkipped, wide, byte, date, url
            case data, nested, list, map, matrix, optionals, again, empty
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(text, forKey: .text)
            try container.encode(integer, forKey: .integer)
            try container.encode(whole, forKey: .whole)
            try container.encode(fraction, forKey: .fraction)
            try container.encode(single, forKey: .single)
            try container.encode(flag, forKey: .flag)
            try container.encode(absent, forKey: .absent)
            try container.encodeIfPresent(absent, forKey: .absentSkipped)
            try container.encode(wide, forKey: .wide)
            try container.encode(byte, forKey: .byte)
            try container.encode(date, forKey: .date)
            try container.encode(url, forKey: .url)
            try container.encode(data, forKey: .data)
            try container.encode(nested, forKey: .nested)
            try container.encode(list, forKey: .list)
            try container.encode(map, forKey: .map)
            try container.encode(matrix, forKey: .matrix)
            try container.encode(optionals, forKey: .optionals)
            // A key encoded twice holds the second value only.
            try container.encode([1], forKey: .again)
            try container.encode([2], forKey: .again)
            var nestedEmpty = container.nestedUnkeyedContainer(forKey: .empty)
            var inner = nestedEmpty.nestedContainer(keyedBy: CodingKeys.self)
            try inner.encode("deep", forKey: .text)
        }
    }

    func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    func testTheValueReadsAsJSONEncodersText() throws {
        let value = try ValueEncoder.value(of: Everything())
        XCTAssertEqual(try json(value), try json(Everything()))
    }

    func testArraysAndScalarsAtTheTop() throws {
        XCTAssertEqual(try json(ValueEncoder.value(of: [Inner(), Inner()])), try json([Inner(), Inner()]))
        XCTAssertEqual(try ValueEncoder.value(of: "plain"), .string("plain"))
        XCTAssertEqual(try ValueEncoder.value(of: 7), .int(7))
        // `Value` has no unsigned 64-bit case: one beyond `Int` is a Double, as decoding
        // JSONEncoder's text into `Value` gave it before.
        let huge = try JSONDecoder().decode(Value.self, from: JSONEncoder().encode(UInt64.max))
        XCTAssertEqual(try ValueEncoder.value(of: UInt64.max), huge)
    }
}
