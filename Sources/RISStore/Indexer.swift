import CRISSystem
import Crypto
import Dispatch
import Foundation
import FrontMatter
import GRDB
import GRDBSQLite
import RISKit
import Synchronization

extension IndexStore {
    /// Brings the index up to date with the files on disk: new files are added, changed
    /// ones (size or mtime differ, and the SHA-256 too) re-read, deleted ones removed.
    /// Files are parsed on all cores; one transaction writes them.
    ///
    /// - Parameters:
    ///   - full: re-read every file.
    ///   - progress: called with (files done, files to read) while files are read.
    public func refresh(full: Bool = false, progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> IndexSummary {
        guard !isReadOnly else {
            throw StoreError.readOnly(
                "\(knowledgeBase.risFolder.path) cannot be written: the index cannot be brought up to date")
        }
        let started = DispatchTime.now()
        // What a later command trusts with `refresh-interval` is the walk, so its start is recorded.
        let walkStarted = Date()
        var summary = IndexSummary()
        let root = knowledgeBase.root
        // The index's rows are read on another thread while this one walks the folders: the
        // walk waits on the kernel, and the read was 40 ms of a 100,000-file refresh after it.
        let known = Concurrently { [database] in
            try database.read { db in
                (
                    reader: try String.fetchOne(db, sql: "SELECT value FROM indexInfo WHERE key = 'reader'"),
                    rows: try KnownRows(db)
                )
            }
        }
        let (files, problems) = FileScanner.scan(root: root, config: knowledgeBase.config)
        summary.scanned = files.count
        summary.diagnostics += problems.map { PathDiagnostic(path: $0.path, diagnostic: .pathNotRead($0.message)) }

        // Rows read by another parser (an older ris, other field aliases) are read again: the
        // files have not changed, but what ris takes from them has.
        let options = knowledgeBase.config.parseOptions
        let requestedFull = full
        let (reader, rows) = try known.result()
        let comparison = IndexStore.compare(files, with: rows)
        let (storedReader, rereadAll, knownHashes) = try database.read { db in
            let rereadAll = reader != options.fingerprint && comparison.knownCount > 0
            // The hashes of the changed files only (a file touched but not changed is not parsed).
            var hashes: [String: String] = [:]
            if !requestedFull && !rereadAll {
                let statement = try db.cachedStatement(sql: "SELECT sha256 FROM document WHERE docId = ?")
                for (path, docId) in comparison.changedKnown {
                    hashes[path] = try String.fetchOne(statement, arguments: [docId])
                }
            }
            return (reader, rereadAll, hashes)
        }
        let full = full || rereadAll
        summary.rereadAll = rereadAll
        let candidates = full ? files : comparison.changed
        let unchangedOnDisk = full ? 0 : files.count - comparison.changed.count
        let removed = comparison.removed

        let scannedAt = DispatchTime.now()
        // Read, hash, parse and lay out rows on all cores while this thread writes, in file
        // order, what is ready: the index is written in one transaction and results do not pile
        // up in memory.
        let pipeline = ReadPipeline(count: candidates.count)
        if !candidates.isEmpty {
            let files = candidates
            let limit = knowledgeBase.config.maxFileBytes
            let now = Timestamp.iso8601()
            DispatchQueue.global().async {
                IndexStore.readInParallel(
                    files, root: root, limit: limit, options: options, known: knownHashes, indexedAt: now,
                    into: pipeline, progress: progress)
            }
        }
        let recordTime = knowledgeBase.config.refreshInterval > 0
        if candidates.isEmpty && removed.isEmpty && storedReader == options.fingerprint {
            // Nothing changed: no write transaction (no lock, nothing in the WAL), one read;
            // with a refresh interval, the one row that says when.
            if recordTime { try database.write { db in try IndexStore.recordRefreshTime(walkStarted, db) } }
            summary.withErrors = try database.read(IndexStore.documentsWithErrors)
            summary.unchanged = unchangedOnDisk
            summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
            return summary
        }
        // A refresh of many files writes much: its pages go to the disk while it writes (the
        // kernel would wait 30 s), so that the commit's fdatasync, when both cores are idle,
        // finds them written (73 -> 1 ms for a first build of 10,000 records). The pages go
        // into the file itself for a first build (rollback journal), into the log after (WAL).
        let writeback =
            candidates.count >= 1_000
            ? BackgroundWriteback(path: awaitsWAL ? database.path : database.path + "-wal") : nil
        defer { writeback?.finish() }
        // IMMEDIATE: take the write lock before reading, so that two refreshes at once queue
        // up (busy timeout) instead of failing on a stale read.
        try database.writeWithoutTransaction { db in
            // No foreign-key checks while the rows are written: each of a record's ~30 child rows
            // looked its document up again (a sixth of writing them), and every document row is
            // written just before its children. `delete` removes a document's rows itself,
            // without the cascade. (The setting cannot change inside a transaction.)
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            let written = Result {
                try db.inTransaction(.immediate) {
                    // In rowid order: FTS5 writes out the terms it holds whenever a row before
                    // the last one written is deleted (its lists are kept in rowid order).
                    for item in removed.sorted(by: { $0.docId < $1.docId })
                    where try IndexStore.delete(docId: item.docId, ifPathIs: item.path, in: db) {
                        summary.removed += 1
                    }
                    // An index with no document when this transaction (which no other run can write
                    // in) starts holds no row of any file read: nothing to look up before inserting.
                    let startsEmpty = try Int.fetchOne(db, sql: "SELECT 1 FROM document LIMIT 1") == nil
                    let writer = RowWriter(db)
                    for index in 0..<candidates.count {
                        switch pipeline.take(index) {
                        case .touched(let file):
                            // Same bytes, new mtime (a checkout, a touch): remember the mtime only.
                            try db.execute(
                                sql: "UPDATE document SET modified = ?, changed = ?, inode = ? WHERE path = ?",
                                arguments: [file.modified, file.changed, file.inode, file.path])
                            summary.unchanged += 1
                        case .parsed(let file, let rows):
                            // Looked up again inside the transaction: another run may have written it since.
                            var replaced: Int64?
                            if !startsEmpty,
                                let docId = try Int64.fetchOne(
                                    db, sql: "SELECT docId FROM document WHERE path = ?", arguments: [file.path])
                            {
                                try IndexStore.delete(docId: docId, in: db)
                                replaced = docId
                                summary.updated += 1
                            } else {
                                summary.added += 1
                            }
                            // A changed file keeps its document's rowid. A new one (the largest plus
                            // one) would make FTS5 write out the terms it holds at the next file's
                            // delete, a row before it: a segment per file, and a full re-read of
                            // 10,000 records 4x slower than a first build. Files come in path order,
                            // as the rowids of a first build do.
                            try writer.write(rows, replacing: replaced)
                            summary.diagnostics += rows.diagnostics.map {
                                PathDiagnostic(path: file.path, diagnostic: $0)
                            }
                        }
                    }
                    if storedReader != options.fingerprint {
                        try db.execute(
                            sql: "INSERT OR REPLACE INTO indexInfo (key, value) VALUES ('reader', ?)",
                            arguments: [options.fingerprint])
                    }
                    summary.withErrors = try IndexStore.documentsWithErrors(db)
                    if recordTime { try IndexStore.recordRefreshTime(walkStarted, db) }
                    // Rows only touched (a new mtime) change nothing a query reads.
                    if summary.added + summary.updated > 0 || !removed.isEmpty { try IndexStore.stampGeneration(db) }
                    return .commit
                }
            }
            // On again, and checked: a long-running server (`ris mcp`) keeps this connection. The
            // write's own error, if any, is the one said.
            let restored = Result {
                try IndexStore.setPragma(
                    "foreign_keys", "ON", readsAs: 1, db,
                    failure: "\(knowledgeBase.risFolder.path): foreign keys could not be turned on again")
            }
            try written.get()
            try restored.get()
            // A new index was built in rollback-journal mode (IndexStore.open): WAL from now on,
            // so that searches read while later runs write. The build is committed: if another
            // ris holds a lock now, or the switch fails, the next run that opens the index does it.
            if awaitsWAL, (try? IndexStore.switchToWAL(db, attempts: 50)) == true { awaitsWAL = false }
        }
        if ProcessEnvironment.value("RIS_TIMING") != nil {
            func ms(_ from: DispatchTime, _ to: DispatchTime) -> Double {
                Double(to.uptimeNanoseconds - from.uptimeNanoseconds) / 1e6
            }
            FileHandle.standardError.write(
                Data(
                    String(
                        format: "timing: scan %.0f ms, read+parse+write %.0f ms\n",
                        ms(started, scannedAt), ms(scannedAt, DispatchTime.now())
                    ).utf8))
        }
        summary.unchanged += unchangedOnDisk
        summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return summary
    }

    /// When the files were last walked, for `refresh-interval` (wall-clock seconds).
    static func recordRefreshTime(_ walkStarted: Date, _ db: Database) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO indexInfo (key, value) VALUES ('refreshedAt', ?)",
            arguments: [String(walkStarted.timeIntervalSince1970)])
    }

    /// A new random `generation` in `indexInfo`, written by every transaction that adds,
    /// changes or removes documents (schema v11 on: an earlier ris rebuilds such an index): two
    /// connections that read the same generation read the same documents, and the same search
    /// columns (a refresh that only notes new mtimes keeps it). A query split between two
    /// connections checks it (`rankedInOnePass`). Random rather than counted, so that an index
    /// deleted and built again never repeats one.
    static func stampGeneration(_ db: Database) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO indexInfo (key, value) VALUES ('generation', hex(randomblob(16)))")
    }

    /// The `generation` of the index as `db` reads it; nil when no refresh of this ris wrote one.
    static func generation(_ db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM indexInfo WHERE key = 'generation'")
    }

    /// Seconds since the files were last walked by a refresh that recorded it (with a
    /// `refresh-interval`); nil when none did, or the clock went back since.
    public func secondsSinceRefresh() throws -> Double? {
        let stored = try database.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM indexInfo WHERE key = 'refreshedAt'")
        }
        guard let stored, let then = Double(stored) else { return nil }
        let age = Date().timeIntervalSince1970 - then
        return age >= 0 ? age : nil
    }

    /// The walk set against the index's rows: what changed on disk (with the document IDs
    /// of those the index knows), which rows lost their file, how many rows there are.
    struct Comparison {
        var changed: [ScannedFile] = []
        var changedKnown: [(path: String, docId: Int64)] = []
        /// The rows whose file is gone, with the path each had when it was read.
        var removed: [(docId: Int64, path: String)] = []
        var knownCount = 0
    }

    /// A merge of `files` and the index's rows (`KnownRows`), both in path order (the bytes of
    /// the UTF-8, SQLite's BINARY collation), comparing paths in place: no dictionary of 100,000
    /// paths, no string made for a row that did not change.
    static func compare(_ files: [ScannedFile], with known: KnownRows) -> Comparison {
        var files = files
        if !zip(files, files.dropFirst()).allSatisfy({ IndexStore.comparePaths($0.path, $1.path) < 0 }) {
            files.sort { IndexStore.comparePaths($0.path, $1.path) < 0 }
        }
        var result = Comparison()
        result.knownCount = known.rows.count
        var next = 0
        known.bytes.withUnsafeBytes { bytes in
            func rowPath(_ row: KnownRows.Row) -> UnsafeRawBufferPointer {
                UnsafeRawBufferPointer(rebasing: bytes[row.start..<row.start + row.count])
            }
            for var file in files {
                var order: Int32 = 1
                while next < known.rows.count {
                    order = file.path.withUTF8 {
                        IndexStore.compareBytes(UnsafeRawBufferPointer($0), rowPath(known.rows[next]))
                    }
                    guard order > 0 else { break }
                    result.removed.append(
                        (known.rows[next].docId, String(decoding: rowPath(known.rows[next]), as: UTF8.self)))
                    next += 1
                }
                if next < known.rows.count && order == 0 {
                    let row = known.rows[next]
                    let stored = ScannedFile(
                        path: file.path, size: row.size, modified: row.modified, changed: row.changed, inode: row.inode)
                    if !file.isUnchanged(since: stored) {
                        result.changedKnown.append((file.path, row.docId))
                        result.changed.append(file)
                    }
                    next += 1
                } else {
                    result.changed.append(file)
                }
            }
            for row in known.rows[next...] {
                result.removed.append((row.docId, String(decoding: rowPath(row), as: UTF8.self)))
            }
        }
        return result
    }

    /// What the refresh compares the walk with: (path, size, mtime, ctime, inode) of every
    /// row, in path order, from the covering index (schema v6); the paths as bytes in one buffer.
    struct KnownRows: Sendable {
        struct Row: Sendable {
            var start: Int
            var count: Int
            var docId: Int64
            var size: Int64
            var modified: Int64
            var changed: Int64
            var inode: Int64
        }
        var bytes: [UInt8] = []
        var rows: [Row] = []

        init(_ db: Database) throws {
            // The GRDB statement owns (and finalizes) the SQLite one: it lives as long as this call.
            let owner = try db.makeStatement(
                sql: "SELECT path, docId, size, modified, changed, inode FROM document ORDER BY path")
            let statement = owner.sqliteStatement
            var stepped = sqlite3_step(statement)
            while stepped == SQLITE_ROW {
                let count = Int(sqlite3_column_bytes(statement, 0))
                if count > 0, let text = sqlite3_column_blob(statement, 0) {
                    bytes.append(contentsOf: UnsafeRawBufferPointer(start: text, count: count))
                }
                rows.append(
                    Row(
                        start: bytes.count - count, count: count, docId: sqlite3_column_int64(statement, 1),
                        size: sqlite3_column_int64(statement, 2), modified: sqlite3_column_int64(statement, 3),
                        changed: sqlite3_column_int64(statement, 4), inode: sqlite3_column_int64(statement, 5)))
                stepped = sqlite3_step(statement)
            }
            withExtendedLifetime(owner) {}
            guard stepped == SQLITE_DONE else {
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: stepped),
                    message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
        }
    }

    /// Work started on another thread; `result()` waits for it.
    final class Concurrently<Value: Sendable>: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var outcome: Result<Value, Error>?

        init(_ work: @escaping @Sendable () throws -> Value) {
            DispatchQueue.global().async {
                self.outcome = Result(catching: work)
                self.done.signal()
            }
        }

        func result() throws -> Value {
            done.wait()
            return try outcome!.get()
        }
    }

    /// Paths in SQLite's BINARY order: the bytes of their UTF-8.
    static func comparePaths(_ left: String, _ right: String) -> Int32 {
        var left = left
        var right = right
        return left.withUTF8 { a in
            right.withUTF8 { b in compareBytes(UnsafeRawBufferPointer(a), UnsafeRawBufferPointer(b)) }
        }
    }

    static func compareBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int32 {
        let common = min(a.count, b.count)
        if common > 0, let x = a.baseAddress, let y = b.baseAddress {
            let order = memcmp(x, y, common)
            if order != 0 { return order }
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    enum ReadResult: Sendable {
        case touched(ScannedFile)
        case parsed(ScannedFile, RecordRows)
    }

    /// Results handed from the reading threads to the writing one, in file order.
    final class ReadPipeline: @unchecked Sendable {
        private var results: [ReadResult?]
        private let condition = NSCondition()
        private(set) var done = 0

        private var taken = 0
        /// Most results read ahead of the writer: bounds memory when writing is the slower side.
        private let capacity = 256

        init(count: Int) { results = Array(repeating: nil, count: count) }

        func put(_ batch: [(Int, ReadResult)]) -> Int {
            condition.lock()
            // Wait while far ahead of the writer, unless this batch is the one it waits for.
            while let first = batch.first?.0, first > taken + capacity { condition.wait() }
            for (index, result) in batch { results[index] = result }
            done += batch.count
            let count = done
            condition.broadcast()
            condition.unlock()
            return count
        }

        /// Waits for result `index`, and forgets it once taken.
        func take(_ index: Int) -> ReadResult {
            condition.lock()
            defer { condition.unlock() }
            while results[index] == nil { condition.wait() }
            let result = results[index]!
            results[index] = nil
            taken = index + 1
            condition.broadcast()
            return result
        }
    }

    static func readInParallel(
        _ files: [ScannedFile], root: URL, limit: Int, options: ParseOptions, known: [String: String],
        indexedAt: String, into pipeline: ReadPipeline,
        progress: (@Sendable (Int, Int) -> Void)?
    ) {
        // Every file read the confined way, each folder opened once: a file swapped for a link
        // leading out after the scan is refused, not read into the index.
        let reader = ConfinedFolder.Reader(ConfinedFolder(root: root))
        // Small chunks in file order: the writer waits little for the next file.
        let chunk = max(1, min(16, files.count / (ProcessInfo.processInfo.activeProcessorCount * 8)))
        let chunks = (files.count + chunk - 1) / chunk
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let racyBefore = (Int64(now.tv_sec) - 2) * 1_000_000_000 + Int64(now.tv_nsec)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunkIndex in
            var local: [(Int, ReadResult)] = []
            for index in (chunkIndex * chunk)..<min(files.count, (chunkIndex + 1) * chunk) {
                let file = files[index]
                // What is stored is what was read: its size, and the time taken before the read.
                // A time too recent to trust (file systems keep times in ticks of a few ms, so a
                // change in the same tick keeps the time) is stored as 0: the next run re-hashes it.
                var stored = file
                let document: RISDocument
                let digest: String
                // The bytes read (none for a file refused or gone, whatever its size on disk).
                var bytesRead = 0
                switch reader.read(file.path, limit: limit) {
                case .success(.some(let (data, stamp))):
                    stored.size = Int64(data.count)
                    bytesRead = data.count
                    stored.modified = max(stamp.modified, stamp.changed) >= racyBefore ? 0 : stamp.modified
                    stored.changed = stamp.changed
                    stored.inode = Int64(bitPattern: stamp.inode)
                    digest = IndexStore.hex(SHA256.hash(data: data))
                    if known[file.path] == digest {
                        local.append((index, .touched(stored)))
                        continue
                    }
                    document = DocumentParser.parse(data: data, path: file.path, options: options)
                case .success(.none):
                    digest = ""
                    document = DocumentParser.unreadable(
                        path: file.path, RISKitError(.unreadable, "cannot read the file: it is gone"))
                case .failure(let refusal):
                    digest = ""
                    document = DocumentParser.unreadable(
                        path: file.path, RISKitError(.unreadable, refusal.description))
                }
                let rows = RecordRows(
                    document, file: stored, bytesRead: bytesRead, sha256: digest, indexedAt: indexedAt)
                local.append((index, .parsed(stored, rows)))
            }
            let done = pipeline.put(local)
            progress?(done, files.count)
        }
    }

    /// Lower-case hexadecimal of a digest, without Foundation's formatter.
    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        for byte in digest {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The line of the record's first heading that names its symptom (`## Symptom`,
    /// `## Symptoms`), where `ris match` points for a record.
    static func symptomLine(of document: RISDocument) -> Int? {
        document.sections.filter { $0.heading.includesFolded("symptom") }.map(\.line).min()
    }

    /// The tables whose rows belong to a document (`docId`, `ON DELETE CASCADE` in the schema).
    static let childTables = [
        "complianceValue", "control", "field", "timelineEvent", "hotPattern", "tag", "link", "diagnostic", "framework",
        "complianceAttribute",
    ]

    /// Removes the document `docId` if it is still the one of `path`, and says whether it did.
    /// The rows a refresh compares with the walk are read before it takes the write lock: a
    /// refresh that wrote in between may have removed that document and given its rowid (the
    /// largest) to another file, which must stay.
    static func delete(docId: Int64, ifPathIs path: String, in db: Database) throws -> Bool {
        let current = try String.fetchOne(
            db.cachedStatement(sql: "SELECT path FROM document WHERE docId = ?"), arguments: [docId])
        guard current == path else { return false }
        try delete(docId: docId, in: db)
        return true
    }

    /// Removes a document and every row of it. The child rows are deleted here rather than by
    /// the schema's cascade, which needs foreign keys on (the refresh writes with them off).
    ///
    /// No statement here may open a savepoint, at which FTS5 writes out the terms it holds (a
    /// segment for each file a refresh replaces): a hot pattern's rows go one by one, by
    /// rowid, as a delete of several rows of a table with an index on an expression
    /// (`hotPattern_titleKey`) runs in a savepoint of its own.
    static func delete(docId: Int64, in db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM documentSearch WHERE rowid = ?").execute(arguments: [docId])
        let patterns = try Int64.fetchAll(
            db.cachedStatement(sql: "SELECT rowid FROM hotPattern WHERE docId = ? ORDER BY rowid"), arguments: [docId])
        for rowid in patterns {
            try db.cachedStatement(sql: "DELETE FROM hotPatternSearch WHERE rowid = ?").execute(arguments: [rowid])
            try db.cachedStatement(sql: "DELETE FROM hotPattern WHERE rowid = ?").execute(arguments: [rowid])
        }
        for table in childTables where table != "hotPattern" {
            try db.cachedStatement(sql: "DELETE FROM \(table) WHERE docId = ?").execute(arguments: [docId])
        }
        try db.cachedStatement(sql: "DELETE FROM document WHERE docId = ?").execute(arguments: [docId])
    }
}

/// Asks the kernel, every `interval`, to start writing a file's dirty pages to its disk
/// (`sync_file_range`), without waiting for them, until `finish`.
final class BackgroundWriteback: @unchecked Sendable {
    private let descriptor: Int32
    private let stop = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)

    /// Nil when `path` is not a regular file that can be opened (the refresh goes on: its
    /// commit syncs it all). Never follows a link, never waits on a FIFO.
    init?(path: String, interval: DispatchTimeInterval = .milliseconds(100)) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard descriptor >= 0 else { return nil }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
        // A thread of its own: it sleeps most of the time, and a blocked worker of Dispatch's
        // pool would be one fewer for the reading threads.
        let thread = Thread { [self] in
            while stop.wait(timeout: .now() + interval) == .timedOut {
                _ = ris_start_writeback(descriptor)
            }
            close(descriptor)
            stopped.signal()
        }
        thread.start()
    }

    private let finished = Mutex(false)

    /// Stops the writing and waits until the thread has closed the file (once; later calls
    /// return at once).
    func finish() {
        guard
            finished.withLock({ done in
                defer { done = true }
                return !done
            })
        else { return }
        stop.signal()
        stopped.wait()
    }
}

extension IndexStore {
    /// Documents in the index with at least one error (a partial index holds just those).
    static func documentsWithErrors(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM document WHERE errorCount > 0") ?? 0
    }
}
