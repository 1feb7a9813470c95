import ArgumentParser
import Foundation
import RISWorkflows

/// Where the knowledge base is: `--kb DIR`, else `RIS_KB`, else the folder holding `.ris/`
/// at or above the current one.
struct KnowledgeBaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The knowledge base's folder (default: RIS_KB, else the folder holding .ris/ here or above).",
            valueName: "dir"),
        completion: .directory)
    var kb: String?
    @Flag(help: "Every diagnostic of the files read (on a terminal, past the first ten they are counted by kind).")
    var verbose = false

    func knowledgeBase() throws -> KnowledgeBase {
        let environment = ProcessEnvironment.value("RIS_KB").flatMap { $0.isEmpty ? nil : $0 }
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        return report(try KnowledgeBaseSession.locate(explicit: kb ?? environment, from: here, shown: relativePath))
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
        // A person at a terminal reads the first diagnostics and a count of the rest (10,000
        // records can carry thousands); pipes and --verbose get every one.
        let printer = DiagnosticPrinter(
            limit: verbose || !Terminal.isTerminal(STDERR_FILENO) ? Int.max : DiagnosticPrinter.shownOnATerminal)
        let reporter = KnowledgeBaseSession.Reporter(
            notice: {
                // After the diagnostics already reported, as they came.
                printer.flush()
                Terminal.writeError("ris: notice: \($0)")
            },
            diagnostic: { printer.report($0.diagnostic, path: base.display($0.path)) },
            progress: progress.update,
            progressDone: progress.finish,
            diagnosticsDone: printer.finish,
            flushDiagnostics: printer.flush)
        return KnowledgeBaseSession(base: base, reporter: reporter)
    }
}

/// Diagnostics of the files read, the first `limit` printed and the rest counted by kind.
/// Lines are written in blocks of up to 64 KB, each block at once (a write a line was about
/// 10 ms of a full index of 10,000 records, whose 3,333 warnings came after the commit), and
/// what is held is written by `finish`, before anything else is said on stderr.
final class DiagnosticPrinter {
    static let shownOnATerminal = 10
    let limit: Int
    private var printed = 0
    private var held: [String: Int] = [:]
    private var pending = Data()

    init(limit: Int) { self.limit = limit }

    deinit { flush() }

    func report(_ diagnostic: Diagnostic, path: String) {
        if printed < limit {
            pending.append(Terminal.reportLine(diagnostic, path: path))
            if pending.count >= 1 << 16 { flush() }
            printed += 1
        } else {
            held["\(diagnostic.severity.rawValue) \(diagnostic.code.rawValue)", default: 0] += 1
        }
    }

    /// Writes the lines not written yet.
    func flush() {
        guard !pending.isEmpty else { return }
        FileHandle.standardError.write(pending)
        pending.removeAll(keepingCapacity: true)
    }

    /// Writes what is pending, then says how many were held back, by kind (most first), and
    /// how to see them.
    func finish() {
        flush()
        guard !held.isEmpty else { return }
        let total = held.values.reduce(0, +)
        let kinds = held.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.value) \($0.key)" }
        Terminal.writeError(
            "ris: \(total) more diagnostic(s) of the files read: \(kinds.joined(separator: ", ")); --verbose (or a "
                + "pipe) shows every one, `ris check` and `ris parse` say them per file")
        held = [:]
        printed = 0
    }
}

/// A path shown to the user: relative to the current folder when it is below it.
func relativePath(_ absolute: String) -> String {
    if absolute.hasPrefix(currentFolderPrefix) { return String(absolute.dropFirst(currentFolderPrefix.count)) }
    return absolute
}

/// The current folder and a `/`, asked once: ris never changes it, and a `getcwd` for each of
/// thousands of diagnostics showed in a full index.
private let currentFolderPrefix = FileManager.default.currentDirectoryPath + "/"

extension KnowledgeBase {
    /// A path of the index (relative to the root; or absolute, for a file elsewhere) as the user
    /// should see it: relative to the current folder.
    func display(_ path: String) -> String {
        relativePath(path.hasPrefix("/") ? path : root.appendingPathComponent(path).path)
    }
}
