import Foundation
import XCTest

/// `ris add` through the built binary on a knowledge base holding the seed record.
final class AddCommandTests: XCTestCase {
    var folder: TemporaryFolder!
    let resolutions = "docs/06-ris/resolutions"

    override func setUpWithError() throws {
        folder = try TemporaryFolder()
        let seed = ParseCommandTests.repository.appendingPathComponent(
            "examples/kb/docs/06-ris/resolutions/RIS-RESOLUTION-045-lambda-manifest-type-docker-macos.md")
        try folder.write(
            "\(resolutions)/RIS-RESOLUTION-045-lambda-manifest-type-docker-macos.md", try Data(contentsOf: seed))
        XCTAssertEqual(try run(["init"]).status, 0)
    }

    func run(_ arguments: [String]) throws -> RunResult { try Binary.run(arguments, in: folder.url) }

    func files() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.url.appendingPathComponent(resolutions).path)
            .sorted()
    }

    func testNextIDTemplateSimilarAndIndex() throws {
        let result = try run([
            "add", "--title", "Lambda rejects the OCI manifest again", "--severity", "high", "--date", "2026-11-20",
            "--format", "json",
        ])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: String])
        XCTAssertEqual(object["id"], "RIS-046")
        XCTAssertEqual(object["path"], "\(resolutions)/RIS-RESOLUTION-046-lambda-rejects-the-oci-manifest-again.md")
        XCTAssertTrue(result.stderr.contains("may be the same incident"), result.stderr)
        XCTAssertTrue(result.stderr.contains("RIS-045"), result.stderr)
        let text = try String(contentsOf: folder.url.appendingPathComponent(object["path"]!), encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("---\ncompliance:\n  hipaa:\n    retention-period: 7-years\n"), text)
        XCTAssertTrue(
            text.contains(
                "\nversion: '1.0'\n---\n\n# RIS-046: Lambda rejects the OCI manifest again\n\n**Date:** "
                    + "2026-11-20\n**Severity:** HIGH\n"
            ))
        XCTAssertTrue(text.contains("| Time | Event |\n|------|-------|\n"))
        // It parses cleanly and is in the index at once.
        let parsed = try run(["parse", object["path"]!])
        XCTAssertEqual(parsed.status, 0, parsed.stderr)
        XCTAssertEqual(parsed.stderr, "")
        XCTAssertEqual(try run(["show", "RIS-046", "--no-refresh", "--format", "json"]).status, 0)
        let second = try run(["add", "--title", "Another one", "--format", "json"])
        XCTAssertEqual(
            (try JSONSerialization.jsonObject(with: second.stdoutData) as? [String: String])?["id"], "RIS-047")
    }

    func testDryRunWritesNothing() throws {
        let before = try files()
        let result = try run(["add", "--title", "Dry", "--dry-run"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("# RIS-046: Dry"))
        XCTAssertTrue(result.stderr.contains("would write \(resolutions)/RIS-RESOLUTION-046-dry.md"), result.stderr)
        XCTAssertEqual(try files(), before)
    }

    func testADateInAFileNameIsNotTheHighestNumber() throws {
        // Files named by day, as some teams do: 20260108 is a date, not record 20,260,108.
        try folder.write(resolutions + "/RIS-RESOLUTION-20260108-disk-full.md", "# Disk full\n")
        try folder.write(resolutions + "/RIS-202601-monthly-report.md", "# January\n")
        let result = try run(["add", "--title", "Next", "--dry-run"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("# RIS-046: Next"), result.stdout)
    }

    func testBadInputWritesNothing() throws {
        let before = try files()
        for arguments in [
            ["--title", ""], ["--title", "../../.."], ["--title", "x", "--date", "2026-13-45x"],
            ["--title", "x", "--severity", "apocalyptic"], ["--title", "two\nlines"], [],
        ] {
            let result = try run(["add"] + arguments)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.lowercased().contains("error"), "\(arguments): \(result.stderr)")
        }
        XCTAssertEqual(try files(), before)
    }

    func testConcurrentAddsGetDistinctIDs() throws {
        let results = Binary.runConcurrently(
            (0..<6).map { ["add", "--title", "Concurrent \($0)", "--format", "json"] }, in: folder.url)
        let ids = results.map { result in
            result.flatMap { try? JSONSerialization.jsonObject(with: $0.stdoutData) as? [String: String] }?["id"]
                ?? "failed: \(result?.stderr ?? "")"
        }
        XCTAssertEqual(ids.sorted(), ["RIS-046", "RIS-047", "RIS-048", "RIS-049", "RIS-050", "RIS-051"])
        XCTAssertEqual(try files().count, 7)
    }

    /// The source's own diagnostics come on stderr before what `add` says next (the records
    /// that may be the same incident, the path it would write), and without a count of
    /// diagnostics held back.
    func testFromFileSaysTheSourcesDiagnosticsFirst() throws {
        try folder.write(
            "drafts/fences.md",
            "# Lambda manifest rejected on deploy\n\n**Severity:** LOW\n\n## Symptom\n\n```markdown\n# x\n"
                + "```bash\nls\n```\n```\n\n## Root Cause\n\nmanifest type\n")
        let result = try run(["add", "--from", "drafts/fences.md", "--dry-run"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        let warning = try XCTUnwrap(
            lines.lastIndex { $0.hasPrefix("drafts/fences.md:7:1: warning: a ```markdown block holds other fences") },
            result.stderr)
        let similar = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("ris: records that may be the same incident") })
        let wouldWrite = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("ris: would write ") })
        XCTAssertLessThan(warning, similar, result.stderr)
        XCTAssertLessThan(warning, wouldWrite, result.stderr)
        XCTAssertFalse(result.stderr.contains("more diagnostic(s)"), result.stderr)
    }

    func testFromFileGetsAnIDAndOtherwiseKeepsItsText() throws {
        let original = "---\nproject: demo\n---\n# Disk full on the build runner\n\n**Severity:** LOW\n"
        try folder.write("drafts/disk.md", original)
        let result = try run(["add", "--from", "drafts/disk.md", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: String])
        XCTAssertEqual(object["id"], "RIS-046")
        let copied = try String(contentsOf: folder.url.appendingPathComponent(object["path"]!), encoding: .utf8)
        XCTAssertEqual(
            copied, "---\nid: RIS-046\nproject: demo\n---\n# Disk full on the build runner\n\n**Severity:** LOW\n")
        // A record with an ID is copied byte for byte; the same again is refused, never overwritten.
        let withID = "# RIS-300: Has an ID\n\ntext\n"
        try folder.write("drafts/has-id.md", withID)
        let copy = try run(["add", "--from", "drafts/has-id.md", "--format", "json"])
        XCTAssertEqual(copy.status, 0, copy.stderr)
        XCTAssertEqual(
            try String(contentsOf: folder.url.appendingPathComponent("\(resolutions)/has-id.md"), encoding: .utf8),
            withID)
        XCTAssertEqual(try run(["add", "--from", "drafts/has-id.md"]).status, 1)
    }

    func testUserTemplate() throws {
        try folder.write(
            ".ris/templates/ris.mustache",
            "---\n{{{frontMatter}}}---\n# {{{id}}}: {{{title}}}\n\nBy {{{author}}} on {{{date}}}.\n")
        // The author is the acting user, by the one rule of the audit trail and the hit log.
        let result = try Binary.run(
            ["add", "--title", "Templated", "--date", "2026-01-02", "--format", "json"], in: folder.url,
            environment: ["RIS_ACTOR": "dana@example.com"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let path = try XCTUnwrap(
            (try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: String])?["path"])
        let text = try String(contentsOf: folder.url.appendingPathComponent(path), encoding: .utf8)
        XCTAssertTrue(text.hasSuffix("---\n# RIS-046: Templated\n\nBy dana@example.com on 2026-01-02.\n"), text)
    }

    func testEditOpensTheEditorOnATerminalAndReportsTheResult() throws {
        // The editor breaks the front matter; `script` gives ris a terminal.
        let editor = try folder.write(
            "editor.sh",
            "#!/bin/sh\nprintf 'bad: [\\n' > \"$1.tmp\" && cat \"$1\" >> \"$1.tmp\" && mv \"$1.tmp\" \"$1\"\n")
        XCTAssertEqual(chmod(editor.path, 0o755), 0)
        let command = "\(Binary.risURL.path) add --title 'Edited record' --edit"
        let result = try Binary.runProgram(
            "/usr/bin/script", ["-qec", command, "/dev/null"], in: folder.url,
            environment: ["EDITOR": editor.path, "VISUAL": ""])
        XCTAssertEqual(result.status, 0, result.stdout)
        XCTAssertTrue(result.stdout.contains("RIS-RESOLUTION-046-edited-record.md:2:1: error: YAML"), result.stdout)
        let text = try String(
            contentsOf: folder.url.appendingPathComponent("\(resolutions)/RIS-RESOLUTION-046-edited-record.md"),
            encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("bad: [\n---\n"), text)
        // Without a terminal the editor is not started.
        let plain = try Binary.run(
            ["add", "--title", "Not edited", "--edit"], in: folder.url, environment: ["EDITOR": editor.path])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertTrue(
            try String(
                contentsOf: folder.url.appendingPathComponent("\(resolutions)/RIS-RESOLUTION-047-not-edited.md"),
                encoding: .utf8
            ).hasPrefix("---\n"))
    }

    func testSymptomRootCauseAndResolutionGoWhereTheTemplateSays() throws {
        let result = try run([
            "add", "--title", "Queue stalls", "--date", "2026-03-02", "--symptom", "Consumers stop at 02:00\nlag grows",
            "--root-cause", "The broker lost its leader.", "--resolution", "Restart the consumer group.",
        ])
        XCTAssertEqual(result.status, 0, result.stderr)
        let text = try String(
            contentsOf: folder.url.appendingPathComponent(result.stdout.trimmingCharacters(in: .newlines)),
            encoding: .utf8)
        for expected in [
            "**Problem:** Consumers stop at 02:00\n\n**Root Cause:** The broker lost its leader.\n\n"
                + "**Resolution:** Restart the consumer group.\n",
            "### Symptom\n\n```\nConsumers stop at 02:00\nlag grows\n```\n\n### Root Cause Analysis\n\n"
                + "The broker lost its leader.\n\n### Failed Attempts\n",
            "## Resolution\n\nRestart the consumer group.\n\n---\n",
        ] {
            XCTAssertTrue(text.contains(expected), "\(expected) not in:\n\(text)")
        }
        // Without them, the sections are as the template has always written them.
        let plain = try run(["add", "--title", "Queue stalls again", "--date", "2026-03-03"])
        let empty = try String(
            contentsOf: folder.url.appendingPathComponent(plain.stdout.trimmingCharacters(in: .newlines)),
            encoding: .utf8)
        XCTAssertTrue(empty.contains("**Problem:** \n\n**Root Cause:** \n\n**Resolution:** \n"), empty)
        XCTAssertTrue(
            empty.contains("### Symptom\n\n```\n```\n\n### Root Cause Analysis\n\n### Failed Attempts"), empty)
        XCTAssertTrue(empty.contains("## Resolution\n\n---\n"), empty)
    }
}
