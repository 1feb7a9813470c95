import ArgumentParser
import Foundation
import RISWorkflows

extension RIS {
    /// `ris similar REF`: records like this one.
    struct Similar: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "similar",
            abstract: "Find the records most like one record (its title, symptom, keywords and root cause).",
            discussion: """
                Scored as `ris match` scores a log (docs/search.md): the record itself and hot-patterns files are left
                out, and a record sharing nothing distinctive is never listed. Exit 0 with results, 1 with none.
                """
        )

        @Argument(help: "An ID, a path, or a unique prefix of either.")
        var reference: String
        @Option(parsing: .unconditional, help: "How many results at most.")
        var limit: Int = 10
        @OptionGroup var filters: FilterOptions
        @OptionGroup var output: ListFormatOptions
        @OptionGroup var knowledgeBase: KnowledgeBaseOptions
        @OptionGroup var refresh: RefreshOptions
        @OptionGroup var pager: PagerOptions

        func validate() throws {
            guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
        }

        func run() throws {
            pager.start(for: output.format == .table)
            let session = try knowledgeBase.session()
            let found = try session.similar(
                to: reference, filters: filters.filters, limit: limit, refresh: !refresh.noRefresh)
            reportWithheld(found.withheld, in: session)
            try HitOutput.print(found.items, format: output.format, showScore: true, showSnippet: true)
            if found.items.isEmpty { throw ExitCode(1) }
        }
    }
}
