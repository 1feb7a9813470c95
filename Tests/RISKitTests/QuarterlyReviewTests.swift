import Foundation
import RISKit
import XCTest

/// `ris review export`: quarter bounds, rows, summary and the CSV cell rules.
final class QuarterlyReviewTests: XCTestCase {
    private func record(_ id: String, _ yaml: String) -> RISDocument {
        let text = "---\n" + yaml + "---\n\n# \(id): Record \(id)\n\n**Severity:** HIGH\n"
        return DocumentParser.parse(data: Data(text.utf8), path: "docs/\(id).md")
    }

    private func day(_ text: String) -> Date { Day.parse(text)! }

    // MARK: Bounds

    func testTheLastQuarterThatHasEnded() {
        XCTAssertEqual(Quarter.lastComplete(before: CalendarDay("2026-11-28")!).description, "2026-Q3")
        XCTAssertEqual(Quarter.lastComplete(before: CalendarDay("2026-10-01")!).description, "2026-Q3")
        XCTAssertEqual(Quarter.lastComplete(before: CalendarDay("2026-09-30")!).description, "2026-Q2")
        XCTAssertEqual(Quarter.lastComplete(before: CalendarDay("2026-01-01")!).description, "2025-Q4")
        XCTAssertEqual(Quarter.lastComplete(before: CalendarDay("2026-03-31")!).description, "2025-Q4")
    }

    func testBoundsOfEachQuarter() throws {
        let q1 = try QuarterlyReview.bounds(of: "2026-Q1")
        XCTAssertEqual([Day.format(q1.0), Day.format(q1.1)], ["2026-01-01", "2026-03-31"])
        let q2 = try QuarterlyReview.bounds(of: "2026-q2")
        XCTAssertEqual([Day.format(q2.0), Day.format(q2.1)], ["2026-04-01", "2026-06-30"])
        let q4 = try QuarterlyReview.bounds(of: "2025-Q4")
        XCTAssertEqual([Day.format(q4.0), Day.format(q4.1)], ["2025-10-01", "2025-12-31"])
    }

    func testInvalidQuartersAreRefused() {
        for text in ["2026-Q5", "2026-Q0", "26-Q1", "2026Q1", "2026-Q01", "2026-1", "Q1-2026", ""] {
            XCTAssertThrowsError(try QuarterlyReview.bounds(of: text), text) { error in
                XCTAssertEqual(
                    (error as? RISKitError)?.description,
                    "a quarter is written like 2026-Q1, not '\(text)'")
            }
        }
    }

    // MARK: Rows and summary

    private var documents: [RISDocument] {
        [
            // Quarterly from 2025-12-01: due 2026-03-01, inside the quarter.
            record(
                "RIS-003",
                """
                created: 2025-12-01
                compliance:
                  hipaa:
                    controls: ["164.312(b)"]
                    retention-period: 6-years
                    review-frequency: quarterly
                    classification: confidential

                """),
            // Reviewed in the quarter; kept 6 years from 2020-02-01: expired on 2026-02-01.
            record(
                "RIS-001",
                """
                created: 2020-02-01
                last-reviewed: 2026-01-20
                reviewed-by: Dana
                compliance:
                  soc2:
                    controls: [CC99.9]
                    retention-period: 6-years
                    review-frequency: annual

                """),
            // Monthly from 2025-11-01: overdue; retention ends 2026-03-01, inside the quarter.
            record(
                "RIS-002",
                """
                created: 2020-03-01
                last-reviewed: 2025-11-01
                compliance:
                  soc2:
                    retention-period: 72-months
                    review-frequency: monthly

                """),
            // Annual from 2025-06-01: not due this quarter.
            record(
                "RIS-004",
                """
                created: 2025-06-01
                compliance:
                  iso27001:
                    retention-period: 3-years
                    review-frequency: annual

                """),
            // No compliance metadata: in the review, said so.
            record("RIS-005", "created: 2025-06-01\n"),
        ]
    }

