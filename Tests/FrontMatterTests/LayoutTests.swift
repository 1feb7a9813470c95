import Foundation
import XCTest

@testable import FrontMatter

/// The layouts of issue 10 at the level of the split: which lines are YAML, which are the
/// body, what is recovered from broken YAML.
final class LayoutTests: XCTestCase {
    func split(_ text: String, ext: String = "yaml") -> FrontMatterDocument {
        FrontMatterDocument(source: SourceText(string: text), pathExtension: ext)
    }

    // MARK: Rule 1: `---` keys `---` and nothing after

    func testYAMLRecordClosedBySecondFenceOrDocumentEnd() {
        for closing in ["---", "...", "---   "] {
            let document = split("---\nid: RIS-1\ntitle: T\n\(closing)\n\n")
            XCTAssertEqual(document.shape, .yamlRecord, closing)
            XCTAssertEqual(document.root?["id"]?.scalarText, "RIS-1")
            XCTAssertEqual(document.root?["id"]?.position, SourcePosition(line: 2, column: 5))
            XCTAssertEqual(document.diagnostics, [], "an empty trailing document is no error")
        }
        // Comments after the closing line are nothing too.
        XCTAssertEqual(split("---\nid: RIS-1\n---\n# trailing comment\n").diagnostics, [])
    }

    func testClosedYAMLFileFollowedByMarkdownIsFrontMatter() {
        let document = split("---\nid: RIS-2\n---\n\n## Summary\n\nText.\n")
        XCTAssertEqual(document.shape, .closed)
        XCTAssertEqual(document.bodyFirstLine, 4)
        XCTAssertTrue(document.body.contains("## Summary"))
    }

    func testABareHeaderInAYAMLFile() {
        let document = split(
            "resolution_id: RIS-055\ntitle: Restore failed\n# a comment\n---\n## Incident Summary\n\nText.\n")
        XCTAssertEqual(document.shape, .bareHeader)
        XCTAssertEqual(document.root?["title"]?.scalarText, "Restore failed")
        XCTAssertEqual(document.bodyFirstLine, 5)
        XCTAssertEqual(document.diagnostics, [])
    }

    // MARK: Rule 2: broken YAML keeps what it can

    func testKeysAboveTheErrorAreRead() {
        let document = split("id: RIS-901\ntitle: Queue backlog\nsteps:\n  - restart worker: done: yes\n")
        XCTAssertEqual(document.shape, .yamlRecord)
        XCTAssertEqual(document.root?["id"]?.scalarText, "RIS-901")
        XCTAssertEqual(document.root?["title"]?.position, SourcePosition(line: 2, column: 8))
        XCTAssertNil(document.root?["steps"])
        XCTAssertEqual(document.salvage?.keys, ["id", "title"])
        XCTAssertEqual(document.salvage?.skippedLines, [3...4])
        XCTAssertEqual(document.diagnostics.map(\.severity), [.error, .note])
        XCTAssertEqual(document.diagnostics[0].position, SourcePosition(line: 4, column: 25))
        XCTAssertEqual(
            document.diagnostics[1].message,
            "read 2 top-level keys around the YAML error (id, title); lines 3-4 not read")
    }

    func testKeysAfterTheBrokenEntryAreReadToo() {
        let document = split("id: RIS-1\nbad: [unclosed\nstatus: resolved\nseverity: high\n")
        XCTAssertEqual(document.root?["id"]?.scalarText, "RIS-1")
        XCTAssertEqual(document.root?["status"]?.scalarText, "resolved")
        XCTAssertEqual(document.root?["severity"]?.position.line, 4)
        XCTAssertEqual(document.salvage?.skippedLines, [2...2])
        XCTAssertEqual(document.diagnostics.filter { $0.severity == .error }.count, 1, "one error, said once")
    }

    func testAnUnclosedQuoteIsCutWhereItStarts() {
        // libyaml notices the quote at the end of the text; the entry starts at line 2.
        let document = split("id: RIS-1\ntitle: \"never closed\nstatus: open\n")
        XCTAssertEqual(document.root?["id"]?.scalarText, "RIS-1")
        XCTAssertNil(document.root?["title"])
        XCTAssertNotNil(document.salvage)
    }

