import Foundation
import XCTest

/// Output people and scripts read, compared byte for byte with files under
/// `Tests/risTests/Golden/`: every change of output is a visible diff in review.
/// `make golden` (RIS_UPDATE_GOLDEN=1) rewrites the files from the binary; review the diff.
final class GoldenTests: XCTestCase {
    static let goldenFolder = ParseCommandTests.repository.appendingPathComponent("Tests/risTests/Golden")
    static let updating = ProcessInfo.processInfo.environment["RIS_UPDATE_GOLDEN"] == "1"

    /// Compares `actual` with the golden file `name`, or writes it when updating.
    func assertGolden(_ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = Self.goldenFolder.appendingPathComponent(name)
        if Self.updating {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            return XCTFail("no golden file \(name): run `make golden` and review it", file: file, line: line)
        }
        if expected != actual {
            let expectedLines = expected.components(separatedBy: "\n")
            let actualLines = actual.components(separatedBy: "\n")
            let first =
                zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(expectedLines.count, actualLines.count)
            let shown = { (lines: [String]) in first < lines.count ? lines[first] : "(end of output)" }
            XCTFail(
                """
                \(name) differs from the golden file at line \(first + 1):
                  golden: \(shown(expectedLines))
                  actual: \(shown(actualLines))
                (if the change is meant, `make golden` and commit the diff)
                """, file: file, line: line)
        }
    }

    /// The golden files no test wrote: left behind by a renamed or removed case.
    func testNoGoldenFileIsOrphaned() throws {
        guard !Self.updating else { return }
        let expected = Set(
            try helpCases().map(\.file) + Self.sampleCases.map(\.file) + (try parseCases()).map(\.file)
                + Self.usageErrorCases.map(\.file) + Self.completionCases.map(\.file) + Self.terminalFiles)
        let present = Set(
            (FileManager.default.subpaths(atPath: Self.goldenFolder.path) ?? []).filter { $0.contains(".") })
        XCTAssertEqual(present.subtracting(expected).sorted(), [], "golden files of no case: remove them")
        XCTAssertEqual(expected.subtracting(present).sorted(), [], "cases without a golden file: run `make golden`")
    }

    // MARK: help

    /// Every command path, from the binary's own description.
    func helpCases() throws -> [(arguments: [String], file: String)] {
        let dump = try Binary.run(["--experimental-dump-help"], in: FileManager.default.temporaryDirectory)
        let root = try XCTUnwrap(
            (try JSONSerialization.jsonObject(with: dump.stdoutData) as? [String: Any])?["command"] as? [String: Any])
        var cases: [([String], String)] = []
        func walk(_ command: [String: Any], _ path: [String]) {
            let name = path + [command["commandName"] as? String ?? "?"]
            cases.append((Array(name.dropFirst()) + ["--help"], "help/" + name.joined(separator: "-") + ".txt"))
            for subcommand in command["subcommands"] as? [[String: Any]] ?? []
            where subcommand["commandName"] as? String != "help" {
                walk(subcommand, name)
            }
        }
        walk(root, [])
        return cases
    }

    /// Usage errors as people meet them: a mistyped subcommand or option, `help` of no command,
    /// a negative limit. Each exits 2 and says what would be right; nothing is searched for.
    static let usageErrorCases: [(arguments: [String], file: String)] = [
        (["serch", "manifest"], "errors/unknown-subcommand.txt"),
        (["help", "nonsense"], "errors/help-of-nothing.txt"),
        (["review", "exprt", "--quarter", "2026-Q1"], "errors/unknown-nested-subcommand.txt"),
        (["search", "manifest", "--sevrity", "high"], "errors/search-unknown-option.txt"),
        (["search", "manifest", "--limit", "-1"], "errors/search-negative-limit.txt"),
        (["list", "--sevrity", "high"], "errors/list-unknown-option.txt"),
        (["check", "--rule", "retention-missng"], "errors/check-unknown-rule.txt"),
        // The values of a string option are listed (`StringChoice`).
        (["search", "manifest", "--format", "yaml"], "errors/search-unknown-format.txt"),
        (["search", "manifest", "--kind", "memo"], "errors/search-unknown-kind.txt"),
        (["list", "--sort", "size"], "errors/list-unknown-sort.txt"),
    ]

