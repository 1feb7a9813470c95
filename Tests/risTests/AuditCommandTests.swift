import Foundation
import XCTest

/// The access-audit trail through the built binary.
final class AuditCommandTests: XCTestCase {
    var folder: TemporaryFolder!
    let seed = "docs/06-ris/resolutions/RIS-RESOLUTION-045-lambda-manifest-type-docker-macos.md"

    override func setUpWithError() throws {
        folder = try TemporaryFolder()
        try folder.write(seed, try Data(contentsOf: ParseCommandTests.repository.appendingPathComponent("examples/kb/" + seed)))
        try folder.write("docs/other.md", "# RIS-200: Public note\n\nmanifest again\n")
        XCTAssertEqual(try run(["init"]).status, 0)
    }

    func run(_ arguments: [String]) throws -> RunResult {
        try Binary.run(arguments, in: folder.url, environment: ["RIS_ACTOR": "auditor@example.com"])
    }

    func events() throws -> [[String: Any]] {
        let result = try run(["audit", "log", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: Any]])
    }

    func sqlite(_ sql: String) throws {
        let result = try Binary.runProgram("/usr/bin/sqlite3", [folder.url.appendingPathComponent(".ris/audit.sqlite").path, sql], in: folder.url)
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    func testReadsAndWritesOfAuditedRecordsAreLogged() throws {
        XCTAssertEqual(try run(["show", "RIS-045"]).status, 0)
        XCTAssertEqual(try run(["show", "RIS-200"]).status, 0, "not audit-required: no event")
        XCTAssertEqual(try run(["search", "manifest"]).status, 0)
        XCTAssertEqual(try run(["search", "manifest", "--format", "paths"]).status, 0, "paths show no content: no event")
        XCTAssertEqual(try run(["kb", "generate", "RIS-045"]).status, 0)
        XCTAssertEqual(try run(["review", "export", "--quarter", "2026-Q1"]).status, 0)
        XCTAssertEqual(try run(["review", "record", "RIS-045", "--reviewer", "Dana", "--date", "2026-03-01", "--note", "controls still apply"]).status, 0)
        let log = try events()
        // The KB article carries the record's compliance block, access auditing included: the export reads both.
        let article = "docs/05-kb/general/kb-lambda-deployment-failures-due-to-oci-manifest-type-on-macos.md"
        XCTAssertEqual(log.map { $0["action"] as? String }, ["read:show", "read:search", "read:kb-generate", "read:export", "read:export", "write:review"])
        XCTAssertEqual(log.map { $0["path"] as? String }, [seed, seed, seed, article, seed, seed])
        XCTAssertEqual(Set(log.compactMap { $0["actor"] as? String }), ["auditor@example.com"])
        XCTAssertEqual(log.map { $0["seq"] as? Int }, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(log[5]["note"] as? String, "reviewed by Dana on 2026-03-01: controls still apply")
        // A review of a record that needs no auditing is logged all the same.
        XCTAssertEqual(try run(["review", "record", "RIS-200", "--reviewer", "Dana", "--date", "2026-03-02"]).status, 0)
        XCTAssertEqual(try events().last?["path"] as? String, "docs/other.md")
        XCTAssertEqual(log[1]["previousHash"] as? String, log[0]["hash"] as? String)
        XCTAssertNotEqual(log[5]["contentSha256"] as? String, log[0]["contentSha256"] as? String, "the write changed the content")
        let mode = try FileManager.default.attributesOfItem(atPath: folder.url.appendingPathComponent(".ris/audit.sqlite").path)[.posixPermissions]
        XCTAssertEqual((mode as? NSNumber)?.intValue, 0o600)
        // Re-indexing from scratch leaves the trail alone.
        XCTAssertEqual(try run(["index", "--full"]).status, 0)
        try FileManager.default.removeItem(at: folder.url.appendingPathComponent(".ris/index.sqlite"))
        XCTAssertEqual(try run(["list"]).status, 0)
        XCTAssertEqual(try events().count, 7)
        XCTAssertEqual(try run(["audit", "verify"]).status, 0)
    }

    func testVerifyCatchesEditedDeletedAndTruncatedTrails() throws {
        for _ in 0..<4 { XCTAssertEqual(try run(["show", "RIS-045"]).status, 0) }
        XCTAssertEqual(try run(["audit", "verify"]).status, 0)
        let trail = folder.url.appendingPathComponent(".ris/audit.sqlite")
        let pristine = try Data(contentsOf: trail)

        try sqlite("UPDATE event SET actor = 'mallory' WHERE seq = 2")
        var result = try run(["audit", "verify"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("event 2 was altered"), result.stderr)

        try pristine.write(to: trail)
        try sqlite("DELETE FROM event WHERE seq = 3")
        result = try run(["audit", "verify"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("event 3 is missing"), result.stderr)

        try pristine.write(to: trail)
        try sqlite("DELETE FROM event WHERE seq = 4")
        result = try run(["audit", "verify"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("the newest were removed"), result.stderr)

        try FileManager.default.removeItem(at: trail)
        result = try run(["show", "RIS-045"])
        XCTAssertEqual(result.status, 1, "a missing trail stops the read of an audited record")
        XCTAssertTrue(result.stderr.contains("is missing"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: trail.path), "never recreated silently")
    }
}
