import CRISSearch
import Crypto
import Foundation
import FrontMatter
import GRDB
import RISKit

extension IndexStore {
    /// Documents matching `query` (docs/search.md), best first. A query that is an ID puts
    /// the documents with that ID first. `snippets: false` leaves them empty, for an output
    /// that shows none (FTS5's snippet() reads and tokenises each hit's text).
    public func search(
        _ query: String, filters: SearchFilters = SearchFilters(), limit: Int = 20, snippets: Bool = true
    ) throws -> [SearchHit] {
        try search(QuerySyntax(query), query: query, filters: filters, limit: limit, snippets: snippets).hits
    }

    /// `search` of a query already read (`find` reads it once for all its steps), with how many
    /// documents match when ordering them counted them all (`matches`), nil otherwise.
    func search(_ syntax: QuerySyntax, query: String, filters: SearchFilters, limit: Int, snippets: Bool) throws
        -> (hits: [SearchHit], total: Int?)
    {
        let (whereSQL, arguments) = filterSQL(filters)
        // The pattern is made of FTS5 strings (QuerySyntax.quoted) and our own operators; it is
        // checked by the query itself: FTS5 rejects a bad pattern on the first step, and that
        // error is caught below. (GRDB's FTS5Pattern(rawPattern:) would check it by creating an
        // FTS5 table in a new in-memory database: 1.2 ms of a 20 ms search.)
        let pattern = syntax.ftsPattern
        return try database.read { db in
            var hits: [SearchHit] = []
            var seen = Set<String>()
            if let identifier = syntax.identifier {
                let sql = """
                    SELECT \(IndexStore.hitColumns)
                    FROM document d WHERE d.risId = ? COLLATE NOCASE\(whereSQL.isEmpty ? "" : " AND " + whereSQL)
                    ORDER BY d.path LIMIT ?
                    """
                let rows = try Row.fetchAll(
                    db, sql: sql, arguments: StatementArguments([identifier] + arguments + [limit]))
                for row in rows {
                    let hit = IndexStore.hit(row, score: 1000, snippet: row[1])
                    seen.insert(hit.path)
                    hits.append(hit)
                }
            }
            let matches: (hits: [SearchHit], total: Int?)
            do {
                matches = try IndexStore.matches(
                    db, pattern: pattern, shape: syntax.shape, whereSQL: whereSQL, arguments: arguments,
                    limit: limit + hits.count, snippets: snippets, secondReader: secondReader)
                for hit in matches.hits where hits.count < limit && !seen.contains(hit.path) {
                    hits.append(hit)
                }
            } catch let error as DatabaseError where error.resultCode == .SQLITE_ERROR {
                // Built from quoted strings, the query should always be valid (a query of nothing but
                // punctuation is not); if SQLite disagrees, say so plainly rather than show its syntax error.
                throw StoreError.badQuery("cannot search for '\(query)'; try plain words or a \"quoted phrase\"")
            }
            // The documents with the ID the query is are not among those counted.
            return (Array(hits.prefix(limit)), syntax.identifier == nil ? matches.total : nil)
        }
    }

    /// Documents for what a person typed (docs/search.md, "When nothing matches"): `search`,
    /// with exact phrases of the query's words first and hot-patterns files after the other
    /// documents; then, when that finds fewer than
    /// `limit`, records where a code-like word is part of a longer one (`InvalidParameterValue`
    /// → `InvalidParameterValueException`, `build kit` → `buildkit`); then, when fewer than
    /// `fewResults` have every word, records with most of them. When no record has every word,
    /// words the index does not hold get a spelling suggestion. Each step taken is said in `notes`.
    ///
    /// `counting`: when every hit has all the words and the list is cut at `limit`, say how
    /// many documents have them in `total` (for the reader's "20 of 143": known from ranking a
    /// selective query without filters, else one more query).
    public func find(
        _ query: String, filters: SearchFilters = SearchFilters(), limit: Int = 20, snippets: Bool = true,
        counting: Bool = false
    ) throws -> SearchResults {
        var syntax = try QuerySyntax(query)
        let found = try search(syntax, query: query, filters: filters, limit: limit, snippets: snippets)
        var results = SearchResults(hits: found.hits)
        results.notes = syntax.notes
        let words = syntax.plainWords
        if words.count >= 2, syntax.identifier == nil {
            results.hits = try phrasesFirst(results.hits, words: words)
        }
        let (whereSQL, arguments) = filterSQL(filters)
        var seen = Set(results.hits.map(\.path))
        let strict = results.hits.count
        if counting && strict >= limit {
            results.total = try found.total ?? countAllMatches(syntax, whereSQL: whereSQL, arguments: arguments)
        }
        func append(_ pattern: String) throws -> Int {
            guard results.hits.count < limit else { return 0 }
            // A pattern most documents match (common words OR-ed) is listed newest first, as in
            // `search` (scoring it took 0.9 s for 4 words at 100,000 records).
            let more = try database.read { db in
                try IndexStore.matches(
                    db, pattern: pattern, whereSQL: whereSQL, arguments: arguments, limit: limit + seen.count,
                    snippets: snippets
                ).hits
            }
            var added = 0
            for hit in more where results.hits.count < limit && seen.insert(hit.path).inserted {
                results.hits.append(hit)
                added += 1
            }
            return added
        }
        if let expanded = syntax.expandedPattern(), try append(expanded) > 0 {
            results.notes.append(
                "also showing records where a word is part of a longer one ("
                    + syntax.expansions.joined(separator: ", ") + ")")
        }
        if strict < IndexStore.fewResults, syntax.groups.count >= 2, let anyWords = syntax.anyWordsPattern(),
            try append(anyWords) > 0
        {
            results.notes.append(
                strict == 0
                    ? "no record has all the words; showing records with most of them"
                    : "only \(strict) record\(strict == 1 ? " has" : "s have") all the words; also showing records "
                        + "with most of them")
        }
        // Records before hot-patterns files (of every step): such a file gathers every known
        // error, so it holds the words of most queries; `ris match` and `ris pattern show` give
        // its entries one by one.
        if syntax.identifier == nil {
            results.hits =
                results.hits.filter { $0.kind != .hotPattern } + results.hits.filter { $0.kind == .hotPattern }
        }
        // A word no document holds leaves an all-words query empty: only then is the
        // vocabulary asked (a look-up of a common word reads its whole document list).
        for (word, suggestion) in try strict > 0
            ? [] : suggestions(for: words + syntax.groups.joined().filter(\.isPhrase).map(\.text))
        {
            results.notes.append("no record has '\(word)'; did you mean: \(suggestion)?")
        }
        return results
    }

