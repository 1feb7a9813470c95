import Foundation
import XCTest

/// Regression tests for what the reliability harness (reliability/run.py) found: each one
/// failed before its fix.
final class HardeningTests: XCTestCase {
    var folder: TemporaryFolder!

    override func setUpWithError() throws {
        folder = try TemporaryFolder()
        XCTAssertEqual(try Binary.run(["init"], in: folder.url).status, 0)
    }

    let record = """
        ---
        compliance:
          hipaa:
            retention-period: 7-years
        ---
        # RIS-001: A record

        **Severity**: LOW

        ## Symptom
        pods restart
        """

    /// A named pipe with a record's name used to hang `ris index` forever (open blocked).
    func testNamedPipeIsReportedNotRead() throws {
        try folder.write("a.md", record)
        XCTAssertEqual(mkfifo(folder.url.appendingPathComponent("pipe.md").path, 0o644), 0)
        let result = try Binary.run(["index"], in: folder.url, timeout: 30)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(
            result.stderr.contains("pipe.md:1:1: error: not a regular file (a named pipe); skipped"), result.stderr)
        XCTAssertEqual(try Binary.run(["list", "--format", "paths", "--no-refresh"], in: folder.url).stdout, "a.md\n")
    }

    /// A file name that is not UTF-8 was reported as a broken symbolic link.
    func testNonUTF8NameIsReportedPrecisely() throws {
        try folder.write("a.md", record)
        let name = String(decoding: [0x62, 0x61, 0x64, 0xFF, 0x2E, 0x6D, 0x64] as [UInt8], as: UTF8.self)
        let path = folder.url.path + "/" + "bad"
        let bytes: [UInt8] = Array(path.utf8) + [0xFF, 0x2E, 0x6D, 0x64, 0]
        let descriptor = bytes.withUnsafeBufferPointer {
            open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY, 0o644)
        }
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        close(descriptor)
        let result = try Binary.run(["index"], in: folder.url)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(
            result.stderr.contains("\(name):1:1: error: the file name is not valid UTF-8; skipped (rename it)"),
            result.stderr)
        XCTAssertFalse(result.stderr.contains("broken symbolic link"), result.stderr)
    }

    /// Symbolic links that point at each other were called broken.
    func testSymbolicLinkLoopsAreNamedAsLoops() throws {
        try folder.write("a.md", record)
        try FileManager.default.createSymbolicLink(
            atPath: folder.url.appendingPathComponent("x.md").path, withDestinationPath: "y.md")
        try FileManager.default.createSymbolicLink(
            atPath: folder.url.appendingPathComponent("y.md").path, withDestinationPath: "x.md")
        try FileManager.default.createSymbolicLink(
            atPath: folder.url.appendingPathComponent("gone.md").path, withDestinationPath: "nowhere.md")
        let result = try Binary.run(["index"], in: folder.url)
        XCTAssertTrue(result.stderr.contains("x.md:1:1: error: symbolic link loop; not followed"), result.stderr)
        XCTAssertTrue(result.stderr.contains("gone.md:1:1: error: broken symbolic link"), result.stderr)
    }

    /// A 1 GB file took 2.9 GB of memory and 50 s; files over max-file-size are now reported.
    func testFilesOverTheSizeLimitAreReportedNotRead() throws {
        try folder.write("a.md", record)
        try folder.write(".ris/config.yaml", "max-file-size: 4KiB\n")
        let big = record + "\n" + String(repeating: "x", count: 5000) + "\n"
        try folder.write("big.md", big)
        let result = try Binary.run(["index"], in: folder.url)
        XCTAssertEqual(result.status, 1)
        let size = String(format: "%.1f KiB", Double(big.utf8.count) / 1024)
        XCTAssertTrue(
            result.stderr.contains(
                "big.md:1:1: error: the file is \(size), over the limit of 4.0 KiB (max-file-size); not read"),
            result.stderr)
        let list = try Binary.run(["list", "--format", "paths", "--no-refresh"], in: folder.url)
        XCTAssertEqual(list.stdout, "a.md\nbig.md\n", "accounted for in the index, with its error")
        try folder.write(".ris/config.yaml", "max-file-size: lots\n")
        let bad = try Binary.run(["index"], in: folder.url)
        XCTAssertTrue(
            bad.stderr.contains("config.yaml:1:16: error: `max-file-size` must be a size like 16MiB"), bad.stderr)
    }

    /// A file refused for its size had its rows' buffer reserved at twice its size on disk: a
    /// sparse file of 1 TiB (no disk used) made `ris index` abort.
    func testAHugeSparseFileIsRefusedWithoutReservingItsSize() throws {
        try folder.write("a.md", record)
        let url = folder.url.appendingPathComponent("huge.md")
        XCTAssertTrue(FileManager.default.createFile(atPath: url.path, contents: nil))
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 1 << 40)
        try handle.close()
        let result = try Binary.run(["index"], in: folder.url)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("huge.md:1:1: error: the file is "), result.stderr)
        XCTAssertTrue(result.stderr.contains("over the limit of 16.0 MiB (max-file-size); not read"), result.stderr)
        let list = try Binary.run(["list", "--format", "paths", "--no-refresh"], in: folder.url)
        XCTAssertEqual(list.stdout, "a.md\nhuge.md\n")
    }

    /// A newline in a file name split the `path:line:col` diagnostic over two lines.
    func testControlCharactersInPathsAreEscaped() throws {
        try folder.write("bad\nname.md", "---\nx: [\n---\n# RIS-002: t\n")
        let result = try Binary.run(["index"], in: folder.url)
        XCTAssertTrue(result.stderr.contains("bad\\nname.md:3:1: error:"), result.stderr)
    }

    /// `hot-patterns: ../outside.md` in the configuration made `ris pattern hit` write
    /// outside the knowledge base.
    func testConfiguredPathsCannotLeaveTheKnowledgeBase() throws {
        let outside = folder.url.deletingLastPathComponent().appendingPathComponent("outside-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: outside) }
        try folder.write(
            "RIS-001.md",
            record
                + "\n\n## Hot Pattern Entry\n```markdown\n### Pods restart\n**Keywords**: pods\n**Hit Count**: 1\n```\n"
        )
        try Data("### Pods restart\n**Hit Count**: 1\n".utf8).write(to: outside.appendingPathComponent("hot.md"))
        try folder.write(
            ".ris/config.yaml",
            "hot-patterns: ../\(outside.lastPathComponent)/hot.md\nkb: ../\(outside.lastPathComponent)\n")
        let before = try Data(contentsOf: outside.appendingPathComponent("hot.md"))
        for arguments in [
            ["pattern", "hit", "Pods restart"], ["pattern", "add", "RIS-001"], ["kb", "generate", "RIS-001"],
        ] {
            let result = try Binary.run(arguments, in: folder.url)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("outside the knowledge base; nothing written"), result.stderr)
        }
        XCTAssertEqual(try Data(contentsOf: outside.appendingPathComponent("hot.md")), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside.path), ["hot.md"])
        // A folder inside that is a symbolic link leading out is refused too.
        try folder.write(".ris/config.yaml", "kb: docs/kb\n")
        try FileManager.default.createDirectory(
            at: folder.url.appendingPathComponent("docs"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: folder.url.appendingPathComponent("docs/kb").path, withDestinationPath: outside.path)
        let linked = try Binary.run(["kb", "generate", "RIS-001"], in: folder.url)
        XCTAssertEqual(linked.status, 2, linked.stderr)
        XCTAssertTrue(
            linked.stderr.contains("docs/kb is a symbolic link leading outside the knowledge base; nothing written"),
            linked.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside.path), ["hot.md"])
    }

    /// A hot-pattern entry generated from an encryption-required record's text would copy it
    /// into the unmarked hot-patterns file.
    func testNoGeneratedEntryFromEncryptionRequiredRecords() throws {
        try folder.write(
            "RIS-001.md",
            record.replacingOccurrences(
                of: "retention-period: 7-years", with: "retention-period: 7-years\n    encryption-required: true"))
        let result = try Binary.run(["pattern", "add", "RIS-001"], in: folder.url)
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("is marked encryption-required"), result.stderr)
        XCTAssertFalse(
            FileManager.default.fileExists(
                atPath: folder.url.appendingPathComponent(".claude/memory/hot-patterns.md").path))
    }

    /// A writer killed before its rename left `.NAME.ris-PID-XXXXXX` behind for good.
    func testAbandonedTemporaryFilesAreSwept() throws {
        try folder.write(
            "RIS-001.md", record + "\n\n## Hot Pattern Entry\n```markdown\n### Pods restart\n**Hit Count**: 1\n```\n")
        XCTAssertEqual(try Binary.run(["pattern", "add", "RIS-001"], in: folder.url).status, 0)
        let memory = ".claude/memory/"
        // PID 2^22 + 1 is above Linux's pid_max: no such process. A live process's file stays.
        try folder.write(memory + ".hot-patterns.md.ris-4194305-AbCdEf", "half a copy")
        try folder.write(memory + ".hot-patterns.md.ris-\(getpid())-AbCdEf", "a live writer's")
        XCTAssertEqual(try Binary.run(["pattern", "hit", "Pods restart"], in: folder.url).status, 0)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.url.appendingPathComponent(memory).path)
            .sorted()
        XCTAssertEqual(left, [".hot-patterns.md.ris-\(getpid())-AbCdEf", "hot-patterns.md"])
    }

    /// The audit head was written before the commit: a run killed in between left a head
    /// ahead of the events, which `verify` then took for removed events. Now the head records
    /// the append before the commit (`pending`) and is completed after it: a run killed in
    /// between leaves a head one recorded append behind, and no other lag passes.
    func testAuditHeadBehindByAnInterruptedAppendStillVerifies() throws {
        try folder.write(
            "RIS-001.md",
            record.replacingOccurrences(
                of: "retention-period: 7-years", with: "retention-period: 7-years\n    access-audit-required: true"))
        XCTAssertEqual(try Binary.run(["show", "RIS-001"], in: folder.url).status, 0)
        let head = folder.url.appendingPathComponent(".ris/audit.head")
        let first = try String(contentsOf: head, encoding: .utf8)
        XCTAssertEqual(try Binary.run(["show", "RIS-001"], in: folder.url).status, 0)
        let second = try String(contentsOf: head, encoding: .utf8)
        let secondHash = try XCTUnwrap(second.split(separator: "\n").first { $0.hasPrefix("last ") }).dropFirst(5)
        // As if killed between the second commit and its head's update.
        try (first + "pending 2 \(secondHash)\n").write(to: head, atomically: true, encoding: .utf8)
        let lagging = try Binary.run(["audit", "verify"], in: folder.url)
        XCTAssertEqual(lagging.status, 0, lagging.stdout + lagging.stderr)
        XCTAssertTrue(lagging.stdout.contains("interrupted between its commit and the head's update"), lagging.stdout)
        // The same lag without the record of the append is not an interrupted append.
        try first.write(to: head, atomically: true, encoding: .utf8)
        XCTAssertEqual(try Binary.run(["audit", "verify"], in: folder.url).status, 1)
        // A head ahead of the events still means events were removed.
        try first.replacingOccurrences(of: "events 1", with: "events 3").write(
            to: head, atomically: true, encoding: .utf8)
        let ahead = try Binary.run(["audit", "verify"], in: folder.url)
        XCTAssertEqual(ahead.status, 1, ahead.stdout + ahead.stderr)
        // And the next append completes the head.
        try (first + "pending 2 \(secondHash)\n").write(to: head, atomically: true, encoding: .utf8)
        XCTAssertEqual(try Binary.run(["show", "RIS-001"], in: folder.url).status, 0)
        XCTAssertTrue(try String(contentsOf: head, encoding: .utf8).hasPrefix("ris-audit-head 2\nevents 3\n"))
        XCTAssertEqual(try Binary.run(["audit", "verify"], in: folder.url).status, 0)
    }

    /// Errors that were not ris's own (a lock that cannot be opened) printed as `Error: ...`.
    func testEveryFailureSpeaksAsRis() throws {
        try folder.write("RIS-001.md", record)
        XCTAssertEqual(try Binary.run(["index"], in: folder.url).status, 0)
        try folder.write(".ris/hot-patterns.lock/x", "a folder where the lock file goes")
        let result = try Binary.run(["pattern", "hit", "anything"], in: folder.url)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.hasPrefix("ris: error: cannot open the lock"), result.stderr)
    }

    /// Many nested ```markdown blocks were repaired in quadratic time (3 s for 2,000); the
    /// result must stay the same now that each line's fence is read once.
    func testManyNestedMarkdownBlocksAreRepaired() throws {
        let block =
            "## Hot Pattern Entry\n```markdown\n### Pattern\n**Keywords**: k\n**Symptom**: "
            + "s\n**Solution**:\n```bash\nx\n```\n**Hit Count**: 1\n```\n\n"
        try folder.write("many.md", "# RIS-003: Many\n\n" + String(repeating: block, count: 300))
        let result = try Binary.run(["parse", "many.md", "--format", "json"], in: folder.url)
        let documents = try XCTUnwrap(try JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: Any]])
        XCTAssertEqual((documents.first?["hotPatterns"] as? [Any])?.count, 300)
    }

    /// A file changed twice within one tick of the file system's clock keeps its size and
    /// time: the index stored them with content read between the two changes and never
    /// read the file again (found by the churn harness: 3 of 3 rounds left stale rows).
    func testAChangeInTheSameClockTickIsNotMissed() throws {
        let url = try folder.write("RIS-001.md", record)
        XCTAssertEqual(try Binary.run(["index"], in: folder.url).status, 0)
        var status = stat()
        XCTAssertEqual(stat(url.path, &status), 0)
        // Same size, other words, and the very same modification time.
        try folder.write("RIS-001.md", record.replacingOccurrences(of: "pods restart", with: "disks filled"))
        var times = [status.st_atim, status.st_mtim]
        XCTAssertEqual(utimensat(AT_FDCWD, url.path, &times, 0), 0)
        let search = try Binary.run(["search", "disks", "--format", "paths"], in: folder.url)
        XCTAssertEqual(search.stdout, "RIS-001.md\n", search.stderr)
    }

    /// A 2 MB table of 10,000 rows by 50 columns took 380 MB to parse: the copy of the tree
    /// now stops at `MarkdownParser.maxNodes` and says where.
    func testHugeTablesAreCutWithAWarning() throws {
        let row = "| " + Array(repeating: "v", count: 50).joined(separator: " | ") + " |\n"
        let table =
            "| " + (0..<50).map { "c\($0)" }.joined(separator: " | ") + " |\n|" + String(repeating: "---|", count: 50)
            + "\n"
        try folder.write(
            "big-table.md",
            "# RIS-004: Big table\n\n## Timeline\n" + table + String(repeating: row, count: 2500)
                + "\n## Resolution\nlate text\n")
        let result = try Binary.run(["parse", "big-table.md"], in: folder.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(
            result.stderr.contains(
                "warning: markdown has more than 200000 elements; the rest, from here on, is left out"), result.stderr)
    }

    /// cmark's tree of a big body took a hundred times its size: past 1 MiB the markdown is
    /// kept as plain text, still found by search.
    func testMarkdownPastOneMebibyteIsSearchableText() throws {
        let filler = String(repeating: "Filler words about nothing in particular.\n", count: 30_000)
        try folder.write("long.md", "# RIS-005: Long\n\n## Symptom\n" + filler + "\n## Resolution\nzanzibar quokka\n")
        let index = try Binary.run(["index"], in: folder.url)
        XCTAssertEqual(index.status, 0, index.stderr)
        XCTAssertTrue(
            index.stderr.contains(
                "long.md:24969:1: warning: the markdown is over 1 MiB; from here on it is indexed as plain text"),
            index.stderr)
        XCTAssertEqual(
            try Binary.run(["search", "zanzibar quokka", "--format", "paths"], in: folder.url).stdout, "long.md\n")
    }
}
