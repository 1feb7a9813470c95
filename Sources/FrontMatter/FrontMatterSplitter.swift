import Foundation

/// How a file's metadata is laid out (FORMAT.md section 2, docs/record-format.md).
public enum FrontMatterShape: String, Sendable, Codable {
    /// `---` YAML `---` (or `...`), then markdown.
    case closed
    /// YAML from the first line, ended by a `---` line (or a blank line before markdown), then markdown.
    case bareHeader = "bare-header"
    /// An opening `---` never closed: the YAML runs up to the first markdown heading.
    case unclosed
    /// The whole file is one YAML record (a `.yaml` file, an unclosed `---` that parses, or
    /// `---` YAML `---` with nothing after).
    case yamlRecord = "yaml-record"
    /// A markdown heading first (`# RIS-903: Title`), then `key: value` lines, then markdown.
    case headingThenKeys = "heading-then-keys"
    /// No metadata at all.
    case none
}

/// A file split into its YAML metadata and its markdown body.
public struct FrontMatterDocument: Sendable {
    public let source: SourceText
    public let shape: FrontMatterShape
    /// The YAML text, as in the file.
    public let yaml: String?
    /// The file line of the YAML's first line.
    public let yamlFirstLine: Int
    /// The YAML read with positions, when it could be read. For YAML with a syntax error,
    /// the top-level entries read around it (see `salvage`).
    public let root: YAMLNode?
    /// Set when the YAML has a syntax error and `root` holds only the keys recovered around it.
    public let salvage: YAMLSalvage?
    /// The markdown body (empty for a YAML record). For `headingThenKeys`, the whole text
    /// with the key lines blanked, so that lines keep their numbers.
    public let body: Substring
    /// The file line of the body's first line.
    public let bodyFirstLine: Int
    /// Problems with the layout and the YAML, in file positions.
    public let diagnostics: [Diagnostic]

    /// Splits and parses `source`. `pathExtension` decides whether a file may be a whole YAML
    /// record; `aliases` name the keys that make a paragraph under a heading metadata.
    public init(
        source: SourceText, pathExtension: String, limits: YAMLLimits = .default, aliases: FieldAliases = .builtIn
    ) {
        self.source = source
        let text = source.text
        let split =
            source.isBinary || text.isEmpty
            ? Split(shape: .none, yamlLines: nil, bodyFirstLine: 1)
            : LayoutReader(
                text: text, isYAMLFile: ["yaml", "yml"].contains(pathExtension.lowercased()), limits: limits,
                aliases: aliases
            ).split()

        var diagnostics = split.diagnostics
        var yaml: String?
        var parsed: YAMLParseResult?
        if let range = split.yamlLines {
            yaml = (split.lines ?? TextLines(text)).text(of: range)
            parsed = split.parsed ?? SafeYAML.parse(yaml!, firstLine: range.lowerBound, limits: limits)
            if parsed!.hasErrors && parsed!.root == nil {
                parsed = SafeYAML.parseSalvaging(yaml!, firstLine: range.lowerBound, limits: limits)
            }
        }
        if let parsed {
            diagnostics.append(contentsOf: parsed.diagnostics)
            if let root = parsed.root, root.pairs == nil, !root.isNull {
                diagnostics.append(
                    .error(.frontMatterNotMapping, "front matter is not a mapping of keys to values", at: root.position)
                )
            }
        }
        self.shape = split.shape
        self.yaml = yaml
        self.yamlFirstLine = split.yamlLines?.lowerBound ?? 1
        self.root = parsed?.root.flatMap { $0.pairs == nil ? nil : $0 }
        self.salvage = parsed?.salvage
        self.bodyFirstLine = split.bodyFirstLine
        if let body = split.body {
            self.body = body
        } else if split.bodyFirstLine == 1 {
            self.body = text[...]
        } else {
            let lines = split.lines ?? TextLines(text)
            self.body =
                split.bodyFirstLine <= lines.count
                ? text[lines.start(ofLine: split.bodyFirstLine)...] : text[text.endIndex...]
        }
        self.diagnostics = source.diagnostics + FrontMatterDocument.withinFile(diagnostics, text: text)
    }

