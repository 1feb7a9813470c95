import Foundation
import XCTest

/// The access-audit trail through the built binary.
final class AuditCommandTests: XCTestCase {
    var folder: TemporaryFolder!
    let seed = "docs/06-ris/resolutions/RIS-RESOLUTION-045-lambda-manifest-type-docker-macos.md"

    override func setUpWithError() throws {
        folder = try TemporaryFolder()
        try folder.write(
            seed, try Data(contentsOf: ParseCommandTests.repository.appendingPathComponent("examples/kb/" + seed)))
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
        let result = try Binary.runProgram(
            "/usr/bin/sqlite3", [folder.url.appendingPathComponent(".ris/audit.sqlite").path, sql], in: folder.url)
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    func testReadsAndWritesOfAuditedRecordsAreLogged() throws {
        XCTAssertEqual(try run(["show", "RIS-045"]).status, 0)
        XCTAssertEqual(try run(["show", "RIS-200"]).status, 0, "not audit-required: no event")
        XCTAssertEqual(try run(["search", "manifest"]).status, 0)
        XCTAssertEqual(
            try run(["search", "manifest", "--format", "paths"]).status, 0,
            "a bare path still tells what matched: an event too")
        XCTAssertEqual(try run(["kb", "generate", "RIS-045"]).status, 0)
        XCTAssertEqual(try run(["review", "export", "--quarter", "2026-Q1"]).status, 0)
        XCTAssertEqual(
            try run([
                "review", "record", "RIS-045", "--reviewer", "Dana", "--date", "2026-03-01", "--note",
                "controls still apply",
            ]).status, 0)
        let log = try events()
        // The KB article carries the record's compliance block, access auditing included: the export reads both.
        let article = "docs/05-kb/general/kb-lambda-deployment-failures-due-to-oci-manifest-type-on-macos.md"
        XCTAssertEqual(
            log.map { $0["action"] as? String },
            [
                "read:show", "read:search", "read:search", "read:kb-generate", "read:export", "read:export",
                "write:review",
            ])
        XCTAssertEqual(log.map { $0["path"] as? String }, [seed, seed, seed, seed, article, seed, seed])
        XCTAssertEqual(Set(log.compactMap { $0["actor"] as? String }), ["auditor@example.com"])
        XCTAssertEqual(log.map { $0["seq"] as? Int }, [1, 2, 3, 4, 5, 6, 7])
        XCTAssertEqual(log[6]["note"] as? String, "reviewed by Dana on 2026-03-01: controls still apply")
        // A review of a record that needs no auditing is logged all the same.
        XCTAssertEqual(
            try run(["review", "record", "RIS-200", "--reviewer", "Dana", "--date", "2026-03-02"]).status, 0)
        XCTAssertEqual(try events().last?["path"] as? String, "docs/other.md")
        XCTAssertEqual(log[1]["previousHash"] as? String, log[0]["hash"] as? String)
        XCTAssertNotEqual(
            log[6]["contentSha256"] as? String, log[0]["contentSha256"] as? String, "the write changed the content")
        let mode = try FileManager.default.attributesOfItem(
            atPath: folder.url.appendingPathComponent(".ris/audit.sqlite").path)[.posixPermissions]
        XCTAssertEqual((mode as? NSNumber)?.intValue, 0o600)
        // Re-indexing from scratch leaves the trail alone.
        XCTAssertEqual(try run(["index", "--full"]).status, 0)
        try FileManager.default.removeItem(at: folder.url.appendingPathComponent(".ris/index.sqlite"))
        XCTAssertEqual(try run(["list"]).status, 0)
        XCTAssertEqual(try events().count, 8)
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

    // MARK: The trail cannot be silently rewound

    var head: URL { folder.url.appendingPathComponent(".ris/audit.head") }
    var trail: URL { folder.url.appendingPathComponent(".ris/audit.sqlite") }
    let gitIdentity = [
        "GIT_AUTHOR_NAME": "Auditor", "GIT_AUTHOR_EMAIL": "auditor@example.com", "GIT_COMMITTER_NAME": "Auditor",
        "GIT_COMMITTER_EMAIL": "auditor@example.com", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
    ]

    func run(_ arguments: [String], key: URL?) throws -> RunResult {
        try Binary.run(
            arguments, in: folder.url,
            environment: ["RIS_ACTOR": "auditor@example.com", "RIS_AUDIT_KEY_FILE": key?.path ?? ""])
    }

    @discardableResult
    func git(_ arguments: [String], expect: Int32 = 0) throws -> String {
        let result = try Binary.runProgram(
            "/usr/bin/env", ["git"] + arguments, in: folder.url, environment: gitIdentity)
        XCTAssertEqual(result.status, expect, "git \(arguments.joined(separator: " ")): \(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func reads(_ count: Int, key: URL? = nil) throws {
        for _ in 0..<count { XCTAssertEqual(try run(["show", "RIS-045"], key: key).status, 0) }
    }

    func verify(key: URL? = nil) throws -> RunResult { try run(["audit", "verify"], key: key) }

    func writeHead(count: Int, hash: String) throws {
        try "ris-audit-head 2\nevents \(count)\nlast \(hash)\n".write(to: head, atomically: true, encoding: .utf8)
    }

    func sha256(_ data: Data) throws -> String {
        let file = folder.url.appendingPathComponent("hash-input")
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return String(try Binary.runProgram("/usr/bin/sha256sum", [file.path], in: folder.url).stdout.prefix(64))
    }

    func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    /// What an attacker who can write `.ris` but has no key does: changes events, then
    /// recomputes every hash as plain SHA-256 in the event's format (keys stripped or their
    /// IDs kept) and writes a head to match.
    func rewriteAndRecompute(stripKeys: Bool = true, _ change: (inout [String: Any]) -> Void) throws {
        var previous = ""
        var statements: [String] = []
        for var event in try events() {
            change(&event)
            if stripKeys { event["keyId"] = "" }
            event["previousHash"] = previous
            let text: (String) -> String = { event[$0] as? String ?? "" }
            let hash: String
            if event["format"] as? Int == 1 {
                let fields = [
                    previous, String(event["seq"] as! Int), text("at"), text("actor"), text("action"), text("path"),
                    text("id"), text("contentSha256"), text("note"),
                ]
                hash = try sha256(Data(fields.joined(separator: "\n").utf8))
            } else {
                let uid = (event["uid"] as? Int).map(String.init) ?? ""
                let fields = [
                    "ris-audit-event", "2", String(event["seq"] as! Int), text("at"), text("actor"), uid,
                    text("action"), text("path"),
                    text("id"), text("contentSha256"), text("note"), previous, text("keyId"),
                ]
                var data = Data()
                for field in fields { data.append(Data("\(field.utf8.count):\(field)".utf8)) }
                hash = try sha256(data)
            }
            statements.append(
                "UPDATE event SET actor = \(quoted(text("actor"))), keyId = \(quoted(text("keyId"))), previousHash "
                    + "= \(quoted(previous)), hash = \(quoted(hash)) WHERE seq = \(event["seq"] as! Int);"
            )
            previous = hash
        }
        try sqlite(statements.joined(separator: "\n"))
        try writeHead(count: statements.count, hash: previous)
    }

    func testAMissingHeadIsNeverRecreatedWhileEventsExist() throws {
        try reads(4)
        try sqlite("DELETE FROM event WHERE seq = 4")
        try FileManager.default.removeItem(at: head)
        let result = try verify()
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(
            result.stderr.contains("the head audit.head is missing while the trail holds 3 events"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: head.path), "verify never writes")
        let read = try run(["show", "RIS-045"])
        XCTAssertEqual(read.status, 1, "no audited read without a head")
        XCTAssertTrue(read.stderr.contains("git checkout -- .ris/audit.head"), read.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: head.path))
    }

    func testAnOlderOrLaggingHeadFailsAndBlocksAppends() throws {
        try reads(2)
        let older = try events()
        try reads(3)
        // An older head made from the hashes `audit log --format json` prints.
        try writeHead(count: 2, hash: try XCTUnwrap(older.last?["hash"] as? String))
        let result = try verify()
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(
            result.stderr.contains("the trail has 5 events but its head records 2 and no interrupted append"),
            result.stderr)
        // An append does not paper over it by writing a head of its own.
        let read = try run(["show", "RIS-045"])
        XCTAssertEqual(read.status, 1)
        XCTAssertTrue(read.stderr.contains("does not match its head"), read.stderr)
        XCTAssertEqual(try events().count, 5)
        // A head in an earlier ris's one-line format may lag only over that ris's events.
        try "2 \(older.last?["hash"] as? String ?? "")\n".write(to: head, atomically: true, encoding: .utf8)
        XCTAssertEqual(try verify().status, 1)
        // An append interrupted before its commit, recorded in the head, logged nothing: it holds.
        let all = try events()
        let pending =
            "ris-audit-head 2\nevents 5\nlast \(all[4]["hash"] as? String ?? "")\npending 6 "
            + "\(String(repeating: "a", count: 64))\n"
        try pending.write(to: head, atomically: true, encoding: .utf8)
        let interrupted = try verify()
        XCTAssertEqual(interrupted.status, 0, interrupted.stderr)
        XCTAssertTrue(interrupted.stdout.contains("interrupted before its commit"), interrupted.stdout)
        try reads(1)
        XCTAssertEqual(try verify().status, 0)
    }

    func testATrailOfAnEarlierRisStillVerifiesAndNewEventsAreCanonical() throws {
        // Made by ris efb0663 (format 1, one-line head): two reads and a review with a two-line note.
        let fixture = ParseCommandTests.repository.appendingPathComponent("Tests/risTests/Fixtures/audit-format-1")
        try folder.write(".ris/audit.sqlite", try Data(contentsOf: fixture.appendingPathComponent("audit.sqlite")))
        try folder.write(".ris/audit.head", try Data(contentsOf: fixture.appendingPathComponent("audit.head")))
        var result = try verify()
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("events 1–3 are in format 1"), result.stdout)
        try reads(1)
        XCTAssertEqual(
            try run([
                "review", "record", "RIS-045", "--reviewer", "Dana", "--date", "2026-03-02", "--note",
                "first line\nsecond line",
            ]).status, 0)
        let log = try events()
        XCTAssertEqual(
            log.map { $0["format"] as? Int }, [1, 1, 1, 2, 2], "nothing migrated: old events keep their format")
        XCTAssertTrue(log[0]["uid"] is NSNull)
        XCTAssertEqual(log[3]["uid"] as? Int, Int(getuid()), "the OS user is recorded beside the declared actor")
        XCTAssertTrue(try String(contentsOf: head, encoding: .utf8).hasPrefix("ris-audit-head 2\nevents 5\n"))
        XCTAssertEqual(try verify().status, 0)
        let pristine = try Data(contentsOf: trail)

        // Moving a field boundary through a multi-line note: format 2 sees it.
        let note = try XCTUnwrap(log[4]["note"] as? String)
        let (firstLine, rest) = (
            note.components(separatedBy: "\n")[0],
            note.components(separatedBy: "\n").dropFirst().joined(separator: "\n")
        )
        try sqlite(
            "UPDATE event SET contentSha256 = contentSha256 || char(10) || \(quoted(firstLine)), note = "
                + "\(quoted(rest)) WHERE seq = 5"
        )
        result = try verify()
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("event 5 was altered"), result.stderr)
        // Format 1 cannot: the same move in the earlier ris's event 3 goes unseen (docs/compliance.md says so).
        try pristine.write(to: trail)
        let oldNote = try XCTUnwrap(log[2]["note"] as? String)
        try sqlite(
            "UPDATE event SET contentSha256 = contentSha256 || char(10) || "
                + "\(quoted(oldNote.components(separatedBy: "\n")[0])), note = "
                + "\(quoted(oldNote.components(separatedBy: "\n").dropFirst().joined(separator: "\n"))) WHERE "
                + "seq = 3"
        )
        XCTAssertEqual(try verify().status, 0)

        // Claiming the earlier format for a new event (to use its weak hash) is a rewrite.
        try pristine.write(to: trail)
        try rewriteAndRecompute { event in if event["seq"] as? Int == 5 { event["format"] = 1 } }
        try sqlite("UPDATE event SET format = 1 WHERE seq = 5")
        result = try verify()
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("claims format 1 after an event in format 2"), result.stderr)
    }

    func testAKeyedChainDetectsARecomputedChain() throws {
        let outside = try TemporaryFolder()
        let key = try outside.write("audit.key", Data((0..<32).map { UInt8($0 * 7 % 251) }))
        chmod(key.path, 0o600)
        // Key files that would leak or are too weak are refused, never used unkeyed.
        let inside = try folder.write("audit.key", Data(repeating: 7, count: 32))
        chmod(inside.path, 0o600)
        let open = try outside.write("open.key", Data(repeating: 8, count: 32))
        chmod(open.path, 0o644)
        let short = try outside.write("short.key", Data(repeating: 9, count: 16))
        chmod(short.path, 0o600)
        for (file, why) in [(inside, "inside"), (open, "lets others read"), (short, "at least 32")] {
            let read = try run(["show", "RIS-045"], key: file)
            XCTAssertEqual(read.status, 1)
            XCTAssertTrue(read.stderr.contains("RIS_AUDIT_KEY_FILE refused") && read.stderr.contains(why), read.stderr)
            XCTAssertEqual(try verify(key: file).status, 2)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: trail.path), "nothing logged with a refused key")

        try reads(3, key: key)
        var result = try verify(key: key)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("checked with the key"), result.stdout)
        result = try verify()
        XCTAssertEqual(result.status, 0, "without the key, what can be checked holds")
        XCTAssertTrue(result.stdout.contains("not checked: events 1–3 are keyed"), result.stdout)
        // A keyed trail is not extended without its key: an unkeyed event would read as a rewrite.
        let unkeyed = try run(["show", "RIS-045"], key: nil)
        XCTAssertEqual(unkeyed.status, 1)
        XCTAssertTrue(unkeyed.stderr.contains("the audit trail is keyed"), unkeyed.stderr)
        let pristine = (try Data(contentsOf: trail), try Data(contentsOf: head))

        // The actor rewritten and the chain recomputed with SHA-256, key IDs kept.
        try rewriteAndRecompute(stripKeys: false) { event in
            if event["seq"] as? Int == 2 { event["actor"] = "mallory@example.com" }
        }
        result = try verify(key: key)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("event 1 was altered"), result.stderr)
        XCTAssertEqual(try verify().status, 0, "without the key this is not seen (docs/compliance.md)")
        // The same with the keys stripped.
        try pristine.0.write(to: trail)
        try pristine.1.write(to: head)
        try rewriteAndRecompute { event in if event["seq"] as? Int == 2 { event["actor"] = "mallory@example.com" } }
        result = try verify(key: key)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("no event is keyed"), result.stderr)
        // Keys stripped from the newest events only.
        try pristine.0.write(to: trail)
        try pristine.1.write(to: head)
        try sqlite("UPDATE event SET keyId = '' WHERE seq = 3")
        result = try verify(key: key)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("event 3 is not keyed though event 1 before it is"), result.stderr)
    }

    func testAnchorsDetectRollbacksRewritesAndADeletedTrail() throws {
        // Outside git: nothing to anchor in, and verify says what it could not check.
        let outside = try run(["audit", "anchor"])
        XCTAssertEqual(outside.status, 2)
        XCTAssertTrue(outside.stderr.contains("not in a git repository"), outside.stderr)
        try reads(1)
        XCTAssertTrue(try verify().stdout.contains("not checked: not in a git repository"))

        try git(["init", "-q", "-b", "main"])
        try git(["add", "docs", ".ris/config.yaml"])
        try git(["commit", "-q", "-m", "the knowledge base"])
        try reads(1)
        let saved = (try Data(contentsOf: trail), try Data(contentsOf: head))
        try reads(2)
        try folder.write("notes.md", "staged, not anchored\n")
        try git(["add", "notes.md"])
        let anchored = try run(["audit", "anchor"])
        XCTAssertEqual(anchored.status, 0, anchored.stderr)
        XCTAssertTrue(anchored.stdout.contains("anchored the audit head (4 events)"), anchored.stdout)
        XCTAssertEqual(
            try git(["show", "--name-only", "--format=", "HEAD"]), ".ris/audit.head", "only the head is committed")
        XCTAssertEqual(try git(["diff", "--cached", "--name-only"]), "notes.md", "what was staged stays staged")
        XCTAssertTrue(try run(["audit", "anchor"]).stdout.contains("already anchored"))
        var result = try verify()
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("anchored head(s) in git's history"), result.stdout)
        let pristine = (try Data(contentsOf: trail), try Data(contentsOf: head))

        // Older copies of both files: consistent with each other, not with the anchor.
        try saved.0.write(to: trail)
        try saved.1.write(to: head)
        result = try verify()
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(
            result.stderr.contains("anchored 4 events") && result.stderr.contains("rolled back"), result.stderr)

        // An actor rewritten and the plain chain recomputed, head included.
        try pristine.0.write(to: trail)
        try pristine.1.write(to: head)
        try rewriteAndRecompute { event in if event["seq"] as? Int == 2 { event["actor"] = "mallory@example.com" } }
        result = try verify()
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("anchored event 4 as"), result.stderr)

        // Both files deleted: no fresh trail where git's history shows one.
        try FileManager.default.removeItem(at: trail)
        try FileManager.default.removeItem(at: head)
        let read = try run(["show", "RIS-045"])
        XCTAssertEqual(read.status, 1)
        XCTAssertTrue(read.stderr.contains("a new trail is never started where one was"), read.stderr)
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: trail.path) || FileManager.default.fileExists(atPath: head.path))
        result = try verify()
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("there is no audit trail, but commit"), result.stderr)

        // Lost for good: a restart says so in event 1, and verify fails until it is anchored.
        XCTAssertEqual(try run(["audit", "restart", "--reason", "disk lost, no backup (SEC-12)"]).status, 0)
        XCTAssertEqual(
            try run(["audit", "restart", "--reason", "again"]).status, 2, "a trail is here: nothing to restart")
        try reads(1)
        let restarted = try events()
        XCTAssertEqual(restarted.map { $0["action"] as? String }, ["audit:restart", "read:show"])
        XCTAssertTrue(
            (restarted[0]["note"] as? String ?? "").hasPrefix(
                "disk lost, no backup (SEC-12) (replaces the trail lost after commit"))
        result = try verify()
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("no head anchored after the restart vouches for it"), result.stderr)
        XCTAssertEqual(try run(["audit", "anchor"]).status, 0)
        result = try verify()
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(
            result.stdout.contains("event 1 restarts a lost trail") && result.stdout.contains("of the lost trail"),
            result.stdout)
    }

    func testNoRestartWithoutALostTrail() throws {
        let result = try run(["audit", "restart", "--reason", "nothing was lost"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("nothing to restart"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: trail.path))
    }

    func testAMergeThatKeepsOneSidesTrailIsDetected() throws {
        try git(["init", "-q", "-b", "main"])
        try reads(1)
        try git(["add", "-A"])
        try git(["commit", "-q", "-m", "the knowledge base and its trail"])
        try git(["checkout", "-q", "-b", "side"])
        try reads(2)
        try git(["commit", "-q", "-am", "side: two reads"])
        try git(["checkout", "-q", "main"])
        try reads(1)
        try git(["commit", "-q", "-am", "main: a read"])
        try git(["merge", "-q", "side"], expect: 1)
        try git(["checkout", "--ours", "--", ".ris/audit.sqlite", ".ris/audit.head"])
        try git(["add", ".ris/audit.sqlite", ".ris/audit.head"])
        try git(["commit", "-q", "--no-edit"])
        let result = try verify()
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(
            result.stderr.contains("anchored 3 events") || result.stderr.contains("a merge kept one side's trail"),
            result.stderr)
    }
}
