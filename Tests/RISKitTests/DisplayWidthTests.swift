import RISKit
import XCTest

final class DisplayWidthTests: XCTestCase {
    func testColumnsOfEachKindOfCharacter() {
        XCTAssertEqual(DisplayWidth.of("manifest"), 8)
        XCTAssertEqual(DisplayWidth.of("証明書"), 6, "CJK ideographs are wide")
        XCTAssertEqual(DisplayWidth.of("데이터"), 6, "Hangul syllables are wide")
        XCTAssertEqual(DisplayWidth.of("ｆｕｌｌ"), 8, "fullwidth forms are wide")
        XCTAssertEqual(DisplayWidth.of("🚨"), 2, "emoji presentation is wide")
        XCTAssertEqual(DisplayWidth.of("✅ RESOLVED"), 11)
        XCTAssertEqual(DisplayWidth.of("❤"), 1, "a text-style emoji alone is narrow")
        XCTAssertEqual(DisplayWidth.of("❤\u{FE0F}"), 2, "with VS16 it is drawn as an emoji")
        XCTAssertEqual(DisplayWidth.of("👨\u{200D}👩\u{200D}👧"), 2, "a ZWJ sequence is one grapheme")
        XCTAssertEqual(DisplayWidth.of("🇩🇪"), 2, "a flag is two regional indicators, one grapheme")
        XCTAssertEqual(DisplayWidth.of("Cafe\u{301}"), 4, "a combining accent takes no column")
        XCTAssertEqual(DisplayWidth.of("a\u{200B}b"), 2, "a zero-width space takes none")
        XCTAssertEqual(DisplayWidth.of("\u{1100}\u{1161}"), 2, "a Hangul syllable of jamo is one wide grapheme")
        XCTAssertEqual(DisplayWidth.of("—…é"), 3)
        XCTAssertEqual(DisplayWidth.of("1\u{FE0F}\u{20E3}"), 2, "a keycap emoji, on an ASCII base")
        XCTAssertEqual(DisplayWidth.of("#1"), 2)
        XCTAssertEqual(DisplayWidth.of(""), 0)
    }
}

final class ReadingOverflowTests: XCTestCase {
    /// Durations and clock times come from files: numbers too large for them are no duration,
    /// never an arithmetic trap.
    func testHugeDurationsAndClockTimesAreNone() {
        XCTAssertNil(FieldValue.minutes(in: "99999999999999999999999 minutes"))
        XCTAssertNil(FieldValue.minutes(in: "1" + String(repeating: "0", count: 400) + " hours"))
        XCTAssertEqual(FieldValue.minutes(in: "1h 30m"), 90)
        XCTAssertNil(TimelineSpan.minutes(from: "999999999999999999:00", to: "10:00"))
        XCTAssertEqual(TimelineSpan.minutes(from: "09:00", to: "10:30"), 90)
    }
}
