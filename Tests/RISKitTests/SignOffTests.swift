import Foundation
import RISKit
import XCTest

/// `SignOff.completing`: the body's sign-off lines completed by a review, byte for byte.
final class SignOffTests: XCTestCase {
    private func complete(_ text: String, reviewer: String = "Ann Lee", day: String = "2026-11-20") -> (
        String, [String]
    ) {
        let data = Data(text.utf8)
        let document = DocumentParser.parse(data: data, path: "docs/RIS-100-x.md")
        let result = SignOff.completing(in: data, document: document, reviewer: reviewer, day: day)
        return (String(decoding: result.data, as: UTF8.self), result.changed)
    }

    func testPendingFieldsAreCompletedAndNothingElseChanges() {
        let text = """
            # RIS-100: Disk full

            **Severity:** HIGH
            **Status:** Pending

            ## Resolution

            Reviewed By: the on-call engineer, Pending a call.

            ---

            **Created By:** Claude Code Agent
            **Reviewed By:** Pending
            **Sign-Off:** Pending user confirmation
            **Impact Assessment:** CRITICAL

            """
        let (completed, changed) = complete(text)
        XCTAssertEqual(changed, ["Reviewed By", "Sign-Off"])
        XCTAssertEqual(
            completed,
            text.replacingOccurrences(of: "**Reviewed By:** Pending", with: "**Reviewed By:** Ann Lee")
                .replacingOccurrences(
                    of: "**Sign-Off:** Pending user confirmation", with: "**Sign-Off:** Ann Lee, 2026-11-20"))
    }

    func testAGivenSignOffStaysAndANewReviewReplacesTheReviewer() {
        let text =
            "# RIS-100: X\n\n---\n\n**Reviewed By:** Bo Chen\n**Review Date:** 2026-08-01\n**Sign-Off:** Approved (CISO)\n"
        let (completed, changed) = complete(text)
        XCTAssertEqual(changed, ["Reviewed By", "Review Date"])
        XCTAssertEqual(
            completed,
            "# RIS-100: X\n\n---\n\n**Reviewed By:** Ann Lee\n**Review Date:** 2026-11-20\n**Sign-Off:** Approved (CISO)\n"
        )
    }

    func testCRLFAnEmptyValueAndNoLastNewlineAreKept() {
        let text = "# RIS-100: X\r\n\r\n---\r\n\r\n**Reviewed By:**\r\n**Sign-Off:** TBD"
        let (completed, changed) = complete(text)
        XCTAssertEqual(changed, ["Reviewed By", "Sign-Off"])
        XCTAssertEqual(
            completed, "# RIS-100: X\r\n\r\n---\r\n\r\n**Reviewed By:** Ann Lee\r\n**Sign-Off:** Ann Lee, 2026-11-20")
    }

    func testARecordWithoutSignOffLinesIsUnchanged() {
        let text = "# RIS-100: X\n\n**Severity:** HIGH\n"
        let (completed, changed) = complete(text)
        XCTAssertEqual(changed, [])
        XCTAssertEqual(completed, text)
    }

    func testWhatCountsAsPending() {
        for value in ["Pending", "pending user confirmation", "", "  ", "TBD"] {
            XCTAssertTrue(SignOff.isPending(value), value)
        }
        for value in ["Ann Lee, 2026-11-20", "Approved", "Pendleton", "N/A", "-"] {
            XCTAssertFalse(SignOff.isPending(value), value)
        }
    }

    func testTheLineIsFoundByItsLabelWhereverTheReadingCountedIt() {
        // A link across two lines above the field, and a lone CR: the reading's line numbers
        // and the file's may differ; the label decides.
        let text =
            "# RIS-100: X\n\n**Severity:** HIGH\n**Notes:** [see\nPending items](https://x)\n**Reviewed By:** Pending\n"
        let (completed, changed) = complete(text)
        XCTAssertEqual(changed, ["Reviewed By"])
        XCTAssertEqual(
            completed, text.replacingOccurrences(of: "**Reviewed By:** Pending", with: "**Reviewed By:** Ann Lee"))

        let carriage =
            "# RIS-100: X\n\n**Severity:** HIGH\r**Status:** OPEN\n\n---\n\n**Reviewed By:** Pending\n**Sign-Off:** Pending\n"
        let (fixed, names) = complete(carriage)
        XCTAssertEqual(names, ["Reviewed By", "Sign-Off"])
        XCTAssertEqual(
            fixed,
            "# RIS-100: X\n\n**Severity:** HIGH\r**Status:** OPEN\n\n---\n\n**Reviewed By:** Ann Lee\n**Sign-Off:** Ann Lee, "
                + "2026-11-20\n")
    }

    func testAValueWithALinkAnImageOrMarkupIsLeftAlone() {
        for line in [
            "**Sign-Off:** ![](signatures/ciso-2026-01-20.png) ", "**Reviewed By:** [jdoe](https://github.com/jdoe)",
            "**Reviewed By:** &nbsp;",
        ] {
            let text = "# RIS-100: X\n\n---\n\n\(line)\n"
            let (completed, changed) = complete(text, reviewer: "asmith")
            XCTAssertEqual(completed, text, line)
            XCTAssertEqual(changed, [], line)
        }
        // One emphasis or code span around the value, the colon after the bold: still a plain value.
        let emphasised = "# RIS-100: X\n\n---\n\n**Reviewed By:** *Pending*\n**Sign-Off**: `TBD`\n"
        XCTAssertEqual(
            complete(emphasised).0,
            "# RIS-100: X\n\n---\n\n**Reviewed By:** *Ann Lee*\n**Sign-Off**: `Ann Lee, 2026-11-20`\n")
    }

