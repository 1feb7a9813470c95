import ArgumentParser
import Foundation
import RISWorkflows

extension RIS {
    /// `ris review`: the periodic reviews of records.
    struct Review: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "review",
            abstract: "Record the periodic review of records.",
            subcommands: [Export.self, Record.self]
        )

        enum ExportFormat: String, StringChoice {
            case csv, json, md, html
        }

        struct Export: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "export",
                abstract:
                    "The quarterly compliance review an auditor signs: overview, records, findings, control coverage, "
                    + "provenance and sign-off.",
                discussion: """
                    --as-of defaults to the quarter's last day; with SOURCE_DATE_EPOCH set, the same files give the \
                    same bytes. Formats: csv (RFC 4180, UTF-8, header row, one row per record), json, md (to \
                    commit), html (one self-contained page that prints as a landscape PDF). Contents and columns: \
                    docs/compliance.md.
                    """
            )
            @Option(
                help: ArgumentHelp("The quarter (default: the last one that has ended).", valueName: "YYYY-Qn"),
                transform: Quarter.argument)
            var quarter: Quarter?
            @Option(
                help: ArgumentHelp(
                    "Judge states as of this day (default: the quarter's last day).", valueName: "YYYY-MM-DD"),
                transform: CalendarDay.argument)
            var asOf: CalendarDay?
            @Option(help: "csv, json, md or html.")
            var format: ExportFormat = .csv
            @Option(
                help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"),
                completion: .file())
            var output: String?
            @OptionGroup var knowledgeBase: KnowledgeBaseOptions

            func validate() throws {
            }

            func run() throws {
                let review = try knowledgeBase.session().exportReview(
                    quarter: quarter ?? .lastComplete(before: .today()), asOf: asOf)
                let data: Data
                switch format {
                case .csv: data = Data(review.csv.utf8)
                case .json: data = try review.json() + Data(utf8Of: "\n")
                case .md: data = Data(review.markdown.utf8)
                case .html: data = Data(review.html.utf8)
                }
                if let output {
                    try AtomicFile.write(data, to: URL(fileURLWithPath: output))
                    Terminal.writeError(
                        "wrote \(output): \(review.records.count) records, \(review.articles.count) KB articles")
                } else if Terminal.isTerminal(STDOUT_FILENO) {
                    // On a terminal a person reads it: the records' text cannot drive the terminal.
                    Terminal.write(String(decoding: data, as: UTF8.self))
                } else {
                    Terminal.writeOutput(data)
                }
            }
        }

        struct Record: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "record",
                abstract:
                    "Record that a record was reviewed: sets last-reviewed and reviewed-by in its front matter and "
                    + "logs it.",
                discussion: """
                    Only the bytes of those two values change (or their lines are added), and those of the body's \
                    sign-off lines when present (Reviewed By and Review Date take the review; a pending Sign-Off \
                    becomes "reviewer, date"); the write is atomic. The date is refused in the future or before the \
                    record's creation. JSON keys: id, path, lastReviewed, reviewedBy, signOffFields.
                    """
            )
            @Argument(help: "The record: an ID, a path, or a unique prefix of either.")
            var reference: String
            @Option(help: "Who reviewed it.")
            var reviewer: String
            @Option(
                help: ArgumentHelp("The day of the review (default: today).", valueName: "YYYY-MM-DD"),
                transform: CalendarDay.argument)
            var date: CalendarDay?
            @Option(help: ArgumentHelp("What the review found; kept in the audit trail.", valueName: "text"))
            var note: String = ""
            @OptionGroup var output: FormatOptions
            @OptionGroup var knowledgeBase: KnowledgeBaseOptions

            func validate() throws {
                if reviewer.trimmed().isEmpty || reviewer.contains(where: \.isNewline) {
                    throw ValidationError("--reviewer takes a name on one line")
                }
                if SignOff.isPending(reviewer) {
                    throw ValidationError("--reviewer takes the reviewer's name, not '\(reviewer)'")
                }
            }

            func run() throws {
                let review = try knowledgeBase.session().recordReview(
                    of: reference, by: reviewer, on: date ?? .today(), note: note)
                switch output.format {
                case .json:
                    try printJSON(
                        RecordedReviewJSON(
                            id: review.id, path: review.path, lastReviewed: review.day, reviewedBy: review.reviewer,
                            signOffFields: review.signOffFields))
                case .text:
                    let completed =
                        review.signOffFields.isEmpty
                        ? ""
                        : "; sign-off completed: "
                            + review.signOffFields.map { Terminal.escaped($0) }.joined(separator: ", ")
                    Terminal.write(
                        "\(Terminal.escaped(review.id)) reviewed by \(Terminal.escaped(review.reviewer)) on "
                            + "\(review.day)\(completed)"
                    )
                }
            }
        }
    }
}

/// `ris review record --format json`.
private struct RecordedReviewJSON: Encodable {
    var id: String
    var path: String
    var lastReviewed: String
    var reviewedBy: String
    /// The body's sign-off fields the review completed, as the record names them.
    var signOffFields: [String]
}
