import CRISSystem
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The files of one knowledge base, opened so that nothing in it can send ris outside it.
///
/// A cloned repository may hold symbolic links anywhere, under `.ris/` too (git stores links
/// even for ignored paths). Every file ris writes, and every file it opens under `.ris/`, goes
/// through here: folders are opened one at a time from the root down with
/// `O_DIRECTORY|O_NOFOLLOW`, files with `openat(..., O_NOFOLLOW)` relative to them, so a link
/// swapped in between cannot redirect the operation. Links in the records' folders are
/// followed only to a place inside the knowledge base; under `.ris/` none is followed.
public struct ConfinedFolder: Sendable {
    /// The knowledge base's root (a link in the root's own path is the user's choice).
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    /// A file of ris's own under `.ris/`: the only files ris writes there. Paths of the
    /// knowledge base's files (records, articles, the hot-patterns file, `--output`) never lead
    /// into `.ris/`, whatever the configuration says: `hot-patterns: .ris/audit.sqlite` must not
    /// let `pattern add` overwrite the audit trail.
    public struct RisFile: Sendable, Hashable {
        /// The path below `.ris/`.
        public let name: String

        public init(_ name: String) {
            self.name = name
        }

        public static let config = RisFile("config.yaml")
        public static let gitignore = RisFile(".gitignore")
        public static let index = RisFile("index.sqlite")
        public static let auditTrail = RisFile("audit.sqlite")
        public static let auditHead = RisFile("audit.head")
        public static let hitLog = RisFile("hits.jsonl")
        public static func lock(_ name: String) -> RisFile { RisFile(name + ".lock") }
        public static func template(_ name: String) -> RisFile { RisFile("templates/" + name) }

        var path: String { ".ris/" + name }
    }

    /// What a file was when it was read: an edit that finds it otherwise has raced another writer.
    public struct Identity: Sendable, Hashable {
        public private(set) var device: UInt64
        public private(set) var inode: UInt64
        public private(set) var size: Int64
        /// Nanoseconds since 1970.
        public private(set) var modified: Int64
        public private(set) var changed: Int64

        /// The same file, unchanged, leaving aside its status-change time (which a rename, or
        /// the exchange of an edit, moves on by itself).
        func isSameContent(as other: Identity) -> Bool {
            device == other.device && inode == other.inode && size == other.size && modified == other.modified
        }

        init(_ status: stat) {
            device = UInt64(status.st_dev)
            inode = UInt64(status.st_ino)
            size = Int64(status.st_size)
            modified = Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
            changed = Int64(status.st_ctim.tv_sec) * 1_000_000_000 + Int64(status.st_ctim.tv_nsec)
        }
    }

    static func errorText() -> String { String(cString: strerror(errno)) }

    // MARK: Paths

    /// The parts of a path relative to the root; absolute paths, `..` and NUL are refused.
    static func components(_ relative: String) throws -> [String] {
        let parts = relative.split(separator: "/", omittingEmptySubsequences: true).map(String.init).filter {
            $0 != "."
        }
        guard !relative.hasPrefix("/"), !parts.isEmpty, !parts.contains(".."),
            !parts.contains(where: { $0.contains("\0") })
        else {
            throw RISKitError.refusal("'\(relative)' is outside the knowledge base", outside: true)
        }
        return parts
    }

    /// Whether `relative` is a path of ris's own folder, where no link is ever followed.
    static func isInternal(_ parts: [String]) -> Bool { parts.first == ".ris" }

