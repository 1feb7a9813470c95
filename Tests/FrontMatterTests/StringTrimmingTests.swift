import XCTest

@testable import FrontMatter

/// `trimmed` and `joinedInOnePiece` work on bytes for speed; they must give what the plain
/// Unicode definitions give, for Strings and Substrings, whatever the text holds.
final class StringTrimmingTests: XCTestCase {
    private static let pieces = [
        " ", "\t", "\n", "\r\n", "\u{0B}", "\u{0C}", "\u{00A0}", "\u{3000}", "\u{2028}", "a", "key", "é", "e\u{301}",
        "日本", "👍🏽", ":", "\u{0301}", "",
    ]

    private static func randomText(_ generator: inout SystemRandomNumberGenerator) -> String {
        var text = ""
        for _ in 0..<Int.random(in: 0...8, using: &generator) { text += pieces.randomElement(using: &generator)! }
        return text
    }

    /// White space at both ends removed, scalar by scalar, by the Unicode property.
    private static func referenceTrimmed(_ text: Substring) -> String {
        let scalars = text.unicodeScalars
        var from = scalars.startIndex
        var to = scalars.endIndex
        while from < to, scalars[from].properties.isWhitespace { from = scalars.index(after: from) }
        while to > from, scalars[scalars.index(before: to)].properties.isWhitespace {
            to = scalars.index(before: to)
        }
        return String(scalars[from..<to])
    }

    func testTrimmedRemovesWhiteSpaceAsUnicodeDefinesIt() {
        var generator = SystemRandomNumberGenerator()
        var changed = 0
        for round in 0..<20_000 {
            let text = StringTrimmingTests.randomText(&generator)
            let expected = StringTrimmingTests.referenceTrimmed(text[...])
            XCTAssertEqual(text.trimmed(), expected, "round \(round): \(text.debugDescription)")
            // A Substring in the middle of a larger text: its own ends, not the base's. Cut by
            // scalars (a mark after the space would join it in one Character).
            let framed = "x " + text + " y"
            let inner = Substring(framed.unicodeScalars.dropFirst(2).dropLast(2))
            XCTAssertEqual(inner.trimmed(), expected, "round \(round): \(text.debugDescription)")
            if expected != text { changed += 1 }
        }
        // Both answers come up often: the comparison is not of untouched texts alone.
        XCTAssertGreaterThan(changed, 5_000)
        XCTAssertLessThan(changed, 19_000)
    }

    func testTrimmedKeepsWhatIsNotWhiteSpace() {
        XCTAssertEqual("  a b \n".trimmed(), "a b")
        XCTAssertEqual("\u{00A0}\u{3000}a\u{00A0}".trimmed(), "a")
        // A combining mark after a space makes one Character of both; by scalars, the mark stays.
        XCTAssertEqual(" \u{0301}a ".trimmed(), "\u{0301}a")
        XCTAssertEqual(" \t\r\n".trimmed(), "")
        XCTAssertEqual("".trimmed(), "")
    }

    func testJoinedInOnePieceIsJoined() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<5_000 {
            let parts = (0..<Int.random(in: 0...6, using: &generator)).map { _ in
                StringTrimmingTests.randomText(&generator)
            }
            let separator = ["\n", " | ", "", "é"].randomElement(using: &generator)!
            XCTAssertEqual(
                parts.joinedInOnePiece(separator: separator), parts.joined(separator: separator),
                "round \(round): \(parts.debugDescription)")
        }
        // Long parts (heap storage) as well as small ones (stored inline).
        let long = [String(repeating: "abc", count: 100), "", String(repeating: "日", count: 40)]
        XCTAssertEqual(long.joinedInOnePiece(separator: "\n"), long.joined(separator: "\n"))
    }

    /// `includesFolded` answers as `lowercased().includes` for the needles it is used with,
    /// whatever the text: upper case, `İ` and the Kelvin sign (the only scalars beyond ASCII
    /// whose lowercase holds ASCII), other scripts.
    func testIncludesFoldedIsLowercasedIncludes() {
        let needles = ["symptom", "root cause", "timeline", "hot pattern", "hot-pattern", "tags", "tag"]
        let pieces = [
            "SYMPTOM", "Symptom", "symptoms", "Root Cause", "ROOT  CAUSE", "TIMELINE", "T\u{130}MELINE", "Hot-Pattern",
            "hot pattern", "TAGS", "tag", "\u{212A}", "\u{130}", "é", "É", " ", "-", "日本", "s", "t", "a", "g",
        ]
        var generator = SystemRandomNumberGenerator()
        var found = 0
        for round in 0..<20_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...4, using: &generator) { text += pieces.randomElement(using: &generator)! }
            for needle in needles {
                let lowered = text.lowercased()
                XCTAssertEqual(
                    text.includesFolded(needle), lowered.includes(needle), "round \(round): \(text.debugDescription)")
                XCTAssertEqual(text.equalsFolded(needle), lowered == needle, "round \(round): \(text.debugDescription)")
                if lowered.includes(needle) { found += 1 }
            }
        }
        XCTAssertGreaterThan(found, 10_000)
        XCTAssertTrue("Symptoms".includesFolded("symptom"))
        XCTAssertFalse("T\u{130}MELINE".includesFolded("timeline"))
        XCTAssertTrue("TAGS"[...].equalsFolded("tags"))
    }
}
