import ArgumentParser
import Foundation
import FrontMatter
import RISKit
import RISStore

extension RIS {
    /// `ris add`: the next record, from a template.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the next RIS record from a template (or copy one in with --from).",
            discussion: """
                The ID is the highest of the configured prefix in the index and the files, plus one. The file
                is created exclusively in the resolutions folder; .ris/templates/ris.mustache overrides the
                built-in template (docs/templates.md). Up to three similar records are shown on stderr first.
                JSON keys: id, path.
                """
        )

        @Option(help: "The incident's title.")
        var title: String?
        @Option(help: "CRITICAL, HIGH, MEDIUM, LOW or INFO.")
        var severity: String = "MEDIUM"
        @Option(help: "The status (OPEN, INVESTIGATING, RESOLVED ...).")
        var status: String = "OPEN"
        @Option(help: ArgumentHelp("The incident's date (default: today).", valueName: "YYYY-MM-DD"))
        var date: String?
        @Option(help: "A category (Infrastructure, Database ...).")
        var category: String?
        @Option(help: ArgumentHelp("What the incident broke.", valueName: "text"))
        var impact: String?
        @Option(name: .customLong("from"), help: ArgumentHelp("Copy this existing record in, giving it an ID when it has none.", valueName: "file"),
                completion: .file())
        var source: String?
        @Flag(help: "Open $VISUAL or $EDITOR on the new file (on a terminal).")
        var edit = false
        @Flag(help: "Print the record and its path; write nothing.")
        var dryRun = false
        @OptionGroup var output: FormatOptions
        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        func validate() throws {
            if source == nil && title == nil { throw ValidationError("give --title, or --from FILE") }
            if source != nil && title != nil { throw ValidationError("--title and --from do not go together") }
        }

        func run() throws {
            let base = try knowledgeBase.knowledgeBase()
            let store = try openIndex(base, refresh: true)
            let today = Day.format(Date())
            let resolutions = base.root.appendingPathComponent(base.config.resolutions)
            let created: NewRecord = try confined { try base.files.withLock(.lock("add")) {
                // Under the lock: IDs of the index and of the files as they are now.
                let names = (try? FileManager.default.contentsOfDirectory(atPath: resolutions.path)) ?? []
                let identifiers = try store.allIdentifiers() + names.map { ($0 as NSString).deletingPathExtension }
                let id = NewRecord.nextIdentifier(after: identifiers, prefix: base.config.idPrefix, width: base.config.idWidth)
                let record = try makeRecord(id: id, base: base, today: today)

                let draft = DocumentParser.parse(data: Data(record.text.utf8), path: record.path, options: base.config.parseOptions)
                let similar = (try? store.similar(to: draft, excluding: record.path, limit: 3)) ?? []
                if !similar.isEmpty {
                    Terminal.writeError("ris: records that may be the same incident (link them under Related Issues):")
                    for hit in similar {
                        Terminal.writeError(String(format: "  %@  %@  (%.2f)  %@", Terminal.escaped(hit.id, .inline), Terminal.escaped(hit.title, .inline),
                                                   hit.score, Terminal.escaped(hit.path, .inline)))
                    }
                }
                if dryRun { return record }
                try base.files.write(record.path, Data(record.text.utf8), createOnly: true)
                return record
            } }

            if dryRun {
                switch output.format {
                case .json: try printJSON(["id": created.id, "path": created.path, "text": created.text])
                case .text:
                    Terminal.write(created.text)
                    Terminal.writeError("ris: would write \(created.path) (dry run: nothing written)")
                }
                return
            }
            let url = base.root.appendingPathComponent(created.path)
            if edit, Terminal.isTerminal(STDIN_FILENO), Terminal.isTerminal(STDOUT_FILENO) {
                let environment = ProcessInfo.processInfo.environment
                if let editor = [environment["VISUAL"], environment["EDITOR"]].compactMap({ $0 }).first(where: { !$0.isEmpty }) {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: "/bin/sh")
                    process.arguments = ["-c", editor + " \"$1\"", "sh", url.path]
                    try process.run()
                    process.waitUntilExit()
                }
            }
            let (document, read) = base.record(at: created.path)
            if requiresAudit(document) {
                try recordAccess(base, action: "write:add", documents: [(created.path, created.id, ContentDigest.sha256(read ?? Data()))])
            }
            for diagnostic in document.diagnostics { Terminal.report(diagnostic, path: base.display(created.path)) }
            _ = try? store.refresh()
            switch output.format {
            case .json: try printJSON(["id": created.id, "path": created.path])
            case .text: Terminal.write(base.display(created.path))
            }
        }

        /// The new record: from the template, or the `--from` file given an ID.
        func makeRecord(id: String, base: KnowledgeBase, today: String) throws -> NewRecord {
            if let source {
                guard let data = DocumentParser.contents(atPath: source) else {
                    throw CLIFailure(message: "cannot read \(source)", code: 1)
                }
                let document = DocumentParser.parse(data: data, path: source, options: base.config.parseOptions)
                for diagnostic in document.diagnostics { Terminal.report(diagnostic, path: source) }
                if document.hasErrors { throw CLIFailure(message: "\(source) has errors; fix them first", code: 1) }
                let name = (source as NSString).lastPathComponent
                let folder = base.config.resolutions.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
                if NewRecord.number(in: document.id, prefix: base.config.idPrefix) != nil {
                    return NewRecord(id: document.id, title: document.title, path: folder + "/" + name, text: String(decoding: data, as: UTF8.self))
                }
                // No ID: one is set in the front matter, the only change to the text.
                let edited: Data
                do {
                    edited = try FrontMatterEditor.setting(["id"], to: .string(id), in: data, pathExtension: (name as NSString).pathExtension)
                } catch {
                    throw CLIFailure(message: "cannot give \(source) an ID: \(error)", code: 1)
                }
                let slug = HotPatternFile.slug(document.title).prefix(60)
                let numberPart = id.dropFirst(base.config.idPrefix.count + 1)
                return NewRecord(id: id, title: document.title, path: "\(folder)/\(base.config.idPrefix)-RESOLUTION-\(numberPart)-\(slug).md",
                                 text: String(decoding: edited, as: UTF8.self))
            }
            var fields = NewRecord.Fields(title: title ?? "", date: date ?? today)
            fields.severity = severity
            fields.status = status
            fields.category = category
            fields.impact = impact
            let template = try confined { try base.template(named: "ris.mustache") }
            do {
                return try NewRecord.make(id: id, fields: fields, config: base.config, today: today,
                                          author: ProcessInfo.processInfo.environment["USER"] ?? "unknown", template: template)
            } catch let invalid as NewRecord.Invalid {
                throw CLIFailure(message: invalid.description, code: 2)
            }
        }
    }
}
