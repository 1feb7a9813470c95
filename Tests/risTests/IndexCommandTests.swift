import Foundation
import XCTest

/// `ris init/index/search/show/list/similar` through the built binary on temporary knowledge bases.
final class IndexCommandTests: XCTestCase {
    var folder: TemporaryFolder!

    override func setUpWithError() throws {
        folder = try TemporaryFolder()
        // A copy of the sample knowledge base, without its config: `ris init` writes one.
        try folder.copySampleKnowledgeBase { $0.hasPrefix(".ris") }
        let initialised = try run(["init"])
        XCTAssertEqual(initialised.status, 0, initialised.stderr)
    }

    func run(_ arguments: [String], in subfolder: String = "", environment: [String: String] = [:]) throws -> RunResult
    {
        try Binary.run(arguments, in: folder.url.appendingPathComponent(subfolder), environment: environment)
    }

    func objects(_ result: RunResult) throws -> [[String: Any]] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: Any]], result.stdout)
    }

    func testInitWritesConfigAndGitignoreOnce() throws {
        let config = try String(contentsOf: folder.url.appendingPathComponent(".ris/config.yaml"), encoding: .utf8)
        XCTAssertTrue(config.contains("include:"))
        XCTAssertTrue(
            try String(contentsOf: folder.url.appendingPathComponent(".ris/.gitignore"), encoding: .utf8).contains(
                "index.sqlite*"))
        try folder.write(".ris/config.yaml", "# mine\n")
        let again = try run(["init"])
        XCTAssertEqual(again.status, 0)
        XCTAssertTrue(again.stdout.contains("already a knowledge base"))
        XCTAssertEqual(
            try String(contentsOf: folder.url.appendingPathComponent(".ris/config.yaml"), encoding: .utf8), "# mine\n")
    }

    /// `refresh-interval`: within it, commands trust the last walk and say so; `ris index`
    /// always walks; without it every command walks.
    func testRefreshIntervalTrustsTheLastWalkAndSaysSo() throws {
        let config = folder.url.appendingPathComponent(".ris/config.yaml")
        let original = try String(contentsOf: config, encoding: .utf8)
        try folder.write(".ris/config.yaml", original + "\nrefresh-interval: 10m\n")
        XCTAssertEqual(try run(["index"]).status, 0)
        try folder.write(
            "docs/06-ris/resolutions/RIS-300-quokka.md", "# RIS-300: Quokka outage\n\n## Symptom\n\nquokka\n")
        let trusted = try run(["search", "quokka"])
        XCTAssertEqual(trusted.status, 1, trusted.stdout)
        XCTAssertTrue(
            trusted.stderr.contains("refresh-interval: 600 s") && trusted.stderr.contains("`ris index` reads them now"),
            trusted.stderr)
        XCTAssertEqual(try run(["index"]).status, 0)
        let found = try run(["search", "quokka", "--format", "paths"])
        XCTAssertEqual(found.stdout, "docs/06-ris/resolutions/RIS-300-quokka.md\n", found.stderr)

        try folder.write(".ris/config.yaml", original)
        try folder.write(
            "docs/06-ris/resolutions/RIS-301-wombat.md", "# RIS-301: Wombat outage\n\n## Symptom\n\nwombat\n")
        let walked = try run(["search", "wombat", "--format", "paths"])
        XCTAssertEqual(walked.stdout, "docs/06-ris/resolutions/RIS-301-wombat.md\n", walked.stderr)
        XCTAssertFalse(walked.stderr.contains("refresh-interval"), walked.stderr)

        // Within the interval, what writes or gives out an ID still compares the files: a
        // record pulled in under a name without its ID is not given out again.
        try folder.write(".ris/config.yaml", original + "\nrefresh-interval: 10m\n")
        XCTAssertEqual(try run(["index"]).status, 0)
        try folder.write("docs/06-ris/resolutions/pulled.md", "# RIS-400: Pulled from a colleague\n")
        let added = try run(["add", "--title", "Next", "--dry-run"])
        XCTAssertEqual(added.status, 0, added.stderr)
        XCTAssertTrue(added.stdout.contains("# RIS-401: Next"), added.stdout)

        // A record that became audited since the last comparison: its read is logged anyway.
        try folder.write(
            "docs/06-ris/resolutions/RIS-500-numbat.md", "# RIS-500: Numbat outage\n\n## Symptom\n\nnumbat\n")
        XCTAssertEqual(try run(["index"]).status, 0)
        try folder.write(
            "docs/06-ris/resolutions/RIS-500-numbat.md",
            "---\ncompliance:\n  hipaa:\n    access-audit-required: true\n---\n# RIS-500: Numbat outage\n\n"
                + "## Symptom\n\nnumbat\n")
        let audited = try run(["search", "numbat", "--format", "paths"], environment: ["RIS_ACTOR": "t@example.com"])
        XCTAssertEqual(audited.stdout, "docs/06-ris/resolutions/RIS-500-numbat.md\n", audited.stderr)
        XCTAssertTrue(audited.stderr.contains("refresh-interval"), audited.stderr)
        let log = try run(["audit", "log", "--format", "json"])
        let events = try XCTUnwrap(try JSONSerialization.jsonObject(with: log.stdoutData) as? [[String: Any]])
        XCTAssertTrue(
            events.contains {
                $0["path"] as? String == "docs/06-ris/resolutions/RIS-500-numbat.md"
                    && $0["action"] as? String == "read:search"
            }, log.stdout)

        try folder.write(".ris/config.yaml", original + "\nrefresh-interval: soon\n")
        let wrong = try run(["index"])
        XCTAssertTrue(
            wrong.stderr.contains("error: `refresh-interval` must be a duration up to a day, like 30s, 5m or 0"),
            wrong.stderr)
    }

    func testIndexJSONAndIncrementalRuns() throws {
        let first = try run(["index", "--format", "json"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let summary = try XCTUnwrap(try JSONSerialization.jsonObject(with: first.stdoutData) as? [String: Any])
        XCTAssertEqual(
            Set(summary.keys), ["scanned", "added", "updated", "removed", "unchanged", "withErrors", "seconds"])
        XCTAssertEqual(summary["scanned"] as? Int, 7)
        XCTAssertEqual(summary["added"] as? Int, 7)
        XCTAssertTrue(
            first.stderr.contains("RIS-RESOLUTION-045-lambda-manifest-type-docker-macos.md:351:1: warning:"),
            first.stderr)
        let mode = try FileManager.default.attributesOfItem(
            atPath: folder.url.appendingPathComponent(".ris/index.sqlite").path)[.posixPermissions]
        XCTAssertEqual((mode as? NSNumber)?.intValue, 0o600)

        let second = try run(["index", "--format", "json"])
        let again = try XCTUnwrap(try JSONSerialization.jsonObject(with: second.stdoutData) as? [String: Any])
        XCTAssertEqual(again["unchanged"] as? Int, 7)
        XCTAssertEqual(again["added"] as? Int, 0)
        XCTAssertEqual(second.stderr, "", "nothing re-read, nothing re-reported")

        try folder.write("notes/new.md", "# RIS-200: Zeppelin outage\n\nThe zeppelin service fell over.\n")
        try FileManager.default.removeItem(
            at: folder.url.appendingPathComponent("docs/06-ris/resolutions/RIS-067-stale-feature-flag.md"))
        try FileManager.default.moveItem(
            at: folder.url.appendingPathComponent("docs/06-ris/resolutions/RIS-046-ecr-login-token-expired.md"),
            to: folder.url.appendingPathComponent("docs/06-ris/resolutions/RIS-046-renamed.md"))
        let third = try run(["index", "--format", "json"])
        let changed = try XCTUnwrap(try JSONSerialization.jsonObject(with: third.stdoutData) as? [String: Any])
        XCTAssertEqual(changed["added"] as? Int, 2)
        XCTAssertEqual(changed["removed"] as? Int, 2)
        XCTAssertEqual(changed["scanned"] as? Int, 7)
        XCTAssertEqual(try run(["search", "zeppelin", "--format", "paths"]).stdout, "notes/new.md\n")
        XCTAssertEqual(
            try run(["search", "RIS-046", "--format", "paths", "--limit", "1"]).stdout,
            "docs/06-ris/resolutions/RIS-046-renamed.md\n")

        let text = try run(["index", "--full"])
        XCTAssertTrue(text.stdout.contains("7 files: 0 added, 7 updated, 0 removed"), text.stdout)
    }

    func testSearchFindsTheSeedAndCodeTokensExactly() throws {
        let result = try run(["search", "manifest", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let hits = try objects(result)
        XCTAssertTrue(hits.contains { $0["id"] as? String == "RIS-045" })
        for hit in hits {
            XCTAssertEqual(
                Set(hit.keys), ["id", "title", "path", "kind", "date", "severity", "status", "score", "snippet"])
        }
        for query in [
            "manifests", "InvalidParameterValueException", "application/vnd.oci.image.manifest.v1+json",
            "--oci-mediatypes=false",
        ] {
            let found = try run(["search", query, "--format", "paths"])
            XCTAssertEqual(found.status, 0, "\(query): \(found.stderr)")
            XCTAssertTrue(
                found.stdout.contains("RIS-RESOLUTION-045-lambda-manifest-type-docker-macos.md"),
                "\(query): \(found.stdout)")
        }
        let id = try objects(try run(["search", "RIS-045", "--format", "json"]))
        XCTAssertEqual(id.first?["id"] as? String, "RIS-045", "an ID query returns that record first")
        let mixed = try run(["search", "\"media type\"", "OR", "zeppelin", "-docker", "--format", "paths"])
        XCTAssertEqual(mixed.status, 1, "every media-type record mentions docker: \(mixed.stdout)")
        let field = try run(["search", "title:feature", "--format", "paths"])
        XCTAssertEqual(field.stdout, "docs/06-ris/resolutions/RIS-067-stale-feature-flag.md\n")
        let prefix = try run(["search", "zepp*", "--format", "paths"])
        XCTAssertEqual(prefix.status, 1)
        let stem = try run(["search", "renew*", "--format", "paths"])
        XCTAssertTrue(stem.stdout.contains("RIS-067"), stem.stdout)
    }

    /// A quote joined to a combining mark is one character, but FTS5 reads its bytes: the
    /// quote must be doubled like any other, or the query is cut there (it was: exit 2).
    func testAQuoteInsideACharacterIsSearchedFor() throws {
        for query in ["manifest\"\u{301}", "manifest\"\u{301} OR zeppelin", "\"\u{301}manifest"] {
            let found = try run(["search", "--format", "paths", "--", query])
            XCTAssertEqual(found.status, 0, "\(query): \(found.stderr)")
            XCTAssertTrue(
                found.stdout.contains("RIS-RESOLUTION-045-lambda-manifest-type-docker-macos.md"),
                "\(query): \(found.stdout)")
        }
    }

    func testHostileQueriesNeverSurfaceFTSErrors() throws {
        for query in [
            "\"", "'", "(", ")", "*", "-", "NEAR", "NEAR(a b)", "a AND", "OR", "\"unclosed phrase", "it's",
            "x' OR 1=1; --", "); DROP TABLE document; --", "title:", "{a b}", "^start", "a:b", "col : x", "-docker",
        ] {
            let result = try run(["search", "--no-refresh", "--", query])
            XCTAssertTrue([0, 1, 2].contains(result.status), "\(query): exit \(result.status)")
            XCTAssertFalse(result.stderr.lowercased().contains("fts5"), "\(query): \(result.stderr)")
            XCTAssertFalse(result.stderr.lowercased().contains("syntax error"), "\(query): \(result.stderr)")
            if result.status == 2 {
                XCTAssertTrue(result.stderr.hasPrefix("ris: error: "), "\(query): \(result.stderr)")
            }
        }
        XCTAssertEqual(try run(["search", "--", "*"]).status, 2)
        let alone = try run(["search", "--", "-docker"])
        XCTAssertEqual(alone.status, 0, "a lone -word is searched as a word")
        XCTAssertTrue(alone.stderr.contains("'-docker' is searched as a word"), alone.stderr)
        XCTAssertEqual(try run(["list"]).status, 0, "the index is intact")
    }

    func testFiltersAndFormats() throws {
        let critical = try run(["list", "--severity", "critical", "--format", "paths"])
        XCTAssertEqual(
            critical.stdout, "docs/06-ris/resolutions/RIS-RESOLUTION-045-lambda-manifest-type-docker-macos.md\n")
        let since = try objects(try run(["list", "--since", "2026-02-01", "--format", "json"]))
        XCTAssertEqual(since.map { $0["id"] as? String }, ["RIS-068", "RIS-067"])
        let control = try run(["list", "--control", "a.12.1.2", "--format", "paths"])
        XCTAssertEqual(control.stdout, "docs/06-ris/resolutions/RIS-046-ecr-login-token-expired.md\n")
        let framework = try objects(try run(["list", "--framework", "hipaa", "--sort", "id", "--format", "json"]))
        XCTAssertEqual(framework.map { $0["id"] as? String }, ["RIS-045", "RIS-RESOLUTION-047"])
        let kind = try run(["list", "--kind", "hot-pattern", "--format", "paths"])
        XCTAssertEqual(kind.stdout, ".claude/memory/hot-patterns.md\n")
        let condition = try run(["list", "--where", "hipaa.retention-period=6-years", "--format", "paths"])
        XCTAssertEqual(condition.stdout, "docs/06-ris/resolutions/RIS-RESOLUTION-047-celery-worker-oom.yaml\n")
        let field = try run(["list", "--where", "Resolution Time=25 min", "--format", "paths"])
        XCTAssertEqual(field.stdout, "docs/06-ris/resolutions/RIS-067-stale-feature-flag.md\n")
        let jsonl = try run(["search", "lambda", "--format", "jsonl"])
        let lines = jsonl.stdout.split(separator: "\n")
        XCTAssertGreaterThan(lines.count, 1)
        for line in lines { XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]) }
        let csv = try run(["search", "lambda", "--format", "csv"])
        XCTAssertTrue(csv.stdout.hasPrefix("id,title,path,kind,date,severity,status,score,snippet\r\n"), csv.stdout)
        let table = try run(["search", "lambda"])
        XCTAssertTrue(table.stdout.hasPrefix("ID "), table.stdout)
        XCTAssertFalse(table.stdout.contains("\u{1B}["), "no colour when not a terminal")
        XCTAssertEqual(try run(["list", "--since", "yesterday"]).status, 2)
        XCTAssertEqual(try run(["list", "--where", "novalue"]).status, 2)
        XCTAssertEqual(try run(["search", "lambda", "--format", "xml"]).status, 2)
        XCTAssertEqual(try run(["search", "nothingmatchesthis"]).status, 1)
    }

    func testOnATerminalTheDiagnosticsPastTenAreCounted() throws {
        for number in 1...15 {
            try folder.write("broken/RIS-9\(number).md", "---\ncompliance: [broken\n---\n# RIS-9\(number): T\n")
        }
        func onTerminal(_ arguments: [String]) throws -> [String] {
            let command = ([Binary.risURL.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
            let result = try Binary.runProgram(
                "/usr/bin/script", ["-qec", command, "/dev/null"], in: folder.url, environment: ["NO_COLOR": "1"])
            return result.stdout.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n").map(String.init)
        }
        // A pipe gets every one, as before: the sample's own and the fifteen broken files'.
        let piped = try run(["index", "--full"]).stderr.split(separator: "\n")
            .filter { $0.contains(": error: ") || $0.contains(": warning: ") || $0.contains(": note: ") }
        XCTAssertGreaterThanOrEqual(piped.count, 15)
        let lines = try onTerminal(["index", "--full"])
        let shown = lines.filter { $0.contains(": error: ") || $0.contains(": warning: ") || $0.contains(": note: ") }
        XCTAssertEqual(shown.count, 10, "\(lines)")
        let summary = try XCTUnwrap(
            lines.first { $0.hasPrefix("ris: \(piped.count - 10) more diagnostic(s)") }, "\(lines)")
        XCTAssertTrue(summary.contains(" error yaml-syntax"), summary)
        XCTAssertTrue(
            summary.hasSuffix("; --verbose (or a pipe) shows every one, `ris check` and `ris parse` say them per file"))
        XCTAssertEqual(
            try onTerminal(["index", "--full", "--verbose"]).filter {
                $0.contains(": error: ") || $0.contains(": warning: ") || $0.contains(": note: ")
            }.count, piped.count)
    }

    func testInitInsideAKnowledgeBaseIsRefusedUnlessNested() throws {
        let inner = folder.url.appendingPathComponent("docs/team-b")
        try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: true)
        let refused = try Binary.run(["init"], in: inner)
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(
            refused.stderr.contains(". is inside the knowledge base \(folder.url.standardizedFileURL.path)"),
            refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: inner.appendingPathComponent(".ris").path))
        let nested = try Binary.run(["init", "--nested"], in: inner)
        XCTAssertEqual(nested.status, 0, nested.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: inner.appendingPathComponent(".ris/config.yaml").path))
        // Once made, running init there again is harmless.
        XCTAssertEqual(try Binary.run(["init"], in: inner).status, 0)
    }

    func testShowPrintsEverySectionAndOneOnRequest() throws {
        let page = try run(["show", "RIS-045"]).stdout
        // The fix and the prevention, in reading order, as written.
        let order = [
            "Incident Summary", "Symptom", "Root Cause Analysis", "Timeline", "Resolution", "Immediate Fix",
            "Prevention Measures", "Lessons Learned", "Hot Pattern Entry", "References",
        ].map {
            page.range(of: "\n" + $0)?.lowerBound ?? page.range(of: "\n  " + $0)?.lowerBound
        }
        XCTAssertFalse(order.contains(nil), page)
        XCTAssertEqual(order.compactMap { $0 }, order.compactMap { $0 }.sorted(), "reading order")
        XCTAssertTrue(
            page.contains("    **Action:** Always use `infra/scripts/build-lambda-image.sh` for Lambda builds"))
        let one = try run(["show", "RIS-045", "--section", "prevention"])
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertTrue(
            one.stdout.hasPrefix("Prevention Measures\n\n  1. Standardize Lambda Build Process\n"), one.stdout)
        XCTAssertFalse(one.stdout.contains("Timeline"))
        XCTAssertFalse(one.stdout.contains("Related Issues"), "the next section at the same level ends it")
        let none = try run(["show", "RIS-045", "--section", "postmortem"])
        XCTAssertEqual(none.status, 2)
        XCTAssertTrue(
            none.stderr.contains(
                "RIS-045 has no section 'postmortem'; its sections: Incident Summary, Technical Details"),
            none.stderr)
    }

    func testShowAmbiguousAndSimilar() throws {
        let page = try run(["show", "RIS-045"])
        XCTAssertEqual(page.status, 0, page.stderr)
        XCTAssertTrue(
            page.stdout.hasPrefix("RIS-045: Lambda Deployment Failures Due to OCI Manifest Type on macOS"), page.stdout)
        XCTAssertTrue(page.stdout.contains("0:00  User reports login failure with CORS errors"))
        XCTAssertTrue(page.stdout.contains("Hot pattern: Lambda Deployment"))
        XCTAssertTrue(
            page.stdout.contains(
                "hipaa: controls 164.308(a)(1)(ii)(D), 164.312(a)(1); retain 7 years; review quarterly"))
        let json = try XCTUnwrap(
            try JSONSerialization.jsonObject(
                with: try run(["show", "docs/06-ris/resolutions/RIS-046", "--format", "json"]).stdoutData)
                as? [String: Any])
        XCTAssertEqual(json["id"] as? String, "RIS-046")
        XCTAssertNotNil((json["index"] as? [String: Any])?["sha256"] as? String)
        XCTAssertNotNil(json["hotPatterns"])

        // A second, unrelated record reusing an ID.
        try folder.write("other/RIS-045-unrelated.md", "# RIS-045: Unrelated printer jam\n\nThe printer jammed.\n")
        let ambiguous = try run(["show", "RIS-045"])
        XCTAssertEqual(ambiguous.status, 2)
        XCTAssertTrue(ambiguous.stderr.contains("names 2 records"), ambiguous.stderr)
        XCTAssertTrue(ambiguous.stderr.contains("other/RIS-045-unrelated.md"), ambiguous.stderr)
        XCTAssertEqual(try run(["show", "other/RIS-045-unrelated.md"]).status, 0)
        XCTAssertEqual(try run(["show", "RIS-999"]).status, 1)

        // From a subfolder, and by path relative to it.
        let sub = try run(["show", "RIS-067-stale-feature-flag.md", "--format", "json"], in: "docs/06-ris/resolutions")
        XCTAssertEqual(sub.status, 0, sub.stderr)

        let similar = try objects(try run(["similar", "RIS-046", "--format", "json"]))
        XCTAssertFalse(similar.contains { ($0["path"] as? String)?.contains("RIS-046") ?? false }, "not itself")
        // Records only, each sharing something with RIS-046 (ECR, docker push): never a score of 0.
        XCTAssertEqual(similar.first?["id"] as? String, "RIS-045", "\(similar)")
        XCTAssertFalse(similar.contains { $0["kind"] as? String == "hot-pattern" }, "\(similar)")
        XCTAssertTrue(similar.allSatisfy { ($0["score"] as? Double ?? 0) > 0 }, "\(similar)")
    }

    func testKnowledgeBaseDiscovery() throws {
        let outside = try TemporaryFolder()
        let lost = try Binary.run(["search", "x"], in: outside.url)
        XCTAssertEqual(lost.status, 2)
        XCTAssertTrue(lost.stderr.contains("not in a knowledge base"), lost.stderr)
        XCTAssertTrue(lost.stderr.contains("ris init"), lost.stderr)
        let byFlag = try Binary.run(
            ["search", "manifest", "--kb", folder.url.path, "--format", "paths"], in: outside.url)
        XCTAssertEqual(byFlag.status, 0, byFlag.stderr)
        let byEnvironment = try Binary.run(
            ["list", "--format", "paths"], in: outside.url, environment: ["RIS_KB": folder.url.path])
        XCTAssertEqual(byEnvironment.status, 0, byEnvironment.stderr)
        let deep = try run(["search", "manifest", "--format", "paths"], in: "docs/05-kb/infrastructure")
        XCTAssertEqual(deep.status, 0, deep.stderr)
    }

    func testBrokenFrontMatterIsIndexedAndCorruptIndexRebuilt() throws {
        try folder.write(
            "broken.md", "---\nid: RIS-300\n\tbad: tab\n---\n# RIS-300: Kraken outage\n\nThe kraken woke up.\n")
        let indexed = try run(["index"])
        XCTAssertEqual(indexed.status, 1)
        XCTAssertTrue(indexed.stderr.contains("broken.md:3:1: error: YAML"), indexed.stderr)
        XCTAssertEqual(try run(["search", "kraken", "--format", "paths"]).stdout, "broken.md\n")

        try Data(repeating: 0x17, count: 4096).write(to: folder.url.appendingPathComponent(".ris/index.sqlite"))
        let rebuilt = try run(["search", "kraken", "--format", "paths"])
        XCTAssertEqual(rebuilt.status, 0, rebuilt.stderr)
        XCTAssertEqual(rebuilt.stdout, "broken.md\n")
        XCTAssertTrue(rebuilt.stderr.contains("ris: notice: the index"), rebuilt.stderr)
    }

    func testSymlinkLoopIsADiagnostic() throws {
        try FileManager.default.createSymbolicLink(
            atPath: folder.url.appendingPathComponent("docs/loop").path, withDestinationPath: "..")
        let result = try run(["index"])
        XCTAssertTrue(result.stderr.contains("docs/loop"), result.stderr)
        XCTAssertTrue(result.stderr.contains("symbolic link loop"), result.stderr)
        XCTAssertTrue(result.stdout.contains("7 files"), result.stdout)
    }

    func testConcurrentRunsAgree() throws {
        for index in 0..<200 {
            try folder.write(
                "bulk/RIS-\(1000 + index).md", "# RIS-\(1000 + index): Bulk record \(index)\n\nwombat number \(index)\n"
            )
        }
        // Four refreshes at once: they queue on the database lock and none fails or duplicates.
        let results = Binary.runConcurrently(Array(repeating: ["index", "--format", "json"], count: 4), in: folder.url)
        let statuses = results.map { $0?.status ?? -1 }
        for result in results where result?.status != 0 {
            print("concurrent run failed: \(result?.stderr ?? "no result")")
        }
        XCTAssertEqual(statuses, [0, 0, 0, 0])
        let all = try objects(try run(["list", "--format", "json", "--no-refresh"]))
        XCTAssertEqual(all.count, 207)
        XCTAssertEqual(Set(all.compactMap { $0["path"] as? String }).count, 207)
        XCTAssertEqual(
            try run(["search", "wombat", "--limit", "500", "--format", "paths"]).stdout.split(separator: "\n").count,
            200)
    }

    /// A refresh that finds nothing changed writes nothing: no transaction, the index's files
    /// (the database and its write-ahead log) keep their bytes, and the log its time of change
    /// (a transaction's pages would be checkpointed and the log cut to nothing again at the
    /// close, so its size alone would not tell).
    func testARefreshThatFindsNothingChangedWritesNothing() throws {
        // A file changed (its time or its inode's) in the two seconds before a walk is read
        // again by the next run, its time too recent to trust (as git does), and its row
        // written again: the files of this test were written just now.
        Thread.sleep(forTimeInterval: 2.1)
        XCTAssertEqual(try run(["index"]).status, 0)
        let index = folder.url.appendingPathComponent(".ris/index.sqlite")
        let log = folder.url.appendingPathComponent(".ris/index.sqlite-wal")
        let bytes = try Data(contentsOf: index)
        // The first run to open the index in WAL mode makes the log, empty; it is kept from then on.
        XCTAssertEqual(try run(["list", "--format", "json"]).status, 0)
        XCTAssertEqual(try Data(contentsOf: index), bytes)
        let logStatus = try sizeAndChangeTime(log)
        XCTAssertEqual(logStatus[0], 0)
        let list = try run(["list", "--format", "json"])
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertEqual(try Data(contentsOf: index), bytes)
        XCTAssertEqual(try sizeAndChangeTime(log), logStatus)
        let summary = try run(["index", "--format", "json"])
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: summary.stdoutData) as? [String: Any])
        XCTAssertEqual(object["added"] as? Int, 0)
        XCTAssertEqual(object["unchanged"] as? Int, object["scanned"] as? Int)
        XCTAssertEqual(try Data(contentsOf: index), bytes)
        XCTAssertEqual(try sizeAndChangeTime(log), logStatus)
    }

    /// A file's size and the time its bytes last changed (seconds, nanoseconds): a write or a
    /// truncation changes it. (Not the inode's time: SQLite running as root gives the log its
    /// owner again at every opening, which changes that time and nothing else.)
    func sizeAndChangeTime(_ url: URL) throws -> [Int] {
        var status = stat()
        guard stat(url.path, &status) == 0 else { throw CocoaError(.fileNoSuchFile) }
        return [Int(status.st_size), Int(status.st_mtim.tv_sec), Int(status.st_mtim.tv_nsec)]
    }

    /// The write-ahead log and its index are kept between runs (a search does not make and
    /// unlink them each time), and the log is cut to nothing when the last run closes: a
    /// refresh that wrote leaves no log's worth of pages on the disk.
    func testTheWriteAheadLogIsKeptEmptyBetweenRuns() throws {
        XCTAssertEqual(try run(["index"]).status, 0)
        XCTAssertEqual(try run(["search", "lambda", "--format", "paths"]).status, 0)
        let log = folder.url.appendingPathComponent(".ris/index.sqlite-wal")
        let shared = folder.url.appendingPathComponent(".ris/index.sqlite-shm")
        func size(_ url: URL) throws -> Int {
            try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)
        }
        XCTAssertEqual(try size(log), 0)
        XCTAssertGreaterThan(try size(shared), 0)
        for index in 0..<50 {
            try folder.write("bulk/RIS-\(2000 + index).md", "# RIS-\(2000 + index): Bulk \(index)\n\nnumbat \(index)\n")
        }
        let refreshed = try run(["search", "numbat", "--format", "paths"])
        XCTAssertEqual(refreshed.status, 0, refreshed.stderr)
        XCTAssertEqual(refreshed.stdout.split(separator: "\n").count, 20)
        XCTAssertEqual(try size(log), 0)
        // A run that refreshes and then fails (nothing found, exit 1) closes the index too.
        try folder.write("bulk/RIS-2100.md", "# RIS-2100: Bulk\n\nnumbat again\n")
        XCTAssertEqual(try run(["search", "wallabyquokkaxyz", "--format", "paths"]).status, 1)
        XCTAssertEqual(try size(log), 0)
        let mode = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: log.path)[.posixPermissions] as? Int)
        XCTAssertEqual(mode, 0o600)
    }
}
