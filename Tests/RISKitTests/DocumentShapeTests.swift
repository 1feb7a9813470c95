import Foundation
import FrontMatter
import XCTest

@testable import RISKit

final class DocumentShapeTests: XCTestCase {
    func parse(_ text: String, path: String = "docs/x.md") -> RISDocument {
        DocumentParser.parse(data: Data(text.utf8), path: path)
    }

    func testIdentifierSources() {
        XCTAssertEqual(parse("# RIS-045: T\n").id, "RIS-045")
        XCTAssertEqual(
            parse("# Title\n\n**ID:** RIS-TASK-GOV-014-SCRIPTS-CLEANUP\n").id, "RIS-TASK-GOV-014-SCRIPTS-CLEANUP")
        XCTAssertEqual(parse("---\ntask_id: RIS-DATA-001\n---\n# Title\n").id, "RIS-DATA-001")
        XCTAssertEqual(
            parse("---\nresolution_id: RES-20251203-button-prop-mismatch\n---\nx\n").id,
            "RES-20251203-button-prop-mismatch")
        let fromName = parse("Just text.\n", path: "r/credentialmate-RIS-RESOLUTION-045-lambda-manifest.md")
        XCTAssertEqual(fromName.id, "RIS-RESOLUTION-045")
        XCTAssertEqual(fromName.title, "Lambda manifest", "the words after the ID; never the project before it")
        XCTAssertEqual(parse("", path: "kb/kb-lambda-docker-builds.md").title, "Lambda docker builds")
        XCTAssertEqual(parse("---\ntitle: From front matter\n---\ntext\n").title, "From front matter")
    }

    func testFieldNormalisation() {
        let document = parse(
            """
            # RIS-1: T

            **Severity:** CRITICAL (blocks all deployments)
            **Status**: ✅ Resolved - pending sign-off
            **Date Discovered:** Sunday 2025-12-28 14:00
            **Resolution Time:** 2h 30m

            ## Summary
            """)
        XCTAssertEqual(document.severity, "CRITICAL")
        XCTAssertEqual(document.status, "RESOLVED")
        XCTAssertEqual(document.date, "2025-12-28")
        XCTAssertEqual(document.resolutionMinutes, 150)
        XCTAssertEqual(document.fields.map(\.line), [3, 4, 5, 6])
        XCTAssertEqual(FieldValue.label("🔴 P1 - High"), "P1")
        XCTAssertEqual(FieldValue.label("In Progress"), "IN PROGRESS")
        XCTAssertEqual(FieldValue.minutes(in: "1.5 hours"), 90)
        XCTAssertEqual(FieldValue.minutes(in: "~45 min"), 45)
        XCTAssertNil(FieldValue.minutes(in: "Pending"))
    }

    func testYAMLRecord() {
        let document = parse(
            """
            ---
            id: RIS-RESOLUTION-047
            title: Worker OOM
            severity: high
            problem:
              summary: |
                Killed with exit 137.
              root_cause: Unbounded queryset.
            timeline:
              - time: '02:00'
                event: Sync started
            hot_pattern:
              title: OOMKilled worker
              keywords: [oom, exit 137]
              hit_count: 2
            """, path: "r/RIS-RESOLUTION-047.yaml")
        XCTAssertEqual(document.shape, .yamlRecord)
        XCTAssertEqual(document.id, "RIS-RESOLUTION-047")
        XCTAssertEqual(document.kind, .ris)
        XCTAssertEqual(document.severity, "HIGH")
        XCTAssertEqual(document.symptomText, "Killed with exit 137.\n")
        XCTAssertEqual(document.rootCauseText, "Unbounded queryset.")
        XCTAssertEqual(document.timeline, [TimelineEvent(time: "02:00", event: "Sync started", line: 10)])
        XCTAssertEqual(document.hotPatterns.first?.keywords, ["oom", "exit 137"])
        XCTAssertEqual(document.hotPatterns.first?.hitCount, 2)
        XCTAssertEqual(document.hotPatterns.first?.hitCountLine, 15)
        XCTAssertTrue(document.sections.contains(Section(level: 2, heading: "Problem", line: 5)))
    }