    func testOneRowPerRecordInIDOrder() throws {
        let review = try QuarterlyReview(
            quarter: "2026-q1", asOf: day("2026-02-15"), documents: documents, findings: [])
        XCTAssertEqual(review.quarter, "2026-Q1")
        XCTAssertEqual(review.asOf, "2026-02-15")
        XCTAssertEqual(review.rows.map(\.id), ["RIS-001", "RIS-002", "RIS-003", "RIS-004", "RIS-005"])
        XCTAssertEqual(
            review.rows.map(\.reviewState),
            ["reviewed this quarter", "overdue", "due this quarter", "not due", "missing metadata"])
        XCTAssertEqual(review.rows.map(\.nextDue), ["2027-01-20", "2025-12-01", "2026-03-01", "2026-06-01", ""])
        XCTAssertEqual(
            review.rows.map(\.retentionUntil), ["2026-02-01", "2026-03-01", "2031-12-01", "2028-06-01", ""])
        XCTAssertEqual(
            review.rows.map(\.retentionState), ["expired", "expires this quarter", "kept", "kept", "missing metadata"])
        // Only a review is a last review: a record never reviewed shows none (its next due date
        // still counts from its creation).
        XCTAssertEqual(review.rows.map(\.lastReviewed), ["2026-01-20", "2025-11-01", "", "", ""])
    }

    func testRowValues() throws {
        let review = try QuarterlyReview(
            quarter: "2026-Q1", asOf: day("2026-02-15"), documents: documents,
            findings: [
                Finding(path: "docs/RIS-001.md", line: 1, column: 1, severity: .warning, rule: "r", message: "m"),
                Finding(path: "docs/RIS-001.md", line: 2, column: 1, severity: .error, rule: "r", message: "m"),
            ])
        let first = try XCTUnwrap(review.rows.first)
        XCTAssertEqual(first.controls, ["soc2:CC99.9 (unknown)"])
        XCTAssertEqual(first.findingDetails.map(\.rule), ["r", "r"])
        XCTAssertEqual(first.lastReviewed, "2026-01-20")
        XCTAssertEqual(first.reviewedBy, "Dana")
        XCTAssertEqual(first.findings, 2)
        let hipaa = review.rows[2]
        XCTAssertEqual(hipaa.frameworks, ["hipaa"])
        XCTAssertEqual(hipaa.controls, ["hipaa:164.312(b)"], "by ID; the title is in the controls cited")
        XCTAssertEqual(review.citedControls.map(\.title), ["Audit controls"])
        XCTAssertEqual(hipaa.classification, "confidential")
        XCTAssertEqual(hipaa.retentionPeriod, "6-years")
        XCTAssertEqual(hipaa.reviewFrequency, "quarterly")
        XCTAssertEqual(hipaa.findings, 0)
        XCTAssertEqual(
            review.coverage.first { $0.control.framework == "hipaa" && $0.control.id == "164.312(b)" }?.paths,
            ["docs/RIS-003.md"])
    }

    func testSummaryCountsEachState() throws {
        let review = try QuarterlyReview(
            quarter: "2026-Q1", asOf: day("2026-02-15"), documents: documents, findings: [])
        XCTAssertEqual(
            review.summary,
            [
                "records": 5,
                "retention: expired": 1, "retention: expires this quarter": 1, "retention: kept": 2,
                "review: reviewed this quarter": 1, "review: overdue": 1, "review: due this quarter": 1,
                "review: not due": 1, "review: missing metadata": 1, "retention: missing metadata": 1,
            ])
    }

    func testAsOfDefaultsToTheQuartersLastDay() throws {
        let review = try QuarterlyReview(quarter: "2026-Q1", asOf: nil, documents: documents, findings: [])
        XCTAssertEqual(review.asOf, "2026-03-31")
        // Due 2026-03-01 is past by the last day; retention ended 2026-03-01 is past too.
        XCTAssertEqual(review.rows[2].reviewState, "overdue")
        XCTAssertEqual(review.rows[1].retentionState, "expired")
        XCTAssertThrowsError(try QuarterlyReview(quarter: "2026-Q9", asOf: nil, documents: documents, findings: []))
    }

    func testTheCSVHasAHeaderAndOneCRLFLinePerRow() throws {
        let review = try QuarterlyReview(
            quarter: "2026-Q1", asOf: day("2026-02-15"), documents: documents, findings: [])
        let lines = review.csv.components(separatedBy: "\r\n")
        XCTAssertEqual(lines.count, 7)
        XCTAssertEqual(
            lines[0],
            "id,title,path,frameworks,controls,classification,phi class,encryption required,"
                + "access audit required,evidence type,retention period,retention until,retention state,review "
                + "frequency,"
                + "last reviewed,reviewed by,next due,review state,sign-off,findings,kind,sha256")
        XCTAssertEqual(
            lines[1],
            "RIS-001,Record RIS-001,docs/RIS-001.md,soc2,soc2:CC99.9 (unknown),,,false,false,,6-years,"
                + "2026-02-01,expired,annual,2026-01-20,Dana,2027-01-20,reviewed this quarter,,0,record,")
        XCTAssertEqual(
            lines[5],
            "RIS-005,Record RIS-005,docs/RIS-005.md,,,,,false,false,,,,missing metadata,,,,,missing metadata,,0,record,"
        )
        XCTAssertEqual(lines[6], "")
    }

