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

    private static func randomText(_ generator: inout SystemRandomNumberGenerator) -> String {
        var text = ""
        for _ in 0..<Int.random(in: 0...7, using: &generator) { text += pieces.randomElement(using: &generator)! }
        return text
    }

    func testLabelOfBytesIsLabelOfCharacters() {
        var generator = SystemRandomNumberGenerator()
        var labels = 0
        for round in 0..<20_000 {
            let text = FieldValueBytesTests.randomText(&generator)
            let expected = FieldValue.labelOfCharacters(text)
            XCTAssertEqual(FieldValue.label(text), expected, "round \(round): \(text.debugDescription)")
            if expected != nil { labels += 1 }
        }
        XCTAssertGreaterThan(labels, 10_000)
        XCTAssertLessThan(labels, 19_900)
        XCTAssertEqual(FieldValue.label("✅ Resolved - pending"), "RESOLVED")
        XCTAssertEqual(FieldValue.label("Resolved  \t pending-review (x)"), "RESOLVED PENDING-REVIEW")
    }

    func testMinutesOfBytesAreMinutesOfCharacters() {
        var generator = SystemRandomNumberGenerator()
        var durations = 0
        for round in 0..<20_000 {
            let text = FieldValueBytesTests.randomText(&generator)
            let expected = FieldValue.minutesOfCharacters(text)
            XCTAssertEqual(FieldValue.minutes(in: text), expected, "round \(round): \(text.debugDescription)")
            if expected != nil { durations += 1 }
        }
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
        var generator = SystemRandomNumberGenerator()
        for round in 0..<20_000 {
            let text = FieldValueBytesTests.randomText(&generator)
            XCTAssertEqual(
                ReviewFrequency.key(of: text), text.lowercased().filter { $0.isLetter || $0.isNumber },
                "round \(round): \(text.debugDescription)")
        }
        XCTAssertEqual(ReviewFrequency(parsing: "Semi_Annual"), .semiAnnual)
        XCTAssertEqual(ReviewFrequency(parsing: "every 3 months"), .quarterly)
        XCTAssertEqual(ReviewFrequency(parsing: "Quartérly"), nil)
    }
}
