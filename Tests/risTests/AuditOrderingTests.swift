import Foundation
import XCTest

/// What an independent review of the workflows found, each through the binary: an audit event
/// for every audited read or write and none for a change that did not happen, the order of
/// edits and events, and the exit status of every refusal.
final class AuditOrderingTests: XCTestCase {
    var folder: TemporaryFolder!
    let resolutions = "docs/06-ris/resolutions"

    static let auditedRecord = """
        ---
        id: RIS-010
        compliance:
          hipaa:
            retention-period: 7-years
            review-frequency: quarterly
            access-audit-required: true
        ---
        # RIS-010: Pager storm after the database failover

        **Severity:** HIGH

        ## Symptom

        PAGERSTORM-MARKER alerts for every replica.
        """

    override func setUpWithError() throws {
        folder = try TemporaryFolder()
        try folder.write("\(resolutions)/RIS-010-pager-storm.md", Self.auditedRecord)
        XCTAssertEqual(try run(["init"]).status, 0)
        XCTAssertEqual(try run(["index"]).status, 0)
    }

    func run(_ arguments: [String], _ environment: [String: String] = [:]) throws -> RunResult {
        try Binary.run(
            arguments, in: folder.url, environment: ["RIS_ACTOR": "tester@example.com"].merging(environment) { $1 })
    }