    func testEveryRecordHasAStateAndTimestampsReadAsDays() throws {
        let documents = [
            // No created date: nothing to count from, said in both states.
            record(
                "RIS-010",
                """
                compliance:
                  soc2:
                    retention-period: 7-years
                    review-frequency: annual

                """),
            // No review frequency and no retention period.
            record("RIS-011", "created: 2025-06-01\ncompliance:\n  soc2:\n    controls: [CC7.2]\n"),
            // ISO 8601 timestamps, as tools write them.
            record(
                "RIS-012",
                """
                created: 2025-06-01T00:00:00Z
                last-reviewed: 2026-02-02T10:00:00Z
                compliance:
                  soc2:
                    retention-period: 7-years
                    review-frequency: quarterly

                """),
        ]
        let review = try QuarterlyReview(
            quarter: "2026-Q1", asOf: day("2026-02-15"), documents: documents, findings: [])
        XCTAssertEqual(
            review.rows.map(\.reviewState), ["no created date", "no review frequency", "reviewed this quarter"])
        XCTAssertEqual(review.rows.map(\.retentionState), ["no created date", "no retention period", "kept"])
        XCTAssertEqual(review.rows.map(\.lastReviewed), ["", "", "2026-02-02"])
        XCTAssertEqual(review.rows[2].nextDue, "2026-05-02")
        XCTAssertEqual(review.rows[2].retentionUntil, "2032-06-01")
    }

    // MARK: CSV cells

    func testFormulasAreNeutralised() {
        XCTAssertEqual(CSV.cell("=1+2"), "'=1+2")
        XCTAssertEqual(CSV.cell("@SUM(A1:A9)"), "'@SUM(A1:A9)")
        XCTAssertEqual(CSV.cell("+cmd"), "'+cmd")
        XCTAssertEqual(CSV.cell("-1-2"), "'-1-2")
        XCTAssertEqual(CSV.cell("  =HYPERLINK(x)"), "'  =HYPERLINK(x)")
        XCTAssertEqual(CSV.cell("\u{FF1D}1+1"), "'\u{FF1D}1+1")
    }

    func testPlainNumbersDatesAndTextAreUnchanged() {
        XCTAssertEqual(CSV.cell("-12"), "-12")
        XCTAssertEqual(CSV.cell("+3"), "+3")
        XCTAssertEqual(CSV.cell("-0.5"), "-0.5")
        XCTAssertEqual(CSV.cell("2026-03-31"), "2026-03-31")
        XCTAssertEqual(CSV.cell("Disk full"), "Disk full")
        XCTAssertEqual(CSV.cell(""), "")
    }

    func testQuotingOnSeparatorsQuotesAndLineBreaks() {
        XCTAssertEqual(CSV.cell("a,b"), "\"a,b\"")
        XCTAssertEqual(CSV.cell("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(CSV.cell("a\r\nb"), "\"a\r\nb\"")
        XCTAssertEqual(CSV.cell("a\rb"), "\"a\rb\"")
        XCTAssertEqual(CSV.cell("a;b"), "\"a;b\"")
        XCTAssertEqual(CSV.cell("a\tb"), "\"a\tb\"")
        XCTAssertEqual(CSV.row(["RIS-001", "x,y", "-5"]), "RIS-001,\"x,y\",-5")
    }

    func testAFormulaAfterASemicolonOrTabGetsAQuoteToo() {
        XCTAssertEqual(CSV.cell("Outage;=cmd|' /C calc'!A0"), "\"Outage;'=cmd|' /C calc'!A0\"")
        XCTAssertEqual(CSV.cell("a;  @x"), "\"a;'  @x\"")
        XCTAssertEqual(CSV.cell("a\t+b"), "\"a\t'+b\"")
        XCTAssertEqual(CSV.cell("a; b"), "\"a; b\"")
        // A leading tab starts a formula, and so does the `=` after it.
        XCTAssertEqual(CSV.cell("\t=1"), "\"'\t'=1\"")
    }

    /// Year 0 is no year of the calendar: refused, not a crash.
    func testTheYearZeroIsNoQuarter() {
        XCTAssertThrowsError(try QuarterlyReview.bounds(of: "0000-Q1")) { error in
            XCTAssertEqual("\(error)", "a quarter is written like 2026-Q1, not '0000-Q1'")
        }
        XCTAssertNil(Quarter("0000-Q4"))
        XCTAssertEqual(Quarter("0001-q1")?.description, "0001-Q1")
    }
}