    /// libyaml marks "unexpected end of stream" on the line after the last line break: a
    /// line the file does not have. The end of the last line is where the file ends.
    static func withinFile(_ diagnostics: [Diagnostic], text: String) -> [Diagnostic] {
        // Most files have nothing to place: counting their lines cost 180,000 instructions each.
        guard !diagnostics.isEmpty, text.hasSuffix("\n") else { return diagnostics }
        let lineCount = text.utf8.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
        guard diagnostics.contains(where: { $0.line > lineCount }) else { return diagnostics }
        let lastLine = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).last ?? ""
        let end = SourcePosition(line: lineCount, column: lastLine.trimmingTrailingWhitespace.unicodeScalars.count + 1)
        return diagnostics.map { $0.line > lineCount ? Diagnostic($0.severity, $0.code, at: end, $0.message) : $0 }
    }
}

/// Where a file's YAML and body are.
struct Split {
    var shape: FrontMatterShape
    /// File lines of the YAML (an empty range for an empty block).
    var yamlLines: Range<Int>?
    var bodyFirstLine: Int
    /// The body when it is not simply the text from `bodyFirstLine` on.
    var body: Substring?
    /// The YAML's parse, when the layout was decided by it.
    var parsed: YAMLParseResult?
    var diagnostics: [Diagnostic] = []
    var lines: TextLines?
}

/// Decides a file's layout. Each rule stands for a layout real knowledge bases use; the
/// order settles files that could be read two ways (docs/record-format.md).
struct LayoutReader {
    let text: String
    let isYAMLFile: Bool
    let limits: YAMLLimits
    /// Keys that mark a paragraph after a heading as metadata.
    let aliases: FieldAliases
    let lines: TextLines

    init(text: String, isYAMLFile: Bool, limits: YAMLLimits, aliases: FieldAliases) {
        self.text = text
        self.isYAMLFile = isYAMLFile
        self.limits = limits
        self.aliases = aliases
        self.lines = TextLines(text)
    }

    var count: Int { lines.count }

    func yamlText(_ range: Range<Int>) -> String { lines.text(of: range) }

    func parse(_ range: Range<Int>) -> YAMLParseResult {
        SafeYAML.parse(yamlText(range), firstLine: range.lowerBound, limits: limits)
    }

    func split(
        _ shape: FrontMatterShape, yaml: Range<Int>, body: Int, parsed: YAMLParseResult? = nil,
        _ diagnostics: [Diagnostic] = []
    ) -> Split {
        Split(
            shape: shape, yamlLines: yaml, bodyFirstLine: body, parsed: parsed, diagnostics: diagnostics, lines: lines)
    }

    static func isFence(_ line: Substring) -> Bool { isMarker(line, UInt8(ascii: "-")) }
    static func isEnd(_ line: Substring) -> Bool {
        isMarker(line, UInt8(ascii: "-")) || isMarker(line, UInt8(ascii: "."))
    }

    /// Whether the line is three `byte`s and then only spaces, tabs and CRs: the line less its
    /// trailing whitespace is `---` (or `...`). On the bytes, as every line of a front matter is
    /// asked: trimming Characters from the end cost a few hundred instructions a line.
    static func isMarker(_ line: Substring, _ byte: UInt8) -> Bool {
        var index = 0
        for current in line.utf8 {
            if index < 3 {
                guard current == byte else { return false }
            } else if current != 0x20 && current != 0x09 && current != 0x0D {
                return false
            }
            index += 1
        }
        return index >= 3
    }