    func testTheNameIsWrittenAsTextAndEachFieldReportedOnce() {
        let text = "# RIS-100: X\n\n**Reviewed By:** Pending\n\n---\n\n**Reviewed By:** Pending\n"
        let (completed, changed) = complete(text, reviewer: "[x](y) *A*")
        XCTAssertEqual(changed, ["Reviewed By"])
        XCTAssertEqual(
            completed.components(separatedBy: "**Reviewed By:** \\[x\\](y) \\*A\\*\n").count - 1, 2, completed)
        let document = DocumentParser.parse(data: Data(completed.utf8), path: "docs/RIS-100-x.md")
        XCTAssertEqual(document.fields.filter { $0.name == "Reviewed By" }.map(\.value), ["[x](y) *A*", "[x](y) *A*"])
    }
}

/// `SignOff.completing` on every markdown file of the repository and on variants of them with
/// sign-off lines in many forms: only sign-off value bytes ever change.
final class SignOffCorpusTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func files() -> [(String, Data)] {
        var found: [(String, Data)] = []
        for folder in ["examples/kb", "Tests/risTests/Fixtures", "Tests/corpus/handwritten", "docs"] {
            let root = SignOffCorpusTests.repository.appendingPathComponent(folder)
            for path in FileManager.default.subpaths(atPath: root.path) ?? [] where path.hasSuffix(".md") {
                if let data = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) {
                    found.append((folder + "/" + path, data))
                }
            }
        }
        return found
    }

    /// Sign-off footers as teams write them, good and bad.
    static let footers = [
        "\n---\n\n**Reviewed By:** Pending\n**Sign-Off:** Pending user confirmation\n",
        "\r\n---\r\n\r\n**Reviewed By:**\r\n**Sign-Off:** TBD\r\n",
        "\n---\n\n**Reviewed By**: *Pending*\n**Review Date:** `TBD`\n**Sign-Off:** ![sig](s.png)\n",
        "\n---\n\n**Reviewed By:** [Bo](https://x/Pending)\n**Sign-Off:** Pending <!-- Pending -->\n",
        "\n**Reviewed By:** Pending **Sign-Off:** Pending\n",
        "\n> **Reviewed By:** Pending\n\n```\n**Sign-Off:** Pending\n```\n",
        "\n**Sign-Off:** Pending\r**Reviewed By:** Pending",
    ]

    func testOnlySignOffValuesChange() {
        var variants = 0
        var completed = 0
        for (path, data) in files() {
            for footer in [""] + SignOffCorpusTests.footers {
                var bytes = data
                bytes.append(Data(footer.utf8))
                let name = "docs/RIS-100-" + (path as NSString).lastPathComponent
                let document = DocumentParser.parse(data: bytes, path: name)
                let result = SignOff.completing(in: bytes, document: document, reviewer: "Ann *Lee*", day: "2026-11-20")
                variants += 1
                if result.changed.isEmpty {
                    XCTAssertEqual(result.data, bytes, "\(path) + \(footer.debugDescription): changed but said nothing")
                    continue
                }
                completed += 1
                let before = String(decoding: bytes, as: UTF8.self).split(omittingEmptySubsequences: false) {
                    $0 == "\n" || $0 == "\r" || $0 == "\r\n"
                }
                let after = String(decoding: result.data, as: UTF8.self).split(omittingEmptySubsequences: false) {
                    $0 == "\n" || $0 == "\r" || $0 == "\r\n"
                }
                XCTAssertEqual(before.count, after.count, "\(path): lines added or removed")
                for (old, new) in zip(before, after) where old != new {
                    // A changed line is a sign-off field line, changed after its label only.
                    let label = ["Reviewed By", "Sign-Off", "Review Date"].first { old.contains("**\($0)") }
                    XCTAssertNotNil(label, "\(path): a line that is no sign-off field changed: \(old.debugDescription)")
                    if let colon = old.firstIndex(of: ":") {
                        XCTAssertEqual(
                            old[..<colon], new[..<(new.firstIndex(of: ":") ?? new.endIndex)],
                            "\(path): the label changed")
                    }
                    XCTAssertTrue(new.contains("Ann \\*Lee\\*") || new.contains("2026-11-20"), "\(new)")
                }
                // The completed record reads with no more pending sign-off fields than before (a
                // value left alone, a link say, stays as it was; every line changed holds the name
                // or the day, checked above).
                func pending(_ document: RISDocument) -> Int {
                    document.fields.filter { SignOff.isSignOffField($0.name) && SignOff.isPending($0.value) }.count
                }
                let again = DocumentParser.parse(data: result.data, path: name)
                XCTAssertLessThanOrEqual(pending(again), pending(document), path)
                XCTAssertEqual(again.fields.count, document.fields.count, "\(path): fields gained or lost")
            }
        }
        XCTAssertGreaterThan(variants, 100)
        XCTAssertGreaterThan(completed, 50)
    }
}
