import XCTest

@testable import FrontMatter
@testable import RISKit

/// `FieldValue.label`, `FieldValue.minutes` and `ReviewFrequency`'s key read ASCII text on its
/// bytes; they must answer as the Character versions do, for any ASCII text.
final class FieldValueBytesTests: XCTestCase {
    private static let pieces = [
        " ", "  ", "\t", "\r\n", "\n", "-", " - ", "_", ".", ":", "(", "#", "*", "1", "12", "1.5", "2.", ".5", "1.2.3",
        "0", "a", "Resolved", "CRITICAL", "sev", "P1", "h", "hr", "hours", "m", "Min", "minutes", "d", "DAYS", "s",
        "sec", "semi", "annual", "Quarterly", "every", "months", "x", "Z", "99999999999", "é", "½", "✅", "٣",
    ]

    /// Compares `actual` with `expected` on 20,000 random texts; returns how many answers were not nil.
    private static func compareOnRandomTexts<T: Equatable>(
        _ actual: (String) -> T?, _ expected: (String) -> T?, file: StaticString = #filePath, line: UInt = #line
    ) -> Int {
        var generator = SystemRandomNumberGenerator()
        var answers = 0
        for round in 0..<20_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...7, using: &generator) { text += pieces.randomElement(using: &generator)! }
            let wanted = expected(text)
            XCTAssertEqual(actual(text), wanted, "round \(round): \(text.debugDescription)", file: file, line: line)
            if wanted != nil { answers += 1 }
        }
        return answers
    }

    func testLabelOfBytesIsLabelOfCharacters() {
        let labels = FieldValueBytesTests.compareOnRandomTexts(FieldValue.label, FieldValue.labelOfCharacters)
        XCTAssertGreaterThan(labels, 10_000)
        XCTAssertLessThan(labels, 19_900)
        XCTAssertEqual(FieldValue.label("✅ Resolved - pending"), "RESOLVED")
        XCTAssertEqual(FieldValue.label("Resolved  \t pending-review (x)"), "RESOLVED PENDING-REVIEW")
    }

    func testMinutesOfBytesAreMinutesOfCharacters() {
        let durations = FieldValueBytesTests.compareOnRandomTexts(
            { FieldValue.minutes(in: $0) }, FieldValue.minutesOfCharacters)
        XCTAssertGreaterThan(durations, 600)
        XCTAssertLessThan(durations, 18_000)
        XCTAssertEqual(FieldValue.minutes(in: "2h 30m"), 150)
        XCTAssertEqual(FieldValue.minutes(in: "1.5 Hours"), 90)
        XCTAssertEqual(FieldValue.minutes(in: "½ day, 3 minutes"), 3)
        // A million years and more is no duration, on either path.
        XCTAssertNil(FieldValue.minutes(in: "99999999999 days"))
        XCTAssertNil(FieldValue.minutes(in: "99999999999 days é"))
        XCTAssertEqual(FieldValue.minutes(in: "9999999 days"), 14_399_998_560)
    }

    func testReviewFrequencyKeyOfBytesIsKeyOfCharacters() {
        _ = FieldValueBytesTests.compareOnRandomTexts(
            { ReviewFrequency.key(of: $0) }, { $0.lowercased().filter { $0.isLetter || $0.isNumber } })
        XCTAssertEqual(ReviewFrequency(parsing: "Semi_Annual"), .semiAnnual)
        XCTAssertEqual(ReviewFrequency(parsing: "every 3 months"), .quarterly)
        XCTAssertEqual(ReviewFrequency(parsing: "Quartérly"), nil)
    }
}
