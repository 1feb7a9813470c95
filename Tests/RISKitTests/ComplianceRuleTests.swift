import Foundation
import RISKit
import XCTest

/// The rules of `ris check` (docs/compliance.md), applied to records read from inline markdown.
final class ComplianceRuleTests: XCTestCase {
    /// A markdown record: `---`, the YAML (starting on line 2), `---`, then a RIS body.
    private func record(
        _ yaml: String, path: String = "docs/RIS-100-disk-full.md",
        body: String = "# RIS-100: Disk full on db-1\n\n**Severity:** HIGH\n"
    ) -> RISDocument {
        DocumentParser.parse(data: Data(("---\n" + yaml + "---\n\n" + body).utf8), path: path)
    }

    private func day(_ text: String) -> Date { Day.parse(text)! }

    private func check(
        _ documents: [RISDocument], policy: CompliancePolicy = CompliancePolicy(),
        asOf: String = "2026-02-01"
    ) -> [Finding] {
        ComplianceCheck.check(documents, policy: policy, asOf: day(asOf))
    }

    private func policy(_ yaml: String) -> CompliancePolicy {
        CompliancePolicy(SafeYAML.parse(yaml).root)
    }

    func testACompleteRecordHasNoFinding() {
        let document = record(
            """
            created: 2026-01-10
            compliance:
              hipaa:
                controls: ["164.312(b)"]
                retention-period: 7-years
                review-frequency: quarterly

            """)
        XCTAssertEqual(document.kind, .ris)
        XCTAssertEqual(check([document]), [])
    }

    func testRetentionMissingIsAnErrorAtTheFirstFramework() {
        let document = record(
            """
            created: 2026-01-10
            compliance:
              soc2:
                review-frequency: annual

            """)
        let findings = check([document])
        XCTAssertEqual(findings.map(\.rule), ["retention-missing"])
        XCTAssertEqual(findings.first?.severity, .error)
        XCTAssertEqual(
            findings.first?.formatted,
            "docs/RIS-100-disk-full.md:4:3: error: [retention-missing] "
                + "no `retention-period` in the compliance block: how long must this record be kept?")
    }

    func testAnInvalidRetentionIsReportedOnceNotAlsoAsMissing() {
        let document = record(
            """
            created: 2026-01-10
            compliance:
              soc2:
                retention-period: forever
                review-frequency: annual

            """)
        XCTAssertEqual(document.diagnostics.first { $0.severity == .error }?.code, .retentionInvalid)
        let findings = check([document])
        XCTAssertEqual(findings.map(\.rule), ["retention-invalid"])
        XCTAssertEqual(findings.first.map { [$0.line, $0.column] }, [5, 23])
    }

    func testRetentionBelowTheHIPAAMinimum() {
        let document = record(
            """
            created: 2026-01-10
            compliance:
              hipaa:
                retention-period: 5-years
                review-frequency: annual

            """)
        let findings = check([document])
        XCTAssertEqual(findings.map(\.rule), ["retention-below-minimum"])
        XCTAssertEqual(
            findings.first?.message,
            "`compliance.hipaa.retention-period` 5-years is below the hipaa minimum of 6-years (45 CFR 164.316(b)(2)(i))"
        )
        XCTAssertEqual(findings.first?.line, 5)
    }

    func testAFrameworksOwnRetentionBelowItsMinimumIsReportedEvenWhenAnotherKeepsItLonger() {
        // soc2 keeps the record 7 years, but the HIPAA block says 2: an auditor of HIPAA reads
        // that value, so it is wrong there; the message says the record is kept longer.
        let document = record(
            """
            created: 2026-01-10
            compliance:
              hipaa:
                retention-period: 2-years
                review-frequency: annual
              soc2:
                retention-period: 7-years

            """)
        let findings = check([document])
        XCTAssertEqual(findings.map(\.rule), ["retention-below-minimum"])
        XCTAssertEqual(findings.first?.line, 5)
        XCTAssertEqual(
            findings.first?.message,
            "`compliance.hipaa.retention-period` 2-years is below the hipaa minimum of 6-years (45 CFR "
                + "164.316(b)(2)(i)); the record is kept 7-years by `compliance.soc2`, but this block says otherwise: "
                + "write 6-years or more")
    }

