import Foundation
import RISWorkflows

/// Tells that a listing left out audited records it could not log (a read-only knowledge base).
func reportWithheld(_ count: Int, in session: KnowledgeBaseSession) {
    guard count > 0 else { return }
    Terminal.writeError(
        "ris: warning: \(count) matching record(s) that require access auditing not shown: "
            + "\(Terminal.printable(session.base.risFolder.path)) cannot be written, so their reads cannot be logged")
}
