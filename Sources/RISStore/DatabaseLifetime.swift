import Foundation
import GRDB

/// When this process's database queues are let go.
///
/// Releasing a GRDB queue releases its dispatch queue, which holds a value GRDB attached to it
/// (`setSpecific`); libdispatch runs the destructor of such a value on a global queue, and the
/// first time in a process that starts two threads (a worker and its event manager). In a
/// 10 ms search that was about a millisecond, paid while the results were being written and
/// again when the process ended with the threads alive.
///
/// A short command-line run (`ris`) therefore closes each connection when its store goes away
/// (SQLite does what it does at a close: the index's log is checkpointed and cut) and keeps the
/// closed queue until the process exits. A long-lived process (`ris mcp`) does not call
/// `keepQueuesUntilExit`, and its queues are released as usual.
public enum DatabaseLifetime {
    /// Called once, first thing, by a process that runs one command and exits.
    public static func keepQueuesUntilExit() { kept.enable() }

    /// How many closed queues are kept (for the tests).
    static var keptCount: Int { kept.count }

    /// `queue`, no longer used by its store: closed and kept when the process keeps its queues.
    /// A queue that does not close (a statement still open somewhere) is released as usual, and
    /// GRDB closes it when the statement goes.
    static func retire(_ queue: DatabaseQueue) { kept.retire(queue) }

    private static let kept = Kept()

    private final class Kept: @unchecked Sendable {
        private let lock = NSLock()
        private var enabled = false
        private var queues: [DatabaseQueue] = []

        func enable() {
            lock.lock()
            defer { lock.unlock() }
            enabled = true
        }

        var count: Int {
            lock.lock()
            defer { lock.unlock() }
            return queues.count
        }

        func retire(_ queue: DatabaseQueue) {
            lock.lock()
            defer { lock.unlock() }
            guard enabled, (try? queue.close()) != nil else { return }
            queues.append(queue)
        }
    }
}
