import Foundation
import RISKit
import XCTest

/// Text made without Foundation's formatters says what they say.
final class PlainTextTests: XCTestCase {
    func testFixedTextIsWhatStringFormatWrites() {
        let values: [Double] = [
            0, -0.0, 1, -1, 0.5, 0.125, 0.375, 2.675, 1.005, 12.3456, -7.25, 1e-9, 123_456_789.987_654, 1e20, 1e300,
            -1e300, .greatestFiniteMagnitude, .leastNonzeroMagnitude, .infinity, -.infinity, .nan,
        ]
        for value in values {
            for places in 0...4 {
                XCTAssertEqual(
                    value.fixedText(places: places), String(format: "%.\(places)f", value), "\(value), \(places) places"
                )
            }
        }
    }

    func testDoubleQuotedDoublesEveryQuoteScalar() {
        XCTAssertEqual("".doubleQuoted, "\"\"")
        XCTAssertEqual("say \"no\"".doubleQuoted, "\"say \"\"no\"\"\"")
        XCTAssertEqual(
            Array("a\"\u{301}b".doubleQuoted.unicodeScalars), Array("\"a\"\"\u{301}b\"".unicodeScalars),
            "a quote joined to a combining mark is doubled too")
    }

    func testDataOfUTF8IsTheBytesOfTheText() {
        for text in ["", "ris-audit-head 2\nevents 3\n", "é\u{301}\"\r\n", String(repeating: "ж", count: 10_000)] {
            XCTAssertEqual(Data(utf8Of: text), Data(text.utf8))
        }
    }
}
