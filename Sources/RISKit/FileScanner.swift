import Foundation
import FrontMatter

#if canImport(Glibc)
import Glibc
#endif

/// A file of the knowledge base as found on disk, before it is read.
public struct ScannedFile: Sendable, Hashable {
    /// Relative to the knowledge base's root, with `/`.
    public var path: String
    public var size: Int64
    /// Modification time in nanoseconds since 1970.
    public var modified: Int64
}

/// A problem met while walking the folders: a symbolic-link loop, an unreadable folder.
public struct ScanProblem: Sendable, Hashable {
    public var path: String
    public var message: String
}

/// Finds the files of a knowledge base with `opendir`/`stat`: the walk is most of the cost
/// of a refresh that finds nothing changed, so it stays close to the system.
public enum FileScanner {
    public static func scan(root: URL, config: KnowledgeBaseConfig) -> (files: [ScannedFile], problems: [ScanProblem]) {
        let include = config.include.map(Glob.init)
        let exclude = config.exclude.map(Glob.init)
        var files: [ScannedFile] = []
        var problems: [ScanProblem] = []
        var visited = Set<[UInt64]>()
        let rootPath = root.path

        func walk(_ absolute: String, relative: String) {
            var folderStatus = stat()
            guard stat(absolute, &folderStatus) == 0 else { return }
            let identity = [UInt64(folderStatus.st_dev), UInt64(folderStatus.st_ino)]
            guard visited.insert(identity).inserted else {
                problems.append(ScanProblem(path: relative.isEmpty ? "." : relative, message: "symbolic link loop; not followed"))
                return
            }
            defer { visited.remove(identity) }
            guard let directory = opendir(absolute) else {
                problems.append(ScanProblem(path: relative.isEmpty ? "." : relative, message: "cannot read the folder: \(String(cString: strerror(errno)))"))
                return
            }
            var entries: [(name: String, type: UInt8)] = []
            while let entry = readdir(directory) {
                let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                    pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                if name == "." || name == ".." { continue }
                entries.append((name, entry.pointee.d_type))
            }
            closedir(directory)
            entries.sort { $0.name < $1.name }
            for entry in entries {
                let childAbsolute = absolute + "/" + entry.name
                let childRelative = relative.isEmpty ? entry.name : relative + "/" + entry.name
                var type = entry.type
                var status = stat()
                if type == UInt8(DT_LNK) || type == UInt8(DT_UNKNOWN) {
                    guard stat(childAbsolute, &status) == 0 else {
                        problems.append(ScanProblem(path: childRelative, message: "broken symbolic link"))
                        continue
                    }
                    type = (status.st_mode & S_IFMT) == S_IFDIR ? UInt8(DT_DIR) : ((status.st_mode & S_IFMT) == S_IFREG ? UInt8(DT_REG) : UInt8(DT_UNKNOWN))
                }
                if type == UInt8(DT_DIR) {
                    if exclude.contains(where: { $0.matchesEverything(below: childRelative) || $0.matches(childRelative) }) { continue }
                    walk(childAbsolute, relative: childRelative)
                } else if type == UInt8(DT_REG) {
                    guard include.contains(where: { $0.matches(childRelative) }),
                        !exclude.contains(where: { $0.matches(childRelative) })
                    else { continue }
                    if status.st_ino == 0, stat(childAbsolute, &status) != 0 { continue }
                    let modified = Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
                    files.append(ScannedFile(path: childRelative, size: Int64(status.st_size), modified: modified))
                }
            }
        }
        walk(rootPath, relative: "")
        return (files, problems)
    }
}
