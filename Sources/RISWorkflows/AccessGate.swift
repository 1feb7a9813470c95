import Foundation
import RISKit
import RISStore

/// What an access event says was done.
public enum AccessAction: String, Sendable, CaseIterable {
    case show = "read:show"
    case search = "read:search"
    case similar = "read:similar"
    case match = "read:match"
    case patternList = "read:pattern-list"
    case patternShow = "read:pattern-show"
    case patternAdd = "read:pattern-add"
    case parse = "read:parse"
    case generateArticle = "read:kb-generate"
    case exportReview = "read:export"
    case createRecordSource = "read:add"
    case createRecord = "write:add"
    case recordReview = "write:review"
    /// The record opened in an editor (`ris edit`): a person sees all of it.
    case edit = "read:edit"
    /// The record changed in the editor.
    case editWritten = "write:edit"
}

/// A record as read: where, which, and the digest of the very bytes read.
public struct RecordRead: Sendable, Hashable {
    public var path: String
    public var id: String
    public var sha256: String

    public init(path: String, id: String, sha256: String) {
        self.path = path
        self.id = id
        self.sha256 = sha256
    }

    public init(path: String, document: RISDocument, data: Data) {
        self.init(path: path, id: document.id, sha256: ContentDigest.sha256(data))
    }
}

/// The access policy in one place: which reads and writes are logged (`AccessPolicy`:
/// records that require access auditing, failing closed), and what happens when they cannot
/// be (the read or write does not happen). Every workflow that shows or changes record
/// content calls it before the content leaves.
public struct AccessGate: Sendable {
    let base: KnowledgeBase
    /// Who is acting, asked only when an event is appended (git's `user.email` costs a process).
    let actor: @Sendable () -> ActingUser
    /// Through what the person acts, when not the command line (`mcp client claude-code 1.2`):
    /// the note of every event logged.
    var via: String = ""

    /// Whether reads and writes of `document` are logged.
    public func isAudited(_ document: RISDocument) -> Bool { AccessPolicy.requiresAudit(document) }

    /// Logs a read or write of `document` when it is audited; a trail that cannot be written
    /// stops the workflow (exit 1) before the content is shown or the change is made.
    public func log(_ action: AccessAction, _ document: RISDocument, path: String, data: Data) throws {
        guard isAudited(document) else { return }
        try append(action, [RecordRead(path: path, document: document, data: data)])
    }

    /// Logs reads of records already known to be audited (the index says which).
    func append(_ action: AccessAction, _ reads: [RecordRead], note: String = "") throws {
        guard !reads.isEmpty else { return }
        do {
            try AuditTrail(risFolder: base.risFolder).append(
                action: action.rawValue, documents: reads.map { ($0.path, $0.id, $0.sha256) }, actor: actor().name,
                note: [via, note].filter { !$0.isEmpty }.joined(separator: "; "))
        } catch {
            throw WorkflowError.failure("\(error)")
        }
    }

    /// The reads of the audited records among `paths`, as the index knows them.
    func auditedReads(among paths: [String], in store: IndexStore) throws -> [RecordRead] {
        try store.auditRequired(among: paths).map { RecordRead(path: $0.path, id: $0.id, sha256: $0.sha256) }
    }

    /// Logs the reads of the audited records among `items` before a listing shows them. Where
    /// `.ris` cannot be written nothing can be logged: those records are left out instead (and
    /// counted), so the others can still be found.
    ///
    /// `checkingFiles`: the index was not compared with the files (`refresh-interval`), so a
    /// record may have become audited since: a file that now writes an access-audit key at all
    /// (`AccessPolicy.accessAuditKeys`, failing closed) is logged too, with the digest of the
    /// bytes read now.
    func listing<Item: Sendable>(
        _ items: [Item], path: (Item) -> String, _ action: AccessAction, in store: IndexStore,
        checkingFiles: Bool = false
    ) throws -> Listing<Item> {
        var audited = try auditedReads(among: items.map(path), in: store)
        if checkingFiles {
            let known = Set(audited.map(\.path))
            for item in items where !known.contains(path(item)) {
                guard let read = try? base.files.read(path(item)),
                    AccessPolicy.accessAuditKeys(in: String(decoding: read.data, as: UTF8.self)) > 0
                else { continue }
                let id = (try? store.resolve(path(item))).flatMap { resolution -> String? in
                    if case .found(let document) = resolution { return document.id }
                    return nil
                }
                audited.append(
                    RecordRead(path: path(item), id: id ?? "", sha256: ContentDigest.sha256(read.data)))
            }
        }
        guard store.isReadOnly && !audited.isEmpty else {
            try append(action, audited)
            return Listing(items: items, withheld: 0)
        }
        let withheld = Set(audited.map(\.path))
        return Listing(items: items.filter { !withheld.contains(path($0)) }, withheld: withheld.count)
    }
}
