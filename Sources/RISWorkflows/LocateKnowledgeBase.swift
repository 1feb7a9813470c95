import Foundation
import RISKit

extension KnowledgeBaseSession {
    /// The knowledge base a command works on: `explicit` (`--kb DIR`, else `RIS_KB`), which
    /// must hold `.ris/`; else the folder holding `.ris/` at or above `folder`. A `.ris` found
    /// inside the records of another knowledge base is refused (its audit trail would be one
    /// nobody checks). `shown` turns an absolute path into the one the user should read.
    public static func locate(explicit: String?, from folder: URL, shown: (String) -> String = { $0 }) throws
        -> KnowledgeBase
    {
        if let explicit {
            let url = URL(fileURLWithPath: explicit).standardizedFileURL
            var isDirectory: ObjCBool = false
            guard
                FileManager.default.fileExists(
                    atPath: url.appendingPathComponent(".ris").path, isDirectory: &isDirectory), isDirectory.boolValue
            else {
                throw WorkflowError.usage(
                    "\(explicit) is not a knowledge base (it has no .ris folder); create one with `ris init "
                        + "\(explicit)`"
                )
            }
            return KnowledgeBase(root: url)
        }
        guard let root = KnowledgeBase.find(from: folder) else {
            throw WorkflowError.usage(
                "not in a knowledge base (no .ris folder here or above); create one with `ris init`, or pass --kb DIR")
        }
        if let outer = KnowledgeBase.enclosing(root) {
            let inner = shown(root.path)
            throw WorkflowError.usage(
                "\(inner)/.ris is inside the knowledge base \(outer.path): a knowledge base within another is not "
                    + "used (its audit trail would be one nobody checks); remove \(inner)/.ris, or choose one with "
                    + "--kb DIR"
            )
        }
        return KnowledgeBase(root: root)
    }

    /// Makes `folder` a knowledge base: `.ris/config.yaml` and `.ris/.gitignore` (existing
    /// files are kept). Returns the files written. `shown`: the folder as the user wrote it.
    /// A folder inside another knowledge base is refused unless `nested`: commands run there
    /// already use the outer one, and a second would split its records (and its audit trail).
    public static func initialize(at folder: URL, shown: String? = nil, nested: Bool = false) throws -> [URL] {
        let shown = shown ?? folder.path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw WorkflowError.usage("\(shown) is a file, not a folder")
        }
        let isKnowledgeBase = FileManager.default.fileExists(atPath: folder.appendingPathComponent(".ris").path)
        if !nested, !isKnowledgeBase,
            let outer = KnowledgeBase.find(from: folder.standardizedFileURL.deletingLastPathComponent())
        {
            throw WorkflowError.usage(
                "\(shown) is inside the knowledge base \(outer.path): commands run there use it already; "
                    + "`ris init --nested` makes a separate knowledge base inside it")
        }
        do {
            return try KnowledgeBase.initialize(at: folder)
        } catch {
            throw WorkflowError.failure("cannot initialise \(shown): \(error)")
        }
    }
}
