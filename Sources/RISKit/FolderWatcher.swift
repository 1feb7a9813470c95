import CRISSystem
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Says whether anything changed in a knowledge base's folders since it was last asked
/// (inotify), so a long-running process (`ris mcp`) walks the files again only when they
/// changed. It watches every folder below the root but `.ris` (ris's own) and `.git`; any
/// event, an overflow of the kernel's queue or an error counts as a change, so the answer
/// errs towards walking.
public final class FolderWatcher {
    private let descriptor: Int32
    private let root: URL

    /// nil when the folders cannot be watched (no inotify, the user's limit of watches
    /// reached): the caller then walks every time, as it would without a watcher.
    public init?(root: URL) {
        let descriptor = ris_watch_open()
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
        self.root = root
        guard watchFolders() else {
            close(descriptor)
            return nil
        }
    }

    deinit { close(descriptor) }

    /// Whether a change may have happened since the last call (the first call says yes).
    /// Folders created since are watched from now on.
    public func changedSinceLastCheck() -> Bool {
        let drained = ris_watch_drain(descriptor)
        if drained == 0 && !first && !degraded { return false }
        first = false
        // A new folder (or a moved one) must be watched before the walk that reads it; a
        // folder that could not be watched leaves every later answer at yes.
        if !watchFolders() { degraded = true }
        return true
    }

    private var first = true
    private var degraded = false

    /// Adds a watch on every folder (the kernel keeps one per folder, whatever the calls).
    private func watchFolders() -> Bool {
        var ok = true
        func walk(_ path: String) {
            if ris_watch_add(descriptor, path) != 0 {
                ok = false
                return
            }
            guard let directory = opendir(path) else { return }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let type = entry.pointee.d_type
                guard type == UInt8(DT_DIR) || type == UInt8(DT_UNKNOWN) else { continue }
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name == "." || name == ".." || name == ".ris" || name == ".git" { continue }
                // Some file systems (XFS without ftype, NFS, FUSE) do not say the type: asked.
                if type == UInt8(DT_UNKNOWN) {
                    var status = stat()
                    guard lstat(path + "/" + name, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else { continue }
                }
                walk(path + "/" + name)
            }
        }
        walk(root.path)
        return ok
    }
}
