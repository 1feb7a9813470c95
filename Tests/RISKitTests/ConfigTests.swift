import Foundation
import XCTest

@testable import RISKit

/// `.ris/config.yaml`: defaults, each key, and the diagnostics of what cannot be used.
final class ConfigTests: XCTestCase {
    private func codes(_ diagnostics: [Diagnostic]) -> [DiagnosticCode] { diagnostics.map(\.code) }

    func testAnEmptyFileGivesTheDefaults() {
        let (config, diagnostics) = KnowledgeBaseConfig.read("")
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(config, KnowledgeBaseConfig())
        XCTAssertEqual(config.include, ["**/*.md", "**/*.markdown", "**/*.yaml", "**/*.yml"])
        XCTAssertEqual(config.exclude, [".git/**", ".ris/**", ".build/**", "node_modules/**"])
        XCTAssertEqual(config.resolutions, "docs/06-ris/resolutions")
        XCTAssertEqual(config.kb, "docs/05-kb")
        XCTAssertEqual(config.hotPatterns, ".claude/memory/hot-patterns.md")
        XCTAssertEqual(config.idPrefix, "RIS")
        XCTAssertEqual(config.idWidth, 3)
        XCTAssertEqual(config.maxFileBytes, 16 * 1024 * 1024)
        XCTAssertNil(config.defaults)
        XCTAssertNil(config.compliance)
    }

    func testTheInitTemplateReadsWithoutDiagnostics() {
        let (config, diagnostics) = KnowledgeBaseConfig.read(KnowledgeBaseConfig.template)
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(config.defaults?["compliance"]?["hipaa"]?["retention-period"]?.scalarText, "7-years")
        let policy = CompliancePolicy(config.compliance)
        XCTAssertEqual(policy.minimumRetention["hipaa"], RetentionPeriod(amount: 6, unit: .years))
        XCTAssertEqual(policy.allowedReviewFrequencies, Set(ReviewFrequency.allCases))
        XCTAssertEqual(policy.requiredFrameworks, [])
    }

    func testEachKey() {
        let (config, diagnostics) = KnowledgeBaseConfig.read(
            """
            version: 1
            include: "records/**"
            exclude: [drafts/**, "*.tmp.md"]
            resolutions: records/incidents
            kb: records/kb
            hot-patterns: HOT.md
            id:
              prefix: OPS
              width: 5
            max-file-size: 512KiB
            defaults:
              project: acme
            compliance:
              required-frameworks: [soc2]

            """)
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(config.include, ["records/**"])
        XCTAssertEqual(config.exclude, ["drafts/**", "*.tmp.md"])
        XCTAssertEqual(config.resolutions, "records/incidents")
        XCTAssertEqual(config.kb, "records/kb")
        XCTAssertEqual(config.hotPatterns, "HOT.md")
        XCTAssertEqual(config.idPrefix, "OPS")
        XCTAssertEqual(config.idWidth, 5)
        XCTAssertEqual(config.maxFileBytes, 512 * 1024)
        XCTAssertEqual(config.defaults?["project"]?.scalarText, "acme")
        XCTAssertEqual(CompliancePolicy(config.compliance).requiredFrameworks, ["soc2"])
    }

    func testFileSizes() {
        XCTAssertEqual(KnowledgeBaseConfig.read("max-file-size: 1048576\n").0.maxFileBytes, 1_048_576)
        XCTAssertEqual(KnowledgeBaseConfig.read("max-file-size: 2 MB\n").0.maxFileBytes, 2 * 1_048_576)
        XCTAssertEqual(KnowledgeBaseConfig.read("max-file-size: 1GiB\n").0.maxFileBytes, 1 << 30)
        for bad in ["0", "lots", "-5MiB", "5 TB", "[1]"] {
            let (config, diagnostics) = KnowledgeBaseConfig.read("max-file-size: \(bad)\n")
            XCTAssertEqual(config.maxFileBytes, 16 * 1024 * 1024, bad)
            XCTAssertEqual(
                diagnostics.map(\.message), ["`max-file-size` must be a size like 16MiB, 512KiB or 1048576"], bad)
            XCTAssertEqual(codes(diagnostics), [.configInvalid], bad)
        }
    }

    func testWrongTypesAreErrorsAndKeepTheDefaults() {
        let (config, diagnostics) = KnowledgeBaseConfig.read(
            """
            include: {docs: yes}
            resolutions: [a, b]
            id:
              prefix: [RIS]
              width: 13

            """)
        XCTAssertEqual(config.include, KnowledgeBaseConfig().include)
        XCTAssertEqual(config.resolutions, "docs/06-ris/resolutions")
        XCTAssertEqual(config.idPrefix, "RIS")
        XCTAssertEqual(config.idWidth, 3)
        XCTAssertEqual(codes(diagnostics), [.configInvalid, .configInvalid, .configInvalid, .configInvalid])
        XCTAssertEqual(diagnostics.map(\.severity), [.error, .error, .error, .error])
        XCTAssertEqual(
            diagnostics.map(\.message),
            [
                "`include` must be a glob or a list of globs",
                "`resolutions` must be a single value",
                "`id.prefix` must be a single value",
                "`id.width` must be a whole number from 1 to 12",
            ])
        XCTAssertEqual(diagnostics.map(\.line), [1, 2, 4, 5])
    }

    func testIDWidthMustBeAWholeNumberFrom1To12() {
        XCTAssertEqual(KnowledgeBaseConfig.read("id: {width: 12}\n").0.idWidth, 12)
        XCTAssertEqual(KnowledgeBaseConfig.read("id: {width: 1}\n").0.idWidth, 1)
        for bad in ["0", "3.5", "\"4\"", "three"] {
            let (config, diagnostics) = KnowledgeBaseConfig.read("id: {width: \(bad)}\n")
            XCTAssertEqual(config.idWidth, 3, bad)
            XCTAssertEqual(codes(diagnostics), [.configInvalid], bad)
        }
    }

