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
        for value in ["Pending", "pending user confirmation", "", "  ", "TBD", "-", "N/A"] {
            XCTAssertTrue(SignOff.isPending(value), value)
        }
        for value in ["Ann Lee, 2026-11-20", "Approved", "Pendleton"] {
            XCTAssertFalse(SignOff.isPending(value), value)
        }
    }
}
