import Foundation
import RISKit
import XCTest

/// `ris add`: numbering, validation of the author's fields, and the file naming rule.
final class NewRecordTests: XCTestCase {
    private func fields(_ title: String, severity: String = "MEDIUM", date: String = "2026-01-31") -> NewRecord.Fields {
        var fields = NewRecord.Fields(title: title, date: date)
        fields.severity = severity
        return fields
    }

    private func make(
        _ fields: NewRecord.Fields, id: String = "RIS-046",
        config: KnowledgeBaseConfig = KnowledgeBaseConfig()
    ) throws -> NewRecord {
        try NewRecord.make(id: id, fields: fields, config: config, today: "2026-02-01", author: "dana", template: nil)
    }

    private func invalidDescription(_ fields: NewRecord.Fields) -> String? {
        do {
            _ = try make(fields)
            return nil
        } catch {
            return (error as? RISKitError)?.description ?? "not RISKitError: \(error)"
        }
    }

    // MARK: Numbers

    func testNumberInIdentifiersAndFileStems() {
        XCTAssertEqual(NewRecord.number(in: "RIS-045", prefix: "RIS"), 45)
        XCTAssertEqual(NewRecord.number(in: "ris-007", prefix: "RIS"), 7)
        XCTAssertEqual(NewRecord.number(in: "RIS-RESOLUTION-045-lambda-manifest", prefix: "RIS"), 45)
        XCTAssertEqual(NewRecord.number(in: "OPS-12", prefix: "ops"), 12)
        XCTAssertNil(NewRecord.number(in: "KB-045", prefix: "RIS"))
        XCTAssertNil(NewRecord.number(in: "RISK-045", prefix: "RIS"))
        XCTAssertNil(NewRecord.number(in: "RIS-QUEUE-BACKLOG", prefix: "RIS"))
        XCTAssertNil(NewRecord.number(in: "RIS-4a", prefix: "RIS"))
        XCTAssertEqual(NewRecord.number(in: "RIS-99999999999999999999999", prefix: "RIS"), Int.max)
    }

    func testNextIdentifierFollowsTheHighestNumber() {
        XCTAssertEqual(NewRecord.nextIdentifier(after: [], prefix: "RIS", width: 3), "RIS-001")
        XCTAssertEqual(
            NewRecord.nextIdentifier(after: ["RIS-001", "RIS-045", "KB-100", "RIS-009"], prefix: "RIS", width: 3),
            "RIS-046")
        XCTAssertEqual(
            NewRecord.nextIdentifier(
                after: ["RIS-RESOLUTION-045-x", "RIS-RESOLUTION-047-celery-worker-oom"],
                prefix: "RIS", width: 3), "RIS-048")
        // A project name before the ID in a file stem.
        XCTAssertEqual(
            NewRecord.nextIdentifier(after: ["credentialmate-RIS-RESOLUTION-050-lambda"], prefix: "RIS", width: 3),
            "RIS-051")
        XCTAssertEqual(NewRecord.nextIdentifier(after: ["RIS-7"], prefix: "RIS", width: 5), "RIS-00008")
        XCTAssertEqual(NewRecord.nextIdentifier(after: ["RIS-1203"], prefix: "RIS", width: 3), "RIS-1204")
    }

    func testDatesInNamesAreNotRecordNumbers() {
        let names = [
            "RIS-RESOLUTION-20260108-disk-full", "RIS-RESOLUTION-045-x", "RIS-202601-monthly-report", "RIS-046",
        ]
        XCTAssertEqual(NewRecord.nextIdentifier(after: names, prefix: "RIS", width: 3), "RIS-047")
        XCTAssertTrue(NewRecord.isDateLike(20_260_109))
        XCTAssertTrue(NewRecord.isDateLike(199_012))
        XCTAssertFalse(NewRecord.isDateLike(20_261_301), "month 13 is no date")
        XCTAssertFalse(NewRecord.isDateLike(20_260_132), "day 32 is no date")
        XCTAssertFalse(NewRecord.isDateLike(202_613), "month 13 is no date")
        XCTAssertFalse(NewRecord.isDateLike(1203), "a record number")
        XCTAssertFalse(NewRecord.isDateLike(100_000))
    }

    func testNumbersPastTheLargestAreIgnored() {
        let names = ["RIS-045", "RIS-9223372036854775807-x", "RIS-99999999999999999999-y", "RIS-999999999999"]
        XCTAssertEqual(NewRecord.nextIdentifier(after: names, prefix: "RIS", width: 3), "RIS-046")
        XCTAssertEqual(
            NewRecord.nextIdentifier(after: ["RIS-999999999998"], prefix: "RIS", width: 3), "RIS-999999999999")
    }

    // MARK: make

