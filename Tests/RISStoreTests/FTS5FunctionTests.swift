import Foundation
import GRDB
import RISKit
import XCTest

@testable import RISStore

/// `ris_snippet` and `ris_bm25` (CRISSearch) read less than FTS5's `snippet()` and `bm25()`
/// but must give the same text and the same score: both are run on every hit of many queries
/// over the repository's own markdown (records, fixtures, the documentation's prose) and
/// records written here to hit the edge cases.
final class FTS5FunctionTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("ris-fts5-\(UUID().uuidString)")
        try KnowledgeBase.initialize(at: root)
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var copied = 0
        for folder in ["examples/kb", "Tests/risTests/Fixtures", "docs"] {
            let base = repository.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else {
                continue
            }
            for case let url as URL in walker where url.pathExtension == "md" {
                let target = root.appendingPathComponent("copied/\(copied)-\(url.lastPathComponent)")
                try FileManager.default.createDirectory(
                    at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: url, to: target)
                copied += 1
            }
        }
        XCTAssertGreaterThanOrEqual(copied, 15, "the repository's markdown was found")
        // Sentence starts (after `.` or `:` and white space), matches at a column's first and
        // last token, a phrase across a line break, repeats, a column shorter than a passage,
        // text around the passage that is not a token, wide characters.
        let bodies = [
            "Deploy failed. Gateway timeout: the gateway returned 504.\nRetry: the gateway again.",
            "gateway",
            "A gateway. B gateway. C gateway. D gateway. E gateway. F gateway. G gateway. H gateway.",
            String(repeating: "filler word here. ", count: 40) + "media\ntype mismatch in the manifest.",
            "The manifest media type was wrong: registry rejected the manifest (media type unknown).",
            "— «gateway» — 日本語のゲートウェイ gateway … end.",
            String(repeating: "alpha beta gamma ", count: 30) + "gateway" + String(repeating: " delta", count: 30),
            "Résumé of the café outage: the gateway's TLS certificate expired; renewed at 10:42.",
        ]
        for (number, body) in bodies.enumerated() {
            let text = """
                # RIS-\(String(format: "%03d", number + 1)): Gateway case \(number)

                **Date:** 2026-01-0\(number + 1)
                **Severity:** HIGH

                ## Symptom

                \(body)

                ## Resolution

                \(body.split(separator: ".").reversed().joined(separator: "."))
                """
            try Data(text.utf8).write(to: root.appendingPathComponent("copied/edge-\(number).md"))
        }
        _ = try IndexStore(knowledgeBase: KnowledgeBase(root: root)).refresh()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    func testTheSnippetIsFTS5sOnEveryHit() throws {
        let store = try IndexStore(knowledgeBase: KnowledgeBase(root: root))
        try store.database.read { db in
            var compared = 0
            for query in try queries(db) {
                for (column, tokens) in [(-1, 16), (-1, 5), (-1, 64), (4, 16), (1, 3)] {
                    let rows = try Row.fetchAll(
                        db,
                        sql: """
                            SELECT rowid, ifnull(snippet(documentSearch, ?, '[', ']', '…', ?), '<null>'),
                                   ifnull(ris_snippet(documentSearch, ?, '[', ']', '…', ?), '<null>')
                            FROM documentSearch WHERE documentSearch MATCH ?
                            """,
                        arguments: [column, tokens, column, tokens, query])
                    for row in rows {
                        let expected: String = row[1]
                        let snippet: String = row[2]
                        if expected != snippet {
                            XCTFail(
                                "\(query) (column \(column), \(tokens) tokens), row \(row[0] as Int64): "
                                    + "FTS5 \(expected.debugDescription), ris \(snippet.debugDescription)")
                        }
                        compared += 1
                    }
                }
            }
            XCTAssertGreaterThan(compared, 5_000, "enough hits were compared")
        }
    }

    /// The queries of the comparisons: words of every frequency, as words, prefixes, pairs,
    /// phrases of words that follow each other in the text, alternatives, exclusions and
    /// column filters.
    func queries(_ db: Database) throws -> [String] {
        let terms = try String.fetchAll(
            db, sql: "SELECT term FROM documentSearchVocabulary WHERE term GLOB '[a-z]*' ORDER BY doc DESC, term")
        XCTAssertGreaterThan(terms.count, 500)
        let sample = stride(from: 0, to: terms.count, by: max(1, terms.count / 60)).map { terms[$0] }
        var queries: [String] = []
        for (index, term) in sample.enumerated() {
            let other = sample[(index * 7 + 3) % sample.count]
            queries += [
                term, "\(term)*", "\(term) \(other)", "\(term) OR \(other)", "\(term) NOT \(other)",
                "title : \(term)", "{symptom body} : \(term)", "NEAR(\(term) \(other), 10)",
            ]
        }
        // The words in most rows, alone and in pairs: the non-selective queries.
        for (index, term) in terms.prefix(15).enumerated() {
            queries += [term, "\(term) \(terms[(index + 1) % 15])"]
        }
        for phrase in ["media type", "the gateway", "gateway returned", "manifest media type", "filler word"] {
            queries += ["\"\(phrase)\"", "\"\(phrase)\" gateway", "\"\(phrase)\" OR manifest"]
        }
        return queries
    }

    func testTheScoreIsBM25sOnEveryHit() throws {
        let store = try IndexStore(knowledgeBase: KnowledgeBase(root: root))
        try store.database.read { db in
            let rows = try Int.fetchOne(db, sql: "SELECT count(*) FROM documentSearch") ?? 0
            var compared = (counting: 0, floor: 0, onePhrase: 0, listed: 0)
            for query in try queries(db) {
                let matching =
                    try Int.fetchOne(
                        db, sql: "SELECT count(*) FROM documentSearch WHERE documentSearch MATCH ?", arguments: [query])
                    ?? 0
                // What the caller may say: nothing (ris_bm25 counts as bm25 does); that every phrase
                // is in more than half of the rows, for a query that only AND-s them and matches more
                // than half; how many rows hold the one phrase of a query of one word or phrase.
                let isConjunction = !query.contains(" OR ") && !query.contains(" NOT ")
                let isOnePhrase = !query.contains(" ") || (query.hasPrefix("\"") && query.hasSuffix("\""))
                var cases: [(known: DatabaseValueConvertible?, label: String)] = [(nil, "nothing known")]
                if isConjunction && matching > rows / 2 { cases.append((-1, "every phrase in most rows")) }
                if isOnePhrase && !query.contains(":") && !query.hasSuffix("*") {
                    cases.append((matching, "\(matching) rows hold the phrase"))
                }
                // Each phrase's rows, as `ris match` gives them: a word's from the vocabulary, `-`
                // for the others (a phrase of several words, a prefix).
                if !query.contains(" NOT "), !query.contains(":") {
                    cases.append((try listedRows(query, db), "each phrase's rows listed"))
                }
                for (known, label) in cases {
                    let scores = try Row.fetchAll(
                        db,
                        sql: """
                            SELECT rowid, bm25(documentSearch, \(IndexStore.rankWeights)),
                                   ris_bm25(documentSearch, ?, \(IndexStore.rankWeights)), rank
                            FROM documentSearch WHERE documentSearch MATCH ?
                            """,
                        arguments: [known, query])
                    for row in scores {
                        let (expected, score, rank): (Double, Double, Double) = (row[1], row[2], row[3])
                        XCTAssertEqual(expected, rank, "the rank is bm25 with these weights")
                        if expected != score {
                            XCTFail("\(query) (\(label)), row \(row[0] as Int64): bm25 \(expected), ris \(score)")
                        }
                        switch known {
                        case nil: compared.counting += 1
                        case let count as Int where count == -1: compared.floor += 1
                        case is String: compared.listed += 1
                        default: compared.onePhrase += 1
                        }
                    }
                }
            }
            XCTAssertGreaterThan(compared.counting, 1_000)
            XCTAssertGreaterThan(compared.floor, 100)
            XCTAssertGreaterThan(compared.onePhrase, 200)
            XCTAssertGreaterThan(compared.listed, 1_000)
        }
    }

    /// The rows holding each phrase of `query` (in order) where a phrase is one plain word: as
    /// the vocabulary counts them; `-` for any other phrase.
    func listedRows(_ query: String, _ db: Database) throws -> String {
        var inner = query
        if inner.hasPrefix("NEAR(") { inner = String(inner.dropFirst(5).prefix { $0 != "," }) }
        var phrases: [String] = []
        var quoted: String?
        for word in inner.split(separator: " ") where word != "OR" {
            if let open = quoted {
                quoted = open + " " + word
                if word.hasSuffix("\"") { (phrases, quoted) = (phrases + [quoted!], nil) }
            } else if word.hasPrefix("\"") && !(word.count > 1 && word.hasSuffix("\"")) {
                quoted = String(word)
            } else {
                phrases.append(String(word))
            }
        }
        let tokenizer = try Schema.searchTokenizer(db)
        return try phrases.map { phrase -> String in
            let tokens = try tokenizer.tokenize(query: phrase.trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
            guard tokens.count == 1, !phrase.hasSuffix("*"), let stem = tokens.first?.token else { return "-" }
            let rows =
                try Int.fetchOne(db, sql: "SELECT doc FROM documentSearchVocabulary WHERE term = ?", arguments: [stem])
                ?? 0
            return String(rows)
        }.joined(separator: " ")
    }

    func testASnippetIsShownOnOneLine() {
        XCTAssertEqual(IndexStore.oneLine("a\r\n  b\t c\n\n\u{3000}d e\u{00A0}\n"), "a b c d e")
        XCTAssertEqual(IndexStore.oneLine(" \n\t "), "")
        XCTAssertEqual(IndexStore.oneLine("\u{2}media type\u{3} …"), "\u{2}media type\u{3} …")
    }

    func testSearchesShowTheSnippet() throws {
        let store = try IndexStore(knowledgeBase: KnowledgeBase(root: root))
        let hits = try store.search("\"media type\" manifest", limit: 50)
        XCTAssertFalse(hits.isEmpty)
        XCTAssertTrue(hits.allSatisfy { $0.snippet.contains("\u{2}") && $0.snippet.contains("\u{3}") })
    }
}
