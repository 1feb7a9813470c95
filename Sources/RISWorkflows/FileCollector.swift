import Foundation

/// Turns command-line paths into the files to read; a folder is walked for record files.
enum FileCollector {
    enum Entry: Equatable {
        case file(String)
        case problem(String, String)
    }

    static let extensions: Set<String> = ["md", "markdown", "yaml", "yml"]
    static let skippedFolders: Set<String> = [".git", ".ris", ".build", "node_modules"]

    static func expand(_ arguments: [String]) -> [Entry] {
        var entries: [Entry] = []
        let manager = FileManager.default
        for argument in arguments {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: argument, isDirectory: &isDirectory) else {
                entries.append(.problem(argument, "no such file or folder"))
                continue
            }
            guard isDirectory.boolValue else {
                entries.append(.file(argument))
                continue
            }
            var found: [String] = []
            walk(argument, into: &found, visited: [], problems: &entries)
            entries += found.sorted().map(Entry.file)
        }
        return entries
    }

    /// Walks `folder`; symlinked folders are followed once (a loop is reported, not followed).
    private static func walk(
        _ folder: String, into found: inout [String], visited: Set<String>, problems: inout [Entry]
    ) {
        let manager = FileManager.default
        let real =
            (try? manager.destinationOfSymbolicLink(atPath: folder)).map {
                URL(fileURLWithPath: $0, relativeTo: URL(fileURLWithPath: folder).deletingLastPathComponent())
                    .standardizedFileURL.path
            }
            ?? URL(fileURLWithPath: folder).resolvingSymlinksInPath().path
        if visited.contains(real) {
            problems.append(.problem(folder, "symbolic link loop; not followed"))
            return
        }
        let visited = visited.union([URL(fileURLWithPath: folder).resolvingSymlinksInPath().path])
        let names: [String]
        do {
            names = try manager.contentsOfDirectory(atPath: folder)
        } catch {
            problems.append(.problem(folder, "cannot read the folder"))
            return
        }
        for name in names.sorted() {
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                if (try? manager.destinationOfSymbolicLink(atPath: path)) != nil {
                    problems.append(.problem(path, "broken symbolic link"))
                }
                continue
            }
            if isDirectory.boolValue {
                if !skippedFolders.contains(name) { walk(path, into: &found, visited: visited, problems: &problems) }
            } else if extensions.contains((name as NSString).pathExtension.lowercased()) {
                found.append(path)
            }
        }
    }
}
