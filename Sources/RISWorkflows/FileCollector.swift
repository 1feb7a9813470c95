import Foundation
import RISKit

/// Turns command-line paths into the files to read. A folder is walked by `FileScanner`, the
/// walk of a knowledge base (one walker, one set of rules): record files (*.md, *.markdown,
/// *.yaml, *.yml), `.git`, `.ris`, `.build` and `node_modules` left out, links followed only
/// inside the folder, loops, pipes and names that are not UTF-8 reported.
enum FileCollector {
    enum Entry: Equatable {
        case file(String)
        case problem(String, String)
    }

    static func expand(_ arguments: [String]) -> [Entry] {
        var entries: [Entry] = []
        var config = KnowledgeBaseConfig()
        // Left out at every depth, as a walk of any folder should (not only at the root).
        config.exclude = ["**/.git/**", "**/.ris/**", "**/.build/**", "**/node_modules/**"]
        for argument in arguments {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
                entries.append(.problem(argument, "no such file or folder"))
                continue
            }
            guard isDirectory.boolValue else {
                entries.append(.file(argument))
                continue
            }
            let folder = argument.count > 1 && argument.hasSuffix("/") ? String(argument.dropLast()) : argument
            func inFolder(_ path: String) -> String { folder == "/" ? "/" + path : folder + "/" + path }
            let (files, problems) = FileScanner.scan(root: URL(fileURLWithPath: folder), config: config)
            entries += problems.map { .problem($0.path == "." ? folder : inFolder($0.path), $0.message) }
            entries += files.map { inFolder($0.path) }.sorted().map(Entry.file)
        }
        return entries
    }
}
