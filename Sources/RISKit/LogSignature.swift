import FrontMatter

/// What identifies a failure in a pasted log, a traceback or CLI output, with what varies
/// between runs masked (docs/search.md, "Matching a log").
///
/// The text is read line by line and cut at white space into chunks. A chunk that is a URL,
/// an ARN, an image reference, an IP address (with its port), a host name, a timestamp or a
/// number is masked whole; a path keeps its last two parts (the user-specific prefix, such
/// as `/home/alice/src`, goes); a `key=value` keeps the key and reads the value as a chunk
/// of its own. What is left is cut into words the way the full-text index cuts them (runs of
/// letters and digits); a word is masked when it is a number, a hex digest (7+ hex digits
/// with a digit), a number with a unit (`512ms`, `3GiB`) or an identifier with more than
/// four digits. Kept words are lower case, without stop words. A quoted value is read like
/// any other chunk: messages quote what identifies them (`No module named 'pydantic_core'`)
/// as often as what varies, and the rules above mask the latter.
///
/// Words are *distinctive* when their spelling marks them as names or codes: camel case
/// (`InvalidParameterValueException`, `OOMKilled`), capitals (`ENOTFOUND`, `ERR_OSSL_EVP`),
/// letters with a short number (`TS2307`, `E1234`), or a name ending in `Error` or
/// `Exception`; an HTTP status (400-599) is kept, and distinctive, on a line that speaks of
/// HTTP or a status.
public struct LogSignature: Sendable {
    /// One kept word: where it was seen and how it was written first.
    public struct Word: Sendable, Hashable {
        /// Lower case, as matched.
        public var text: String
        /// As first written in the log (`InvalidParameterValueException`).
        public var display: String
        /// Line numbers (1-based) of the log where it is, in order, at most `maxLinesPerWord`.
        public var lines: [Int]
        /// Written as a name or a code (see the type's documentation): it weighs twice as much.
        public var isDistinctive: Bool
        /// Seen on a line that reads as an error (error, exception, failed, denied, panic...).
        public var onErrorLine: Bool
    }

    /// The kept words of one line, in order (for phrases).
    public struct Line: Sendable {
        /// 1-based.
        public var number: Int
        /// The kept words, lower case, in order.
        public var words: [String]
        /// The line as written (without its line break), for showing a matched phrase as it is.
        public var text: String

        /// The part of the line from the first to the last of `words` (which are in it, in
        /// order), as written; nil when they cannot be found in it so.
        public func span(of words: [String]) -> Substring? {
            // Lower-casing keeps the offsets of ASCII text only: other lines are not cut.
            guard let first = words.first, text.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
            let lower = text.lowercased()
            guard let start = lower.range(of: first) else { return nil }
            var end = start.upperBound
            for word in words.dropFirst() {
                guard let found = lower.range(of: word, range: end..<lower.endIndex) else { return nil }
                end = found.upperBound
            }
            let from = text.utf8.index(
                text.startIndex, offsetBy: lower.utf8.distance(from: lower.startIndex, to: start.lowerBound))
            let to = text.utf8.index(text.startIndex, offsetBy: lower.utf8.distance(from: lower.startIndex, to: end))
            return text[from..<to]
        }
    }

    /// How much of a log is read: a pasted log is rarely larger; the rest is said to be cut.
    public static let maxInputBytes = 1 << 20
    /// The most line numbers kept per word (for the "which lines" of a match).
    public static let maxLinesPerWord = 12

    /// Distinct kept words, in the order first seen.
    public private(set) var words: [Word] = []
    /// Lines with at least one kept word.
    public private(set) var lines: [Line] = []
    /// Lines read.
    public private(set) var lineCount = 0
    /// The input was longer than `maxInputBytes`; only its start was read.
    public private(set) var truncated = false

