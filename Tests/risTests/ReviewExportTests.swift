import Foundation
import XCTest

/// `ris review export` through the built binary, cell by cell on a small knowledge base.
final class ReviewExportTests: XCTestCase {
    var folder: TemporaryFolder!

    override func setUpWithError() throws {
        folder = try TemporaryFolder()
        XCTAssertEqual(try Binary.run(["init"], in: folder.url).status, 0)
        try folder.write(
            "r/a.md",
            """
            ---
            compliance:
              hipaa:
                access-audit-required: true
                controls: [164.312(b)]
                encryption-required: true
                phi-contains: patient-ids
                retention-period: 7-years
                review-frequency: quarterly
            created: '2026-01-05'
            last-reviewed: '2026-02-01'
            reviewed-by: Dana Scully
            ---
            # RIS-101: Audit log gap, "quoted", with commas

            **Severity:** HIGH
            """)
        try folder.write(
            "r/b.md",
            """
            ---
            compliance:
              iso27001:
                classification: confidential
                controls: [A.12.4.1]
                retention-period: 6-years
                review-frequency: annual
            created: '2019-01-01'
            ---
            # RIS-102: Old backup restore

            **Severity:** LOW

            ---

            **Sign-Off:** Pending
            """)
        try folder.write("r/c.md", "# RIS-103: No compliance block\n\n**Severity:** LOW\n")
    }

    func export(_ format: String, _ extra: [String] = []) throws -> RunResult {
        let result = try Binary.run(
            ["review", "export", "--quarter", "2026-Q1", "--format", format] + extra, in: folder.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        return result
    }

    func testCSVCellByCell() throws {
        let csv = try export("csv").stdout
        let lines = csv.components(separatedBy: "\r\n")
        XCTAssertEqual(lines.count, 5, "header, three records, and the final line end")
        XCTAssertEqual(
            lines[0],
            "id,title,path,frameworks,controls,classification,phi class,encryption required,access audit "
                + "required,evidence type,retention period,retention until,retention state,review frequency,last "
                + "reviewed,reviewed by,next due,review state,sign-off,findings"
        )
        XCTAssertEqual(
            lines[1],
            #"RIS-101,"Audit log gap, ""quoted"", with commas",r/a.md,hipaa,hipaa:164.312(b) (Audit controls),,"#
                + #"patient-ids,true,true,,7-years,2033-01-05,kept,quarterly,2026-02-01,Dana Scully,2026-05-01,"#
                + #"reviewed this quarter,,0"#
        )
        XCTAssertEqual(
            lines[2],
            "RIS-102,Old backup restore,r/b.md,iso27001,iso27001:A.12.4.1 (Event "
                + "logging),confidential,,false,false,,6-years,2025-01-01,expired,annual,,,2020-01-01,"
                + "overdue,Pending,4",
            "never reviewed: no last review (not its creation date); due a year after its creation"
        )
        XCTAssertEqual(
            lines[3], "RIS-103,No compliance block,r/c.md,,,,,false,false,,,,,,,,,missing metadata,,1",
            "a record without compliance metadata is in the review, said so")
        XCTAssertEqual(lines[4], "")
        XCTAssertEqual(try export("csv").stdout, csv, "same inputs, same bytes")
        // As of an earlier day, a review dated later does not count as done this quarter.
        let early = try export("csv", ["--as-of", "2026-01-15"]).stdout.components(separatedBy: "\r\n")
        XCTAssertTrue(
            early[1].hasSuffix(",2026-05-01,not due,,0"),
            "the February review is not yet in this quarter as of January 15: \(early[1])")
    }

    func testJSONMarkdownAndHTML() throws {
        let json = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: try export("json").stdoutData) as? [String: Any])
        XCTAssertEqual(json["quarter"] as? String, "2026-Q1")
        XCTAssertEqual(json["asOf"] as? String, "2026-03-31")
        XCTAssertEqual(
            json["summary"] as? [String: Int],
            [
                "records": 3, "retention: kept": 1, "retention: expired": 1,
                "review: reviewed this quarter": 1, "review: overdue": 1, "review: missing metadata": 1,
            ])
        let records = try XCTUnwrap(json["records"] as? [[String: Any]])
        XCTAssertEqual(records.map { $0["id"] as? String }, ["RIS-101", "RIS-102", "RIS-103"])
        XCTAssertEqual(records[0]["retentionUntil"] as? String, "2033-01-05")
        let coverage = try XCTUnwrap(json["coverage"] as? [[String: Any]])
        XCTAssertEqual(coverage.count, 337, "every control of the catalog")
        XCTAssertEqual(coverage.first { $0["id"] as? String == "164.312(b)" }?["records"] as? [String], ["r/a.md"])
        XCTAssertEqual(coverage.first { $0["id"] as? String == "164.312(a)(1)" }?["records"] as? [String], [])

        let markdown = try export("md").stdout
        XCTAssertTrue(markdown.hasPrefix("# Compliance review 2026-Q1\n\nAs of 2026-03-31.\n"))
        XCTAssertTrue(markdown.contains("| review: overdue | 1 |"))
        XCTAssertTrue(markdown.contains("| hipaa security-rule | 164.312(b) | Audit controls | r/a.md |"))
        XCTAssertTrue(markdown.contains("- hipaa security-rule 164.312(a)(1): Access control"))

        let html = try export("html").stdout
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.contains("<td>Audit log gap, &quot;quoted&quot;, with commas</td>"))
        for forbidden in ["http:", "https:", "<script", "<link", "src=", "url(", "@import"] {
            XCTAssertFalse(html.lowercased().contains(forbidden), "no external reference: \(forbidden)")
        }
        let file = folder.url.appendingPathComponent("review.html")
        let written = try Binary.run(
            ["review", "export", "--quarter", "2026-Q1", "--format", "html", "--output", file.path], in: folder.url)
        XCTAssertEqual(written.status, 0, written.stderr)
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), html)
        XCTAssertEqual(try Binary.run(["review", "export", "--quarter", "2026-Q5"], in: folder.url).status, 2)
    }
}
