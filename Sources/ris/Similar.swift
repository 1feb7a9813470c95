import ArgumentParser
import Foundation
import RISKit
import RISStore

extension RIS {
    /// `ris similar REF`: records like this one.
    struct Similar: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find the records most like one record (its title, symptom, keywords and root cause).",
            discussion: "The record itself is left out. Exit 0 with results, 1 with none."
        )

        @Argument(help: "An ID, a path, or a unique prefix of either.")
        var reference: String
        @Option(help: "How many results at most.")
        var limit: Int = 10
        @OptionGroup var filters: FilterOptions
        @OptionGroup var output: ListFormatOptions
        @OptionGroup var knowledgeBase: KnowledgeBaseOptions
        @OptionGroup var refresh: RefreshOptions

        func validate() throws {
            guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
        }

        func run() throws {
            let base = try knowledgeBase.knowledgeBase()
            let store = try openIndex(base, refresh: !refresh.noRefresh)
            let entry = try resolveReference(reference, in: store)
            let document = base.record(at: entry.path).document
            var hits = try store.similar(to: document, excluding: entry.path, filters: filters.filters, limit: limit)
            // Snippets show content, and a match tells of it: reads of records that require
            // auditing are recorded first, in every format.
            let withheld = try recordReadsOrWithhold(store, action: "read:similar", paths: hits.map(\.path))
            hits.removeAll { withheld.contains($0.path) }
            try HitOutput.print(hits, format: output.format, showScore: true, showSnippet: true)
            if hits.isEmpty { throw ExitCode(1) }
        }
    }
}
