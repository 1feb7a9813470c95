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
    /// acting user. A record that requires access auditing is logged as written.
    public func createRecord(from source: RecordSource, today: CalendarDay, dryRun: Bool = false) throws
        -> CreatedRecord
    {
        let store = try index(refresh: true)
        let resolutions = base.root.appendingPathComponent(base.config.resolutions)
        var similar: [SearchHit] = []
        let record: NewRecord = try WorkflowError.mapping {
            try base.files.withLock(.lock("add")) {
                // Under the lock: IDs of the index and of the files as they are now.
                let names = (try? FileManager.default.contentsOfDirectory(atPath: resolutions.path)) ?? []
                let identifiers = try store.allIdentifiers() + names.map { ($0 as NSString).deletingPathExtension }
                let id = NewRecord.nextIdentifier(
                    after: identifiers, prefix: base.config.idPrefix, width: base.config.idWidth)
                let record = try makeRecord(id: id, from: source, today: today)
                let draft = DocumentParser.parse(
                    data: Data(record.text.utf8), path: record.path, options: base.config.parseOptions)
                similar = (try? store.similar(to: draft, excluding: record.path, limit: 3)) ?? []
                if !dryRun { try base.files.write(record.path, Data(record.text.utf8), createOnly: true) }
                return record
            }
        }
        guard !dryRun else { return CreatedRecord(record: record, similar: similar, diagnostics: [], written: false) }
        let (document, read) = base.record(at: record.path)
        try access.log(.createRecord, document, path: record.path, data: read ?? Data())
        refreshAfterWrite()
        return CreatedRecord(record: record, similar: similar, diagnostics: document.diagnostics, written: true)
    }

    private func makeRecord(id: String, from source: RecordSource, today: CalendarDay) throws -> NewRecord {
        switch source {
        case .fields(let fields):
            let template = try base.template(named: "ris.mustache")
            do {
                return try NewRecord.make(
                    id: id, fields: fields, config: base.config, today: today.text, author: actor.name,
                    template: template)
            } catch let invalid as RISKitError where invalid.kind == .invalidRecord {
                throw WorkflowError.usage(invalid.description)
            }
        case .file(let path):
            guard let data = DocumentParser.contents(atPath: path) else {
                throw WorkflowError.failure("cannot read \(path)")
            }
            let document = DocumentParser.parse(data: data, path: path, options: base.config.parseOptions)
            if document.hasErrors {
                let problems = document.diagnostics.filter { $0.severity == .error }.map {
                    "\(UntrustedText.escaped(path)):\($0.line):\($0.column): error: "
                        + "\(UntrustedText.escaped($0.message))"
                }
                throw WorkflowError.failure((problems + ["\(path) has errors; fix them first"]).joined(separator: "\n"))
            }
            let name = (path as NSString).lastPathComponent
            let folder = base.config.resolutions.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            if NewRecord.number(in: document.id, prefix: base.config.idPrefix) != nil {
                return NewRecord(
                    id: document.id, title: document.title, path: folder + "/" + name,
                    text: String(decoding: data, as: UTF8.self))
            }
            // No ID: one is set in the front matter, the only change to the text.
            let edited: Data
            do {
                edited = try FrontMatterEditor.setting(
                    ["id"], to: .string(id), in: data, pathExtension: (name as NSString).pathExtension)
            } catch {
                throw WorkflowError.failure("cannot give \(path) an ID: \(error)")
            }
            return NewRecord(
                id: id, title: document.title,
                path: try NewRecord.path(id: id, title: document.title, config: base.config),
                text: String(decoding: edited, as: UTF8.self))
        }
    }
}
