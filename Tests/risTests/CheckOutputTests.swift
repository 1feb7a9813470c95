import Foundation
import XCTest

/// `ris check` as a compliance owner reads it: a summary first, the same finding in many files
/// said once, rules chosen, a baseline of accepted findings, and which files are records.
final class CheckOutputTests: XCTestCase {
    var folder: TemporaryFolder!

    override func setUpWithError() throws {
        folder = try TemporaryFolder()
        XCTAssertEqual(try Binary.run(["init"], in: folder.url).status, 0)
        // One template's superseded ISO control in three records, and one record with no block.
        for number in 1...3 {
            try folder.write(
                "r/RIS-00\(number)-template.md",
                "---\ncreated: '2026-01-10'\ncompliance:\n  iso27001:\n    controls: [A.12.1.1]\n    retention-period: "
                    + "7-years\n    review-frequency: annual\n---\n# RIS-00\(number): From the template\n")
        }
        try folder.write("r/RIS-004-bare.md", "---\ncreated: '2026-01-10'\n---\n# RIS-004: No compliance block\n")
    }

    func run(_ arguments: [String]) throws -> RunResult {
        try Binary.run(["check", "--as-of", "2026-03-31"] + arguments, in: folder.url)
    }

    func testTheSummaryComesFirstThenEachFindingInAPipe() throws {
        let result = try run([])
        XCTAssertEqual(result.status, 1)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(
            Array(lines.prefix(4)),
            [
                "rule                severity  findings  files",
                "compliance-missing  error            1      1",
                "control-superseded  warning          3      3",
                "",
            ])
        // Not a terminal: one line per finding, the form editors and CI parse.
        let findings = lines.dropFirst(4).filter { !$0.isEmpty }
        XCTAssertEqual(findings.count, 4)
        XCTAssertTrue(findings.allSatisfy { $0.hasPrefix("r/RIS-00") && $0.contains(": [") }, "\(findings)")
        XCTAssertEqual(result.stderr, "4 files checked: 1 error(s), 3 warning(s), 0 note(s)\n")
    }

    func testTheSameFindingInSeveralFilesIsSaidOnce() throws {
        let grouped = try run(["--group"]).stdout
        XCTAssertTrue(
            grouped.contains(
                "warning: [control-superseded] ISO/IEC 27001:2013 A.12.1.1 (Documented operating procedures) is "
                    + "superseded; certificates on the 2013 edition ended on 31 October 2025: use 5.37 (3 places):\n"
                    + "  r/RIS-001-template.md:5:16\n  r/RIS-002-template.md:5:16\n  r/RIS-003-template.md:5:16\n"),
            grouped)
        XCTAssertEqual(grouped.components(separatedBy: "[control-superseded]").count - 1, 1, "said once")
        // On a terminal (script(1), util-linux), grouped by default; --no-group lists each.
        func onTerminal(_ extra: [String]) throws -> String {
            let command = ([Binary.risURL.path, "check", "--as-of", "2026-03-31"] + extra).map { "'\($0)'" }
                .joined(separator: " ")
            return try Binary.runProgram(
                "/usr/bin/script", ["-qec", command, "/dev/null"], in: folder.url, environment: ["NO_COLOR": "1"]
            ).stdout.replacingOccurrences(of: "\r\n", with: "\n")
        }
        XCTAssertTrue(try onTerminal([]).contains("(3 places):\n  r/RIS-001-template.md:5:16\n"))
        XCTAssertFalse(try onTerminal(["--no-group"]).contains("places"))
    }

    func testRulesAreChosenByName() throws {
        let only = try run(["--rule", "compliance-missing", "--format", "json"])
        XCTAssertEqual(only.status, 1)
        XCTAssertEqual(
            try (JSONSerialization.jsonObject(with: only.stdoutData) as? [[String: Any]])?.compactMap {
                $0["rule"] as? String
            }, ["compliance-missing"])
        let ignored = try run(["--ignore", "compliance-missing"])
        XCTAssertEqual(ignored.status, 0, "warnings alone do not fail")
        XCTAssertFalse(ignored.stdout.contains("compliance-missing"))
        XCTAssertEqual(try run(["--ignore", "compliance-missing", "--strict"]).status, 1)
        let typo = try run(["--rule", "control-superseeded"])
        XCTAssertEqual(typo.status, 2)
        XCTAssertTrue(
            typo.stderr.contains("'control-superseeded' is not a rule of ris check (did you mean control-superseded?)"),
            typo.stderr)
    }