    func testAFrameworkWithoutItsOwnRetentionIsCoveredByTheLongest() {
        // No `retention-period` in the HIPAA block: the record's longest (soc2's 7 years) applies.
        let document = record(
            """
            created: 2026-01-10
            compliance:
              hipaa:
                review-frequency: annual
              soc2:
                retention-period: 7-years

            """)
        XCTAssertEqual(check([document]).map(\.rule), [])
        let short = record(
            """
            created: 2026-01-10
            compliance:
              hipaa:
                review-frequency: annual
              soc2:
                retention-period: 3-years

            """)
        XCTAssertEqual(check([short]).map(\.rule), ["retention-below-minimum"])
        XCTAssertEqual(
            check([short]).first?.message,
            "retention 3-years is below the hipaa minimum of 6-years (45 CFR 164.316(b)(2)(i))")
    }

    func testAPolicyMinimumForAnotherFramework() {
        let document = record(
            """
            created: 2026-01-10
            compliance:
              soc2:
                retention-period: 7-years
                review-frequency: annual

            """)
        let strict = policy("minimum-retention:\n  soc2: 10-years\n")
        XCTAssertEqual(strict.minimumRetention["soc2"], RetentionPeriod(amount: 10, unit: .years))
        XCTAssertEqual(strict.minimumRetention["hipaa"], RetentionPeriod(amount: 6, unit: .years))
        let findings = check([document], policy: strict)
        XCTAssertEqual(findings.map(\.rule), ["retention-below-minimum"])
        XCTAssertEqual(
            findings.first?.message, "`compliance.soc2.retention-period` 7-years is below the soc2 minimum of 10-years")
    }

    func testRetentionExpiredIsInformation() {
        let document = record(
            """
            created: 2010-01-15
            compliance:
              soc2:
                retention-period: 6-years

            """)
        let findings = check([document], policy: policy("review-frequencies: [annual]\n")).filter {
            $0.rule == "retention-expired"
        }
        XCTAssertEqual(findings.map(\.severity), [.info])
        XCTAssertEqual(findings.first?.message, "retention ended on 2016-01-15: eligible for disposition review")
    }

    func testReviewOverdueCountsFromTheMostFrequentReview() {
        let document = record(
            """
            created: 2026-01-10
            compliance:
              hipaa:
                retention-period: 7-years
                review-frequency: annual
              soc2:
                review-frequency: quarterly

            """)
        // Due 2026-04-10: not overdue that day, overdue the day after.
        XCTAssertEqual(check([document], asOf: "2026-04-10"), [])
        let findings = check([document], asOf: "2026-04-11")
        XCTAssertEqual(findings.map(\.rule), ["review-overdue"])
        XCTAssertEqual(findings.first?.severity, .warning)
        XCTAssertEqual(findings.first?.message, "quarterly review was due on 2026-04-10 (last review 2026-01-10)")
        XCTAssertEqual(findings.first?.line, 8)
    }

    func testLastReviewedThenUpdatedThenCreatedStartTheReviewPeriod() {
        let reviewed = record(
            """
            created: 2025-01-10
            updated: 2025-06-01
            last-reviewed: 2026-01-20
            compliance:
              hipaa:
                retention-period: 7-years
                review-frequency: quarterly

            """)
        XCTAssertEqual(check([reviewed], asOf: "2026-04-20"), [])
        XCTAssertEqual(
            check([reviewed], asOf: "2026-04-21").first?.message,
            "quarterly review was due on 2026-04-20 (last review 2026-01-20)")
        let updated = record(
            """
            created: 2025-01-10
            updated: 2025-06-01
            compliance:
              hipaa:
                retention-period: 7-years
                review-frequency: semi-annual

            """)
        XCTAssertEqual(
            check([updated], asOf: "2026-02-01").first?.message,
            "semi-annual review was due on 2025-12-01 (last review 2025-06-01)")
    }