    func events() throws -> [[String: Any]] {
        let log = try run(["audit", "log", "--format", "json"])
        guard log.status == 0, !log.stdoutData.isEmpty else { return [] }
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: log.stdoutData) as? [[String: Any]])
    }

    func sha256(_ path: String) throws -> String {
        let result = try Binary.runProgram("/usr/bin/sha256sum", [path], in: folder.url)
        return String(result.stdout.prefix(64))
    }

    /// The editor's saved file is what `write:add` logs (the review found the bytes before the edit).
    func testAddLogsTheRecordAsTheEditorSavedIt() throws {
        let editor = try folder.write(
            "editor.sh",
            "#!/bin/sh\nsed -i '0,/^compliance:/s//compliance:\\n  soc2:\\n    access-audit-required: true/' \"$1\"\n"
                + "printf '\\nEdited by a person.\\n' >> \"$1\"\n")
        XCTAssertEqual(chmod(editor.path, 0o755), 0)
        try folder.write(
            ".ris/config.yaml",
            "defaults:\n  compliance:\n    hipaa:\n      retention-period: 7-years\n      review-frequency: quarterly\n"
        )
        let command = "RIS_ACTOR=tester@example.com \(Binary.risURL.path) add --title 'Disk full on worker' --edit"
        let result = try Binary.runProgram(
            "/usr/bin/script", ["-qec", command, "/dev/null"], in: folder.url,
            environment: ["EDITOR": editor.path, "VISUAL": ""])
        XCTAssertEqual(result.status, 0, result.stdout)
        let path = "\(resolutions)/RIS-RESOLUTION-011-disk-full-on-worker.md"
        let text = try String(contentsOf: folder.url.appendingPathComponent(path), encoding: .utf8)
        XCTAssertTrue(text.contains("Edited by a person.") && text.contains("access-audit-required: true"), text)
        let writes = try events().filter { $0["action"] as? String == "write:add" }
        XCTAssertEqual(writes.count, 1, "\(writes)")
        XCTAssertEqual(writes.first?["contentSha256"] as? String, try sha256(path))
    }

    /// `add --from` an audited record of the base, as a dry run, prints it: a read.
    func testADryRunCopyOfAnAuditedRecordIsARead() throws {
        let result = try run(["add", "--from", "\(resolutions)/RIS-010-pager-storm.md", "--dry-run"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("PAGERSTORM-MARKER"))
        let reads = try events().filter { $0["action"] as? String == "read:add" }
        XCTAssertEqual(reads.map { $0["path"] as? String }, ["\(resolutions)/RIS-010-pager-storm.md"])
    }

    /// The records a new one may duplicate are a match, logged as a search's would be.
    func testTheSimilarRecordsOfAddAreLogged() throws {
        let result = try run(["add", "--title", "Pager storm after the database failover again", "--dry-run"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("RIS-010"), result.stderr)
        XCTAssertEqual(try events().compactMap { $0["action"] as? String }, ["read:similar"])
    }

    /// `similar` compares the other records with an audited record's words: a read of it.
    func testSimilarToAnAuditedRecordLogsItsRead() throws {
        try folder.write(
            "\(resolutions)/RIS-011-pager.md",
            "# RIS-011: Pager storm after a failover\n\n**Severity:** LOW\n\n## Symptom\n\nPager storm.\n")
        let result = try run(["similar", "RIS-010", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("RIS-011"), result.stdout)
        let reads = try events().filter { $0["action"] as? String == "read:similar" }
        XCTAssertEqual(reads.map { $0["path"] as? String }, ["\(resolutions)/RIS-010-pager-storm.md"])
        XCTAssertEqual(reads.first?["contentSha256"] as? String, try sha256("\(resolutions)/RIS-010-pager-storm.md"))
    }

    /// A review refused (a read-only record) leaves no event telling of it.
    func testARefusedReviewLogsNothing() throws {
        let record = folder.url.appendingPathComponent("\(resolutions)/RIS-010-pager-storm.md")
        XCTAssertEqual(chmod(record.path, 0o444), 0)
        let result = try run(["review", "record", "RIS-010", "--reviewer", "Dana"])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("nothing written"), result.stderr)
        XCTAssertEqual(try events().filter { $0["action"] as? String == "write:review" }.count, 0)
    }

    /// An audited new record whose event cannot be appended is taken back.
    func testAnAddWhoseEventFailsLeavesNoRecord() throws {
        try folder.write(
            ".ris/config.yaml",
            "defaults:\n  compliance:\n    hipaa:\n      retention-period: 7-years\n      review-frequency: quarterly\n"
                + "      access-audit-required: true\n")
        XCTAssertEqual(try run(["show", "RIS-010"]).status, 0)
        try folder.write(".ris/audit.head", "ris-audit-head 2\nevents 7\nlast abc\n")
        let before = try FileManager.default.contentsOfDirectory(
            atPath: folder.url.appendingPathComponent(resolutions).path)
        let result = try run(["add", "--title", "Cache stampede"])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: folder.url.appendingPathComponent(resolutions).path)
                .sorted(),
            before.sorted())
    }

    /// `parse` of a link from outside to an audited record logs the read in that record's base.
    func testParseThroughALinkToARecordIsLogged() throws {
        let outside = try TemporaryFolder()
        try FileManager.default.createSymbolicLink(
            atPath: outside.url.appendingPathComponent("link.md").path,
            withDestinationPath: folder.url.appendingPathComponent("\(resolutions)/RIS-010-pager-storm.md").path)
        let result = try Binary.run(["parse", "link.md", "--format", "json"], in: outside.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("Pager storm after the database failover"), result.stdout)
        XCTAssertEqual(try events().compactMap { $0["action"] as? String }, ["read:parse"])
    }

    /// `add --from` into a resolutions folder outside the base is a usage error, and the
    /// source's own problems are shown under its path.
    func testAddFromRefusalsAndTheSourcesDiagnostics() throws {
        try folder.write("drafts/no-id.md", "# Disk full\n\n**Severity:** LOW\n")
        try folder.write(".ris/config.yaml", "resolutions: ../elsewhere\n")
        let outside = try run(["add", "--from", "drafts/no-id.md"])
        XCTAssertEqual(outside.status, 2, outside.stderr)
        XCTAssertTrue(outside.stderr.contains("outside the knowledge base"), outside.stderr)
        try folder.write(".ris/config.yaml", "version: 1\n")
        try folder.write("drafts/bad.md", "---\nid: RIS-900\nbad: [\n---\n# RIS-900: Broken\n")
        let bad = try run(["add", "--from", "drafts/bad.md"])
        XCTAssertEqual(bad.status, 1, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("drafts/bad.md:4:1: error: YAML parser"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("ris: error: drafts/bad.md has errors; fix them first"), bad.stderr)
    }

    /// Runs creating the trail at once (its schema applied under the trail's lock) all succeed.
    func testConcurrentFirstReadsOfAFreshTrail() throws {
        for _ in 0..<3 {
            try? FileManager.default.removeItem(at: folder.url.appendingPathComponent(".ris/audit.sqlite"))
            try? FileManager.default.removeItem(at: folder.url.appendingPathComponent(".ris/audit.head"))
            let results = Binary.runConcurrently(
                Array(repeating: ["show", "RIS-010", "--no-refresh"], count: 12), in: folder.url)
            XCTAssertEqual(
                results.compactMap { $0?.status }.filter { $0 == 0 }.count, 12, "\(results.compactMap { $0?.stderr })")
        }
    }
}
