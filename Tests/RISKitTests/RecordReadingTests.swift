import Foundation
import FrontMatter
import XCTest

@testable import RISKit

/// What a careful reader takes from the layouts of issue 10, rule by rule.
final class RecordReadingTests: XCTestCase {
    func parse(_ text: String, path: String = "docs/x.md", options: ParseOptions = .default) -> RISDocument {
        DocumentParser.parse(data: Data(text.utf8), path: path, options: options)
    }

    // MARK: Titles (rule 4)

    func testATitleKeyWinsOverAnyHeading() {
        XCTAssertEqual(parse("---\ntitle: From the key\n---\n# RIS-1: From the heading\n").title, "From the key")
        XCTAssertEqual(parse("# RIS-1: From the heading\n\n**Title:** From the field\n").title, "From the field")
        XCTAssertEqual(
            parse("---\nid: RIS-904\ntitle: Queue backlog\n\n# Summary\nProse.\n", path: "r/x.yaml").title,
            "Queue backlog")
    }

    func testAnIDOnlyOrGenericHeadingIsNoTitle() {
        for heading in ["# Summary", "# Problem Summary:", "# Overview", "# Implementation Results", "# Issue"] {
            XCTAssertEqual(parse("\(heading)\n\nText.\n", path: "r/RIS-045-disk-full.md").title, "Disk full", heading)
        }
        let acme = parse(
            "---\nproject: acme\n---\n\n# RIS-QUEUE-BACKLOG-20240401\n", path: "kb/acme-RIS-QUEUE-BACKLOG-20240401.md")
        XCTAssertEqual(acme.id, "RIS-QUEUE-BACKLOG-20240401")
        XCTAssertEqual(acme.title, "Queue backlog", "the ID's words, never the project before it")
    }

    func testTitlesFromIdentifiers() {
        XCTAssertEqual(FieldValue.title(fromIdentifier: "RIS-QUEUE-BACKLOG-20240401"), "Queue backlog")
        XCTAssertEqual(FieldValue.title(fromIdentifier: "RES-20251203-button-prop-mismatch"), "Button prop mismatch")
        XCTAssertEqual(FieldValue.title(fromIdentifier: "RIS-INCIDENT-KMS-20260525"), "Incident kms")
        XCTAssertNil(FieldValue.title(fromIdentifier: "RIS-RESOLUTION-046"), "no words of its own")
        XCTAssertNil(FieldValue.title(fromIdentifier: "RIS-045"))
        XCTAssertEqual(parse("id: RIS-RESOLUTION-046\n", path: "r/notes.yaml").title, "Notes")
        XCTAssertEqual(parse("id: RIS-RESOLUTION-046\n", path: "r/RIS-RESOLUTION-046.yaml").title, "RIS-RESOLUTION-046")
    }

    func testAYAMLCommentIsNeverATitle() {
        let document = parse("# RIS-7: Looks like a heading\nid: RIS-7\nstatus: open\n", path: "r/RIS-7.yaml")
        XCTAssertEqual(document.shape, .yamlRecord)
        XCTAssertEqual(document.title, "RIS-7")
    }

    func testAStatedIDThatDiffersFromTheHeadingsWinsOnlyWithReason() {
        let shortened = parse(
            "---\nris_id: RIS-DATA-001-ORGANIZATION-ID-MISMATCH\n---\n# RIS-DATA-001: Organization ID mismatch\n",
            path: "r/RIS-DATA-001-ORGANIZATION-ID-MISMATCH.md")
        XCTAssertEqual(shortened.id, "RIS-DATA-001-ORGANIZATION-ID-MISMATCH")
        let stale = parse("---\nid: RIS-044\n---\n# RIS-045: Copied front matter\n", path: "r/RIS-045-copied.md")
        XCTAssertEqual(stale.id, "RIS-045", "the file name confirms the heading")
        XCTAssertEqual(
            parse("---\nid: RIS-044\n---\n# RIS-045: T\n", path: "r/notes.md").id, "RIS-045",
            "without a reason, the heading's")
        XCTAssertEqual(
            parse("---\nid: RIS-044\n---\n# RIS-045: T\n", path: "r/RIS-044.md").id, "RIS-044",
            "the file name confirms the key")
    }

    // MARK: Aliases (rule 5) and nested metadata (rule 6)