    /// Reads `text` (at most `maxInputBytes` of it, cut at a line end).
    public init(_ text: String) {
        var bytes = Array(text.utf8)
        if bytes.count > LogSignature.maxInputBytes {
            truncated = true
            var end = LogSignature.maxInputBytes
            while end > 0, bytes[end - 1] != UInt8(ascii: "\n") { end -= 1 }
            bytes.removeSubrange((end == 0 ? LogSignature.maxInputBytes : end)...)
        }
        var index: [String: Int] = [:]
        LogSignature.forEachLine(of: bytes) { number, line in
            lineCount = number
            let (tokens, errorLine) = LogSignature.readLine(line, forEntry: false)
            guard !tokens.isEmpty else { return }
            let text = String(decoding: line, as: UTF8.self).trimmed()
            lines.append(Line(number: number, words: tokens.map(\.text), text: text))
            for token in tokens {
                if let position = index[token.text] {
                    if words[position].lines.count < LogSignature.maxLinesPerWord,
                        words[position].lines.last != number
                    {
                        words[position].lines.append(number)
                    }
                    if token.distinctive { words[position].isDistinctive = true }
                    if errorLine { words[position].onErrorLine = true }
                } else {
                    index[token.text] = words.count
                    words.append(
                        Word(
                            text: token.text, display: token.display, lines: [number],
                            isDistinctive: token.distinctive, onErrorLine: errorLine))
                }
            }
        }
    }

    /// A kept word of a line as `readLine` reads it.
    public struct Token: Sendable {
        /// Lower case, as matched.
        public var text: String
        /// As written (empty when reading an entry's text, which is never shown).
        public var display: String
        /// Written as a name or a code.
        public var distinctive: Bool
    }

    /// The kept words of `text` in order, masked as a log is (for the entries a log is compared with).
    public static func keptWords(of text: String) -> [String] {
        var out: [String] = []
        forEachLine(of: Array(text.utf8)) { _, line in out += readLine(line, forEntry: true).0.map(\.text) }
        return out
    }

