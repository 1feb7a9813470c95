import Foundation
import RISKit
import RISStore

/// Why a workflow stopped. Each case has one exit status, decided here for every command.
public enum WorkflowError: Error, CustomStringConvertible, Sendable {
    /// The request cannot be carried out as asked (a query, a path outside the knowledge base,
    /// an ambiguous reference): exit 2.
    case usage(String)
    /// The request was sound but failed (a file, the audit trail, the disk): exit 1.
    case failure(String)

    public var description: String {
        switch self {
        case .usage(let message), .failure(let message): message
        }
    }

    /// The process exit status for this error: 2 for usage, 1 for a failure.
    public var exitStatus: Int32 {
        switch self {
        case .usage: 2
        case .failure: 1
        }
    }

    /// Runs `body`, turning the library's typed refusals into workflow errors: a path leading
    /// outside the knowledge base is a usage error, anything else a failure.
    static func mapping<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as WorkflowError {
            throw error
        } catch let error as RISKitError {
            let message =
                error.kind == .outside || error.kind == .refused
                ? "\(error)" + (error.description.contains("nothing written") ? "" : "; nothing written") : "\(error)"
            throw error.isUsage ? WorkflowError.usage(message) : WorkflowError.failure(message)
        } catch let error as StoreError {
            throw error.isUsage ? WorkflowError.usage("\(error)") : WorkflowError.failure("\(error)")
        }
    }
}
