import XCTest

@testable import FrontMatter

/// `includes` compares bytes: what `contains` means for ASCII keys and markers, on Strings and
/// Substrings, small (stored inline) and large, with the needle's bytes taken in place.
final class StringSearchTests: XCTestCase {
    func testIncludesFindsBytesAnywhere() {
        let long = String(repeating: "prose ", count: 50) + "## Hot Pattern: root cause"
        for (text, needle, expected) in [
            ("hot pattern", "hot pattern", true), ("a hot pattern here", "hot pattern", true),
            ("hot patter", "hot pattern", false), ("", "", true), ("anything", "", true), ("", "x", false),
            (long.lowercased(), "hot pattern", true), (long, "hot pattern", false), (long, "root cause", true),
            ("Grüße: root cause", "root cause", true), ("Grüße", "üß", true), ("Gruße", "üß", false),
            ("timeline", "timelines", false), ("symptoms", "symptom", true),
        ] {
            XCTAssertEqual(text.includes(needle), expected, "\(text.prefix(20)) / \(needle)")
            XCTAssertEqual(text.includes(needle), text.contains(needle) || needle.isEmpty, "agrees with contains")
            let sliced = ("[" + text + "]").dropFirst().dropLast()
            XCTAssertEqual(sliced.includes(needle), expected, "as a Substring")
            XCTAssertEqual(
                text.includes(String(repeating: needle, count: 1) + ""), expected, "a needle made at run time")
        }
    }
}

/// A front matter's `---` and `...` lines are found on the bytes: the same lines as trimming
/// trailing whitespace Characters and comparing.
final class MarkerLineTests: XCTestCase {
    func testMarkerLinesAreThoseOfTheCharacterDefinition() {
        let lines = [
            "---", "--- ", "---\t\r", "---  \t", "----", "--", "-- -", "---x", "--- \u{301}", "-\u{301}--",
            "---\u{301}",
            "...", ". ..", "....", "...\r", "", " ---", "   ---", "—", "---\n", "-\r--", "\r",
        ]
        for line in lines {
            let sliced = ("[" + line + "]").dropFirst().dropLast()
            let trimmed = sliced.trimmingTrailingWhitespace
            XCTAssertEqual(LayoutReader.isFence(sliced), trimmed == "---", line.debugDescription)
            XCTAssertEqual(LayoutReader.isEnd(sliced), trimmed == "---" || trimmed == "...", line.debugDescription)
        }
        XCTAssertTrue(LayoutReader.isFence("---  \r"))
        XCTAssertTrue(LayoutReader.isEnd("..."))
        XCTAssertFalse(LayoutReader.isFence("..."))
    }
}

/// Metadata keys are compared normalised: lower case, `_`, spaces and camel case as `-`.
final class NormalizedKeyTests: XCTestCase {
    func testKeysAreNormalised() {
        for (key, expected) in [
            ("title", "title"), ("retention-period", "retention-period"), ("Retention-Period", "retention-period"),
            ("retentionPeriod", "retention-period"), ("retention_period", "retention-period"),
            ("Retention Period", "retention-period"), ("-x", "x"), ("x-", "x"), ("--", ""), ("", ""), ("a1b", "a1b"),
            ("HIPAA", "hipaa"), ("phiContains", "phi-contains"), ("soc2", "soc2"), ("iso27001-2022", "iso27001-2022"),
            ("a-much-longer-key-than-fifteen-bytes", "a-much-longer-key-than-fifteen-bytes"),
            ("aMuchLongerKeyThanFifteenBytes", "a-much-longer-key-than-fifteen-bytes"),
        ] {
            XCTAssertEqual(YAMLNode.normalizedKey(key), expected, key)
            XCTAssertEqual(YAMLNode.normalizedKey(String(("[" + key + "]").dropFirst().dropLast())), expected, key)
        }
    }
}
