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
