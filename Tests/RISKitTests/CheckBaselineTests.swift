import Foundation
import RISKit
import XCTest

/// The baseline of accepted findings, the summary by rule and the grouping of `ris check`.
final class CheckBaselineTests: XCTestCase {
    private func finding(
        _ path: String, _ rule: String, _ message: String, line: Int = 1, _ severity: FindingSeverity = .error
    )
        -> Finding
    {
        Finding(path: path, line: line, column: 1, severity: severity, rule: rule, message: message)
    }

    func testAnEntryAcceptsAsManyFindingsAsItIsWrittenWhateverTheLine() {
        let known = [finding("a.md", "r", "m", line: 3), finding("a.md", "r", "m", line: 9), finding("b.md", "s", "n")]
        let baseline = CheckBaseline(findings: known)
        let now = [
            finding("a.md", "r", "m", line: 4), finding("a.md", "r", "m", line: 10),
            finding("a.md", "r", "m", line: 11),
            finding("c.md", "s", "n"),
        ]
        let applied = baseline.apply(to: now)
        XCTAssertEqual(applied.accepted.map(\.line), [4, 10])
        XCTAssertEqual(applied.new.map(\.path), ["a.md", "c.md"], "a third identical finding is new")
        XCTAssertEqual(applied.stale, [CheckBaseline.Entry(path: "b.md", rule: "s", message: "n")])
    }

    func testTheFileRoundTripsSortedAndRefusesOtherShapes() throws {
        let baseline = CheckBaseline(findings: [finding("b.md", "r", "m"), finding("a.md", "r", "m")])
        let data = baseline.encoded()
        XCTAssertEqual(try CheckBaseline(data: data), baseline)
        XCTAssertEqual(baseline.findings.map(\.path), ["a.md", "b.md"])
        XCTAssertEqual(data.last, 0x0A)
        XCTAssertThrowsError(try CheckBaseline(data: Data("{\"findings\": 3}".utf8)))
        XCTAssertThrowsError(try CheckBaseline(data: Data("{\"version\": 2, \"findings\": []}".utf8)))
    }

    func testTheSummaryPutsErrorsFirstThenTheLargestCounts() {
        let summary = RuleSummary.of([
            finding("a.md", "w", "x", .warning), finding("b.md", "w", "x", .warning),
            finding("b.md", "w", "y", .warning),
            finding("a.md", "e", "x"), finding("a.md", "mixed", "x", .info), finding("a.md", "mixed", "y", .error),
            finding("c.md", "d", "x"),
        ])
        XCTAssertEqual(summary.map(\.rule), ["mixed", "d", "e", "w"], "errors, the largest count first, then by name")
        XCTAssertEqual(summary.map(\.severity), [.error, .error, .error, .warning])
        XCTAssertEqual(summary.last?.findings, 3)
        XCTAssertEqual(summary.last?.files, 2)
    }

    func testGroupsKeepTheOrderOfTheirFirstFinding() {
        let groups = FindingGroup.of([
            finding("a.md", "r", "m"), finding("a.md", "s", "n"), finding("b.md", "r", "m"),
            finding("b.md", "r", "other"),
        ])
        XCTAssertEqual(groups.map(\.message), ["m", "n", "other"])
        XCTAssertEqual(groups[0].findings.map(\.path), ["a.md", "b.md"])
    }

    func testTheNearestRuleName() {
        XCTAssertEqual(Spelling.nearest("retention-missng", among: ComplianceCheck.ruleNames), "retention-missing")
        XCTAssertEqual(Spelling.nearest("sign-of-pending", among: ComplianceCheck.ruleNames), "sign-off-pending")
        XCTAssertNil(Spelling.nearest("everything", among: ComplianceCheck.ruleNames))
    }
}
