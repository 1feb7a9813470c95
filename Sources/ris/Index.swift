import ArgumentParser
import Foundation
import RISWorkflows

extension RIS {
    /// `ris index`: bring the index up to date.
    struct Index: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "index",
            abstract: "Bring the search index up to date with the files (only changed files are read).",
            discussion: """
                JSON keys: scanned, added, updated, removed, unchanged, withErrors (documents in the index
                with at least one error), seconds. Diagnostics of the files read go to stderr.
                Exit 0, or 1 when a file read in this run has an error.
                """
        )

        @OptionGroup var knowledgeBase: KnowledgeBaseOptions
        @Flag(help: "Re-read every file, not only the changed ones.")
        var full = false
        @OptionGroup var output: FormatOptions

        func run() throws {
            let session = try knowledgeBase.session()
            let summary = try session.refreshIndex(full: full)
            switch output.format {
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                var rounded = summary
                rounded.seconds = (summary.seconds * 1000).rounded() / 1000
                Terminal.writeOutput(try encoder.encode(rounded))
                Terminal.writeOutput(Data(utf8Of: "\n"))
            case .text:
                Terminal.write(
                    String(
                        format: "%d files: %d added, %d updated, %d removed, %d unchanged; %d with errors (%.2f s)",
                        summary.scanned, summary.added, summary.updated, summary.removed, summary.unchanged,
                        summary.withErrors,
                        summary.seconds))
            }
            // A configuration error fails the run too: the files read are not the ones configured.
            if summary.diagnostics.contains(where: { $0.diagnostic.severity == .error })
                || session.base.configDiagnostics.contains(where: { $0.severity == .error })
            {
                throw ExitCode(1)
            }
        }
    }
}