    func testABaselineAcceptsKnownFindingsAndNewOnesStillFail() throws {
        let written = try run(["--write-baseline", ".ris/check-baseline.json"])
        XCTAssertEqual(written.status, 0, written.stderr)
        XCTAssertTrue(written.stderr.contains("4 finding(s) accepted"), written.stderr)
        let baseline = try XCTUnwrap(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: folder.url.appendingPathComponent(".ris/check-baseline.json")))
                as? [String: Any])
        XCTAssertEqual(baseline["version"] as? Int, 1)
        let entries = try XCTUnwrap(baseline["findings"] as? [[String: String]])
        XCTAssertEqual(
            entries.map { $0["path"] ?? "" },
            [
                "r/RIS-001-template.md", "r/RIS-002-template.md",
                "r/RIS-003-template.md", "r/RIS-004-bare.md",
            ])
        XCTAssertEqual(Set(entries.flatMap(\.keys)), ["path", "rule", "message"], "no line: edits above do not matter")

        let clean = try run(["--baseline", ".ris/check-baseline.json", "--strict"])
        XCTAssertEqual(clean.status, 0, clean.stdout)
        XCTAssertEqual(clean.stdout, "")
        XCTAssertEqual(
            clean.stderr, "4 files checked: 0 error(s), 0 warning(s), 0 note(s); 4 accepted by the baseline\n")

        // A new problem fails; one fixed since is said, so the baseline can shrink. Lines moved
        // by an edit above a known finding do not make it new.
        try folder.write("r/RIS-005-new.md", "---\ncreated: '2026-01-10'\n---\n# RIS-005: Also bare\n")
        try folder.write(
            "r/RIS-003-template.md",
            "---\ncreated: '2026-01-10'\ncompliance:\n  iso27001:\n    controls: [5.37]\n    retention-period: "
                + "7-years\n    review-frequency: annual\n---\n# RIS-003: Fixed\n")
        try folder.write(
            "r/RIS-001-template.md",
            "---\n# a comment moves every line\ncreated: '2026-01-10'\ncompliance:\n  iso27001:\n    controls: "
                + "[A.12.1.1]\n    retention-period: 7-years\n    review-frequency: annual\n---\n# RIS-001: Moved\n")
        let after = try run(["--baseline", ".ris/check-baseline.json", "--format", "json"])
        XCTAssertEqual(after.status, 1)
        let new = try XCTUnwrap(try JSONSerialization.jsonObject(with: after.stdoutData) as? [[String: Any]])
        XCTAssertEqual(new.compactMap { $0["path"] as? String }, ["r/RIS-005-new.md"])
        let text = try run(["--baseline", ".ris/check-baseline.json"])
        XCTAssertTrue(
            text.stderr.hasSuffix(
                "; 3 accepted by the baseline (1 of its entries no longer occur: --write-baseline to drop them)\n"),
            text.stderr)

        // Part of the knowledge base, or some rules: entries outside are not "no longer occurring",
        // and a baseline is not written from a part (the next full run would fail).
        let part = try run(["--baseline", ".ris/check-baseline.json", "r/RIS-002-template.md"])
        XCTAssertTrue(part.stderr.hasSuffix("; 1 accepted by the baseline\n"), part.stderr)
        let rule = try run(["--baseline", ".ris/check-baseline.json", "--rule", "compliance-missing"])
        XCTAssertTrue(rule.stderr.hasSuffix("; 1 accepted by the baseline\n"), rule.stderr)
        let partial = try run(["--write-baseline", ".ris/partial.json", "r"])
        XCTAssertEqual(partial.status, 2)
        XCTAssertTrue(partial.stderr.contains("a baseline is written from the whole knowledge base"), partial.stderr)
        // Through a link to the knowledge base, paths still match the baseline.
        let link = folder.url.deletingLastPathComponent().appendingPathComponent(
            "link-" + folder.url.lastPathComponent)
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: folder.url)
        defer { try? FileManager.default.removeItem(at: link) }
        let linked = try Binary.run(
            ["check", "--as-of", "2026-03-31", "--baseline", ".ris/check-baseline.json", link.path + "/r"], in: link)
        XCTAssertTrue(linked.stderr.contains("; 3 accepted by the baseline"), linked.stderr)

        let broken = try folder.write(".ris/bad-baseline.json", "{\"findings\": 3}")
        let refused = try run(["--baseline", broken.path])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("not a ris check baseline"), refused.stderr)
        XCTAssertEqual(try run(["--baseline", "x.json", "--write-baseline", "y.json"]).status, 2)
    }

    func testTheConfigurationSaysWhichFilesAreRecords() throws {
        try folder.write("logs/RIS-900-task-log.md", "# RIS-900: Task log, not a record\n")
        XCTAssertTrue(try run([]).stdout.contains("logs/RIS-900-task-log.md"))
        let config = folder.url.appendingPathComponent(".ris/config.yaml")
        let text = try String(contentsOf: config, encoding: .utf8)
        try (text + "\nrecords: [\"r/**\"]\n").write(to: config, atomically: true, encoding: .utf8)
        let result = try run([])
        XCTAssertFalse(result.stdout.contains("logs/"), result.stdout)
        XCTAssertTrue(result.stderr.hasPrefix("4 files checked"), result.stderr)
        // A folder given is narrowed the same way; a file named is checked whatever it says.
        XCTAssertFalse(try run(["logs", "r"]).stdout.contains("logs/"))
        XCTAssertTrue(try run(["logs/RIS-900-task-log.md"]).stdout.contains("logs/RIS-900-task-log.md"))
        let review = try Binary.run(["review", "export", "--quarter", "2026-Q1", "--format", "csv"], in: folder.url)
        XCTAssertEqual(review.status, 0, review.stderr)
        XCTAssertFalse(review.stdout.contains("RIS-900"))
        XCTAssertTrue(review.stdout.contains("RIS-004,No compliance block"))
    }
}