    /// Each line of `bytes` (without its `\n`) with its 1-based number.
    static func forEachLine(of bytes: [UInt8], _ body: (Int, ArraySlice<UInt8>) -> Void) {
        var lineNumber = 0
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            lineNumber += 1
            body(lineNumber, bytes[start..<end])
            start = end + 1
        }
    }

    // MARK: - One line

    /// The kept words of one line, and whether it reads as an error. `forEntry`: the text of
    /// an entry a log is compared with (no display forms, no error-line test: only the words).
    static func readLine(_ raw: ArraySlice<UInt8>, forEntry: Bool) -> ([Token], Bool) {
        let line = raw.contains(where: { $0 >= 0x80 }) ? ArraySlice(unicodeSpaced(raw)) : raw
        var tokens: [Token] = []
        let lower = line.map(ASCIIByte.lowered)
        let speaksHTTP = contains(lower, httpNeedle) || contains(lower, statusNeedle)
        let errorLine = !forEntry && errorMarkers.contains { contains(lower, $0) }
        var index = line.startIndex
        var previous = line.startIndex..<line.startIndex  // the chunk before, for `isCode`
        while index < line.endIndex {
            while index < line.endIndex, ASCIIByte.isSpace(line[index]) { index += 1 }
            var end = index
            while end < line.endIndex, !ASCIIByte.isSpace(line[end]) { end += 1 }
            if end > index {
                // Most chunks are a plain word, perhaps in quotes or brackets: read it at once.
                var from = index
                var to = end
                while from < to, openers.contains(line[from]) { from += 1 }
                while to > from, closers.contains(line[to - 1]) { to -= 1 }
                if to - from >= 2, to - from <= 64,
                    line[from..<to].allSatisfy({ ASCIIByte.isUpper($0) || ASCIIByte.isLower($0) })
                {
                    if let token = letterToken(line[from..<to], display: !forEntry) { tokens.append(token) }
                } else if to > from, to - from <= 6, line[from..<to].allSatisfy(ASCIIByte.isDigit),
                    isCode(line[from..<to], after: line[previous])
                {
                    // `exit code 137`, `ERROR 1045`, `errno 111`, `(403) when calling`: a code, not a count.
                    let text = String(decoding: line[from..<to], as: UTF8.self)
                    tokens.append(Token(text: text, display: text, distinctive: true))
                } else if to > from {
                    readChunk(Array(line[from..<to]), speaksHTTP: speaksHTTP, into: &tokens, depth: 0)
                }
                previous = from..<to
            }
            index = end
            if tokens.count >= maxWordsPerLine { break }
        }
        return (tokens, errorLine)
    }

    /// `line` with the punctuation and spaces of the General Punctuation block (smart quotes,
    /// dashes, bullets, ellipsis, thin and no-break spaces: U+2000-U+206F), U+00A0 and « »
    /// written as ASCII spaces: text pasted from a chat or a tracker, cut where the index cuts.
    static func unicodeSpaced(_ line: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(line.count)
        var index = line.startIndex
        while index < line.endIndex {
            let byte = line[index]
            if byte == 0xE2, index + 2 < line.endIndex, line[index + 1] == 0x80 || line[index + 1] == 0x81 {
                out.append(0x20)
                index += 3
            } else if byte == 0xC2, index + 1 < line.endIndex, [0xA0, 0xAB, 0xBB].contains(line[index + 1]) {
                out.append(0x20)
                index += 2
            } else {
                out.append(byte)
                index += 1
            }
        }
        return out
    }

    /// A word of ASCII letters only, kept or not.
    static func letterToken(_ run: ArraySlice<UInt8>, display: Bool) -> Token? {
        let text = String(unsafeUninitializedCapacity: run.count) { buffer in
            for (offset, byte) in run.enumerated() { buffer[offset] = ASCIIByte.lowered(byte) }
            return run.count
        }
        if stopWords.contains(text) { return nil }
        return Token(
            text: text, display: display ? String(decoding: run, as: UTF8.self) : "",
            distinctive: isDistinctive(Array(run), lower: text, underscoreCaps: false))
    }

    /// A number that is a code by the word before it (`exit code 137`, `errno 111`, `signal 9`,
    /// `ERROR 1045`), or an HTTP status in parentheses after "occurred" (`An error occurred (403)`).
    static func isCode(_ digits: ArraySlice<UInt8>, after previous: ArraySlice<UInt8>) -> Bool {
        let word = String(decoding: previous.map(ASCIIByte.lowered), as: UTF8.self)
        // `exit code 1` says only that something failed; `signal 9` says which signal.
        if codeWords.contains(word) { return digits.count >= 2 || word == "signal" }
        return word == "occurred" && isHTTPStatus(digits)
    }

    static let codeWords: Set<String> = ["code", "errno", "signal", "error", "status", "sqlstate", "exit"]

    /// 400-431, 451, 500-511: the statuses HTTP defines (a port 443, a 450 ms are not).
    static func isHTTPStatus<C: Collection>(_ digits: C) -> Bool where C.Element == UInt8 {
        guard digits.count == 3, digits.allSatisfy(ASCIIByte.isDigit) else { return false }
        let value = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        return (400...431).contains(value) || value == 451 || (500...511).contains(value)
    }

    static let httpNeedle = Array("http".utf8)
    static let statusNeedle = Array("status".utf8)
    static let urlNeedle = Array("://".utf8)
    static let arnPrefix = Array("arn:".utf8)
    static let ecrNeedle = Array(".dkr.ecr.".utf8)
    static let digestNeedle = Array("@sha256:".utf8)
    static let hexPrefix = Array("0x".utf8)

    /// Words kept of one line at most (a minified blob is one line).
    static let maxWordsPerLine = 200

    static func readChunk(_ raw: [UInt8], speaksHTTP: Bool, into tokens: inout [Token], depth: Int) {
        var chunk = ArraySlice(raw)
        while let first = chunk.first, openers.contains(first) { chunk = chunk.dropFirst() }
        while let last = chunk.last, closers.contains(last) { chunk = chunk.dropLast() }
        guard !chunk.isEmpty, depth < 4 else { return }
        let bytes = Array(chunk)
        let lower = bytes.map(ASCIIByte.lowered)

        if speaksHTTP, isHTTPStatus(bytes) {
            readWords(bytes, speaksHTTP: speaksHTTP, into: &tokens)
            return
        }
        if contains(lower, urlNeedle) || lower.starts(with: arnPrefix) || contains(lower, ecrNeedle)
            || contains(lower, digestNeedle) || isIPAddress(bytes) || isTimeOrNumber(bytes) || containsUUID(lower)
            || isEmail(lower)
        {
            return
        }
        // `ORA-00942`, `TS-2307`: letters, a dash, a number: both parts are the code.
        if let dash = bytes.firstIndex(of: UInt8(ascii: "-")), (2...8).contains(dash),
            bytes[..<dash].allSatisfy(ASCIIByte.isUpper), (3...6).contains(bytes.count - dash - 1),
            bytes[(dash + 1)...].allSatisfy(ASCIIByte.isDigit)
        {
            let letters = String(decoding: lower[..<dash], as: UTF8.self)
            let number = String(decoding: bytes[(dash + 1)...], as: UTF8.self)
            tokens.append(
                Token(text: letters, display: String(decoding: bytes[..<dash], as: UTF8.self), distinctive: true))
            tokens.append(Token(text: number, display: number, distinctive: true))
            return
        }
        // `key=value`: the key is a word, the value a chunk of its own.
        if let equals = bytes.firstIndex(of: UInt8(ascii: "=")), equals > 0 {
            readChunk(Array(bytes[..<equals]), speaksHTTP: speaksHTTP, into: &tokens, depth: depth + 1)
            readChunk(Array(bytes[(equals + 1)...]), speaksHTTP: speaksHTTP, into: &tokens, depth: depth + 1)
            return
        }
        if bytes.contains(UInt8(ascii: "/")) || bytes.contains(UInt8(ascii: "\\")) {
            if isImageReference(lower) { return }
            var parts = bytes.split(whereSeparator: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\\") }).map(
                Array.init)
            if let first = parts.first, homeFolders.contains(first.map(ASCIIByte.lowered)) {
                parts.removeFirst(min(2, parts.count))
            }
            for var part in parts.suffix(2) {
                // `api:v2.3.1-rc4`, `Thread.java:833`: a tag or a line number after the name goes.
                if let colon = part.firstIndex(of: UInt8(ascii: ":")), colon > 0,
                    part[(colon + 1)...].contains(where: ASCIIByte.isDigit)
                {
                    part = Array(part[..<colon])
                }
                readChunk(part, speaksHTTP: speaksHTTP, into: &tokens, depth: depth + 1)
            }
            return
        }
        if isHostName(lower) { return }
        // `host:port`: the port goes, a one-word host stays.
        if let colon = bytes.lastIndex(of: UInt8(ascii: ":")), colon > 0, colon < bytes.count - 1,
            bytes[(colon + 1)...].allSatisfy(ASCIIByte.isDigit)
        {
            readChunk(Array(bytes[..<colon]), speaksHTTP: speaksHTTP, into: &tokens, depth: depth + 1)
            return
        }
        readWords(bytes, speaksHTTP: speaksHTTP, into: &tokens)
    }

    /// Runs of letters and digits, as the full-text index cuts words.
    static func readWords(_ bytes: [UInt8], speaksHTTP: Bool, into tokens: inout [Token]) {
        let underscoreCaps = bytes.contains(UInt8(ascii: "_")) && !bytes.contains(where: ASCIIByte.isLower)
        var index = 0
        while index < bytes.count {
            while index < bytes.count, !isWordByte(bytes[index]) { index += 1 }
            var end = index
            while end < bytes.count, isWordByte(bytes[end]) { end += 1 }
            if end > index {
                if let token = word(Array(bytes[index..<end]), speaksHTTP: speaksHTTP, underscoreCaps: underscoreCaps) {
                    tokens.append(token)
                }
                // One chunk without spaces (minified JSON, base64) counts against the line's words too.
                if tokens.count >= maxWordsPerLine { return }
            }
            index = end
        }
    }

    static func word(_ run: [UInt8], speaksHTTP: Bool, underscoreCaps: Bool) -> Token? {
        let digits = run.filter(ASCIIByte.isDigit).count
        let letters = run.count - digits
        if letters == 0 {
            // A number: masked, unless an HTTP status on a line about HTTP.
            if speaksHTTP, isHTTPStatus(run) {
                let text = String(decoding: run, as: UTF8.self)
                return Token(text: text, display: text, distinctive: true)
            }
            return nil
        }
        let lower = run.map(ASCIIByte.lowered)
        if digits > 0 {
            // A hex digest or address, a number with a unit, an identifier of a run.
            if lower.starts(with: hexPrefix) { return nil }
            if run.count >= 7, lower.allSatisfy(isHexDigit) { return nil }
            if let firstLetter = run.firstIndex(where: { !ASCIIByte.isDigit($0) }), firstLetter > 0 { return nil }
            if digits > 4 { return nil }
            // Digits in two places (`x2k4p`, `tmpk2j5x9yq`: a pod suffix, a temporary folder) or a
            // long run of capitals and digits (`AKIAIOSFODNN7EXAMPLE`): made for one run. `log4j`,
            // `python3`, `TS2307` have one group of digits and stay; so does `x509`, not `x15` (a count).
            var groups = 0
            var inDigits = false
            for byte in run {
                if ASCIIByte.isDigit(byte) && !inDigits { groups += 1 }
                inDigits = ASCIIByte.isDigit(byte)
            }
            if groups >= 2 && run.count >= 5 { return nil }
            if run.count > 10 && !run.contains(where: ASCIIByte.isLower) { return nil }
            if lower.first == UInt8(ascii: "x"), lower.dropFirst().allSatisfy(ASCIIByte.isDigit), run.count <= 3 {
                return nil
            }
        }
        guard run.count >= 2, run.count <= 64 else { return nil }
        let text = String(decoding: lower, as: UTF8.self)
        if stopWords.contains(text) { return nil }
        let display = String(decoding: run, as: UTF8.self)
        return Token(
            text: text, display: display, distinctive: isDistinctive(run, lower: text, underscoreCaps: underscoreCaps))
    }

    static func isDistinctive(_ run: [UInt8], lower: String, underscoreCaps: Bool) -> Bool {
        var hasDigit = false
        var upper = 0
        var lowerCount = 0
        for byte in run {
            if ASCIIByte.isDigit(byte) {
                hasDigit = true
            } else if ASCIIByte.isUpper(byte) {
                upper += 1
            } else if ASCIIByte.isLower(byte) {
                lowerCount += 1
            }
        }
        if hasDigit { return upper > 0 && run.count >= 3 }  // TS2307, E1234
        if lowerCount == 0 {  // ENOTFOUND, OSSL in ERR_OSSL_EVP_UNSUPPORTED
            return !logLevels.contains(lower) && (run.count >= 4 || underscoreCaps && run.count >= 3)
        }
        // Camel case: a capital after a small letter (ConnectionError, CrashLoopBackOff), or a
        // capital between a capital and a small letter (OOMKilled, IOError, SSLError).
        for index in 1..<run.count where ASCIIByte.isUpper(run[index]) {
            if ASCIIByte.isLower(run[index - 1]) && run.count >= 6 { return true }
            if ASCIIByte.isUpper(run[index - 1]), index + 1 < run.count, ASCIIByte.isLower(run[index + 1]),
                run.count >= 5
            {
                return true
            }
        }
        return run.count > 5 && (lower.hasSuffix("error") || lower.hasSuffix("exception"))
    }

    // MARK: - Masks

    /// An 8-4-4-4-12 run of hex digits anywhere in the chunk.
    static func containsUUID(_ lower: [UInt8]) -> Bool {
        let shape = [8, 4, 4, 4, 12]
        guard lower.count >= 36 else { return false }
        var start = 0
        while start + 36 <= lower.count {
            var at = start
            var fits = true
            for (part, length) in shape.enumerated() {
                if part > 0 {
                    guard lower[at] == UInt8(ascii: "-") else {
                        fits = false
                        break
                    }
                    at += 1
                }
                guard lower[at..<(at + length)].allSatisfy(isHexDigit) else {
                    fits = false
                    break
                }
                at += length
            }
            if fits { return true }
            start += 1
        }
        return false
    }

    /// `someone@host.tld`.
    static func isEmail(_ lower: [UInt8]) -> Bool {
        guard let at = lower.firstIndex(of: UInt8(ascii: "@")), at > 0 else { return false }
        return lower[(at + 1)...].contains(UInt8(ascii: "."))
    }

    static func isTimeOrNumber(_ bytes: [UInt8]) -> Bool {
        // Digits with separators, T/Z of ISO times, am/pm: 2026-01-12T09:10:11.123Z, 09:10, 1.5, 12/01/2026.
        guard bytes.contains(where: ASCIIByte.isDigit) else { return false }
        return bytes.allSatisfy { byte in
            ASCIIByte.isDigit(byte) || "-:.,/+TZtz".utf8.contains(byte)
        }
    }

    static func isIPAddress(_ bytes: [UInt8]) -> Bool {
        // IPv4 (a port or a prefix length after it), or IPv6 with at least two colons and hex only.
        var body = bytes[...]
        if let cut = body.firstIndex(where: { $0 == UInt8(ascii: "/") }) { body = body[..<cut] }
        let groups = body.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        if groups.count == 4 {
            var last = groups[3]
            if let colon = last.firstIndex(of: UInt8(ascii: ":")) { last = last[..<colon] }
            let all = groups.dropLast() + [last]
            if all.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(ASCIIByte.isDigit) }) { return true }
        }
        let colons = bytes.filter { $0 == UInt8(ascii: ":") }.count
        return colons >= 2 && bytes.count >= 6
            && bytes.allSatisfy { isHexDigit(ASCIIByte.lowered($0)) || $0 == UInt8(ascii: ":") }
            && bytes.contains(where: ASCIIByte.isDigit)
    }

    /// `registry/name:tag`: a slash before a tag, the first part a host (`ghcr.io/org/app:1.2`, `localhost:5000/app`).
    static func isImageReference(_ lower: [UInt8]) -> Bool {
        // Not a relative path (`./src/app.ts:12:5`) nor a stack frame (`java.base/java.lang.Thread.run(Thread.java:833)`).
        guard let slash = lower.firstIndex(of: UInt8(ascii: "/")), lower.first != UInt8(ascii: "."),
            !lower.contains(UInt8(ascii: "("))
        else { return false }
        let registry = lower[..<slash]
        let tail = lower[lower.index(after: slash)...]
        let registryIsHost = registry.contains(UInt8(ascii: ".")) || registry.contains(UInt8(ascii: ":"))
        guard registryIsHost, let colon = tail.lastIndex(of: UInt8(ascii: ":")) else { return false }
        // A tag, not a line number.
        return !tail[tail.index(after: colon)...].allSatisfy(ASCIIByte.isDigit)
    }

    /// A dotted name whose last label is a top-level or internal domain (`api.stripe.com`,
    /// `redis-primary.internal`, `ip-10-0-1-23.ec2.internal`), with or without a port. Dotted code
    /// names (`redis.exceptions.ConnectionError`, `requirements.txt`) are not hosts.
    static func isHostName(_ lower: [UInt8]) -> Bool {
        var body = lower[...]
        if let colon = body.lastIndex(of: UInt8(ascii: ":")), body[(colon + 1)...].allSatisfy(ASCIIByte.isDigit) {
            body = body[..<colon]
        }
        let labels = body.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }),
            body.allSatisfy({
                ASCIIByte.isLower($0) || ASCIIByte.isDigit($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
            })
        else { return false }
        let end = String(decoding: labels.last!, as: UTF8.self)
        // `build.sh`, `Dockerfile.dev`, `socket.io`, `app.test`: file names as often as hosts.
        if ambiguousEnds.contains(end) { return labels.count >= 3 }
        return domainEnds.contains(end)
    }

    static let ambiguousEnds: Set<String> = [
        "sh", "dev", "app", "test", "io", "me", "ly", "ai", "co", "info", "site", "tech", "online", "xyz",
    ]

    static let domainEnds: Set<String> = [
        "com", "net", "org", "io", "dev", "app", "co", "uk", "de", "fr", "eu", "us", "ai", "cloud", "internal",
        "local", "localdomain", "lan", "svc", "cluster", "intra", "corp", "aws", "amazonaws", "gov", "edu", "info",
        "biz", "me", "sh", "ly", "xyz", "tech", "site", "online", "test", "example", "invalid", "localhost",
    ]

    static let homeFolders: Set<[UInt8]> = [Array("home".utf8), Array("users".utf8), Array("root".utf8)]
    static let openers: Set<UInt8> = Set("\"'`([{<".utf8)
    static let closers: Set<UInt8> = Set("\"'`)]}>,;:.!?".utf8)

    /// Words logs shout that say how it went, not which failure it is: not distinctive.
    static let logLevels: Set<String> = [
        "info", "debug", "warn", "warning", "error", "trace", "notice", "fatal", "critical", "severe", "fail",
        "failed", "failure", "build", "success", "passed", "pass", "done", "abort", "aborted", "skipped", "running",
        "pending", "alert", "emergency", "panic", "stderr", "stdout", "true", "false", "null", "none",
    ]

    /// Lines that say something failed: their words weigh more.
    static let errorMarkers: [[UInt8]] = [
        "error", "exception", "fail", "fatal", "denied", "refused", "panic", "traceback", "timed out", "timeout",
        "cannot", "can't", "unable", "invalid", "not found", "killed", "expired", "rejected", "unsupported",
        "not supported", "forbidden", "unauthorized", "crash", "back-off", "oom",
    ].map { Array($0.utf8) }

    /// Words that say nothing about which failure it is.
    static let stopWords: Set<String> = [
        "the", "an", "to", "of", "in", "on", "at", "by", "for", "and", "or", "is", "are", "was", "were", "be", "been",
        "it", "its", "this", "that", "with", "from", "as", "if", "into", "than", "then", "there", "has", "have", "had",
        "you", "your", "we", "our", "please", "will", "would", "can", "could", "should", "may", "which", "when",
        "info", "debug", "trace", "warn", "warning", "notice", "error", "errors", "line", "file", "files", "true",
        "false", "null", "none", "nil", "ok", "done", "step", "run", "running", "ms", "sec", "seconds", "utc", "gmt",
        "am", "pm", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "mon", "tue",
        "wed", "thu", "fri", "sat", "sun",
    ]

    // MARK: - Bytes

    /// A digit or `a`-`f` (lower case only).
    @inline(__always) static func isHexDigit(_ byte: UInt8) -> Bool {
        ASCIIByte.isDigit(byte) || (byte >= 0x61 && byte <= 0x66)
    }
    /// Letters and digits of any script (a byte of a multi-byte scalar counts as a letter).
    @inline(__always) static func isWordByte(_ byte: UInt8) -> Bool {
        ASCIIByte.isDigit(byte) || ASCIIByte.isLetter(byte) || byte >= 0x80
    }

    /// On buffers: each line is tried against every error marker, and slices of arrays cost a
    /// check of exclusive access per byte.
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        haystack.withUnsafeBufferPointer { hay in needle.withUnsafeBufferPointer { ByteSearch.occurs($0, in: hay) } }
    }
}

extension LogSignature {
    /// A light, symmetric normal form for comparing a log's words with an entry's:
    /// plural and `-ing`/`-ed` endings dropped (`connections`, `connecting` → `connect`).
    public static func normalForm(_ word: String) -> String {
        let bytes = word.utf8
        let count = bytes.count
        guard count > 4 else { return word }
        func ends(_ suffix: StaticString) -> Bool {
            let length = suffix.utf8CodeUnitCount
            guard count >= length else { return false }
            return suffix.withUTF8Buffer { tail in bytes.suffix(length).elementsEqual(tail) }
        }
        func cut(_ length: Int) -> String { String(decoding: bytes.prefix(count - length), as: UTF8.self) }
        if ends("ies") { return cut(3) + "y" }
        if ends("ing"), count > 6 { return cut(3) }
        if ends("ed"), count > 5, !ends("eed") { return cut(2) }
        if ends("sses") { return cut(2) }
        if ends("s"), !ends("ss"), !ends("us"), !ends("is") { return cut(1) }
        return word
    }
}