    func split() -> Split {
        let startsWithFence = LayoutReader.isFence(lines[1])
        let closing = startsWithFence && count >= 2 ? (2...count).first { LayoutReader.isEnd(lines[$0]) } : nil
        if isYAMLFile {
            // In a YAML file, comments may come before the opening `---`.
            let opening = (1...count).first { !isBlankOrComment($0) }
            if let opening, LayoutReader.isFence(lines[opening]), opening < count,
                let closing = ((opening + 1)...count).first(where: { LayoutReader.isEnd(lines[$0]) }),
                isBlankOrComments(after: closing)
            {
                // `---` YAML `---` and nothing after: the record, closed; an empty trailing document is no error.
                return split(.yamlRecord, yaml: (opening + 1)..<closing, body: count + 1)
            }
            let whole = SafeYAML.parse(text, firstLine: 1, limits: limits)
            if !whole.hasErrors {
                return split(.yamlRecord, yaml: 1..<(count + 1), body: count + 1, parsed: whole)
            }
            if let closing, closing < count, let documents = twoDocuments(closing: closing) { return documents }
            if closing == nil {
                if let header = bareHeader() { return header }
                if let block = headingThenKeys(strict: false) { return block }
                if let heading = markdownHeading() {
                    // YAML, then a heading and markdown: the YAML up to the heading is the metadata.
                    let first = startsWithFence ? 2 : 1
                    let message =
                        startsWithFence
                        ? "front matter opened at line 1 is never closed; read up to the heading at line \(heading)"
                        : "the file does not parse as YAML (\(whole.diagnostics[0].message)); read as YAML up to "
                            + "the heading at line \(heading), then markdown"
                    let position = startsWithFence ? SourcePosition(line: 1, column: 1) : whole.diagnostics[0].position
                    return split(
                        .unclosed, yaml: first..<heading, body: heading,
                        [.warning(.frontMatterUnclosed, message, at: position)])
                }
                // Broken YAML: one record, with what can be read around the error.
                return split(
                    .yamlRecord, yaml: 1..<(count + 1), body: count + 1,
                    parsed: SafeYAML.parseSalvaging(text, firstLine: 1, limits: limits))
            }
        }
        if startsWithFence {
            if let closing {
                let candidate = parse(2..<closing)
                if candidate.hasErrors, let heading = firstHeading(before: closing),
                    let firstError = candidate.diagnostics.first(where: { $0.severity == .error })
                {
                    // A heading inside a block that does not parse: the author forgot the closing `---`.
                    let prefix = parse(2..<heading)
                    if !prefix.hasErrors || firstError.line >= heading {
                        return split(
                            .unclosed, yaml: 2..<heading, body: heading, parsed: prefix,
                            [
                                .warning(
                                    .frontMatterUnclosed,
                                    "front matter opened at line 1 is not closed before the heading at line "
                                        + "\(heading); read up to the heading",
                                    at: SourcePosition(line: 1, column: 1))
                            ])
                    }
                }
                return split(.closed, yaml: 2..<closing, body: closing + 1, parsed: candidate)
            }
            if let heading = firstHeading() {
                return split(
                    .unclosed, yaml: 2..<heading, body: heading,
                    [
                        .warning(
                            .frontMatterUnclosed,
                            "front matter opened at line 1 is never closed; read up to the heading at line \(heading)",
                            at: SourcePosition(line: 1, column: 1))
                    ])
            }
            return split(
                .yamlRecord, yaml: 2..<(count + 1), body: count + 1,
                isYAMLFile
                    ? []
                    : [
                        .warning(
                            .frontMatterUnclosed,
                            "front matter opened at line 1 is never closed; the whole file is read as YAML",
                            at: SourcePosition(line: 1, column: 1))
                    ])
        }
        if let header = bareHeader() { return header }
        if let block = headingThenKeys(strict: true) { return block }
        return Split(shape: .none, yamlLines: nil, bodyFirstLine: 1, lines: lines)
    }

    /// `---` YAML `---` YAML in a YAML file: two documents, both YAML mappings. Read as one
    /// record (the first document's keys win), with a warning; a second part that is not
    /// YAML is a markdown body instead.
    func twoDocuments(closing: Int) -> Split? {
        let first = parse(2..<closing)
        let second = parse((closing + 1)..<(count + 1))
        guard !first.hasErrors, !second.hasErrors, let head = first.root?.pairs, let tail = second.root?.pairs,
            !tail.isEmpty
        else { return nil }
        var seen = Set(head.compactMap(\.normalizedKey))
        let merged = head + tail.filter { seen.insert($0.normalizedKey ?? "").inserted }
        let root = YAMLNode(.mapping(merged), at: first.root!.position, style: .block)
        return split(
            .yamlRecord, yaml: 2..<closing, body: count + 1, parsed: YAMLParseResult(root: root, diagnostics: []),
            [
                .warning(
                    .twoYAMLDocuments,
                    "the file holds two YAML documents (the second from line \(closing + 1)); read as one record",
                    at: SourcePosition(line: closing, column: 1))
            ])
    }