    /// The completion scripts, whose value lists come from the options' types (`StringChoice`).
    static let completionCases: [(arguments: [String], file: String)] = ["bash", "zsh", "fish"].map {
        (["--generate-completion-script", $0], "completion/\($0).txt")
    }

    func testCompletionScripts() throws {
        for (arguments, file) in Self.completionCases {
            let result = try Binary.run(arguments, in: FileManager.default.temporaryDirectory)
            XCTAssertEqual(result.status, 0, "ris \(arguments.joined(separator: " ")): \(result.stderr)")
            try assertGolden(result.stdout, file)
        }
    }

    func testUsageErrors() throws {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try Binary.run(["init"], in: folder.url).status, 0)
        for (arguments, file) in Self.usageErrorCases {
            let result = try Binary.run(arguments, in: folder.url, environment: ["COLUMNS": "100"])
            XCTAssertEqual(result.status, 2, "ris \(arguments.joined(separator: " ")): \(result.stderr)")
            XCTAssertEqual(result.stdout, "", "ris \(arguments.joined(separator: " "))")
            try assertGolden(result.stderr, file)
        }
        // A double-dash word near no option is text to find (pasted from a log); a single dash
        // excludes a word; after `--`, everything is the query.
        let pasted = try Binary.run(["search", "--no-refresh", "--oci-mediatypes=false"], in: folder.url)
        XCTAssertEqual(pasted.status, 1, pasted.stderr)
        XCTAssertTrue(pasted.stderr.contains("no record matches '--oci-mediatypes=false'"), pasted.stderr)
        XCTAssertEqual(try Binary.run(["search", "--no-refresh", "docker", "-lambda"], in: folder.url).status, 1)
        let quoted = try Binary.run(["search", "--no-refresh", "--", "--provenance=false"], in: folder.url)
        XCTAssertEqual(quoted.status, 1, quoted.stderr)
        XCTAssertTrue(quoted.stderr.contains("no record matches '--provenance=false'"), quoted.stderr)
    }

    func testHelpOfEveryCommand() throws {
        let cases = try helpCases()
        XCTAssertGreaterThanOrEqual(cases.count, 20)
        for (arguments, file) in cases {
            let result = try Binary.run(
                arguments, in: FileManager.default.temporaryDirectory, environment: ["COLUMNS": "100"])
            XCTAssertEqual(result.status, 0, "ris \(arguments.joined(separator: " "))")
            try assertGolden(result.stdout, file)
        }
    }

    // MARK: the sample knowledge base

    /// Commands on a copy of `examples/kb` whose output does not depend on the day or the
    /// machine (dates are given; the index and the trail are made fresh).
    static let sampleCases: [(arguments: [String], file: String)] = [
        (["search", "manifest"], "kb/search-manifest.txt"),
        (["search", "manifest", "--format", "json"], "kb/search-manifest.json"),
        (["search", "worker", "--format", "csv"], "kb/search-worker.csv"),
        (["list"], "kb/list.txt"),
        (["list", "--format", "json"], "kb/list.json"),
        (["list", "--limit", "2"], "kb/list-limit-2.txt"),
        (["search", "docker", "--limit", "1"], "kb/search-docker-limit-1.txt"),
        (["show", "RIS-045"], "kb/show-RIS-045.txt"),
        (["similar", "RIS-045"], "kb/similar-RIS-045.txt"),
        (["search", "InvalidParameterValue"], "kb/search-part-word.txt"),
        (["match", "logs/lambda-deploy.log"], "kb/match-lambda-deploy.txt"),
        (["match", "logs/ecr-push.log", "--format", "json"], "kb/match-ecr-push.json"),
        (["match", "logs/worker-oom.log"], "kb/match-worker-oom.txt"),
        (["pattern", "list"], "kb/pattern-list.txt"),
        (["pattern", "show", "authorization token"], "kb/pattern-show-ecr.txt"),
        (["check", "--as-of", "2026-03-31"], "kb/check.txt"),
        (["check", "--as-of", "2026-03-31", "--format", "json"], "kb/check.json"),
        (["stale"], "kb/stale.txt"),
        (["stats"], "kb/stats.txt"),
        (["stats", "--format", "json"], "kb/stats.json"),
        (["review", "export", "--quarter", "2026-Q1", "--format", "md"], "kb/review-export-2026-Q1.md"),
        (["review", "export", "--quarter", "2026-Q1", "--format", "json"], "kb/review-export-2026-Q1.json"),
        (["review", "export", "--quarter", "2026-Q1", "--format", "csv"], "kb/review-export-2026-Q1.csv"),
        (["review", "export", "--quarter", "2026-Q1", "--format", "html"], "kb/review-export-2026-Q1.html"),
    ]

    func testSampleKnowledgeBaseOutputs() throws {
        let folder = try TemporaryFolder()
        // The sample as committed: no index, trail or lock of an earlier run.
        try folder.copySampleKnowledgeBase {
            $0.hasPrefix(".ris/") && $0 != ".ris/config.yaml" && $0 != ".ris/.gitignore"
        }
        for (arguments, file) in Self.sampleCases {
            // SOURCE_DATE_EPOCH fixes the review's generation time (2026-04-02T10:00:00Z).
            let result = try Binary.run(
                arguments, in: folder.url,
                environment: ["RIS_ACTOR": "golden@example.com", "SOURCE_DATE_EPOCH": "1775124000"])
            XCTAssertFalse(
                result.stderr.contains("ris: error:"), "ris \(arguments.joined(separator: " ")): \(result.stderr)")
            // The copy's folder changes from run to run: the review's provenance names it.
            try assertGolden(
                result.stdout.replacingOccurrences(of: folder.url.standardizedFileURL.path, with: "$KB"), file)
        }
    }

    // MARK: the terminal

    static let tableWidths = [60, 100, 200]
    static let terminalFiles =
        tableWidths.flatMap { ["terminal/list-wide-\($0).txt", "terminal/search-wide-\($0).txt"] }
        + ["terminal/index-warning-summary.txt"]

    /// Titles of emoji, CJK, combining accents and a flag, in tables fitted to 60, 100 and 200
    /// columns: every row's columns line up (a wide character takes two), and the title gives
    /// way with `…` when the terminal is narrow.
    func testTablesWithWideCharactersFitTheTerminal() throws {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try Binary.run(["init"], in: folder.url).status, 0)
        let titles = [
            "🚨 Deploy blocked: 証明書の有効期限切れ during the nightly manifest push",
            "Cafe\u{301} menu service returns 500 after the manifest schema change",
            "🇩🇪 Frankfurt region: 데이터베이스 failover left the manifest cache cold",
            "Plain ASCII: the manifest was rejected by the registry (media type)",
        ]
        for (number, title) in titles.enumerated() {
            try folder.write(
                "RIS-\(101 + number).md",
                "# RIS-\(101 + number): \(title)\n**Date:** 2026-02-0\(number + 1)\n**Severity:** HIGH\n"
                    + "**Status:** 🔄 IN PROGRESS\n\n## Symptom\nThe 📦 manifest was rejected: 証明書 expired.\n")
        }
        for width in Self.tableWidths {
            let environment = ["COLUMNS": String(width)]
            let list = try Binary.run(["list"], in: folder.url, environment: environment)
            XCTAssertEqual(list.status, 0, list.stderr)
            let search = try Binary.run(["search", "manifest"], in: folder.url, environment: environment)
            XCTAssertEqual(search.status, 0, search.stderr)
            for output in [list.stdout, search.stdout] {
                let columns = try DisplayColumns.ofLines(output, in: folder)
                XCTAssertEqual(columns.count, output.split(separator: "\n", omittingEmptySubsequences: false).count)
                XCTAssertLessThanOrEqual(columns.max() ?? 0, width, "\(width):\n\(output)")
            }
            try assertGolden(list.stdout, "terminal/list-wide-\(width).txt")
            try assertGolden(search.stdout, "terminal/search-wide-\(width).txt")
        }
    }

    /// After `ris index` on a terminal, the diagnostics past the first ten are counted by kind.
    func testTheWarningSummaryOnATerminal() throws {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try Binary.run(["init"], in: folder.url).status, 0)
        for number in 10...24 {
            try folder.write("broken/RIS-9\(number).md", "---\ncompliance: [broken\n---\n# RIS-9\(number): T\n")
        }
        for number in 10...13 {
            try folder.write("unclosed/RIS-8\(number).md", "---\ntitle: T\n\n# RIS-8\(number): T\n\nText.\n")
        }
        let command = ([Binary.risURL.path, "index"]).map { "'\($0)'" }.joined(separator: " ")
        let result = try Binary.runProgram(
            "/usr/bin/script", ["-qec", "stty cols 200; " + command, "/dev/null"], in: folder.url,
            environment: ["NO_COLOR": "1"])
        // script(1) joins stdout and stderr as the terminal shows them; the progress line
        // (rewritten in place with CR) is left out.
        let shown = result.stdout.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n")
            .filter { !$0.contains("\r") && !$0.hasPrefix("indexing") }.joined(separator: "\n")
        // The time taken differs from run to run.
        let timeless = shown.replacingOccurrences(
            of: #"\([0-9]+\.[0-9]+ s\)"#, with: "(… s)", options: .regularExpression)
        try assertGolden(timeless + "\n", "terminal/index-warning-summary.txt")
    }

    // MARK: ris parse

    /// Every record of the sample and every shape fixture, as `ris parse --format json` reads it.
    func parseCases() throws -> [(folder: URL, path: String, file: String)] {
        let repository = ParseCommandTests.repository
        var cases: [(URL, String, String)] = []
        for (root, prefix) in [("examples/kb", "parse/kb/"), ("Tests/risTests/Fixtures/shapes", "parse/shapes/")] {
            let folder = repository.appendingPathComponent(root)
            let files = (FileManager.default.subpaths(atPath: folder.path) ?? [])
                .filter {
                    !$0.hasPrefix(".ris") && ($0.hasSuffix(".md") || $0.hasSuffix(".yaml") || $0.hasSuffix(".yml"))
                }
                .sorted()
            for path in files {
                cases.append((folder, path, prefix + path.replacingOccurrences(of: "/", with: "__") + ".json"))
            }
        }
        return cases
    }

    func testParseOfTheExampleFiles() throws {
        let cases = try parseCases()
        XCTAssertGreaterThanOrEqual(cases.count, 10)
        // The sample is parsed in a copy: reads of its audited records are logged in the copy's trail.
        let copy = try TemporaryFolder()
        try copy.copySampleKnowledgeBase {
            $0.hasPrefix(".ris/") && $0 != ".ris/config.yaml" && $0 != ".ris/.gitignore"
        }
        let sample = ParseCommandTests.repository.appendingPathComponent("examples/kb")
        for (folder, path, file) in cases {
            let result = try Binary.run(["parse", path, "--format", "json"], in: folder == sample ? copy.url : folder)
            try assertGolden(result.stdout, file)
        }
    }
}

/// Terminal columns as Python's `unicodedata` counts them (East Asian Width W or F: two;
/// combining and format characters: none): a measure of the tables' widths that does not
/// share ris's own code.
enum DisplayColumns {
    /// The columns of each line of `text`.
    static func ofLines(_ text: String, in folder: TemporaryFolder) throws -> [Int] {
        let file = try folder.write("measured.txt", text)
        let script = """
            import sys, unicodedata
            def width(c):
                if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf"):
                    return 0
                return 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1
            for line in open(sys.argv[1], encoding="utf-8").read().split("\\n"):
                print(sum(width(c) for c in line))
            """
        let result = try Binary.runProgram("/usr/bin/python3", ["-c", script, file.path], in: folder.url)
        return result.stdout.split(separator: "\n").compactMap { Int($0) }
    }
}