    func testNotAMappingAndYAMLErrors() {
        let (_, list) = KnowledgeBaseConfig.read("- include\n- exclude\n")
        XCTAssertEqual(list.map(\.message), ["the configuration must be a mapping of keys"])
        XCTAssertEqual(codes(list), [.configInvalid])

        let (config, broken) = KnowledgeBaseConfig.read("kb: [unclosed\n")
        XCTAssertEqual(config.kb, "docs/05-kb")
        XCTAssertEqual(broken.first?.code, .yamlSyntax)
        XCTAssertEqual(broken.first?.severity, .error)
    }

    func testUnknownKeysAreWarnings() {
        let (_, diagnostics) = KnowledgeBaseConfig.read("kb: docs/kb\ncolour: blue\nhot_patterns: HOT.md\n")
        XCTAssertEqual(codes(diagnostics), [.configUnknownKey])
        XCTAssertEqual(diagnostics.first?.severity, .warning)
        XCTAssertEqual(diagnostics.first?.message, "unknown key `colour`; ignored")
        XCTAssertEqual(diagnostics.first.map { [$0.line, $0.column] }, [2, 1])
    }

    func testAPolicyBelowTheLawIsAWarning() {
        let (config, diagnostics) = KnowledgeBaseConfig.read(
            """
            compliance:
              minimum-retention:
                HIPAA: 5-years
                soc2: 1-year

            """)
        XCTAssertEqual(codes(diagnostics), [.configPolicyBelowLaw])
        XCTAssertEqual(diagnostics.first?.severity, .warning)
        XCTAssertEqual(
            diagnostics.first?.message,
            "`minimum-retention.HIPAA` is 5-years, below the 6-years of 45 CFR 164.316(b)(2)(i); "
                + "ris check accepts records kept for less")
        XCTAssertEqual(diagnostics.first?.line, 3)
        // The policy is the team's: it applies all the same.
        XCTAssertEqual(
            CompliancePolicy(config.compliance).minimumRetention["hipaa"], RetentionPeriod(amount: 5, unit: .years))
        XCTAssertEqual(KnowledgeBaseConfig.read("compliance: {minimum-retention: {hipaa: 10-years}}\n").1, [])
    }

    func testFieldAliases() {
        let (config, diagnostics) = KnowledgeBaseConfig.read(
            """
            field-aliases:
              date: [when, incident_day]
              id: ticket

            """)
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(Array(config.fieldAliases.names(of: .date).suffix(2)), ["when", "incident-day"])
        XCTAssertEqual(config.fieldAliases.field(forKey: "Incident Day"), .date)
        XCTAssertEqual(config.fieldAliases.field(forKey: "ticket"), .id)
        XCTAssertNil(KnowledgeBaseConfig().fieldAliases.field(forKey: "ticket"))

        // Records are read with them.
        let text = "---\nticket: RIS-321\nwhen: 2026-01-05\n---\n\n**Severity:** LOW\n"
        let document = DocumentParser.parse(
            data: Data(text.utf8), path: "notes/outage.md", options: config.parseOptions)
        XCTAssertEqual(document.id, "RIS-321")
        XCTAssertEqual(document.date, "2026-01-05")
    }

    func testFieldAliasProblems() {
        let (config, diagnostics) = KnowledgeBaseConfig.read(
            """
            field-aliases:
              colour: [hue]
              date: [title, when]
              status: {a: b}

            """)
        XCTAssertEqual(codes(diagnostics), [.configInvalid, .configAliasTaken, .configInvalid])
        XCTAssertEqual(diagnostics.map(\.severity), [.error, .warning, .error])
        XCTAssertTrue(
            diagnostics[0].message.hasPrefix("`field-aliases` has no field `colour`; the fields are id, title, date,"),
            diagnostics[0].message)
        XCTAssertEqual(diagnostics[1].message, "`title` already names `title`; it stays there")
        XCTAssertEqual(diagnostics[1].line, 3)
        XCTAssertEqual(diagnostics[2].message, "`field-aliases.status` must be a key name or a list of them")
        // The usable alias is still added; the taken one stays with its field.
        XCTAssertEqual(config.fieldAliases.field(forKey: "when"), .date)
        XCTAssertEqual(config.fieldAliases.field(forKey: "title"), .title)

        let (_, scalar) = KnowledgeBaseConfig.read("field-aliases: when\n")
        XCTAssertEqual(
            scalar.map(\.message), ["`field-aliases` must map fields to key names (`date: [when, incident_day]`)"])
        XCTAssertEqual(codes(scalar), [.configInvalid])
    }
}

final class RefreshIntervalConfigTests: XCTestCase {
    func testDurations() {
        XCTAssertEqual(KnowledgeBaseConfig.parseDuration("30"), 30)
        XCTAssertEqual(KnowledgeBaseConfig.parseDuration(" 30s "), 30)
        XCTAssertEqual(KnowledgeBaseConfig.parseDuration("5m"), 300)
        XCTAssertEqual(KnowledgeBaseConfig.parseDuration("1 h"), 3600)
        XCTAssertEqual(KnowledgeBaseConfig.parseDuration("0"), 0)
        for wrong in ["", "s", "2d", "-5", "1.5m", "9999999"] {
            XCTAssertNil(KnowledgeBaseConfig.parseDuration(wrong), wrong)
        }
    }
}
