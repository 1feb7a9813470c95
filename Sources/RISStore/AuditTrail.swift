import Crypto
import Foundation
import GRDB
import RISKit

#if canImport(Glibc)
    import Glibc
#endif

/// The access-audit trail: `.ris/audit.sqlite`, a chain of events (each holds the hash of the
/// one before). Not derived from the markdown: re-indexing never touches it, and a missing or
/// damaged trail is an error, never silently recreated. `.ris/audit.head` holds the count and
/// the last hash, so that removing the newest events is caught too; it may lag behind the
/// events by one interrupted append, which it records before the commit. What `verify` can
/// and cannot detect is in docs/compliance.md.
public final class AuditTrail: @unchecked Sendable {
    /// One event. JSON keys documented in docs/compliance.md.
    public struct Event: Sendable, Codable, Hashable {
        public var seq: Int64
        /// UTC, ISO 8601.
        public var at: String
        /// Who said they act (`RIS_ACTOR`, git's `user.email`, the login name): declared.
        public var actor: String
        /// The OS user ID of the process that logged the event: observed. Nil in format 1.
        public var uid: Int64?
        /// `read` or `write`, with the command: `read:show`, `write:review`.
        public var action: String
        public var path: String
        public var id: String
        public var contentSha256: String
        /// What the actor said (`ris review record --note`); empty for reads.
        public var note: String
        public var previousHash: String
        public var hash: String
        /// How `hash` is computed: 1, SHA-256 over newline-joined fields (an earlier ris);
        /// 2, SHA-256 (or HMAC-SHA256 with `keyId`) over length-prefixed fields.
        public var format: Int
        /// The ID of the key of the HMAC when the event is keyed; empty otherwise.
        public var keyId: String

        public func encode(to encoder: Encoder) throws {
            // Every key always present (`uid` null in format 1), so scripts see one shape.
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(seq, forKey: .seq)
            try container.encode(at, forKey: .at)
            try container.encode(actor, forKey: .actor)
            try container.encode(uid, forKey: .uid)
            try container.encode(action, forKey: .action)
            try container.encode(path, forKey: .path)
            try container.encode(id, forKey: .id)
            try container.encode(contentSha256, forKey: .contentSha256)
            try container.encode(note, forKey: .note)
            try container.encode(previousHash, forKey: .previousHash)
            try container.encode(hash, forKey: .hash)
            try container.encode(format, forKey: .format)
            try container.encode(keyId, forKey: .keyId)
        }
    }

    /// Why the trail cannot be used or does not hold (`StoreError.audit`, or `.auditRefused` when
    /// the mistake is the caller's: a refused key file, no git repository). One line for `ris: error:`.
    static func failure(_ description: String, usage: Bool = false) -> StoreError {
        usage ? .auditRefused(description) : .audit(description)
    }

    /// The trail at `url` cannot be written (`errno` says why): nothing audited is read or changed.
    static func unwritable(_ url: URL) -> StoreError {
        let reason = String(cString: strerror(errno))
        return failure(
            "the audit trail \(url.path) cannot be written (\(reason)): records that require access auditing are "
                + "not read or changed without it")
    }

    /// The format written by this ris.
    public static let currentFormat = 2

    public let risFolder: URL
    public var knowledgeBaseRoot: URL { risFolder.deletingLastPathComponent() }
    let databaseURL: URL
    let headURL: URL
    /// The knowledge base's files: the trail, its head and its lock are opened through it, so a
    /// link under `.ris/` is refused, never followed.
    private let files: ConfinedFolder
    private let database: DatabaseQueue
    private let columns: Set<String>
    /// The key of `RIS_AUDIT_KEY_FILE` for appends, read before anything is created.
    private let appendKey: AuditKey?

    /// Opens the trail of the knowledge base whose `.ris` folder is `folder` for appending;
    /// creates it on first use (neither the database nor its head exists, and git's history
    /// does not show that a trail was here). Never recreates a missing head or database.
    public convenience init(risFolder folder: URL) throws {
        try self.init(folder: folder, writable: true)
    }

    /// Opens an existing trail read-only (`ris audit log`, `ris audit verify`): nothing is
    /// created or changed. Nil when the knowledge base has no trail (neither file exists).
    public static func existing(in folder: URL) throws -> AuditTrail? {
        let confined = ConfinedFolder(root: folder.deletingLastPathComponent())
        if !confined.exists(.auditTrail) && !confined.exists(.auditHead) {
            return nil
        }
        return try AuditTrail(folder: folder, writable: false)
    }

    private static func files(in folder: URL) -> (database: URL, head: URL) {
        (folder.appendingPathComponent("audit.sqlite"), folder.appendingPathComponent("audit.head"))
    }

    deinit {
        DatabaseLifetime.retire(database)
    }

