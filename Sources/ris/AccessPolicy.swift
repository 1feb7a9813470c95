import ArgumentParser
import Foundation
import FrontMatter
import RISKit
import RISStore

/// Whether a record's reads and writes must be audited (`AccessPolicy`: fails closed).
func requiresAudit(_ document: RISDocument) -> Bool {
    AccessPolicy.requiresAudit(document)
}

/// Appends access events to the audit trail; a trail that cannot be written stops the command.
func recordAccess(_ base: KnowledgeBase, action: String, documents: [(path: String, id: String, sha256: String)], note: String = "") throws {
    guard !documents.isEmpty else { return }
    do {
        try AuditTrail(risFolder: base.risFolder).append(action: action, documents: documents, actor: AuditTrail.actor(), note: note)
    } catch {
        throw CLIFailure(message: "\(error)", code: 1)
    }
}

/// Logs the reads of the audited records among `paths` before a listing shows them. Where
/// `.ris` cannot be written (a read-only checkout) nothing can be logged: those records are
/// left out of the listing and a warning says how many, so the others can still be found.
/// Returns the paths left out.
func recordReadsOrWithhold(_ store: IndexStore, action: String, paths: [String]) throws -> Set<String> {
    let audited = try store.auditRequired(among: paths)
    guard store.isReadOnly, !audited.isEmpty else {
        try recordAccess(store.knowledgeBase, action: action, documents: audited)
        return []
    }
    Terminal.writeError(
        "ris: warning: \(audited.count) matching record(s) that require access auditing not shown: "
            + "\(Terminal.printable(store.knowledgeBase.risFolder.path)) cannot be written, so their reads cannot be logged")
    return Set(audited.map(\.path))
}

/// Records marked `encryption-required` live in their own (encrypted) file and in the
/// index, nowhere else: commands that would copy their text into another file refuse.
func refuseCopyIfEncryptionRequired(_ document: RISDocument, path: String, into what: String) throws {
    guard document.compliance.frameworks.contains(where: { $0.encryptionRequired?.value == true }) else { return }
    throw CLIFailure(
        message: "\(path) is marked encryption-required; its text is not copied into \(what) (nothing written)", code: 2)
}
