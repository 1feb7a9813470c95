import ArgumentParser
import Foundation
import RISWorkflows

extension ListSort: StringChoice {}

extension RIS {
    /// `ris list`: the records of the knowledge base.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List records, filtered and sorted.",
            discussion: "Exit 0 when a record is listed, 1 when none matches."
        )

        @OptionGroup var filters: FilterOptions
        @Option(help: "Order: date (newest first), id, severity (most severe first) or title.")
        var sort: ListSort = .date
        @Option(parsing: .unconditional, help: "How many records at most.")
        var limit: Int?
        @OptionGroup var output: ListFormatOptions
        @OptionGroup var knowledgeBase: KnowledgeBaseOptions
        @OptionGroup var refresh: RefreshOptions
        @OptionGroup var pager: PagerOptions

        func validate() throws {
            if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        }

        func run() throws {
            pager.start(for: output.format == .table)
            let found = try knowledgeBase.session().list(
                filters: filters.filters, sort: sort, limit: limit, refresh: !refresh.noRefresh,
                counting: output.format == .table)
            try HitOutput.print(
                found.items, format: output.format, showScore: false, showSnippet: false, limit: limit,
                total: found.total)
            if found.items.isEmpty { throw ExitCode(1) }
        }
    }
}
