import Foundation
import GRDB
import RISKit
import XCTest

@testable import RISStore

final class IndexStoreTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("ris-store-\(UUID().uuidString)")
        try KnowledgeBase.initialize(at: root)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func store() throws -> IndexStore { try IndexStore(knowledgeBase: KnowledgeBase(root: root)) }

    func record(
        _ id: String, _ title: String, body: String = "", severity: String = "HIGH", date: String = "2026-01-01"
    ) -> String {
        """
        ---
        compliance:
          soc2:
            controls: [CC7.3]
        project: demo
        ---
        # \(id): \(title)

        **Date:** \(date)
        **Severity:** \(severity)
        **Status:** ✅ RESOLVED

        ## Symptom

        \(body)
        """
    }

    /// A word's weight follows the index: the document counts a long-lived store remembers
    /// (`DocumentFrequencies`) are dropped when this store writes and when another one does.
    func testMatchWeightsFollowTheIndexInALongLivedStore() throws {
        for number in 1...8 {
            try write("r/\(number).md", record("RIS-00\(number)", "Worker \(number)", body: "worker pool drained"))
        }
        try write("r/9.md", record("RIS-009", "Quota", body: "quartzite quota exceeded"))
        let server = try store()
        _ = try server.refresh()
        let log = LogSignature("error: quartzite quota exceeded on worker")
        func weight(_ word: String) throws -> Double? {
            try server.database.read { db in try server.wordWeights(log, db).weights[word] }
        }
        let rare = try XCTUnwrap(weight("quartzite"))
        XCTAssertEqual(try weight("quartzite"), rare, "the same index, the same weight")
        XCTAssertLessThan(try XCTUnwrap(weight("worker")), rare)

        // This store writes: four more records hold the word.
        for number in 10...13 {
            try write("r/\(number).md", record("RIS-0\(number)", "Quartzite \(number)", body: "quartzite again"))
        }
        _ = try server.refresh()
        let commoner = try XCTUnwrap(weight("quartzite"))
        XCTAssertLessThan(commoner, rare)

        // Another store (another process) writes: they are gone again.
        for number in 10...13 { try FileManager.default.removeItem(at: root.appendingPathComponent("r/\(number).md")) }
        _ = try store().refresh()
        XCTAssertEqual(try XCTUnwrap(weight("quartzite")), rare, accuracy: 1e-12)
    }

    /// A lookup that fails keeps nothing: its words are not remembered as absent.
    func testAFailedLookupOfDocumentCountsKeepsNothing() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            // FTS5's data table without its averages record: the documents are counted.
            try db.execute(
                sql: """
                    CREATE TABLE document(docId INTEGER PRIMARY KEY); INSERT INTO document VALUES (1),(2),(3);
                    CREATE TABLE documentSearch_data(id INTEGER PRIMARY KEY, block BLOB);
                    """)
        }
        let counts = DocumentFrequencies()
        XCTAssertThrowsError(try queue.read { try counts.lookup(["quartz"], $0) }, "no vocabulary yet")
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "CREATE VIEW documentSearchVocabulary AS SELECT 'quartz' AS term, 2 AS doc")
        }
        let found = try queue.read { try counts.lookup(["quartz"], $0) }
        XCTAssertEqual(found.documents, 3)
        XCTAssertEqual(found.counts, ["quartz": 2])
    }

    func testIncrementalRefresh() throws {
        try write("r/a.md", record("RIS-001", "Lambda manifest rejected", body: "manifest media type not supported"))
        try write("r/b.md", record("RIS-002", "Token expired"))
        let first = try store().refresh()
        XCTAssertEqual([first.scanned, first.added, first.updated, first.removed, first.unchanged], [2, 2, 0, 0, 0])

        let again = try store().refresh()
        XCTAssertEqual([again.added, again.updated, again.removed, again.unchanged], [0, 0, 0, 2])

        // Same bytes, new mtime: not re-read.
        let bPath = root.appendingPathComponent("r/b.md").path
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: bPath)
        let touched = try store().refresh()
        XCTAssertEqual([touched.updated, touched.unchanged], [0, 2])

        try write("r/b.md", record("RIS-002", "Token expired again"))
        try FileManager.default.moveItem(
            at: root.appendingPathComponent("r/a.md"), to: root.appendingPathComponent("r/renamed.md"))
        // A record with rows in every table (timeline, hot pattern, links, tags, a diagnostic ...),
        // removed below: none of its rows may stay.
        try write("r/c.md", Self.recordWithEveryKindOfRow)
        let changed = try store().refresh()
        XCTAssertEqual([changed.added, changed.updated, changed.removed, changed.unchanged], [2, 1, 1, 0])
        XCTAssertEqual(try store().search("manifest").map(\.path), ["r/renamed.md"])
        XCTAssertEqual(try store().search("again").map(\.id), ["RIS-002"])

        try store().database.read { db in
            for table in IndexStore.childTables {
                let rows = try Int.fetchOne(
                    db,
                    sql:
                        "SELECT COUNT(*) FROM \(table) WHERE docId = (SELECT docId FROM document WHERE path = 'r/c.md')"
                )
                XCTAssertGreaterThan(rows ?? 0, 0, "r/c.md has rows in \(table)")
            }
        }
        try FileManager.default.removeItem(at: root.appendingPathComponent("r/c.md"))
        let current = try store()
        let deleted = try current.refresh()
        XCTAssertEqual(deleted.removed, 1)
        XCTAssertEqual(try current.documentCount(), 2)
        try assertNoOrphans(current)
    }

    /// A record that fills every table a document has rows in.
    static let recordWithEveryKindOfRow = """
        ---
        compliance:
          audit_trail: enabled
          hipaa:
            controls: ["164.312(b)"]
            retention-period: forever
            review-frequency: quarterly
        ---
        # RIS-003: Everything at once

        **Date:** 2026-01-02
        **Severity:** HIGH
        **Status:** ✅ RESOLVED

        ## Symptom

        It broke, see [the docs](https://example.com/docs).

        ## Timeline

        | Time | Event |
        |------|-------|
        | 10:00 | Started |
        | 10:05 | Fixed |

        ## Tags

        alpha, beta

        ## Hot Pattern Entry

        ```markdown
        ### Broken thing
        **Keywords:** broken, thing
        **Symptom:** it broke
        **Root Cause:** a bug
        **Solution:** fix it
        **Hit Count:** 2
        ```
        """

    /// No row outlives its document: the refresh writes with foreign keys off, and removes a
    /// document's rows itself. The connection has them on again afterwards.
    func assertNoOrphans(_ store: IndexStore, file: StaticString = #filePath, line: UInt = #line) throws {
        try store.database.read { db in
            for table in IndexStore.childTables {
                let orphans = try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM \(table) WHERE docId NOT IN (SELECT docId FROM document)")
                XCTAssertEqual(orphans, 0, "rows of \(table) without their document", file: file, line: line)
            }
            XCTAssertEqual(
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM documentSearch WHERE rowid NOT IN (SELECT docId FROM document)"),
                0, file: file, line: line)
            XCTAssertEqual(
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM hotPatternSearch WHERE rowid NOT IN (SELECT rowid FROM hotPattern)"),
                0, file: file, line: line)
            XCTAssertEqual(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check"), [], file: file, line: line)
            XCTAssertEqual(try Int.fetchOne(db, sql: "PRAGMA foreign_keys"), 1, file: file, line: line)
        }
    }

    /// `IndexStore.childTables`, whose rows `delete` removes, are the tables of the schema that
    /// refer to a document: a table added later must be added there.
    func testTheChildTablesAreEveryTableReferringToADocument() throws {
        let store = try store()
        let referring = try store.database.read { db -> Set<String> in
            var names: Set<String> = []
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") {
                let targets = try String.fetchAll(
                    db, sql: "SELECT \"table\" FROM pragma_foreign_key_list(?)", arguments: [table])
                if targets.contains("document") { names.insert(table) }
            }
            return names
        }
        XCTAssertEqual(referring, Set(IndexStore.childTables))
    }

    /// The refresh merges the sorted walk with the rows in path order: removals, additions and
    /// changes interleaved anywhere in that order are each seen once.
    func testRefreshMergesInterleavedChanges() throws {
        for number in stride(from: 0, to: 60, by: 2) {
            try write("r/\(number)/a.md", record("RIS-\(number)", "Record \(number)"))
        }
        try write("r-top.md", record("RIS-900", "Top"))
        _ = try store().refresh()
        // Remove every sixth, add odd numbers between, change one, and add names that sort
        // between a folder and its siblings (`r/10-x.md` and `r/10/b.md` around `r/10/a.md`).
        for number in stride(from: 0, to: 60, by: 6) {
            try FileManager.default.removeItem(at: root.appendingPathComponent("r/\(number)"))
        }
        for number in stride(from: 1, to: 60, by: 10) {
            try write("r/\(number)/a.md", record("RIS-\(number)", "Added \(number)"))
        }
        try write("r/10-x.md", record("RIS-1010", "Beside a folder"))
        try write("r/10/b.md", record("RIS-1011", "Inside a folder"))
        try write("r/8/a.md", record("RIS-8", "Changed eight", body: "zanzibar"))
        let current = try store()
        let summary = try current.refresh()
        try assertNoOrphans(current)
        XCTAssertEqual(summary.removed, 10)
        XCTAssertEqual(summary.added, 8)
        XCTAssertEqual(summary.updated, 1)
        XCTAssertEqual(summary.unchanged, 31 - 10 - 1)
        let again = try store().refresh()
        XCTAssertEqual([again.added, again.updated, again.removed], [0, 0, 0])
        XCTAssertEqual(try store().search("zanzibar").map(\.id), ["RIS-8"])
        XCTAssertEqual(try store().search("Record 6").count, 0)
        XCTAssertEqual(try store().list().count, 31 - 10 + 8)
    }

    func testIndexFileIsPrivate() throws {
        try write("a.md", record("RIS-001", "x"))
        _ = try store().refresh()
        let attributes = try FileManager.default.attributesOfItem(
            atPath: root.appendingPathComponent(".ris/index.sqlite").path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
    }

    func journalMode(_ store: IndexStore) throws -> String? {
        try store.database.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
    }

    /// A new index is built in rollback-journal mode (its pages written once) and is in WAL
    /// mode once built, so that later searches read while a refresh writes.
    func testANewIndexIsBuiltWithoutWALThenSwitchedToIt() throws {
        for number in 1...5 { try write("r\(number).md", record("RIS-00\(number)", "Record \(number)")) }
        let first = try store()
        XCTAssertTrue(first.awaitsWAL)
        XCTAssertEqual(try journalMode(first), "delete")
        // A new file's migrations ran without syncs; what follows (the first build) syncs again.
        XCTAssertEqual(try first.database.read { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }, 1)
        XCTAssertEqual(try first.refresh().added, 5)
        XCTAssertEqual(try first.database.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") }, 8192)
        XCTAssertFalse(first.awaitsWAL)
        XCTAssertEqual(try journalMode(first), "wal")
        let second = try store()
        XCTAssertFalse(second.awaitsWAL)
        XCTAssertEqual(try journalMode(second), "wal")
        XCTAssertEqual(try second.search("record").count, 5)
    }

    /// FTS5 holds 8 MB of terms before it writes a segment (schema v12): a setting stored in
    /// the table, so every later run that writes to it, whatever its connection, uses it.
    func testTheSearchTableHoldsEightMegabytesOfTermsBeforeWriting() throws {
        try write("a.md", record("RIS-001", "Lambda manifest"))
        let first = try store()
        XCTAssertEqual(try first.refresh().added, 1)
        try first.database.close()
        let next = try store()
        let hashSize = try next.database.read { db in
            try Int.fetchOne(db, sql: "SELECT v FROM documentSearch_config WHERE k = 'hashsize'")
        }
        XCTAssertEqual(hashSize, 8 * 1024 * 1024)
        // The other search table is small (a row per hot pattern) and keeps FTS5's default.
        XCTAssertNil(
            try next.database.read { db in
                try Int.fetchOne(db, sql: "SELECT v FROM hotPatternSearch_config WHERE k = 'hashsize'")
            })
    }

    /// A record's rows of one table go in by statements of up to `RowWriter.batchLimit` rows:
    /// runs longer than one statement, of one row, and of every length between, each table's
    /// rows in the file's order (and so the same rowids as one statement a row).
    func testRowsOfOneTableAreWrittenInOrderWhateverTheirCount() throws {
        let limit = IndexStore.RowWriter.batchLimit
        let counts = [0, 1, 2, limit - 1, limit, limit + 1, 2 * limit + 3]
        for (number, count) in counts.enumerated() {
            let events = (0..<count).map { "| 10:\(String(format: "%02d", $0)) | Event \($0) of record \(number) |" }
            let controls = (0..<count).map { "CC\($0 + 1).1" }.joined(separator: ", ")
            try write(
                "r\(number).md",
                """
                ---
                compliance:
                  soc2:
                    controls: [\(controls)]
                  hipaa:
                    controls: [164.312(b)]
                ---
                # RIS-\(number + 100): Record \(number)

                **Date:** 2026-01-01

                ## Timeline

                | Time | Event |
                |------|-------|
                \(events.joined(separator: "\n"))
                """)
        }
        let store = try store()
        XCTAssertEqual(try store.refresh().added, counts.count)
        try store.database.read { db in
            for (number, count) in counts.enumerated() {
                let docId = try XCTUnwrap(
                    Int64.fetchOne(db, sql: "SELECT docId FROM document WHERE path = ?", arguments: ["r\(number).md"]))
                XCTAssertEqual(
                    try String.fetchAll(
                        db, sql: "SELECT event FROM timelineEvent WHERE docId = ? ORDER BY rowid", arguments: [docId]),
                    (0..<count).map { "Event \($0) of record \(number)" })
                XCTAssertEqual(
                    try String.fetchAll(
                        db, sql: "SELECT control FROM control WHERE docId = ? ORDER BY rowid", arguments: [docId]),
                    (0..<count).map { "CC\($0 + 1).1" } + ["164.312(b)"])
                XCTAssertEqual(
                    try String.fetchAll(
                        db, sql: "SELECT name FROM framework WHERE docId = ? ORDER BY rowid", arguments: [docId]),
                    ["soc2", "hipaa"])
            }
            // Rowids follow the files' order: each record's rows after the one before.
            let owners = try Int64.fetchAll(db, sql: "SELECT docId FROM timelineEvent ORDER BY rowid")
            XCTAssertEqual(owners, owners.sorted())
            XCTAssertEqual(owners.count, counts.reduce(0, +))
        }
    }

    /// Every record of a refresh goes into FTS5's terms in memory, written out once as one
    /// segment: a statement that opened a savepoint (a multi-row insert that could undo its own
    /// rows) made FTS5 write a segment for each record, a full index five times slower.
    func testOneRefreshWritesOneSearchSegment() throws {
        for number in 1...30 {
            try write("r\(number).md", record("RIS-\(number)", "Record \(number) word\(number)"))
        }
        let store = try store()
        XCTAssertEqual(try store.refresh().added, 30)
        let segments = try store.database.read { db in
            try Int.fetchOne(db, sql: "SELECT count(DISTINCT segid) FROM documentSearch_idx")
        }
        XCTAssertEqual(segments, 1)
        XCTAssertEqual(try store.search("word17").map(\.path), ["r17.md"])
    }

    /// A refresh that replaces files (every third changed, with hot patterns, and some removed)
    /// adds two FTS5 segments, not one a file: a changed file keeps its document's rowid, and
    /// the rows of the removed and of the replaced are deleted in rowid order. (FTS5 writes out
    /// the terms it holds when a row before the last one written is deleted: once here, when
    /// the first changed file comes after the removed ones; and at the commit.)
    func testARefreshReplacingFilesAddsTwoSearchSegmentsNotOneAFile() throws {
        func text(_ number: Int, _ word: String) -> String {
            record("RIS-\(number)", "Record \(number) \(word)\(number)")
                + "\n\n## Hot Pattern\n\n**Keywords:** \(word)\(number), queue\n**Hit Count:** 1\n"
        }
        for number in 1...30 { try write("r\(number).md", text(number, "first")) }
        let store = try store()
        XCTAssertEqual(try store.refresh().added, 30)
        func docIds() throws -> [String: Int64] {
            try store.database.read { db in
                Dictionary(
                    uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT path, docId FROM document").map {
                        (row: Row) -> (String, Int64) in (row["path"], row["docId"])
                    })
            }
        }
        func segments() throws -> Int? {
            try store.database.read { db in
                try Int.fetchOne(db, sql: "SELECT count(DISTINCT segid) FROM documentSearch_idx")
            }
        }
        let before = try docIds()
        XCTAssertEqual(try segments(), 1)
        // Segments kept as written (FTS5 merges them four by four), so that each write counts.
        try store.database.write { db in
            try db.execute(sql: "INSERT INTO documentSearch(documentSearch, rank) VALUES('automerge', 0)")
        }
        for number in stride(from: 1, through: 30, by: 3) { try write("r\(number).md", text(number, "second")) }
        for number in [5, 20] { try FileManager.default.removeItem(at: root.appendingPathComponent("r\(number).md")) }
        let summary = try store.refresh()
        XCTAssertEqual(summary.updated, 10)
        XCTAssertEqual(summary.removed, 2)
        XCTAssertEqual(try segments(), 3)
        var expected = before
        expected["r5.md"] = nil
        expected["r20.md"] = nil
        XCTAssertEqual(try docIds(), expected)
        XCTAssertEqual(try store.search("second7").map(\.path), ["r7.md"])
        XCTAssertEqual(try store.search("first7").map(\.path), [])
        XCTAssertEqual(try store.search("first8").map(\.path), ["r8.md"])
        try store.database.read { db in
            XCTAssertEqual(
                try String.fetchAll(
                    db, sql: "SELECT keywords FROM hotPatternSearch WHERE hotPatternSearch MATCH 'second7'"),
                ["second7, queue"])
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM hotPattern"), 28)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM hotPatternSearch"), 28)
        }
    }

    /// A row whose file was gone when the walk was compared is deleted only if it still is that
    /// file's: a refresh that wrote before this one took the lock may have given its rowid to
    /// another file.
    func testARemovedRowIsDeletedOnlyIfItIsStillThatFiles() throws {
        try write("a.md", record("RIS-001", "Lambda manifest"))
        try write("b.md", record("RIS-002", "Queue backlog"))
        let store = try store()
        XCTAssertEqual(try store.refresh().added, 2)
        try store.database.write { db in
            let docId = try XCTUnwrap(Int64.fetchOne(db, sql: "SELECT docId FROM document WHERE path = 'b.md'"))
            XCTAssertFalse(try IndexStore.delete(docId: docId, ifPathIs: "gone.md", in: db))
            XCTAssertEqual(
                try Int.fetchOne(db, sql: "SELECT count(*) FROM control WHERE docId = ?", arguments: [docId]), 1)
            XCTAssertEqual(
                try Int.fetchOne(db, sql: "SELECT count(*) FROM documentSearch WHERE rowid = ?", arguments: [docId]), 1)
            XCTAssertTrue(try IndexStore.delete(docId: docId, ifPathIs: "b.md", in: db))
            XCTAssertEqual(
                try Int.fetchOne(db, sql: "SELECT count(*) FROM control WHERE docId = ?", arguments: [docId]), 0)
            XCTAssertEqual(
                try Int.fetchOne(db, sql: "SELECT count(*) FROM documentSearch WHERE rowid = ?", arguments: [docId]), 0)
            XCTAssertEqual(try String.fetchAll(db, sql: "SELECT path FROM document"), ["a.md"])
        }
    }

    /// A new index left before its first refresh (a `--no-refresh` read, a run killed before the
    /// commit) is switched to WAL by the next run that opens it, its rows intact.
    func testANewIndexLeftInRollbackModeIsSwitchedByTheNextRun() throws {
        try write("a.md", record("RIS-001", "Lambda manifest"))
        let first = try store()
        XCTAssertEqual(try journalMode(first), "delete")
        try first.database.close()
        let next = try store()
        XCTAssertFalse(next.awaitsWAL)
        XCTAssertEqual(try journalMode(next), "wal")
        XCTAssertEqual(try next.refresh().added, 1)
        XCTAssertEqual(try next.search("manifest").count, 1)
    }

    /// Schema v9 keeps each record's Symptom line as a column and drops the row per heading:
    /// an index of v8 keeps the line it had, without reading the files again.
    func testTheSymptomLineOfAnEarlierIndexIsKept() throws {
        let url = root.appendingPathComponent(".ris/index.sqlite")
        let earlier = try DatabaseQueue(path: url.path)
        try Schema.migrator.migrate(earlier, upTo: "v8")
        try earlier.write { db in
            try db.execute(
                sql: """
                    INSERT INTO document (docId, path, risId, title, kind, shape, size, modified, sha256, errorCount,
                                          warningCount, indexedAt)
                    VALUES (7, 'a.md', 'RIS-001', 'x', 'record', 'markdown', 1, 1, '', 0, 0, '');
                    INSERT INTO section (docId, level, heading, line) VALUES
                        (7, 2, 'Summary', 3), (7, 2, 'SYMPTOMS seen', 9), (7, 3, 'Other symptom', 12), (7, 2, 'Fix', 5);
                    """)
        }
        try earlier.close()
        chmod(url.path, 0o600)  // as ris makes it: another mode is an index from elsewhere, rebuilt
        let migrated = try store()
        XCTAssertFalse(migrated.wasRebuilt)
        try migrated.database.read { db in
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT symptomLine FROM document WHERE docId = 7"), 9)
            XCTAssertFalse(try db.tableExists("section"))
        }
    }

    /// What `ris match` points at for a record: its first heading that names the symptom.
    func testTheSymptomLineIsTheFirstSymptomHeading() throws {
        try write(
            "a.md",
            "# RIS-001: Disk full\n\n## Summary\n\nx\n\n## Root cause\n\ny\n\n## Symptoms\n\nThe disk filled.\n")
        try write("b.md", "# RIS-002: Disk quota\n\n## Summary\n\nz\n")
        let index = try store()
        _ = try index.refresh()
        try index.database.read { db in
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT symptomLine FROM document WHERE path = 'a.md'"), 11)
            XCTAssertNil(try Int.fetchOne(db, sql: "SELECT symptomLine FROM document WHERE path = 'b.md'"))
        }
    }

    /// A process that keeps its database queues (the `ris` command) keeps the queue of a store
    /// that goes, open (a caller may still hold its `database`), and closes it when the command
    /// is done: the log a refresh wrote is then checkpointed and cut, as at any close.
    func testAStoreThatGoesKeepsItsQueueUntilTheCommandIsDone() throws {
        DatabaseLifetime.keepQueuesUntilExit()
        defer {
            DatabaseLifetime.closeKeptQueues()
            DatabaseLifetime.stopKeeping()
        }
        let log = root.appendingPathComponent(".ris/index.sqlite-wal").path
        func logSize() throws -> Int {
            try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: log)[.size] as? Int)
        }
        try write("a.md", record("RIS-001", "Disk full"))
        _ = try store().refresh()
        let kept = DatabaseLifetime.keptCount
        try write("b.md", record("RIS-002", "Quota", body: "The quota ran out."))
        let database: DatabaseQueue
        do {
            let index = try store()
            XCTAssertEqual(try index.refresh().added, 1)
            database = index.database
        }
        XCTAssertEqual(DatabaseLifetime.keptCount, kept + 1)
        // Gone, its queue still answers whoever holds it.
        XCTAssertEqual(try database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM document") }, 2)
        XCTAssertGreaterThan(try logSize(), 0)
        DatabaseLifetime.closeKeptQueues()
        XCTAssertEqual(try logSize(), 0)
        XCTAssertEqual(try store().search("quota").count, 1)
        DatabaseLifetime.closeKeptQueues()

        // A store's second reader goes after the store's own queue; closed newest first, the
        // read-write connection is the last, and checkpoints (a read-only one cannot).
        let url = root.appendingPathComponent(".ris/index.sqlite")
        let writer = try IndexStore.open(url).queue
        try writer.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO indexInfo (key, value) VALUES ('lifetime', 'test')")
        }
        let reader = try DatabaseQueue(path: url.path, configuration: IndexStore.readOnlyConfiguration())
        XCTAssertEqual(try reader.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM document") }, 2)
        XCTAssertGreaterThan(try logSize(), 0)
        DatabaseLifetime.retire(writer)
        DatabaseLifetime.retire(reader)
        DatabaseLifetime.closeKeptQueues()
        XCTAssertEqual(try logSize(), 0)
    }

    func testCorruptIndexIsRebuiltWithANotice() throws {
        try write("a.md", record("RIS-001", "Lambda manifest"))
        _ = try store().refresh()
        let index = root.appendingPathComponent(".ris/index.sqlite")
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: index.path + suffix) }
        try Data(repeating: 0x42, count: 8192).write(to: index)
        let reopened = try store()
        XCTAssertTrue(reopened.notices.first?.contains("damaged") ?? false, "\(reopened.notices)")
        let summary = try reopened.refresh()
        XCTAssertEqual(summary.added, 1)
        XCTAssertEqual(try reopened.search("manifest").count, 1)
    }

    func testIndexFromAnotherSchemaIsRebuilt() throws {
        try write("a.md", record("RIS-001", "x"))
        _ = try store().refresh()
        let index = root.appendingPathComponent(".ris/index.sqlite")
        let other = try IndexStore(knowledgeBase: KnowledgeBase(root: root))
        try other.database.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v0-old')")
        }
        _ = index
        let reopened = try store()
        XCTAssertTrue(reopened.notices.first?.contains("another version") ?? false, "\(reopened.notices)")
        XCTAssertEqual(try reopened.documentCount(), 0)
        XCTAssertEqual(try reopened.refresh().added, 1)
    }

    /// A database ris did not make at the index's place (tables, no migrations of its own) is
    /// rebuilt with a notice, not migrated into until the migrations collide with its tables.
    func testADatabaseOfAnotherProgramIsRebuilt() throws {
        try write("a.md", record("RIS-001", "Lambda manifest"))
        let index = root.appendingPathComponent(".ris/index.sqlite")
        try DatabaseQueue(path: index.path).write { db in
            try db.execute(sql: "CREATE TABLE document (path TEXT); INSERT INTO document VALUES ('elsewhere.md')")
        }
        XCTAssertEqual(chmod(index.path, 0o600), 0)
        let reopened = try store()
        XCTAssertEqual(reopened.notices.count, 1, "\(reopened.notices)")
        XCTAssertTrue(reopened.notices.first?.contains("tables ris did not make") ?? false, "\(reopened.notices)")
        XCTAssertTrue(reopened.wasRebuilt)
        XCTAssertEqual(try reopened.refresh().added, 1)
        XCTAssertEqual(try reopened.search("manifest").map(\.path), ["a.md"])
    }

    func testBrokenFrontMatterIsStillSearchable() throws {
        try write("broken.md", "---\nid: RIS-9\nbad: [\n---\n# RIS-9: Quasar outage\n\nThe quasar exploded.\n")
        let summary = try store().refresh()
        XCTAssertEqual(summary.withErrors, 1)
        XCTAssertTrue(summary.diagnostics.contains { $0.path == "broken.md" && $0.diagnostic.severity == .error })
        XCTAssertEqual(try store().search("quasar").map(\.id), ["RIS-9"])
        XCTAssertEqual(try store().storedDiagnostics().first?.path, "broken.md")
        XCTAssertEqual(try store().storedDiagnostics().first?.diagnostic.code, .yamlSyntax)
    }

    func testQuerySyntax() throws {
        XCTAssertEqual(try QuerySyntax("lambda manifest").ftsPattern, "\"lambda\" AND \"manifest\"")
        XCTAssertEqual(try QuerySyntax("a OR b c").ftsPattern, "(\"a\" OR \"b\") AND \"c\"")
        XCTAssertEqual(try QuerySyntax("\"media type\" -docker").ftsPattern, "(\"media type\") NOT \"docker\"")
        XCTAssertEqual(try QuerySyntax("manif*").ftsPattern, "\"manif\" *")
        XCTAssertEqual(try QuerySyntax("title:lambda").ftsPattern, "title : (\"lambda\")")
        // Quoted as one FTS5 string: the tokenizer makes it the phrase "oci mediatypes false".
        XCTAssertEqual(try QuerySyntax("--oci-mediatypes=false").ftsPattern, "\"--oci-mediatypes=false\"")
        XCTAssertEqual(try QuerySyntax("say \"no\"\"quote").ftsPattern, "\"say\" AND \"no\" AND \"quote\"")
        XCTAssertEqual(
            try QuerySyntax("it\"s").ftsPattern, "\"it\"\"s\"", "an inner quote is doubled, as FTS5 strings want")
        // A quote that a combining mark joins into one character is a quote byte all the same.
        XCTAssertEqual(
            Array(try QuerySyntax("it\"\u{301}s").ftsPattern.unicodeScalars),
            Array("\"it\"\"\u{301}s\"".unicodeScalars), "the quote of `\"\u{301}` is doubled too")
        XCTAssertEqual(try QuerySyntax("RIS-045").identifier, "RIS-045")
        XCTAssertNil(try QuerySyntax("lambda").identifier)
        XCTAssertThrowsError(try QuerySyntax("* ( ' -"))
        // `-x` excludes a word of 2+ characters beside words to find; otherwise it is a word, said in a note.
        let alone = try QuerySyntax("-docker")
        XCTAssertEqual(alone.ftsPattern, "\"-docker\"")
        XCTAssertEqual(alone.notes.count, 1)
        XCTAssertEqual(try QuerySyntax("docker -v").ftsPattern, "\"docker\" AND \"-v\"")
        XCTAssertEqual(try QuerySyntax("docker -vm").ftsPattern, "(\"docker\") NOT \"vm\"")
        XCTAssertTrue(try QuerySyntax("docker -vm").notes.isEmpty)
    }

    /// A LIKE prefix escapes every `\\`, `%` and `_` scalar, one that a combining mark joins
    /// into one character too (it was left a wildcard). Highlighting replaces every STX and ETX.
    func testLikePatternsAndHighlightsAreMadeScalarByScalar() {
        XCTAssertEqual(IndexStore.likePrefix("a_b%c\\d"), "a\\_b\\%c\\\\d%")
        XCTAssertEqual(
            Array(IndexStore.likePrefix("x_\u{301}").unicodeScalars), Array("x\\_\u{301}%".unicodeScalars))
        let hit = SearchHit(
            id: "RIS-1", title: "t", path: "p.md", kind: .ris, date: nil, severity: nil, status: nil, score: 1,
            snippet: "a \u{2}lambda\u{3} b \u{2}\u{301}x\u{3}")
        XCTAssertEqual(hit.highlighted(open: "[", close: "]"), "a [lambda] b [\u{301}x]")
        XCTAssertEqual(hit.highlighted(open: "", close: ""), "a lambda b \u{301}x")
    }

    func testFiltersAndSorting() throws {
        try write("a.md", record("RIS-001", "Alpha outage", severity: "LOW", date: "2026-01-05"))
        try write("b.md", record("RIS-002", "Beta outage", severity: "CRITICAL (all down)", date: "2026-02-05"))
        try write("c.md", "# Notes\n\noutage notes\n")
        let store = try store()
        _ = try store.refresh()
        var filters = SearchFilters()
        filters.severity = "critical"
        XCTAssertEqual(try store.search("outage", filters: filters).map(\.id), ["RIS-002"])
        filters = SearchFilters()
        filters.since = "2026-02-01"
        XCTAssertEqual(try store.list(filters: filters).map(\.id), ["RIS-002"])
        filters = SearchFilters()
        filters.control = "cc7.3"
        XCTAssertEqual(try store.list(filters: filters, sort: .id).map(\.id), ["RIS-001", "RIS-002"])
        filters = SearchFilters()
        filters.conditions = [("Severity", "LOW")]
        XCTAssertEqual(try store.list(filters: filters).map(\.id), ["RIS-001"])
        filters.conditions = [("soc2.retention-period", "7-years")]
        XCTAssertEqual(try store.list(filters: filters).count, 0)
        filters = SearchFilters()
        filters.kind = .doc
        XCTAssertEqual(try store.list(filters: filters).map(\.path), ["c.md"])
        XCTAssertEqual(try store.list(sort: .severity).map(\.id).prefix(2), ["RIS-002", "RIS-001"])
    }
}