    /// YAML from line 1, a `---` line, then markdown. `# ...` lines inside the header are
    /// YAML comments when the header parses; a heading in a header that does not is
    /// markdown, and the file has no header.
    func bareHeader() -> Split? {
        guard lines[1].isYAMLKeyLine, count >= 2, let closing = (2...count).first(where: { isFence($0) }) else {
            return nil
        }
        if !(1..<closing).contains(where: { lines[$0].isATXHeading }) {
            return split(.bareHeader, yaml: 1..<closing, body: closing + 1)
        }
        let parsed = parse(1..<closing)
        guard !parsed.hasErrors && parsed.root?.pairs != nil else { return nil }
        return split(.bareHeader, yaml: 1..<closing, body: closing + 1, parsed: parsed)
    }

    func isFence(_ line: Int) -> Bool { LayoutReader.isFence(lines[line]) }

    func isBlankOrComment(_ line: Int) -> Bool {
        let trimmed = lines[line].trimmed()
        return trimmed.isEmpty || trimmed.hasPrefix("#")
    }

    func isBlankOrComments(after line: Int) -> Bool {
        guard line < count else { return true }
        return ((line + 1)...count).allSatisfy(isBlankOrComment)
    }

    /// The first ATX heading, when before `limit`.
    func firstHeading(before limit: Int? = nil) -> Int? {
        let last = min(count, (limit ?? Int.max) - 1)
        guard last >= 1 else { return nil }
        return (1...last).first { lines[$0].isATXHeading }
    }

    /// The first line in column 1 that YAML cannot hold: prose, a table row, a bold field
    /// (not a key, a list item, a comment or heading, or a document marker).
    var firstProseLine: Int? {
        (1...count).first { number in
            let line = lines[number]
            guard let first = line.first, first != " ", first != "\t", first != "\r" else { return false }
            return
                !(line.startsTopLevelYAMLEntry || line.hasPrefix("- ") || line == "-" || first == "#"
                || LayoutReader.isEnd(line))
        }
    }

    /// In a YAML file that does not parse: the first heading followed by markdown (a line of
    /// prose, a table, a bold field), not by more YAML. `# Problem Summary` above `problem: x`
    /// is a YAML comment; above `Text here.` it is a heading.
    func markdownHeading() -> Int? {
        guard let prose = firstProseLine, prose > 1 else { return nil }
        return (1..<prose).first { lines[$0].isATXHeading }
    }

    /// `# RIS-903: Title`, then `key: value` lines, then markdown: the key lines are the
    /// metadata and the heading stays in the body.
    ///
    /// Strict (markdown files): at least two lines of `identifier: value` forming a paragraph
    /// of their own (ended by a blank line, a heading or `---`) that parses, one of them a key
    /// of the alias table (`id`, `status`, `created` ...), so prose such as `Note: ...` under a
    /// title is never taken for metadata, nor an indented code block after the keys.
    /// Lenient (YAML files that do not parse): the keys may go on after blank lines and
    /// comments, and markdown must follow them, or the file is YAML with an error.
    func headingThenKeys(strict: Bool) -> Split? {
        guard let headingLine = (1...count).first(where: { !lines[$0].trimmed().isEmpty }),
            lines[headingLine].isATXHeading
        else { return nil }
        guard headingLine < count,
            let first = ((headingLine + 1)...count).first(where: { !lines[$0].trimmed().isEmpty })
        else { return nil }
        let prose = strict ? nil : firstProseLine
        var last = 0
        var keyLines = 0
        var knownKey = false
        var closingFence: Int?
        var markdownFollows = false
        var number = first
        scan: while number <= count {
            let line = lines[number]
            if line.trimmed().isEmpty {
                // A blank line ends a markdown file's block; in a YAML file, the block goes on
                // when YAML does after the blank lines (looked for once: the run is skipped).
                guard !strict else { break }
                // Nothing after the blank lines: the end of the file, not markdown.
                guard
                    let next = ((number + 1)...max(number + 1, count)).first(where: {
                        $0 <= count && !lines[$0].trimmed().isEmpty
                    })
                else { break }
                let nextLine = lines[next]
                let continues =
                    nextLine.first == " " || nextLine.first == "\t" || nextLine.startsTopLevelYAMLEntry
                    || nextLine.hasPrefix("- ")
                    || (nextLine.first == "#" && !(nextLine.isATXHeading && (prose.map { $0 > next } ?? false)))
                if !continues {
                    markdownFollows = true
                    break
                }
                number = next
                continue
            } else if LayoutReader.isFence(line) {
                closingFence = number
                markdownFollows = number < count
                break
            } else if line.first == "#" && (strict || (line.isATXHeading && (prose.map { $0 > number } ?? false))) {
                // A heading, with markdown after it; in a YAML file, a `#` line before more
                // YAML is a comment.
                markdownFollows = true
                break
            } else if line.first == " " || line.first == "\t" || line.hasPrefix("- ") {
                guard last > 0 else { return nil }
                last = number
            } else if strict ? line.isIdentifierKeyLine : line.startsTopLevelYAMLEntry {
                keyLines += 1
                last = number
                if strict, !knownKey, let colon = line.firstIndex(of: ":") {
                    let key = String(line[..<colon])
                    knownKey =
                        aliases.field(forKey: key) != nil || ComplianceFrameworks.canonicalName(key) != nil
                        || ComplianceFrameworks.frameworkOfControlsKey(key) != nil
                        || ["compliance", "tags"].contains(YAMLNode.normalizedKey(key))
                }
            } else if !strict && line.first == "#" {
                // A YAML comment among the keys.
            } else {
                if strict && number == last + 1 { return nil }
                markdownFollows = true
                break scan
            }
            number += 1
        }
        guard keyLines >= (strict ? 2 : 1), last > 0, knownKey || !strict, strict || markdownFollows else { return nil }
        let yamlRange = first..<(last + 1)
        let parsed = parse(yamlRange)
        if strict && (parsed.hasErrors || parsed.root?.pairs == nil) { return nil }
        // The body is the whole text with the key lines (and a closing `---`) blanked.
        let blankedEnd = closingFence ?? last
        let from = lines.start(ofLine: first)
        let to = blankedEnd < count ? lines.start(ofLine: blankedEnd + 1) : text.endIndex
        let body = String(text[..<from]) + String(repeating: "\n", count: blankedEnd - first + 1) + String(text[to...])
        var result = split(.headingThenKeys, yaml: yamlRange, body: 1, parsed: parsed.hasErrors ? nil : parsed)
        result.body = Substring(body)
        return result
    }
}