    func testTheBuiltInTemplate() throws {
        var given = fields("  Disk full on db-1 ", severity: "✅ high (paging)")
        given.status = "in progress"
        given.category = "Storage"
        let record = try make(given)
        XCTAssertEqual(record.id, "RIS-046")
        XCTAssertEqual(record.title, "Disk full on db-1")
        XCTAssertEqual(record.path, "docs/06-ris/resolutions/RIS-RESOLUTION-046-disk-full-on-db-1.md")
        XCTAssertTrue(
            record.text.hasPrefix(
                "---\ncreated: '2026-02-01'\nupdated: '2026-02-01'\nversion: '1.0'\n---\n\n"
                    + "# RIS-046: Disk full on db-1\n\n**Date:** 2026-01-31\n**Severity:** HIGH\n"
                    + "**Status:** IN PROGRESS\n**Category:** Storage\n**Impact:** \n"), record.text)
        XCTAssertTrue(
            record.text.hasSuffix("**Created By:** dana\n**Reviewed By:** Pending\n**Sign-Off:** Pending\n"),
            record.text)

        // The record reads back as what was asked.
        let document = DocumentParser.parse(data: Data(record.text.utf8), path: record.path)
        XCTAssertEqual(document.id, "RIS-046")
        XCTAssertEqual(document.kind, .ris)
        XCTAssertEqual(document.severity, "HIGH")
        XCTAssertEqual(document.date, "2026-01-31")
    }

    func testWithoutACategoryTheLineIsLeftOut() throws {
        let record = try make(fields("Disk full", severity: "critical"))
        XCTAssertFalse(record.text.contains("**Category:**"))
        XCTAssertTrue(record.text.contains("**Severity:** CRITICAL\n**Status:** OPEN\n**Impact:** \n"))
    }

    func testConfiguredDefaultsGoInTheFrontMatterButNotTheirDates() throws {
        var config = KnowledgeBaseConfig()
        config.defaults =
            SafeYAML.parse("project: acme\ncreated: 1999-01-01\ncompliance:\n  soc2:\n    retention-period: 7-years\n")
            .root
        let record = try make(fields("Disk full"), config: config)
        XCTAssertTrue(
            record.text.hasPrefix(
                """
                ---
                compliance:
                  soc2:
                    retention-period: 7-years
                created: '2026-02-01'
                project: acme
                updated: '2026-02-01'
                version: '1.0'
                ---

                """), record.text)
    }

    func testInvalidFieldsAreRefused() {
        XCTAssertEqual(
            invalidDescription(fields("Disk full", severity: "urgent")),
            "unknown severity 'urgent'; use one of CRITICAL, HIGH, MEDIUM, LOW, INFO")
        XCTAssertEqual(
            invalidDescription(fields("Disk full", severity: "P1")),
            "unknown severity 'P1'; use one of CRITICAL, HIGH, MEDIUM, LOW, INFO")
        XCTAssertEqual(invalidDescription(fields("   ")), "the title is empty")
        XCTAssertEqual(invalidDescription(fields("Disk\nfull")), "the title must be one line")
        XCTAssertEqual(invalidDescription(fields("Disk\u{2028}full")), "the title must be one line")
        XCTAssertEqual(
            invalidDescription(fields("!!! ???")), "the title '!!! ???' has no letters or digits to name the file with")
        XCTAssertEqual(
            invalidDescription(fields("Disk full", date: "2026-1-31")),
            "--date takes a date like 2026-01-31, not '2026-1-31'")
        XCTAssertEqual(
            invalidDescription(fields("Disk full", date: "on 2026-01-31")),
            "--date takes a date like 2026-01-31, not 'on 2026-01-31'")
    }

    func testABadTemplateIsRefused() {
        XCTAssertThrowsError(
            try NewRecord.make(
                id: "RIS-046", fields: fields("Disk full"), config: KnowledgeBaseConfig(),
                today: "2026-02-01", author: "dana", template: "{{#open}} never closed")
        ) { error in
            XCTAssertTrue((error as? RISKitError)?.description.hasPrefix("the template does not parse: ") == true)
        }
    }

    // MARK: Path

    func testThePathRule() throws {
        var config = KnowledgeBaseConfig()
        XCTAssertEqual(
            try NewRecord.path(id: "RIS-007", title: "Celery: worker OOM (prod)", config: config),
            "docs/06-ris/resolutions/RIS-RESOLUTION-007-celery-worker-oom-prod.md")
        let long = String(repeating: "abcd ", count: 20)
        // 60 characters of slug, and no hyphen left at its end.
        XCTAssertEqual(
            try NewRecord.path(id: "RIS-007", title: long, config: config),
            "docs/06-ris/resolutions/RIS-RESOLUTION-007-" + Array(repeating: "abcd", count: 12).joined(separator: "-")
                + ".md")

        config.idPrefix = "OPS"
        config.resolutions = "/records/incidents/"
        XCTAssertEqual(
            try NewRecord.path(id: "OPS-0012", title: "Disk full", config: config),
            "records/incidents/OPS-RESOLUTION-0012-disk-full.md")
        config.resolutions = ""
        XCTAssertEqual(
            try NewRecord.path(id: "OPS-0012", title: "Disk full", config: config), "OPS-RESOLUTION-0012-disk-full.md")
        config.resolutions = "records/../../outside"
        XCTAssertThrowsError(try NewRecord.path(id: "OPS-0012", title: "Disk full", config: config)) { error in
            XCTAssertEqual(
                (error as? RISKitError)?.description,
                "the resolutions folder 'records/../../outside' is outside the knowledge base")
        }
    }

    /// The date must be a day of the calendar, not only look like one.
    func testAnImpossibleDateIsRefused() {
        let fields = NewRecord.Fields(title: "Disk full", date: "2026-02-30")
        XCTAssertThrowsError(
            try NewRecord.make(
                id: "RIS-001", fields: fields, config: KnowledgeBaseConfig(), today: "2026-03-01", author: "a",
                template: nil)
        ) { error in
            XCTAssertEqual("\(error)", "--date takes a date like 2026-01-31, not '2026-02-30'")
        }
    }
}