    func testTheSameKeysInFrontMatterAndYAMLRecords() {
        let front = parse(
            "---\nincident_id: RIS-912\ncreated_at: 2024-05-02T09:14:00Z\npriority: P2\nstate: Resolved\n---\nBody.\n")
        let record = parse(
            "incident_id: RIS-912\ncreated_at: 2024-05-02T09:14:00Z\npriority: P2\nstate: Resolved\n", path: "r/x.yaml")
        for document in [front, record] {
            XCTAssertEqual(document.id, "RIS-912")
            XCTAssertEqual(document.date, "2024-05-02")
            XCTAssertEqual(document.severity, "HIGH")
            XCTAssertEqual(document.status, "RESOLVED")
        }
    }

    func testAnIncidentDateWinsOverACreationDate() {
        XCTAssertEqual(parse("created: 2024-04-02\ndate_identified: 2024-03-30\n", path: "r/x.yaml").date, "2024-03-30")
        XCTAssertEqual(
            parse("---\ncreated: '2026-01-10'\n---\n# RIS-1: T\n\n**Date:** 2025-12-28\n").date, "2025-12-28")
        XCTAssertEqual(
            parse("---\ncreated: '2026-01-10'\n---\n# RIS-1: T\n").date, "2026-01-10", "else the creation date")
        XCTAssertEqual(parse("date: April 1, 2024\n", path: "r/x.yaml").date, "2024-04-01")
    }

    func testSeverityCodes() {
        let cases = [
            "P0": "CRITICAL", "P1": "CRITICAL", "p2": "HIGH", "P3": "MEDIUM", "P4": "LOW", "P5": "LOW",
            "SEV1": "CRITICAL",
            "Sev-2": "HIGH", "SEV 3": "MEDIUM", "sev4": "LOW", "🔴 P1 - High": "CRITICAL",
            "High (customer-facing)": "HIGH",
            "moderate": "MODERATE",
        ]
        for (written, read) in cases { XCTAssertEqual(FieldValue.severity(written), read, written) }
        XCTAssertEqual(
            parse("severity: high\npriority: P1\n", path: "r/x.yaml").severity, "HIGH", "severity before priority")
    }

    func testNestedMetadataReadsLikeTheTopLevel() {
        let document = parse(
            """
            status: open
            metadata:
              id: RIS-906
              title: Queue backlog
              status: resolved
              severity: high
            incident:
              created: 2024-04-01
            """, path: "r/c6.yaml")
        XCTAssertEqual(document.id, "RIS-906")
        XCTAssertEqual(document.title, "Queue backlog")
        XCTAssertEqual(document.status, "OPEN", "the top level wins")
        XCTAssertEqual(document.severity, "HIGH")
        XCTAssertEqual(document.date, "2024-04-01")
        XCTAssertEqual(document.kind, .ris)
    }

    func testConfiguredAliases() {
        let options = ParseOptions(
            aliases: FieldAliases.builtIn.adding([.date: ["when"], .id: ["ticket"], .severity: ["impact-level"]]))
        let document = parse(
            "ticket: OPS-77\nwhen: 2024-08-09\nimpact_level: SEV2\n", path: "r/x.yaml", options: options)
        XCTAssertEqual(document.id, "OPS-77")
        XCTAssertEqual(document.date, "2024-08-09")
        XCTAssertEqual(document.severity, "HIGH")
        let plain = parse("ticket: OPS-77\nwhen: 2024-08-09\n", path: "r/x.yaml")
        XCTAssertNil(plain.date, "without the configuration, `when` is just a key")
        XCTAssertNotEqual(options.fingerprint, ParseOptions.default.fingerprint)
    }

    // MARK: Heading, then keys (rule 3)

    func testHeadingThenKeysThenMarkdown() {
        let document = parse(
            "# RIS-903: Queue backlog\n\nid: RIS-903\nstatus: resolved\npriority: P2\ndate: 2024-04-01\n\n## "
                + "Problem\n\nText here.\n",
            path: "r/c4.yaml")
        XCTAssertEqual(document.shape, .headingThenKeys)
        XCTAssertEqual(
            [document.id, document.title, document.status, document.severity, document.date],
            ["RIS-903", "Queue backlog", "RESOLVED", "HIGH", "2024-04-01"])
        XCTAssertEqual(document.sections.map(\.line), [1, 8], "the body keeps its lines")
        XCTAssertEqual(document.diagnostics, [])
    }

    // MARK: Broken YAML (rule 2)

    func testSalvagedRecordsSaySo() {
        let document = parse(
            "id: RIS-901\ntitle: Queue backlog\nstatus: resolved\nseverity: high\nsteps:\n  - restart worker: done: "
                + "yes\n",
            path: "r/c2.yaml")
        XCTAssertTrue(document.salvaged)
        XCTAssertEqual(
            [document.id, document.title, document.status, document.severity],
            ["RIS-901", "Queue backlog", "RESOLVED", "HIGH"])
        XCTAssertEqual(document.diagnostics.map(\.severity), [.error, .note])
        XCTAssertFalse(parse("id: RIS-1\n", path: "r/x.yaml").salvaged)
    }

