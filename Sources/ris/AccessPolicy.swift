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

/// Records marked `encryption-required` live in their own (encrypted) file and in the
/// index, nowhere else: commands that would copy their text into another file refuse.
func refuseCopyIfEncryptionRequired(_ document: RISDocument, path: String, into what: String) throws {
    guard document.compliance.frameworks.contains(where: { $0.encryptionRequired?.value == true }) else { return }
    throw CLIFailure(
        message: "\(path) is marked encryption-required; its text is not copied into \(what) (nothing written)", code: 2)
}