    /// The one reckoning `ris check` and the quarterly review share: retention from the later of
    /// created and updated, the next review from the last review, else the update, else the
    /// creation, by the calendar (a month after 31 January is the last day of February).
    func testTheScheduleCountsFromTheRightDay() throws {
        let day = { (text: String) in try XCTUnwrap(Day.parse(text)) }
        let sixYears = RetentionPeriod(amount: 6, unit: .years)
        XCTAssertEqual(
            ComplianceSchedule.retentionEnd(
                of: sixYears, created: try day("2020-03-01"), updated: try day("2021-05-02")
            )
            .map(Day.format), "2027-05-02")
        XCTAssertEqual(
            ComplianceSchedule.retentionEnd(
                of: sixYears, created: try day("2022-01-01"), updated: try day("2021-05-02")
            )
            .map(Day.format), "2028-01-01", "an update before the creation does not shorten it")
        XCTAssertEqual(
            ComplianceSchedule.retentionEnd(of: sixYears, created: nil, updated: try day("2021-05-02")).map(Day.format),
            "2027-05-02")
        XCTAssertNil(ComplianceSchedule.retentionEnd(of: sixYears, created: nil, updated: nil))
        XCTAssertNil(ComplianceSchedule.retentionEnd(of: nil, created: try day("2020-03-01"), updated: nil))

        let created = try day("2026-01-31")
        let updated = try day("2026-03-15")
        let reviewed = try day("2026-06-30")
        func next(_ frequency: ReviewFrequency?, _ last: Date?, _ updated: Date?, _ created: Date?) -> [String]? {
            ComplianceSchedule.nextReview(every: frequency, lastReviewed: last, updated: updated, created: created)
                .map { [Day.format($0.due), Day.format($0.from)] }
        }
        XCTAssertEqual(next(.quarterly, reviewed, updated, created), ["2026-09-30", "2026-06-30"])
        XCTAssertEqual(next(.quarterly, nil, updated, created), ["2026-06-15", "2026-03-15"])
        XCTAssertEqual(next(.monthly, nil, nil, created), ["2026-02-28", "2026-01-31"])
        XCTAssertEqual(next(.annual, nil, nil, created), ["2027-01-31", "2026-01-31"])
        XCTAssertNil(next(nil, reviewed, updated, created))
        XCTAssertNil(next(.annual, nil, nil, nil))
    }

    func testReviewFrequencyMissingAndNotAllowed() {
        let missing = record(
            """
            created: 2026-01-10
            compliance:
              hipaa:
                retention-period: 7-years

            """)
        let findings = check([missing])
        XCTAssertEqual(findings.map(\.rule), ["review-frequency-missing"])
        XCTAssertEqual(findings.first?.severity, .warning)

        let monthly = record(
            """
            created: 2026-01-10
            compliance:
              hipaa:
                retention-period: 7-years
                review-frequency: monthly

            """)
        let annualOnly = policy("review-frequencies: [annual, semi_annual]\n")
        XCTAssertEqual(annualOnly.allowedReviewFrequencies, [.annual, .semiAnnual])
        let refused = check([monthly], policy: annualOnly)
        XCTAssertEqual(refused.map(\.rule), ["review-frequency-invalid"])
        XCTAssertEqual(refused.first?.message, "review frequency monthly is not allowed by the policy")
    }

    func testUnknownControlIsAnErrorWithTheNearestID() {
        let document = record(
            """
            created: 2026-01-10
            compliance:
              soc2:
                controls: [CC7.2, CC77.2]
                retention-period: 7-years
                review-frequency: annual

            """)
        let findings = check([document])
        XCTAssertEqual(findings.map(\.rule), ["control-unknown"])
        XCTAssertEqual(findings.first?.severity, .error)
        XCTAssertEqual(findings.first.map { [$0.line, $0.column] }, [5, 23])
        XCTAssertTrue(
            findings.first?.message.hasPrefix("CC77.2 is not a soc2 control (did you mean CC7.2, ") == true,
            findings.first?.message ?? "")
    }

    func testISO2013ControlsAreSupersededAndTheirAliasesAreKnown() {
        let document = record(
            """
            created: 2026-01-10
            compliance:
              iso27001:
                controls: [A.16.1.5, A.5.26, "8.15"]
                retention-period: 7-years
                review-frequency: annual

            """)
        let findings = check([document])
        XCTAssertEqual(findings.map(\.rule), ["control-superseded"])
        XCTAssertEqual(findings.first?.severity, .warning)
        XCTAssertEqual(
            findings.first?.message,
            "ISO/IEC 27001:2013 A.16.1.5 (Response to information security incidents) is superseded; "
                + "certificates on the 2013 edition ended on 31 October 2025: use 5.26")
    }

    func testDuplicateIDsAreReportedOnEachRecord() {
        let yaml = """
            created: 2026-01-10
            compliance:
              soc2:
                retention-period: 7-years
                review-frequency: annual

            """
        let first = record(yaml, path: "a/RIS-100-one.md")
        let second = record(yaml, path: "b/RIS-100-two.md", body: "# RIS-100: Another\n\n**Severity:** LOW\n")
        let findings = check([first, second])
        XCTAssertEqual(findings.map(\.rule), ["duplicate-id", "duplicate-id"])
        XCTAssertEqual(findings.map(\.path), ["a/RIS-100-one.md", "b/RIS-100-two.md"])
        XCTAssertEqual(
            findings.map(\.message),
            ["RIS-100 is also the ID of b/RIS-100-two.md", "RIS-100 is also the ID of a/RIS-100-one.md"])
    }

