import Foundation
import XCTest

/// `ris check` through the built binary: each rule fires on a record written to trigger it.
final class CheckCommandTests: XCTestCase {
    var folder: TemporaryFolder!

    override func setUpWithError() throws {
        folder = try TemporaryFolder()
        XCTAssertEqual(try Binary.run(["init"], in: folder.url).status, 0)
    }

    func check(_ arguments: [String] = []) throws -> (status: Int32, findings: [[String: Any]]) {
        let result = try Binary.run(["check", "--as-of", "2026-03-31", "--format", "json"] + arguments, in: folder.url)
        let findings = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: Any]], result.stderr)
        return (result.status, findings)
    }

    func record(_ name: String, compliance: String, extra: String = "", body: String = "") throws {
        try folder.write(
            "r/\(name).md",
            "---\ncompliance:\n\(compliance)\(extra)---\n# \(name): Title\n\n**Severity:** HIGH\n\(body)")
    }

    func rules(_ findings: [[String: Any]], path: String) -> [String] {
        findings.filter { $0["path"] as? String == path }.compactMap { $0["rule"] as? String }
    }

    func testEachRuleFires() throws {
        let good =
            "  hipaa:\n    controls: [164.308(a)(1)(i), 164.310(a)]\n    retention-period: 7-years\n    "
            + "review-frequency: quarterly\n"
        try record("RIS-001", compliance: good, extra: "created: '2026-01-10'\nupdated: '2026-01-10'\n")
        try record(
            "RIS-002",
            compliance:
                "  hipaa:\n    controls: [164.999(z)]\n    retention-period: forever\n    review-frequency: sometimes\n"
        )
        try record(
            "RIS-003", compliance: "  hipaa:\n    retention-period: 3-years\n    review-frequency: annual\n",
            extra: "created: '2019-01-01'\nupdated: '2018-06-01'\n")
        try record("RIS-004", compliance: "  soc2:\n    controls: [CC7.3]\n", extra: "created: '2026-02-30'\n")
        try record(
            "RIS-005",
            compliance:
                "  iso27001:\n    controls: [A.12.1.1, A.5.37, 5.37]\n    retention-period: 1-years\n    "
                + "review-frequency: monthly\n",
            extra: "created: '2024-01-01'\n", body: "\n---\n\n**Reviewed By:** Pending\n")
        try folder.write("r/RIS-005-again.md", "# RIS-005: Another record with the same ID\n\n**Severity:** LOW\n")
        try folder.write("r/RIS-006.md", "---\ncompliance: [\n---\n# RIS-006: Broken\n\n**Severity:** LOW\n")
        let (status, findings) = try check()
        XCTAssertEqual(status, 1)
        for finding in findings {
            XCTAssertEqual(Set(finding.keys), ["path", "line", "column", "severity", "rule", "message"])
        }
        XCTAssertEqual(
            rules(findings, path: "r/RIS-001.md"), [], "aliases 164.308(a)(1)(i) and 164.310(a) are real controls")
        XCTAssertEqual(
            Set(rules(findings, path: "r/RIS-002.md")),
            ["control-unknown", "retention-invalid", "review-frequency-invalid", "created-missing"])
        let unknown = findings.first { $0["rule"] as? String == "control-unknown" }
        XCTAssertEqual(unknown?["line"] as? Int, 4)
        XCTAssertTrue((unknown?["message"] as? String)?.contains("did you mean") ?? false)
        XCTAssertEqual(
            Set(rules(findings, path: "r/RIS-003.md")),
            ["retention-below-minimum", "retention-expired", "review-overdue", "updated-before-created"])
        XCTAssertEqual(
            Set(rules(findings, path: "r/RIS-004.md")),
            ["date-invalid", "retention-missing", "review-frequency-missing"])
        XCTAssertEqual(
            Set(rules(findings, path: "r/RIS-005.md")),
            ["control-superseded", "duplicate-id", "retention-expired", "review-overdue", "sign-off-pending"])
        let superseded = findings.filter { $0["rule"] as? String == "control-superseded" }
        XCTAssertEqual(superseded.count, 1, "A.5.37 and 5.37 are the 2022 control")
        XCTAssertTrue((superseded.first?["message"] as? String)?.hasSuffix("use 5.37") ?? false)
        // A YAML error is the file's one metadata finding; a record without a block is one finding.
        XCTAssertEqual(Set(rules(findings, path: "r/RIS-006.md")), ["yaml-invalid"])
        XCTAssertEqual(Set(rules(findings, path: "r/RIS-005-again.md")), ["duplicate-id", "compliance-missing"])
        let text = try Binary.run(["check", "--as-of", "2026-03-31", "r/RIS-003.md"], in: folder.url)
        XCTAssertTrue(
            text.stdout.contains(
                "r/RIS-003.md:4:23: error: [retention-below-minimum] `compliance.hipaa.retention-period` 3-years is "
                    + "below the hipaa minimum of 6-years (45 CFR 164.316(b)(2)(i))"
            ), text.stdout)
    }

    /// A period no calendar can end (2^62 years) is an invalid retention, said where it is
    /// written; `check` and the review export stopped on an overflow before.
    func testAPeriodBeyondTheCalendarIsInvalidNotACrash() throws {
        try record(
            "RIS-001",
            compliance: "  hipaa:\n    retention-period: 4611686018427387904-years\n    review-frequency: annual\n",
            extra: "created: '2026-01-01'\n")
        let (status, findings) = try check()
        XCTAssertEqual(status, 1)
        let invalid = try XCTUnwrap(findings.first { $0["rule"] as? String == "retention-invalid" })
        XCTAssertEqual([invalid["line"] as? Int, invalid["column"] as? Int], [4, 23])
        XCTAssertTrue((invalid["message"] as? String)?.contains("at most 1000 years") ?? false)
        let review = try Binary.run(["review", "export", "--quarter", "2026-Q1", "--format", "json"], in: folder.url)
        XCTAssertEqual(review.status, 0, review.stderr)
    }

    func testPolicyFromTheConfiguration() throws {
        try folder.write(
            ".ris/config.yaml",
            "compliance:\n  required-frameworks: [soc2]\n  required-keys: [controls]\n  minimum-retention:\n    "
                + "hipaa: 10-years\n"
        )
        try record(
            "RIS-010", compliance: "  hipaa:\n    retention-period: 7-years\n    review-frequency: annual\n",
            extra: "created: '2026-01-01'\n")
        let (_, findings) = try check()
        XCTAssertEqual(Set(rules(findings, path: "r/RIS-010.md")), ["missing-required", "retention-below-minimum"])
        XCTAssertEqual(findings.filter { $0["rule"] as? String == "missing-required" }.count, 2)
    }

    func testTheSeed() throws {
        let seed = "docs/06-ris/resolutions/RIS-RESOLUTION-045-lambda-manifest-type-docker-macos.md"
        try folder.write(
            seed, try Data(contentsOf: ParseCommandTests.repository.appendingPathComponent("examples/kb/" + seed)))
        let (status, findings) = try check()
        XCTAssertEqual(status, 0, "warnings only")
        XCTAssertEqual(
            rules(findings, path: seed),
            ["control-superseded", "control-superseded", "sign-off-pending", "sign-off-pending"])
        let messages = findings.compactMap { $0["message"] as? String }
        XCTAssertTrue(
            messages.contains {
                $0.hasPrefix("ISO/IEC 27001:2013 A.12.1.1 (Documented operating procedures)")
                    && $0.hasSuffix("use 5.37")
            })
        XCTAssertTrue(
            messages.contains {
                $0.hasPrefix("ISO/IEC 27001:2013 A.18.1.3 (Protection of records)") && $0.hasSuffix("use 5.33")
            })
        XCTAssertEqual(try Binary.run(["check", "--strict"], in: folder.url).status, 1)
        // Later, the quarterly review is overdue.
        let later = try Binary.run(["check", "--as-of", "2026-05-01", "--format", "json"], in: folder.url)
        XCTAssertTrue(later.stdout.contains("review-overdue"))
        XCTAssertTrue(later.stdout.contains("was due on 2026-04-10"))
    }

    func testReviewRecordChangesOnlyItsFrontMatterAndSignOffLines() throws {
        let seed = "docs/06-ris/resolutions/RIS-RESOLUTION-045-lambda-manifest-type-docker-macos.md"
        let original = try String(
            contentsOf: ParseCommandTests.repository.appendingPathComponent("examples/kb/" + seed), encoding: .utf8)
        try folder.write(seed, original)
        let first = try Binary.run(
            ["review", "record", "RIS-045", "--reviewer", "Dana Scully", "--date", "2026-03-15", "--format", "json"],
            in: folder.url)
        XCTAssertEqual(first.status, 0, first.stderr)
        let recorded = try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(recorded?["signOffFields"] as? [String], ["Reviewed By", "Sign-Off"])
        let url = folder.url.appendingPathComponent(seed)
        let once = try String(contentsOf: url, encoding: .utf8)
        // The front matter's two values, and the body's pending sign-off lines: nothing else.
        XCTAssertEqual(
            once,
            original.replacingOccurrences(
                of: "created: '2026-01-10'\nproject: credentialmate\n",
                with:
                    "created: '2026-01-10'\nlast-reviewed: '2026-03-15'\nproject: credentialmate\nreviewed-by: Dana "
                    + "Scully\n"
            )
            .replacingOccurrences(of: "**Reviewed By:** Pending\n", with: "**Reviewed By:** Dana Scully\n")
            .replacingOccurrences(
                of: "**Sign-Off:** Pending user confirmation\n", with: "**Sign-Off:** Dana Scully, 2026-03-15\n"))
        XCTAssertEqual(
            try Binary.run(
                ["review", "record", "RIS-045", "--reviewer", "Fox Mulder", "--date", "2026-06-01"], in: folder.url
            ).status, 0)
        let twice = try String(contentsOf: url, encoding: .utf8)
        // A newer review replaces the reviewer; the sign-off given stays.
        XCTAssertEqual(
            twice,
            once.replacingOccurrences(of: "last-reviewed: '2026-03-15'", with: "last-reviewed: '2026-06-01'")
                .replacingOccurrences(of: "reviewed-by: Dana Scully", with: "reviewed-by: Fox Mulder")
                .replacingOccurrences(of: "**Reviewed By:** Dana Scully\n", with: "**Reviewed By:** Fox Mulder\n"))
        // The schedule follows the review, and the sign-off is no longer pending.
        let (_, findings) = try check(["--as-of", "2026-08-01"])
        XCTAssertFalse(findings.contains { $0["rule"] as? String == "review-overdue" })
        XCTAssertFalse(findings.contains { $0["rule"] as? String == "sign-off-pending" }, "\(findings)")
        XCTAssertEqual(
            try Binary.run(["review", "record", "RIS-045", "--reviewer", "x", "--date", "2026-02-30"], in: folder.url)
                .status, 2)
        // Not in the future, not before the record was created: usage errors, nothing written.
        let future = try Binary.run(
            ["review", "record", "RIS-045", "--reviewer", "x", "--date", "2099-01-01"], in: folder.url)
        XCTAssertEqual(future.status, 2)
        XCTAssertTrue(future.stderr.contains("the review date 2099-01-01 is in the future"), future.stderr)
        let early = try Binary.run(
            ["review", "record", "RIS-045", "--reviewer", "x", "--date", "2025-12-31"], in: folder.url)
        XCTAssertEqual(early.status, 2)
        XCTAssertTrue(
            early.stderr.contains("the review date 2025-12-31 is before the record was created (2026-01-10)"),
            early.stderr)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), twice)
        // Reviews are recorded in order: an older one would move the schedule back.
        let older = try Binary.run(
            ["review", "record", "RIS-045", "--reviewer", "x", "--date", "2026-05-01"], in: folder.url)
        XCTAssertEqual(older.status, 2)
        XCTAssertTrue(
            older.stderr.contains("the record was last reviewed on 2026-06-01, after 2026-05-01"), older.stderr)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), twice)
        XCTAssertEqual(
            try Binary.run(["review", "record", "RIS-045", "--reviewer", "Pending"], in: folder.url).status, 2)
    }

    func testReviewRecordCompletesAYAMLRecordsSignOffKey() throws {
        let original =
            "id: RIS-006\ntitle: Worker OOM\ncreated: '2026-01-21'\ncompliance:\n  hipaa:\n    retention-period: "
            + "7-years\n    review-frequency: annual\nsign_off: Pending\n"
        let url = try folder.write("r/RIS-006-oom.yaml", original)
        XCTAssertTrue(try check().findings.contains { $0["rule"] as? String == "sign-off-pending" })
        let result = try Binary.run(
            ["review", "record", "RIS-006", "--reviewer", "Ann Lee", "--date", "2026-02-01", "--format", "json"],
            in: folder.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("\"signOffFields\" : [\n    \"sign_off\"\n  ]"), result.stdout)
        XCTAssertEqual(
            try String(contentsOf: url, encoding: .utf8),
            original.replacingOccurrences(
                of: "sign_off: Pending\n",
                with: "sign_off: Ann Lee, 2026-02-01\nlast-reviewed: '2026-02-01'\nreviewed-by: Ann Lee\n"))
        XCTAssertFalse(try check().findings.contains { $0["rule"] as? String == "sign-off-pending" })
    }
}
