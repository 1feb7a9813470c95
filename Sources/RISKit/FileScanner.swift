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
            // descriptor spares the kernel a walk of the whole path for every file. The names
            // stay bytes in one buffer until a path is kept (a String per name, and its retains
            // and releases in the sort, were a third of a refresh at 100,000 files).
            var listing = NameBuffer()
            while let entry = readdir(directory) {
                let added = withUnsafeBytes(of: entry.pointee.d_name) { raw -> Bool in
                    let bytes = UnsafeRawBufferPointer(rebasing: raw[..<strnlen(raw.baseAddress!, raw.count)])
                    // `.`, `..`; ris's own folder is never a part of the knowledge base, whatever
                    // `exclude` says, nor is one nested deeper (a knowledge base within this one).
                    if FileScanner.isDotDotOrRIS(bytes) { return true }
                    // Paths are text in the index, in diagnostics and in JSON: a name that is
                    // not UTF-8 cannot be named there faithfully, so it is reported, not read.
                    guard bytes.allSatisfy({ $0 < 0x80 }) || String(validating: bytes, as: UTF8.self) != nil else {
                        return false
                    }
                    listing.append(bytes, type: entry.pointee.d_type)
                    return true
                }
                if !added {
                    let lossy = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                        pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                    }
                    let shown = relative.isEmpty ? lossy : relative + "/" + lossy
                    problems.append(
                        ScanProblem(path: shown, message: "the file name is not valid UTF-8; skipped (rename it)"))
                }
            }
            // A constant from here: the closures below capture it by value, with no access checks.
            let names = listing
            let entries = FileScanner.status(of: names, in: dirfd(directory))
            closedir(directory)
            let prefix = relative.isEmpty ? "" : relative + "/"
            var pathBytes = Array(prefix.utf8)
            let prefixCount = pathBytes.count
            for position in FileScanner.pathOrder(of: names, types: entries.map(\.type)) {
                guard entries[position].present else { continue }  // deleted since the folder was read
                let entry = entries[position]
                pathBytes.removeSubrange(prefixCount...)
                let span = names.spans[position]
                pathBytes.append(contentsOf: names.bytes[span.start..<span.start + span.count])
                // The path is matched against `include` and `exclude` as bytes, and becomes a
                // String only when it is kept or named (the Strings and copies of matching were
                // 10% of a refresh at 100,000 files).
                lazy var childRelative = names.path(at: position, after: prefix)
                // The absolute path, for the few that need it (folders and links).
                var childAbsolute: String { absolute + "/" + names.string(at: position) }
                func wanted() -> Bool {
                    pathBytes.withUnsafeBytes { path in
                        func matches(_ glob: Glob) -> Bool {
                            glob.matches(utf8: path) ?? glob.matches(String(decoding: path, as: UTF8.self))
                        }
                        return include.contains(where: matches) && !exclude.contains(where: matches)
                    }
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
                if entry.link && !excludedFolder && leadsOutside(childAbsolute) {
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
                    walk(childAbsolute, relative: childRelative)
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

    /// Whether a name is `.`, `..` or `.ris`, tested on its bytes (three generic `elementsEqual`
    /// took about 300 instructions a name).
    static func isDotDotOrRIS(_ name: UnsafeRawBufferPointer) -> Bool {
        guard name.count > 0, name[0] == UInt8(ascii: ".") else { return false }
        switch name.count {
        case 1: return true
        case 2: return name[1] == UInt8(ascii: ".")
        case 4: return name[1] == UInt8(ascii: "r") && name[2] == UInt8(ascii: "i") && name[3] == UInt8(ascii: "s")
        default: return false
        }
    }

    /// The names of one folder as bytes: each followed by a NUL (for `fstatat`), found by its span.
    struct NameBuffer {
        var bytes: [UInt8] = []
        var spans: [(start: Int, count: Int)] = []
        var types: [UInt8] = []
        var count: Int { spans.count }

        mutating func append(_ name: UnsafeRawBufferPointer, type: UInt8) {
            spans.append((bytes.count, name.count))
            bytes.append(contentsOf: name)
            bytes.append(0)
            types.append(type)
        }

        /// `prefix` then the name at `index`, made in one allocation (the names are valid UTF-8).
        func path(at index: Int, after prefix: String) -> String {
            var prefix = prefix
            let span = spans[index]
            return prefix.withUTF8 { head in
                bytes.withUnsafeBufferPointer { all in
                    String(unsafeUninitializedCapacity: head.count + span.count) { output in
                        _ = output.initialize(fromContentsOf: head)
                        _ = output[head.count...].initialize(fromContentsOf: all[span.start..<span.start + span.count])
                        return head.count + span.count
                    }
                }
            }
        }

        func string(at index: Int) -> String {
            let span = spans[index]
            return bytes.withUnsafeBufferPointer {
                String(decoding: $0[span.start..<span.start + span.count], as: UTF8.self)
            }
        }
    }

    /// The status of each name in the folder open as `descriptor`, in their order (`present`
    /// is false for one deleted since the folder was read). A large folder is split between the
    /// cores: the kernel's path lookups are most of a refresh that finds nothing changed.
    static func status(of names: NameBuffer, in descriptor: Int32) -> [Entry] {
        var entries = [Entry](repeating: Entry(), count: names.count)
        names.bytes.withUnsafeBufferPointer { bytes in
            entries.withUnsafeMutableBufferPointer { output in
                nonisolated(unsafe) let bytes = bytes
                nonisolated(unsafe) let output = output
                let (spans, types) = (names.spans, names.types)
                @Sendable func fill(_ range: Range<Int>) {
                    for index in range {
                        let listedType = types[index]
                        let name = UnsafeRawPointer(bytes.baseAddress! + spans[index].start).assumingMemoryBound(
                            to: CChar.self)
                        var isLink = listedType == UInt8(DT_LNK)
                        if listedType == UInt8(DT_UNKNOWN) {
                            var own = stat()
                            isLink =
                                fstatat(descriptor, name, &own, AT_SYMLINK_NOFOLLOW) == 0
                                && own.st_mode & S_IFMT == S_IFLNK
                        }
                        var status = stat()
                        let error = fstatat(descriptor, name, &status, 0) == 0 ? 0 : errno
                        var type = listedType
                        if error == 0 {
                            let format = status.st_mode & S_IFMT
                            type =
                                format == S_IFDIR
                                ? UInt8(DT_DIR)
                                : (format == S_IFREG
                                    ? UInt8(DT_REG) : (format == S_IFIFO ? UInt8(DT_FIFO) : UInt8(DT_UNKNOWN)))
                        } else if error == ENOENT && type != UInt8(DT_LNK) {
                            continue  // deleted since the folder was read: gone, nothing to report
                        }
                        output[index] = Entry(
                            present: true, type: type, size: Int64(status.st_size),
                            modified: Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec),
                            changed: Int64(status.st_ctim.tv_sec) * 1_000_000_000 + Int64(status.st_ctim.tv_nsec),
                            inode: Int64(bitPattern: UInt64(status.st_ino)), error: error, link: isLink)
                    }
                }
                let chunkSize = 1024
                guard names.count > chunkSize, ProcessInfo.processInfo.activeProcessorCount > 1 else {
                    fill(0..<names.count)
                    return
                }
                let chunks = (names.count + chunkSize - 1) / chunkSize
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    fill(chunk * chunkSize..<min(names.count, (chunk + 1) * chunkSize))
                }
            }
        }
        return entries
    }

    /// What the walk keeps of a name's 144-byte stat.
    struct Entry {
        var present = false
        var type: UInt8 = 0
        var size: Int64 = 0
        var modified: Int64 = 0
        var changed: Int64 = 0
        var inode: Int64 = 0
        var error: Int32 = 0
        var link = false
    }

    /// The positions of `names` in the order of their paths' bytes (SQLite's BINARY order,
    /// which the refresh merges against): a folder sorts as its name and a `/`, so `a-b.md`
    /// comes before `a/x.md`. Names are compared in place in their buffer, past the prefix
    /// they all share (`RIS-RESOLUTION-0` in a folder of records).
    static func pathOrder(of names: NameBuffer, types: [UInt8]) -> [Int] {
        let spans = names.spans
        return names.bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            // The byte a name is compared with past its end: `/` for a folder, else nothing.
            func byte(_ index: Int, _ offset: Int) -> Int {
                let span = spans[index]
                if offset < span.count { return Int(base[span.start + offset]) }
                return offset == span.count && types[index] == UInt8(DT_DIR) ? Int(UInt8(ascii: "/")) : -1
            }
            var shared = spans.map(\.count).min() ?? 0
            if let first = spans.first {
                for span in spans.dropFirst() {
                    var length = 0
                    while length < shared, base[first.start + length] == base[span.start + length] { length += 1 }
                    shared = length
                }
            }
            // The 8 bytes past the shared prefix as one number (a folder's `/`, then zeros, past
            // the end of its name; no name holds a zero byte), so most comparisons are one.
            let keys = spans.indices.map { index -> UInt64 in
                var key: UInt64 = 0
                for offset in shared..<shared + 8 { key = key << 8 | UInt64(max(0, byte(index, offset))) }
                return key
            }
            return Array(spans.indices).sorted { left, right in
                if keys[left] != keys[right] { return keys[left] < keys[right] }
                let (a, b) = (spans[left], spans[right])
                let common = min(a.count, b.count)
                if common > shared {
                    let order = memcmp(base + a.start + shared, base + b.start + shared, common - shared)
                    if order != 0 { return order < 0 }
                }
                // Equal over the shorter name: a folder's `/` (or the end) decides.
                return byte(left, common) < byte(right, common)
            }
        }
    }
}
