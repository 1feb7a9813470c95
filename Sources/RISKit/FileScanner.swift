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
    /// Status-change time (ctime) in nanoseconds: moves whenever the file is written, renamed
    /// over or has its times set, so a copy made with `cp -p` (same size and mtime) is seen.
    public var changed: Int64 = 0
    /// The file's inode: a file replaced by another is another file.
    public var inode: Int64 = 0

    public init(path: String, size: Int64, modified: Int64, changed: Int64 = 0, inode: Int64 = 0) {
        self.path = path
        self.size = size
        self.modified = modified
        self.changed = changed
        self.inode = inode
    }

    /// Whether this is the file as it was when `other` was taken (as git compares its index).
    public func isUnchanged(since other: ScannedFile) -> Bool {
        size == other.size && modified == other.modified && changed == other.changed && inode == other.inode
    }
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
        // Links are followed only to a place inside the knowledge base: a cloned repository's
        // `notes.md -> ~/.ssh/id_rsa` must not bring that file into the index.
        let realRoot = ConfinedFolder(root: root).realRoot
        func leadsOutside(_ absolute: String) -> Bool {
            guard let resolved = realpath(absolute, nil) else { return false }
            defer { free(resolved) }
            let real = String(cString: resolved)
            // `.ris` is ris's own: a link into it is as outside as one out of the knowledge base.
            let ris = realRoot + "/.ris"
            if real == ris || real.hasPrefix(ris + "/") { return true }
            return real != realRoot && !real.hasPrefix(realRoot == "/" ? "/" : realRoot + "/")
        }

        func walk(_ absolute: String, relative: String) {
            var folderStatus = stat()
            guard stat(absolute, &folderStatus) == 0 else { return }
            let identity = [UInt64(folderStatus.st_dev), UInt64(folderStatus.st_ino)]
            guard visited.insert(identity).inserted else {
                problems.append(
                    ScanProblem(path: relative.isEmpty ? "." : relative, message: "symbolic link loop; not followed"))
                return
            }
            defer { visited.remove(identity) }
            guard let directory = opendir(absolute) else {
                problems.append(
                    ScanProblem(
                        path: relative.isEmpty ? "." : relative,
                        message: "cannot read the folder: \(String(cString: strerror(errno)))"))
                return
            }
            // Names and their status, taken while the folder is open: fstatat on the folder's
            // descriptor spares the kernel a walk of the whole path for every file.
            var entries:
                [(
                    name: String, type: UInt8, size: Int64, modified: Int64, changed: Int64, inode: Int64, error: Int32,
                    link: Bool
                )] = []
            let descriptor = dirfd(directory)
            while let entry = readdir(directory) {
                let decoded = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                    pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(validatingCString: $0) }
                }
                guard let name = decoded else {
                    // Paths are text in the index, in diagnostics and in JSON: a name that is
                    // not UTF-8 cannot be named there faithfully, so it is reported, not read.
                    let lossy = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                        pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                    }
                    let shown = relative.isEmpty ? lossy : relative + "/" + lossy
                    problems.append(
                        ScanProblem(path: shown, message: "the file name is not valid UTF-8; skipped (rename it)"))
                    continue
                }
                if name == "." || name == ".." { continue }
                // ris's own folder is never a part of the knowledge base, whatever `exclude` says;
                // nor is one nested deeper (a knowledge base within this one is not used).
                if name == ".ris" { continue }
                var isLink = entry.pointee.d_type == UInt8(DT_LNK)
                if entry.pointee.d_type == UInt8(DT_UNKNOWN) {
                    var own = stat()
                    isLink =
                        fstatat(descriptor, name, &own, AT_SYMLINK_NOFOLLOW) == 0 && own.st_mode & S_IFMT == S_IFLNK
                }
                var status = stat()
                let error = fstatat(descriptor, name, &status, 0) == 0 ? 0 : errno
                var type = entry.pointee.d_type
                if error == 0 {
                    let format = status.st_mode & S_IFMT
                    type =
                        format == S_IFDIR
                        ? UInt8(DT_DIR)
                        : (format == S_IFREG ? UInt8(DT_REG) : (format == S_IFIFO ? UInt8(DT_FIFO) : UInt8(DT_UNKNOWN)))
                } else if error == ENOENT && type != UInt8(DT_LNK) {
                    continue  // deleted since the folder was read: gone, nothing to report
                }
                // Keep what is needed, not the whole 144-byte stat: the list is sorted next.
                let modified = Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
                let changed = Int64(status.st_ctim.tv_sec) * 1_000_000_000 + Int64(status.st_ctim.tv_nsec)
                entries.append(
                    (
                        name, type, Int64(status.st_size), modified, changed, Int64(bitPattern: UInt64(status.st_ino)),
                        error, isLink
                    ))
            }
            closedir(directory)
            entries.sort { $0.name < $1.name }
            for entry in entries {
                let childRelative = relative.isEmpty ? entry.name : relative + "/" + entry.name
                func wanted() -> Bool {
                    include.contains(where: { $0.matches(childRelative) })
                        && !exclude.contains(where: { $0.matches(childRelative) })
                }
                guard entry.error == 0 else {
                    // Only what would have been read is worth a word; a folder link is always.
                    let message: String
                    switch entry.error {
                    case ENOENT: message = "broken symbolic link"
                    case ELOOP: message = "symbolic link loop; not followed"
                    default: message = "cannot read: \(String(cString: strerror(entry.error)))"
                    }
                    if wanted() || entry.error == ELOOP {
                        problems.append(ScanProblem(path: childRelative, message: message))
                    }
                    continue
                }
                let excludedFolder =
                    entry.type == UInt8(DT_DIR)
                    && exclude.contains(where: {
                        $0.matchesEverything(below: childRelative) || $0.matches(childRelative)
                    })
                if entry.link && !excludedFolder && leadsOutside(absolute + "/" + entry.name) {
                    if entry.type == UInt8(DT_DIR) || wanted() {
                        problems.append(
                            ScanProblem(
                                path: childRelative,
                                message: "symbolic link leading outside the knowledge base; not followed"))
                    }
                    continue
                }
                if entry.type == UInt8(DT_DIR) {
                    if excludedFolder { continue }
                    walk(absolute + "/" + entry.name, relative: childRelative)
                } else if entry.type == UInt8(DT_REG) {
                    guard wanted() else { continue }
                    files.append(
                        ScannedFile(
                            path: childRelative, size: entry.size, modified: entry.modified, changed: entry.changed,
                            inode: entry.inode))
                } else if wanted() {
                    // A FIFO would block the reader forever; sockets and devices are not records.
                    let what = entry.type == UInt8(DT_FIFO) ? "a named pipe" : "a device or socket"
                    problems.append(ScanProblem(path: childRelative, message: "not a regular file (\(what)); skipped"))
                }
            }
        }
        walk(rootPath, relative: "")
        return (files, problems)
    }
}
