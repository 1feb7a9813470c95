import Foundation

/// The git commit a knowledge base is checked out at, and whether its files differ from it:
/// the provenance of what ris generates from them (the quarterly review).
public struct GitState: Sendable, Hashable {
    public var commit: String
    /// Files of the knowledge base (outside `.ris/`) changed, added or deleted since the commit.
    public var dirty: Bool

    /// Nil outside a git repository, or in one with no commit yet, or without git.
    public static func of(_ root: URL) -> GitState? {
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["LC_ALL"] = "C"
        func git(_ arguments: [String]) -> ChildProcess.Result {
            ChildProcess.run(["git", "-C", root.path] + arguments, environment: environment)
        }
        let head = git(["rev-parse", "-q", "--verify", "HEAD^{commit}"])
        guard head.status == 0 else { return nil }
        let commit = String(decoding: head.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !commit.isEmpty else { return nil }
        // ris's own files (index, audit trail, locks) are not the records.
        let status = git(["status", "--porcelain", "--", ".", ":(exclude).ris"])
        return GitState(commit: commit, dirty: status.status != 0 || !status.output.isEmpty)
    }
}