    /// How many documents `search` would list without a limit: the FTS5 pattern's matches and
    /// the documents with the ID the query is, through the filters. (`countMatches` counts only
    /// up to half of the index, to tell whether a pattern is selective.)
    func countAllMatches(_ syntax: QuerySyntax, whereSQL: String, arguments: [DatabaseValueConvertible?]) throws -> Int
    {
        if syntax.identifier == nil && whereSQL.isEmpty {
            // Each row of documentSearch is a document's: FTS5 counts its rows without the
            // join, which read every document's row (a word in every record at 100k: 27 -> 2 ms).
            return try database.read { db in
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM documentSearch WHERE documentSearch MATCH ?",
                    arguments: [syntax.ftsPattern]) ?? 0
            }
        }
        let identifier = syntax.identifier.map { _ in " OR d.risId = ? COLLATE NOCASE" } ?? ""
        let sql = """
            SELECT count(*) FROM document d
            WHERE (d.docId IN (SELECT rowid FROM documentSearch WHERE documentSearch MATCH ?)\(identifier))\(
                whereSQL.isEmpty ? "" : " AND " + whereSQL)
            """
        let leading: [DatabaseValueConvertible?] = [syntax.ftsPattern] + (syntax.identifier.map { [$0] } ?? [])
        return try database.read { db in
            try Int.fetchOne(db, sql: sql, arguments: StatementArguments(leading + arguments)) ?? 0
        }
    }

    /// How many documents pass `filters` (what `list` would give without a limit).
    public func count(filters: SearchFilters = SearchFilters()) throws -> Int {
        let (whereSQL, arguments) = filterSQL(filters)
        return try database.read { db in
            guard !whereSQL.isEmpty else { return try IndexStore.documentCount(db) }
            return try Int.fetchOne(
                db, sql: "SELECT count(*) FROM document d WHERE " + whereSQL, arguments: StatementArguments(arguments))
                ?? 0
        }
    }

    /// Fewer all-words results than this: records with most of the words are shown after them.
    static let fewResults = 3

    /// `hits` with those holding the query's words as one exact phrase first, then those
    /// holding them close together (within 5 words), each in BM25 order.
    func phrasesFirst(_ all: [SearchHit], words: [String]) throws -> [SearchHit] {
        // The first 500 are reordered (one SQL variable each); a longer list keeps its tail as it is.
        let hits = Array(all.prefix(500))
        guard hits.count > 1 else { return all }
        let phrase = QuerySyntax.quoted(words.joined(separator: " "))
        let near = "NEAR(" + words.map(QuerySyntax.quoted).joined(separator: " ") + ", 5)"
        let paths = hits.map(\.path)
        let marks = Array(repeating: "?", count: paths.count).joined(separator: ",")
        func holding(_ pattern: String) throws -> Set<String> {
            try database.read { db in
                Set(
                    try String.fetchAll(
                        db,
                        sql: """
                            SELECT d.path FROM documentSearch s JOIN document d ON d.docId = s.rowid
                            WHERE documentSearch MATCH ? AND d.path IN (\(marks))
                            """, arguments: StatementArguments([pattern] + paths)))
            }
        }
        let exact = try holding(phrase)
        let close = try holding(near)
        func tier(_ hit: SearchHit) -> Int { exact.contains(hit.path) ? 0 : close.contains(hit.path) ? 1 : 2 }
        // A stable sort: within a tier, the order BM25 gave.
        return hits.enumerated().sorted { (tier($0.element), $0.offset) < (tier($1.element), $1.offset) }.map(
            \.element) + all.dropFirst(hits.count)
    }

    /// For each word the index does not hold, the indexed word nearest to it in spelling
    /// (at most 1 edit for words of up to 4 letters, 2 beyond; the most common of the nearest),
    /// looked for among the words that start with the same two letters, then the same one, and
    /// held by at least one record whose reads are not audited.
    func suggestions(for words: [String]) throws -> [(String, String)] {
        let candidates = words.filter { word in
            word.count >= 3 && !word.contains(" ") && word.unicodeScalars.allSatisfy { $0.properties.isAlphabetic }
        }
        guard !candidates.isEmpty else { return [] }
        return try database.read { db in
            let tokenizer = try Schema.searchTokenizer(db)
            var found: [(String, String)] = []
            for word in candidates {
                guard let stem = try tokenizer.tokenize(query: word).first?.token,
                    try Int.fetchOne(
                        db, sql: "SELECT doc FROM documentSearchVocabulary WHERE term = ?", arguments: [stem]) == nil
                else { continue }
                let lower = word.lowercased()
                let allowed = lower.count <= 4 ? 1 : 2
                var nearest: [(distance: Int, documents: Int, term: String)] = []
                for prefixLength in [2, 1] {
                    let prefix = String(lower.prefix(prefixLength))
                    let rows = try Row.fetchAll(
                        db,
                        sql: """
                            SELECT term, doc FROM documentSearchVocabulary WHERE term >= ? AND term < ?
                            AND length(term) BETWEEN ? AND ? LIMIT 20000
                            """,
                        arguments: [prefix, prefix + "\u{10FFFF}", lower.count - allowed, lower.count + allowed])
                    for row in rows {
                        let term: String = row[0]
                        let distance = IndexStore.editDistance(lower, term, limit: allowed)
                        guard distance <= allowed, distance > 0 else { continue }
                        nearest.append((distance, row[1], term))
                    }
                    if !nearest.isEmpty { break }
                }
                // The nearest word held by a record whose reads are not audited: a suggestion
                // must not spell out the words of audited records (there is no hit to log).
                let ordered = nearest.sorted {
                    ($0.distance, -$0.documents, $0.term) < ($1.distance, -$1.documents, $1.term)
                }
                for candidate in ordered.prefix(20) {
                    let plain = try Bool.fetchOne(
                        db,
                        sql: """
                            SELECT 1 FROM documentSearchInstances i JOIN document d ON d.docId = i.doc
                            WHERE i.term = ? AND NOT d.auditRequired LIMIT 1
                            """, arguments: [candidate.term])
                    if plain == true {
                        found.append((word, candidate.term))
                        break
                    }
                }
            }
            return found
        }
    }

    /// Optimal string alignment distance (insertions, deletions, substitutions, swaps of two
    /// neighbours), or `limit + 1` as soon as it must exceed `limit`.
    static func editDistance(_ a: String, _ b: String, limit: Int) -> Int {
        let x = Array(a.unicodeScalars)
        let y = Array(b.unicodeScalars)
        if abs(x.count - y.count) > limit { return limit + 1 }
        var previous2 = [Int](repeating: 0, count: y.count + 1)
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...max(x.count, 1) where !x.isEmpty {
            current[0] = i
            var rowBest = current[0]
            for j in 1...max(y.count, 1) where !y.isEmpty {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
                rowBest = min(rowBest, current[j])
            }
            if rowBest > limit { return limit + 1 }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return x.isEmpty ? y.count : y.isEmpty ? x.count : previous[y.count]
    }

    /// Documents matching the filters, in the order asked.
    public func list(filters: SearchFilters = SearchFilters(), sort: ListSort = .date, limit: Int? = nil) throws
        -> [SearchHit]
    {
        let (whereSQL, arguments) = filterSQL(filters)
        let order: String
        switch sort {
        case .date: order = "d.date IS NULL, d.date DESC, d.risId"
        case .id: order = "d.risId COLLATE NOCASE, d.path"
        case .title: order = "d.title COLLATE NOCASE, d.path"
        case .severity:
            order = """
                CASE d.severity WHEN 'CRITICAL' THEN 0 WHEN 'HIGH' THEN 1 WHEN 'MEDIUM' THEN 2 WHEN 'LOW' THEN 3 ELSE \
                4 END,
                d.date DESC, d.risId
                """
        }
        let sql = """
            SELECT \(IndexStore.hitColumns) FROM document d
            \(whereSQL.isEmpty ? "" : "WHERE " + whereSQL) ORDER BY \(order)\(limit == nil ? "" : " LIMIT \(limit!)")
            """
        return try database.read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
                IndexStore.hit(row, score: 0, snippet: "")
            }
        }
    }

    /// What `reference` names: an exact path or ID first, then a unique prefix of either.
    public func resolve(_ reference: String) throws -> ReferenceResolution {
        var path = reference
        // A path given from the current folder, or absolute: make it relative to the root.
        let absolute = URL(fileURLWithPath: reference).standardizedFileURL.path
        let rootPath = knowledgeBase.root.path
        if absolute.hasPrefix(rootPath + "/"), FileManager.default.fileExists(atPath: absolute) {
            path = String(absolute.dropFirst(rootPath.count + 1))
        }
        while path.hasPrefix("./") { path.removeFirst(2) }
        return try database.read { db in
            func documents(_ sql: String, _ arguments: StatementArguments) throws -> [IndexedDocument] {
                try Row.fetchAll(
                    db,
                    sql: "SELECT path, risId, title, kind, date, sha256, size, modified, indexedAt FROM document WHERE "
                        + sql,
                    arguments: arguments
                ).map { row in
                    IndexedDocument(
                        path: row[0], id: row[1], title: row[2], kind: DocumentKind(stored: row[3]), date: row[4],
                        sha256: row[5], size: row[6],
                        modified: row[7], indexedAt: row[8])
                }
            }
            for (sql, arguments) in [
                ("path = ?", StatementArguments([path])),
                ("risId = ? COLLATE NOCASE ORDER BY path", StatementArguments([reference])),
                (
                    "(path LIKE ? ESCAPE '\\' OR risId LIKE ? ESCAPE '\\') ORDER BY path LIMIT 50",
                    StatementArguments([IndexStore.likePrefix(path), IndexStore.likePrefix(reference)])
                ),
            ] {
                let found = try documents(sql, arguments)
                if found.count == 1 { return .found(found[0]) }
                if found.count > 1 {
                    // Many paths under one prefix of a single ID are one record's files only when they share the ID.
                    return .ambiguous(found)
                }
            }
            return .notFound
        }
    }

    /// The records most like `document`, scored as `match` scores a log: its title, keywords,
    /// symptom, root cause and code blocks are the signature. A record sharing nothing
    /// distinctive (or fewer than two words) is not listed; the snippet names what is shared.
    public func similar(
        to document: RISDocument, excluding path: String, filters: SearchFilters = SearchFilters(),
        limit: Int = 10
    ) throws -> [SearchHit] {
        var text = document.title + "\n" + document.hotPatterns.flatMap(\.keywords).joined(separator: " ")
        text += "\n" + document.tags.joined(separator: " ")
        text +=
            "\n" + document.symptomText.prefix(4000) + "\n"
            + document.hotPatterns.map(\.symptom).joined(separator: "\n")
        text += "\n" + document.rootCauseText.prefix(2000)
        text += "\n" + document.codeBlocks.map(\.text).joined(separator: "\n").prefix(8000)
        let entries = try match(
            LogSignature(text), limit: limit, recordsOnly: true, excluding: path, filters: filters)
        return entries.map { entry in
            SearchHit(
                id: entry.id, title: entry.title, path: entry.path, kind: entry.documentKind, date: entry.date,
                severity: entry.severity, status: entry.status, score: entry.score,
                snippet: "shares: " + entry.matched.prefix(6).map(\.text).joined(separator: ", "))
        }
    }

    /// The columns of a hit, in the order `hit(_:score:snippet:)` reads them.
    static let hitColumns = "d.risId, d.title, d.path, d.kind, d.date, d.severity, d.status"

    /// The best matching passage of a hit, its matches between \u{2} and \u{3}: FTS5's
    /// snippet() reading only what it needs (`ris_snippet`, CRISSearch).
    static let snippetSQL = "ris_snippet(documentSearch, -1, char(2), char(3), '…', 16)"

    /// A hit from a row that starts with `hitColumns`.
    static func hit(_ row: Row, score: Double, snippet: String) -> SearchHit {
        SearchHit(
            id: row[0], title: row[1], path: row[2], kind: DocumentKind(stored: row[3]), date: row[4],
            severity: row[5], status: row[6], score: score, snippet: snippet)
    }

    /// Knowledge bases smaller than this are always ranked by BM25: ranking them is cheap.
    static let nonSelectiveMinimumDocuments = 1000

    /// How many documents `pattern` matches, counted up to half of the documents plus one, and
    /// whether that is more than half (of a knowledge base of at least
    /// `nonSelectiveMinimumDocuments`; nil below that: nothing is counted). A pattern in more
    /// than half of the documents is non-selective: BM25 gives each of its AND-ed terms an IDF
    /// of about zero (FTS5 clamps it to 1e-6), so its order says little, while scoring every
    /// match costs most of the query (14 of 15 ms for a word in all of 10,000 records).
    /// Counting stops at half plus one, so it never reads more than that.
    static func countMatches(_ db: Database, pattern: String, total: Int) throws -> (
        matching: Int, isNonSelective: Bool
    )? {
        guard total >= nonSelectiveMinimumDocuments else { return nil }
        let half = total / 2
        let matching =
            try Int.fetchOne(
                db,
                sql: "SELECT count(*) FROM (SELECT 1 FROM documentSearch WHERE documentSearch MATCH ? LIMIT ?)",
                arguments: [pattern, half + 1]) ?? 0
        return (matching, matching > half)
    }

    /// The column weights of `documentSearch`'s BM25 (its `rank`, set by migration v1).
    static let rankWeights = "10.0, 8.0, 6.0, 3.0, 1.0, 1.0"

    /// The first `limit` matches of a non-selective `pattern` without scoring them all: newest
    /// first (incident date), found by walking the index on the date and probing each row
    /// (about two probes per result, since most rows match), so only the rows shown are read.
    /// The set of matches is the one BM25 would order; the score and snippet are computed for
    /// the rows returned only. (A title-first group was tried: for a word in every record it
    /// reads the word's whole position list, 150 ms and 60 MB at 100,000 records.)
    ///
    /// `isConjunction`: the pattern only AND-s words and phrases, so each of them is in more
    /// than half of the rows too and BM25's IDF of each is its floor: the score is computed
    /// without counting their rows again for each row shown (`ris_bm25`; 20 counts of a word's
    /// 10,000 rows were half of such a search).
    static func matchesNewestFirst(
        _ db: Database, pattern: String, isConjunction: Bool = false, limit: Int, snippets: Bool
    ) throws -> [SearchHit] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT \(hitColumns), d.docId FROM document d
                WHERE EXISTS (SELECT 1 FROM documentSearch s WHERE s.rowid = d.docId AND documentSearch MATCH ?)
                ORDER BY d.date DESC LIMIT ?
                """,
            arguments: [pattern, limit])
        let scoring =
            snippets
            ? try db.cachedStatement(
                sql: """
                    SELECT -ris_bm25(documentSearch, ?, \(rankWeights)), \(snippetSQL) FROM documentSearch
                    WHERE documentSearch MATCH ? AND rowid = ?
                    """) : nil
        let known: Int? = isConjunction ? -1 : nil
        return try rows.map { row in
            var score = 0.0
            var snippet = ""
            if let scoring, let scored = try Row.fetchOne(scoring, arguments: [known, pattern, row[7] as Int64]) {
                score = scored[0]
                snippet = oneLine(scored[1] ?? "")
            }
            return hit(row, score: score, snippet: snippet)
        }
    }

    /// The first `limit` matches of an FTS5 pattern: newest first when it matches most of the
    /// documents and no filter applies (`countMatches`), else ranked by BM25. With filters the
    /// walk by date could probe every row the filter rejects (all 100,000 for a filter no record
    /// passes): those are ranked. `shape` says what the caller knows of the pattern, so that
    /// the rows counted here are not counted again to score it. `total`: how many documents
    /// the pattern matches, when deciding their order counted them all (a selective pattern
    /// without filters); nil otherwise. `secondReader`: where a one-phrase query may be read in
    /// two halves at once (from its `minimumDocuments` on), opened while the sample decides.
    static func matches(
        _ db: Database, pattern: String, shape: PatternShape = PatternShape(), whereSQL: String,
        arguments: [DatabaseValueConvertible?], limit: Int, snippets: Bool, secondReader: SecondReader? = nil
    ) throws -> (hits: [SearchHit], total: Int?) {
        let documents = whereSQL.isEmpty ? try documentCount(db) : 0
        let splitter = shape.isOnePhrase ? secondReader.flatMap { documents >= $0.minimumDocuments ? $0 : nil } : nil
        let opening = splitter?.openAhead()
        defer { _ = try? opening?.result() }
        if whereSQL.isEmpty, shape.isOnePhrase, documents >= nonSelectiveMinimumDocuments,
            try !sampleSuggestsCommon(db, pattern: pattern, total: documents),
            let ranked = try rankedInOnePass(
                db, pattern: pattern, half: documents / 2, limit: limit, snippets: snippets, secondReader: splitter)
        {
            return ranked
        }
        guard whereSQL.isEmpty, let counted = try countMatches(db, pattern: pattern, total: documents) else {
            let hits = try rankedMatches(
                db, pattern: pattern, whereSQL: whereSQL, arguments: arguments, limit: limit, snippets: snippets)
            return (hits, nil)
        }
        if counted.isNonSelective {
            let hits = try matchesNewestFirst(
                db, pattern: pattern, isConjunction: shape.isConjunction, limit: limit, snippets: snippets)
            return (hits, nil)
        }
        let hits = try rankedMatches(
            db, pattern: pattern, whereSQL: whereSQL, arguments: arguments, limit: limit, snippets: snippets,
            phraseRows: shape.isOnePhrase ? counted.matching : nil)
        return (hits, counted.matching)
    }

    /// Whether `pattern` is in more than half of a sample of the index's rows, a sign that it
    /// is in more than half of all of them: the first and the last rows by rowid (the records
    /// first indexed and the newest added, a word of a new service name among them; a changed
    /// record keeps its rowid, so an edited old record is not among the newest), 1/128 of the
    /// rows at each end, at least 128. Only the way to order a one-phrase query is chosen by it
    /// (`matches`), never what is found.
    static func sampleSuggestsCommon(_ db: Database, pattern: String, total: Int) throws -> Bool {
        let end = max(128, total / 128)
        var sampled = 0
        var matching = 0
        for (order, comparison) in [("", "<="), (" DESC", ">=")] {
            guard
                let bound = try Int64.fetchOne(
                    db, sql: "SELECT docId FROM document ORDER BY docId\(order) LIMIT 1 OFFSET ?", arguments: [end - 1])
            else { return true }
            sampled += end
            matching +=
                try Int.fetchOne(
                    db,
                    sql: "SELECT count(*) FROM documentSearch WHERE documentSearch MATCH ? AND rowid \(comparison) ?",
                    arguments: [pattern, bound]) ?? 0
        }
        return matching * 2 > sampled
    }

    /// The best `limit` matches of a one-phrase `pattern`, as `rankedMatches` with the rows
    /// counted, in one pass over its matches instead of two: each match is scored with an IDF
    /// of 1 while the rows are counted (`RISRankTally`), then the few kept are given bm25()'s
    /// score, bit for bit (the order is the same: a one-phrase score is its IDF times a part
    /// of its own), and how many rows match. A phrase of two words that most records hold
    /// (`"media type"` at 100,000 records) reads both words' position lists in full on each
    /// pass, 15 ms. Ties are in rowid order, as FTS5's `ORDER BY rank` gives them.
    ///
    /// With `secondReader`, the pass is split at the middle rowid: the upper half is read on
    /// another thread and connection while this one reads the lower half (each reads its part
    /// of the position lists only), and the two are merged; when that connection cannot be
    /// used, or reads another version of the index (`generation`), this one reads both halves.
    ///
    /// Nil, and the caller counts the rows and ranks them as before: when more than `half` of
    /// the rows match (the pass stops there; such a query is listed newest first), and when
    /// rounding gave two different parts the same score among the rows kept (where bm25()'s
    /// order is by rowid, this pass's by part: seen only on purpose-made data).
    static func rankedInOnePass(
        _ db: Database, pattern: String, half: Int, limit: Int, snippets: Bool, secondReader: SecondReader? = nil
    ) throws -> (hits: [SearchHit], total: Int)? {
        guard limit > 0 else { return nil }
        // One tally for every part read: both halves count into it (atomically), so a split
        // pass stops where one pass does, at `half` rows.
        let tally = UnsafeMutablePointer<RISRankTally>.allocate(capacity: 1)
        tally.initialize(to: RISRankTally(rows: 0, scored: 0, limit: Int64(half)))
        defer { tally.deallocate() }
        var kept: [Row]?
        if let secondReader, let middle = try middleDocId(db), let generation = try generation(db) {
            let shared = SharedTally(pointer: tally)
            let upper = Concurrently { () -> HalfRead in
                try secondReader.read { other in
                    guard try IndexStore.generation(other) == generation else { return .otherGeneration }
                    secondReader.noteHalfRead()
                    return .read(
                        try onePass(other, pattern: pattern, limit: limit, after: middle, tally: shared.pointer))
                }
            }
            let lower = Result { try onePass(db, pattern: pattern, limit: limit, upTo: middle, tally: tally) }
            // Waited for before anything is said: the other thread never outlives this call.
            let read = try? upper.result()
            guard let lowerRows = try lower.get() else { return nil }
            switch read {
            case .read(let upperRows?):
                kept = Array((lowerRows + upperRows).sorted(by: IndexStore.ranksBefore).prefix(limit + 1))
            case .read(nil):
                return nil
            case .otherGeneration, nil:
                // Another version of the index, or an error there: all of it read here again.
                tally.pointee.scored = 0
            }
        }
        guard let rows = try kept ?? onePass(db, pattern: pattern, limit: limit, tally: tally),
            tally.pointee.scored <= half
        else { return nil }
        let idf = ris_bm25_idf(tally.pointee.rows, tally.pointee.scored)
        // The pass scored -1 × (1 × part); bm25() scores -1 × (IDF × part), shown negated.
        let parts = rows.map { -($0[7] as Double) }
        if scoresTieByRounding(parts, idf: idf) { return nil }
        let snippet =
            snippets
            ? try db.cachedStatement(
                sql: "SELECT \(snippetSQL) FROM documentSearch WHERE documentSearch MATCH ? AND rowid = ?") : nil
        let hits = try zip(rows, parts).prefix(limit).map { row, part in
            let text = try snippet.flatMap { try String.fetchOne($0, arguments: [pattern, row[8] as Int64]) }
            return hit(row, score: idf * part, snippet: oneLine(text ?? ""))
        }
        return (hits, Int(tally.pointee.scored))
    }

    /// What the second connection did with its half: read it (nil when the tally passed its
    /// limit), or nothing, since it reads another generation of the index.
    enum HalfRead: @unchecked Sendable {
        case read([Row]?)
        case otherGeneration
    }

    /// The tally of a split query, handed to the thread of its other half (which is waited for).
    struct SharedTally: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<RISRankTally>
    }

    /// The order of `onePass`'s rows: by score (IDF 1, negative: best first), then rowid.
    static func ranksBefore(_ left: Row, _ right: Row) -> Bool {
        (left[7] as Double, left[8] as Int64) < (right[7] as Double, right[8] as Int64)
    }

    /// The pass of `rankedInOnePass` over the rowids in (`after`, `upTo`], counting into
    /// `tally`: its best `limit` + 1 rows (`hitColumns`, the score with an IDF of 1, the docId),
    /// or nil when the tally passed its limit. (One row past the limit: a tie made by rounding
    /// at the cut is seen too.) Rows are copies (`fetchAll`): another thread may take them.
    static func onePass(
        _ db: Database, pattern: String, limit: Int, after: Int64 = .min, upTo: Int64 = .max,
        tally: UnsafeMutablePointer<RISRankTally>
    ) throws -> [Row]? {
        let statement = try db.cachedStatement(
            sql: """
                SELECT \(hitColumns), m.score, m.docId FROM (
                    SELECT rowid AS docId, ris_bm25(documentSearch, ?, \(rankWeights)) AS score FROM documentSearch
                    WHERE documentSearch MATCH ? AND rowid > ? AND rowid <= ? ORDER BY score, rowid LIMIT ?) m
                JOIN document d ON d.docId = m.docId ORDER BY m.score, m.docId
                """)
        try statement.setArguments([nil, pattern, after, upTo, limit + 1])
        do {
            guard ris_bind_rank_tally(statement.sqliteStatement, 1, tally) == SQLITE_OK else { return nil }
            defer { sqlite3_bind_null(statement.sqliteStatement, 1) }
            return try Row.fetchAll(statement)
        } catch let error as DatabaseError where error.message == RIS_RANK_TALLY_EXCEEDED {
            return nil
        }
    }

    /// The docId halfway between the first and the last, where `rankedInOnePass` splits.
    static func middleDocId(_ db: Database) throws -> Int64? {
        // Two subqueries: SQLite reads one end of the table for a lone min() or max(), but scans
        // it all for both together.
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT (SELECT min(docId) FROM document), (SELECT max(docId) FROM document)"),
            let first = row[0] as Int64?, let last = row[1] as Int64?, first < last
        else { return nil }
        return first + (last - first) / 2
    }

    /// Whether two neighbours of `parts` (in order) are different but give one score once
    /// multiplied by `idf`: bm25() orders such rows by rowid, `rankedInOnePass` by part.
    static func scoresTieByRounding(_ parts: [Double], idf: Double) -> Bool {
        zip(parts, parts.dropFirst()).contains { this, next in this != next && idf * this == idf * next }
    }

    /// The best `limit` matches of an FTS5 pattern, best first, with their snippets.
    /// `phraseRows`: the pattern is one phrase (or word) that many rows hold, so BM25 takes its
    /// IDF from there (`ris_bm25`) instead of running the phrase over the whole index once more
    /// (for a phrase of two common words, a third of the search).
    static func rankedMatches(
        _ db: Database, pattern: String, whereSQL: String, arguments: [DatabaseValueConvertible?],
        limit: Int, snippets: Bool = true, phraseRows: Int? = nil
    ) throws -> [SearchHit] {
        // One statement: SQLite computes the snippet only for the rows that survive the LIMIT
        // (FTS5 returns them in rank order). `rank MATCH` picks the rank function of this query.
        let rankFunction = phraseRows.map { "ris_bm25(\($0), \(rankWeights))" }
        let sql = """
            SELECT \(hitColumns), -s.rank, \(snippets ? snippetSQL : "''")
            FROM documentSearch s JOIN document d ON d.docId = s.rowid
            WHERE documentSearch MATCH ?\(rankFunction == nil ? "" : " AND s.rank MATCH ?")\(
                whereSQL.isEmpty ? "" : " AND " + whereSQL)
            ORDER BY s.rank LIMIT ?
            """
        let rank: [DatabaseValueConvertible?] = rankFunction.map { [$0] } ?? []
        return try Row.fetchAll(
            db, sql: sql, arguments: StatementArguments([pattern] + rank + arguments + [limit])
        ).map { row in
            hit(row, score: row[7], snippet: oneLine(row[8] ?? ""))
        }
    }

    /// The stored diagnostics of every document with at least one, by path. A row of an
    /// earlier ris without a code (until the refresh that reads its file again) reads as
    /// `file-unreadable`.
    public func storedDiagnostics() throws -> [PathDiagnostic] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT d.path, g.severity, g.line, g."column", g.message, g.code FROM diagnostic g JOIN document \
                    d ON d.docId = g.docId
                    ORDER BY d.path, g.line, g."column"
                    """
            ).map { row in
                PathDiagnostic(
                    path: row[0],
                    diagnostic: Diagnostic(
                        Diagnostic.Severity(rawValue: row[1]) ?? .error,
                        DiagnosticCode(rawValue: row[5]) ?? .fileUnreadable,
                        at: SourcePosition(line: row[2], column: row[3]), row[4]))
            }
        }
    }

    /// Number of documents in the index.
    public func documentCount() throws -> Int {
        try database.read { db in try IndexStore.documentCount(db) }
    }

    /// How many documents the index holds: as FTS5 keeps it (every document has its one row in
    /// `documentSearch`, written and removed in the same transaction), which is one row to read,
    /// where `count(*)` reads a whole index of the table (1.5-2 ms of every search at 100,000
    /// records, whose pages a new process reads from the file).
    static func documentCount(_ db: Database) throws -> Int {
        if let block = try Data.fetchOne(db, sql: "SELECT block FROM documentSearch_data WHERE id = 1"),
            let rows = fts5RowCount(averages: block)
        {
            return rows
        }
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM document") ?? 0
    }

    /// The rows of an FTS5 table from its averages record (`%_data` row 1, which FTS5 keeps for
    /// BM25: the rows, then the tokens of each column, each an SQLite varint); nil when the
    /// record does not start with one.
    static func fts5RowCount(averages block: Data) -> Int? {
        var value: UInt64 = 0
        for (offset, byte) in block.prefix(9).enumerated() {
            if offset == 8 { return Int(exactly: value << 8 | UInt64(byte)) }
            value = value << 7 | UInt64(byte & 0x7F)
            if byte & 0x80 == 0 { return Int(exactly: value) }
        }
        return nil
    }

    /// `text` as the start of a LIKE pattern (`ESCAPE '\'`): each `\`, `%` and `_` escaped,
    /// scalar by scalar (also where a combining mark joins one into a character).
    static func likePrefix(_ text: String) -> String {
        var pattern = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\\" || scalar == "%" || scalar == "_" { pattern.append("\\") }
            pattern.append(scalar)
        }
        pattern.append("%")
        return String(pattern)
    }

    /// The snippet on one line: its lines (and tab-separated parts) trimmed, joined by a space.
    /// Split on bytes: splitting Characters cost 66,000 instructions a snippet, and kept a CRLF
    /// (one Character) inside.
    static func oneLine(_ text: String) -> String {
        text.utf8.split(whereSeparator: { $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }).map { Substring($0).trimmed() }
            .filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// SQL conditions on `document d` for the filters, and their arguments.
    func filterSQL(_ filters: SearchFilters) -> (String, [DatabaseValueConvertible?]) {
        var conditions: [String] = []
        var arguments: [DatabaseValueConvertible?] = []
        if let severity = filters.severity {
            conditions.append("d.severity = ? COLLATE NOCASE")
            arguments.append(FieldValue.label(severity) ?? severity)
        }
        if let status = filters.status {
            conditions.append("d.status = ? COLLATE NOCASE")
            arguments.append(FieldValue.label(status) ?? status)
        }
        if let project = filters.project {
            conditions.append("d.project = ? COLLATE NOCASE")
            arguments.append(project)
        }
        if let kind = filters.kind {
            conditions.append("d.kind = ?")
            arguments.append(kind.rawValue)
        }
        if let framework = filters.framework {
            conditions.append(
                "EXISTS (SELECT 1 FROM framework f WHERE f.docId = d.docId AND f.name = ? COLLATE NOCASE)")
            arguments.append(ComplianceFrameworks.canonicalName(framework) ?? framework)
        }
        if let control = filters.control {
            conditions.append(
                "EXISTS (SELECT 1 FROM control c WHERE c.docId = d.docId AND c.control = ? COLLATE NOCASE)")
            arguments.append(control)
        }
        if let since = filters.since {
            conditions.append("d.date >= ?")
            arguments.append(since)
        }
        if let until = filters.until {
            conditions.append("d.date <= ?")
            arguments.append(until)
        }
        for condition in filters.conditions {
            let parts = condition.key.split(separator: ".", maxSplits: 1).map(String.init)
            if parts.count == 2, parts[0].lowercased() == "compliance" {
                // An attribute of the compliance block: `compliance.audit_trail=true`.
                conditions.append(
                    """
                    EXISTS (SELECT 1 FROM complianceAttribute a WHERE a.docId = d.docId AND a.key = ? AND a.value = ? \
                    COLLATE NOCASE)
                    """)
                arguments += [YAMLNode.normalizedKey(parts[1]), condition.value]
            } else if parts.count == 2 {
                conditions.append(
                    """
                    EXISTS (SELECT 1 FROM complianceValue v WHERE v.docId = d.docId AND v.framework = ? COLLATE NOCASE
                            AND v.key = ? COLLATE NOCASE AND v.value = ? COLLATE NOCASE)
                    """)
                arguments += [parts[0], parts[1], condition.value]
            } else {
                conditions.append(
                    """
                    EXISTS (SELECT 1 FROM field f WHERE f.docId = d.docId AND f.name = ? COLLATE NOCASE AND f.value = \
                    ? COLLATE NOCASE)
                    """)
                arguments += [condition.key, condition.value]
            }
        }
        return (conditions.joined(separator: " AND "), arguments)
    }
}

