import Foundation
import GRDB
import RISKit

/// What a match is: a hot pattern (a known-error signature, with its solution) or a record.
public enum MatchKind: String, Sendable, Codable {
    case hotPattern = "hot-pattern"
    case record
}

/// A word or phrase of the log found in a matched entry, and the log lines it came from.
public struct MatchedText: Sendable, Codable, Hashable {
    /// A word as first written in the log, or a phrase as written in its line.
    public var text: String
    /// 1-based line numbers of the log.
    public var lines: [Int]
}

/// One entry that carries a log's signature. JSON keys documented in docs/search.md.
public struct MatchEntry: Sendable {
    /// A hot pattern or a record.
    public var kind: MatchKind
    /// The record's ID; for a hot pattern of the hot-patterns file, the first record it relates to.
    public var id: String
    public var path: String
    /// The hot pattern's title line, or the record's symptom section (1 when it has none).
    public var line: Int
    /// The pattern's or the record's title.
    public var title: String
    /// Higher is better (docs/search.md, "Scoring"); the incident's best when others were merged in.
    public var score: Double
    /// Best first.
    public var matched: [MatchedText]
    /// A hot pattern's related records and articles (empty for records).
    public var related: [String]
    /// The hot pattern's solution (empty for records: their resolution is in their file).
    public var solution: String
    /// The record's date, severity and status (nil for entries of the hot-patterns file).
    public var date: String?
    public var severity: String?
    public var status: String?
    /// The kind of the document the entry is in.
    public var documentKind: DocumentKind
    /// An entry of the hot-patterns file (where hits are counted), not one a record proposes.
    public var inHotPatternsFile = false
    /// The entry's score on its own, before others of the same incident were merged into it.
    public var ownScore: Double = 0
    /// The other documents of the same incident merged into this entry (`ranked`): what
    /// matched may come from them, so showing it is a read of them too.
    public var mergedPaths: [String] = []
}

/// How a log's signature is scored against entries (docs/search.md, "Scoring").
public enum MatchScoring {
    /// A word's weight is its inverse document frequency, times these for how it is written
    /// and where it was seen.
    public static let distinctiveFactor = 2.0
    public static let errorLineFactor = 1.5
    /// Where in an entry a word is found.
    static let recordFields: [(name: String, weight: Double)] = [
        ("keywords", 3), ("title", 2.5), ("symptom", 2), ("code", 2), ("body", 1),
    ]
    static let patternFields: [(name: String, weight: Double)] = [
        ("keywords", 3), ("title", 2.5), ("symptom", 2), ("rootCause", 1),
    ]
    /// Two words of one log line side by side in an entry add this much of the smaller weight.
    public static let phraseFactor = 0.5
    /// A hot pattern is listed before records when it scores at least this share of the best
    /// entry: it carries the known fix, but a pattern matched by a log's noise must not hide the record.
    public static let patternLead = 0.8
    /// Entries scoring under this share of the best are not listed.
    public static let tailShare = 0.25
    /// The most words of a log used to find candidates, and candidates of each kind scored.
    static let queryWords = 16
    /// The most distinct words of a log weighed (looked up in the index).
    static let maxWords = 1000
    static let candidates = 30
    /// Lines of the log whose words are also looked for close together, and candidates of each.
    static let lines = 3
    static let lineCandidates = 10
}