    func testHotPatternsFile() {
        let document = parse(
            """
            # Hot Patterns

            ## ECR: "token expired"

            **Keywords:** ecr, token
            **Symptom:** `denied: token expired`
            **Hit Count:** 4
            **Last Used:** 2026-01-11

            ## Not a pattern

            Just prose.
            """, path: ".claude/memory/hot-patterns.md")
        XCTAssertEqual(document.kind, .hotPattern)
        XCTAssertEqual(document.hotPatterns.count, 1)
        XCTAssertEqual(document.hotPatterns[0].title, #"ECR: "token expired""#)
        XCTAssertEqual(document.hotPatterns[0].symptom, "denied: token expired")
        XCTAssertEqual(document.hotPatterns[0].hitCount, 4)
        XCTAssertEqual(document.hotPatterns[0].hitCountLine, 7)
        XCTAssertEqual(document.hotPatterns[0].line, 3)
    }

    func testProseFieldsAloneAreNotAHotPattern() {
        let document = parse("# Notes\n\n## Problem\n\n**Root Cause:** a typo\n\n**Solution:** fix it\n")
        XCTAssertEqual(document.hotPatterns, [])
        XCTAssertEqual(document.kind, .doc)
    }

    func testTagsAndRelatesTo() {
        let document = parse(
            """
            ---
            tags: [infra]
            relates-to: [ADR-001, TASK-123]
            ---
            # T

            ## Tags

            `lambda` `docker` `infra`
            """)
        XCTAssertEqual(document.tags, ["lambda", "docker", "infra"])
        XCTAssertEqual(document.links.map(\.target), ["ADR-001", "TASK-123"])
    }

    func testFenceRepairLeavesOrdinaryMarkdownFencesAlone() {
        let text = "## Example\n\n```markdown\n# Title\n```\n\nafter\n"
        let (repaired, diagnostics) = FenceRepair.repair(Substring(text), firstLine: 1)
        XCTAssertEqual(repaired, Substring(text))
        XCTAssertEqual(diagnostics, [])
    }

    /// A ```markdown block holding fences gets a longer outer fence; every other byte stays,
    /// at the end of the text too. CRLF line ends come out as `\n` (the lines are joined).
    func testFenceRepairLengthensTheOuterFenceAndKeepsEverythingElse() {
        let lines = [
            "## Hot Pattern", "", "```markdown", "### Entry", "   ```bash", "ls", "   ```", "**Keywords:** a", "```",
            "", "## Next", "text",
        ]
        var expected = lines
        expected[2] = "````markdown"
        expected[8] = "````"
        for ending in ["\n", ""] {
            let text = lines.joined(separator: "\n") + ending
            let (repaired, diagnostics) = FenceRepair.repair(Substring(text), firstLine: 10)
            XCTAssertEqual(repaired, Substring(expected.joined(separator: "\n") + ending))
            XCTAssertEqual(diagnostics.map(\.position.line), [12])
            let crlf = lines.joined(separator: "\r\n") + ending.replacingOccurrences(of: "\n", with: "\r\n")
            XCTAssertEqual(
                FenceRepair.repair(Substring(crlf), firstLine: 10).text,
                Substring(expected.joined(separator: "\n") + (ending.isEmpty ? "" : "\n")))
        }
        // Two blocks repaired in one text; a CR inside a line (not before its `\n`) stays.
        let block = "```markdown\n```bash\nls\n```\n```\n"
        let fixed = "````markdown\n```bash\nls\n```\n````\n"
        let twice = "# T\n\n" + block + "\n## Next\n\n" + block + "\n## Last\n"
        XCTAssertEqual(
            FenceRepair.repair(Substring(twice), firstLine: 1).text,
            Substring("# T\n\n" + fixed + "\n## Next\n\n" + fixed + "\n## Last\n"))
        XCTAssertEqual(FenceRepair.repair(Substring(twice), firstLine: 1).diagnostics.count, 2)
        XCTAssertEqual(
            FenceRepair.repair(Substring("a\rb\n" + block), firstLine: 1).text, Substring("a\rb\n" + fixed))
        // The replaced fence is the last line, without a line end.
        let last = "```markdown\n```bash\nls\n```\n```"
        XCTAssertEqual(FenceRepair.repair(Substring(last), firstLine: 1).text, "````markdown\n```bash\nls\n```\n````")
    }

    func testDeepMarkdownNestingIsCutWithAWarning() {
        let document = parse(String(repeating: ">", count: 5000) + " deep\n")
        XCTAssertTrue(document.diagnostics.contains { $0.message.contains("nests deeper") })
    }
}

final class FenceDetectionTests: XCTestCase {
    func testMarkdownFencesAreFoundAndOthersAreNot() {
        XCTAssertTrue(FenceRepair.hasMarkdownFence("text\n```markdown\n# x\n```\n"))
        XCTAssertTrue(FenceRepair.hasMarkdownFence("  ~~~ MD\n"))
        XCTAssertTrue(FenceRepair.hasMarkdownFence("```md"))
        XCTAssertFalse(FenceRepair.hasMarkdownFence("```bash\nls\n```\nmarkdown prose\n"))
        XCTAssertFalse(
            FenceRepair.hasMarkdownFence("    ```markdown\n"), "four spaces make an indented code line, not a fence")
    }
}
