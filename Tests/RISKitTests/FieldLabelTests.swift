import XCTest

@testable import RISKit

/// A field's colon is found on the bytes; it must be where Characters put it (a colon joined to
/// a mark, or to a prepended character, is no colon of its own).
final class FieldLabelTests: XCTestCase {
    func testColonsAreFoundWhereCharactersPutThem() {
        let pieces = [":", "a", " ", "é", "e\u{301}", "\u{301}", "\u{0600}", "日", "👍🏽", "\u{200D}", "\r", "\n", "*"]
        var generator = SystemRandomNumberGenerator()
        var colons = 0
        for round in 0..<20_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...5, using: &generator) { text += pieces.randomElement(using: &generator)! }
            // By Characters, not by `hasSuffix`/`hasPrefix` (which the code falls back to).
            let last = text.last == ":" ? text.index(before: text.endIndex) : nil
            let next = text.first == ":" ? text.index(after: text.startIndex) : nil
            XCTAssertEqual(DocumentParser.lastColon(text), last, "round \(round): \(text.debugDescription)")
            XCTAssertEqual(DocumentParser.afterFirstColon(text), next, "round \(round): \(text.debugDescription)")
            if last != nil { colons += 1 }
        }
        // Both answers come up often.
        XCTAssertGreaterThan(colons, 600)
        XCTAssertLessThan(colons, 18_000)
        // A prepended character joins the colon after it; a mark joins the colon before it.
        XCTAssertNil(DocumentParser.lastColon("Name\u{0600}:"))
        XCTAssertNil(DocumentParser.afterFirstColon(":\u{301} value"))
        XCTAssertEqual(DocumentParser.lastColon("é:"), "é:".index(before: "é:".endIndex))
    }

    func testALabelsNameAndColon() {
        let paragraph = MarkdownParser.parse("**Root Cause:** a\n\n**Owner**: b\n\n**Note** c\n")
        let labels = paragraph.children.compactMap { $0.children.first }.map { DocumentParser.labelName(of: $0) }
        XCTAssertEqual(labels.map(\.name), ["Root Cause", "Owner", "Note"])
        XCTAssertEqual(labels.map(\.colonInside), [true, false, false])
        let fields = paragraph.children.map { DocumentParser.field(in: $0.children) }
        XCTAssertEqual(fields.map { $0?.name }, ["Root Cause", "Owner", nil])
        XCTAssertEqual(fields.map { $0?.value }, ["a", "b", nil])
    }
}