    func testYAMLErrorsBecomeYamlInvalidFindings() {
        let broken = record("created: 2026-01-10\ncompliance: [soc2\n")
        let syntax = broken.diagnostics.first { $0.severity == .error }
        XCTAssertEqual(syntax?.code, .yamlSyntax)
        let findings = check([broken])
        XCTAssertEqual(findings.filter { $0.rule == "yaml-invalid" }.map(\.severity), [.error])
        XCTAssertEqual(findings.first { $0.rule == "yaml-invalid" }?.message, syntax?.message)

        let duplicate = record(
            """
            created: 2026-01-10
            created: 2026-01-11
            compliance:
              soc2:
                retention-period: 7-years
                review-frequency: annual

            """)
        XCTAssertEqual(duplicate.diagnostics.filter { $0.severity == .error }.map(\.code), [.yamlDuplicateKey])
        XCTAssertEqual(check([duplicate]).filter { $0.rule == "yaml-invalid" }.count, 1)
    }

    func testAYAMLErrorIsTheOnlyMetadataFindingButTheBodyIsStillChecked() {
        // The block is there but unread: no retention-missing, compliance-missing or date
        // finding on top of the YAML error; the body's pending sign-off still counts.
        let broken = record(
            "created: 2026-01-10\ncompliance:\n  hipaa:\n    retention-period: [7-years\n",
            body: "# RIS-100: Disk full\n\n**Severity:** HIGH\n\n---\n\n**Reviewed By:** Pending\n")
        XCTAssertEqual(check([broken]).map(\.rule), ["yaml-invalid", "sign-off-pending"])
    }

    func testARecordWithoutComplianceMetadataIsOneFinding() {
        let bare = record("created: 2026-01-10\n")
        let findings = check([bare])
        XCTAssertEqual(findings.map(\.rule), ["compliance-missing"])
        XCTAssertEqual(findings.first?.severity, .error)
        XCTAssertTrue(findings.first?.message.hasPrefix("no compliance block") == true, findings.first?.message ?? "")
        // The policy's required frameworks are not listed again one by one.
        XCTAssertEqual(
            check([bare], policy: policy("required-frameworks: [hipaa, soc2]\n")).map(\.rule), ["compliance-missing"])

        let empty = record("created: 2026-01-10\ncompliance:\n  owner: platform\n")
        XCTAssertEqual(check([empty]).map(\.rule), ["compliance-missing"])
        XCTAssertEqual(check([empty]).first?.line, 4)
        XCTAssertTrue(check([empty]).first?.message.hasPrefix("the compliance block names no framework") == true)
    }

    func testTheComplianceBlocksShapeIsReportedByCheck() {
        let document = record(
            """
            created: 2026-01-10
            compliance:
              soc2:
                retention-period: 7-years
                review-frequency: annual
                controls: {CC7.2: yes}
              fedramp-moderate: true

            """)
        let findings = check([document])
        XCTAssertEqual(findings.map(\.rule), ["compliance-value-type"])
        XCTAssertEqual(findings.first?.line, 7)
        let names = record("created: 2026-01-10\ncompliance: [soc2, acme-cert]\n")
        XCTAssertEqual(
            check([names]).filter { $0.rule.hasPrefix("compliance-") }.map(\.rule), ["compliance-unknown-framework"])
    }

    func testWhichDocumentsAreRecords() {
        // A broken record read as a plain document is a record by its RIS-like ID.
        let broken = DocumentParser.parse(
            data: Data("---\ncompliance: [soc2\n---\nnotes\n".utf8), path: "docs/RIS-207-notes.md")
        XCTAssertTrue(ComplianceCheck.isRecord(broken))
        XCTAssertEqual(check([broken]).map(\.rule), ["yaml-invalid"])
        let withBlock = DocumentParser.parse(
            data: Data("---\ncompliance:\n  soc2: true\n---\n# Access policy\n".utf8), path: "docs/policy.md")
        XCTAssertTrue(ComplianceCheck.isRecord(withBlock))
        let note = DocumentParser.parse(data: Data("# Onboarding notes\n".utf8), path: "docs/notes.md")
        XCTAssertFalse(ComplianceCheck.isRecord(note))
        let rising = DocumentParser.parse(data: Data("# Rising costs\n".utf8), path: "docs/RISING-costs.md")
        XCTAssertFalse(ComplianceCheck.isRecord(rising))
    }

