import ArgumentParser
import Foundation
import RISWorkflows

extension RIS {
    /// `ris search QUERY...`: find past incidents.
    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "search",
            abstract: "Find records by words, phrases, IDs and error text.",
            discussion: """
                Words are AND-ed; "quoted phrases"; a OR b; -word excludes; word* is a prefix;
                title:, symptom:, keywords:, id:, body:, code: search one field. When few records have every word,
                part-words (crashloop*) and records with most of the words follow, and a word no record has gets a
                "did you mean"; each said on stderr. For a pasted log, use `ris match`. See docs/search.md.
                Exit 0 with results, 1 with none, 2 for a query or option that cannot be used.
                """
        )

        @Argument(parsing: .allUnrecognized, help: "What to search for.")
        var query: [String]
        @Option(parsing: .unconditional, help: "How many results at most.")
        var limit: Int = 20
        @OptionGroup var filters: FilterOptions
        @OptionGroup var output: ListFormatOptions
        @OptionGroup var knowledgeBase: KnowledgeBaseOptions
        @OptionGroup var refresh: RefreshOptions
        @OptionGroup var pager: PagerOptions

        /// The query's words: `--` ends the options and is not one of them.
        var words: [String] {
            guard let end = query.firstIndex(of: "--") else { return query }
            var words = query
            words.remove(at: end)
            return words
        }

        func validate() throws {
            // The query takes any words, so a mistyped option would be searched for: said instead.
            if let problem = UsageChecks.unknownOption(in: query, of: Search.self) { throw ValidationError(problem) }
            guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
            if words.joined().trimmed().isEmpty { throw ValidationError("give something to search for") }
        }

        func run() throws {
            pager.start(for: output.format == .table)
            let session = try knowledgeBase.session()
            let found = try session.search(
                words.joined(separator: " "), filters: filters.filters, limit: limit,
                refresh: !refresh.noRefresh, snippets: output.format != .paths, counting: output.format == .table)
            reportWithheld(found.withheld, in: session)
            for note in found.notes { Terminal.writeError("ris: note: " + Terminal.escaped(note)) }
            try HitOutput.print(
                found.items, format: output.format, showScore: true, showSnippet: true, limit: limit, total: found.total
            )
            if found.items.isEmpty {
                if output.format == .table {
                    Terminal.writeError("no record matches '\(Terminal.escaped(words.joined(separator: " ")))'")
                }
                throw ExitCode(1)
            }
        }
    }
}
