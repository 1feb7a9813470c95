import ArgumentParser
import Foundation
import RISWorkflows

/// A failure the CLI reports in one line and exits with.
struct CLIFailure: Error {
    var message: String
    var code: Int32
}

/// Where the knowledge base is: `--kb DIR`, else `RIS_KB`, else the folder holding `.ris/`
/// at or above the current one.
struct KnowledgeBaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The knowledge base's folder (default: RIS_KB, else the folder holding .ris/ here or above).", valueName: "dir"),
            completion: .directory)
    var kb: String?

    func knowledgeBase() throws -> KnowledgeBase {
        let environment = ProcessInfo.processInfo.environment["RIS_KB"].flatMap { $0.isEmpty ? nil : $0 }
        if let explicit = kb ?? environment {
            let url = URL(fileURLWithPath: explicit).standardizedFileURL
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.appendingPathComponent(".ris").path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw CLIFailure(message: "\(explicit) is not a knowledge base (it has no .ris folder); create one with `ris init \(explicit)`", code: 2)
            }
            return report(KnowledgeBase(root: url))
        }
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        guard let root = KnowledgeBase.find(from: here) else {
            throw CLIFailure(message: "not in a knowledge base (no .ris folder here or above); create one with `ris init`, or pass --kb DIR", code: 2)
        }
        if let outer = KnowledgeBase.enclosing(root) {
            throw CLIFailure(message: "\(relativePath(root.path))/.ris is inside the knowledge base \(outer.path): a knowledge base within another is not used (its audit trail would be one nobody checks); remove \(relativePath(root.path))/.ris, or choose one with --kb DIR", code: 2)
        }
        return report(KnowledgeBase(root: root))
    }

    private func report(_ knowledgeBase: KnowledgeBase) -> KnowledgeBase {
        let path = relativePath(knowledgeBase.configURL.path)
        for diagnostic in knowledgeBase.configDiagnostics { Terminal.report(diagnostic, path: path) }
        return knowledgeBase
    }
}

/// `--no-refresh` for the commands that read the index.
struct RefreshOptions: ParsableArguments {
    @Flag(name: .long, help: "Use the index as it is, without looking for changed files first.")
    var noRefresh = false
}

extension KnowledgeBaseOptions {
    /// The knowledge base opened for this command: notices and file diagnostics go to stderr,
    /// with a progress bar while files are read on a terminal.
    func session() throws -> KnowledgeBaseSession {
        let base = try knowledgeBase()
        let progress = ProgressReporter(label: "indexing")
        let reporter = KnowledgeBaseSession.Reporter(
            notice: { Terminal.writeError("ris: notice: \($0)") },
            diagnostic: { Terminal.report($0.diagnostic, path: base.display($0.path)) },
            progress: progress.update,
            progressDone: progress.finish)
        return KnowledgeBaseSession(base: base, reporter: reporter)
    }
}

/// A path shown to the user: relative to the current folder when it is below it.
func relativePath(_ absolute: String) -> String {
    let current = FileManager.default.currentDirectoryPath
    if absolute.hasPrefix(current + "/") { return String(absolute.dropFirst(current.count + 1)) }
    return absolute
}

extension KnowledgeBase {
    /// A path of the index (relative to the root) as the user should see it: relative to the current folder.
    func display(_ path: String) -> String {
        relativePath(root.appendingPathComponent(path).path)
    }
}
