import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes files the safe way: a temporary file in the same folder, flushed, then renamed
/// over the target, so that a reader sees the old bytes or the new, never a mix. For files
/// outside any knowledge base (an export the user sends somewhere); files of a knowledge
/// base are written through its `ConfinedFolder`.
public enum AtomicFile {
    /// Writes `data` to `url`. With `createOnly`, an existing file is an error (and is kept).
    public static func write(_ data: Data, to url: URL, createOnly: Bool = false, permissions: mode_t? = nil) throws {
        let folder = url.deletingLastPathComponent().path
        removeAbandonedTemporaries(in: folder)
        // The writer's process ID is in the name, so a later run knows an abandoned one.
        var template = Array("\(folder)/\(temporaryPrefix(url.lastPathComponent))\(getpid())-XXXXXX".utf8CString)
        let descriptor = mkstemp(&template)
        guard descriptor >= 0 else {
            throw RISKitError(
                .refused, "cannot create a temporary file in \(folder): \(String(cString: strerror(errno)))")
        }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var ok = false
        defer {
            if !ok { unlink(temporary) }
        }
        // Keep the permissions of the file replaced; new files get the usual 0644 less umask.
        var status = stat()
        let mode: mode_t =
            permissions ?? (stat(url.path, &status) == 0 ? status.st_mode & 0o7777 : 0o644 & ~currentUmask())
        fchmod(descriptor, mode)
        let written = ConfinedFolder.writeAll(descriptor, data)
        guard written, fsync(descriptor) == 0 else {
            close(descriptor)
            throw RISKitError(.refused, "cannot write \(url.path): \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        if createOnly {
            // link() fails when the target exists: no race with another writer.
            guard link(temporary, url.path) == 0 else {
                throw RISKitError(.refused, "\(url.path) already exists")
            }
            unlink(temporary)
        } else {
            guard rename(temporary, url.path) == 0 else {
                throw RISKitError(.refused, "cannot replace \(url.path): \(String(cString: strerror(errno)))")
            }
        }
        ok = true
        // The rename itself reaches the disk only when the folder is flushed: without this a
        // power cut could bring back the old file after ris said it wrote the new one.
        let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    /// Temporaries are `.NAME` + this + `PID-XXXXXX`.
    static let temporaryMarker = ".ris-"

    static func temporaryPrefix(_ name: String) -> String { ".\(name)\(temporaryMarker)" }

    /// Deletes the temporary files in `folder` left by writers that were killed before their
    /// rename (`.NAME.ris-PID-XXXXXX` whose process is gone), so a record's bytes are never
    /// left lying in a copy. Those of live processes are theirs and are left alone.
    static func removeAbandonedTemporaries(in folder: String) {
        guard let directory = opendir(folder) else { return }
        defer { closedir(directory) }
        var abandoned: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if isAbandonedTemporary(name) { abandoned.append(name) }
        }
        for name in abandoned { unlink(folder + "/" + name) }
    }

    /// `.NAME.ris-PID-XXXXXX` whose process is gone.
    static func isAbandonedTemporary(_ name: String) -> Bool {
        guard name.hasPrefix("."), let marker = name.range(of: temporaryMarker, options: .backwards) else {
            return false
        }
        let rest = name[marker.upperBound...]
        guard let dash = rest.firstIndex(of: "-"), rest.distance(from: dash, to: rest.endIndex) == 7,
            let pid = pid_t(rest[..<dash]), pid > 0
        else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }

    private static func currentUmask() -> mode_t {
        let mask = umask(0)
        umask(mask)
        return mask
    }
}
