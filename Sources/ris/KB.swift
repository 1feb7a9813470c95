import ArgumentParser
import Foundation
import RISWorkflows

extension RIS {
    /// `ris kb`: knowledge-base articles derived from records.
    struct KB: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "kb",
            abstract: "Knowledge-base articles derived from records.",
            subcommands: [Generate.self]
        )

        struct Generate: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "generate",
                abstract: "Write a KB article from a record (template kb.mustache).",
                discussion: """
                    Default path: <kb folder>/<area>/kb-<slug>.md, the area from the record's Category. The article
                    carries the record's compliance front matter and derived-from: {id, path, sha256}; the same
                    record gives identical bytes. An existing file is kept unless --force. JSON keys: path, id, written.
                    """
            )
            @Argument(help: "The record: an ID, a path, or a unique prefix of either.")
            var reference: String
            @Option(help: ArgumentHelp("Where to write, relative to the knowledge base's root.", valueName: "path"))
            var output: String?
            @Flag(help: "Replace an existing article.")
            var force = false
            @Flag(help: "Print the article; write nothing.")
            var dryRun = false
            @OptionGroup var format: FormatOptions
            @OptionGroup var knowledgeBase: KnowledgeBaseOptions

            func run() throws {
                let session = try knowledgeBase.session()
                let article = try session.generateArticle(from: reference, output: output, force: force, dryRun: dryRun)
                guard article.written else {
                    Terminal.write(article.text)
                    Terminal.writeError("ris: would write \(article.path) (dry run: nothing written)")
                    return
                }
                switch format.format {
                case .json: try printJSON(["path": article.path, "id": article.id])
                case .text: Terminal.write("wrote \(session.base.display(article.path))")
                }
            }
        }
    }

    /// `ris stale`: derived articles whose record changed.
    struct Stale: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stale",
            abstract: "List derived articles whose source record changed (or is gone) since they were made.",
            discussion:
                "JSON keys: path, source, reason (changed or missing). Exit 0 when none is stale, 1 when one is."
        )
        @OptionGroup var output: FormatOptions
        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        func run() throws {
            let stale = try knowledgeBase.session().staleArticles()
            switch output.format {
            case .json: try printJSON(stale)
            case .text:
                if stale.isEmpty { Terminal.write("no derived article is stale") }
                for entry in stale {
                    let (path, source) = (
                        Terminal.escaped(entry.path, .inline), Terminal.escaped(entry.source, .inline)
                    )
                    Terminal.write(
                        "\(path): \(source) \(entry.reason == .missing ? "is gone" : "changed"); regenerate with "
                            + "`ris kb generate \(source) --output \(path) --force`"
                    )
                }
            }
            if !stale.isEmpty { throw ExitCode(1) }
        }
    }
}
