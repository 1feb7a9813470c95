import ArgumentParser
import Foundation
import RISKit
import RISStore

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

/// Opens the index, telling about rebuilds, and refreshes it unless asked not to (a rebuilt
/// index is always refreshed: it is empty).
func openIndex(_ knowledgeBase: KnowledgeBase, refresh: Bool) throws -> IndexStore {
    let store = try openStore(knowledgeBase)
    if !store.isReadOnly && (refresh || store.notices.contains(where: { $0.contains("rebuilding") })) {
        _ = try refreshIndex(store, full: false)
    }
    return store
}

/// Opens the index of `knowledgeBase`; notices (a rebuilt index) go to stderr.
func openStore(_ knowledgeBase: KnowledgeBase) throws -> IndexStore {
    let store: IndexStore
    do {
        store = try IndexStore(knowledgeBase: knowledgeBase)
    } catch {
        throw CLIFailure(message: "cannot open the index \(knowledgeBase.indexURL.path): \(error)", code: 1)
    }
    for notice in store.notices { Terminal.writeError("ris: notice: \(notice)") }
    return store
}

/// Refreshes the index with a progress bar on a terminal; the diagnostics of the files read go to stderr.
func refreshIndex(_ store: IndexStore, full: Bool) throws -> IndexSummary {
    let progress = ProgressReporter(label: "indexing")
    let summary = try store.refresh(full: full, progress: progress.update)
    progress.finish()
    if summary.rereadAll {
        Terminal.writeError("ris: notice: this ris reads records differently from the one that built the index (a newer parser or other field-aliases); every file was read again")
    }
    for item in summary.diagnostics { Terminal.report(item.diagnostic, path: store.knowledgeBase.display(item.path)) }
    return summary
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

/// Runs a change of the knowledge base's files; a refusal of the confined folder becomes the
/// command's failure: exit 2 for a path outside the knowledge base, 1 for anything else.
func confined<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let refusal as ConfinedFolder.Refusal {
        throw CLIFailure(message: "\(refusal)" + (refusal.description.contains("nothing written") ? "" : "; nothing written"), code: refusal.isOutside ? 2 : 1)
    } catch let changing as KnowledgeBase.KeptChanging {
        throw CLIFailure(message: "\(changing)", code: 1)
    } catch let deep as MustacheLimits.TooDeep {
        throw CLIFailure(message: "\(deep)", code: 1)
    }
}