    /// The root's real path, for links written as absolute paths into the knowledge base.
    public var realRoot: String {
        guard let resolved = realpath(root.path, nil) else { return root.path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The real path of `path`, or of its folder with the last name added when the file does
    /// not exist yet. Only used to learn whether an absolute link lands inside the root.
    static func realPath(_ path: String) -> String? {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        let url = URL(fileURLWithPath: path)
        guard let folder = realpath(url.deletingLastPathComponent().path, nil) else { return nil }
        defer { free(folder) }
        return String(cString: folder) + "/" + url.lastPathComponent
    }

    /// `relative` with its symbolic links resolved, as parts of a path from the root with no
    /// link left in it. A link is followed only to a place inside the knowledge base, and never
    /// under `.ris/`; a missing file is fine (its folders must exist or be creatable).
    public func resolve(_ relative: String) throws -> [String] {
        let parts = try ConfinedFolder.components(relative)
        if ConfinedFolder.isInternal(parts) {
            throw RISKitError.refusal(
                "\(relative) is in .ris, ris's own folder, not a place for the knowledge base's files", outside: true)
        }
        return try resolve(parts, underRisFolder: false, shown: relative)
    }

    /// The resolved path of one of ris's own files (no link followed at all).
    func resolve(_ file: RisFile) throws -> [String] {
        try resolve(try ConfinedFolder.components(file.path), underRisFolder: true, shown: file.path)
    }

    func resolve(_ parts: [String], underRisFolder: Bool, shown relative: String) throws -> [String] {
        var pending = parts
        var resolved: [String] = []
        var hops = 0
        while !pending.isEmpty {
            let name = pending.removeFirst()
            if name == "." { continue }
            if name == ".." {
                guard !resolved.isEmpty else {
                    throw RISKitError.refusal(
                        "'\(relative)' leads outside the knowledge base (through a symbolic link)", outside: true)
                }
                resolved.removeLast()
                continue
            }
            let folder = try openFolder(resolved, create: false, missingIsFine: true)
            guard let descriptor = folder else {
                // The folder does not exist yet: nothing further can be a link.
                resolved.append(name)
                resolved += pending
                return resolved
            }
            defer { close(descriptor) }
            var status = stat()
            guard fstatat(descriptor, name, &status, AT_SYMLINK_NOFOLLOW) == 0, status.st_mode & S_IFMT == S_IFLNK
            else {
                resolved.append(name)
                continue
            }
            let shown = (resolved + [name]).joined(separator: "/")
            if underRisFolder {
                throw RISKitError.refusal("\(shown) is a symbolic link; ris follows no link under .ris (remove it)")
            }
            hops += 1
            guard hops <= 40 else { throw RISKitError.refusal("\(shown): too many symbolic links (a loop?)") }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlinkat(descriptor, name, &buffer, buffer.count - 1)
            guard length >= 0 else {
                throw RISKitError.refusal("cannot read the link \(shown): \(ConfinedFolder.errorText())")
            }
            let target = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if target.hasPrefix("/") {
                // Inside the knowledge base by its real path, by the path it was opened with, or
                // through some other link of the user's to it (`~/kb -> /srv/kb`). Only the
                // part inside is kept: the walk goes on from the root, link by link, as always.
                let realBase = realRoot
                let real = ConfinedFolder.realPath(target)
                let inside: Substring
                if let base = [realBase, root.path].first(where: { target.hasPrefix($0 + "/") }) {
                    inside = target.dropFirst(base.count + 1)
                } else if let real, real.hasPrefix(realBase + "/") {
                    inside = real.dropFirst(realBase.count + 1)
                } else {
                    throw RISKitError.refusal(
                        "\(shown) is a symbolic link leading outside the knowledge base", outside: true)
                }
                resolved = []
                pending = inside.split(separator: "/").map(String.init) + pending
            } else {
                pending = target.split(separator: "/").map(String.init) + pending
            }
        }
        guard !resolved.isEmpty else {
            throw RISKitError.refusal("'\(relative)' is the knowledge base itself, not a file in it")
        }
        // A record linked into `.ris/` would let an edit of the record write the index or the trail.
        if !underRisFolder && resolved.first == ".ris" {
            throw RISKitError.refusal("\(relative) is a symbolic link into .ris; ris does not follow it", outside: true)
        }
        return resolved
    }

    /// Opens the folder `parts` (from the root, no link followed), creating missing folders
    /// when asked. Nil when it is missing and `missingIsFine`.
    func openFolder(_ parts: [String], create: Bool, missingIsFine: Bool = false) throws -> Int32? {
        var descriptor = open(root.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw RISKitError.refusal("cannot open the knowledge base \(root.path): \(ConfinedFolder.errorText())")
        }
        for (depth, name) in parts.enumerated() {
            var next = openat(descriptor, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if next < 0 && errno == ENOENT && create {
                // The usual mode (less the umask), `.ris` too: a team may share the folder; the
                // files in it that hold records' text are 0600 themselves.
                if mkdirat(descriptor, name, 0o777) != 0 && errno != EEXIST {
                    let error = ConfinedFolder.errorText()
                    close(descriptor)
                    throw RISKitError.refusal(
                        "cannot create the folder \(parts[...depth].joined(separator: "/")): \(error)")
                }
                next = openat(descriptor, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            if next < 0 {
                let code = errno
                close(descriptor)
                if code == ENOENT && missingIsFine { return nil }
                let shown = parts[...depth].joined(separator: "/")
                if code == ELOOP || code == ENOTDIR {
                    throw RISKitError.refusal("\(shown) is a symbolic link or not a folder; ris does not follow it")
                }
                throw RISKitError.refusal("cannot open the folder \(shown): \(String(cString: strerror(code)))")
            }
            close(descriptor)
            descriptor = next
        }
        return descriptor
    }

    /// Opens the folder of a resolved path (created when missing) and gives its descriptor
    /// and the file's name to `body`.
    func inFolder<T>(of parts: [String], create: Bool = true, _ body: (Int32, String) throws -> T) throws -> T {
        guard let descriptor = try openFolder(Array(parts.dropLast()), create: create) else {
            throw RISKitError.refusal("the folder of \(parts.joined(separator: "/")) does not exist")
        }
        defer { close(descriptor) }
        return try body(descriptor, parts.last!)
    }

    // MARK: Reading

    /// The bytes of the regular file `relative` of the knowledge base (links inside it
    /// followed), at most `limit`, with what it was when read; nil when it does not exist.
    public func read(_ relative: String, limit: Int = DocumentParser.defaultMaxFileBytes) throws -> (
        data: Data, identity: Identity
    )? {
        try read(parts: try resolve(relative), limit: limit)
    }

    /// One of ris's own files under `.ris/` (no link followed); nil when it does not exist.
    public func read(_ file: RisFile, limit: Int = 1 << 20) throws -> (data: Data, identity: Identity)? {
        try read(parts: try resolve(file), limit: limit)
    }

    func read(parts: [String], limit: Int) throws -> (data: Data, identity: Identity)? {
        guard let folder = try openFolder(Array(parts.dropLast()), create: false, missingIsFine: true) else {
            return nil
        }
        defer { close(folder) }
        switch ConfinedFolder.readFile(in: folder, name: parts.last!, limit: limit, shown: parts.joined(separator: "/"))
        {
        case .success(let result): return result
        case .failure(let failure): throw failure
        }
    }

    /// Reads `name` in `folder` without following a link; nil when missing.
    static func readFile(in folder: Int32, name: String, limit: Int, shown: String) -> Result<
        (data: Data, identity: Identity)?, RISKitError
    > {
        let descriptor = openat(folder, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return .success(nil) }
            if errno == ELOOP { return .failure(RISKitError.refusal("\(shown) is a symbolic link; not read")) }
            return .failure(RISKitError.refusal("cannot read \(shown): \(ConfinedFolder.errorText())"))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            return .failure(RISKitError.refusal("not a regular file; not read"))
        }
        guard Int(status.st_size) <= limit else {
            return .failure(
                RISKitError.refusal(
                    "the file is \(DocumentParser.megabytes(Int(status.st_size))), over the limit of "
                        + "\(DocumentParser.megabytes(limit)) (max-file-size); not read"
                ))
        }
        var data = Data(count: Int(status.st_size) + 1)
        var filled = 0
        while true {
            if filled == data.count {
                // Grown while read: refused rather than cut.
                if data.count > limit {
                    return .failure(
                        RISKitError.refusal(
                            "the file grew past \(DocumentParser.megabytes(limit)) while read; not read"))
                }
                data.count = min(limit + 1, max(data.count * 2, 4096))
            }
            let count = data.count
            let result = data.withUnsafeMutableBytes {
                Glibc.read(descriptor, $0.baseAddress! + filled, count - filled)
            }
            if result < 0 {
                if errno == EINTR { continue }
                return .failure(RISKitError.refusal("cannot read \(shown): \(ConfinedFolder.errorText())"))
            }
            if result == 0 { break }
            filled += result
        }
        if filled > limit {
            return .failure(
                RISKitError.refusal("the file grew past \(DocumentParser.megabytes(limit)) while read; not read"))
        }
        data.count = filled
        return .success((data, Identity(status)))
    }

    /// Reads many files of the knowledge base (an index run) the confined way, keeping each
    /// folder open once: a folder is walked from the root with `O_NOFOLLOW` the first time,
    /// then each file is opened relative to it. Safe to share between threads.
    public final class Reader: @unchecked Sendable {
        let files: ConfinedFolder
        private var folders: [String: Int32] = [:]
        private let lock = NSLock()

        public init(_ files: ConfinedFolder) {
            self.files = files
        }

        deinit {
            for descriptor in folders.values { close(descriptor) }
        }

        /// The bytes of `relative` and what the file was, nil when it is gone; links inside the
        /// knowledge base are followed (the slow way, as `ConfinedFolder.read`), others refused.
        public func read(_ relative: String, limit: Int) -> Result<(data: Data, identity: Identity)?, RISKitError> {
            let slash = relative.lastIndex(of: "/")
            let folder = slash.map { String(relative[..<$0]) } ?? ""
            let name = slash.map { String(relative[relative.index(after: $0)...]) } ?? relative
            guard !relative.hasPrefix(".ris/"), let descriptor = descriptor(of: folder) else {
                return slowRead(relative, limit: limit)
            }
            let result = ConfinedFolder.readFile(in: descriptor, name: name, limit: limit, shown: relative)
            if case .failure = result {
                var status = stat()
                // A link (inside the knowledge base, or not): resolved the careful way.
                if fstatat(descriptor, name, &status, AT_SYMLINK_NOFOLLOW) == 0, status.st_mode & S_IFMT == S_IFLNK {
                    return slowRead(relative, limit: limit)
                }
            }
            return result
        }

        private func slowRead(_ relative: String, limit: Int) -> Result<(data: Data, identity: Identity)?, RISKitError>
        {
            do {
                return .success(try files.read(relative, limit: limit))
            } catch let refusal as RISKitError {
                return .failure(refusal)
            } catch {
                return .failure(RISKitError.refusal("cannot read \(relative): \(error)"))
            }
        }

        /// The folder's descriptor, opened once; nil when a part of it is a link or missing.
        private func descriptor(of folder: String) -> Int32? {
            lock.lock()
            defer { lock.unlock() }
            if let known = folders[folder] { return known }
            let parts = folder.split(separator: "/").map(String.init)
            guard let opened = try? files.openFolder(parts, create: false, missingIsFine: true) else { return nil }
            folders[folder] = opened
            return opened
        }
    }

    // MARK: Writing

    /// Refuses to replace what is not ris's to replace: anything but a regular file, a file
    /// of another user (a rename would make it ris's user's), a read-only file. ris's own
    /// files under `.ris/` may belong to a teammate of a shared knowledge base.
    static func checkReplaceable(_ status: stat, _ shown: String, checkOwner: Bool = true) throws {
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw RISKitError.refusal("\(shown) is not a regular file; ris does not replace it")
        }
        guard !checkOwner || status.st_uid == geteuid() else {
            throw RISKitError.refusal(
                "\(shown) belongs to another user (uid \(status.st_uid)); ris does not replace it (nothing written)")
        }
        guard !checkOwner || status.st_mode & S_IWUSR != 0 else {
            throw RISKitError.refusal(
                "\(shown) is read-only (mode \(String(status.st_mode & 0o7777, radix: 8))); ris does not replace it "
                    + "(nothing written)"
            )
        }
    }

    /// Writes `data` to `relative` atomically: a temporary file in the same folder, flushed,
    /// then renamed over the target (or linked to it with `createOnly`, so an existing file is
    /// an error and is kept), and the folder flushed. A link at the target is written through
    /// when it leads inside the knowledge base. With `expecting`, the write replaces the file
    /// only if it is still what was read, else throws `RISKitError` of kind `.changedMeanwhile` and changes nothing.
    public func write(
        _ relative: String, _ data: Data, createOnly: Bool = false, permissions: mode_t? = nil,
        expecting: Identity? = nil
    ) throws {
        try write(
            parts: try resolve(relative), data, createOnly: createOnly, permissions: permissions, expecting: expecting,
            own: false)
    }

    /// Writes one of ris's own files under `.ris/`, atomically.
    public func write(_ file: RisFile, _ data: Data, createOnly: Bool = false, permissions: mode_t? = nil) throws {
        try write(
            parts: try resolve(file), data, createOnly: createOnly, permissions: permissions, expecting: nil, own: true)
    }

    func write(parts: [String], _ data: Data, createOnly: Bool, permissions: mode_t?, expecting: Identity?, own: Bool)
        throws
    {
        let shown = parts.joined(separator: "/")
        try inFolder(of: parts) { folder, name in
            var mode = permissions ?? (0o644 & ~ConfinedFolder.currentUmask())
            var status = stat()
            let exists = fstatat(folder, name, &status, AT_SYMLINK_NOFOLLOW) == 0
            if exists {
                if createOnly { throw RISKitError.refusal("\(shown) already exists") }
                try ConfinedFolder.checkReplaceable(status, shown, checkOwner: !own)
                if permissions == nil { mode = status.st_mode & 0o7777 }
            }
            if let expecting, !exists || Identity(status) != expecting {
                throw RISKitError(.changedMeanwhile, "\(shown) changed while ris was editing it")
            }
            ConfinedFolder.removeAbandonedTemporaries(in: folder)
            let (temporary, descriptor) = try ConfinedFolder.createTemporary(in: folder, for: name, shown: shown)
            var done = false
            defer { if !done { unlinkat(folder, temporary, 0) } }
            fchmod(descriptor, mode)
            let written = ConfinedFolder.writeAll(descriptor, data)
            guard written, fsync(descriptor) == 0 else {
                let error = ConfinedFolder.errorText()
                close(descriptor)
                throw RISKitError.refusal("cannot write \(shown): \(error)")
            }
            close(descriptor)
            if createOnly {
                // linkat fails when the target exists: no race with another writer.
                guard linkat(folder, temporary, folder, name, 0) == 0 else {
                    throw RISKitError.refusal(
                        errno == EEXIST
                            ? "\(shown) already exists" : "cannot create \(shown): \(ConfinedFolder.errorText())")
                }
                unlinkat(folder, temporary, 0)
            } else if let expecting {
                // Exchanged, not renamed over: the file taken out is checked to be the one read.
                // An editor's save that landed after the check above is swapped back in, whole.
                if ris_exchange(folder, temporary, folder, name) == 0 {
                    var taken = stat()
                    guard fstatat(folder, temporary, &taken, AT_SYMLINK_NOFOLLOW) == 0,
                        Identity(taken).isSameContent(as: expecting)
                    else {
                        if ris_exchange(folder, temporary, folder, name) != 0 {
                            done = true  // the temporary holds the other program's bytes now: kept, and named
                            throw RISKitError.refusal(
                                "cannot put back \(shown) after another program changed it meanwhile (its bytes are "
                                    + "in \(temporary))"
                            )
                        }
                        throw RISKitError(.changedMeanwhile, "\(shown) changed while ris was editing it")
                    }
                    // The temporary name now holds the replaced bytes: gone, like a renamed-over file.
                    unlinkat(folder, temporary, 0)
                } else {
                    // A file system without the exchange: checked as late as possible instead.
                    var now = stat()
                    guard fstatat(folder, name, &now, AT_SYMLINK_NOFOLLOW) == 0, Identity(now) == expecting else {
                        throw RISKitError(.changedMeanwhile, "\(shown) changed while ris was editing it")
                    }
                    guard renameat(folder, temporary, folder, name) == 0 else {
                        throw RISKitError.refusal("cannot replace \(shown): \(ConfinedFolder.errorText())")
                    }
                }
            } else {
                guard renameat(folder, temporary, folder, name) == 0 else {
                    throw RISKitError.refusal("cannot replace \(shown): \(ConfinedFolder.errorText())")
                }
            }
            done = true
            // The rename reaches the disk only when the folder is flushed.
            fsync(folder)
        }
    }

    /// Appends `data` to one of ris's own files (created with `permissions` when missing), and
    /// returns the size it had before, so that a failed step after it can take the append back.
    @discardableResult
    public func append(_ file: RisFile, _ data: Data, permissions: mode_t = 0o600) throws -> Int64 {
        let parts = try resolve(file)
        let shown = parts.joined(separator: "/")
        return try inFolder(of: parts) { folder, name in
            let descriptor = openat(
                folder, name, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, permissions)
            guard descriptor >= 0 else {
                throw RISKitError.refusal("cannot open \(shown): \(ConfinedFolder.errorText())")
            }
            defer { close(descriptor) }
            var status = stat()
            guard fstat(descriptor, &status) == 0 else {
                throw RISKitError.refusal("cannot open \(shown): \(ConfinedFolder.errorText())")
            }
            try ConfinedFolder.checkReplaceable(status, shown, checkOwner: false)
            guard ConfinedFolder.writeAll(descriptor, data), fsync(descriptor) == 0 else {
                let error = ConfinedFolder.errorText()
                _ = ftruncate(descriptor, status.st_size)
                throw RISKitError.refusal("cannot write \(shown): \(error)")
            }
            return Int64(status.st_size)
        }
    }

    /// Cuts one of ris's own files back to `size` bytes: takes back an append.
    public func truncate(_ file: RisFile, to size: Int64) throws {
        let parts = try resolve(file)
        try inFolder(of: parts, create: false) { folder, name in
            let descriptor = openat(folder, name, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)
            guard descriptor >= 0, ftruncate(descriptor, off_t(size)) == 0 else {
                throw RISKitError.refusal(
                    "cannot take back the end of \(parts.joined(separator: "/")): \(ConfinedFolder.errorText())")
            }
            fsync(descriptor)
            close(descriptor)
        }
    }

    /// Runs `body` holding an exclusive lock on `.ris/<name>.lock` (created 0600 when
    /// missing), so that concurrent ris processes update one file one after the other.
    public func withLock<T>(_ lock: RisFile, _ body: () throws -> T) throws -> T {
        let parts = try resolve(lock)
        let shown = parts.joined(separator: "/")
        let descriptor = try inFolder(of: parts) { folder, name -> Int32 in
            let descriptor = openat(folder, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                throw RISKitError.refusal("cannot open the lock \(shown): \(ConfinedFolder.errorText())")
            }
            var status = stat()
            guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
                close(descriptor)
                throw RISKitError.refusal("the lock \(shown) is not a regular file")
            }
            return descriptor
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            if errno != EINTR { throw RISKitError.refusal("cannot lock \(shown): \(ConfinedFolder.errorText())") }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }

    /// The path SQLite may open for one of ris's databases under `.ris/`: its folders are no
    /// links, and neither it nor its `-wal`, `-shm` and `-journal` files is one (SQLite opens
    /// by path and would follow them). Created 0600 when missing and `create`; made 0600
    /// through a descriptor that cannot be a link's.
    public func databasePath(_ file: RisFile, create: Bool) throws -> String {
        let parts = try resolve(file)
        let shown = parts.joined(separator: "/")
        try inFolder(of: parts, create: create) { folder, name in
            for suffix in ["", "-wal", "-shm", "-journal"] {
                var status = stat()
                if fstatat(folder, name + suffix, &status, AT_SYMLINK_NOFOLLOW) == 0 {
                    guard status.st_mode & S_IFMT == S_IFREG else {
                        throw RISKitError.refusal(
                            "\(shown + suffix) is a symbolic link or not a regular file; ris does not open it "
                                + "(remove it)"
                        )
                    }
                }
            }
            // Only a writer creates it and sets its mode; a reader of a read-only knowledge base
            // needs the checks above and nothing else.
            guard create else { return }
            let descriptor = openat(folder, name, O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_CREAT, 0o600)
            guard descriptor >= 0 else {
                throw RISKitError.refusal("cannot open \(shown): \(ConfinedFolder.errorText())")
            }
            fchmod(descriptor, 0o600)
            close(descriptor)
        }
        return root.path + "/" + shown
    }

    /// What one of ris's own files is, without following a link (nil when missing).
    public func status(_ file: RisFile) -> stat? {
        guard let parts = try? ConfinedFolder.components(file.path),
            let folder = try? openFolder(Array(parts.dropLast()), create: false, missingIsFine: true)
        else { return nil }
        defer { close(folder) }
        var status = stat()
        return fstatat(folder, parts.last!, &status, AT_SYMLINK_NOFOLLOW) == 0 ? status : nil
    }

    /// Whether one of ris's own files exists (a link counts: it is there, and refused when used).
    public func exists(_ file: RisFile) -> Bool { status(file) != nil }

    /// Whether the knowledge base's file `relative` exists (links inside it followed).
    public func exists(_ relative: String) -> Bool {
        guard let parts = try? resolve(relative),
            let folder = try? openFolder(Array(parts.dropLast()), create: false, missingIsFine: true)
        else { return false }
        defer { close(folder) }
        var status = stat()
        return fstatat(folder, parts.last!, &status, AT_SYMLINK_NOFOLLOW) == 0
    }

    /// Removes the knowledge base's file `relative` (not a folder), the confined way: used to
    /// take back a file ris itself just created when the step after it failed.
    public func remove(_ relative: String) throws {
        let parts = try resolve(relative)
        try inFolder(of: parts, create: false) { folder, name in
            guard unlinkat(folder, name, 0) == 0 || errno == ENOENT else {
                throw RISKitError.refusal("cannot remove \(relative): \(ConfinedFolder.errorText())")
            }
        }
    }

    /// Throws when an edit would refuse to replace `relative` (read-only, another user's, not a
    /// regular file): asked before a change is logged, so that no event tells of a change that
    /// is then refused.
    public func checkReplaceable(_ relative: String) throws {
        let parts = try resolve(relative)
        try inFolder(of: parts, create: false) { folder, name in
            var status = stat()
            // A link inside the knowledge base is written through: its target is checked then.
            guard fstatat(folder, name, &status, AT_SYMLINK_NOFOLLOW) == 0, status.st_mode & S_IFMT != S_IFLNK else {
                return
            }
            try ConfinedFolder.checkReplaceable(status, parts.joined(separator: "/"), checkOwner: true)
        }
    }

    // MARK: Helpers

    static func writeAll(_ descriptor: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let result = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if result < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += result
            }
            return true
        }
    }

    /// `.NAME.ris-PID-XXXXXX`, created exclusively beside its target, never through a link.
    static func createTemporary(in folder: Int32, for name: String, shown: String) throws -> (String, Int32) {
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let suffix = String((0..<6).map { _ in letters[Int.random(in: 0..<letters.count, using: &generator)] })
            let temporary = "\(AtomicFile.temporaryPrefix(name))\(getpid())-\(suffix)"
            let descriptor = openat(folder, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if descriptor >= 0 { return (temporary, descriptor) }
            if errno != EEXIST {
                throw RISKitError.refusal(
                    "cannot create a temporary file beside \(shown): \(ConfinedFolder.errorText())")
            }
        }
        throw RISKitError.refusal("cannot create a temporary file beside \(shown)")
    }

    /// Deletes the temporaries of writers killed before their rename (see `AtomicFile`).
    static func removeAbandonedTemporaries(in folder: Int32) {
        let copy = dup(folder)
        guard copy >= 0, let directory = fdopendir(copy) else {
            if copy >= 0 { close(copy) }
            return
        }
        defer { closedir(directory) }
        var abandoned: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if AtomicFile.isAbandonedTemporary(name) { abandoned.append(name) }
        }
        for name in abandoned { unlinkat(folder, name, 0) }
    }

    static func currentUmask() -> mode_t {
        let mask = umask(0)
        umask(mask)
        return mask
    }
}
