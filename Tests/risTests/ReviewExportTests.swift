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

    /// 2026-04-02T10:00:00Z: the generation time `SOURCE_DATE_EPOCH` fixes, so the same files give the same bytes.
    static let epoch = "1775124000"

    func export(_ format: String, _ extra: [String] = []) throws -> RunResult {
        let result = try Binary.run(
            ["review", "export", "--quarter", "2026-Q1", "--format", format] + extra, in: folder.url,
            environment: ["SOURCE_DATE_EPOCH": Self.epoch, "RIS_ACTOR": "auditor@example.com"])
        XCTAssertEqual(result.status, 0, result.stderr)
        return result
    }

    /// SHA-256 of a file of the knowledge base, by another program.
    func sha256(_ path: String) throws -> String {
        let result = try Binary.runProgram("/usr/bin/sha256sum", [path], in: folder.url)
        return String(result.stdout.prefix(64))
    }

    func testCSVCellByCell() throws {
        let csv = try export("csv").stdout
        let lines = csv.components(separatedBy: "\r\n")
        XCTAssertEqual(lines.count, 5, "header, three records, and the final line end")
        XCTAssertEqual(
            lines[0],
            "id,title,path,frameworks,controls,classification,phi class,encryption required,access audit "
                + "required,evidence type,retention period,retention until,retention state,review frequency,last "
                + "reviewed,reviewed by,next due,review state,sign-off,findings,kind,sha256"
        )
        // Controls by ID (their titles are listed once, in the other formats); the SHA-256 of
        // the very bytes reviewed.
        XCTAssertEqual(
            lines[1],
            #"RIS-101,"Audit log gap, ""quoted"", with commas",r/a.md,hipaa,hipaa:164.312(b),,"#
                + #"patient-ids,true,true,,7-years,2033-01-05,kept,quarterly,2026-02-01,Dana Scully,2026-05-01,"#
                + #"reviewed this quarter,,0,record,"# + (try sha256("r/a.md"))
        )
        XCTAssertEqual(
            lines[2],
            "RIS-102,Old backup restore,r/b.md,iso27001,iso27001:A.12.4.1,confidential,,false,false,,6-years,"
                + "2025-01-01,expired,annual,,,2020-01-01,overdue,Pending,4,record," + (try sha256("r/b.md")),
            "never reviewed: no last review (not its creation date); due a year after its creation"
        )
        XCTAssertEqual(
            lines[3],
            "RIS-103,No compliance block,r/c.md,,,,,false,false,,,,missing metadata,,,,,missing metadata,,1,record,"
                + (try sha256("r/c.md")),
            "a record without compliance metadata is in the review, said so")
        XCTAssertEqual(lines[4], "")
        XCTAssertEqual(try export("csv").stdout, csv, "same inputs, same bytes")
        // As of an earlier day, a review dated later does not count as done this quarter.
        let early = try export("csv", ["--as-of", "2026-01-15"]).stdout.components(separatedBy: "\r\n")
        XCTAssertTrue(
            early[1].contains(",2026-05-01,not due,,0,record,"),
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
                "retention: missing metadata": 1,
            ])
        let records = try XCTUnwrap(json["records"] as? [[String: Any]])
        XCTAssertEqual(records.map { $0["id"] as? String }, ["RIS-101", "RIS-102", "RIS-103"])
        XCTAssertEqual(records[0]["retentionUntil"] as? String, "2033-01-05")
        // Coverage: the frameworks the records use, ISO in its 2022 edition (the 2013 A.12.4.1
        // cited counts for 8.15, the control it maps to).
        XCTAssertEqual(json["frameworks"] as? [String], ["hipaa", "iso27001"])
        let coverage = try XCTUnwrap(json["coverage"] as? [[String: Any]])
        XCTAssertEqual(Set(coverage.compactMap { $0["framework"] as? String }), ["hipaa", "iso27001"])
        XCTAssertEqual(
            Set(coverage.filter { $0["framework"] as? String == "iso27001" }.compactMap { $0["edition"] as? String }),
            ["2022"])
        XCTAssertEqual(coverage.first { $0["id"] as? String == "164.312(b)" }?["records"] as? [String], ["r/a.md"])
        XCTAssertEqual(coverage.first { $0["id"] as? String == "164.312(a)(1)" }?["records"] as? [String], [])
        XCTAssertEqual(coverage.first { $0["id"] as? String == "8.15" }?["records"] as? [String], ["r/b.md"])
        let cited = try XCTUnwrap(json["citedControls"] as? [[String: String]])
        XCTAssertEqual(cited.map { $0["id"] ?? "" }, ["164.312(b)", "A.12.4.1"])
        XCTAssertEqual(cited.map { $0["title"] ?? "" }, ["Audit controls", "Event logging"])
        // Findings listed per record, and the records needing action.
        let details = try XCTUnwrap(records[1]["findingDetails"] as? [[String: Any]])
        XCTAssertEqual(details.count, 4)
        XCTAssertEqual(
            Set(details.compactMap { $0["rule"] as? String }),
            ["control-superseded", "retention-expired", "review-overdue", "sign-off-pending"])
        let actions = try XCTUnwrap(json["actions"] as? [[String: String]])
        XCTAssertEqual(actions.map { $0["id"] ?? "" }, ["RIS-102", "RIS-103"])
        XCTAssertEqual(actions.first?["reason"], "review overdue since 2020-01-01; retention ended 2025-01-01")
        let provenance = try XCTUnwrap(json["provenance"] as? [String: Any])
        XCTAssertEqual(provenance["generatedBy"] as? String, "auditor@example.com")
        XCTAssertEqual(provenance["generatedAt"] as? String, "2026-04-02T10:00:00Z")
        XCTAssertTrue(provenance["gitCommit"] is NSNull, "not in git: null, as documented")
        XCTAssertTrue(provenance["gitDirty"] is NSNull)

        let markdown = try export("md").stdout
        XCTAssertTrue(markdown.hasPrefix("# Compliance review 2026-Q1\n\nAs of 2026-03-31.\n"))
        XCTAssertTrue(markdown.contains("| review: overdue | 1 |"))
        XCTAssertTrue(markdown.contains("### hipaa security-rule\n\n| control | title | records |"))
        XCTAssertTrue(markdown.contains("| 164.312(b) | Audit controls | RIS-101 |"))
        XCTAssertTrue(markdown.contains("| 8.15 | Logging | RIS-102 |"), markdown)
        XCTAssertTrue(markdown.contains("No record cites: 164.308(a)(1), 164.308(a)(1)(ii)(A), "))
        XCTAssertTrue(markdown.contains("## Sign-off\n"))
        XCTAssertTrue(markdown.contains("- generated by: auditor@example.com\n"))

        let html = try export("html").stdout
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.contains("<td>Audit log gap, &quot;quoted&quot;, with commas</td>"))
        for forbidden in ["http:", "https:", "<script", "<link", "src=", "url(", "@import"] {
            XCTAssertFalse(html.lowercased().contains(forbidden), "no external reference: \(forbidden)")
        }
        let file = folder.url.appendingPathComponent("review.html")
        let written = try export("html", ["--output", file.path])
        XCTAssertEqual(written.stdout, "")
        XCTAssertEqual(written.stderr, "wrote \(file.path): 3 records, 0 KB articles\n")
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), html)
        XCTAssertEqual(try Binary.run(["review", "export", "--quarter", "2026-Q5"], in: folder.url).status, 2)
        // Without --quarter, the last quarter that has ended (UTC).
        let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date())
        let current = ((parts.month ?? 1) - 1) / 3 + 1
        let expected =
            current == 1 ? "\((parts.year ?? 0) - 1)-Q4" : "\(parts.year ?? 0)-Q\(current - 1)"
        let byDefault = try Binary.run(["review", "export", "--format", "json"], in: folder.url)
        XCTAssertEqual(byDefault.status, 0, byDefault.stderr)
        XCTAssertEqual(
            (try JSONSerialization.jsonObject(with: byDefault.stdoutData) as? [String: Any])?["quarter"] as? String,
            expected)
    }

    func testProvenanceNamesTheCommitAndSaysWhenFilesDifferFromIt() throws {
        func git(_ arguments: [String]) throws {
            let result = try Binary.runProgram(
                "/usr/bin/git",
                ["-c", "user.email=a@example.com", "-c", "user.name=A", "-c", "commit.gpgsign=false"] + arguments,
                in: folder.url)
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        try git(["init", "-q"])
        try git(["add", "-A"])
        try git(["commit", "-qm", "records"])
        let head = try Binary.runProgram("/usr/bin/git", ["rev-parse", "HEAD"], in: folder.url).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        func provenance() throws -> [String: Any] {
            let json = try JSONSerialization.jsonObject(with: try export("json").stdoutData) as? [String: Any]
            return try XCTUnwrap(json?["provenance"] as? [String: Any])
        }
        let clean = try provenance()
        XCTAssertEqual(clean["gitCommit"] as? String, head)
        XCTAssertEqual(clean["gitDirty"] as? Bool, false, "the index and the trail under .ris/ do not count")
        XCTAssertEqual(clean["knowledgeBase"] as? String, folder.url.standardizedFileURL.path)
        XCTAssertEqual(
            clean["risVersion"] as? String,
            try Binary.run(["--version"], in: folder.url).stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        // The review's own output and other files beside the records do not count.
        _ = try export("html", ["--output", folder.url.appendingPathComponent("review-2026-Q1.html").path])
        try folder.write("scratch/notes.txt", "x")
        XCTAssertEqual(try provenance()["gitDirty"] as? Bool, false)
        XCTAssertEqual(try export("html").stdout, try export("html").stdout, "same files, same bytes")
        // A record not committed yet does.
        try folder.write("r/new/d.md", "# RIS-104: New\n")
        XCTAssertEqual(try provenance()["gitDirty"] as? Bool, true)
        try FileManager.default.removeItem(at: folder.url.appendingPathComponent("r/new"))
        try folder.write("r/a.md", "# RIS-101: Changed since the commit\n")
        XCTAssertEqual(try provenance()["gitDirty"] as? Bool, true)
        XCTAssertTrue(try export("md").stdout.contains("- git commit: \(head) (with uncommitted changes)\n"))
    }

    func testKBArticlesAreListedApartFromTheRecords() throws {
        try folder.write(
            "docs/05-kb/kb-audit-logs.md",
            "---\ncompliance:\n  hipaa:\n    retention-period: 6-years\n    review-frequency: annual\ncreated: "
                + "'2026-01-06'\n---\n# KB-AUD-001: Keeping audit logs\n\nDerived from RIS-101.\n")
        let json = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: try export("json").stdoutData) as? [String: Any])
        XCTAssertEqual(
            (json["records"] as? [[String: Any]])?.compactMap { $0["id"] as? String },
            ["RIS-101", "RIS-102", "RIS-103"])
        XCTAssertEqual((json["kbArticles"] as? [[String: Any]])?.compactMap { $0["id"] as? String }, ["KB-AUD-001"])
        XCTAssertEqual((json["summary"] as? [String: Int])?["kb articles"], 1)
        let html = try export("html").stdout
        XCTAssertTrue(html.contains(">KB articles</h2>"), html)
        let csv = try export("csv").stdout.components(separatedBy: "\r\n")
        XCTAssertTrue(csv[4].hasPrefix("KB-AUD-001,") && csv[4].contains(",kb article,"), csv[4])
    }

    /// What an auditor files: the page printed to PDF by a real browser, read back as text.
    func testThePrintedReviewHasEveryFieldOfARecordAndTheSignOffBlock() throws {
        let browser = try XCTUnwrap(
            ["/usr/bin/chromium-headless-shell", "/usr/bin/chromium"].first {
                FileManager.default.isExecutableFile(atPath: $0)
            }, "make deps installs chromium-headless-shell")
        XCTAssertTrue(
            FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext"), "make deps installs poppler-utils")
        // Long values, as real records have: they must wrap, not widen the page.
        try folder.write(
            "docs/06-ris/resolutions/RIS-RESOLUTION-104-celery-worker-killed-by-the-kernel-oom-killer-during-sync.md",
            "---\ncompliance:\n  hipaa:\n    controls: [164.308(a)(1)(ii)(D), 164.312(a)(1), 164.312(b), 164.312(c)(1)]\n"
                + "    retention-period: 7-years\n    review-frequency: quarterly\n  soc2:\n    controls: [CC7.2, CC7.3, "
                + "CC8.1]\ncreated: '2026-01-08'\n---\n# RIS-104: Celery worker killed by the kernel OOM killer during "
                + "the nightly credential synchronisation of every licence record\n\n---\n\n**Sign-Off:** Pending "
                + "confirmation by the platform team lead and the compliance officer\n")
        let page = folder.url.appendingPathComponent("review.html")
        let pdf = folder.url.appendingPathComponent("review.pdf")
        _ = try export("html", ["--output", page.path])
        let printed = try Binary.runProgram(
            browser,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                "--user-data-dir=" + folder.url.appendingPathComponent(".browser").path,
                "--print-to-pdf=" + pdf.path, page.absoluteString,
            ], in: folder.url)
        XCTAssertTrue(FileManager.default.fileExists(atPath: pdf.path), printed.stderr)
        let info = try Binary.runProgram("/usr/bin/pdfinfo", [pdf.path], in: folder.url).stdout
        let size = try XCTUnwrap(info.split(separator: "\n").first { $0.hasPrefix("Page size:") })
        let numbers = size.split(separator: " ").compactMap { Double($0) }
        XCTAssertEqual(numbers.count, 2, String(size))
        XCTAssertGreaterThan(numbers[0], numbers[1], "landscape: \(size)")
        // No column runs off the paper: every word lies inside the page, within its margins; and
        // no page was shrunk to fit something too wide (the browser scales such a page down:
        // text set at 10 px, boxes 8.7 pt high, would come out smaller).
        let boxes = try Binary.runProgram("/usr/bin/pdftotext", ["-bbox", pdf.path, "-"], in: folder.url).stdout
        var pageWidth = 0.0
        var words = 0
        var widest = (margin: Double.infinity, word: "")
        var smallest = (height: Double.infinity, word: "")
        for line in boxes.split(separator: "\n") {
            func number(_ name: String) -> Double? {
                guard let range = line.range(of: name + "=\"") else { return nil }
                return Double(line[range.upperBound...].prefix { $0 != "\"" })
            }
            if line.contains("<page "), let width = number("width") { pageWidth = width }
            guard line.contains("<word "), let right = number("xMax"), let top = number("yMin"),
                let bottom = number("yMax")
            else { continue }
            words += 1
            if pageWidth - right < widest.margin { widest = (pageWidth - right, String(line)) }
            if bottom - top < smallest.height { smallest = (bottom - top, String(line)) }
        }
        XCTAssertGreaterThanOrEqual(widest.margin, 30, "a word past the right margin: \(widest.word)")
        XCTAssertGreaterThanOrEqual(smallest.height, 8, "a page shrunk to fit something too wide: \(smallest.word)")
        XCTAssertGreaterThan(words, 500)
        // Without -layout: each cell's text on its own, whatever the columns' widths.
        let text = try Binary.runProgram("/usr/bin/pdftotext", [pdf.path, "-"], in: folder.url).stdout
        let flowing = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for label in [
            "path", "frameworks", "controls", "classification", "phi class", "encryption required",
            "access audit required", "evidence type", "retention period", "retention until", "retention state",
            "review frequency", "last reviewed", "reviewed by", "next due", "review state", "sign-off", "kind",
            "sha256",
        ] {
            XCTAssertTrue(flowing.contains(label), "the printed review has no '\(label)'")
        }
        // RIS-101's values, none cut off.
        for value in [
            "RIS-101", "Audit log gap, \"quoted\", with commas", "r/a.md", "hipaa:164.312(b)", "patient-ids", "7-years",
            "2033-01-05", "quarterly", "2026-02-01", "Dana Scully", "2026-05-01", "reviewed this quarter",
            try sha256("r/a.md"),
        ] {
            XCTAssertTrue(flowing.contains(value), "the printed review has no '\(value)'")
        }
        // Findings, provenance and the sign-off block.
        for part in [
            "review overdue since 2020-01-01", "ISO/IEC 27001:2013 A.12.4.1", "Provenance", "generated by",
            "auditor@example.com", "2026-04-02T10:00:00Z", "Sign-off", "Reviewer", "Role", "Date", "Signature",
        ] {
            XCTAssertTrue(flowing.contains(part), "the printed review has no '\(part)'")
        }
    }

    func testThePolicyChoosesTheFrameworksAndTheISOEditionCovered() throws {
        let config = folder.url.appendingPathComponent(".ris/config.yaml")
        let original = try String(contentsOf: config, encoding: .utf8)
        func coverage(_ policy: String) throws -> (frameworks: [String], entries: [[String: Any]]) {
            try original.replacingOccurrences(of: "\ncompliance:\n", with: "\ncompliance:\n" + policy)
                .write(to: config, atomically: true, encoding: .utf8)
            let json = try XCTUnwrap(
                try JSONSerialization.jsonObject(with: try export("json").stdoutData) as? [String: Any])
            return (json["frameworks"] as? [String] ?? [], json["coverage"] as? [[String: Any]] ?? [])
        }
        XCTAssertTrue(original.contains("\ncompliance:\n"), original)
        let hipaa = try coverage("  review-frameworks: [hipaa]\n")
        XCTAssertEqual(hipaa.frameworks, ["hipaa"])
        XCTAssertEqual(Set(hipaa.entries.compactMap { $0["framework"] as? String }), ["hipaa"])
        // A 2022 control cited counts for the 2013 controls mapping to it.
        try folder.write(
            "r/d.md",
            "---\ncompliance:\n  iso27001:\n    controls: [5.24]\n    retention-period: 6-years\n    review-frequency: "
                + "annual\ncreated: '2026-01-02'\n---\n# RIS-104: On the 2022 edition\n")
        let old = try coverage("  iso27001-edition: 2013\n")
        let iso = old.entries.filter { $0["framework"] as? String == "iso27001" }
        XCTAssertEqual(Set(iso.compactMap { $0["edition"] as? String }), ["2013"])
        XCTAssertEqual(iso.first { $0["id"] as? String == "A.12.4.1" }?["records"] as? [String], ["r/b.md"])
        XCTAssertEqual(iso.first { $0["id"] as? String == "A.16.1.1" }?["records"] as? [String], ["r/d.md"])
        _ = try coverage("  iso27001-edition: 2017\n")
        let check = try Binary.run(["check", "--rule", "config"], in: folder.url)
        XCTAssertEqual(check.status, 1)
        XCTAssertTrue(
            check.stdout.contains("error: [config] `compliance.iso27001-edition` must be 2013 or 2022, not '2017'"),
            check.stdout)
    }
}
