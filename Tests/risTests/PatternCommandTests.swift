import Foundation
import XCTest

/// `ris pattern list/show/hit` through the built binary on a copy of the sample knowledge base.
final class PatternCommandTests: XCTestCase {
    var folder: TemporaryFolder!
    var patternsFile: URL { folder.url.appendingPathComponent(".claude/memory/hot-patterns.md") }

    override func setUpWithError() throws {
        folder = try TemporaryFolder()
        try folder.copySampleKnowledgeBase {
            $0.contains("index.sqlite") || $0.contains("hits.jsonl") || $0.hasSuffix(".lock")
        }
    }

    func run(_ arguments: [String]) throws -> RunResult { try Binary.run(arguments, in: folder.url) }

    func lines(_ data: Data) -> [Substring] {
        String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    }

    func testHitChangesExactlyTwoLines() throws {
        let before = try Data(contentsOf: patternsFile)
        let result = try run(["pattern", "hit", "authorization token", "--date", "2026-11-26", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        XCTAssertEqual(object["hitCount"] as? Int, 2)
        let after = try Data(contentsOf: patternsFile)
        let changed = zip(lines(before), lines(after)).enumerated().filter { $0.element.0 != $0.element.1 }
        XCTAssertEqual(lines(before).count, lines(after).count)
        XCTAssertEqual(changed.map(\.offset), [35, 36])
        XCTAssertEqual(changed.map { String($0.element.1) }, ["**Hit Count:** 2", "**Last Used:** 2026-11-26"])
        // By slug and by related ID too; the index follows.
        XCTAssertEqual(
            try run(["pattern", "hit", "ecr-authorization-token-has-expired", "--date", "2026-11-27"]).status, 0)
        XCTAssertEqual(try run(["pattern", "hit", "ris-046", "--date", "2026-11-28"]).status, 0)
        let listed = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: try run(["pattern", "list", "--format", "json"]).stdoutData)
                as? [[String: Any]])
        let ecr = listed.first { ($0["title"] as? String)?.hasPrefix("ECR") ?? false }
        XCTAssertEqual(ecr?["hitCount"] as? Int, 4)
        XCTAssertEqual(ecr?["lastUsed"] as? String, "2026-11-28")
        XCTAssertEqual(listed.map { $0["hitCount"] as? Int }, [4, 3, 1], "sorted by hits, most first")
    }

    func testAmbiguousAndUnknownChangeNothing() throws {
        try folder.write(
            ".claude/memory/hot-patterns.md",
            try String(contentsOf: patternsFile, encoding: .utf8)
                + "\n## Lambda cold start timeout\n\n**Keywords:** lambda, timeout\n**Hit Count:** 0\n**Last "
                + "Used:** never\n"
        )
        let before = try Data(contentsOf: patternsFile)
        let ambiguous = try run(["pattern", "hit", "lambda"])
        XCTAssertEqual(ambiguous.status, 2)
        XCTAssertTrue(ambiguous.stderr.contains("matches 2 hot patterns"), ambiguous.stderr)
        XCTAssertTrue(ambiguous.stderr.contains("Lambda cold start timeout"), ambiguous.stderr)
        XCTAssertEqual(try run(["pattern", "hit", "no such thing"]).status, 1)
        XCTAssertEqual(try Data(contentsOf: patternsFile), before)
        XCTAssertEqual(try run(["pattern", "hit", "cold start", "--date", "2026-11-26"]).status, 0)
        XCTAssertTrue(
            try String(contentsOf: patternsFile, encoding: .utf8).hasSuffix(
                "**Hit Count:** 1\n**Last Used:** 2026-11-26\n"))
    }

    func testMissingLinesAreAppendedAtTheEndOfTheEntry() throws {
        try folder.write(
            ".claude/memory/hot-patterns.md",
            "# Hot Patterns\n\n## Disk full\n\n**Keywords:** disk, ENOSPC\n\n---\n\n## Other\n\n**Keywords:** x\n")
        XCTAssertEqual(try run(["pattern", "hit", "disk full", "--date", "2026-11-26"]).status, 0)
        XCTAssertEqual(
            try String(contentsOf: patternsFile, encoding: .utf8),
            "# Hot Patterns\n\n## Disk full\n\n**Keywords:** disk, ENOSPC\n**Hit Count:** 1\n**Last Used:** "
                + "2026-11-26\n\n---\n\n## Other\n\n**Keywords:** x\n"
        )
    }

    func testSixteenConcurrentHitsAreAllCounted() throws {
        let results = Binary.runConcurrently(
            Array(repeating: ["pattern", "hit", "ECR", "--date", "2026-11-26"], count: 16), in: folder.url)
        let statuses = results.map { $0?.status ?? -1 }
        XCTAssertEqual(statuses, Array(repeating: 0, count: 16))
        XCTAssertTrue(try String(contentsOf: patternsFile, encoding: .utf8).contains("**Hit Count:** 17\n"))
    }

