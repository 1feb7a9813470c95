import FrontMatter
import GRDB
import RISKit

/// The search syntax for people (docs/search.md), turned into an FTS5 query that cannot
/// fail: every word and phrase is an FTS5 string (`quoted`), operators are added by us.
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
    /// What the person should know about how the query was read.
    var notes: [String] = []

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
                let mapped = QuerySyntax.fieldColumns[QuerySyntax.text(characters[index..<lookahead]).lowercased()],
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
                    text: QuerySyntax.text(characters[(index + 1)..<min(end, characters.count)]), isPhrase: true,
                    isPrefix: false, column: column, negated: negated)
                index = min(end + 1, characters.count)
            } else {
                var end = index
                while end < characters.count, !isSpace(characters[end]) { end += 1 }
                var word = QuerySyntax.text(characters[index..<end])
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

        // `-x` excludes only a word of two or more characters, and only beside words to find:
        // a pasted command's `-v`, or a query of nothing but `-words`, is searched as it is.
        let hasPositive = terms.contains { !$0.0.negated && QuerySyntax.pattern(for: $0.0) != nil }
        for index in terms.indices where terms[index].0.negated {
            let term = terms[index].0
            let letters = term.text.unicodeScalars.filter {
                $0.properties.isAlphabetic || $0.properties.numericType != nil
            }.count
            guard !hasPositive || (letters < 2 && !term.isPhrase) else { continue }
            terms[index].0.negated = false
            terms[index].0.text = "-" + term.text
            notes.append(
                "'-\(term.text)' is searched as a word: only a word of 2 or more characters after - is excluded, "
                    + "and only beside words to find")
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

    /// `text` as one FTS5 string: in double quotes, inner quotes doubled. FTS5 reads it as the
    /// phrase of the tokens inside, whatever the characters: nothing typed or pasted reaches
    /// its query parser as an operator.
    ///
    /// Every quote is doubled, one inside a character with a combining mark (`"\u{301}`) too
    /// (`doubleQuoted`): FTS5 reads the bytes, not characters, and a quote left single there
    /// ended the string (Foundation's `replacingOccurrences` compares characters, and left it).
    static func quoted(_ text: String) -> String { text.doubleQuoted }

    /// The text of some of the query's characters. (A loop the compiler specialises: the
    /// standard library's generic `String(_:)` of an `ArraySlice<Character>` asks the runtime
    /// for the slice's conformances, a scan of every conformance record of the binary.)
    static func text(_ characters: ArraySlice<Character>) -> String {
        var text = ""
        for character in characters { text.append(character) }
        return text
    }

    /// The FTS5 text of one term, or nil when it holds nothing to search for.
    ///
    /// A term is always an FTS5 string: in double quotes, inner quotes doubled, which FTS5
    /// reads as the phrase of the tokens inside whatever the characters. A code token is
    /// thereby the phrase of its parts: `RIS-045` is "ris 045". The assembled pattern is
    /// checked by the index's own table when the query runs (`IndexStore.search`).
    static func pattern(for term: Term) -> String? {
        guard
            term.text.unicodeScalars.contains(where: { $0.properties.isAlphabetic || $0.properties.numericType != nil })
        else {
            return nil
        }
        var raw = quoted(term.text)
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

    /// What `ftsPattern` is made of, for scoring it (`IndexStore.matches`).
    var shape: PatternShape {
        let terms = groups.allSatisfy { $0.count == 1 } && exclusions.isEmpty
        return PatternShape(
            isConjunction: terms && !groups.isEmpty,
            isOnePhrase: terms && groups.count == 1 && groups[0][0].column == nil && !groups[0][0].isPrefix)
    }

    /// A group of one plain word: no phrase, no prefix, no field.
    static func isPlainWord(_ group: [Term]) -> Bool {
        group.count == 1 && !group[0].isPhrase && !group[0].isPrefix && group[0].column == nil
    }

    /// The words of a query made only of plain words, in order; empty otherwise.
    var plainWords: [String] {
        groups.allSatisfy(QuerySyntax.isPlainWord) ? groups.map { $0[0].text } : []
    }

    /// The letters and digits of a word, when it is one token of at least 4 of them.
    static func prefixable(_ word: String) -> String? {
        let scalars = word.unicodeScalars
        guard scalars.count >= 4, scalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) })
        else { return nil }
        return word.lowercased()
    }

    /// The parts of a camel-case or dotted word (`InvalidParameterValue`, `redis.exceptions`),
    /// each of 2 or more characters; empty for a word of one part.
    static func parts(of word: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var previous: Character?
        for character in word {
            if !(character.isLetter || character.isNumber) {
                if !current.isEmpty { parts.append(current) }
                current = ""
            } else {
                if character.isUppercase, let previous, previous.isLowercase, !current.isEmpty {
                    parts.append(current)
                    current = ""
                }
                current.append(character)
            }
            previous = character
        }
        if !current.isEmpty { parts.append(current) }
        let kept = parts.filter { $0.count >= 2 }.map { $0.lowercased() }
        return kept.count >= 2 ? kept : []
    }

    /// The part-word alternatives `expandedPattern` adds, as people would write them (`crashloop*`).
    private(set) var expansions: [String] = []

    /// The query with lower-weighted alternatives for code-like words: each plain word of 4+
    /// letters as a prefix (`crashloop` → `crashloop*`), a camel-case or dotted word as its parts
    /// (`InvalidParameterValue` → invalid parameter value), two plain words as one
    /// (`build kit` → `buildkit*`). Nil when no word has an alternative.
    mutating func expandedPattern() -> String? {
        let quoted = QuerySyntax.quoted
        var prefixes = 0
        var expansions: [String] = []
        func alternatives(_ word: String) -> String {
            var options = [quoted(word)]
            if prefixes < QuerySyntax.maxPrefixTerms, let prefix = QuerySyntax.prefixable(word) {
                options.append(quoted(prefix) + " *")
                expansions.append(prefix + "*")
                prefixes += 1
            }
            let parts = QuerySyntax.parts(of: word)
            if !parts.isEmpty {
                options.append("(" + parts.map(quoted).joined(separator: " AND ") + ")")
                expansions.append(parts.joined(separator: " "))
            }
            return options.count == 1 ? options[0] : "(" + options.joined(separator: " OR ") + ")"
        }
        var pieces: [String] = []
        var index = 0
        while index < groups.count {
            let group = groups[index]
            guard QuerySyntax.isPlainWord(group) else {
                let parts = group.compactMap(QuerySyntax.pattern(for:))
                pieces.append(parts.count == 1 ? parts[0] : "(" + parts.joined(separator: " OR ") + ")")
                index += 1
                continue
            }
            let word = group[0].text
            if index + 1 < groups.count, QuerySyntax.isPlainWord(groups[index + 1]),
                prefixes < QuerySyntax.maxPrefixTerms,
                let joined = QuerySyntax.prefixable(word + groups[index + 1][0].text),
                word.unicodeScalars.allSatisfy(\.properties.isAlphabetic)
            {
                let next = groups[index + 1][0].text
                prefixes += 1
                expansions.append(joined + "*")
                pieces.append("((\(alternatives(word)) AND \(alternatives(next))) OR \(quoted(joined)) *)")
                index += 2
                continue
            }
            pieces.append(alternatives(word))
            index += 1
        }
        guard !expansions.isEmpty else { return nil }
        self.expansions = expansions
        let negative = exclusions.compactMap(QuerySyntax.pattern(for:)).map { " NOT " + $0 }.joined()
        let positive = pieces.joined(separator: " AND ")
        return negative.isEmpty ? positive : "(" + positive + ")" + negative
    }

    /// Any of the query's words, phrases or groups (with the part-word alternatives), for
    /// ranking records by how many they hold; nil for a query of one group.
    func anyWordsPattern() -> String? {
        guard groups.count >= 2 else { return nil }
        var options = groups.joined().compactMap(QuerySyntax.pattern(for:))
        for group in groups where QuerySyntax.isPlainWord(group) {
            if let prefix = QuerySyntax.prefixable(group[0].text), options.count < QuerySyntax.maxTerms,
                options.filter({ $0.hasSuffix("*") }).count < QuerySyntax.maxPrefixTerms
            {
                options.append(QuerySyntax.quoted(prefix) + " *")
            }
        }
        let negative = exclusions.compactMap(QuerySyntax.pattern(for:)).map { " NOT " + $0 }.joined()
        return "(" + options.joined(separator: " OR ") + ")" + negative
    }
}

/// What a search knows of its FTS5 pattern, so that the rows counted to decide how to order it
/// are not counted again to score it (`ris_bm25`). The default knows nothing.
struct PatternShape {
    /// Only AND-ed words and phrases (no OR, no NOT): when the pattern is in more than half of
    /// the rows, so is each of them.
    var isConjunction = false
    /// One word or phrase, with no field and nothing excluded: the rows the pattern matches are
    /// the rows that hold it.
    var isOnePhrase = false
}
