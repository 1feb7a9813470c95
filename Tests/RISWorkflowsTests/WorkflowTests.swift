import Foundation
import RISWorkflows
import XCTest

/// The workflows called as a library (as `ris mcp` will): one call per use, typed results,
/// the access policy applied inside, nothing printed.
final class WorkflowTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("ris-workflows-\(UUID().uuidString)")
        try KnowledgeBase.initialize(at: root)
        try write(
            "docs/06-ris/resolutions/RIS-001-disk.md",
            """
            ---
            id: RIS-001
            compliance:
              hipaa:
                retention-period: 7-years
                review-frequency: quarterly
                access-audit-required: true
            ---
            # RIS-001: Disk full on the build runner

            **Date:** 2026-01-05
            **Severity:** HIGH
            **Status:** RESOLVED

            ## Symptom

            No space left on device while pulling layers.
            """)
        try write(
            "docs/06-ris/resolutions/RIS-002-token.md",
            """
            ---
            id: RIS-002
            compliance:
              soc2:
                retention-period: 7-years
                review-frequency: annually
            ---
            # RIS-002: Registry token expired

            **Date:** 2026-01-07
            **Severity:** MEDIUM
            **Status:** RESOLVED

            ## Symptom

            denied: Your authorization token has expired.
            """)
        try write(
            ".claude/memory/hot-patterns.md",
            """
            # Hot Patterns

            ## ECR: "authorization token has expired"
            **Keywords**: ecr, token expired
            **Symptom**: denied: Your authorization token has expired.
            **Solution**: aws ecr get-login-password | docker login
            **Hit Count**: 4
            **Last Used**: 2026-01-07

            ## ECR: "repository does not exist"
            **Keywords**: ecr, repository
            **Hit Count**: 1
            **Last Used**: 2026-01-02
            """)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data((text + "\n").utf8).write(to: url)
    }

    func session() -> KnowledgeBaseSession {
        KnowledgeBaseSession(base: KnowledgeBase(root: root), actor: ActingUser(name: "tester@example.com"))
    }

    func events() throws -> [AuditTrail.Event] { try session().auditEvents() }

    func testSearchLogsTheReadOfAnAuditedRecordOnly() throws {
        let found = try session().search("space device")
        XCTAssertEqual(found.items.map(\.id), ["RIS-001"])
        XCTAssertEqual(found.withheld, 0)
        XCTAssertEqual(
            try events().map { "\($0.action) \($0.id) \($0.actor)" }, ["read:search RIS-001 tester@example.com"])
        XCTAssertTrue(try session().search("authorization token").items.map(\.id).contains("RIS-002"))
        XCTAssertEqual(try events().count, 1, "no event for a record that is not audited")
    }

    /// An index rebuilt on opening (here, one not made by ris) is filled by the first walk of
    /// the session; the steps after it that read without a refresh do not walk the files again.
    func testARebuiltIndexIsWalkedOncePerSession() throws {
        try write(".ris/index.sqlite", "not an index")
        var walks = 0
        let reporter = KnowledgeBaseSession.Reporter(diagnosticsDone: { walks += 1 })
        let session = KnowledgeBaseSession(
            base: KnowledgeBase(root: root), actor: ActingUser(name: "tester@example.com"), reporter: reporter)
        _ = try session.similar(to: "RIS-002")
        XCTAssertEqual(walks, 1)
        _ = try session.show("RIS-001", refresh: false)
        XCTAssertEqual(walks, 1)
        _ = try session.search("disk")
        XCTAssertEqual(walks, 2, "a step that asks for a refresh still walks")
    }

    func testShowReadsTheFileAfreshAndLogsIt() throws {
        let shown = try session().show("RIS-001")
        XCTAssertEqual(shown.document.title, "Disk full on the build runner")
        XCTAssertEqual(try events().map(\.action), ["read:show"])
        XCTAssertEqual(
            try events().first?.contentSha256,
            ContentDigest.sha256(
                try Data(contentsOf: root.appendingPathComponent("docs/06-ris/resolutions/RIS-001-disk.md"))))
    }

    func testAnUnknownReferenceIsAFailureAndAnAmbiguousPatternAUsageError() throws {
        XCTAssertThrowsError(try session().show("RIS-999")) { error in
            XCTAssertEqual((error as? WorkflowError)?.exitStatus, 1)
        }
        XCTAssertThrowsError(try session().recordHit(on: "ECR", day: CalendarDay("2026-02-01")!)) { error in
            XCTAssertEqual((error as? WorkflowError)?.exitStatus, 2, "\(error)")
        }
        // Nothing but an exclusion: searched as a word, and said so.
        let alone = try session().search("-token")
        XCTAssertTrue(alone.items.map(\.id).contains("RIS-002"))
        XCTAssertTrue(alone.notes.contains { $0.contains("'-token' is searched as a word") }, "\(alone.notes)")
        XCTAssertThrowsError(try session().search("* ( '")) { error in
            XCTAssertEqual((error as? WorkflowError)?.exitStatus, 2, "\(error)")
        }
    }

    func testRecordHitChangesTwoLinesAndLogsTheActor() throws {
        let before = try String(
            contentsOf: root.appendingPathComponent(".claude/memory/hot-patterns.md"), encoding: .utf8)
        let hit = try session().recordHit(on: "token has expired", day: CalendarDay("2026-02-01")!)
        XCTAssertEqual(hit.hitCount, 5)
        let after = try String(
            contentsOf: root.appendingPathComponent(".claude/memory/hot-patterns.md"), encoding: .utf8)
        XCTAssertEqual(
            after,
            before.replacingOccurrences(
                of: "**Hit Count**: 4\n**Last Used**: 2026-01-07", with: "**Hit Count**: 5\n**Last Used**: 2026-02-01"))
        let log = try String(contentsOf: root.appendingPathComponent(".ris/hits.jsonl"), encoding: .utf8)
        XCTAssertTrue(log.contains("\"actor\":\"tester@example.com\""), log)
    }

    func testCreateRecordAllocatesTheNextIDWithTheActorAsAuthor() throws {
        var fields = NewRecord.Fields(title: "Cache stampede", date: "2026-02-02")
        fields.severity = "high"
        let created = try session().createRecord(from: .fields(fields), today: CalendarDay("2026-02-02")!)
        XCTAssertEqual(created.record.id, "RIS-003")
        XCTAssertTrue(created.written)
        let text = try String(contentsOf: root.appendingPathComponent(created.record.path), encoding: .utf8)
        XCTAssertTrue(text.contains("**Created By:** tester@example.com"), text)
        XCTAssertTrue(text.contains("**Severity:** HIGH"), text)
        let dry = try session().createRecord(from: .fields(fields), today: CalendarDay("2026-02-02")!, dryRun: true)
        XCTAssertEqual(dry.record.id, "RIS-004")
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent(dry.record.path).path))
    }

    func testRecordReviewIsAlwaysLoggedWithItsNote() throws {
        let review = try session().recordReview(
            of: "RIS-002", by: " Dana ", on: CalendarDay("2026-03-01")!, note: "fine")
        XCTAssertEqual(review.reviewer, "Dana")
        let text = try String(
            contentsOf: root.appendingPathComponent("docs/06-ris/resolutions/RIS-002-token.md"), encoding: .utf8)
        XCTAssertTrue(
            text.hasPrefix(
                "---\nid: RIS-002\ncompliance:\n  soc2:\n    retention-period: 7-years\n    review-frequency: "
                    + "annually\n"
                    + "last-reviewed: '2026-03-01'\nreviewed-by: Dana\n---\n# RIS-002: Registry token expired\n"), text)
        XCTAssertEqual(
            try events().map { "\($0.action) \($0.note)" }, ["write:review reviewed by Dana on 2026-03-01: fine"])
    }

    func testExportReviewLogsEveryAuditedRecord() throws {
        let review = try session().exportReview(quarter: Quarter("2026-q1")!)
        XCTAssertEqual(review.rows.map(\.id).sorted(), ["RIS-001", "RIS-002"])
        XCTAssertEqual(try events().map { "\($0.action) \($0.id)" }, ["read:export RIS-001"])
        XCTAssertEqual(review.quarter, "2026-Q1")
        XCTAssertNil(Quarter("2026-Q5"))
        XCTAssertNil(CalendarDay("2026-02-30"), "not a day of the calendar")
    }

    /// Without content, the patterns carry no symptom or solution, and nothing is logged.
    func testHotPatternsWithoutContentHoldNoContent() throws {
        let titles = try session().listHotPatterns(withContent: false)
        XCTAssertEqual(titles.items.first?.title, "ECR: \"authorization token has expired\"")
        XCTAssertTrue(titles.items.allSatisfy { $0.symptom.isEmpty && $0.solution.isEmpty && $0.rootCause.isEmpty })
        let full = try session().listHotPatterns(withContent: true)
        XCTAssertEqual(full.items.first?.solution, "aws ecr get-login-password | docker login")
        XCTAssertEqual(try events().count, 0, "the hot-patterns file is not an audited record")
    }
}
