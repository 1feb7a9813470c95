import ArgumentParser
import Foundation
import RISWorkflows

extension RIS {
    /// `ris add`: the next record, from a template.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
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
        @Option(
            help: ArgumentHelp("The incident's date (default: today).", valueName: "YYYY-MM-DD"),
            transform: CalendarDay.argument)
        var date: CalendarDay?
        @Option(help: "A category (Infrastructure, Database ...).")
        var category: String?
        @Option(help: ArgumentHelp("What the incident broke.", valueName: "text"))
        var impact: String?
        @Option(
            name: .customLong("from"),
            help: ArgumentHelp("Copy this existing record in, giving it an ID when it has none.", valueName: "file"),
            completion: .file())
        var source: String?
        @Option(help: "What was seen: the error as it appeared (goes under Symptom).")
        var symptom: String?
        @Option(name: .customLong("root-cause"), help: "Why it happened (goes under Root Cause Analysis).")
        var rootCause: String?
        @Option(help: "What fixed it (goes under Resolution).")
        var resolution: String?
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
            let session = try knowledgeBase.session()
            var fields = NewRecord.Fields(title: title ?? "", date: (date ?? .today()).text)
            (fields.severity, fields.status, fields.category, fields.impact) = (severity, status, category, impact)
            (fields.symptom, fields.rootCause, fields.resolution) = (symptom, rootCause, resolution)
            // The editor runs inside the workflow, before the record is logged as saved.
            let editor: ((URL) -> Bool)? = edit ? { url in openEditor(on: url) } : nil
            let created = try session.createRecord(
                from: source.map(RecordSource.file) ?? .fields(fields), today: .today(), dryRun: dryRun, edit: editor)
            if !created.similar.isEmpty {
                Terminal.writeError("ris: records that may be the same incident (link them under Related Issues):")
                for hit in created.similar {
                    Terminal.writeError(
                        String(
                            format: "  %@  %@  (%.2f)  %@", Terminal.escaped(hit.id, .inline),
                            Terminal.escaped(hit.title, .inline),
                            hit.score, Terminal.escaped(hit.path, .inline)))
                }
            }
            let record = created.record
            if dryRun {
                switch output.format {
                case .json: try printJSON(["id": record.id, "path": record.path, "text": record.text])
                case .text:
                    Terminal.write(record.text)
                    Terminal.writeError("ris: would write \(record.path) (dry run: nothing written)")
                }
                return
            }
            for diagnostic in created.diagnostics {
                Terminal.report(diagnostic, path: session.base.display(record.path))
            }
            switch output.format {
            case .json: try printJSON(["id": record.id, "path": record.path])
            case .text: Terminal.write(session.base.display(record.path))
            }
        }

        /// `$VISUAL` or `$EDITOR` on the new file, when a person is at a terminal. Returns whether it ran.
        func openEditor(on url: URL) -> Bool {
            guard Terminal.isTerminal(STDIN_FILENO), Terminal.isTerminal(STDOUT_FILENO), let command = Editor.configured
            else { return false }
            _ = Editor.open(url, with: command)
            return true
        }
    }
}