    func testBrokenFrontMatterInMarkdownIsSalvagedAndTheBodyRead() {
        let document = split("---\nid: RIS-3\ntags: [a, b\n---\n# RIS-3: T\n", ext: "md")
        XCTAssertEqual(document.shape, .closed)
        XCTAssertEqual(document.root?["id"]?.scalarText, "RIS-3")
        XCTAssertEqual(document.bodyFirstLine, 5)
        XCTAssertNotNil(document.salvage)
    }

    func testManyErrorsAreBoundedAndSaid() {
        let text = (0..<100).map { "k\($0): ok\nbad\($0): `x`\n" }.joined()
        let document = split(text)
        XCTAssertEqual(document.salvage?.keys.count, 32, "two parses per error, 64 at most")
        XCTAssertEqual(document.salvage?.skippedLines.last, 65...200)
        XCTAssertTrue(
            document.diagnostics[1].message.contains("too many errors: reading stopped at line 65"),
            document.diagnostics[1].message)
        XCTAssertTrue(
            document.diagnostics[1].message.contains("(168 lines in 33 places)"), document.diagnostics[1].message)
    }

    func testAnUnclosedQuoteIsReportedWhereTheFileEnds() {
        let document = split("id: RIS-1\ntitle: \"never closed\nstatus: open\n")
        XCTAssertEqual(
            document.diagnostics[0].position, SourcePosition(line: 3, column: 13), "not on a line after the last")
    }

    func testACommentTitleAboveBrokenYAMLIsAComment() {
        let document = split(
            "# RIS-903: Queue backlog\nid: RIS-903\nsummary: `kubectl` hung\n# Timeline\ntimeline:\n  - 10:00 "
                + "alert\nstatus: resolved\n"
        )
        XCTAssertEqual(document.shape, .yamlRecord)
        XCTAssertEqual(document.root?["status"]?.scalarText, "resolved")
        XCTAssertEqual(document.salvage?.skippedLines, [3...3])
    }

    func testNothingRecoverableIsNoSalvage() {
        let document = split("- [unclosed\n")
        XCTAssertNil(document.root)
        XCTAssertNil(document.salvage)
        XCTAssertEqual(document.diagnostics.map(\.severity), [.error])
    }

    func testHostileYAMLIsRefusedNotSalvaged() {
        let bomb = "a: &a [x, x]\n" + (1...70).map { "k\($0): *a" }.joined(separator: "\n") + "\n"
        let document = split(bomb)
        XCTAssertNil(document.root)
        XCTAssertNil(document.salvage)
        XCTAssertTrue(document.diagnostics.contains { $0.message.contains("alias bomb") })
    }

    func testTheEditorRefusesSalvagedFrontMatter() {
        let data = Data("---\nid: RIS-3\ntags: [a, b\n---\nbody\n".utf8)
        XCTAssertThrowsError(try FrontMatterEditor.setting(["reviewed-by"], to: .string("Dana"), in: data)) { error in
            XCTAssertTrue("\(error)".contains("does not parse"), "\(error)")
        }
    }

    // MARK: Rule 3: a heading, then key lines, then markdown

    func testHeadingThenKeysThenMarkdownInAYAMLFile() {
        let text =
            "# RIS-903: Queue backlog\n\nid: RIS-903\nstatus: resolved\npriority: P2\n\n## Problem\n\nText here.\n"
        let document = split(text)
        XCTAssertEqual(document.shape, .headingThenKeys)
        XCTAssertEqual(document.yamlFirstLine, 3)
        XCTAssertEqual(document.root?["priority"]?.position, SourcePosition(line: 5, column: 11))
        XCTAssertEqual(document.bodyFirstLine, 1)
        XCTAssertEqual(
            document.body, "# RIS-903: Queue backlog\n\n\n\n\n\n## Problem\n\nText here.\n",
            "key lines blanked, lines kept")
        XCTAssertEqual(document.diagnostics, [])
    }

