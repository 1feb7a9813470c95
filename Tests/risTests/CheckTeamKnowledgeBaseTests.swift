import Foundation
import XCTest

/// `ris check` and the review on a generated knowledge base shaped like the team's one the
/// issue describes (172 files): one template's superseded ISO controls in 46 records, an
/// overdue batch, ID collisions, broken files, task logs with no compliance block, a pending
/// sign-off, and clean records. What a compliance owner reads must be a handful of actions.
final class CheckTeamKnowledgeBaseTests: XCTestCase {
    var folder: TemporaryFolder!
    var clean: [String] = []

    override func setUpWithError() throws {
        folder = try TemporaryFolder()
        XCTAssertEqual(try Binary.run(["init"], in: folder.url).status, 0)
        func record(
            _ number: Int, slug: String, controls: String = "[164.312(b)]", iso: String? = nil,
            reviewed: String = "2026-02-10", body: String = ""
        ) throws -> String {
            let path = String(format: "docs/06-ris/resolutions/RIS-%03d-%@.md", number, slug)
            let isoBlock = iso.map { "  iso27001:\n    controls: \($0)\n    classification: internal\n" } ?? ""
            try folder.write(
                path,
                "---\ncompliance:\n  hipaa:\n    controls: \(controls)\n    retention-period: 7-years\n    "
                    + "review-frequency: quarterly\n\(isoBlock)created: '2025-11-03'\nlast-reviewed: '\(reviewed)'\n"
                    + "reviewed-by: Dana Scully\n---\n# RIS-\(String(format: "%03d", number)): Incident \(slug)\n\n"
                    + "**Severity:** HIGH\n\n## Symptom\n\nSomething failed.\n\(body)")
            return path
        }
        var number = 1
        // 46 records from one template citing ISO/IEC 27001:2013 A.12.1.1.
        for _ in 0..<46 {
            _ = try record(number, slug: "template", iso: "[A.12.1.1]")
            number += 1
        }
        // 12 overdue: last reviewed a year ago, quarterly.
        for _ in 0..<12 {
            _ = try record(number, slug: "overdue", reviewed: "2025-03-01")
            number += 1
        }
        // 9 IDs used twice (18 files).
        for pair in 0..<9 {
            let id = 200 + pair
            _ = try record(id, slug: "first")
            _ = try record(id, slug: "second")
        }
        // 10 broken files.
        for index in 0..<10 {
            try folder.write(
                String(format: "docs/06-ris/resolutions/RIS-%03d-broken.md", 300 + index),
                "---\ncompliance:\n  hipaa:\n    retention-period: [7-years\ncreated: '2025-11-03'\n---\n"
                    + "# RIS-\(300 + index): Broken front matter\n")
        }
        // One pending sign-off.
        _ = try record(400, slug: "pending", body: "\n---\n\n**Sign-Off:** Pending user confirmation\n")
        // 84 clean records and 1 ... the rest: task logs with no compliance block.
        for _ in 0..<24 {
            clean.append(try record(number, slug: "clean"))
            number += 1
        }
        for index in 0..<61 {
            try folder.write(
                String(format: "docs/09-sessions/RIS-TASK-%03d-log.md", index),
                "# RIS-\(500 + index): Session log\n\nWorked on the sync job.\n")
        }
    }

    func testTheOwnerReadsAHandfulOfActionsOnOneScreen() throws {
        let result = try Binary.run(["check", "--as-of", "2026-03-31", "--group"], in: folder.url)
        XCTAssertEqual(result.status, 1)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let summaryEnd = try XCTUnwrap(lines.firstIndex(of: ""))
        XCTAssertEqual(
            lines[1..<summaryEnd].map { $0.split(separator: " ").first.map(String.init) ?? "" },
            [
                "compliance-missing", "yaml-invalid", "control-superseded", "duplicate-id", "review-overdue",
                "sign-off-pending",
            ],
            "one line per kind of action, errors first")
        XCTAssertTrue(lines[1].hasSuffix("61     61"), lines[1])
        // The template's problem is one group; each broken file is one finding, no cascade.
        XCTAssertEqual(result.stdout.components(separatedBy: "[control-superseded]").count - 1, 1)
        XCTAssertTrue(result.stdout.contains("(46 places):\n"), result.stdout)
        XCTAssertTrue(result.stdout.contains("  ... and 36 more (--no-group or --format json lists each)\n"))
        // The ten broken files break the same way: one group of ten places, one finding each.
        XCTAssertEqual(result.stdout.components(separatedBy: "[yaml-invalid]").count - 1, 1)
        XCTAssertTrue(result.stdout.contains("(10 places):\n"), result.stdout)
        XCTAssertTrue(lines[2].hasSuffix("10     10"), lines[2])
        XCTAssertFalse(result.stdout.contains("retention-missing"))
        // Nothing about a clean record.
        for path in clean { XCTAssertFalse(result.stdout.contains(path), "noise for a valid file: \(path)") }
        XCTAssertTrue(result.stderr.hasPrefix("172 files checked"), result.stderr)

        // Task logs are not records: said once in the configuration.
        let config = folder.url.appendingPathComponent(".ris/config.yaml")
        try (try String(contentsOf: config, encoding: .utf8) + "\nrecords: [\"docs/06-ris/**\"]\n")
            .write(to: config, atomically: true, encoding: .utf8)
        let records = try Binary.run(["check", "--as-of", "2026-03-31", "--group"], in: folder.url)
        XCTAssertFalse(records.stdout.contains("compliance-missing"), records.stdout)
        XCTAssertTrue(records.stderr.hasPrefix("111 files checked"), records.stderr)
        // Everything left fits a screen: the summary, 10 broken files, the template's group,
        // the 18 files sharing IDs, the overdue batch (one message per due date) and the sign-off.
        XCTAssertLessThanOrEqual(records.stdout.split(separator: "\n").count, 60, records.stdout)

        // The review lists every record.
        let review = try Binary.run(["review", "export", "--quarter", "2026-Q1", "--format", "csv"], in: folder.url)
        XCTAssertEqual(review.status, 0, review.stderr)
        XCTAssertEqual(review.stdout.components(separatedBy: "\r\n").count - 2, 111)
    }
}