    // MARK: Timelines (rule 7)

    func testTimelinesInMarkdown() {
        let document = parse(
            """
            # RIS-910: Queue backlog

            ## Timeline

            - **10:00**: alert fired
            - **10:05** - fix deployed
            1. 14:02 UTC — disk usage alert
            2. 2024-04-01T14:10:00Z: cache found

            **10:10** - verified
            Not an event: prose.

            ```
            02:00  export job starts
            no time here
            T+45m  job killed
            ```

            ---

            **Created By:** Dana
            """)
        XCTAssertEqual(
            document.timeline.map(\.time),
            ["10:00", "10:05", "14:02 UTC", "2024-04-01T14:10:00Z", "10:10", "02:00", "T+45m"])
        XCTAssertEqual(
            document.timeline.map(\.event),
            [
                "alert fired", "fix deployed", "disk usage alert", "cache found", "verified",
                "export job starts", "job killed",
            ])
        XCTAssertEqual(document.timeline.map(\.line), [5, 6, 7, 8, 10, 14, 16])
    }

    func testTimelinesInYAML() {
        let lists = parse(
            """
            id: RIS-911
            problem:
              timeline:
                - "10:00": alert
                - time: "10:05"
                  event: fix
                - 10:30 verified
            """, path: "r/x.yaml")
        XCTAssertEqual(
            lists.timeline,
            [
                TimelineEvent(time: "10:00", event: "alert", line: 4),
                TimelineEvent(time: "10:05", event: "fix", line: 5),
                TimelineEvent(time: "10:30", event: "verified", line: 7),
            ])
        let mapping = parse(
            "id: RIS-914\ntimeline:\n  \"09:14\": alerts on 401 rate\n  \"09:20\": refresh job paused\n",
            path: "r/x.yaml")
        XCTAssertEqual(mapping.timeline.map(\.time), ["09:14", "09:20"])
        XCTAssertEqual(mapping.timeline.map(\.line), [3, 4])
        let text = parse("id: RIS-1\ntimeline: |\n  09:00 start\n  09:30 end\n", path: "r/x.yaml")
        XCTAssertEqual(text.timeline.map(\.line), [3, 4])
        let front = parse("---\nid: RIS-2\ntimeline:\n  - 10:00 alert\n---\n# RIS-2: T\n")
        XCTAssertEqual(front.timeline.count, 1, "front matter timelines count too")
    }

    func testTimeTokens() {
        let times = [
            "10:00 x": "10:00", "9:05:30 x": "9:05:30", "2:05 PM x": "2:05 PM", "14:02Z x": "14:02Z",
            "14:02+01:00 x": "14:02+01:00",
            "2024-04-01 x": "2024-04-01", "2024/04/01 14:00 x": "2024/04/01 14:00", "Apr 1, 2024 x": "Apr 1, 2024",
            "T+5m x": "T+5m", "+15 min x": "+15 min", "Day 2 x": "Day 2", "[10:00] x": "10:00", "0:35 x": "0:35",
        ]
        for (text, time) in times { XCTAssertEqual(TimelineReader.split(text)?.time, time, text) }
        for text in ["10:00", "1000 users", "Root cause: x", "v1.2 released", "14:02abc x"] {
            XCTAssertNil(TimelineReader.split(text), text)
        }
    }

    // MARK: Found by an independent review

    func testKeysAfterAHeadingEndAtTheBlankLine() {
        let document = parse(
            "# RIS-1: Pods crash\n\nid: RIS-1\nstatus: resolved\n\n    $ kubectl get pods\n    crashloop\n")
        XCTAssertEqual(document.shape, .headingThenKeys)
        XCTAssertEqual(document.status, "RESOLVED")
        XCTAssertEqual(document.codeBlocks.map(\.line), [6], "the indented code stays code")
    }

    func testAnInnerFenceWhoseCodeHoldsAHashLineStaysInner() {
        let document = parse(
            """
            # RIS-1: Deploy fails

            ## Hot Pattern Entry

            ```markdown
            ### Pattern: deploy fails
            **Keywords:** deploy, fail

            ```
            systemctl restart foo
            # then check the logs
            ```

            **Solution:** restart foo
            **Hit Count:** 3
            ```
            """)
        XCTAssertEqual(document.hotPatterns.map(\.solution), ["restart foo"])
        XCTAssertEqual(document.hotPatterns.first?.hitCount, 3)
        XCTAssertFalse(document.sections.contains { $0.heading == "then check the logs" })
    }