extension IndexStore {
    /// Every hot pattern of the knowledge base: those of the hot-patterns file and those that
    /// records propose.
    public func hotPatterns() throws -> [StoredHotPattern] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT h.title, h.keywords, h.symptom, h.rootCause, h.solution, h.related, h.hitCount, \
                    h.lastUsed, d.path, h.line
                    FROM hotPattern h JOIN document d ON d.docId = h.docId ORDER BY d.path, h.line
                    """
            ).map { row in
                func list(_ text: String) -> [String] {
                    text.split(separator: ",").map { $0.trimmed() }.filter { !$0.isEmpty }
                }
                return StoredHotPattern(
                    title: row[0], keywords: list(row[1]), symptom: row[2], rootCause: row[3], solution: row[4],
                    related: list(row[5]), hitCount: row[6], lastUsed: row[7], path: row[8], line: row[9],
                    hitsLast30Days: nil)
            }
        }
    }
}

extension IndexStore {
    /// Every ID in the index (IDs may repeat across files).
    public func allIdentifiers() throws -> [String] {
        try database.read { db in try String.fetchAll(db, sql: "SELECT risId FROM document") }
    }
}

/// SHA-256 of file contents, as the index records it.
public enum ContentDigest {
    /// Lower-case hexadecimal SHA-256 of `data`.
    public static func sha256(_ data: Data) -> String { IndexStore.hex(SHA256.hash(data: data)) }
}

extension IndexStore {
    /// The documents among `paths` that `AccessPolicy.requiresEncryption` keeps from coding
    /// agents: `encryption-required: true` in a framework, or a compliance block the index
    /// could not read whole (its documents are audited for the same reason).
    public func encryptionRequired(among paths: [String]) throws -> Set<String> {
        guard !paths.isEmpty else { return [] }
        return try database.read { db in
            let marks = Array(repeating: "?", count: paths.count).joined(separator: ",")
            return Set(
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT d.path FROM document d WHERE d.path IN (\(marks)) AND (
                            EXISTS (SELECT 1 FROM complianceValue c WHERE c.docId = d.docId
                                AND c.key = 'encryption-required' AND c.value = 'true')
                            OR (d.auditRequired AND NOT EXISTS (SELECT 1 FROM complianceValue c
                                WHERE c.docId = d.docId AND c.key = 'access-audit-required' AND c.value = 'true')))
                        """, arguments: StatementArguments(paths)))
        }
    }

    /// Of `paths`, those whose record requires access auditing (`AccessPolicy`, decided when
    /// the record was indexed), with their ID and the SHA-256 the index holds.
    public func auditRequired(among paths: [String]) throws -> [(path: String, id: String, sha256: String)] {
        guard !paths.isEmpty else { return [] }
        // One statement: outside a transaction (`read`'s isolation is four statements more).
        return try database.unsafeRead { db in
            let marks = Array(repeating: "?", count: paths.count).joined(separator: ",")
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT d.path, d.risId, d.sha256 FROM document d WHERE d.path IN (\(marks)) AND d.auditRequired
                    ORDER BY d.path
                    """, arguments: StatementArguments(paths)
            ).map { ($0[0], $0[1], $0[2]) }
        }
    }
}

extension DocumentKind {
    /// The kind as the index stores it; a value this ris does not know reads as `doc`.
    init(stored: String) { self = DocumentKind(rawValue: stored) ?? .doc }
}
