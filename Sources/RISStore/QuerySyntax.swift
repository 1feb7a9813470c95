import FrontMatter
import GRDB
import RISKit

/// The search syntax for people (docs/search.md), turned into an FTS5 query that cannot
/// fail: every word and phrase goes through `FTS5Pattern`, operators are added by us.
///
/// - words are AND-ed; `"quoted phrases"`; `a OR b`; `-word` excludes; `word*` is a prefix;
/// - `title:`, `symptom:`, `keywords:`, `id:`, `body:`, `code:` restrict a word or phrase to a field;
/// - code tokens (`RIS-045`, `--oci-mediatypes=false`, `a/b.c+json`) are phrases of their parts.
struct QuerySyntax {
    struct Term {
        var text: String
        var isPhrase: Bool
        var isPrefix: Bool
        var column: String?
        var negated: Bool
    }

    /// Positive terms grouped by OR; each group is AND-ed with the others.
    var groups: [[Term]] = []
    var exclusions: [Term] = []
    /// The query was a single token shaped like an ID.
    var identifier: String?

    /// The most words and phrases one query may hold.
    static let maxTerms = 64
    /// The most `word*` terms one query may hold.
    static let maxPrefixTerms = 8

    static let fieldColumns: [String: String] = [
        "title": "title", "symptom": "symptom", "symptoms": "symptom", "keywords": "keywords", "keyword": "keywords",
        "id": "risId", "body": "body", "code": "code",
    ]

    init(_ text: String) throws {
        let characters = Array(text)
        var index = 0
        var pendingOr = false
        var terms: [(Term, orWithPrevious: Bool)] = []

        func isSpace(_ character: Character) -> Bool { character.isWhitespace }

        while index < characters.count {
            while index < characters.count, isSpace(characters[index]) { index += 1 }
            guard index < characters.count else { break }
            var negated = false
            var column: String?
            // `-word` excludes; `--flag` is a word.
            if characters[index] == "-", index + 1 < characters.count, characters[index + 1] != "-",
                !isSpace(characters[index + 1])
            {
                negated = true
                index += 1
            }
            // `field:` prefix.
            var lookahead = index
            while lookahead < characters.count, characters[lookahead].isLetter { lookahead += 1 }
            if lookahead < characters.count, characters[lookahead] == ":", lookahead > index,
                let mapped = QuerySyntax.fieldColumns[String(characters[index..<lookahead]).lowercased()],
                lookahead + 1 < characters.count, !isSpace(characters[lookahead + 1])
            {
                column = mapped
                index = lookahead + 1
            }
            var term: Term
            if characters[index] == "\"" {
                var end = index + 1
                while end < characters.count, characters[end] != "\"" { end += 1 }
                term = Term(
                    text: String(characters[(index + 1)..<min(end, characters.count)]), isPhrase: true, isPrefix: false,
                    column: column, negated: negated)
                index = min(end + 1, characters.count)
            } else {
                var end = index
                while end < characters.count, !isSpace(characters[end]) { end += 1 }
                var word = String(characters[index..<end])
                index = end
                if word == "OR" && column == nil && !negated {
                    pendingOr = true
                    continue
                }
                var isPrefix = false
                if word.hasSuffix("*") {
                    while word.hasSuffix("*") { word.removeLast() }
                    isPrefix = true
                }
                term = Term(text: word, isPhrase: false, isPrefix: isPrefix, column: column, negated: negated)
            }
            terms.append((term, pendingOr))
            pendingOr = false
        }

        for (term, orWithPrevious) in terms {
            guard QuerySyntax.pattern(for: term) != nil else { continue }  // no searchable characters: `*`, `(`, `'`
            if term.negated {
                exclusions.append(term)
            } else if orWithPrevious, !groups.isEmpty {
                groups[groups.count - 1].append(term)
            } else {
                groups.append([term])
            }
        }
        // Each prefix term makes FTS5 walk every token it starts; hundreds of them take minutes
        // (400 `a*` took 13 s on 7 files). A person's query has a handful of words.
        let termCount = groups.reduce(0) { $0 + $1.count } + exclusions.count
        if termCount > QuerySyntax.maxTerms {
            throw StoreError.badQuery(
                "the query has \(termCount) terms; at most \(QuerySyntax.maxTerms) are searched for")
        }
        let prefixCount = (groups.joined() + exclusions).filter(\.isPrefix).count
        if prefixCount > QuerySyntax.maxPrefixTerms {
            throw StoreError.badQuery(
                "the query has \(prefixCount) prefix terms (word*); at most \(QuerySyntax.maxPrefixTerms)")
        }
        if groups.isEmpty {
            if !exclusions.isEmpty {
                throw StoreError.badQuery("a query needs at least one word to find, not only words to exclude")
            }
            throw StoreError.badQuery("nothing to search for in '\(text)': give a word, a \"phrase\" or an ID")
        }
        let trimmed = text.trimmed()
        if terms.count == 1, !trimmed.contains(" "), FieldValue.isIdentifier(Substring(trimmed)) {
            identifier = trimmed
        }
    }

    /// The FTS5 text of one term, or nil when it holds nothing to search for.
    ///
    /// A term is always an FTS5 string: in double quotes, inner quotes doubled, which FTS5
    /// reads as the phrase of the tokens inside whatever the characters. A code token is
    /// thereby the phrase of its parts: `RIS-045` is "ris 045". The assembled pattern is then
    /// validated once, as an `FTS5Pattern`, against the index's own table.
    static func pattern(for term: Term) -> String? {
        guard
            term.text.unicodeScalars.contains(where: { $0.properties.isAlphabetic || $0.properties.numericType != nil })
        else {
            return nil
        }
        var raw = "\"" + term.text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        if term.isPrefix { raw += " *" }
        if let column = term.column { return "\(column) : (\(raw))" }
        return raw
    }

    /// The whole FTS5 query.
    var ftsPattern: String {
        let positive = groups.map { group -> String in
            let parts = group.compactMap(QuerySyntax.pattern(for:))
            return parts.count == 1 ? parts[0] : "(" + parts.joined(separator: " OR ") + ")"
        }.joined(separator: " AND ")
        let negative = exclusions.compactMap(QuerySyntax.pattern(for:)).map { " NOT " + $0 }.joined()
        return negative.isEmpty ? positive : "(" + positive + ")" + negative
    }

    /// Significant words of a text, for `similar`: lower case, no stop words, no duplicates.
    static func significantWords(in text: String, limit: Int) -> [String] {
        var seen = Set<String>()
        var words: [String] = []
        var current = ""
        func flush() {
            defer { current = "" }
            guard current.count >= 3, current.count <= 40, !stopWords.contains(current), !current.allSatisfy(\.isNumber)
            else { return }
            if seen.insert(current).inserted { words.append(current) }
        }
        for character in text.lowercased() {
            if character.isLetter || character.isNumber { current.append(character) } else { flush() }
            if words.count >= limit { break }
        }
        flush()
        return Array(words.prefix(limit))
    }

    static let stopWords: Set<String> = [
        "the", "and", "for", "with", "that", "this", "from", "are", "was", "were", "not", "but", "all", "any", "can",
        "has", "have", "had", "its", "into", "when", "then", "than", "there", "their", "they", "them", "which", "who",
        "will", "would", "should", "could", "been", "being", "also", "only", "just", "over", "under", "after", "before",
        "out", "our", "your", "you", "she", "his", "her", "per", "via", "use", "used", "using", "does", "did", "done",
        "each", "other", "same", "such", "more", "most", "some", "very", "what", "why", "how", "where", "while",
        "because",
        "error", "issue", "problem", "failed", "fails", "failure",
    ]
}
