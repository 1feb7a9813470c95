import XCTest

@testable import FrontMatter

final class HostileYAMLTests: XCTestCase {
    static let billionLaughs = """
        a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
        b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
        c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
        d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
        e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
        f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
        g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
        h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
        i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
        """

    func testAliasBombIsRefused() {
        let result = SafeYAML.parse(Self.billionLaughs, firstLine: 2)
        XCTAssertNil(result.root)
        XCTAssertEqual(result.diagnostics.count, 1)
        XCTAssertTrue(result.diagnostics[0].message.contains("alias bomb"), result.diagnostics[0].message)
        XCTAssertGreaterThanOrEqual(result.diagnostics[0].line, 2)
    }

    func testFewAliasesThatExpandTooFarAreRefusedByTheNodeBudget() {
        // 40 aliases (under the alias limit) that expand past the node budget.
        var yaml = "a0: &a0 [x, x, x, x]\n"
        for level in 1...10 {
            yaml += "a\(level): &a\(level) [*a\(level - 1), *a\(level - 1), *a\(level - 1), *a\(level - 1)]\n"
        }
        let result = SafeYAML.parse(yaml)
        XCTAssertNil(result.root)
        XCTAssertTrue(
            result.diagnostics.first?.message.contains("expands to more than") ?? false, "\(result.diagnostics)")
    }

    func testAFewAliasesAreFine() {
        let result = SafeYAML.parse("base: &base {review-frequency: quarterly}\nhipaa: *base\n")
        XCTAssertNotNil(result.root)
        XCTAssertEqual(result.root?["hipaa"]?["review-frequency"]?.scalarText, "quarterly")
    }

    func testDeepFlowNestingIsRefused() {
        let yaml = "x: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n"
        let result = SafeYAML.parse(yaml, firstLine: 2)
        XCTAssertNil(result.root)
        XCTAssertTrue(result.diagnostics.first?.message.contains("nests deeper") ?? false)
        XCTAssertEqual(result.diagnostics.first?.line, 2)
    }

    func testDeepBlockNestingIsRefused() {
        var yaml = ""
        for depth in 0..<5000 { yaml += String(repeating: " ", count: depth) + "k\(depth):\n" }
        let result = SafeYAML.parse(yaml, limits: YAMLLimits(maxBytes: 100_000_000))
        XCTAssertNil(result.root)
        XCTAssertTrue(result.diagnostics.first?.message.contains("nests deeper") ?? false, "\(result.diagnostics)")
    }

    /// CRLF line ends are lines too: the nesting is measured, and refused at the line it
    /// goes too deep, as with LF (the scan once split Characters, and `\r\n` is one).
    func testDeepBlockNestingWithCRLFIsRefusedAtItsLine() {
        for ending in ["\n", "\r\n"] {
            var yaml = ""
            for depth in 0..<100 { yaml += String(repeating: " ", count: depth) + "k\(depth):" + ending }
            let result = SafeYAML.parse(yaml, firstLine: 2)
            XCTAssertNil(result.root, ending.debugDescription)
            let refusal = result.diagnostics.first
            XCTAssertTrue(refusal?.message.contains("nests deeper") ?? false, "\(result.diagnostics)")
            XCTAssertEqual(refusal?.line, 2 + 64, ending.debugDescription)
        }
    }

    func testDeepSequenceIndicatorsAreRefused() {
        let yaml = String(repeating: "- ", count: 5000) + "x\n"
        let result = SafeYAML.parse(yaml)
        XCTAssertNil(result.root)
        XCTAssertTrue(result.diagnostics.first?.message.contains("nests deeper") ?? false, "\(result.diagnostics)")
    }

    func testOversizedFrontMatterIsRefused() {
        let yaml = "note: " + String(repeating: "a", count: 300_000) + "\n"
        let result = SafeYAML.parse(yaml, firstLine: 2)
        XCTAssertNil(result.root)
        XCTAssertTrue(result.diagnostics.first?.message.contains("over the limit") ?? false)
    }

    func testStrictParserRejectionsArePositioned() {
        // A value starting with a backtick, and an unquoted ": " in a list item.
        let result = SafeYAML.parse("id: RIS-1\nfix: `npm ci`\n", firstLine: 2)
        XCTAssertEqual(result.diagnostics.first?.line, 3)
        XCTAssertEqual(result.diagnostics.first?.column, 6)
        let alias = SafeYAML.parse("a: 1\nb: *star value\n", firstLine: 10)
        XCTAssertEqual(alias.diagnostics.first?.line, 11)
    }
}
