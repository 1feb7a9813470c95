import Foundation
import GRDB
import RISKit
import XCTest

@testable import RISStore

/// A query that matches most of a large knowledge base is ordered without BM25 (which says
/// nothing about such terms): the same set of matches, newest first.
final class SearchOrderTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("ris-order-\(UUID().uuidString)")
        try KnowledgeBase.initialize(at: root)
        let count = IndexStore.nonSelectiveMinimumDocuments + 200
        // "zircon" is in two records of three, but in none of the first 400 in path order (the
        // order of their rowids): the first rows misjudge it as selective.
        let pathOrder = (1...count).sorted { Array("r/\($0).md".utf8).lexicographicallyPrecedes("r/\($1).md".utf8) }
        let withoutZircon = Set(pathOrder.prefix(400))
        for number in 1...count {
            // Every record mentions "gateway"; one in three has it in its title; one in ten
            // says "quasar" (selective); the date moves backwards and forwards through 2025-2026.
            let title = number % 3 == 0 ? "Gateway outage \(number)" : "Queue backlog \(number)"
            let day = String(format: "%04d-%02d-%02d", 2025 + number % 2, 1 + number % 12, 1 + number % 28)
            let rare =
                (number % 10 == 0 ? "quasar quasar" : "nothing unusual")
                + (withoutZircon.contains(number) ? "" : " zircon")
            let text = """
                # RIS-\(String(format: "%05d", number)): \(title)

                **Date:** \(day)
                **Severity:** HIGH

                ## Symptom

                The gateway returned errors; \(rare).
                """
            let url = root.appendingPathComponent("r/\(number).md")
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        _ = try IndexStore(knowledgeBase: KnowledgeBase(root: root)).refresh()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    func testANonSelectiveQueryKeepsTheSetAndOrdersNewestFirst() throws {
        let store = try IndexStore(knowledgeBase: KnowledgeBase(root: root))
        let total = IndexStore.nonSelectiveMinimumDocuments + 200
        let all = try store.search("gateway", limit: total + 10)
        XCTAssertEqual(all.count, total, "every record matches")
        let ranked = try store.database.read { db in
            try IndexStore.rankedMatches(
                db, pattern: try QuerySyntax("gateway").ftsPattern, whereSQL: "", arguments: [], limit: total + 10)
        }
        XCTAssertEqual(Set(all.map(\.path)), Set(ranked.map(\.path)), "the same matches as BM25 would order")

        let dates = all.map { $0.date ?? "" }
        XCTAssertEqual(dates, dates.sorted(by: >), "newest first")
        // A short page is the head of the long one, with snippets and scores for what it shows.
        let page = try store.search("gateway", limit: 20)
        XCTAssertEqual(page.map(\.path), all.prefix(20).map(\.path))
        XCTAssertTrue(page.allSatisfy { $0.snippet.contains("\u{2}") }, "snippets mark the match")

        // Filters apply before the limit (such a query is ranked: a walk by date could probe
        // every row the filter rejects).
        var filters = SearchFilters()
        filters.since = "2026-01-01"
        let filtered = try store.search("gateway", filters: filters, limit: total)
        XCTAssertEqual(filtered.count, all.filter { ($0.date ?? "") >= "2026-01-01" }.count)
        XCTAssertTrue(filtered.allSatisfy { ($0.date ?? "") >= "2026-01-01" })
        var nothing = SearchFilters()
        nothing.severity = "LOW"
        XCTAssertEqual(try store.search("gateway", filters: nothing, limit: 20).count, 0)
    }

    func testASelectiveQueryIsStillRankedByBM25() throws {
        let store = try IndexStore(knowledgeBase: KnowledgeBase(root: root))
        let hits = try store.search("quasar gateway", limit: 500)
        let ranked = try store.database.read { db in
            try IndexStore.rankedMatches(
                db, pattern: try QuerySyntax("quasar gateway").ftsPattern, whereSQL: "", arguments: [], limit: 500)
        }
        XCTAssertEqual(hits.map(\.path), ranked.map(\.path))
        XCTAssertEqual(hits.count, (IndexStore.nonSelectiveMinimumDocuments + 200) / 10)
        XCTAssertTrue(hits.allSatisfy { $0.score > 0 })
    }

    /// A selective query of one word or phrase is ranked in one pass that counts its rows as
    /// it scores them: the same hits, scores and snippets as the ranked query given the count
    /// of a pass before it, and the tally is that count.
    func testOnePassRankingIsTheRankingOfTheCountedRows() throws {
        let store = try IndexStore(knowledgeBase: KnowledgeBase(root: root))
        let total = IndexStore.nonSelectiveMinimumDocuments + 200
        for query in ["quasar", "\"quasar quasar\"", "\"gateway outage\"", "outage"] {
            let pattern = try QuerySyntax(query).ftsPattern
            try store.database.read { db in
                let counted = try XCTUnwrap(IndexStore.countMatches(db, pattern: pattern), query)
                XCTAssertFalse(counted.isNonSelective, query)
                XCTAssertFalse(try IndexStore.firstRowsSuggestCommon(db, pattern: pattern, total: total), query)
                for (limit, snippets) in [(20, true), (2_000, true), (7, false)] {
                    let (onePass, matching) = try XCTUnwrap(
                        IndexStore.rankedInOnePass(
                            db, pattern: pattern, half: total / 2, limit: limit, snippets: snippets),
                        query)
                    XCTAssertEqual(matching, counted.matching, query)
                    let twoPasses = try IndexStore.rankedMatches(
                        db, pattern: pattern, whereSQL: "", arguments: [], limit: limit, snippets: snippets,
                        phraseRows: counted.matching)
                    XCTAssertEqual(onePass.count, min(limit, counted.matching), query)
                    XCTAssertEqual(onePass.map(\.path), twoPasses.map(\.path), query)
                    XCTAssertEqual(onePass.map(\.score), twoPasses.map(\.score), query)
                    XCTAssertEqual(onePass.map(\.snippet), twoPasses.map(\.snippet), query)
                    XCTAssertEqual(onePass.map(\.id), twoPasses.map(\.id), query)
                }
                // One more row than the pass may rank stops it.
                XCTAssertNil(
                    try IndexStore.rankedInOnePass(
                        db, pattern: pattern, half: counted.matching - 1, limit: 20, snippets: false), query)
                XCTAssertNotNil(
                    try IndexStore.rankedInOnePass(
                        db, pattern: pattern, half: counted.matching, limit: 20, snippets: false), query)
            }
        }
    }

    /// "20 of N" under a full page: a selective query's N is the count its ranking made, and
    /// equals the count of every match.
    func testTheTotalUnderAFullPageIsEveryMatch() throws {
        let store = try IndexStore(knowledgeBase: KnowledgeBase(root: root))
        for query in ["quasar", "\"gateway outage\"", "outage", "quasar gateway", "gateway", "zircon"] {
            let syntax = try QuerySyntax(query)
            let results = try store.find(query, limit: 5, snippets: false, counting: true)
            XCTAssertEqual(results.hits.count, 5, query)
            let every = try store.countAllMatches(syntax, whereSQL: "", arguments: [])
            XCTAssertEqual(results.total, every, query)
            XCTAssertEqual(try store.search(query, limit: 5_000).count, every, query)
            var filters = SearchFilters()
            filters.since = "2026-01-01"
            let filtered = try store.find(query, filters: filters, limit: 5, snippets: false, counting: true)
            let passing = try store.search(query, filters: filters, limit: 5_000).count
            XCTAssertEqual(filtered.total, passing >= 5 ? passing : nil, query)
        }
    }

    /// A word in most records that the first rows misjudge as selective is still listed newest
    /// first: the one pass stops past half of the rows, and the count decides.
    func testACommonWordTheFirstRowsMisjudgeIsListedNewestFirst() throws {
        let store = try IndexStore(knowledgeBase: KnowledgeBase(root: root))
        let total = IndexStore.nonSelectiveMinimumDocuments + 200
        let pattern = try QuerySyntax("zircon").ftsPattern
        let (misjudged, counted) = try store.database.read { db in
            (
                try IndexStore.firstRowsSuggestCommon(db, pattern: pattern, total: total),
                try IndexStore.countMatches(db, pattern: pattern)
            )
        }
        XCTAssertFalse(misjudged, "the first rows hold no zircon")
        XCTAssertEqual(counted?.matching, total / 2 + 1, "counted up to half plus one")
        XCTAssertEqual(counted?.isNonSelective, true)
        let hits = try store.search("zircon", limit: 30)
        let newest = try store.database.read { db in
            try IndexStore.matchesNewestFirst(db, pattern: pattern, isConjunction: true, limit: 30, snippets: true)
        }
        XCTAssertEqual(hits.map(\.path), newest.map(\.path))
        XCTAssertEqual(hits.map(\.score), newest.map(\.score))
        let dates = hits.map { $0.date ?? "" }
        XCTAssertEqual(dates, dates.sorted(by: >), "newest first")
        // "gateway" (in every record) is judged common from the first rows: counted, as before.
        try store.database.read { db in
            XCTAssertTrue(
                try IndexStore.firstRowsSuggestCommon(db, pattern: try QuerySyntax("gateway").ftsPattern, total: total))
        }
    }

    /// A query of one word or phrase is scored from the rows counted to decide its order
    /// (`ris_bm25`), a non-selective one without counting its words' rows for each row shown:
    /// the order, the scores and the snippets are FTS5's bm25() and snippet() all the same.
    func testScoresTakenFromTheCountAreBM25s() throws {
        let store = try IndexStore(knowledgeBase: KnowledgeBase(root: root))
        for query in ["quasar", "\"quasar quasar\"", "\"gateway outage\"", "outage", "gateway", "\"the gateway\""] {
            let syntax = try QuerySyntax(query)
            let hits = try store.search(query, limit: 2_000)
            XCTAssertFalse(hits.isEmpty, query)
            let ranked = try store.database.read { db -> [SearchHit] in
                let scores = Dictionary(
                    uniqueKeysWithValues: try Row.fetchAll(
                        db, sql: "SELECT rowid, -rank FROM documentSearch WHERE documentSearch MATCH ?",
                        arguments: [syntax.ftsPattern]
                    ).map { ($0[0] as Int64, $0[1] as Double) })
                let paths = try Row.fetchAll(db, sql: "SELECT path, docId FROM document").map {
                    ($0[0] as String, $0[1] as Int64)
                }
                let byPath = Dictionary(uniqueKeysWithValues: paths)
                for hit in hits {
                    XCTAssertEqual(hit.score, scores[byPath[hit.path]!], "\(query): \(hit.path)")
                }
                return try IndexStore.rankedMatches(
                    db, pattern: syntax.ftsPattern, whereSQL: "", arguments: [], limit: 2_000)
            }
            if try store.database.read({ db in try IndexStore.countMatches(db, pattern: syntax.ftsPattern) })?
                .isNonSelective == false
            {
                XCTAssertEqual(hits.map(\.path), ranked.map(\.path), query)
                XCTAssertEqual(hits.map(\.snippet), ranked.map(\.snippet), query)
            }
        }
    }
}
