import Foundation

/// A progress line on stderr, only on a terminal and only for runs longer than a moment.
final class ProgressReporter: @unchecked Sendable {
    private let label: String
    private let started = Date()
    private let enabled = Terminal.isTerminal(STDERR_FILENO)
    private let lock = NSLock()
    private var shown = false

    init(label: String) {
        self.label = label
    }

    /// Called from any thread with files done and files to do.
    func update(_ done: Int, _ total: Int) {
        guard enabled, Date().timeIntervalSince(started) > 0.4 else { return }
        lock.lock()
        defer { lock.unlock() }
        let width = 30
        let filled = total == 0 ? width : width * done / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data(utf8Of: "\r\(label) \(bar) \(done)/\(total)"))
        shown = true
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if shown { FileHandle.standardError.write(Data(utf8Of: "\r\u{1B}[2K")) }
    }
}