    func testHeadingThenKeysInMarkdownNeedsAParagraphOfKeys() {
        let metadata = split("# RIS-7: Title\n\nid: RIS-7\nstatus: open\n---\n\nBody.\n", ext: "md")
        XCTAssertEqual(metadata.shape, .headingThenKeys)
        XCTAssertEqual(metadata.root?["status"]?.scalarText, "open")
        XCTAssertEqual(metadata.body, "# RIS-7: Title\n\n\n\n\n\nBody.\n", "the closing --- is blanked too")

        // Prose that happens to start with `Word: ` is not metadata.
        XCTAssertEqual(split("# Title\n\nNote: the cache was cold.\nSee: the runbook.\n", ext: "md").shape, .none)
        XCTAssertEqual(split("# Title\n\nstatus: open\n", ext: "md").shape, .none, "one key line in markdown is prose")
        XCTAssertEqual(split("# Title\n\nid: RIS-1\nstatus: open\nand then a sentence.\n", ext: "md").shape, .none)
    }

    // MARK: YAML comments versus markdown headings

    func testACommentAboveYAMLIsNoHeadingButAHeadingAboveProseIs() {
        let broken = split("id: RIS-905\nsteps:\n  - a\n# Problem Summary\nproblem: x\n  y: z\n")
        XCTAssertEqual(broken.shape, .yamlRecord, "the # line is a comment: more YAML follows it")
        XCTAssertNotNil(broken.salvage)
        let mixed = split("id: RIS-9\ntitle: x\n# RIS-9: Title\n**Date:** 2026-01-01\n")
        XCTAssertEqual(mixed.shape, .unclosed, "prose follows the heading: markdown")
        XCTAssertEqual(mixed.bodyFirstLine, 3)
    }

    func testValidYAMLWithACommentFirstIsARecord() {
        let document = split("# RIS-903: Queue backlog\nid: RIS-903\nstatus: resolved\n")
        XCTAssertEqual(document.shape, .yamlRecord)
        XCTAssertEqual(document.diagnostics, [])
    }
}

/// Rule 8: compliance blocks as written in practice.
final class ComplianceShapeTests: XCTestCase {
    func read(_ yaml: String) -> (ComplianceMetadata, [Diagnostic]) {
        ComplianceMetadata.read(from: SafeYAML.parse(yaml).root)
    }

    func testFrameworkFlagsAndAttributes() {
        let (metadata, diagnostics) = read(
            """
            compliance:
              soc2: true
              hipaa: false
              gdpr: n/a
              audit_trail: true
              retention_policy: "keep forever"
              format: {version: 2}
            """)
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(metadata.frameworks.map(\.name), ["soc2"])
        XCTAssertEqual(metadata.frameworks[0].position, SourcePosition(line: 2, column: 3))
        XCTAssertEqual(metadata.attributes.map { $0.key.scalarText }, ["audit_trail", "retention_policy", "format"])
    }

    func testABlockThatSaysItDoesNotApply() {
        let (metadata, diagnostics) = read(
            "compliance:\n  hipaa:\n    applicable: false\n  soc2:\n    applicable: true\n    controls: [CC7.2]\n")
        XCTAssertEqual(metadata.frameworks.map(\.name), ["soc2"])
        XCTAssertEqual(metadata.attributes, [])
        XCTAssertEqual(diagnostics, [])
    }

    func testTopLevelFlagsControlListsAndNames() {
        let (metadata, diagnostics) = read(
            """
            id: RIS-1
            soc2: true
            iso27001: yes
            hipaa_controls: [164.312(b)]
            soc2-controls: CC7.2, CC8.1
            pci: false
            """)
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(metadata.frameworks.map(\.name), ["soc2", "iso27001", "hipaa"], "in the order written")
        XCTAssertEqual(metadata.framework("hipaa")?.controls.map(\.value), ["164.312(b)"])
        XCTAssertEqual(metadata.framework("hipaa")?.position.line, 4, "the control list names it")
        XCTAssertEqual(
            metadata.framework("soc2")?.controls.map(\.value), ["CC7.2", "CC8.1"],
            "the flag and the list are one framework")
        XCTAssertEqual(metadata.framework("soc2")?.position.line, 2)
    }

