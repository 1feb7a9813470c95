import Foundation

/// The git commit a knowledge base is checked out at, and whether its files differ from it:
/// the provenance of what ris generates from them (the quarterly review).
public struct GitState: Sendable, Hashable {
    public var commit: String
    /// Files of the knowledge base (outside `.ris/`) changed, added or deleted since the commit.
    public var dirty: Bool

    /// Nil outside a git repository, or in one with no commit yet, or without git. `reviewed`
    /// (paths relative to `root`) are the files a document was made from: a tracked file of the
    /// knowledge base changed or deleted since the commit makes it dirty, an untracked one only
    /// when it was reviewed (the review's own output file, or a scratch folder, does not).
    public static func of(_ root: URL, reviewed: Set<String>? = nil) -> GitState? {
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
        let prefix = String(decoding: git(["rev-parse", "--show-prefix"]).output, as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // ris's own files (index, audit trail, locks) are not the records.
        let status = git(["status", "--porcelain=v1", "-z", "--untracked-files=all", "--", ".", ":(exclude).ris"])
        guard status.status == 0 else { return GitState(commit: commit, dirty: true) }
        var dirty = false
        var entries = status.output.split(separator: 0, omittingEmptySubsequences: true).makeIterator()
        while let entry = entries.next() {
            let text = String(decoding: entry, as: UTF8.self)
            guard text.count > 3 else { continue }
            let code = text.prefix(2)
            let path = String(text.dropFirst(3))
            // A rename or copy names its source in the next entry.
            if code.contains("R") || code.contains("C") { _ = entries.next() }
            if code == "??" {
                let relative = path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
                if reviewed?.contains(relative) ?? true {
                    dirty = true
                    break
                }
            } else {
                dirty = true
                break
            }
        }
        return GitState(commit: commit, dirty: dirty)
    }
}
