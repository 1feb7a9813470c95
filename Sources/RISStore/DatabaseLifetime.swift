import Foundation
import GRDB

/// When this process's database queues are let go.
///
/// Releasing a GRDB queue releases its dispatch queue, which holds a value GRDB attached to it
/// (`setSpecific`); libdispatch runs the destructor of such a value on a global queue, and the
/// first time in a process that starts two threads (a worker and its event manager). In a
/// 10 ms search that was about half a millisecond of CPU, paid while the results were being
/// written and again when the process ended with the threads alive.
///
/// A short command-line run (`ris`) therefore keeps the queue of each store that goes, and
/// closes them all when its command is done (`closeKeptQueues`: SQLite does what it does at a
/// close, the index's log checkpointed and cut); the process then exits with no queue
/// released (an audit trail that fails partway through its opening still releases its own).
/// A long-lived process (`ris mcp`) does not call `keepQueuesUntilExit`, and its queues are
/// released as usual.
public enum DatabaseLifetime {
    /// Called once, before its command runs, by a process that runs one command and exits.
    public static func keepQueuesUntilExit() { kept.setKeeping(true) }

    /// Closes the queues kept so far (each that closes; one with a statement still open stays
    /// open, and SQLite recovers what it leaves as after any exit). Called when the command is
    /// done, before the process exits; the queues stay kept.
    public static func closeKeptQueues() { kept.closeAll() }

    /// `queue`, no longer used by its store: kept when the process keeps its queues. It is
    /// not closed here: whoever still holds it (a statement, a caller of the store's
    /// `database`) may still use it until the command is done.
    static func retire(_ queue: DatabaseQueue) { kept.retire(queue) }

    /// How many queues are kept (for the tests).
    static var keptCount: Int { kept.count }

    /// Stops keeping queues (for the tests, which go on in the same process).
    static func stopKeeping() { kept.setKeeping(false) }

    private static let kept = Kept()

    private final class Kept: @unchecked Sendable {
        private let lock = NSLock()
        private var keeping = false
        private var queues: [DatabaseQueue] = []

        func setKeeping(_ on: Bool) { locked { keeping = on } }

        var count: Int { locked { queues.count } }

        func retire(_ queue: DatabaseQueue) { locked { if keeping { queues.append(queue) } } }

        /// Newest first: a store's second reader goes after the store's own queue (properties
        /// after `deinit`), and the last connection to close is the one that checkpoints the log,
        /// which a read-only one cannot.
        func closeAll() {
            for queue in locked({ queues }).reversed() { try? queue.close() }
        }

        private func locked<T>(_ body: () -> T) -> T {
            lock.lock()
            defer { lock.unlock() }
            return body()
        }
    }
}
