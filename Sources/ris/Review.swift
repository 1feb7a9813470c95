import ArgumentParser
import Foundation
import FrontMatter
import RISKit
import RISStore

extension RIS {
    /// `ris review`: the periodic reviews of records.
    struct Review: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the periodic review of records.",
            subcommands: [Export.self, Record.self]
        )

        enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
            case csv, json, md, html
        }

        struct Export: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "The quarterly compliance review: one row per record, a summary and the control coverage.",
                discussion: """
                    --as-of defaults to the quarter's last day, so the same files give the same bytes. Formats: csv (RFC 4180,
                    UTF-8, header row), json, md (to commit), html (one self-contained printable file). Columns: docs/compliance.md.
                    """
            )
            @Option(help: ArgumentHelp("The quarter.", valueName: "YYYY-Qn"))
            var quarter: String
            @Option(help: ArgumentHelp("Judge states as of this day (default: the quarter's last day).", valueName: "YYYY-MM-DD"))
            var asOf: String?
            @Option(help: "csv, json, md or html.")
            var format: ExportFormat = .csv
            @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"), completion: .file())
            var output: String?
            @OptionGroup var knowledgeBase: KnowledgeBaseOptions

            func validate() throws {
                do { _ = try QuarterlyReview.bounds(of: quarter) } catch { throw ValidationError("\(error)") }
                if let asOf, Day.parse(asOf) == nil { throw ValidationError("--as-of takes a date like 2026-03-31, not '\(asOf)'") }
            }

            func run() throws {
                let base = try knowledgeBase.knowledgeBase()
                let (files, _) = FileScanner.scan(root: base.root, config: base.config)
                // Each file read once: the digest logged is of the very bytes reviewed.
                let records = files.map { base.record(at: $0.path) }
                let documents = records.map(\.document)
                let (_, end) = try QuarterlyReview.bounds(of: quarter)
                let day = asOf.flatMap(Day.parse) ?? end
                let findings = ComplianceCheck.check(documents, policy: CompliancePolicy(base.config.compliance), asOf: day)
                let review = try QuarterlyReview(quarter: quarter, asOf: day, documents: documents, findings: findings)
                let audited = records.filter { requiresAudit($0.document) }.map { document, read in
                    (document.path, document.id, ContentDigest.sha256(read ?? Data()))
                }
                try recordAccess(base, action: "read:export", documents: audited)
                let data: Data
                switch format {
                case .csv: data = Data(review.csv.utf8)
                case .json: data = try review.json() + Data("\n".utf8)
                case .md: data = Data(review.markdown.utf8)
                case .html: data = Data(review.html.utf8)
                }
                if let output {
                    try AtomicFile.write(data, to: URL(fileURLWithPath: output))
                    Terminal.writeError("wrote \(output): \(review.rows.count) records")
                } else if Terminal.isTerminal(STDOUT_FILENO) {
                    // On a terminal a person reads it: the records' text cannot drive the terminal.
                    Terminal.write(String(decoding: data, as: UTF8.self))
                } else {
                    FileHandle.standardOutput.write(data)
                }
            }
        }

        struct Record: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Record that a record was reviewed: sets last-reviewed and reviewed-by in its front matter and logs it.",
                discussion: """
                    Only the bytes of those two values change (or their lines are added); the write is atomic. JSON keys:
                    id, path, lastReviewed, reviewedBy.
                    """
            )
            @Argument(help: "The record: an ID, a path, or a unique prefix of either.")
            var reference: String
            @Option(help: "Who reviewed it.")
            var reviewer: String
            @Option(help: ArgumentHelp("The day of the review (default: today).", valueName: "YYYY-MM-DD"))
            var date: String?
            @Option(help: ArgumentHelp("What the review found; kept in the audit trail.", valueName: "text"))
            var note: String = ""
            @OptionGroup var output: FormatOptions
            @OptionGroup var knowledgeBase: KnowledgeBaseOptions

            func validate() throws {
                if let date, Day.parse(date) == nil { throw ValidationError("--date takes a date like 2026-03-31, not '\(date)'") }
                if reviewer.trimmed().isEmpty || reviewer.contains(where: \.isNewline) { throw ValidationError("--reviewer takes a name on one line") }
            }

            func run() throws {
                let base = try knowledgeBase.knowledgeBase()
                let store = try openIndex(base, refresh: true)
                let entry = try resolveReference(reference, in: store)
                let day = date ?? Day.format(Date())
                let pathExtension = (entry.path as NSString).pathExtension
                do {
                    try confined {
                        try base.edit(entry.path, lock: "review.lock") { data in
                            var edited = try FrontMatterEditor.setting(["last-reviewed"], to: .string(day), in: data, pathExtension: pathExtension)
                            edited = try FrontMatterEditor.setting(["reviewed-by"], to: .string(reviewer.trimmed()), in: edited, pathExtension: pathExtension)
                            // A review is always recorded in the audit trail, with its note; under the
                            // lock, so that events follow the edits in order.
                            let document = DocumentParser.parse(data: edited, path: entry.path, options: base.config.parseOptions)
                            try recordAccess(base, action: "write:review", documents: [(entry.path, document.id, ContentDigest.sha256(edited))],
                                             note: "reviewed by \(reviewer.trimmed()) on \(day)" + (note.isEmpty ? "" : ": \(note)"))
                            return edited
                        }
                    }
                } catch let error as FrontMatterEditError {
                    throw CLIFailure(message: "\(entry.path): \(error)", code: 1)
                }
                _ = try? store.refresh()
                switch output.format {
                case .json: try printJSON(["id": entry.id, "path": entry.path, "lastReviewed": day, "reviewedBy": reviewer.trimmed()])
                case .text: Terminal.write("\(Terminal.escaped(entry.id)) reviewed by \(Terminal.escaped(reviewer.trimmed())) on \(day)")
                }
            }
        }
    }
}