    func testKilledHitsLeaveTheOldOrTheNewFileNeverATornOne() throws {
        let original = try String(contentsOf: patternsFile, encoding: .utf8)
        for round in 0..<12 {
            let process = Process()
            process.executableURL = Binary.risURL
            process.arguments = ["pattern", "hit", "ECR", "--date", "2026-11-26"]
            process.currentDirectoryURL = folder.url
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32(round * 1_500))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let text = try String(contentsOf: patternsFile, encoding: .utf8)
            // Whatever the count, the file is the original with only that line (and the date) changed.
            let normalised = text.replacingOccurrences(
                of: #"\*\*Hit Count:\*\* \d+\n\*\*Last Used:\*\* [0-9-]+\n(?=\n## |$)"#,
                with: "COUNT\n", options: .regularExpression)
            let expected = original.replacingOccurrences(
                of: #"\*\*Hit Count:\*\* \d+\n\*\*Last Used:\*\* [0-9-]+\n(?=\n## |$)"#,
                with: "COUNT\n", options: .regularExpression)
            XCTAssertEqual(normalised, expected, "round \(round)")
        }
    }

    func testPatternAddIsIdempotentAndRoundTrips() throws {
        try FileManager.default.removeItem(at: patternsFile)
        let first = try run(["pattern", "add", "RIS-045", "--format", "json"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(
            (try JSONSerialization.jsonObject(with: first.stdoutData) as? [String: Any])?["added"] as? Bool, true)
        let written = try Data(contentsOf: patternsFile)
        let second = try run(["pattern", "add", "RIS-045", "--format", "json"])
        XCTAssertEqual(
            (try JSONSerialization.jsonObject(with: second.stdoutData) as? [String: Any])?["added"] as? Bool, false)
        XCTAssertEqual(try Data(contentsOf: patternsFile), written, "the second run changes nothing")
        // The entry reads back as the record's entry: nested fences repaired.
        let parsed = try XCTUnwrap(
            try JSONSerialization.jsonObject(
                with: try run(["parse", "--format", "json", ".claude/memory/hot-patterns.md"]).stdoutData)
                as? [[String: Any]])
        let pattern = try XCTUnwrap((parsed.first?["hotPatterns"] as? [[String: Any]])?.first)
        XCTAssertEqual(pattern["title"] as? String, #"Lambda Deployment: "manifest media type not supported""#)
        XCTAssertEqual((pattern["keywords"] as? [String])?.count, 6)
        XCTAssertEqual(pattern["hitCount"] as? Int, 1)
        XCTAssertTrue((pattern["solution"] as? String)?.contains("--oci-mediatypes=false") ?? false)
        XCTAssertEqual((parsed.first?["diagnostics"] as? [Any])?.count, 0, "the canonical entry needs no repair")

        // A record without an entry gets one made from its parts.
        let generated = try run(["pattern", "add", "RIS-067", "--format", "json"])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        let text = try String(contentsOf: patternsFile, encoding: .utf8)
        XCTAssertTrue(
            text.contains(
                "## Stale feature flag hides the renewal banner\n\n**Keywords:** feature-flags, frontend, renewals, "
                    + "stale"
            ), text)
        XCTAssertTrue(text.hasSuffix("**Related:** RIS-067\n**Hit Count:** 0\n**Last Used:** 2026-02-03\n"), text)
    }

    func testHitsAreLoggedWithTimeAndActor() throws {
        for actor in ["alice", "agent-7"] {
            let result = try Binary.run(
                ["pattern", "hit", "ECR", "--date", "2026-11-26"], in: folder.url, environment: ["RIS_ACTOR": actor])
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        let log = try String(contentsOf: folder.url.appendingPathComponent(".ris/hits.jsonl"), encoding: .utf8)
        let entries = log.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String]
        }
        XCTAssertEqual(entries.map { $0["actor"] }, ["alice", "agent-7"])
        XCTAssertEqual(Set(entries.map { $0["title"] }), [#"ECR: "authorization token has expired""#])
        XCTAssertTrue(entries.allSatisfy { ($0["at"] ?? "").hasPrefix("20") })
        // An entry older than 30 days counts in the total only.
        try
            (log
            + #"{"actor":"bob","at":"2020-01-01T00:00:00Z","path":".claude/memory/hot-patterns.md","#
            + #""title":"ECR: \"authorization token has expired\""}"#
            + "\n")
            .write(to: folder.url.appendingPathComponent(".ris/hits.jsonl"), atomically: true, encoding: .utf8)
        let listed = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: try run(["pattern", "list", "--format", "json"]).stdoutData)
                as? [[String: Any]])
        let ecr = try XCTUnwrap(listed.first { ($0["title"] as? String)?.hasPrefix("ECR") ?? false })
        XCTAssertEqual(ecr["hitsLast30Days"] as? Int, 2)
        XCTAssertEqual(ecr["hitCount"] as? Int, 3)
        XCTAssertTrue(try run(["pattern", "list"]).stdout.hasPrefix("HITS  30D  LAST USED"))
    }

    func testPatternShow() throws {
        let shown = try run(["pattern", "show", "token has expired", "--format", "json"])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: shown.stdoutData) as? [String: Any])
        XCTAssertEqual(object["title"] as? String, #"ECR: "authorization token has expired""#)
        XCTAssertEqual(object["keywords"] as? [String], ["ecr", "docker login", "token expired", "denied"])
        XCTAssertEqual(object["path"] as? String, ".claude/memory/hot-patterns.md")
        XCTAssertEqual(object["line"] as? Int, 25)
        let text = try run(["pattern", "show", "ecr-authorization-token-has-expired"])
        XCTAssertTrue(text.stdout.contains("Solution:\n  Log in to ECR inside every CI job."), text.stdout)
        // The seed's entry and the file's entry share a title: the part names the file's (the
        // pattern; the record's entry is its source).
        let shared = try run(["pattern", "show", "manifest media type", "--format", "json"])
        XCTAssertEqual(shared.status, 0, shared.stderr)
        let pattern = try XCTUnwrap(try JSONSerialization.jsonObject(with: shared.stdoutData) as? [String: Any])
        XCTAssertEqual(pattern["path"] as? String, ".claude/memory/hot-patterns.md")
    }
}
