import ArgumentParser
import Foundation
import FrontMatter
import RISKit
import RISStore

extension RIS {
    /// `ris search QUERY...`: find past incidents.
    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find records by words, phrases, IDs and error text.",
            discussion: """
                Words are AND-ed; "quoted phrases"; a OR b; -word excludes; word* is a prefix;
                title:, symptom:, keywords:, id:, body:, code: search one field. See docs/search.md.
                Exit 0 with results, 1 with none, 2 for a query or option that cannot be used.
                """
        )

        @Argument(parsing: .allUnrecognized, help: "What to search for.")
        var query: [String]
        @Option(help: "How many results at most.")
        var limit: Int = 20
        @OptionGroup var filters: FilterOptions
        @OptionGroup var output: ListFormatOptions
        @OptionGroup var knowledgeBase: KnowledgeBaseOptions
        @OptionGroup var refresh: RefreshOptions

        func validate() throws {
            guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
            if query.joined().trimmed().isEmpty { throw ValidationError("give something to search for") }
        }

        func run() throws {
            let base = try knowledgeBase.knowledgeBase()
            let store = try openIndex(base, refresh: !refresh.noRefresh)
            var hits: [SearchHit]
            do {
                hits = try store.search(query.joined(separator: " "), filters: filters.filters, limit: limit)
            } catch StoreError.badQuery(let message) {
                throw CLIFailure(message: message, code: 2)
            }
            // Snippets show content, and even a bare path tells what matched (`body:secr*` answers
            // word by word): reads of records that require auditing are recorded first, in every format.
            let withheld = try recordReadsOrWithhold(store, action: "read:search", paths: hits.map(\.path))
            hits.removeAll { withheld.contains($0.path) }
            try HitOutput.print(hits, format: output.format, showScore: true, showSnippet: true)
            if hits.isEmpty {
                if output.format == .table { Terminal.writeError("no record matches '\(query.joined(separator: " "))'") }
                throw ExitCode(1)
            }
        }
    }
}
