import CRISSearch
import Foundation
import FrontMatter
import GRDB
import RISKit

#if canImport(Glibc)
    import Glibc
#endif

/// The SQLite index of one knowledge base: `.ris/index.sqlite`. It is derived from the
/// markdown and can be deleted at any time; an outdated or corrupt one is rebuilt.
///
/// The one type that owns the database; its API exposes no GRDB type.
public final class IndexStore: @unchecked Sendable {
    public let knowledgeBase: KnowledgeBase
    /// Things the user should know that are not errors ("the index was corrupt and was rebuilt").
    public private(set) var notices: [String] = []
    /// The index was dropped on opening (damaged, of another version, not made here): it is
    /// empty until refreshed.
    public private(set) var wasRebuilt = false
    let database: DatabaseQueue
    /// What `match` weighs words by, kept while the index is unchanged.
    let documentFrequencies = DocumentFrequencies()
    /// The index file was new (empty) when opened: it is written in SQLite's rollback-journal
    /// mode until its first refresh is committed, then switched to WAL (`switchToWAL`).
    var awaitsWAL = false

    deinit {
        DatabaseLifetime.retire(database)
    }

    /// Opens (creating it, mode 0600, when missing) the index of `knowledgeBase`.
    public init(knowledgeBase: KnowledgeBase) throws {
        self.knowledgeBase = knowledgeBase
        // The index's folder and files are checked for links first (SQLite opens by path and
        // would follow one: a cloned `.ris/index.sqlite -> /elsewhere` made ris chmod the target).
        let writable = access(knowledgeBase.risFolder.path, W_OK) == 0
        var notices: [String] = []
        // ris makes its index 0600, owned by whoever runs it. One that is not came from
        // elsewhere (committed to git and checked out, put there by another user): its rows
        // (what is audited, above all) are not to be trusted, and it is derived: rebuilt.
        if writable, let status = knowledgeBase.files.status(.index),
            status.st_uid != geteuid() || status.st_mode & 0o077 != 0
        {
            notices.append(
                "the index .ris/index.sqlite was not made here by this user (owner uid \(status.st_uid), mode "
                    + "\(String(status.st_mode & 0o777, radix: 8))); rebuilding it from the markdown"
            )
            IndexStore.removeFiles(
                at: URL(fileURLWithPath: try knowledgeBase.files.databasePath(.index, create: false)))
            wasRebuilt = true
        }
        let url = URL(fileURLWithPath: try knowledgeBase.files.databasePath(.index, create: writable))
        let exists = FileManager.default.fileExists(atPath: url.path)
        guard writable else {
            // A read-only checkout (a mount, a CI cache, a colleague's folder): search the
            // index as it is, untouched; without one there is nothing to search.
            guard exists else {
                throw StoreError.readOnly(
                    "\(knowledgeBase.risFolder.path) cannot be written (\(String(cString: strerror(errno)))), and "
                        + "it holds no index to read; run ris index where the knowledge base can be written"
                )
            }
            database = try IndexStore.openReadOnly(url)
            isReadOnly = true
            self.notices = [
                "\(knowledgeBase.risFolder.path) cannot be written: the index is read as it was last built, not "
                    + "refreshed"
            ]
            return
        }
        do {
            (database, awaitsWAL) = try IndexStore.open(url)
        } catch let error as DatabaseError where [.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(error.resultCode) {
            notices.append(
                "the index \(url.path) was damaged (\(error.message ?? "corrupt")); rebuilding it from the markdown")
            IndexStore.removeFiles(at: url)
            (database, awaitsWAL) = try IndexStore.open(
                URL(fileURLWithPath: try knowledgeBase.files.databasePath(.index, create: true)))
            wasRebuilt = true
        } catch let error as OutdatedSchema {
            notices.append(
                error.applied.isEmpty
                    ? "the index \(url.path) holds tables ris did not make (no migrations of its own); rebuilding it"
                    : "the index was made by another version of ris (\(error.applied.joined(separator: ", "))); "
                        + "rebuilding it"
            )
            IndexStore.removeFiles(at: url)
            (database, awaitsWAL) = try IndexStore.open(
                URL(fileURLWithPath: try knowledgeBase.files.databasePath(.index, create: true)))
            wasRebuilt = true
        }
        self.notices = notices
    }

    /// The second connection a query split in two reads with (`rankedInOnePass`); nil on a
    /// machine of one processor. Made inside a read of `database`, whose queue runs one at a time.
    private(set) lazy var secondReader: SecondReader? =
        ProcessInfo.processInfo.activeProcessorCount > 1 ? SecondReader(path: database.path) : nil

    /// True when the knowledge base cannot be written: the index is read as it is.
    public private(set) var isReadOnly = false

    /// Opens an existing index without writing anything beside it: `immutable=1` tells
    /// SQLite that no one changes the file, so it needs no -shm or lock files.
    static func openReadOnly(_ url: URL) throws -> DatabaseQueue {
        let configuration = readOnlyConfiguration()
        let encoded =
            url.path.addingPercentEncoding(
                withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "?#"))) ?? url.path
        SQLiteSetUp.before()
        let queue = try DatabaseQueue(path: "file:\(encoded)?immutable=1", configuration: configuration)
        do {
            let applied = try queue.read { db -> Set<String> in
                try Schema.migrator.appliedIdentifiers(db)
            }
            guard applied == Set(Schema.migrator.migrations) else {
                throw StoreError.readOnly(
                    "the index was made by another version of ris and cannot be rebuilt here: the knowledge base is "
                        + "read-only"
                )
            }
        } catch {
            DatabaseLifetime.retire(queue)
            throw error
        }
        return queue
    }

    /// A connection that only reads, with the index's own SQL functions.
    static func readOnlyConfiguration() -> Configuration {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.prepareDatabase(IndexStore.registerFunctions)
        return configuration
    }

    /// The index's own SQL functions (`ris_snippet`, `ris_bm25`: see CRISSearch), on each connection.
    @Sendable static func registerFunctions(_ db: Database) throws {
        let code = ris_fts5_register(db.sqliteConnection)
        guard code == SQLITE_OK else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: "cannot register ris_snippet and ris_bm25")
        }
    }

    struct OutdatedSchema: Error {
        var applied: [String]
    }

    static func removeFiles(at url: URL) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            unlink(url.path + suffix)
        }
    }

    /// Opens the index at `url`, created 0600 (by `ConfinedFolder.databasePath`, before: the
    /// WAL files SQLite derives from it take its mode; the index holds the records' text).
    /// `awaitsWAL` is true for a new (empty) file, left in rollback-journal mode for its first
    /// build: the pages of a new database are written once, where WAL writes each twice (to the
    /// log, then into the file): 10-15% of a full index of 10,000 records. A journal of the
    /// pages that existed before (nearly none) keeps the build atomic all the same.
    static func open(_ url: URL) throws -> (queue: DatabaseQueue, awaitsWAL: Bool) {
        var status = stat()
        let isNew = stat(url.path, &status) == 0 && status.st_size == 0
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase(IndexStore.registerFunctions)
        configuration.prepareDatabase { db in
            // WAL lets searches read while an index run writes. Switching to it takes a lock that
            // SQLite does not wait for: retried for half a second (a second ris opening a new index at
            // the same moment), then left to a later run (another ris is building this index:
            // this one reads and writes in rollback mode meanwhile, as SQLite allows).
            if !isNew, try String.fetchOne(db, sql: "PRAGMA journal_mode")?.lowercased() != "wal" {
                try IndexStore.switchToWAL(db, attempts: 25)
            }
            // SQLite's default page cache (2 MB): a search is one short process, and every page a
            // larger cache holds is memory first touched (a phrase search at 100k took 130 ms and
            // 80 MB with 64 MB, 75 ms with the default). A refresh writes with it too: since
            // FTS5 holds 8 MB of terms before it writes (schema v12), a 64 MB cache made a full
            // index of 10,000 records slower (1,535 against 1,501 ms), 100,000 no quicker, and
            // took 60 MB more at the peak.
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY")
            try IndexStore.keepWriteAheadLog(db)
        }
        SQLiteSetUp.before()
        let queue = try DatabaseQueue(path: url.path, configuration: configuration)
        do {
            let migrator = Schema.migrator
            // One read answers everything on the common path: the schema is this version's (a
            // file that is not a database fails as the queue opens). One statement, outside a
            // transaction (`read`'s isolation is four statements more), where `tableExists`
            // loaded the whole schema. When it fails (no `grdb_migrations` yet, or another run
            // creating it at this moment), the table is looked for in the same snapshot.
            let applied: Set<String>
            do {
                applied = try queue.unsafeRead { db in try migrator.appliedIdentifiers(db) }
            } catch {
                applied = try queue.read { db in
                    try db.tableExists("grdb_migrations") ? try migrator.appliedIdentifiers(db) : []
                }
            }
            let known = Set(migrator.migrations)
            // No migrations table, but tables: another program's database (or a ris's before
            // its migrations), which the migrations would only collide with: not an index of
            // this ris's, so it is rebuilt. (A ris making the index creates that table first.)
            if applied.isEmpty, !isNew,
                try queue.read({ db in
                    try !db.tableExists("grdb_migrations")
                        && Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_master)") == true
                })
            {
                throw OutdatedSchema(applied: [])
            }
            if applied.isEmpty || (applied != known && applied.isSubset(of: known)) {
                // A new index, or one an earlier ris made: its frozen migrations are a prefix of
                // these, so the rest is applied (and the rows are re-read, see `refresh`).
                // Another ris may be migrating at the same moment: each migration is its own
                // transaction, so this one can fail on a table the other has just created.
                // Try again (what failed was rolled back) until the schema is complete.
                // A new file's migrations are twelve transactions of three syncs each (40 ms of a
                // first build): not synced, as the file holds no record yet. The first refresh's
                // commit syncs the whole file; a power loss before it can tear the file, as it can
                // any file being made, and an index that does not read is rebuilt.
                if isNew { try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = OFF") } }
                // 8 KB pages for a new file (SQLite's default is 4 KB; an index keeps the size it
                // was made with): a full index of 10,000 records writes half as many pages, 3.6%
                // quicker (1,354 -> 1,305 ms), and searches read the same within 0.1 ms at 10k
                // (a rare word at 100k +0.5 ms, a phrase -1 ms). 16 KB cost a rare word 0.3-0.6 ms.
                if isNew {
                    try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA page_size = 8192") }
                }
                let migrated = Result { try migrateRetrying(migrator, queue, known: known) }
                // NORMAL again, and checked (the migrations' own error, if any, is the one said).
                let restored = Result {
                    guard isNew else { return }
                    try queue.writeWithoutTransaction { db in
                        try IndexStore.setPragma(
                            "synchronous", "NORMAL", readsAs: 1, db,
                            failure: "\(url.path): synchronous writes could not be turned on again")
                    }
                }
                try migrated.get()
                try restored.get()
            } else if applied != known {
                try? queue.close()
                throw OutdatedSchema(applied: applied.sorted())
            }
        } catch {
            try? queue.close()
            DatabaseLifetime.retire(queue)
            throw error
        }
        return (queue, isNew)
    }

    /// The write-ahead log and its index (`-wal`, `-shm`) are kept when the last connection
    /// closes, the log cut to nothing: each search otherwise made both files again and unlinked
    /// them at its end, 0.15-0.25 ms of a 10 ms search. The size limit is what makes SQLite cut
    /// the log at that close (and after a checkpoint, to 64 MB), so a large refresh does not
    /// leave its log's size on the disk.
    static func keepWriteAheadLog(_ db: Database) throws {
        try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
        var keep: Int32 = 1
        let code = sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_PERSIST_WAL, &keep)
        guard code == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "cannot keep the write-ahead log")
        }
    }

    /// `PRAGMA name = value`, read back as `expected`: SQLite ignores some settings without a
    /// word (foreign keys inside a transaction), and one that a long-lived connection keeps must
    /// hold. Throws `failure` when it does not.
    static func setPragma(_ name: String, _ value: String, readsAs expected: Int, _ db: Database, failure: String)
        throws
    {
        try db.execute(sql: "PRAGMA \(name) = \(value)")
        guard try Int.fetchOne(db, sql: "PRAGMA \(name)") == expected else { throw StoreError.database(failure) }
    }

    /// `migrator`'s migrations applied to `queue`, retried while another ris migrates the same
    /// file at the same moment (each migration is its own transaction).
    private static func migrateRetrying(_ migrator: DatabaseMigrator, _ queue: DatabaseQueue, known: Set<String>)
        throws
    {
        var attempts = 0
        while true {
            do {
                try migrator.migrate(queue)
                break
            } catch let error as DatabaseError
                where [.SQLITE_ERROR, .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_CONSTRAINT].contains(
                    error.resultCode)
            {
                // A table "already exists", the other holds the lock, or it recorded the
                // same migration first (one that can run twice, such as v11's stamp, then
                // fails on `grdb_migrations`' unique identifier): anything else (a full
                // disk, a read-only file) is said at once.
                let now = try queue.read { db in try migrator.appliedIdentifiers(db) }
                if now == known { break }
                attempts += 1
                if attempts >= 50 { throw error }
                usleep(20_000)
            }
        }
    }

    /// `PRAGMA journal_mode = WAL`, tried `attempts` times 20 ms apart while another connection
    /// holds the lock it needs; true when the index is in WAL mode.
    @discardableResult
    static func switchToWAL(_ db: Database, attempts: Int) throws -> Bool {
        var tried = 0
        while true {
            do {
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                return true
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
                tried += 1
                if tried >= attempts { return false }
                usleep(20_000)
            }
        }
    }
}