    private init(folder: URL, writable: Bool, restarting: Bool = false) throws {
        risFolder = folder
        (databaseURL, headURL) = AuditTrail.files(in: folder)
        files = ConfinedFolder(root: folder.deletingLastPathComponent())
        let url = databaseURL
        // Links under `.ris/` are refused before anything is opened (SQLite would follow them).
        _ = try files.databasePath(.auditTrail, create: false)
        // A refused key file stops the command before a trail is created or an event written.
        appendKey = writable ? try AuditKey.fromEnvironment(knowledgeBaseRoot: folder.deletingLastPathComponent()) : nil
        let exists = files.exists(.auditTrail)
        let headExists = files.exists(.auditHead)
        if !exists && headExists {
            throw AuditTrail.failure(
                "the audit trail \(url.path) is missing (its head \(headURL.lastPathComponent) is here): "
                    + "restore it from a backup or from git (`git checkout -- .ris/audit.sqlite`); it is never "
                    + "recreated silently"
            )
        }
        if writable && !exists {
            if access(folder.path, W_OK) != 0 { throw AuditTrail.unwritable(url) }
            // Before a new trail starts, git's history must not show an earlier one here:
            // deleting both files must not start a fresh trail without a word.
            if !restarting { try AuditTrail.refuseNewTrailWhereOneWas(folder: folder) }
            _ = try files.databasePath(.auditTrail, create: true)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        // Read-write even for reading when the folder allows it: a run killed mid-append leaves
        // a hot journal that SQLite must roll back before anything can be read. Reading still
        // creates and changes nothing (no schema, no head).
        configuration.readonly = !writable && access(folder.path, W_OK) != 0
        do {
            SQLiteSetUp.before()
            database = try DatabaseQueue(path: url.path, configuration: configuration)
            // Applied under the trail's lock: two runs creating a trail at once would both apply
            // `v1`. The check before it: each migration commits together with its record in
            // `grdb_migrations`, so "complete" is never read from a schema half made. The
            // columns are read next, outside a transaction (`read`'s isolation is four
            // statements more): a migration committed between the two only adds columns, and
            // "complete" was then false, so both are read again under the lock.
            let opened = database
            let readSchema = {
                try opened.unsafeRead { db in
                    (
                        complete: try AuditTrail.migrator.hasCompletedMigrations(db),
                        columns: Set(try Row.fetchAll(db, sql: "PRAGMA table_info(event)").map { $0["name"] as String })
                    )
                }
            }
            // A trail another run is creating at this moment may not read yet: read again under
            // the lock, after the migrator (a damaged one fails there, as before).
            let (complete, present) = try writable ? ((try? readSchema()) ?? (false, [])) : readSchema()
            if writable && !complete {
                try ConfinedFolder(root: folder.deletingLastPathComponent()).withLock(.lock("audit")) {
                    try AuditTrail.migrator.migrate(opened)
                }
                columns = try readSchema().columns
            } else {
                columns = present
            }
        } catch {
            if writable && access(folder.path, W_OK) != 0 {
                // Not damaged: this knowledge base cannot be written, so no access can be logged.
                throw AuditTrail.unwritable(url)
            }
            throw AuditTrail.failure(
                "the audit trail \(url.path) cannot be read (\(error)); it is never recreated silently: restore "
                    + "it from a backup"
            )
        }
        if writable && !files.exists(.auditHead) {
            try files.withLock(.lock("audit")) {
                guard !files.exists(.auditHead) else { return }
                let count = try database.read { db in try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM event") ?? 0 }
                if count > 0 {
                    throw AuditTrail.failure(
                        "the audit head \(headURL.path) is missing while the trail holds \(count) events: "
                            + "restore it from a backup or from git (`git checkout -- .ris/audit.head`); it is "
                            + "never recreated, since a recreated head would hide removed events"
                    )
                }
                // A trail created by a run killed before its head: finish the creation, unless
                // git's history shows a trail here (its events deleted along with the head).
                if !restarting { try AuditTrail.refuseNewTrailWhereOneWas(folder: folder) }
                try writeHead(Head(count: 0, hash: ""))
            }
        }
    }

    /// The trail's schema, in frozen migrations (like the index's, but never dropped: a trail
    /// is only ever migrated forward, and no migration rewrites an event). A trail made before
    /// the migrator has no `grdb_migrations` table: each migration checks what is there, so
    /// it is brought to the same schema without a change to its rows.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS event (
                        seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
                        path TEXT NOT NULL, id TEXT NOT NULL, contentSha256 TEXT NOT NULL, note TEXT NOT NULL,
                        previousHash TEXT NOT NULL, hash TEXT NOT NULL)
                    """)
        }
        migrator.registerMigration("v2") { db in
            // Format 2 events: the uid beside the declared actor, the key ID of a keyed chain.
            // Events of an earlier ris keep format 1 (the default) and verify as they did.
            let present = Set(try Row.fetchAll(db, sql: "PRAGMA table_info(event)").map { $0["name"] as String })
            if !present.contains("format") {
                try db.execute(sql: "ALTER TABLE event ADD COLUMN format INTEGER NOT NULL DEFAULT 1")
            }
            if !present.contains("uid") { try db.execute(sql: "ALTER TABLE event ADD COLUMN uid INTEGER") }
            if !present.contains("keyId") {
                try db.execute(sql: "ALTER TABLE event ADD COLUMN keyId TEXT NOT NULL DEFAULT ''")
            }
        }
        return migrator
    }

    /// Throws when git's history holds this knowledge base's trail: deleting the trail and its
    /// head (or its events and its head) must not start a fresh trail without a word.
    private static func refuseNewTrailWhereOneWas(folder: URL) throws {
        guard let commit = try AuditAnchors.earlierTrail(knowledgeBaseRoot: folder.deletingLastPathComponent()) else {
            return
        }
        throw AuditTrail.failure(
            "the audit trail \(folder.appendingPathComponent("audit.sqlite").path) or its head is missing or "
                + "empty, but commit \(commit.prefix(12)) of git's history holds this knowledge base's trail: "
                + "restore both files from a backup, or from git (`git checkout \(commit.prefix(12)) -- "
                + ".ris/audit.sqlite .ris/audit.head` for the committed copies); a new trail is never "
                + "started where one was without saying so: if it is lost for good, `ris audit "
                + "restart --reason TEXT`"
        )
    }

    /// The action of the first event of a trail started in place of a lost one.
    public static let restartAction = "audit:restart"

    /// Starts a new trail where git's history shows one that is lost for good (no backup, no
    /// committed copy): never silently. Its first event, `audit:restart`, names the newest
    /// commit holding the lost trail and says why; `verify` reports it every time, and fails
    /// until a head anchored after it vouches for it (a commit others see and review).
    public static func restart(risFolder folder: URL, reason: String, actor: String) throws -> Event {
        let files = AuditTrail.files(in: folder)
        let root = folder.deletingLastPathComponent()
        let hasEvents = try AuditTrail.existing(in: folder)?.events().isEmpty == false
        if ConfinedFolder(root: root).exists(.auditHead) || hasEvents {
            throw AuditTrail.failure(
                "the audit trail is here (\(files.database.path) or its head): nothing to restart; `ris audit "
                    + "verify` says what is wrong with it, and a missing file is restored from a backup or from git",
                usage: true)
        }
        guard let commit = try AuditAnchors.earlierTrail(knowledgeBaseRoot: root) else {
            throw AuditTrail.failure(
                "git's history holds no audit trail of this knowledge base: nothing to restart (a trail starts "
                    + "on first use)",
                usage: true)
        }
        var lost = "commit \(commit.prefix(12))"
        if case .heads(let heads, _) = AuditAnchors.history(knowledgeBaseRoot: root),
            let newest = heads.max(by: { $0.head.count < $1.head.count })
        {
            lost += ", whose history anchored up to \(newest.head.count) events (the last \(newest.head.hash))"
        }
        let trail = try AuditTrail(folder: folder, writable: true, restarting: true)
        try trail.append(
            action: restartAction, documents: [(path: ".ris/audit.sqlite", id: commit, sha256: "")], actor: actor,
            note: "\(reason) (replaces the trail lost after \(lost))")
        guard let first = try trail.events().first, first.action == restartAction else {
            throw AuditTrail.failure("the restart was not recorded as the first event of \(files.database.path)")
        }
        return first
    }

    // MARK: Hashes

    /// The hash of `event` as its format says; nil for a keyed event without its key.
    static func hash(_ event: Event, key: AuditKey?) -> String? {
        // Format 1 had neither a key nor a uid: an event claiming it with either is a rewrite
        // to the weaker hash (a keyed trail "recomputed" without the key), never a match.
        if event.format == 1 { return event.keyId.isEmpty && event.uid == nil ? legacyHash(event) : "" }
        let fields = canonicalFields(event)
        if event.keyId.isEmpty { return IndexStore.hex(SHA256.hash(data: fields)) }
        guard let key, key.id == event.keyId else { return nil }
        return IndexStore.hex(HMAC<SHA256>.authenticationCode(for: fields, using: key.symmetricKey))
    }

    /// Format 1 (an earlier ris): SHA-256 over the fields joined with `\n`, unescaped, so a
    /// note holding a newline can move a field boundary. Kept only to verify old events.
    static func legacyHash(_ event: Event) -> String {
        let text = [
            event.previousHash, String(event.seq), event.at, event.actor, event.action, event.path, event.id,
            event.contentSha256, event.note,
        ]
        .joined(separator: "\n")
        return IndexStore.hex(SHA256.hash(data: Data(text.utf8)))
    }

    /// Format 2: each field as its UTF-8 byte count, `:`, then its bytes. No byte of a field
    /// can be read as part of another, whatever it holds.
    static func canonicalFields(_ event: Event) -> Data {
        var data = Data()
        let fields = [
            "ris-audit-event", "2", String(event.seq), event.at, event.actor, event.uid.map(String.init) ?? "",
            event.action, event.path, event.id, event.contentSha256, event.note, event.previousHash, event.keyId,
        ]
        for field in fields {
            let bytes = Array(field.utf8)
            data.append(contentsOf: Array("\(bytes.count):".utf8))
            data.append(contentsOf: bytes)
        }
        return data
    }

    // MARK: The head

    /// `.ris/audit.head`: the number of events and the last hash, and, while an append runs,
    /// the count and last hash it is about to commit (`pending`).
    public struct Head: Sendable, Equatable {
        public var count: Int64
        public var hash: String
        public var pending: Pending?
        /// Written by an earlier ris (`COUNT HASH` on one line): it could lag without saying so.
        public var isLegacy = false

        public struct Pending: Sendable, Equatable {
            public var count: Int64
            public var hash: String
        }

        public init(count: Int64, hash: String, pending: Pending? = nil, isLegacy: Bool = false) {
            self.count = count
            self.hash = hash
            self.pending = pending
            self.isLegacy = isLegacy
        }

        var text: String {
            var text = "ris-audit-head 2\nevents \(count)\nlast \(hash)\n"
            if let pending { text += "pending \(pending.count) \(pending.hash)\n" }
            return text
        }

        /// Reads a head; nil when the text is no head. Accepts an earlier ris's one line.
        public static func parse(_ text: String) -> Head? {
            // A head checked out with CRLF line ends (core.autocrlf) is the same head: every CR
            // is dropped (scalar by scalar; Foundation's `replacingOccurrences` bridges to
            // NSString, whose conversion asks the runtime for conformances: a scan of every
            // conformance record of the binary, the first time in a run).
            var withoutCR = String.UnicodeScalarView()
            for scalar in text.unicodeScalars where scalar != "\r" { withoutCR.append(scalar) }
            let lines = String(withoutCR).split(separator: "\n", omittingEmptySubsequences: true)
                .map { $0.split(separator: " ").map(String.init) }
            guard let first = lines.first else { return nil }
            if first == ["ris-audit-head", "2"] {
                var head = Head(count: -1, hash: "")
                var sawLast = false
                for line in lines.dropFirst() {
                    switch (line.first, line.count) {
                    case ("events", 2): head.count = Int64(line[1]) ?? -1
                    case ("last", 1): sawLast = true
                    case ("last", 2): (head.hash, sawLast) = (line[1], true)
                    case ("pending", 3):
                        guard let count = Int64(line[1]) else { return nil }
                        head.pending = Pending(count: count, hash: line[2])
                    default: return nil
                    }
                }
                guard head.count >= 0, sawLast, (head.count == 0) == head.hash.isEmpty else { return nil }
                if let pending = head.pending, pending.count <= head.count || pending.hash.isEmpty { return nil }
                return head
            }
            guard lines.count == 1, first.count <= 2, let count = Int64(first[0]), count >= 0 else { return nil }
            let hash = first.count == 2 ? first[1] : ""
            guard (count == 0) == hash.isEmpty else { return nil }
            return Head(count: count, hash: hash, isLegacy: true)
        }
    }

    private func writeHead(_ head: Head) throws {
        do {
            try files.write(.auditHead, Data(utf8Of: head.text), permissions: 0o600)
        } catch {
            throw AuditTrail.failure("cannot write \(headURL.path): \(error)")
        }
    }

    /// The head as written, nil when missing; a file that is no head is an error.
    func readHead() throws -> Head? {
        guard let (data, _) = try files.read(.auditHead, limit: 1 << 16) else { return nil }
        guard let head = Head.parse(String(decoding: data, as: UTF8.self)) else {
            throw AuditTrail.failure(
                "\(headURL.path):1:1: the audit head is not a head (expected `ris-audit-head 2`, `events N`, "
                    + "`last HASH`): restore it from a backup or from git"
            )
        }
        return head
    }

    /// How the events stand against the head: agreeing (with a note when the head records an
    /// interrupted append), or not, with the problem (empty for a head of an earlier ris that
    /// lags: the caller decides from the events behind it). `hashAt(n)` is event n's hash.
    static func compare(head: Head, count: Int64, hashAt: (Int64) throws -> String?) rethrows -> (
        agrees: Bool, message: String
    ) {
        let last = count == 0 ? "" : (try hashAt(count) ?? "")
        if head.count == count && head.hash == last {
            if let pending = head.pending {
                return (
                    true,
                    "an append of events \(count + 1)–\(pending.count) was interrupted before its commit: nothing "
                        + "of it was logged"
                )
            }
            return (true, "")
        }
        let recorded = head.count == 0 ? "" : (head.count <= count ? (try hashAt(head.count) ?? "") : "")
        if let pending = head.pending, pending.count == count, pending.hash == last, head.count < count,
            recorded == head.hash
        {
            return (
                true,
                "the append of events \(head.count + 1)–\(count) was interrupted between its commit and the head's "
                    + "update; the next append completes the head"
            )
        }
        if head.count > count {
            return (false, "the trail has \(count) events but its head records \(head.count): the newest were removed")
        }
        if recorded != head.hash {
            return (false, "event \(head.count), the last one the head records, is not the one it records")
        }
        if head.isLegacy, head.pending == nil {
            // An earlier ris wrote its head after the commit without recording the append: the
            // caller looks at the events behind it (`isOneEarlierAppend`).
            return (false, "")
        }
        return (
            false,
            "the trail has \(count) events but its head records \(head.count) and no interrupted append: events "
                + "were added without ris, or the head was rolled back"
        )
    }

    /// Whether `events`, behind a head in an earlier ris's format, are what that ris left when
    /// killed between its commit and the head's write: one append (one time, actor, action and
    /// note), in its format 1. This ris records its appends in the head, so a lag over events
    /// of format 2 is never an interrupted append.
    private static func isOneEarlierAppend(_ events: ArraySlice<Event>) -> Bool {
        guard let first = events.first else { return false }
        return events.allSatisfy {
            $0.format == 1 && $0.at == first.at && $0.actor == first.actor && $0.action == first.action
                && $0.note == first.note
        }
    }

    // MARK: Appending

    /// Appends one event per document, in one transaction, keyed when `RIS_AUDIT_KEY_FILE`
    /// names a key. Refuses (and logs nothing) when the trail does not match its head, or is
    /// keyed and the key is not given: the read or write it logs does not happen either.
    public func append(
        action: String, documents: [(path: String, id: String, sha256: String)], actor: String, note: String = ""
    ) throws {
        // The actor is declared (ActingUser: RIS_ACTOR, git's user.email, the login name); each
        // event also records the OS user ID, which is observed.
        guard !documents.isEmpty else { return }
        let key = appendKey
        // One appender at a time from the head's check to its last write. The head records
        // the append before the commit and is completed after it: a run killed in between
        // leaves a head that says which append was interrupted, never a silent lag. A folder
        // that cannot be written (a read-only mount) is said as such, not as its lock's error.
        if access(risFolder.path, W_OK) != 0 { throw AuditTrail.unwritable(databaseURL) }
        try files.withLock(.lock("audit")) {
            guard let head = try readHead() else {
                throw AuditTrail.failure(
                    "the audit head \(headURL.path) is missing: restore it from a backup or from git (`git "
                        + "checkout -- .ris/audit.head`); it is never recreated"
                )
            }
            let completed = try appendEvents(
                action: action, documents: documents, actor: actor, note: note, head: head, key: key)
            // The folder's flush after this rename is also what makes the commit itself last:
            // SQLite's commit point is the deletion of `audit.sqlite-journal`, in this folder,
            // and SQLite does not flush the folder after it (only at `synchronous=EXTRA`).
            // Without it, a power loss could bring the journal back and roll the events back
            // after the read they log was shown.
            try writeHead(completed)
        }
    }

    private func appendEvents(
        action: String, documents: [(path: String, id: String, sha256: String)], actor: String, note: String,
        head: Head, key: AuditKey?
    ) throws -> Head {
        let at = Timestamp.iso8601()
        let uid = Int64(getuid())
        var result = head
        try database.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                let row = try Row.fetchOne(db, sql: "SELECT seq, hash, keyId FROM event ORDER BY seq DESC LIMIT 1")
                var seq: Int64 = row?[0] ?? 0
                var previous: String = row?[1] ?? ""
                let lastKeyId: String = row?[2] ?? ""
                try settle(head, count: seq, in: db)
                if !lastKeyId.isEmpty {
                    // An unkeyed event after a keyed one is what a rewrite without the key looks
                    // like, so ris never writes one.
                    guard let key else {
                        throw AuditTrail.failure(
                            "the audit trail is keyed (event \(seq) has key ID \(lastKeyId)): set "
                                + "RIS_AUDIT_KEY_FILE to its key file to log this access; nothing was logged"
                        )
                    }
                    guard key.id == lastKeyId else {
                        throw AuditTrail.failure(
                            "the audit trail is keyed with key ID \(lastKeyId) but \(key.path) holds key ID "
                                + "\(key.id): nothing was logged"
                        )
                    }
                }
                let base = Head(count: seq, hash: previous)
                // Prepared once for all the events of the append (a search logs up to 20).
                let insert = try db.cachedStatement(
                    sql: """
                        INSERT INTO event (seq, at, actor, action, path, id, contentSha256, note, previousHash, \
                        hash, format, uid, keyId)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                for document in documents {
                    guard seq < Int64.max - 1 else {
                        throw AuditTrail.failure(
                            "the audit trail's last event is numbered \(seq): no event can follow it (the trail "
                                + "was tampered with); nothing was logged"
                        )
                    }
                    seq += 1
                    var event = Event(
                        seq: seq, at: at, actor: actor, uid: uid, action: action, path: document.path, id: document.id,
                        contentSha256: document.sha256, note: note, previousHash: previous, hash: "",
                        format: AuditTrail.currentFormat, keyId: key?.id ?? "")
                    event.hash = AuditTrail.hash(event, key: key)!
                    try insert.execute(
                        arguments: [
                            event.seq, event.at, event.actor, event.action, event.path, event.id, event.contentSha256,
                            event.note, event.previousHash, event.hash, event.format, event.uid, event.keyId,
                        ])
                    previous = event.hash
                }
                // Recorded before the commit: a kill from here on leaves a head that names this append.
                try writeHead(Head(count: base.count, hash: base.hash, pending: .init(count: seq, hash: previous)))
                result = Head(count: seq, hash: previous)
                return .commit
            }
        }
        return result
    }

    /// Checks that the trail (`count` events) matches `head` before anything is appended, so
    /// an append never blesses removed or rewound events by writing a head over them.
    private func settle(_ head: Head, count: Int64, in db: Database) throws {
        let hashAt = { (seq: Int64) throws -> String? in
            try String.fetchOne(db, sql: "SELECT hash FROM event WHERE seq = ?", arguments: [seq])
        }
        let (agrees, message) = try AuditTrail.compare(head: head, count: count, hashAt: hashAt)
        if agrees { return }
        if message.isEmpty, head.count < count {
            let rows = try Row.fetchAll(
                db, sql: "SELECT at, actor, action, note, format FROM event WHERE seq > ?", arguments: [head.count])
            let events = rows.map {
                Event(
                    seq: 0, at: $0[0], actor: $0[1], uid: nil, action: $0[2], path: "", id: "", contentSha256: "",
                    note: $0[3],
                    previousHash: "", hash: "", format: $0[4], keyId: "")
            }
            if AuditTrail.isOneEarlierAppend(events[...]) { return }
        }
        let why =
            message.isEmpty
            ? "the trail has \(count) events but its head records \(head.count), and the events after it are not "
                + "one append"
            : message
        throw AuditTrail.failure(
            "the audit trail \(databaseURL.path) does not match its head: \(why). Nothing was logged, so the "
                + "record is not read or changed; run `ris audit verify`"
        )
    }

    /// Brings the head up to date after an interrupted append (completes it, or drops an
    /// append that never committed). Used before anchoring. Refuses a head that disagrees.
    public func settleHead() throws -> Head {
        try files.withLock(.lock("audit")) {
            guard let head = try readHead() else {
                throw AuditTrail.failure("the audit head \(headURL.path) is missing")
            }
            let last = try database.read { db in
                try Row.fetchOne(db, sql: "SELECT seq, hash FROM event ORDER BY seq DESC LIMIT 1")
            }
            let count: Int64 = last?[0] ?? 0
            try database.read { db in try settle(head, count: count, in: db) }
            let settled = Head(count: count, hash: last?[1] ?? "")
            if settled != head { try writeHead(settled) }
            return settled
        }
    }

    // MARK: Reading

    /// Events, oldest first, optionally since a day and for one path.
    public func events(since: String? = nil, path: String? = nil) throws -> [Event] {
        // A trail of an earlier ris has no format, uid or keyId column: its events are format 1.
        let format = columns.contains("format") ? "format" : "1"
        let uid = columns.contains("uid") ? "uid" : "NULL"
        let keyId = columns.contains("keyId") ? "keyId" : "''"
        guard !columns.isEmpty else { return [] }
        return try database.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT seq, at, actor, action, path, id, contentSha256, note, previousHash, hash, \(format), \
                    \(uid), \(keyId)
                    FROM event ORDER BY seq
                    """)
            return rows.map(AuditTrail.event(from:)).filter {
                ($0.at >= (since ?? "")) && (path == nil || $0.path == path)
            }
        }
    }

    /// An event from its row, each value read as what it may be in a tampered table (NULL, a
    /// number where text belongs): a value of another type reads as an impossible one, which
    /// verify then reports; never a crash.
    static func event(from row: Row) -> Event {
        func text(_ index: Int) -> String {
            let value: DatabaseValue = row[index]
            switch value.storage {
            case .string(let string): return string
            case .null: return "\u{0}NULL"
            default: return "\u{0}" + value.description
            }
        }
        func integer(_ index: Int) -> Int64? {
            let value: DatabaseValue = row[index]
            if case .int64(let number) = value.storage { return number }
            return nil
        }
        let uidValue: DatabaseValue = row[11]
        let uid: Int64? = uidValue.isNull ? nil : (integer(11) ?? -1)
        let format = Int(integer(10) ?? -1)
        let seq: Int64 = integer(0) ?? -1
        return Event(
            seq: seq, at: text(1), actor: text(2), uid: uid, action: text(3), path: text(4), id: text(5),
            contentSha256: text(6), note: text(7), previousHash: text(8), hash: text(9), format: format, keyId: text(12)
        )
    }

    // MARK: Verifying

    /// What `verify` found: `problems` each mean the trail does not hold; `checked` says what
    /// was checked and `unchecked` what could not be (no key, no anchors), so nothing is overstated.
    public struct Verification: Sendable, Codable {
        public var events: Int
        public var problems: [String] = []
        public var checked: [String] = []
        public var unchecked: [String] = []
        /// A restart (event 1) that no anchored head vouches for yet: the trail does not hold,
        /// but `ris audit anchor` may anchor it (that is how it gets vouched for).
        public var unanchoredRestart: String?
        public var holds: Bool { problems.isEmpty && unanchoredRestart == nil }

        public init(events: Int) { self.events = events }
    }

    /// Recomputes the chain, checks the head and, when given, the heads anchored in git.
    /// `key` checks keyed events; without it their hashes are reported as unchecked.
    public func verify(key: AuditKey?, anchors: AuditAnchors.History) throws -> Verification {
        let all = try events()
        var report = Verification(events: all.count)
        var previous = ""
        var expectedSeq: Int64 = 1
        var firstKeyed: Event?
        var newestFormat = 0
        var legacy = 0
        var keyedUnchecked = 0
        var firstProblem: String?
        func problem(_ text: String) {
            if firstProblem == nil { firstProblem = text }
            report.problems.append(text)
        }
        // The first break ends the walk: what follows it is one cause's many symptoms.
        for event in all {
            if event.seq != expectedSeq {
                problem("event \(expectedSeq) is missing (the next one is \(event.seq))")
                break
            }
            if event.previousHash != previous {
                problem("event \(event.seq) does not follow the event before it")
                break
            }
            if event.format != 1 && event.format != 2 {
                problem("event \(event.seq) has an unknown format \(event.format)")
                break
            }
            if event.format < newestFormat {
                problem(
                    "event \(event.seq) claims format \(event.format) after an event in format \(newestFormat): ris "
                        + "never writes that, so the events from \(event.seq) on were rewritten"
                )
                break
            }
            newestFormat = event.format
            if event.keyId.isEmpty, let keyed = firstKeyed {
                problem(
                    "event \(event.seq) is not keyed though event \(keyed.seq) before it is: ris never writes that, "
                        + "so the events from \(event.seq) on were rewritten without the key"
                )
                break
            }
            if !event.keyId.isEmpty {
                if firstKeyed == nil { firstKeyed = event }
                if let key, key.id != event.keyId {
                    problem(
                        "event \(event.seq) is keyed with key ID \(event.keyId) but \(key.path) holds key ID \(key.id)")
                    break
                }
            }
            if event.format == 1 && (!event.keyId.isEmpty || event.uid != nil) {
                problem(
                    "event \(event.seq) claims format 1 but carries a \(event.keyId.isEmpty ? "uid" : "key ID"), "
                        + "which format 1 never had: the events were rewritten to the weaker hash"
                )
                break
            }
            if event.format == 1 { legacy += 1 }
            if let expected = AuditTrail.hash(event, key: key) {
                if expected != event.hash {
                    problem("event \(event.seq) was altered (its hash does not match its content)")
                    break
                }
            } else {
                keyedUnchecked += 1
            }
            previous = event.hash
            expectedSeq += 1
        }
        let count = Int64(all.count)
        // The head.
        do {
            if let head = try readHead() {
                let (agrees, message) = AuditTrail.compare(head: head, count: count) { seq in
                    seq >= 1 && seq <= count ? all[Int(seq) - 1].hash : nil
                }
                if agrees {
                    report.checked.append(
                        message.isEmpty ? "the head records all \(count) events" : "the head: \(message)")
                } else if message.isEmpty, AuditTrail.isOneEarlierAppend(all[Int(head.count)...]) {
                    report.checked.append(
                        "the head (written by an earlier ris) lags by one append, events "
                            + "\(head.count + 1)–\(count): an earlier ris killed between its commit and the head's "
                            + "write leaves that; the next append completes the head"
                    )
                } else {
                    problem(
                        message.isEmpty
                            ? "the trail has \(count) events but its head records \(head.count), and the events "
                                + "after it are not one append"
                            : message)
                }
            } else if count > 0 {
                problem(
                    "the head \(headURL.lastPathComponent) is missing while the trail holds \(count) events: "
                        + "removing the newest events cannot be detected without it; restore it from a backup or "
                        + "from git"
                )
            } else {
                report.checked.append("no head yet (a trail created by a run killed before its head was written)")
            }
        } catch {
            problem("\(error)")
        }
        // Formats and keys: what the hashes prove.
        if legacy > 0 {
            report.checked.append(
                "events 1–\(legacy) are in format 1 (written by an earlier ris: SHA-256 over newline-joined fields, "
                    + "where a note holding a newline could move a field boundary); kept as written"
            )
        }
        if let firstKeyed {
            if key != nil, keyedUnchecked == 0 {
                report.checked.append(
                    "events \(firstKeyed.seq)–\(count) are keyed (HMAC-SHA256, key ID \(firstKeyed.keyId)), checked "
                        + "with the key: a chain recomputed without the key would not match"
                )
            } else if keyedUnchecked > 0 {
                report.unchecked.append(
                    "events \(firstKeyed.seq)–\(count) are keyed (key ID \(firstKeyed.keyId)): without the key "
                        + "(RIS_AUDIT_KEY_FILE) only their order and links were checked, not their content"
                )
            }
        } else if let key, count > 0, firstProblem == nil {
            problem(
                "\(key.path) was given but no event is keyed: either the key is new (the next access logged with it "
                    + "keys the trail from then on) or the trail was rewritten without it; the key vouches for "
                    + "nothing here"
            )
        } else if count > 0 {
            report.unchecked.append(
                "no event is keyed: anyone who can write .ris can rewrite an event and recompute the whole chain "
                    + "(set RIS_AUDIT_KEY_FILE to key it)"
            )
        }
        // A restarted trail: the anchors of the lost one (in commits up to the one event 1
        // names) are not this trail's; one anchored after the restart must vouch for it.
        var lostAnchors: Set<String> = []
        var restart: Event?
        if let first = all.first, first.action == AuditTrail.restartAction {
            restart = first
            lostAnchors = AuditAnchors.anchorCommits(upTo: first.id, knowledgeBaseRoot: knowledgeBaseRoot)
            report.checked.append(
                "event 1 restarts a lost trail (\(first.at), \(first.actor), uid "
                    + "\(first.uid.map(String.init) ?? "?")): \(first.note)"
            )
        }
        let vouching = "ris audit anchor, then merge that commit"
        // The anchors.
        switch anchors {
        case .notARepository:
            if restart != nil {
                report.unanchoredRestart = "event 1 restarts the trail, but outside git nothing can vouch for it"
            }
            report.unchecked.append(
                "not in a git repository: no anchored head to check; a rollback of both files to an older copy "
                    + "cannot be detected"
            )
        case .unavailable(let why):
            if restart != nil {
                report.unanchoredRestart =
                    "event 1 restarts the trail, but the anchors that vouch for it could not be read"
            }
            // A repository git refuses to read is not the absence of one: the anchors may well be
            // there, so the trail cannot be said to hold.
            report.problems.append(
                "git's history could not be read (\(why)): the trail cannot be checked against its anchors (fix "
                    + "git's access, e.g. `git config --global --add safe.directory \(knowledgeBaseRoot.path)`)"
            )
        case .heads(let allHeads, let unreadable):
            let heads = allHeads.filter { !lostAnchors.contains($0.commit) }
            if allHeads.count > heads.count {
                report.unchecked.append(
                    "\(allHeads.count - heads.count) anchored head(s) of the lost trail, in commits up to "
                        + "\(restart?.id.prefix(12) ?? ""), are not this trail's"
                )
            }
            if restart != nil, !heads.contains(where: { $0.head.count >= 1 }) {
                report.unanchoredRestart =
                    "event 1 restarts the trail, but no head anchored after the restart vouches for it: until one "
                    + "does, anyone who can write .ris could have made it (\(vouching))"
            }
            for commit in unreadable {
                report.unchecked.append(
                    "commit \(commit.prefix(12)) holds an audit head that cannot be read: not checked")
            }
            if heads.isEmpty {
                report.unchecked.append(
                    "no head is anchored in git's history (`ris audit anchor`): a rollback of both files to an "
                        + "older copy cannot be detected"
                )
            }
            var seen = Set<String>()
            for anchored in heads where seen.insert("\(anchored.head.count) \(anchored.head.hash)").inserted {
                let n = anchored.head.count
                if n > count {
                    report.problems.append(
                        "commit \(anchored.commit.prefix(12)) anchored \(n) events (the last "
                            + "\(anchored.head.hash.prefix(16))…), the trail has \(count): events were removed, or "
                            + "the trail was rolled back to an older copy"
                    )
                } else if n > 0, all[Int(n) - 1].hash != anchored.head.hash {
                    report.problems.append(
                        "commit \(anchored.commit.prefix(12)) anchored event \(n) as "
                            + "\(anchored.head.hash.prefix(16))…, the trail's event \(n) is "
                            + "\(all[Int(n) - 1].hash.prefix(16))…: the trail was rewritten, or a merge kept "
                            + "one side's trail and dropped the other's events"
                    )
                }
            }
            if let newest = heads.max(by: { $0.head.count < $1.head.count }) {
                let after = count - newest.head.count
                report.checked.append(
                    "\(seen.count) anchored head(s) in git's history (newest: commit \(newest.commit.prefix(12)), "
                        + "\(newest.head.count) events)"
                        + (after > 0
                            ? "; events \(newest.head.count + 1)–\(count) come after the newest anchor and could be "
                                + "rolled back undetected"
                            : ""))
            }
        }
        return report
    }
}

/// The key of a keyed chain: HMAC-SHA256 with the bytes of a file outside the knowledge base
/// (`RIS_AUDIT_KEY_FILE`), readable by its owner only. Without the key, anyone who can write
/// `.ris` can recompute a plain SHA-256 chain; with it, they cannot.
public struct AuditKey: Sendable {
    private let bytes: [UInt8]
    var symmetricKey: SymmetricKey { SymmetricKey(data: bytes) }
    /// Names the key in events (an HMAC of a fixed text: it tells nothing of the key).
    public let id: String
    public let path: String

    /// The key named by `RIS_AUDIT_KEY_FILE`, nil when it is not set.
    public static func fromEnvironment(knowledgeBaseRoot root: URL) throws -> AuditKey? {
        guard let path = ProcessEnvironment.value("RIS_AUDIT_KEY_FILE"), !path.isEmpty else { return nil }
        return try load(path: path, knowledgeBaseRoot: root)
    }

    /// Reads a key file; refuses one inside the knowledge base or its git work tree (it would
    /// be committed or copied with the trail it protects), one that others can read or write,
    /// one not owned by this user, and one shorter than 32 bytes.
    public static func load(path: String, knowledgeBaseRoot root: URL) throws -> AuditKey {
        func refuse(_ why: String) -> StoreError {
            AuditTrail.failure("\(path): RIS_AUDIT_KEY_FILE refused: \(why)", usage: true)
        }
        guard let real = realPath(path) else { throw refuse("cannot be read (\(String(cString: strerror(errno))))") }
        var insides = [realPath(root.path)].compactMap { $0 }
        if let top = AuditAnchors.topLevel(of: root).flatMap({ realPath($0) }) { insides.append(top) }
        for inside in insides where real == inside || real.hasPrefix(inside == "/" ? "/" : inside + "/") {
            throw refuse(
                "it is inside \(inside), whose files are copied and committed with the trail; keep the key outside")
        }
        let descriptor = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { throw refuse("cannot be opened (\(String(cString: strerror(errno))))") }
        defer { close(descriptor) }
        // Checked on the open file, so the file read is the file checked.
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            throw refuse("not a regular file")
        }
        guard status.st_mode & 0o077 == 0 else {
            throw refuse(
                "its mode \(String(status.st_mode & 0o777, radix: 8)) lets others read or write it; `chmod 600 \(path)`"
            )
        }
        guard status.st_uid == geteuid() else {
            throw refuse("it belongs to user \(status.st_uid), not to the user running ris (\(geteuid()))")
        }
        var bytes = [UInt8](repeating: 0, count: 4097)
        var length = 0
        while length < bytes.count {
            let result = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + length, $0.count - length) }
            if result < 0 && errno == EINTR { continue }
            guard result >= 0 else { throw refuse("cannot be read (\(String(cString: strerror(errno))))") }
            if result == 0 { break }
            length += result
        }
        guard length >= 32 else {
            throw refuse("it holds \(length) bytes; a key needs at least 32 (`head -c 32 /dev/urandom > FILE`)")
        }
        guard length <= 4096 else { throw refuse("it holds more than 4096 bytes: not a key file") }
        let key = SymmetricKey(data: bytes[..<length])
        let id = IndexStore.hex(HMAC<SHA256>.authenticationCode(for: Data("ris audit key id".utf8), using: key)).prefix(
            16)
        return AuditKey(bytes: Array(bytes[..<length]), id: String(id), path: path)
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

/// Heads anchored in git: each commit of the knowledge base's `.ris/audit.head` in the
/// history of HEAD (all of it, both sides of every merge). `ris audit anchor` makes one.
public enum AuditAnchors {
    /// One anchored head: the commit and the head it holds.
    public struct Anchored: Sendable {
        public var commit: String
        public var head: AuditTrail.Head
    }

    public enum History: Sendable {
        case notARepository
        case unavailable(String)
        /// Every readable anchored head, and the commits whose head could not be read.
        case heads([Anchored], unreadable: [String])
    }

    static let headPath = ".ris/audit.head"

    /// Runs git in `root`; stdout, exit status and stderr.
    static func git(_ arguments: [String], in root: URL, input: Data? = nil) -> (
        status: Int32, output: Data, error: String
    ) {
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["LC_ALL"] = "C"
        let result = ChildProcess.run(["git", "-C", root.path] + arguments, environment: environment, input: input)
        return (
            result.status, result.output,
            String(decoding: result.error, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        )
    }

    static func text(_ data: Data) -> String {
        String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The top of the git work tree holding `root`; nil outside one.
    static func topLevel(of root: URL) -> String? {
        let result = git(["rev-parse", "--show-toplevel"], in: root)
        return result.status == 0 ? text(result.output) : nil
    }

    /// `root`'s path inside its work tree (`examples/kb/`, empty at the top); nil outside one.
    static func prefix(of root: URL) -> String? {
        let result = git(["rev-parse", "--show-prefix"], in: root)
        return result.status == 0 ? text(result.output) : nil
    }

    /// Why git gave no prefix: nil when `root` is not in a repository at all, else git's own
    /// words (a repository git refuses to read, "dubious ownership", is not "no repository":
    /// taking it for one would skip the anchors without a word).
    static func failure(of root: URL) -> String? {
        let result = git(["rev-parse", "--show-prefix"], in: root)
        guard result.status != 0 else { return nil }
        return result.error.contains("not a git repository")
            ? nil : (result.error.isEmpty ? "git failed (exit \(result.status))" : result.error)
    }

    static func hasCommits(_ root: URL) -> Bool {
        git(["rev-parse", "-q", "--verify", "HEAD^{commit}"], in: root).status == 0
    }

    /// The newest commit of git's history that holds this knowledge base's trail (its head or
    /// its database); nil when none does, or outside git.
    static func earlierTrail(knowledgeBaseRoot root: URL) throws -> String? {
        guard prefix(of: root) != nil else {
            // A repository git will not read must not look like none: a new trail would start
            // where its history may hold one.
            if let failure = failure(of: root) {
                throw AuditTrail.failure(
                    "git cannot read the repository of \(root.path) (\(failure)); a new audit trail is not "
                        + "started without its history"
                )
            }
            return nil
        }
        guard hasCommits(root) else { return nil }
        let result = git(
            ["log", "--full-history", "-1", "--format=%H", "HEAD", "--", headPath, ".ris/audit.sqlite"], in: root)
        let commit = text(result.output)
        return result.status == 0 && !commit.isEmpty ? commit : nil
    }

    /// Every head of `.ris/audit.head` committed in the history of HEAD, merges' sides included.
    public static func history(knowledgeBaseRoot root: URL) -> History {
        guard let prefix = prefix(of: root) else {
            if let failure = failure(of: root) { return .unavailable(failure) }
            return .notARepository
        }
        guard hasCommits(root) else { return .heads([], unreadable: []) }
        let log = git(["log", "--full-history", "--format=%H", "HEAD", "--", headPath], in: root)
        guard log.status == 0 else { return .unavailable(log.error) }
        let commits = text(log.output).split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        guard !commits.isEmpty else { return .heads([], unreadable: []) }
        let requests = commits.map { "\($0):\(prefix)\(headPath)\n" }.joined()
        let batch = git(["cat-file", "--batch"], in: root, input: Data(requests.utf8))
        guard batch.status == 0 else { return .unavailable(batch.error) }
        var heads: [Anchored] = []
        var unreadable: [String] = []
        let bytes = [UInt8](batch.output)
        var offset = 0
        for commit in commits {
            guard let newline = bytes[offset...].firstIndex(of: 0x0A) else { break }
            let header = String(decoding: bytes[offset..<newline], as: UTF8.self).split(separator: " ")
            offset = newline + 1
            // `<object> missing`: the commit deleted the file.
            guard header.count == 3, header[1] == "blob", let size = Int(header[2]), offset + size <= bytes.count else {
                continue
            }
            let content = String(decoding: bytes[offset..<offset + size], as: UTF8.self)
            offset += size + 1
            if let head = AuditTrail.Head.parse(content) {
                heads.append(Anchored(commit: commit, head: head))
            } else {
                unreadable.append(commit)
            }
        }
        return .heads(heads, unreadable: unreadable)
    }

    /// The commits of `.ris/audit.head` reachable from `commit` (the anchors of a trail lost
    /// before a restart); empty when `commit` is not a commit of this repository.
    static func anchorCommits(upTo commit: String, knowledgeBaseRoot root: URL) -> Set<String> {
        guard commit.count == 40 || commit.count == 64, commit.allSatisfy(\.isHexDigit) else { return [] }
        let result = git(["rev-list", "--full-history", commit, "--", headPath], in: root)
        guard result.status == 0 else { return [] }
        return Set(text(result.output).split(separator: "\n").map(String.init))
    }

    /// Commits the knowledge base's `.ris/audit.head` (only that file, whatever else is
    /// staged) on the current branch, so the branch's history holds this head from now on.
    /// Returns the commit and whether it is new (nil commit: the same head was anchored already).
    public static func anchor(_ trail: AuditTrail, head: AuditTrail.Head) throws -> (commit: String, isNew: Bool) {
        let root = trail.knowledgeBaseRoot
        guard prefix(of: root) != nil else {
            throw AuditTrail.failure(
                "\(root.path) is not in a git repository: there is nowhere to anchor the audit head (`git "
                    + "init`, then commit the knowledge base)",
                usage: true)
        }
        let add = git(["add", "-f", "--", headPath], in: root)
        guard add.status == 0 else { throw AuditTrail.failure("git add \(headPath) failed: \(add.error)") }
        if hasCommits(root), git(["diff", "--cached", "--quiet", "HEAD", "--", headPath], in: root).status == 0 {
            let last = git(["log", "-1", "--format=%H", "HEAD", "--", headPath], in: root)
            return (text(last.output), false)
        }
        let message = "ris audit anchor: \(head.count) events, last \(head.hash.isEmpty ? "-" : head.hash)"
        // --only commits this path alone, leaving whatever else is staged as it was; hooks are
        // skipped since the commit holds one file of ris's own.
        let commit = git(
            [
                "-c", "core.hooksPath=/dev/null", "commit", "--only", "--no-verify", "--quiet", "-m", message, "--",
                headPath,
            ], in: root)
        guard commit.status == 0 else {
            throw AuditTrail.failure("git commit of \(headPath) failed: \(commit.error)")
        }
        return (text(git(["rev-parse", "HEAD"], in: root).output), true)
    }
}
