import Foundation
import XCTest

/// `ris edit REF` with editors that are scripts: the record opened, read again when the editor
/// closes, its problems said, the index brought up to date, audited records logged.
final class EditCommandTests: XCTestCase {
    var folder: TemporaryFolder!
    let record = "docs/06-ris/resolutions/RIS-201 first (draft).md"

    override func setUpWithError() throws {
        folder = try TemporaryFolder()
        XCTAssertEqual(try Binary.run(["init"], in: folder.url).status, 0)
        try folder.write(
            record,
            """
            ---
            compliance:
              hipaa:
                access-audit-required: true
            ---
            # RIS-201: Queue stalls after failover

            **Date:** 2026-03-02
            **Severity:** HIGH

            ## Symptom

            Consumers stop.

            """)
        try folder.write("docs/06-ris/resolutions/RIS-202.md", "# RIS-202: Other\n\n**Date:** 2026-03-03\n")
        XCTAssertEqual(try Binary.run(["index"], in: folder.url).status, 0)
    }

    /// An editor: a shell script given the file as $1.
    func editor(_ body: String) throws -> String {
        let script = try folder.write("editor.sh", "#!/bin/sh\n" + body + "\n")
        XCTAssertEqual(chmod(script.path, 0o755), 0)
        return script.path
    }

    func edit(_ arguments: [String], editor: String) throws -> RunResult {
        try Binary.run(["edit"] + arguments, in: folder.url, environment: ["VISUAL": editor])
    }

    func events() throws -> [String] {
        let log = try Binary.run(["audit", "log", "--format", "json"], in: folder.url)
        let objects = try XCTUnwrap(try JSONSerialization.jsonObject(with: log.stdoutData) as? [[String: Any]])
        return objects.map { "\($0["action"] ?? "") \($0["path"] ?? "")" }
    }

    func testAnEditIsReadAgainIndexedAndLogged() throws {
        let appended = try editor("printf '\\n## Resolution\\n\\nRestart the zebracorn consumer.\\n' >> \"$1\"")
        let result = try edit(["RIS-201"], editor: appended)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "\(record): changed; reads without a problem\n")
        let text = try String(contentsOf: folder.url.appendingPathComponent(record), encoding: .utf8)
        XCTAssertTrue(text.hasSuffix("Consumers stop.\n\n## Resolution\n\nRestart the zebracorn consumer.\n"))
        XCTAssertEqual(Array(try events().suffix(2)), ["read:edit \(record)", "write:edit \(record)"])
        let found = try Binary.run(["search", "zebracorn", "--no-refresh", "--format", "paths"], in: folder.url)
        XCTAssertEqual(found.stdout, record + "\n", "the index has the edit without another refresh")
    }

    func testAnEditThatBreaksTheRecordIsSaidWithItsPlace() throws {
        let breaking = try editor("sed -i 's/access-audit-required: true/access-audit-required: [true/' \"$1\"")
        let result = try edit(["RIS-201", "--format", "json"], editor: breaking)
        XCTAssertEqual(result.status, 1, result.stderr)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        XCTAssertEqual(report["path"] as? String, record)
        XCTAssertEqual(report["changed"] as? Bool, true)
        XCTAssertGreaterThanOrEqual(report["errors"] as? Int ?? 0, 1)
        let first = try XCTUnwrap((report["diagnostics"] as? [[String: Any]])?.first)
        XCTAssertEqual(first["severity"] as? String, "error")
        XCTAssertEqual(first["code"] as? String, "yaml-syntax")
        let text = try edit(["RIS-201"], editor: "true")
        XCTAssertEqual(text.status, 1)
        XCTAssertTrue(text.stderr.hasPrefix("\(record):"), text.stderr)
        XCTAssertTrue(text.stderr.contains(": error: "), text.stderr)
        XCTAssertTrue(text.stderr.hasSuffix("\(record): unchanged; 1 error(s), 0 warning(s)\n"), text.stderr)
    }

    func testEditorsThatFailOrAreMissing() throws {
        let before = try Data(contentsOf: folder.url.appendingPathComponent(record))
        // An editor that saves, then fails: the change is logged all the same.
        let savesThenFails = try editor("printf 'more\\n' >> \"$1\"; exit 3")
        let saved = try edit(["RIS-201"], editor: savesThenFails)
        XCTAssertEqual(saved.status, 1)
        XCTAssertTrue(saved.stderr.contains("exited with status 3"), saved.stderr)
        XCTAssertEqual(Array(try events().suffix(2)), ["read:edit \(record)", "write:edit \(record)"])
        try Data(before).write(to: folder.url.appendingPathComponent(record))
        let failing = try edit(["RIS-201"], editor: "false")
        XCTAssertEqual(failing.status, 1)
        XCTAssertEqual(
            failing.stderr, "ris: error: the editor 'false' exited with status 1; the file is as it left it\n")
        let missing = try edit(["RIS-201"], editor: "no-such-editor-here")
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("the editor 'no-such-editor-here' could not be run"), missing.stderr)
        let none = try Binary.run(["edit", "RIS-201"], in: folder.url, environment: ["VISUAL": "", "EDITOR": ""])
        XCTAssertEqual(none.status, 2, "no editor and no terminal for vi")
        XCTAssertTrue(none.stderr.contains("no editor: set VISUAL or EDITOR"), none.stderr)
        XCTAssertEqual(try Data(contentsOf: folder.url.appendingPathComponent(record)), before)
        XCTAssertEqual(try edit(["RIS-2"], editor: "true").status, 2, "RIS-2 names two records")
        XCTAssertEqual(try edit(["RIS-999"], editor: "true").status, 1)
    }
}