/// A second read-only connection to the index, for the half of a query read on another thread
/// (`IndexStore.rankedInOnePass`): opened ahead by `openAhead`, or on first use. The path is the
/// first connection's, a read-only index's `immutable=1` URI included.
final class SecondReader: @unchecked Sendable {
    /// Knowledge bases smaller than this read a query in one piece: a phrase of two common
    /// words took as long split at 10,000 records (14.3 ms; the half saved is about what
    /// opening a connection and starting a thread cost) and 6 ms less at 100,000. A variable
    /// for the tests, which split smaller indexes.
    var minimumDocuments = 20_000

    private let path: String
    private let lock = NSLock()
    private var queue: DatabaseQueue?
    /// How many halves this connection started to read: it read the generation of the
    /// connection that split the query (the tests' way to see that a query was split).
    private(set) var halvesRead = 0

    init(path: String) { self.path = path }

    deinit {
        if let queue { DatabaseLifetime.retire(queue) }
    }

    /// `work` in a read transaction of the second connection, one caller at a time.
    func read<T>(_ work: (Database) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try open().read(work)
    }

    /// Notes a half read (`halvesRead`); called inside `read`, under its lock.
    func noteHalfRead() { halvesRead += 1 }

    /// Opens the connection on another thread, while the caller decides whether to split a
    /// query (`IndexStore.matches`): the connection is open, and a thread of the pool is
    /// started, when the query is split (starting one took 0.2 to 4 ms). The caller waits for
    /// the result before it returns, so that no thread of it outlives the search that started it.
    func openAhead() -> IndexStore.Concurrently<Void> {
        IndexStore.Concurrently { [self] in
            lock.lock()
            defer { lock.unlock() }
            _ = try? open()
        }
    }

    /// The connection, opened on first use (the caller holds the lock).
    private func open() throws -> DatabaseQueue {
        if let queue { return queue }
        let opened = try DatabaseQueue(path: path, configuration: IndexStore.readOnlyConfiguration())
        queue = opened
        return opened
    }
}
