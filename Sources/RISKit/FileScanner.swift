import Dispatch
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
            var names: [(name: String, type: UInt8)] = []
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
                names.append((name, entry.pointee.d_type))
            }
            let entries = FileScanner.status(of: names, in: dirfd(directory))
            closedir(directory)
            for position in FileScanner.pathOrder(of: entries) {
                let entry = entries[position]
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

    /// The status of each of `names` in the folder open as `descriptor`, in their order, without
    /// those deleted since the folder was read. A large folder is split between the cores: the
    /// kernel's path lookups are most of a refresh that finds nothing changed.
    private static func status(of names: [(name: String, type: UInt8)], in descriptor: Int32) -> [Entry] {
        @Sendable func entry(_ name: String, _ listedType: UInt8) -> Entry? {
            var isLink = listedType == UInt8(DT_LNK)
            if listedType == UInt8(DT_UNKNOWN) {
                var own = stat()
                isLink = fstatat(descriptor, name, &own, AT_SYMLINK_NOFOLLOW) == 0 && own.st_mode & S_IFMT == S_IFLNK
            }
            var status = stat()
            let error = fstatat(descriptor, name, &status, 0) == 0 ? 0 : errno
            var type = listedType
            if error == 0 {
                let format = status.st_mode & S_IFMT
                type =
                    format == S_IFDIR
                    ? UInt8(DT_DIR)
                    : (format == S_IFREG ? UInt8(DT_REG) : (format == S_IFIFO ? UInt8(DT_FIFO) : UInt8(DT_UNKNOWN)))
            } else if error == ENOENT && type != UInt8(DT_LNK) {
                return nil  // deleted since the folder was read: gone, nothing to report
            }
            return Entry(
                name: name, type: type, size: Int64(status.st_size),
                modified: Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec),
                changed: Int64(status.st_ctim.tv_sec) * 1_000_000_000 + Int64(status.st_ctim.tv_nsec),
                inode: Int64(bitPattern: UInt64(status.st_ino)), error: error, link: isLink)
        }
        let chunkSize = 1024
        guard names.count > chunkSize, ProcessInfo.processInfo.activeProcessorCount > 1 else {
            return names.compactMap { entry($0.name, $0.type) }
        }
        let chunks = (names.count + chunkSize - 1) / chunkSize
        let results = UnsafeMutableBufferPointer<[Entry]>.allocate(capacity: chunks)
        results.initialize(repeating: [])
        defer {
            results.deinitialize()
            results.deallocate()
        }
        nonisolated(unsafe) let shared = results
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = chunk * chunkSize..<min(names.count, (chunk + 1) * chunkSize)
            shared[chunk] = names[range].compactMap { entry($0.name, $0.type) }
        }
        return Array(results.joined())
    }

    /// A name in a folder and what its status said: what the walk keeps of the 144-byte stat.
    struct Entry {
        var name: String
        var type: UInt8
        var size: Int64
        var modified: Int64
        var changed: Int64
        var inode: Int64
        var error: Int32
        var link: Bool
    }

    /// The positions of `entries` in the order of their paths' bytes (SQLite's BINARY order,
    /// which the refresh merges against): a folder sorts as its name and a `/`, so `a-b.md`
    /// comes before `a/x.md`. The names are copied once into one buffer and compared there:
    /// sorting the entries themselves cost a retain and a release per comparison.
    static func pathOrder(of entries: [Entry]) -> [Int] {
        var bytes: [UInt8] = []
        var spans: [(start: Int, count: Int)] = []
        spans.reserveCapacity(entries.count)
        for entry in entries {
            let start = bytes.count
            bytes.append(contentsOf: entry.name.utf8)
            if entry.type == UInt8(DT_DIR) { bytes.append(UInt8(ascii: "/")) }
            spans.append((start, bytes.count - start))
        }
        return bytes.withUnsafeBytes { buffer in
            Array(entries.indices).sorted { left, right in
                let (a, b) = (spans[left], spans[right])
                let common = min(a.count, b.count)
                if common > 0 {
                    let order = memcmp(buffer.baseAddress! + a.start, buffer.baseAddress! + b.start, common)
                    if order != 0 { return order < 0 }
                }
                return a.count < b.count
            }
        }
    }
}
