import Foundation
import RISKit
import RISStore

/// One knowledge base opened for one use (a command, an MCP request): its files, its index
/// (opened when a workflow needs it), who is acting, and the access policy that decides what
/// is audited. Every workflow is one call on it; none prints: what the caller should know
/// goes to `reporter`, and what was asked for comes back as a value.
public final class KnowledgeBaseSession {
    /// Where notices, file diagnostics and progress go (the CLI prints them on stderr).
    public struct Reporter {
        public var notice: (String) -> Void
        public var diagnostic: (PathDiagnostic) -> Void
        public var progress: (@Sendable (Int, Int) -> Void)?
        public var progressDone: () -> Void
        /// After the diagnostics of one refresh were all reported (a summary can be said).
        public var diagnosticsDone: () -> Void
        /// The diagnostics reported so far are to be shown now (what is said next follows them).
        public var flushDiagnostics: () -> Void

        public init(
            notice: @escaping (String) -> Void = { _ in }, diagnostic: @escaping (PathDiagnostic) -> Void = { _ in },
            progress: (@Sendable (Int, Int) -> Void)? = nil, progressDone: @escaping () -> Void = {},
            diagnosticsDone: @escaping () -> Void = {}, flushDiagnostics: @escaping () -> Void = {}
        ) {
            self.notice = notice
            self.diagnostic = diagnostic
            self.progress = progress
            self.progressDone = progressDone
            self.diagnosticsDone = diagnosticsDone
            self.flushDiagnostics = flushDiagnostics
        }

        /// Reports nothing.
        public static var silent: Reporter { Reporter() }
    }

    public let base: KnowledgeBase
    /// Who is acting (`ActingUser`): the one given, else worked out when first needed.
    public var actor: ActingUser { declaredActor ?? .current() }
    private let declaredActor: ActingUser?
    /// The one access policy: every workflow that shows or changes record content goes through it.
    public let access: AccessGate
    let reporter: Reporter
    private var openedStore: IndexStore?
    /// The index was used without comparing the files (`refresh-interval`): which records are
    /// audited is then checked in the files themselves too (`AccessGate.listing`).
    var trustedLastRefresh = false
    /// Set by `watchFolders()`: the files are walked again only when a folder changed.
    private var watcher: FolderWatcher?
    /// The files were compared with the index in this session (by any refresh): a rebuilt
    /// index is filled, and a watched one is walked again only on a change.
    private var walked = false
    private var changePending = false

    /// For a process that serves many calls (`ris mcp`): from now on, a refresh walks the files
    /// only when the folders report a change (inotify), instead of on every call. Returns
    /// false when the folders cannot be watched (the refresh then walks every time).
    @discardableResult
    public func watchFolders() -> Bool {
        watcher = FolderWatcher(root: base.root)
        return watcher != nil
    }

    /// `via`: what the person acts through when it is not the command line (`mcp client NAME`),
    /// written in the note of every audit event.
    public init(base: KnowledgeBase, actor: ActingUser? = nil, reporter: Reporter = .silent, via: String = "") {
        self.base = base
        self.declaredActor = actor
        self.reporter = reporter
        self.access = AccessGate(base: base, actor: { actor ?? .current() }, via: via)
    }

    /// The index, opened once (rebuilt when damaged, of another version or not made here), and
    /// refreshed first when `refresh` is true or it was rebuilt and not walked yet in this
    /// session (a rebuilt index is empty until then).
    /// A read-only knowledge base is read as it was last built.
    ///
    /// `trustingInterval`: a read that only lists or shows (search, similar, list, show) may
    /// trust a refresh younger than `refresh-interval`, saying so. Anything that writes or
    /// gives out an ID always compares the files.
    func index(refresh: Bool, trustingInterval: Bool = false) throws -> IndexStore {
        let store = try openIndex()
        guard !store.isReadOnly && (refresh || (store.wasRebuilt && !walked)) else { return store }
        // A watched knowledge base is walked again exactly when a folder reported a change
        // (`refresh-interval` does not apply: the watcher knows better). A change is kept
        // pending until a walk succeeds, so neither an early return nor a failed walk loses it.
        if let watcher {
            if watcher.changedSinceLastCheck() { changePending = true }
            if walked && !changePending { return store }
            _ = try self.refresh(store, full: false)
            changePending = false
            return store
        }
        let interval = base.config.refreshInterval
        if trustingInterval, interval > 0, !store.wasRebuilt, let age = try? store.secondsSinceRefresh(),
            age < Double(interval)
        {
            trustedLastRefresh = true
            // Trusting the last walk is the team's choice (`refresh-interval`), never a silent one.
            reporter.notice(
                "the files were last compared with the index \(Int(age)) s ago (refresh-interval: \(interval) s): "
                    + "changes since then are not seen; `ris index` reads them now"
            )
            return store
        }
        _ = try self.refresh(store, full: false)
        return store
    }

    /// Brings the index up to date with the files (`full`: re-reads every file).
    public func refreshIndex(full: Bool) throws -> IndexSummary {
        try refresh(try openIndex(), full: full)
    }

    /// Refreshes the index after a write, quietly: the file is already right, and an index
    /// left stale is brought up to date by the next command.
    func refreshAfterWrite() {
        guard let store = try? openIndex(), !store.isReadOnly else { return }
        _ = try? store.refresh()
    }

    private func openIndex() throws -> IndexStore {
        if let openedStore { return openedStore }
        let store: IndexStore
        do {
            store = try IndexStore(knowledgeBase: base)
        } catch {
            throw WorkflowError.failure("cannot open the index \(base.indexURL.path): \(error)")
        }
        for notice in store.notices { reporter.notice(notice) }
        openedStore = store
        return store
    }

    private func refresh(_ store: IndexStore, full: Bool) throws -> IndexSummary {
        let summary = try WorkflowError.mapping { try store.refresh(full: full, progress: reporter.progress) }
        walked = true
        reporter.progressDone()
        if summary.rereadAll {
            reporter.notice(
                "this ris reads records differently from the one that built the index (a newer parser or other "
                    + "field-aliases); every file was read again"
            )
        }
        for item in summary.diagnostics { reporter.diagnostic(item) }
        reporter.diagnosticsDone()
        return summary
    }

    /// The record a reference names: an ID, a path, or a unique prefix of either.
    public func resolve(_ reference: String, refresh: Bool = true) throws -> IndexedDocument {
        try resolve(reference, refresh: refresh, trustingInterval: false)
    }

    func resolve(_ reference: String, refresh: Bool, trustingInterval: Bool) throws -> IndexedDocument {
        switch try index(refresh: refresh, trustingInterval: trustingInterval).resolve(reference) {
        case .found(let document):
            return document
        case .notFound:
            throw WorkflowError.failure(
                "no record matches '\(reference)' (an ID, a path, or a unique prefix of either)")
        case .ambiguous(let candidates):
            let list = candidates.prefix(20).map {
                "  \(UntrustedText.escaped($0.id))  \(UntrustedText.escaped($0.path))  "
                    + "\(UntrustedText.escaped($0.title))"
            }
            throw WorkflowError.usage(
                "'\(reference)' names \(candidates.count) records; give the path:\n" + list.joined(separator: "\n"))
        }
    }
}
