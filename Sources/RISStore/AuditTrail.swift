import Crypto
import Foundation
import GRDB
import RISKit

#if canImport(Glibc)
import Glibc
#endif

/// The access-audit trail: `.ris/audit.sqlite`, a chain of events (each holds the SHA-256 of
/// the one before). Not derived from the markdown: re-indexing never touches it, and a missing
/// or damaged trail is an error, never silently recreated. `.ris/audit.head` holds the count
/// and the last hash, so that removing the newest events is caught too.
public final class AuditTrail: @unchecked Sendable {
    /// One event. JSON keys documented in docs/compliance.md.
    public struct Event: Sendable, Codable, Hashable {
        public var seq: Int64
        /// UTC, ISO 8601.
        public var at: String
        public var actor: String
        /// `read` or `write`, with the command: `read:show`, `write:review`.
        public var action: String
        public var path: String
        public var id: String
        public var contentSha256: String
        /// What the actor said (`ris review record --note`); empty for reads.
        public var note: String
        public var previousHash: String
        public var hash: String
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    private let database: DatabaseQueue
    private let headURL: URL
    private let lockURL: URL

    /// Opens the trail of the knowledge base whose `.ris` folder is `folder`; creates it on
    /// first use (neither the database nor its head exists).
    public init(risFolder folder: URL) throws {
        let url = folder.appendingPathComponent("audit.sqlite")
        headURL = folder.appendingPathComponent("audit.head")
        lockURL = folder.appendingPathComponent("audit.lock")
        let exists = FileManager.default.fileExists(atPath: url.path)
        let headExists = FileManager.default.fileExists(atPath: headURL.path)
        if !exists && headExists {
            throw Failure(description: "the audit trail \(url.path) is missing (its head \(headURL.lastPathComponent) is here): restore it from a backup; it is never recreated silently")
        }
        if !exists {
            let descriptor = Glibc.open(url.path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
            if descriptor >= 0 { close(descriptor) }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        do {
            database = try DatabaseQueue(path: url.path, configuration: configuration)
            try database.write { db in
                try db.execute(sql: """
                    CREATE TABLE IF NOT EXISTS event (
                        seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
                        path TEXT NOT NULL, id TEXT NOT NULL, contentSha256 TEXT NOT NULL, note TEXT NOT NULL,
                        previousHash TEXT NOT NULL, hash TEXT NOT NULL)
                    """)
            }
        } catch {
            if access(folder.path, W_OK) != 0 {
                // Not damaged: this knowledge base cannot be written, so no access can be logged.
                throw Failure(description: "the audit trail \(url.path) cannot be written (\(String(cString: strerror(errno)))): records that require access auditing are not read or changed without it")
            }
            throw Failure(description: "the audit trail \(url.path) cannot be read (\(error)); it is never recreated silently: restore it from a backup")
        }
        if !headExists { try writeHead(count: 0, hash: "") }
    }

    static func hash(_ event: Event) -> String {
        let text = [event.previousHash, String(event.seq), event.at, event.actor, event.action, event.path, event.id, event.contentSha256, event.note]
            .joined(separator: "\n")
        return IndexStore.hex(SHA256.hash(data: Data(text.utf8)))
    }

    private func writeHead(count: Int64, hash: String) throws {
        do {
            try AtomicFile.write(Data("\(count) \(hash)\n".utf8), to: headURL, permissions: 0o600)
        } catch {
            throw Failure(description: "cannot write \(headURL.path): \(error)")
        }
    }

    /// Who is acting: `RIS_ACTOR`, else git's `user.email`, else the login name.
    public static func actor() -> String {
        let environment = ProcessInfo.processInfo.environment
        if let actor = environment["RIS_ACTOR"], !actor.isEmpty { return actor }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "config", "user.email"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        if (try? process.run()) != nil {
            process.waitUntilExit()
            let email = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if process.terminationStatus == 0, !email.isEmpty { return email }
        }
        return environment["USER"] ?? environment["LOGNAME"] ?? "unknown"
    }

    /// Appends one event per document, in one transaction.
    public func append(action: String, documents: [(path: String, id: String, sha256: String)], actor: String, note: String = "") throws {
        guard !documents.isEmpty else { return }
        // One appender at a time from the commit to the head's write, so heads are written in
        // order. The head is written after the commit: a run killed in between leaves a head
        // one append behind, which `verify` accepts and the next append brings up to date;
        // a head ahead of the events can only mean events were removed.
        try FileLock.withLock(lockURL) {
            let (count, last) = try appendEvents(action: action, documents: documents, actor: actor, note: note)
            try writeHead(count: count, hash: last)
        }
    }

    private func appendEvents(action: String, documents: [(path: String, id: String, sha256: String)], actor: String, note: String) throws -> (Int64, String) {
        let at = ISO8601DateFormatter().string(from: Date())
        var result: (Int64, String) = (0, "")
        try database.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM event ORDER BY seq DESC LIMIT 1")
                var seq: Int64 = row?[0] ?? 0
                var previous: String = row?[1] ?? ""
                for document in documents {
                    seq += 1
                    var event = Event(seq: seq, at: at, actor: actor, action: action, path: document.path, id: document.id,
                                      contentSha256: document.sha256, note: note, previousHash: previous, hash: "")
                    event.hash = AuditTrail.hash(event)
                    try db.execute(sql: """
                        INSERT INTO event (seq, at, actor, action, path, id, contentSha256, note, previousHash, hash)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [event.seq, event.at, event.actor, event.action, event.path, event.id, event.contentSha256,
                                         event.note, event.previousHash, event.hash])
                    previous = event.hash
                }
                result = (seq, previous)
                return .commit
            }
        }
        return result
    }

    /// Events, oldest first, optionally since a day and for one path.
    public func events(since: String? = nil, path: String? = nil) throws -> [Event] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, at, actor, action, path, id, contentSha256, note, previousHash, hash FROM event ORDER BY seq").map { row in
                Event(seq: row[0], at: row[1], actor: row[2], action: row[3], path: row[4], id: row[5], contentSha256: row[6],
                      note: row[7], previousHash: row[8], hash: row[9])
            }.filter { ($0.at >= (since ?? "")) && (path == nil || $0.path == path) }
        }
    }

    /// Recomputes the chain. Returns nil when it holds, else a description of the first broken event.
    public func verify() throws -> String? {
        let all = try events()
        var previous = ""
        var expectedSeq: Int64 = 1
        for event in all {
            if event.seq != expectedSeq { return "event \(expectedSeq) is missing (the next one is \(event.seq))" }
            if event.previousHash != previous { return "event \(event.seq) does not follow the event before it" }
            if AuditTrail.hash(event) != event.hash { return "event \(event.seq) was altered (its hash does not match its content)" }
            previous = event.hash
            expectedSeq += 1
        }
        let head = (try? String(contentsOf: headURL, encoding: .utf8))?.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? []
        guard head.count >= 1, let count = Int64(head[0]), count >= 0 else {
            return "the head \(headURL.lastPathComponent) is missing or unreadable"
        }
        if count > Int64(all.count) {
            return "the trail has \(all.count) events but its head records \(count): the newest were removed"
        }
        // The head may lag behind by the events of a run killed after its commit.
        let recorded = count == 0 ? "" : all[Int(count) - 1].hash
        if head.count >= 2, head[1] != recorded { return "event \(count), the last one the head records, is not the one it records" }
        if head.count < 2, count > 0 { return "the head \(headURL.lastPathComponent) is missing or unreadable" }
        return nil
    }
}