extension Substring {
    var trimmingTrailingWhitespace: Substring {
        var end = endIndex
        while end > startIndex, let last = self[..<end].last, last == " " || last == "\t" || last == "\r" {
            end = index(before: end)
        }
        return self[startIndex..<end]
    }

    /// `# Title` to `###### Title`, at the start of the line (as a YAML comment never has a space after
    /// `#`... usually).
    var isATXHeading: Bool {
        var hashes = 0
        var index = startIndex
        while index < endIndex, self[index] == "#" {
            hashes += 1
            index = self.index(after: index)
        }
        guard (1...6).contains(hashes), index < endIndex, self[index] == " " else { return false }
        return !self[index...].trimmed().isEmpty
    }

    /// `key: value` at column 1 with an identifier key (`id`, `incident_date`, `Created`,
    /// `createdAt`): no spaces, ASCII letters, digits, `_` and `-`.
    var isIdentifierKeyLine: Bool {
        guard let first = first, first.isASCII, first.isLetter else { return false }
        guard let colon = firstIndex(of: ":") else { return false }
        guard
            self[startIndex..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
            )
        else { return false }
        let after = index(after: colon)
        return after == endIndex || self[after] == " " || self[after] == "\r"
    }

    /// A line that starts a top-level entry of a YAML mapping: `key:`, `Root Cause: x`,
    /// `"10:00": x`, at column 1.
    var startsTopLevelYAMLEntry: Bool {
        guard let first = first, !" \t\r#-[]{}|>%@`*&!,?".contains(first) else { return false }
        if isYAMLKeyLine { return true }
        var index = startIndex
        if first == "\"" || first == "'" {
            guard let close = self[self.index(after: startIndex)...].firstIndex(of: first) else { return false }
            index = self.index(after: close)
            guard index < endIndex, self[index] == ":" else { return false }
        } else {
            guard let colon = firstIndex(of: ":") else { return false }
            index = colon
        }
        let after = self.index(after: index)
        return after == endIndex || self[after] == " " || self[after] == "\r"
    }

    /// `key:` or `key: value` at column 1.
    var isYAMLKeyLine: Bool {
        guard let first = first, first.isLetter || first == "_" else { return false }
        guard let colon = firstIndex(of: ":") else { return false }
        let key = self[startIndex..<colon]
        guard key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }) else {
            return false
        }
        let after = self.index(after: colon)
        return after == endIndex || self[after] == " " || self[after] == "\r"
    }
}
