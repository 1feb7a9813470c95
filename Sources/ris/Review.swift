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
            subcommands: [Record.self]
        )

        struct Record: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Record that a record was reviewed: sets last-reviewed and reviewed-by in its front matter.",
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
                let url = base.root.appendingPathComponent(entry.path)
                let day = date ?? Day.format(Date())
                let lock = base.risFolder.appendingPathComponent("review.lock")
                try HotPatternFile.withLock(lock) {
                    guard let data = FileManager.default.contents(atPath: url.path) else {
                        throw CLIFailure(message: "cannot read \(entry.path)", code: 1)
                    }
                    do {
                        var edited = try FrontMatterEditor.setting(["last-reviewed"], to: .string(day), in: data, pathExtension: url.pathExtension)
                        edited = try FrontMatterEditor.setting(["reviewed-by"], to: .string(reviewer.trimmed()), in: edited, pathExtension: url.pathExtension)
                        try AtomicFile.write(edited, to: url)
                    } catch let error as FrontMatterEditError {
                        throw CLIFailure(message: "\(entry.path): \(error)", code: 1)
                    }
                }
                _ = try? store.refresh()
                switch output.format {
                case .json: try printJSON(["id": entry.id, "path": entry.path, "lastReviewed": day, "reviewedBy": reviewer.trimmed()])
                case .text: Terminal.write("\(entry.id) reviewed by \(reviewer.trimmed()) on \(day)")
                }
            }
        }
    }
}
