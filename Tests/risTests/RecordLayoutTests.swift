import Foundation
import XCTest

/// Issue 10 through the built binary: the shapes of real knowledge bases read as a careful
/// reader reads them, on the fixture and on generated corpora; the index follows the reading.
final class RecordLayoutTests: XCTestCase {
    static let shapes = ParseCommandTests.repository.appendingPathComponent("Tests/risTests/Fixtures/shapes")
    static let corpusTools = ParseCommandTests.repository.appendingPathComponent("Tests/corpus")

    func objects(_ result: RunResult) throws -> [[String: Any]] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: Any]], result.stdout)
    }

    /// The facts `EXPECTED.json` judges, as `ris parse --format json` gives them.
    func facts(of object: [String: Any]) -> [String: Any] {
        let diagnostics = object["diagnostics"] as? [[String: Any]] ?? []
        var facts: [String: Any] = [
            "id": object["id"] ?? NSNull(), "title": object["title"] ?? NSNull(),
            "severity": object["severity"] ?? NSNull(),
            "status": object["status"] ?? NSNull(), "date": object["date"] ?? NSNull(),
            "project": object["project"] ?? NSNull(),
            "timeline": (object["timeline"] as? [Any])?.count ?? -1,
            "frameworks": ((object["compliance"] as? [String: Any])?.keys.sorted()) ?? [],
            "errors": diagnostics.filter { $0["severity"] as? String == "error" }.count,
            "salvaged": object["salvaged"] as? Bool ?? false,
        ]
        if let title = facts["title"] as? String { facts["title"] = title.lowercased() }
        return facts
    }

    /// Every expectation of `expected` that the parse of `folder` does not meet, as `file: key: expected, got`.
    func mismatches(in folder: URL, expected: [String: [String: Any]], result: RunResult) throws -> [String] {
        var byPath: [String: [String: Any]] = [:]
        for object in try objects(result) {
            guard let path = object["path"] as? String else { continue }
            byPath[String(path.dropFirst(folder.path.count + 1))] = object
        }
        var problems: [String] = []
        for (file, expectation) in expected.sorted(by: { $0.key < $1.key }) {
            guard let object = byPath[file] else {
                problems.append("\(file): not read")
                continue
            }
            let got = facts(of: object)
            for (key, value) in expectation where got[key] != nil {
                let same: Bool
                switch key {
                case "timeline", "errors": same = value as? Int == got[key] as? Int
                case "salvaged": same = value as? Bool == got[key] as? Bool
                case "frameworks": same = (value as? [String])?.sorted() == got[key] as? [String]
                case "title": same = (value as? String)?.lowercased() == got[key] as? String
                default: same = value as? String == got[key] as? String
                }
                if !same { problems.append("\(file): \(key): expected \(value), got \(got[key]!)") }
            }
        }
        return problems
    }

    func testEveryShapeReadsAsExpected() throws {
        let expected = try XCTUnwrap(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: Self.shapes.appendingPathComponent("EXPECTED.json"))) as? [String: [String: Any]]
        )
        XCTAssertEqual(expected.count, 20)
        let result = try Binary.run(["parse", "--format", "json", Self.shapes.path], in: Self.shapes)
        XCTAssertEqual(result.status, 1, "two files have a real YAML error")
        XCTAssertEqual(try mismatches(in: Self.shapes, expected: expected, result: result), [])
        // A lossy reading says so once, beside its error; valid files say nothing at all.
        let prefix = Self.shapes.path + "/"
        XCTAssertEqual(
            result.stderr.split(separator: "\n").map { String($0.dropFirst(prefix.count)) },
            [
                "c2-syntax-error-late.yaml:6:25: error: YAML scanner: mapping values are not allowed in this context",
                "c2-syntax-error-late.yaml:6:25: note: read 4 top-level keys around the YAML error (id, title, "
                    + "status, severity); lines 5-6 not read",
                "c5a-unclosed-section-heading.yaml:1:1: warning: front matter opened at line 1 is never closed; "
                    + "read up to the heading at line 6",
                "c5b-comment-after-error.yaml:9:4: error: YAML scanner: mapping values are not allowed in this context",
                "c5b-comment-after-error.yaml:9:4: note: read 4 top-level keys around the YAML error (id, title, "
                    + "status, steps); lines 8-9 not read",
            ])
        let salvaged = try objects(result).filter { $0["salvaged"] as? Bool == true }.compactMap {
            ($0["path"] as? String).map { URL(fileURLWithPath: $0).lastPathComponent }
        }
        XCTAssertEqual(salvaged.sorted(), ["c2-syntax-error-late.yaml", "c5b-comment-after-error.yaml"])
    }

    /// A corpus made by `Tests/corpus/messy_corpus.py` (every layout, with variations of keys,
    /// quoting, comments, line ends, timelines and compliance shapes): every stated fact right.
    func testAGeneratedMessyCorpusReadsAsExpected() throws {
        let folder = try TemporaryFolder()
        let generated = try Binary.runProgram(
            "/usr/bin/env",
            [
                "python3", Self.corpusTools.appendingPathComponent("messy_corpus.py").path,
                "--seed", "11", "--count", "600", folder.url.path,
            ], in: folder.url)
        XCTAssertEqual(generated.status, 0, generated.stderr)
        let expected = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(contentsOf: folder.url.appendingPathComponent("EXPECTED.json")))
                as? [String: [String: Any]])
        XCTAssertEqual(expected.count, 600)
        let layouts = Set(expected.values.compactMap { $0["layout"] as? String })
        XCTAssertGreaterThanOrEqual(layouts.count, 15, "\(layouts.sorted())")
        try FileManager.default.removeItem(at: folder.url.appendingPathComponent("EXPECTED.json"))
        let result = try Binary.run(["parse", "--format", "json", folder.url.path], in: folder.url)
        XCTAssertEqual(try objects(result).count, 600)
        let problems = try mismatches(in: folder.url, expected: expected, result: result)
        XCTAssertEqual(problems, [], "\(problems.count) facts read wrong")
    }

    /// 83 records written one by one, as a team's engineers and agents write them over months
    /// (Tests/corpus/handwritten/README.md): every stated fact right.
    func testHandWrittenRecordsReadAsExpected() throws {
        let folder = Self.corpusTools.appendingPathComponent("handwritten")
        let expected = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("EXPECTED.json")))
                as? [String: [String: Any]])
        XCTAssertEqual(expected.count, 83)
        let result = try Binary.run(["parse", "--format", "json", folder.path], in: folder)
        XCTAssertEqual(try mismatches(in: folder, expected: expected, result: result), [])
        // Every file with an error deserves it: exactly the nine broken ones.
        let withErrors = try objects(result).filter {
            ($0["diagnostics"] as? [[String: Any]] ?? []).contains { $0["severity"] as? String == "error" }
        }
        XCTAssertEqual(withErrors.count, expected.values.filter { $0["errors"] as? Int == 1 }.count)
        XCTAssertEqual(withErrors.count, 9)
    }

    // MARK: The index follows the reading

    func knowledgeBase() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try folder.write(".ris/config.yaml", "version: 1\n")
        for name in [
            "c1-empty-second-doc.yaml", "c3-compliance-bool-and-extra.yaml", "c12-framework-flags-top-level.yaml",
            "more-numbered-timeline.md",
        ] {
            try folder.write("records/\(name)", try Data(contentsOf: Self.shapes.appendingPathComponent(name)))
        }
        try folder.write(
            "records/when.yaml", "id: RIS-950\ntitle: Configured names\nwhen: 2024-08-09\nimpact_level: SEV2\n")
        return folder
    }

    func sqlite(_ folder: TemporaryFolder, _ sql: String) throws -> String {
        let result = try Binary.runProgram(
            "/usr/bin/sqlite3", [folder.url.appendingPathComponent(".ris/index.sqlite").path, sql], in: folder.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func testFrameworkFlagsAndComplianceAttributesAreFilters() throws {
        let folder = try knowledgeBase()
        let soc2 = try Binary.run(["list", "--framework", "SOC 2", "--format", "paths"], in: folder.url)
        XCTAssertEqual(soc2.status, 0, soc2.stderr)
        XCTAssertEqual(
            soc2.stdout.split(separator: "\n").sorted(),
            ["records/c12-framework-flags-top-level.yaml", "records/c3-compliance-bool-and-extra.yaml"])
        let iso = try Binary.run(["list", "--framework", "iso27001", "--format", "paths"], in: folder.url)
        XCTAssertEqual(iso.stdout, "records/c12-framework-flags-top-level.yaml\n")
        let attribute = try Binary.run(
            ["list", "--where", "compliance.audit-trail=true", "--format", "paths"], in: folder.url)
        XCTAssertEqual(attribute.stdout, "records/c3-compliance-bool-and-extra.yaml\n", attribute.stderr)
        let policy = try Binary.run(
            ["list", "--where", "compliance.retention_policy=keep forever", "--format", "paths"], in: folder.url)
        XCTAssertEqual(policy.stdout, "records/c3-compliance-bool-and-extra.yaml\n")
    }

    func testConfiguredFieldAliasesReachParseAndTheIndex() throws {
        let folder = try knowledgeBase()
        let before = try Binary.run(["list", "--format", "json"], in: folder.url)
        let unconfigured = try objects(before).first { $0["id"] as? String == "RIS-950" }
        XCTAssertTrue(unconfigured?["date"] is NSNull, "`when` means nothing yet")

        try folder.write(".ris/config.yaml", "version: 1\nfield-aliases:\n  date: when\n  severity: [impact_level]\n")
        let parsed = try Binary.run(["parse", "--format", "json", "records/when.yaml"], in: folder.url)
        XCTAssertEqual(try objects(parsed).first?["date"] as? String, "2024-08-09")
        XCTAssertEqual(try objects(parsed).first?["severity"] as? String, "HIGH")

        // No file changed, yet every file is read again: the reading did.
        let index = try Binary.run(["index", "--format", "json"], in: folder.url)
        XCTAssertEqual(index.status, 0, index.stderr)
        let summary = try XCTUnwrap(try JSONSerialization.jsonObject(with: index.stdoutData) as? [String: Any])
        XCTAssertEqual(summary["updated"] as? Int, 5)
        XCTAssertTrue(index.stderr.contains("ris: notice: this ris reads records differently"), index.stderr)
        XCTAssertEqual(
            try sqlite(folder, "SELECT date || ' ' || severity FROM document WHERE risId = 'RIS-950'"),
            "2024-08-09 HIGH")
        let again = try Binary.run(["index", "--format", "json"], in: folder.url)
        XCTAssertEqual(
            (try JSONSerialization.jsonObject(with: again.stdoutData) as? [String: Any])?["unchanged"] as? Int, 5)
        XCTAssertEqual(again.stderr, "")

        try folder.write(".ris/config.yaml", "version: 1\nfield-aliases:\n  when: [x]\n  date: [created_at, when]\n")
        let wrong = try Binary.run(["index"], in: folder.url)
        XCTAssertTrue(
            wrong.stderr.contains(".ris/config.yaml:3:3: error: `field-aliases` has no field `when`"), wrong.stderr)
        XCTAssertTrue(
            wrong.stderr.contains(
                ".ris/config.yaml:4:10: warning: `created_at` already names `created`; it stays there"), wrong.stderr)
    }

    func testAnIndexOfAnEarlierRisIsMigratedAndReadAgain() throws {
        let folder = try knowledgeBase()
        XCTAssertEqual(try Binary.run(["index"], in: folder.url).status, 0)
        let current = try sqlite(
            folder, "SELECT path, risId, title, date, severity, status, salvaged FROM document ORDER BY path")
        // The index as the ris before this parser left it: schema v1, rows read the old way.
        _ = try sqlite(
            folder,
            """
            DROP TABLE hotPatternSearch; DROP TABLE documentSearchVocabulary; DROP TABLE documentSearchInstances;
            DROP INDEX document_stat; DROP TABLE indexInfo; DROP TABLE framework; DROP TABLE complianceAttribute;
            ALTER TABLE document DROP COLUMN salvaged; ALTER TABLE document DROP COLUMN auditRequired;
            ALTER TABLE document DROP COLUMN changed; ALTER TABLE document DROP COLUMN inode;
            ALTER TABLE diagnostic DROP COLUMN code; DROP INDEX document_withErrors;
            ALTER TABLE document DROP COLUMN symptomLine; ALTER TABLE document DROP COLUMN category;
            DROP INDEX document_symptomKey; ALTER TABLE document DROP COLUMN symptomKey; DROP INDEX hotPattern_titleKey;
            CREATE INDEX control_control ON control(control COLLATE NOCASE);
            CREATE TABLE section (docId INTEGER NOT NULL REFERENCES document(docId) ON DELETE CASCADE,
                                  level INTEGER NOT NULL, heading TEXT NOT NULL, line INTEGER NOT NULL);
            DELETE FROM grdb_migrations
                WHERE identifier IN ('v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8', 'v9', 'v10', 'v11', 'v12', 'v13');
            UPDATE document SET title = 'stale', date = NULL;
            """)
        let result = try Binary.run(["index", "--format", "json"], in: folder.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.stderr.contains("rebuilding"), "migrated, not rebuilt: \(result.stderr)")
        XCTAssertTrue(result.stderr.contains("every file was read again"), result.stderr)
        let summary = try XCTUnwrap(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        XCTAssertEqual(summary["updated"] as? Int, 5)
        XCTAssertEqual(
            try sqlite(
                folder, "SELECT path, risId, title, date, severity, status, salvaged FROM document ORDER BY path"),
            current)
        XCTAssertEqual(
            try sqlite(folder, "SELECT group_concat(identifier) FROM grdb_migrations"),
            "v1,v2,v3,v4,v5,v6,v7,v8,v9,v10,v11,v12,v13")
        // v13 drops the two indexes no query reads.
        XCTAssertEqual(
            try sqlite(
                folder, "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('control_control', 'framework_name')"),
            "0")
        XCTAssertEqual(try sqlite(folder, "SELECT length(value) FROM indexInfo WHERE key = 'generation'"), "32")
        XCTAssertEqual(try sqlite(folder, "SELECT COUNT(*) FROM framework"), "3")

        // A newer parser version in the same schema: read again, once.
        _ = try sqlite(folder, "UPDATE indexInfo SET value = 'parser 1' WHERE key = 'reader'")
        let reread = try Binary.run(["search", "queue"], in: folder.url)
        XCTAssertTrue(reread.stderr.contains("every file was read again"), reread.stderr)
        XCTAssertNotEqual(try sqlite(folder, "SELECT value FROM indexInfo WHERE key = 'reader'"), "parser 1")
    }
}