    func testARecordWithoutACreatedDateIsOneFinding() {
        let undated = record(
            "compliance:\n  soc2:\n    retention-period: 7-years\n    review-frequency: annual\n",
            body: "# RIS-100: Disk full\n\n**Date:** 2026-01-20\n")
        let findings = check([undated])
        XCTAssertEqual(findings.map(\.rule), ["created-missing"])
        XCTAssertEqual(
            findings.first?.message,
            "no `created` date: the retention and the review schedule cannot be computed; add `created: YYYY-MM-DD` "
                + "(the incident's date is 2026-01-20)")
        // `updated` alone is a date to count from.
        let updated = record(
            "updated: 2026-01-10\ncompliance:\n  soc2:\n    retention-period: 7-years\n    review-frequency: annual\n")
        XCTAssertEqual(check([updated]).map(\.rule), [])
    }

    func testISO8601TimestampsAreReadAsTheirDay() {
        // Tools write timestamps; YAML reads an unquoted one as a timestamp, a quoted one as text.
        let stamped = record(
            """
            created: 2025-11-28T00:00:00Z
            updated: '2025-12-01T09:30:00+01:00'
            last-reviewed: 2026-01-15T16:00:00Z
            compliance:
              soc2:
                retention-period: 7-years
                review-frequency: quarterly

            """)
        XCTAssertEqual(check([stamped], asOf: "2026-04-14").map(\.rule), [])
        XCTAssertEqual(check([stamped], asOf: "2026-04-16").map(\.rule), ["review-overdue"])
        XCTAssertEqual(
            check([stamped], asOf: "2026-04-16").first?.message,
            "quarterly review was due on 2026-04-15 (last review 2026-01-15)")
    }

    func testDatesMustBeRealAndInOrder() {
        let impossible = record(
            """
            created: 2026-02-30
            compliance:
              soc2:
                retention-period: 7-years
                review-frequency: annual

            """)
        let findings = check([impossible])
        XCTAssertEqual(findings.map(\.rule), ["date-invalid"])
        XCTAssertEqual(findings.first?.message, "`created` must be a date like 2026-01-10, not '2026-02-30'")

        let backwards = record(
            """
            created: 2026-01-10
            updated: 2026-01-05
            compliance:
              soc2:
                retention-period: 7-years
                review-frequency: annual

            """)
        XCTAssertEqual(check([backwards]).map(\.message), ["`updated` (2026-01-05) is before `created` (2026-01-10)"])
    }

    func testRequiredFrameworksAndKeysAndPendingSignOff() {
        let document = record(
            """
            created: 2026-01-10
            compliance:
              soc2:
                retention-period: 7-years
                review-frequency: annual

            """, body: "# RIS-100: Disk full\n\n**Severity:** HIGH\n\n---\n\n**Sign-Off:** Pending (security)\n")
        let required = policy("required-frameworks: [hipaa]\nrequired-keys: [classification]\n")
        let findings = check([document], policy: required)
        XCTAssertEqual(
            findings.map(\.message).sorted(),
            [
                "Sign-Off is still Pending (security)",
                "the policy requires `classification` in `compliance.soc2`",
                "the policy requires a `compliance.hipaa` block",
            ])
        XCTAssertEqual(findings.filter { $0.rule == "sign-off-pending" }.map(\.severity), [.warning])
    }

    func testADocumentThatIsNoRecordIsNotChecked() {
        let note = DocumentParser.parse(
            data: Data("# Onboarding notes\n\nNothing to keep.\n".utf8), path: "docs/notes.md")
        XCTAssertEqual(note.kind, .doc)
        XCTAssertEqual(check([note]), [])
    }

    /// Periods compare as the calendar counts them: `72-months` is six years, `2190-days` is not.
    func testRetentionOfEveryUnitComparesByTheCalendar() {
        func findings(_ period: String) -> [String] {
            check([
                record(
                    """
                    created: 2026-01-10
                    compliance:
                      hipaa:
                        retention-period: \(period)
                        review-frequency: annual

                    """)
            ]).map(\.rule)
        }
        XCTAssertEqual(findings("72-months"), [])
        XCTAssertEqual(findings("6-years"), [])
        XCTAssertEqual(findings("2192-days"), [])
        XCTAssertEqual(findings("2190-days"), ["retention-below-minimum"])
        XCTAssertEqual(findings("71-months"), ["retention-below-minimum"])
    }
}