    func testAPagerIncidentIDDoesNotReplaceTheRecordsOwn() {
        XCTAssertEqual(
            parse("# RIS-2024-017: Disk full\n\n**Incident ID:** PD-48213\n", path: "r/disk-full.md").id, "RIS-2024-017"
        )
        let queue = parse("---\nincident_id: INC0012345\n---\n# RIS-007: Queue backlog\n", path: "r/queue.md")
        XCTAssertEqual(queue.id, "RIS-007")
        XCTAssertEqual(queue.kind, .ris)
    }

    func testASignOffTitleIsNotTheTitle() {
        let document = parse(
            "# RIS-031: Cache stampede\n\n**Severity:** HIGH\n\n## Summary\n\nText.\n\n---\n\n**Prepared by:** "
                + "Dana\n**Title:** Staff SRE\n"
        )
        XCTAssertEqual(document.title, "Cache stampede")
    }

    func testSectionsAfterAGenericFirstHeadingAreNoTitles() {
        let document = parse(
            "# Summary\n\n**Date:** 2024-03-01\n\n# Impact\n\n# Action Items\n", path: "r/RIS-300-cache-outage.md")
        XCTAssertEqual(document.title, "Cache outage")
        XCTAssertEqual(document.date, "2024-03-01", "fields under the first H1 are still its header")
    }

    func testPlansAndPrioritiesDoNotMakeAnIncident() {
        let design = parse(
            "# Search service redesign\n\n**Status:** In progress\n\n## Timeline\n\n- Q1: design review\n- Q2: build\n",
            path: "docs/design-doc.md")
        XCTAssertEqual(design.timeline, [], "list items without a time are a plan")
        XCTAssertEqual(design.kind, .doc)
        XCTAssertEqual(
            parse("# ADR-12: Use Postgres\n\n**Priority:** High\n", path: "docs/adr-12-use-postgres.md").kind, .doc)
        XCTAssertNil(TimelineReader.split("2/3 of the nodes restarted"), "a fraction is no date")
    }

    func testNestedMetadataReadsTheSameInRecordsAndFrontMatter() {
        let yaml = "priority: P3\nreported_at: 2024-05-02\nmetadata:\n  severity: critical\n  date: 2024-05-01\n"
        let record = parse(yaml, path: "r/nest.yaml")
        let front = parse("---\n" + yaml + "---\nBody.\n", path: "r/nest.md")
        for document in [record, front] {
            XCTAssertEqual(document.severity, "CRITICAL", "severity is preferred to priority, wherever written")
            XCTAssertEqual(document.date, "2024-05-01")
        }
    }

    func testIdentifiersInFileNames() {
        XCTAssertEqual(parse("Text.\n", path: "r/acme-ris-045.md").id, "RIS-045")
        let underscored = parse("Text.\n", path: "r/acme_RIS-045-disk-full.md")
        XCTAssertEqual([underscored.id, underscored.title], ["RIS-045", "Disk full"])
    }

    func testTwoYAMLDocumentsAreOneRecord() {
        let document = parse("---\nid: RIS-1\ntitle: x\n---\nstatus: open\nseverity: high\n", path: "r/twodoc.yaml")
        XCTAssertEqual(document.shape, .yamlRecord)
        XCTAssertEqual([document.status, document.severity], ["OPEN", "HIGH"])
        XCTAssertEqual(document.diagnostics.map(\.severity), [.warning])
    }

    func testComplianceValuesThatSayLittle() {
        let sentence = parse("id: RIS-1\ngdpr: \"N/A - no EU data in 2024 logs\"\nsoc2: Type 2\n", path: "r/x.yaml")
        XCTAssertEqual(sentence.compliance.frameworks.map(\.name), ["soc2"])
        XCTAssertEqual(sentence.compliance.framework("soc2")?.controls, [])
        let named = parse(
            "id: RIS-2\ncompliance:\n  frameworks: [SOC2, HIPAA]\n  audit_trail: true\n", path: "r/x.yaml")
        XCTAssertEqual(named.compliance.frameworks.map(\.name), ["soc2", "hipaa"])
        let single = parse("id: RIS-3\ncompliance:\n  framework: SOC 2\n  controls: [CC7.2, CC7.3]\n", path: "r/x.yaml")
        XCTAssertEqual(single.compliance.framework("soc2")?.controls.map(\.value), ["CC7.2", "CC7.3"])
        XCTAssertEqual(single.compliance.attributes, [])
        let orphan = parse("id: RIS-4\ncompliance:\n  controls: [CC7.2]\n", path: "r/x.yaml")
        XCTAssertEqual(
            orphan.diagnostics.map(\.severity), [.warning], "controls of no framework are said, not dropped silently")
        XCTAssertEqual(
            parse("---\nlast_modified: May 3, 2024\ncreated: 2024-05-01T10:00:00Z\n---\nx\n").diagnostics, [])
    }

