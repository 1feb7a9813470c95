import Foundation
import FrontMatter
import RISKit
import RISStore

/// What a new record is made from: fields for the template, or an existing file copied in.
public enum RecordSource: Sendable {
    case fields(NewRecord.Fields)
    /// A record file (any path): copied in as it is, given an ID in its front matter when it has none.
    case file(String)
}

/// What `createRecord` made.
public struct CreatedRecord: Sendable {
    public var record: NewRecord
    /// Records that may be the same incident (to link under Related Issues).
    public var similar: [SearchHit]
    /// What ris reads in the new record that is wrong or doubtful.
    public var diagnostics: [Diagnostic]
    /// False for a dry run.
    public var written: Bool
}

extension KnowledgeBaseSession {
    /// Creates the next record: its ID is the highest of the configured prefix in the index and
    /// in the resolutions folder, plus one, decided and written under `.ris/add.lock` (the file
    /// is created exclusively), so concurrent runs never give an ID twice. `Created By` is the
    /// acting user. `edit` (a person's editor) runs on the new file before it is logged, so a
    /// record that requires access auditing is logged as it was saved; when the event cannot be
    /// appended, a file not yet edited is taken back (no audited record without its event).
    /// The records that may be the same incident are a match, logged like a search's.
    public func createRecord(
        from source: RecordSource, today: CalendarDay, dryRun: Bool = false, edit: ((URL) -> Bool)? = nil
    ) throws -> CreatedRecord {
        let store = try index(refresh: true)
        let resolutions = base.root.appendingPathComponent(base.config.resolutions)
        var similar: [SearchHit] = []
        var copied: RecordRead?
        let record: NewRecord = try WorkflowError.mapping {
            try base.files.withLock(.lock("add")) {
                // Under the lock: IDs of the index and of the files as they are now.
                let names = (try? FileManager.default.contentsOfDirectory(atPath: resolutions.path)) ?? []
                let identifiers = try store.allIdentifiers() + names.map { ($0 as NSString).deletingPathExtension }
                let id = NewRecord.nextIdentifier(
                    after: identifiers, prefix: base.config.idPrefix, width: base.config.idWidth)
                let (record, source) = try makeRecord(id: id, from: source, today: today)
                copied = source
                let draft = DocumentParser.parse(
                    data: Data(record.text.utf8), path: record.path, options: base.config.parseOptions)
                similar = (try? store.similar(to: draft, excluding: record.path, limit: 3)) ?? []
                if !dryRun { try base.files.write(record.path, Data(record.text.utf8), createOnly: true) }
                return record
            }
        }
        similar = try access.listing(similar, path: \.path, .similar, in: store).items
        guard !dryRun else {
            // A dry run prints the text: copied from an audited record of this base, a read of it.
            if let copied { try access.append(.createRecordSource, [copied]) }
            return CreatedRecord(record: record, similar: similar, diagnostics: [], written: false)
        }
        let edited = edit?(base.root.appendingPathComponent(record.path)) ?? false
        let (document, read) = base.record(at: record.path)
        do {
            try access.log(.createRecord, document, path: record.path, data: read ?? Data())
        } catch {
            // The file is ris's own until a person edits it: taken back rather than left unlogged.
            if !edited { try? base.files.remove(record.path) }
            throw error
        }
        refreshAfterWrite()
        return CreatedRecord(record: record, similar: similar, diagnostics: document.diagnostics, written: true)
    }

    /// The new record, and the source file's read when it is an audited record of this base.
    private func makeRecord(id: String, from source: RecordSource, today: CalendarDay) throws
        -> (NewRecord, RecordRead?)
    {
        switch source {
        case .fields(let fields):
            let template = try base.template(named: "ris.mustache")
            do {
                return (
                    try NewRecord.make(
                        id: id, fields: fields, config: base.config, today: today.text, author: actor.name,
                        template: template), nil
                )
            } catch let invalid as RISKitError where invalid.kind == .invalidRecord {
                throw WorkflowError.usage(invalid.description)
            }
        case .file(let path):
            guard let data = DocumentParser.contents(atPath: path) else {
                throw WorkflowError.failure("cannot read \(path)")
            }
            let document = DocumentParser.parse(data: data, path: path, options: base.config.parseOptions)
            // The source's own problems, under its own path, as `ris parse` would show them.
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            for diagnostic in document.diagnostics {
                reporter.diagnostic(PathDiagnostic(path: absolute, diagnostic: diagnostic))
            }
            reporter.flushDiagnostics()
            if document.hasErrors { throw WorkflowError.failure("\(path) has errors; fix them first") }
            let read = sourceRead(of: path, document: document, data: data)
            let name = (path as NSString).lastPathComponent
            let folder = base.config.resolutions.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            if NewRecord.number(in: document.id, prefix: base.config.idPrefix) != nil {
                return (
                    NewRecord(
                        id: document.id, title: document.title, path: folder + "/" + name,
                        text: String(decoding: data, as: UTF8.self)), read
                )
            }
            // No ID: one is set in the front matter, the only change to the text.
            let edited: Data
            do {
                edited = try FrontMatterEditor.setting(
                    ["id"], to: .string(id), in: data, pathExtension: (name as NSString).pathExtension)
            } catch {
                throw WorkflowError.failure("cannot give \(path) an ID: \(error)")
            }
            let newPath: String
            do {
                newPath = try NewRecord.path(id: id, title: document.title, config: base.config)
            } catch let invalid as RISKitError where invalid.kind == .invalidRecord {
                throw WorkflowError.usage(invalid.description)
            }
            return (
                NewRecord(id: id, title: document.title, path: newPath, text: String(decoding: edited, as: UTF8.self)),
                read
            )
        }
    }

    /// The read of a `--from` file when it is an audited record of this knowledge base.
    private func sourceRead(of path: String, document: RISDocument, data: Data) -> RecordRead? {
        guard access.isAudited(document), let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        let real = String(cString: resolved)
        let root = base.files.realRoot
        guard real.hasPrefix(root == "/" ? "/" : root + "/") else { return nil }
        return RecordRead(
            path: String(real.dropFirst(root == "/" ? 1 : root.count + 1)), document: document, data: data)
    }
}
