import CRISSearch
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
        // "zircon" is in three records of four, but in none of the first or last 150 in path
        // order (the order of their rowids): a sample of both ends misjudges it as selective.
        let pathOrder = (1...count).sorted { Array("r/\($0).md".utf8).lexicographicallyPrecedes("r/\($1).md".utf8) }
        let withoutZircon = Set(pathOrder.prefix(150) + pathOrder.suffix(150))
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

    /// `countMatches` of the whole index.
    func counted(_ db: Database, _ pattern: String) throws -> (matching: Int, isNonSelective: Bool)? {
        try IndexStore.countMatches(db, pattern: pattern, total: try IndexStore.documentCount(db))
    }

    /// A selective query of one word or phrase is ranked in one pass that counts its rows as
    /// it scores them: the same hits, scores and snippets as the ranked query given the count
    /// of a pass before it, the same hits and scores as FTS5's own rank, and the tally is that
    /// count; after records are removed too (rowids with gaps).
    func testOnePassRankingIsTheRankingOfTheCountedRows() throws {
        let store = try IndexStore(knowledgeBase: KnowledgeBase(root: root))
        try compareOnePassRanking(store)
        for number in stride(from: 1, through: 300, by: 3) {
            try FileManager.default.removeItem(at: root.appendingPathComponent("r/\(number).md"))
        }
        XCTAssertEqual(try store.refresh().removed, 100)
        try compareOnePassRanking(store)
    }

    func compareOnePassRanking(_ store: IndexStore) throws {
        for query in ["quasar", "\"quasar quasar\"", "\"gateway outage\"", "outage"] {
            let pattern = try QuerySyntax(query).ftsPattern
            try store.database.read { db in
                let total = try IndexStore.documentCount(db)
                let counted = try XCTUnwrap(try self.counted(db, pattern), query)
                XCTAssertFalse(counted.isNonSelective, query)
                XCTAssertFalse(try IndexStore.sampleSuggestsCommon(db, pattern: pattern, total: total), query)
                let ownRank = try IndexStore.rankedMatches(
                    db, pattern: pattern, whereSQL: "", arguments: [], limit: 2_000, snippets: false)
                let all = try XCTUnwrap(
                    IndexStore.rankedInOnePass(db, pattern: pattern, half: total / 2, limit: 2_000, snippets: false))
                XCTAssertEqual(all.hits.map(\.path), ownRank.map(\.path), query)
                XCTAssertEqual(all.hits.map(\.score), ownRank.map(\.score), query)
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
                    // Split in two halves read at once on two connections: the same to the bit.
                    let reader = try self.secondReader(of: store)
                    let halvesBefore = reader.halvesRead
                    let (split, splitMatching) = try XCTUnwrap(
                        IndexStore.rankedInOnePass(
                            db, pattern: pattern, half: total / 2, limit: limit, snippets: snippets,
                            secondReader: reader),
                        query)
                    XCTAssertEqual(reader.halvesRead, halvesBefore + 1, "the other connection read a half: \(query)")
                    XCTAssertEqual(splitMatching, counted.matching, query)
                    XCTAssertEqual(split.map(\.path), onePass.map(\.path), query)
                    XCTAssertEqual(split.map(\.score), onePass.map(\.score), query)
                    XCTAssertEqual(split.map(\.snippet), onePass.map(\.snippet), query)
                }
                // The halves add up: the rows below and above the middle are all the rows.
                let middle = try XCTUnwrap(IndexStore.middleDocId(db))
                let (lower, lowerCount) = try self.pass(db, pattern, upTo: middle)
                let (upper, upperCount) = try self.pass(db, pattern, after: middle)
                XCTAssertEqual(lowerCount + upperCount, counted.matching, query)
                XCTAssertGreaterThan(lowerCount, 0, query)
                XCTAssertGreaterThan(upperCount, 0, query)
                XCTAssertTrue(lower.allSatisfy { ($0[8] as Int64) <= middle }, query)
                XCTAssertTrue(upper.allSatisfy { ($0[8] as Int64) > middle }, query)
                // Neither half passes the limit, both together do: the split pass stops too.
                let reader = try self.secondReader(of: store)
                let halvesBefore = reader.halvesRead
                XCTAssertNil(
                    try IndexStore.rankedInOnePass(
                        db, pattern: pattern, half: counted.matching - 1, limit: 20, snippets: false,
                        secondReader: reader), query)
                XCTAssertEqual(reader.halvesRead, halvesBefore + 1, "split: \(query)")
                // One more row than the pass may rank stops it.
                XCTAssertNil(
                    try IndexStore.rankedInOnePass(
                        db, pattern: pattern, half: counted.matching - 1, limit: 20, snippets: false), query)
                XCTAssertNotNil(
                    try IndexStore.rankedInOnePass(
                        db, pattern: pattern, half: counted.matching, limit: 20, snippets: false), query)
                XCTAssertNil(
                    try IndexStore.rankedInOnePass(db, pattern: pattern, half: total / 2, limit: 0, snippets: false),
                    "nothing asked for: counted as before")
            }
        }
    }

    /// The store's second connection; skipped on a machine of one processor, which has none.
    func secondReader(of store: IndexStore) throws -> SecondReader {
        guard let reader = store.secondReader else { throw XCTSkip("one processor: no query is split") }
        return reader
    }

    /// `onePass` over (`after`, `upTo`] with a tally of its own: the rows and how many it scored.
    func pass(_ db: Database, _ pattern: String, after: Int64 = .min, upTo: Int64 = .max) throws -> ([Row], Int) {
        let tally = UnsafeMutablePointer<RISRankTally>.allocate(capacity: 1)
        tally.initialize(to: RISRankTally(rows: 0, scored: 0, limit: 1_000_000))
        defer { tally.deallocate() }
        let rows = try XCTUnwrap(
            IndexStore.onePass(db, pattern: pattern, limit: 2_000, after: after, upTo: upTo, tally: tally))
        return (rows, Int(tally.pointee.scored))
    }

    /// A search split in two through `search` (here from 1,000 documents) finds what one pass
    /// finds: a phrase, a word only records of the lower half hold (the upper half scores no
    /// row), a word no record holds; a second connection that cannot be opened leaves the
    /// query to the first.
    func testASearchSplitInTwoFindsWhatOnePassFinds() throws {
        let store = try IndexStore(knowledgeBase: KnowledgeBase(root: root))
        let reader = try secondReader(of: store)
        let (lowOnly, middle) = try store.database.read { db -> (String, Int64) in
            let middle = try XCTUnwrap(IndexStore.middleDocId(db))
            // The number in the title of a record of the lower half: a word of that record alone.
            let path = try XCTUnwrap(
                String.fetchOne(
                    db, sql: "SELECT path FROM document WHERE docId <= ? ORDER BY docId", arguments: [middle]))
            return (String(path.dropFirst(2).dropLast(3)), middle)
        }
        for query in ["\"gateway outage\"", "quasar", "queue", lowOnly, "nowhereword"] {
            reader.minimumDocuments = .max
            let one = try store.find(query, limit: 30, counting: true)
            reader.minimumDocuments = 1_000
            let halvesBefore = reader.halvesRead
            let split = try store.find(query, limit: 30, counting: true)
            XCTAssertEqual(split.hits.map(\.path), one.hits.map(\.path), query)
            XCTAssertEqual(split.hits.map(\.score), one.hits.map(\.score), query)
            XCTAssertEqual(split.hits.map(\.snippet), one.hits.map(\.snippet), query)
            XCTAssertEqual(split.total, one.total, query)
            if query != "queue" {
                XCTAssertEqual(reader.halvesRead, halvesBefore + 1, "split: \(query)")
            }
        }
        let lowHits = try store.find(lowOnly, limit: 30)
        XCTAssertEqual(lowHits.hits.count, 1)
        XCTAssertTrue(
            try store.database.read { db in
                try Int64.fetchOne(
                    db, sql: "SELECT docId FROM document WHERE path = ?", arguments: [lowHits.hits[0].path])!
                    <= middle
            })

        // A second connection that cannot open: the first reads both halves.
        let broken = SecondReader(path: root.appendingPathComponent("no/such/index.sqlite").path)
        try store.database.read { db in
            let total = try IndexStore.documentCount(db)
            let pattern = try QuerySyntax("\"gateway outage\"").ftsPattern
            let expected = try XCTUnwrap(
                IndexStore.rankedInOnePass(db, pattern: pattern, half: total / 2, limit: 40, snippets: true))
            let fallback = try XCTUnwrap(
                IndexStore.rankedInOnePass(
                    db, pattern: pattern, half: total / 2, limit: 40, snippets: true, secondReader: broken))
            XCTAssertEqual(broken.halvesRead, 0)
            XCTAssertEqual(fallback.hits.map(\.path), expected.hits.map(\.path))
            XCTAssertEqual(fallback.hits.map(\.score), expected.hits.map(\.score))
            XCTAssertEqual(fallback.total, expected.total)
        }
    }

    /// The two halves of a split query are read from one version of the index: a commit made
    /// between the reads of the two connections is seen by the second only, which then reads
    /// another generation, and the first connection reads both halves.
    func testASplitQueryReadsOneVersionOfTheIndex() throws {
        let store = try IndexStore(knowledgeBase: KnowledgeBase(root: root))
        let pattern = try QuerySyntax("quasar").ftsPattern
        let before = try store.database.read(IndexStore.generation)
        XCTAssertNotNil(before, "the build wrote a generation")
        let reader = try secondReader(of: store)
        // Opened ahead on another thread (twice: the second finds it open), waited for.
        let first = reader.openAhead()
        let second = reader.openAhead()
        try first.result()
        try second.result()
        try store.database.read { db in
            let total = try IndexStore.documentCount(db)
            let expected = try XCTUnwrap(
                IndexStore.rankedInOnePass(db, pattern: pattern, half: total / 2, limit: 50, snippets: false))
            // Another connection commits after this read began: its snapshot keeps the old generation.
            let writer = try DatabaseQueue(path: store.database.path)
            try writer.write { try IndexStore.stampGeneration($0) }
            try writer.close()
            let halvesBefore = reader.halvesRead
            let split = try XCTUnwrap(
                IndexStore.rankedInOnePass(
                    db, pattern: pattern, half: total / 2, limit: 50, snippets: false, secondReader: reader))
            XCTAssertEqual(reader.halvesRead, halvesBefore, "the other connection read no half")
            XCTAssertEqual(split.hits.map(\.path), expected.hits.map(\.path))
            XCTAssertEqual(split.hits.map(\.score), expected.hits.map(\.score))
            XCTAssertEqual(split.total, expected.total)
        }
        XCTAssertNotEqual(try store.database.read(IndexStore.generation), before)
        // A refresh that writes stamps a generation of its own.
        let stamped = try store.database.read(IndexStore.generation)
        try FileManager.default.removeItem(at: root.appendingPathComponent("r/7.md"))
        XCTAssertEqual(try store.refresh().removed, 1)
        XCTAssertNotEqual(try store.database.read(IndexStore.generation), stamped)
    }

    /// The count of documents is read from FTS5's averages record, and is `count(*)`: after a
    /// build, after removals, and for an index of no document (an empty averages record: counted).
    func testTheDocumentCountIsFTS5sRowCount() throws {
        let store = try IndexStore(knowledgeBase: KnowledgeBase(root: root))
        func counts() throws -> (fts5: Int?, stored: Int, rows: Int) {
            try store.database.read { db in
                (
                    try Data.fetchOne(db, sql: "SELECT block FROM documentSearch_data WHERE id = 1")
                        .flatMap(IndexStore.fts5RowCount),
                    try IndexStore.documentCount(db), try Int.fetchOne(db, sql: "SELECT count(*) FROM document")!
                )
            }
        }
        var (fts5, stored, rows) = try counts()
        XCTAssertEqual(rows, IndexStore.nonSelectiveMinimumDocuments + 200)
        XCTAssertEqual(fts5, rows)
        XCTAssertEqual(stored, rows)
        for number in [5, 600, 1_200] {
            try FileManager.default.removeItem(at: root.appendingPathComponent("r/\(number).md"))
        }
        _ = try store.refresh()
        (fts5, stored, rows) = try counts()
        XCTAssertEqual(rows, IndexStore.nonSelectiveMinimumDocuments + 197)
        XCTAssertEqual(fts5, rows)
        XCTAssertEqual(stored, rows)

        // SQLite's varints: one byte, two, and nine (the last byte whole).
        XCTAssertEqual(IndexStore.fts5RowCount(averages: Data([0x05, 0x81])), 5)
        XCTAssertEqual(IndexStore.fts5RowCount(averages: Data([0x86, 0x0D])), 6 << 7 | 13)
        XCTAssertEqual(
            IndexStore.fts5RowCount(averages: Data([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x81, 0x02])), 258)
        XCTAssertNil(IndexStore.fts5RowCount(averages: Data()))
        XCTAssertNil(IndexStore.fts5RowCount(averages: Data([0x81, 0x82])), "cut short")

        let emptyRoot = root.appendingPathComponent("empty")
        try KnowledgeBase.initialize(at: emptyRoot)
        let empty = try IndexStore(knowledgeBase: KnowledgeBase(root: emptyRoot))
        _ = try empty.refresh()
        XCTAssertEqual(try empty.documentCount(), 0)
    }

    /// A pattern FTS5 rejects is still an error of the query (SQLITE_ERROR, which `search` says
    /// plainly), not a stop of the one pass; a pattern of two phrases is refused by the tally.
    func testTheOnePassStopsOnlyOnItsOwnLimit() throws {
        let store = try IndexStore(knowledgeBase: KnowledgeBase(root: root))
        try store.database.read { db in
            let onePhrase = PatternShape(isConjunction: true, isOnePhrase: true)
            XCTAssertThrowsError(
                try IndexStore.matches(
                    db, pattern: "\"quasar", shape: onePhrase, whereSQL: "", arguments: [], limit: 20, snippets: false)
            ) { error in
                XCTAssertEqual((error as? DatabaseError)?.resultCode, .SQLITE_ERROR)
            }
            XCTAssertThrowsError(
                try IndexStore.rankedInOnePass(
                    db, pattern: try QuerySyntax("quasar gateway").ftsPattern, half: 600, limit: 20, snippets: false)
            ) { error in
                XCTAssertEqual((error as? DatabaseError)?.resultCode, .SQLITE_MISUSE)
            }
        }
    }

    /// Two parts one apart in the last bit can make one score: the one pass then hands the
    /// query back (bm25() orders equal scores by rowid, the pass by part).
    func testATieMadeByRoundingIsSeen() {
        let (low, high) = (1.5000000000000007, 1.5000000000000009)
        XCTAssertEqual(high, low.nextUp)
        XCTAssertEqual(0.7 * low, 0.7 * high)
        XCTAssertTrue(IndexStore.scoresTieByRounding([2.0, high, low, 1.0], idf: 0.7))
        XCTAssertFalse(IndexStore.scoresTieByRounding([2.0, high, low, 1.0], idf: 3.0))
        XCTAssertFalse(
            IndexStore.scoresTieByRounding([2.0, low, low, 1.0], idf: 0.7), "equal parts: rowid order in both")
        XCTAssertFalse(IndexStore.scoresTieByRounding([], idf: 0.7))
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

    /// A word in most records that the sample misjudges as selective is still listed newest
    /// first: the one pass stops past half of the rows, and the count decides.
    func testACommonWordTheSampleMisjudgesIsListedNewestFirst() throws {
        let store = try IndexStore(knowledgeBase: KnowledgeBase(root: root))
        let total = IndexStore.nonSelectiveMinimumDocuments + 200
        let pattern = try QuerySyntax("zircon").ftsPattern
        let (misjudged, counted) = try store.database.read { db in
            (
                try IndexStore.sampleSuggestsCommon(db, pattern: pattern, total: total),
                try self.counted(db, pattern)
            )
        }
        XCTAssertFalse(misjudged, "the first and last rows hold no zircon")
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
        // "gateway" (in every record) is judged common from the sample: counted, as before.
        try store.database.read { db in
            XCTAssertTrue(
                try IndexStore.sampleSuggestsCommon(db, pattern: try QuerySyntax("gateway").ftsPattern, total: total))
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
            if try store.database.read({ db in try self.counted(db, syntax.ftsPattern) })?
                .isNonSelective == false
            {
                XCTAssertEqual(hits.map(\.path), ranked.map(\.path), query)
                XCTAssertEqual(hits.map(\.snippet), ranked.map(\.snippet), query)
            }
        }
    }
}