    // MARK: Compliance (rule 8)

    func testComplianceAttributesInTheJSON() throws {
        let document = parse("id: RIS-902\ncompliance:\n  soc2: true\n  audit_trail: true\n", path: "r/x.yaml")
        let object = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: RISDocument.jsonData([document])) as? [[String: Any]]
        ).first
        XCTAssertEqual((object?["compliance"] as? [String: Any])?.keys.sorted(), ["soc2"])
        XCTAssertEqual((object?["complianceAttributes"] as? [String: Any])?["audit_trail"] as? Bool, true)
        XCTAssertEqual(object?["salvaged"] as? Bool, false)
        XCTAssertEqual(document.diagnostics, [])
    }
}

/// A record without a hot-pattern section is read as a hot-patterns file too; only a bold label
/// that makes an entry (`Keywords`, `Hit Count`, `Last Used`) can give one, and `patterns` looks
/// for one first (`holdsEntryLabel`).
final class HotPatternLabelTests: XCTestCase {
    func blocks(_ markdown: String) -> MarkdownNodes { MarkdownParser.parse(Substring(markdown)).children }

    func testEntryLabelsAreFoundInEverySpelling() {
        for (markdown, expected) in [
            ("**Keywords:** a, b", true), ("**Keywords**: a, b", true), ("Text\n**Hit Count:** 3", true),
            ("**last used:** 2026-01-01", true), ("**Hits:** x", true), ("**Error Keywords :** a", true),
            ("**Root Cause:** a bug", false), ("*Keywords:* a", false), ("- **Keywords:** a", false),
            ("`Keywords:` a", false), ("Keywords: a", false),
        ] {
            XCTAssertEqual(blocks(markdown).contains(where: HotPatternReader.holdsEntryLabel), expected, markdown)
        }
    }

    func testARecordWithoutEntryLabelsHasNoEntries() {
        var diagnostics: [Diagnostic] = []
        let prose = blocks("## Root Cause\n\n**Root Cause:** a bug\n\n**Solution:** fix it\n\n- **Hit Count:** 3")
        XCTAssertEqual(HotPatternReader.patterns(in: prose, diagnostics: &diagnostics).count, 0)
        let entry = blocks("## Pattern\n\n**Keywords:** a, b\n**Hit Count:** many\n")
        let found = HotPatternReader.patterns(in: entry, diagnostics: &diagnostics)
        XCTAssertEqual(found.map(\.keywords), [["a", "b"]])
        XCTAssertEqual(diagnostics.map(\.code), [.hitCountInvalid])
    }

    /// The first look for a label changes nothing: on every record of the repository and the
    /// shared shapes, and inside each one's fenced markdown, `patterns` finds what the full
    /// reading finds, with the same diagnostics.
    func testTheLookForALabelChangesNothingOnRealRecords() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var texts: [String] = []
        for folder in ["examples", "Tests/risTests/Fixtures", "Tests/corpus", "../shared/examples"] {
            let enumerator = FileManager.default.enumerator(
                at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil)
            while let url = enumerator?.nextObject() as? URL {
                if url.pathExtension == "md" { texts.append(try String(contentsOf: url, encoding: .utf8)) }
            }
        }
        XCTAssertGreaterThan(texts.count, 40)
        var withEntries = 0
        for text in texts {
            let tree = blocks(text)
            var inner = [tree]
            for block in tree where block.kind == .codeBlock && ["markdown", "md"].contains(block.language) {
                inner.append(MarkdownParser.parse(Substring(block.literal)).children)
            }
            for blocks in inner {
                var checked: [Diagnostic] = []
                var read: [Diagnostic] = []
                let found = HotPatternReader.patterns(in: blocks, diagnostics: &checked)
                let expected = HotPatternReader.readPatterns(in: blocks, diagnostics: &read)
                XCTAssertEqual("\(found)", "\(expected)", String(text.prefix(60)))
                XCTAssertEqual(checked, read)
                if !expected.isEmpty { withEntries += 1 }
            }
        }
        XCTAssertGreaterThan(withEntries, 5, "records with entries were read")
    }
}