    func testTheBlockWinsOverTopLevelFlags() {
        let (metadata, _) = read(
            """
            soc2: true
            compliance:
              soc2:
                controls: [CC7.3]
            """)
        XCTAssertEqual(metadata.frameworks.count, 1)
        XCTAssertEqual(metadata.framework("soc2")?.controls.map(\.value), ["CC7.3"])
    }

    func testListsOfFrameworkNames() {
        let (metadata, diagnostics) = read(
            "compliance: [HIPAA, SOC 2, ISO/IEC 27001:2022, Widgets]\nframeworks: pci-dss\n")
        XCTAssertEqual(metadata.frameworks.map(\.name), ["hipaa", "soc2", "iso27001", "pci-dss"])
        XCTAssertEqual(diagnostics.map(\.severity), [.warning], "an unknown name is said, not an error")
    }

    func testNestedMetadataCarriesCompliance() {
        let (metadata, _) = read(
            "metadata:\n  created_at: 2024-05-02T09:14:00Z\n  compliance:\n    hipaa:\n      retention-period: "
                + "6-years\n"
        )
        XCTAssertEqual(metadata.framework("hipaa")?.retentionPeriod?.value, RetentionPeriod(amount: 6, unit: .years))
        XCTAssertEqual(metadata.created?.value, "2024-05-02T09:14:00Z")
    }

    func testCanonicalNames() {
        XCTAssertEqual(ComplianceFrameworks.canonicalName("SOC 2 Type II"), "soc2")
        XCTAssertEqual(ComplianceFrameworks.canonicalName("ISO-27001"), "iso27001")
        XCTAssertEqual(ComplianceFrameworks.canonicalName("iso27001:2013"), "iso27001")
        XCTAssertEqual(ComplianceFrameworks.canonicalName("PCI DSS"), "pci-dss")
        XCTAssertNil(ComplianceFrameworks.canonicalName("audit_trail"))
    }
}

/// Rule 5: one alias table.
final class FieldAliasTests: XCTestCase {
    func testAliasesAndContainers() {
        let root = SafeYAML.parse(
            """
            incident_id: RIS-1
            metadata:
              id: RIS-OTHER
              createdAt: 2024-04-01
            record:
              severity: P1
            """
        ).root
        let aliases = FieldAliases.builtIn
        XCTAssertEqual(
            aliases.value(of: .id, in: root)?.value.scalarText, "RIS-OTHER",
            "nested keys read as the top level: `id` is preferred")
        let both = SafeYAML.parse("id: RIS-TOP\nmetadata:\n  id: RIS-NESTED\n").root
        XCTAssertEqual(
            aliases.value(of: .id, in: both)?.value.scalarText, "RIS-TOP", "the top level wins for the same name")
        XCTAssertEqual(aliases.value(of: .created, in: root)?.value.scalarText, "2024-04-01")
        XCTAssertEqual(aliases.value(of: .severity, in: root)?.value.scalarText, "P1")
        XCTAssertEqual(aliases.field(forKey: "Date Identified"), .date)
        XCTAssertEqual(aliases.field(forKey: "resolutionId"), .id)
    }

    func testExtendingKeepsTheFirstOwner() {
        let aliases = FieldAliases.builtIn.adding([.date: ["When", "created"], .id: ["ticket"]])
        XCTAssertEqual(aliases.field(forKey: "when"), .date)
        XCTAssertEqual(aliases.field(forKey: "created"), .created, "a built-in name keeps its field")
        XCTAssertEqual(aliases.names(of: .id).last, "ticket")
        XCTAssertNotEqual(aliases.fingerprint, FieldAliases.builtIn.fingerprint)
    }
}