extension IndexStore {
    /// The entries that carry `signature`, best first: hot patterns of the hot-patterns file and
    /// of records, and records. An entry is listed when it holds enough of the log (`score`)
    /// and scores at least `MatchScoring.tailShare` of the best.
    /// `recordsOnly` and `excluding` serve `similar`; `filters` restrict the records.
    public func match(
        _ signature: LogSignature, limit: Int = 5, recordsOnly: Bool = false, excluding: String? = nil,
        filters: SearchFilters = SearchFilters()
    ) throws -> [MatchEntry] {
        guard !signature.words.isEmpty else { return [] }
        let (whereSQL, filterArguments) = filterSQL(filters)
        let hotPatternsPath = knowledgeBase.config.hotPatternsPath
        return try database.read { db in
            // A record of the index (for `similar`) is not counted in its own words' frequencies; a draft is in none.
            let indexed = try excluding.map {
                try Bool.fetchOne(db, sql: "SELECT 1 FROM document WHERE path = ?", arguments: [$0]) ?? false
            }
            let (weights, common, rows) = try self.wordWeights(signature, db, excludingOne: indexed ?? false)
            guard !weights.isEmpty else { return [] }
            // Candidates: any of the heaviest words, ranked; and the heaviest lines' words close together.
            let lines = IndexStore.lineQueries(signature, weights: weights)
            let any = IndexStore.candidateQuery(weights, common: common, lineQueries: !lines.isEmpty)
            let queries =
                (any.map { [($0, MatchScoring.candidates)] } ?? []) + lines.map { ($0, MatchScoring.lineCandidates) }
            var entries: [MatchEntry] = []
            // What every candidate is compared with: the words the index holds, the lines with two of them.
            let reduced = ReducedSignature(
                words: signature.words.filter { weights[$0.text] != nil },
                lines: signature.lines.filter { line in line.words.lazy.filter { weights[$0] != nil }.count >= 2 })

            // The hot-patterns file's entries are matched one by one, below.
            var conditions = ["d.kind <> '\(DocumentKind.hotPattern.rawValue)'"] + (whereSQL.isEmpty ? [] : [whereSQL])
            var arguments: [DatabaseValueConvertible?] = filterArguments
            if let excluding {
                conditions.append("d.path <> ?")
                arguments.append(excluding)
            }
            // `knownRows`: the rank function of `documentSearch` is told the rows of each word.
            func candidates(_ sql: String, _ arguments: [DatabaseValueConvertible?], knownRows: Bool) throws -> [Int64]
            {
                var found: [Int64] = []
                for (query, limit) in queries {
                    let rank: [DatabaseValueConvertible?] = knownRows ? [query.rankFunction(rows: rows)] : []
                    for id in try Int64.fetchAll(
                        db, sql: sql + " LIMIT \(limit)",
                        arguments: StatementArguments([query.pattern] + rank + arguments))
                    where !found.contains(id) {
                        found.append(id)
                    }
                }
                return found
            }
            let recordIds = try candidates(
                """
                SELECT s.rowid FROM documentSearch s JOIN document d ON d.docId = s.rowid
                WHERE documentSearch MATCH ? AND s.rank MATCH ?\(conditions.map { " AND " + $0 }.joined())
                ORDER BY s.rank
                """, arguments, knownRows: true)
            let records = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.docId, d.path, d.risId, d.title, d.date, d.severity, d.status,
                           s.title, s.keywords, s.symptom, s.code, s.body,
                           d.symptomLine,
                           d.kind
                    FROM documentSearch s JOIN document d ON d.docId = s.rowid
                    WHERE s.rowid IN (\(recordIds.map(String.init).joined(separator: ",")))
                    """)
            for row in records {
                let texts: [String] = (7...11).map { row[$0] ?? "" }
                let fields = zip(MatchScoring.recordFields, texts).map { ($0.weight, $1) }
                guard let (score, matched) = IndexStore.score(reduced, weights: weights, fields: fields) else {
                    continue
                }
                entries.append(
                    MatchEntry(
                        kind: .record, id: row[2], path: row[1], line: row[12] ?? 1, title: row[3], score: score,
                        matched: matched, related: [], solution: "", date: row[4], severity: row[5], status: row[6],
                        documentKind: DocumentKind(stored: row[13])))
            }
            if !recordsOnly {
                let patternIds = try candidates(
                    "SELECT rowid FROM hotPatternSearch WHERE hotPatternSearch MATCH ? ORDER BY rank", [],
                    knownRows: false)
                let patterns = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT h.title, h.keywords, h.symptom, h.rootCause, h.solution, h.related, h.line,
                               d.path, d.risId, d.kind, d.date, d.severity, d.status
                        FROM hotPattern h JOIN document d ON d.docId = h.docId
                        WHERE h.rowid IN (\(patternIds.map(String.init).joined(separator: ",")))
                        """)
                for row in patterns {
                    let texts: [String] = (0...3).map { row[$0] }
                    let fields = zip(MatchScoring.patternFields, texts).map { ($0.weight, $1) }
                    guard let (score, matched) = IndexStore.score(reduced, weights: weights, fields: fields) else {
                        continue
                    }
                    let related = (row[5] as String).split(separator: ",").map { $0.trimmed() }.filter { !$0.isEmpty }
                    // The hot-patterns file (where hits are counted) is the one the configuration names.
                    let inRecord = (row[7] as String) != hotPatternsPath
                    let id: String =
                        inRecord
                        ? row[8] : related.first { FieldValue.isIdentifier(Substring($0)) } ?? ""
                    entries.append(
                        MatchEntry(
                            kind: .hotPattern, id: id, path: row[7], line: row[6], title: row[0], score: score,
                            matched: matched, related: related, solution: row[4],
                            date: inRecord ? row[10] : nil, severity: inRecord ? row[11] : nil,
                            status: inRecord ? row[12] : nil, documentKind: DocumentKind(stored: row[9]),
                            inHotPatternsFile: !inRecord))
                }
            }
            return IndexStore.ranked(entries, limit: limit)
        }
    }

    /// One incident, one entry: a record, the hot pattern it proposes and the entries of the
    /// hot-patterns file related to it are listed once, as the hot-patterns file's entry (where
    /// hits are counted), else the record's pattern, else the record, with the best score of
    /// them. Then hot patterns first when they score nearly as well as the best entry (they
    /// carry the known fix; `MatchScoring.patternLead`), then by score; the weak tail (`MatchScoring.tailShare`) goes.
    static func ranked(_ entries: [MatchEntry], limit: Int) -> [MatchEntry] {
        func rank(_ entry: MatchEntry) -> Int {
            entry.kind == .record ? 2 : entry.inHotPatternsFile ? 0 : 1
        }
        // Which file entry each record ID belongs to (the best scoring one when several relate to it).
        var fileEntryOf: [String: Int] = [:]
        for (index, entry) in entries.enumerated() where entry.inHotPatternsFile {
            for id in entry.related.map({ $0.lowercased() }) {
                if let other = fileEntryOf[id], entries[other].score >= entry.score { continue }
                fileEntryOf[id] = index
            }
        }
        var groups: [String: [Int]] = [:]
        var order: [String] = []
        for (index, entry) in entries.enumerated() {
            let key: String
            if entry.inHotPatternsFile {
                key = "file:\(entry.path):\(entry.line)"
            } else if let owner = fileEntryOf[entry.id.lowercased()], !entry.id.isEmpty {
                key = "file:\(entries[owner].path):\(entries[owner].line)"
            } else {
                key = "doc:" + entry.path
            }
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(index)
        }
        let entries = entries.map { entry in
            var entry = entry
            entry.ownScore = entry.score
            return entry
        }
        var merged: [MatchEntry] = order.map { key in
            let members = groups[key]!.map { entries[$0] }
            var shown = members.min { (rank($0), -$0.score) < (rank($1), -$1.score) }!
            let best = members.max { $0.score < $1.score }!
            if best.score > shown.score { (shown.score, shown.matched) = (best.score, best.matched) }
            shown.mergedPaths = Array(Set(members.map(\.path)).subtracting([shown.path])).sorted()
            return shown
        }
        guard let top = merged.map(\.score).max() else { return [] }
        merged.removeAll { $0.score < top * MatchScoring.tailShare }
        func leads(_ entry: MatchEntry) -> Bool {
            entry.kind == .hotPattern && entry.score >= top * MatchScoring.patternLead
        }
        merged.sort { lhs, rhs in
            if leads(lhs) != leads(rhs) { return leads(lhs) }
            if lhs.score != rhs.score { return lhs.score > rhs.score }
            return (lhs.path, lhs.line) < (rhs.path, rhs.line)
        }
        return Array(merged.prefix(limit))
    }

    /// Each word of the log that the index holds, with its weight: the inverse document
    /// frequency (BM25's, never negative) of its stem, times the factors of `MatchScoring`.
    ///
    /// `excludingOne`: the signature is a document of the index (for `similar`): it is not
    /// counted, so that its own words, in no other document, weigh nothing.
    /// `common`: the words in more than a quarter of the documents (of a knowledge base of at
    /// least `nonSelectiveMinimumDocuments`: in a small one, every query is cheap).
    /// `rows`: the documents holding each word that is one token, as `ris_bm25` takes them
    /// (`CandidateQuery.rankFunction`); the signature's own document is among them.
    func wordWeights(_ signature: LogSignature, _ db: Database, excludingOne: Bool = false) throws
        -> (weights: [String: Double], common: Set<String>, rows: [String: Int])
    {
        let tokenizer = try Schema.searchTokenizer(db)
        var stems: [String: String] = [:]
        // The words of error lines first, then the distinctive ones: a huge log keeps its best
        // (random identifiers that slip through the masks are distinctive too, errors are not random).
        let ordered = signature.words.enumerated().sorted { lhs, rhs in
            let (l, r) = (lhs.element, rhs.element)
            if l.onErrorLine != r.onErrorLine { return l.onErrorLine }
            if l.isDistinctive != r.isDistinctive { return l.isDistinctive }
            return lhs.offset < rhs.offset
        }.prefix(MatchScoring.maxWords).map(\.element)
        var oneToken = Set<String>()
        for word in ordered {
            let tokens = try tokenizer.tokenize(query: word.text)
            if let stem = tokens.first?.token { stems[word.text] = stem }
            if tokens.count == 1 { oneToken.insert(word.text) }
        }
        let own = excludingOne ? 1.0 : 0
        let (documents, frequency) = try documentFrequencies.lookup(stems.values, db, remember: !isReadOnly)
        let total = Double(documents) - own
        guard total > 0 else { return ([:], [], [:]) }
        // The rows holding a word that is one token are the rows of its stem: BM25 need not count them.
        var rows: [String: Int] = [:]
        for word in oneToken { rows[word] = frequency[stems[word]!] }
        var weights: [String: Double] = [:]
        var common = Set<String>()
        for word in ordered {
            guard let stem = stems[word.text], let counted = frequency[stem], Double(counted) - own > 0 else {
                continue
            }
            let documents = Double(counted) - own
            var weight = log(1 + (total - documents + 0.5) / (documents + 0.5))
            if word.isDistinctive { weight *= MatchScoring.distinctiveFactor }
            if word.onErrorLine { weight *= MatchScoring.errorLineFactor }
            weights[word.text] = weight
            if total >= Double(IndexStore.nonSelectiveMinimumDocuments), documents > total / 4 {
                common.insert(word.text)
            }
        }
        return (weights, common, rows)
    }

    /// Any of the heaviest words: FTS5 finds the candidates, the score decides. Words in more
    /// than a quarter of the documents are left out (ranking the union of a few common words'
    /// documents costs more than all the rest of a match: 44 ms for 4 words at 10,000 records);
    /// a log of common words only is left to the line queries, or, without any, to its 2
    /// heaviest words.
    static func candidateQuery(_ weights: [String: Double], common: Set<String>, lineQueries: Bool)
        -> CandidateQuery?
    {
        let sorted = weights.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        let rare = sorted.filter { !common.contains($0.key) }
        if rare.isEmpty && lineQueries { return nil }
        let heaviest = rare.isEmpty ? sorted.prefix(2) : rare.prefix(MatchScoring.queryWords)
        let words = heaviest.map(\.key)
        return CandidateQuery(pattern: words.map(QuerySyntax.quoted).joined(separator: " OR "), words: words)
    }

    /// An FTS5 pattern of a log's words, each word one phrase of it, in order.
    struct CandidateQuery {
        var pattern: String
        var words: [String]

        /// Its rank function: BM25 with the rows of each word given where they are known
        /// (`ris_bm25`): FTS5's bm25() would run each word over the whole index again, on every
        /// query (7 ms for a line of six common words at 10,000 records).
        func rankFunction(rows: [String: Int]) -> String {
            let known = words.map { rows[$0].map(String.init) ?? "-" }.joined(separator: " ")
            return "ris_bm25('\(known)', \(IndexStore.rankWeights))"
        }
    }

    /// The longest phrase shown: in words when its text is not found in the line, else in characters.
    static let phraseWords = 8
    static let phraseCharacters = 80

    /// For the lines of the log with the heaviest words (at most `MatchScoring.lines`), their
    /// heaviest run of up to 6 words as an FTS5 `NEAR` group: the record that quotes the error
    /// message is a candidate even when all its words are common.
    static func lineQueries(_ signature: LogSignature, weights: [String: Double]) -> [CandidateQuery] {
        var windows: [(weight: Double, words: [String])] = []
        for line in signature.lines {
            let words = line.words.filter { weights[$0] != nil }
            guard words.count >= 3 else { continue }
            var best: (Double, [String]) = (0, [])
            for start in 0...max(0, words.count - 6) {
                let window = Array(words[start..<min(start + 6, words.count)])
                let weight = window.reduce(0) { $0 + weights[$1]! }
                if weight > best.0 { best = (weight, window) }
            }
            windows.append(best)
        }
        var seen = Set<[String]>()
        return windows.sorted { $0.weight > $1.weight }.filter { seen.insert($0.words).inserted }
            .prefix(MatchScoring.lines).map { window in
                CandidateQuery(
                    pattern: "NEAR(" + window.words.map(QuerySyntax.quoted).joined(separator: " ") + ", 8)",
                    words: window.words)
            }
    }

    /// The score of one entry (its fields with their weights), and what matched; nil when it
    /// holds no distinctive word of the log, no two of its words side by side, and not three of
    /// its words with one from a line that reads as an error.
    /// The part of a log's signature that can match: words the index holds, lines with two of them.
    struct ReducedSignature {
        var words: [LogSignature.Word]
        var lines: [LogSignature.Line]
    }

    static func score(_ signature: ReducedSignature, weights: [String: Double], fields: [(Double, String)])
        -> (Double, [MatchedText])?
    {
        // Each normal form of the entry with the weight of the best field holding it, and the
        // pairs of words side by side in it.
        var fieldWeight: [String: Double] = [:]
        var pairs = Set<String>()
        for (weight, text) in fields where !text.isEmpty {
            var previous: String?
            for word in LogSignature.keptWords(of: text) {
                let form = LogSignature.normalForm(word)
                if fieldWeight[form, default: 0] < weight { fieldWeight[form] = weight }
                if let previous { pairs.insert(previous + " " + form) }
                previous = form
            }
        }
        var score = 0.0
        var found: [(text: MatchedText, weight: Double, word: String)] = []
        var distinctive = false
        var errorWords = 0
        var matchedWords = Set<String>()
        for word in signature.words {
            guard let weight = weights[word.text], let field = fieldWeight[LogSignature.normalForm(word.text)] else {
                continue
            }
            score += weight * field
            matchedWords.insert(word.text)
            if word.isDistinctive { distinctive = true }
            if word.onErrorLine { errorWords += 1 }
            found.append((MatchedText(text: word.display, lines: word.lines), weight * field, word.text))
        }
        guard distinctive || matchedWords.count >= 2 else { return nil }
        // Phrases: runs of a log line's words that stand side by side in the entry.
        var phrases: [String: (lines: [Int], weight: Double)] = [:]
        var phraseOrder: [String] = []
        var written: [String: String] = [:]
        for line in signature.lines {
            var run: [String] = []
            var runWeight = 0.0
            func close() {
                defer { (run, runWeight) = ([], 0) }
                guard run.count >= 2 else { return }
                let text = run.joined(separator: " ")
                if phrases[text] == nil {
                    phrases[text] = ([], runWeight)
                    phraseOrder.append(text)
                    score += runWeight
                    if let span = line.span(of: run) { written[text] = String(span) }
                }
                if phrases[text]!.lines.count < LogSignature.maxLinesPerWord {
                    phrases[text]!.lines.append(line.number)
                }
            }
            for index in line.words.indices {
                let word = line.words[index]
                if index > 0, let left = weights[line.words[index - 1]], let right = weights[word],
                    pairs.contains(LogSignature.normalForm(line.words[index - 1]) + " " + LogSignature.normalForm(word))
                {
                    if run.isEmpty { run = [line.words[index - 1]] }
                    run.append(word)
                    runWeight += MatchScoring.phraseFactor * min(left, right)
                } else {
                    close()
                }
            }
            close()
        }
        // Enough to say it is the same failure: a name or code, two words side by side, or
        // three words of which one is on a line that says something failed.
        guard distinctive || !phraseOrder.isEmpty || (matchedWords.count >= 3 && errorWords > 0) else { return nil }
        // Phrases as written in the log (cut after `phraseWords` words), then the words no phrase shows.
        var display: [String: String] = [:]
        for word in signature.words { display[word.text] = word.display }
        var covered = Set<String>()
        var matched: [(MatchedText, Double)] = phraseOrder.map { text in
            let words = text.split(separator: " ").map(String.init)
            covered.formUnion(words)
            var shown =
                written[text] ?? words.prefix(phraseWords).map { display[$0] ?? $0 }.joined(separator: " ")
            if shown.count > phraseCharacters { shown = String(shown.prefix(phraseCharacters)) + "…" }
            return (MatchedText(text: shown, lines: phrases[text]!.lines), phrases[text]!.weight * 3)
        }
        matched += found.filter { !covered.contains($0.word) }.map { ($0.text, $0.weight) }
        matched.sort { $0.1 > $1.1 }
        return (score, matched.prefix(12).map(\.0))
    }
}
