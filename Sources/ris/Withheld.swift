import Foundation
import RISWorkflows

/// Tells that a listing left out audited records it could not log (a read-only knowledge base).
func reportWithheld(_ count: Int) {
    guard count > 0 else { return }
    Terminal.writeError(
        "ris: warning: \(count) matching record(s) that require access auditing not shown: "
            + ".ris cannot be written, so their reads cannot be logged")
}
