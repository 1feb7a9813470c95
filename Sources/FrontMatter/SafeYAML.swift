import Foundation
import Yams

/// Limits that keep hostile YAML from hurting: it is refused with a diagnostic instead.
public struct YAMLLimits: Sendable {
    /// Largest YAML text read, in bytes.
    public var maxBytes: Int
    /// Deepest nesting of collections.
    public var maxDepth: Int
    /// Most aliases (`*name`) in a document that defines anchors.
    public var maxAliases: Int
    /// Most nodes after alias expansion.
    public var maxNodes: Int

    public init(maxBytes: Int = 256 * 1024, maxDepth: Int = 64, maxAliases: Int = 64, maxNodes: Int = 100_000) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxAliases = maxAliases
        self.maxNodes = maxNodes
    }

    public static let `default` = YAMLLimits()
}

/// The result of reading a YAML text: the root (nil when it could not be read) and what
/// went wrong, positioned in the file.
public struct YAMLParseResult: Sendable {
    public var root: YAMLNode?
    public var diagnostics: [Diagnostic]
    /// Set when the YAML has a syntax error and `root` holds the top-level entries read
    /// around it (`SafeYAML.parseSalvaging`).
    public var salvage: YAMLSalvage?

    public init(root: YAMLNode?, diagnostics: [Diagnostic], salvage: YAMLSalvage? = nil) {
        self.root = root
        self.diagnostics = diagnostics
        self.salvage = salvage
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// What was recovered from YAML with a syntax error: the keys read, and the file lines left out.
public struct YAMLSalvage: Sendable, Hashable {
    /// The top-level keys read, in file order.
    public var keys: [String]
    /// File lines not read (the broken entries), in order.
    public var skippedLines: [ClosedRange<Int>]
}

/// Reads YAML through Yams (libyaml) under `YAMLLimits`.
public enum SafeYAML {
    /// Parses `yaml`, whose first line is line `firstLine` of the file.
    public static func parse(_ yaml: String, firstLine: Int = 1, limits: YAMLLimits = .default) -> YAMLParseResult {
        switch read(yaml, firstLine: firstLine, limits: limits) {
        case .success(let root): return YAMLParseResult(root: root, diagnostics: [])
        case .failure(let failure): return YAMLParseResult(root: nil, diagnostics: [failure.diagnostic])
        }
    }

    /// Why a YAML text could not be read.
    struct Failure: Error {
        var diagnostic: Diagnostic
        /// The file line where the broken construct starts (libyaml often notices a problem
        /// lines after it: an unclosed quote at the end of the text).
        var startLine: Int
        /// The file line of the quote, bracket or key that was left open, when libyaml names one.
        var opensAt: Int?
        /// A syntax error (not a refusal of hostile input): the text around it may be read.
        var isSyntax: Bool
    }

    /// Not read, for a reason that is not a syntax error, at `line`:`column` of the YAML text.
    static func refused(_ code: DiagnosticCode, _ message: String, line: Int, column: Int, lineOffset: Int)
        -> Result<YAMLNode?, Failure>
    {
        let diagnostic = Diagnostic.error(code, message, at: SourcePosition(line: line + lineOffset, column: column))
        return .failure(Failure(diagnostic: diagnostic, startLine: diagnostic.line, isSyntax: false))
    }

    static func read(_ yaml: String, firstLine: Int, limits: YAMLLimits) -> Result<YAMLNode?, Failure> {
        let lineOffset = firstLine - 1
        let byteCount = yaml.utf8.count
        if byteCount > limits.maxBytes {
            return refused(
                .yamlRefused, "front matter is \(byteCount) bytes, over the limit of \(limits.maxBytes); not read",
                line: 1, column: 1, lineOffset: lineOffset)
        }
        if let refusal = prescan(yaml, limits: limits) {
            return refused(
                .yamlRefused, refusal.message, line: refusal.line, column: refusal.column, lineOffset: lineOffset)
        }
        // The common case straight from libyaml's events; Yams reads the rest (and says what is wrong).
        if case .document(let root) = YAMLEventReader.read(yaml, lineOffset: lineOffset, limits: limits) {
            return .success(root)
        }
        return readThroughYams(yaml, lineOffset: lineOffset, limits: limits)
    }

    /// `read` through Yams' `compose` and `convert`, after the size and pre-scan checks: every
    /// syntax error, refusal and unusual document, and the reference `YAMLEventReader` is
    /// tested against.
    static func readThroughYams(_ yaml: String, lineOffset: Int, limits: YAMLLimits) -> Result<YAMLNode?, Failure> {
        let composed: Node?
        do {
            // No implicit-type rules (they are regular expressions, the slowest part of a parse):
            // `plainScalarKind` types scalars instead. The encoding is given so that Yams does
            // not read the environment on every call.
            composed = try Yams.compose(yaml: yaml, .basic, .default, .utf8)
        } catch let error as YamlError {
            let diagnostic = diagnostic(for: error, in: yaml, lineOffset: lineOffset)
            let opensAt = startLine(of: error, lineOffset: lineOffset)
            return .failure(
                Failure(diagnostic: diagnostic, startLine: opensAt ?? diagnostic.line, opensAt: opensAt, isSyntax: true)
            )
        } catch {
            return refused(.yamlSyntax, "YAML: \(error)", line: 1, column: 1, lineOffset: lineOffset)
        }
        guard let composed else { return .success(nil) }
        var budget = limits.maxNodes
        do {
            return .success(try convert(composed, lineOffset: lineOffset, depth: 0, budget: &budget, limits: limits))
        } catch let refusal as Refusal {
            return refused(
                .yamlRefused, refusal.message, line: refusal.line, column: refusal.column, lineOffset: lineOffset)
        } catch {
            return refused(.yamlSyntax, "YAML: \(error)", line: 1, column: 1, lineOffset: lineOffset)
        }
    }

    /// The line of the context mark libyaml gives with an error ("while scanning a quoted
    /// scalar (line 3, column 8): found unexpected end of stream"), when it names the broken
    /// construct rather than the mapping around it.
    static func startLine(of error: YamlError, lineOffset: Int) -> Int? {
        let problem: Mark
        let context: YamlError.Context?
        switch error {
        case .scanner(let ctx, _, let mark, _): (context, problem) = (ctx, mark)
        case .parser(let ctx, _, let mark, _): (context, problem) = (ctx, mark)
        case .composer(let ctx, _, let mark, _): (context, problem) = (ctx, mark)
        default: return nil
        }
        // "while parsing a block mapping" names the enclosing mapping (the whole record), not
        // the broken line: only the marks of the construct itself move the start back.
        guard let context, !context.text.contains("block mapping"), !context.text.contains("block collection"),
            !context.text.contains("block node"), !context.text.hasSuffix("while parsing"),
            context.mark.line <= problem.line
        else { return nil }
        return context.mark.line + lineOffset
    }

    /// Parses `yaml` as `parse` does; when it has a syntax error, also reads the top-level
    /// entries that do parse, before and after the entry that holds the error, so that one
    /// bad line does not lose a whole record. The error stays; a note says which keys were
    /// read and which lines were not. Refusals of hostile input are not salvaged.
    /// The most parses one salvage makes (two per error): bounded work for any input.
    static let maxSalvageAttempts = 64

    public static func parseSalvaging(_ yaml: String, firstLine: Int = 1, limits: YAMLLimits = .default)
        -> YAMLParseResult
    {
        let whole: Failure
        switch read(yaml, firstLine: firstLine, limits: limits) {
        case .success(let root): return YAMLParseResult(root: root, diagnostics: [])
        case .failure(let failure): whole = failure
        }
        let unsalvaged = YAMLParseResult(root: nil, diagnostics: [whole.diagnostic])
        guard whole.isSyntax else { return unsalvaged }
        let lines = TextLines(yaml)
        let count = lines.count
        // Top-level entries start at a `key:` line in column 1 (block scalars and nested
        // entries are indented, so they never do).
        let entryStarts = (1...count).filter { lines[$0].startsTopLevelYAMLEntry }
        guard !entryStarts.isEmpty else { return unsalvaged }
        func text(_ range: ClosedRange<Int>) -> String {
            lines.text(of: range.lowerBound..<(range.upperBound + 1))
        }
        func relative(_ fileLine: Int) -> Int { fileLine - firstLine + 1 }

        var pairs: [YAMLPair] = []
        var seenKeys = Set<String>()
        var skipped: [ClosedRange<Int>] = []
        var start = 1
        var end = count
        var brokenUntil = 0
        // Each attempt either reads a segment or narrows it: two attempts per error cover a
        // file with many errors; a file broken everywhere is given up on, and the note says
        // where reading stopped.
        var attempts = 0
        var gaveUp = false
        while start <= count {
            attempts += 1
            if attempts > maxSalvageAttempts {
                skipped.append(start...count)
                gaveUp = true
                break
            }
            guard start <= end else { break }
            switch read(text(start...end), firstLine: firstLine + start - 1, limits: limits) {
            case .success(let root):
                guard root == nil || root?.pairs != nil else { return unsalvaged }
                for pair in root?.pairs ?? [] where seenKeys.insert(pair.key.scalarText ?? "").inserted {
                    pairs.append(pair)
                }
                guard end < count else {
                    start = count + 1
                    break
                }
                // Go on after the broken entry, from the next top-level key.
                let next = entryStarts.first { $0 > max(brokenUntil, end) }
                skipped.append((end + 1)...((next ?? count + 1) - 1))
                start = next ?? count + 1
                end = count
            case .failure(let failure):
                guard failure.isSyntax else { return unsalvaged }
                let errorLine = min(max(relative(failure.startLine), start), end)
                // A quote or bracket left open swallows the lines after it, where libyaml notices
                // the problem: the entry that opened it is the broken one, not the keys after it.
                let brokenLine = failure.opensAt.map(relative) ?? relative(failure.diagnostic.line)
                brokenUntil = max(brokenUntil, min(max(brokenLine, start), end))
                if let entry = entryStarts.last(where: { $0 <= errorLine }), entry > start {
                    end = entry - 1
                } else {
                    // The segment's first entry is broken: skip it.
                    let next = entryStarts.first { $0 > brokenUntil }
                    skipped.append(start...((next ?? count + 1) - 1))
                    start = next ?? count + 1
                    end = count
                }
            }
        }
        guard !pairs.isEmpty else { return unsalvaged }
        // Blank lines and comments at the end of a skipped part were not lost.
        let fileSkipped = skipped.compactMap { range -> ClosedRange<Int>? in
            var last = range.upperBound
            while last >= range.lowerBound, lines[last].trimmed().isEmpty || lines[last].trimmed().hasPrefix("#") {
                last -= 1
            }
            return last < range.lowerBound ? nil : (range.lowerBound + firstLine - 1)...(last + firstLine - 1)
        }
        let keys = pairs.compactMap { $0.key.scalarText }
        let shownKeys = keys.prefix(8).joined(separator: ", ") + (keys.count > 8 ? ", ..." : "")
        let lineCount = fileSkipped.reduce(0) { $0 + $1.count }
        var shownLines = fileSkipped.prefix(6).map {
            $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)"
        }.joined(separator: ", ")
        if fileSkipped.count > 6 { shownLines += ", ... (\(lineCount) lines in \(fileSkipped.count) places)" }
        let note = Diagnostic.note(
            .yamlSalvaged,
            "read \(keys.count) top-level \(keys.count == 1 ? "key" : "keys") around the YAML error (\(shownKeys))"
                + (lineCount == 0 ? "" : "; \(lineCount == 1 ? "line" : "lines") \(shownLines) not read")
                + (gaveUp
                    ? " (too many errors: reading stopped at line \(fileSkipped.last?.lowerBound ?? firstLine))" : ""),
            at: whole.diagnostic.position)
        let root = YAMLNode(.mapping(pairs), at: pairs[0].key.position, style: .block)
        return YAMLParseResult(
            root: root, diagnostics: [whole.diagnostic, note],
            salvage: YAMLSalvage(keys: keys, skippedLines: fileSkipped))
    }

    struct Refusal: Error {
        var message: String
        var line: Int
        var column: Int
    }

    /// Refuses, before libyaml and Yams see it, YAML that nests too deep (Yams composes
    /// recursively) or uses aliases in numbers that only an alias bomb needs.
    static func prescan(_ yaml: String, limits: YAMLLimits) -> Refusal? {
        var yaml = yaml
        return yaml.withUTF8 { prescan(bytes: $0, limits: limits) }
    }

    /// `prescan` over the UTF-8 of the text. Every byte it looks for is ASCII, and no byte of a
    /// longer scalar is (each is 0x80 or more): a scalar's bytes are read as one scalar was,
    /// and a column is counted in scalars when a refusal says it. (It decoded the whole text
    /// into scalars and copied each line: 52,000 instructions a record.)
    static func prescan(bytes all: UnsafeBufferPointer<UInt8>, limits: YAMLLimits) -> Refusal? {
        let space = UInt8(ascii: " ")
        var flowDepth = 0
        var indentStack: [Int] = []
        var aliasCount = 0
        var firstExcessAlias: (Int, Int)?
        var definesAnchor = false
        var line = 1
        var blockScalarIndent: Int?  // inside `|` or `>` text, lines indented past this are text
        var lineStart = 0
        while lineStart <= all.count {
            var lineEnd = lineStart
            while lineEnd < all.count, all[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            defer {
                line += 1
                lineStart = lineEnd + 1
            }
            let bytes = UnsafeBufferPointer(rebasing: all[lineStart..<lineEnd])
            // The column (1-based) of the scalar that starts at byte `offset` of the line.
            func scalarColumn(_ offset: Int) -> Int {
                bytes[..<offset].reduce(1) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
            }
            var indent = 0
            while indent < bytes.count, bytes[indent] == space { indent += 1 }
            let isBlank =
                indent == bytes.count || bytes[indent] == UInt8(ascii: "\r") || bytes[indent] == UInt8(ascii: "#")
            if let blockIndent = blockScalarIndent {
                if isBlank || indent > blockIndent { continue }
                blockScalarIndent = nil
            }
            if isBlank { continue }
            if flowDepth == 0 {
                while let top = indentStack.last, top >= indent { indentStack.removeLast() }
                indentStack.append(indent)
            }
            var column = indent
            var sequenceIndicators = 0
            var quote: UInt8?
            var previous = space
            // Where a quote, an anchor or an alias may start: after a space, `[`, `{`, `,`.
            func opens(_ byte: UInt8) -> Bool {
                byte == space || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") || byte == UInt8(ascii: ",")
            }
            while column < bytes.count {
                let byte = bytes[column]
                defer {
                    previous = byte
                    column += 1
                }
                if let open = quote {
                    if byte == open { quote = nil }
                    continue
                }
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "'"):
                    if opens(previous) || previous == UInt8(ascii: ":") { quote = byte }
                case UInt8(ascii: "#") where previous == space || previous == UInt8(ascii: "\t"):
                    column = bytes.count
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    flowDepth += 1
                    if flowDepth + indentStack.count > limits.maxDepth {
                        return Refusal(
                            message: "YAML nests deeper than \(limits.maxDepth) levels; not read", line: line,
                            column: scalarColumn(column))
                    }
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    flowDepth = max(0, flowDepth - 1)
                case UInt8(ascii: "-")
                where flowDepth == 0 && column + 1 < bytes.count && bytes[column + 1] == space && previous == space
                    && isIndicatorRun(bytes, upTo: column):
                    sequenceIndicators += 1
                case UInt8(ascii: "&") where opens(previous) || column == indent:
                    definesAnchor = true
                case UInt8(ascii: "*") where opens(previous) || column == indent:
                    aliasCount += 1
                    if aliasCount > limits.maxAliases, firstExcessAlias == nil {
                        firstExcessAlias = (line, scalarColumn(column))
                    }
                case UInt8(ascii: "|"), UInt8(ascii: ">"):
                    if flowDepth == 0, previous == space || column == indent, restIsBlockHeader(bytes, from: column + 1)
                    {
                        blockScalarIndent = indent + sequenceIndicators * 2
                    }
                default:
                    break
                }
            }
            if indentStack.count + sequenceIndicators + flowDepth > limits.maxDepth {
                return Refusal(
                    message: "YAML nests deeper than \(limits.maxDepth) levels; not read", line: line,
                    column: indent + 1)
            }
        }
        if definesAnchor, let (line, column) = firstExcessAlias {
            return Refusal(
                message:
                    "YAML uses more than \(limits.maxAliases) aliases; refused as a possible alias bomb (\"billion "
                    + "laughs\")",
                line: line, column: column)
        }
        return nil
    }

    /// True when everything before `column` on the line is indentation and `- ` indicators.
    private static func isIndicatorRun(_ bytes: UnsafeBufferPointer<UInt8>, upTo column: Int) -> Bool {
        var index = 0
        while index < column {
            let byte = bytes[index]
            if byte != UInt8(ascii: " ") && byte != UInt8(ascii: "-") { return false }
            index += 1
        }
        return true
    }

    /// `|`, `>`, `|-`, `>+2` ... followed by nothing but a comment.
    private static func restIsBlockHeader(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        var index = start
        while index < bytes.count,
            bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index])
        {
            index += 1
        }
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\r") {
            index += 1
        }
        return index == bytes.count || bytes[index] == UInt8(ascii: "#")
    }

    static func convert(_ node: Node, lineOffset: Int, depth: Int, budget: inout Int, limits: YAMLLimits) throws
        -> YAMLNode
    {
        let markLine = node.mark?.line ?? 1
        let markColumn = node.mark?.column ?? 1
        let position = SourcePosition(line: markLine + lineOffset, column: markColumn)
        budget -= 1
        if budget < 0 {
            throw Refusal(
                message:
                    "YAML expands to more than \(limits.maxNodes) values; refused as a possible alias bomb "
                    + "(\"billion laughs\")",
                line: markLine, column: markColumn)
        }
        if depth > limits.maxDepth {
            throw Refusal(
                message: "YAML nests deeper than \(limits.maxDepth) levels; not read", line: markLine,
                column: markColumn)
        }
        switch node {
        case .scalar(let scalar):
            let kind: YAMLNode.ScalarKind
            kind = scalar.style == .plain ? plainScalarKind(scalar.string) : .string
            let style: YAMLNode.Style
            switch scalar.style {
            case .singleQuoted: style = .singleQuoted
            case .doubleQuoted: style = .doubleQuoted
            case .literal: style = .literal
            case .folded: style = .folded
            default: style = .plain
            }
            return YAMLNode(.scalar(scalar.string, kind), at: position, style: style)
        case .sequence(let sequence):
            var items: [YAMLNode] = []
            items.reserveCapacity(sequence.count)
            for item in sequence {
                items.append(
                    try convert(item, lineOffset: lineOffset, depth: depth + 1, budget: &budget, limits: limits))
            }
            return YAMLNode(.sequence(items), at: position, style: sequence.style == .flow ? .flow : .block)
        case .mapping(let mapping):
            var pairs: [YAMLPair] = []
            for (key, value) in mapping {
                let keyNode = try convert(
                    key, lineOffset: lineOffset, depth: depth + 1, budget: &budget, limits: limits)
                let valueNode = try convert(
                    value, lineOffset: lineOffset, depth: depth + 1, budget: &budget, limits: limits)
                pairs.append(YAMLPair(key: keyNode, value: valueNode))
            }
            return YAMLNode(.mapping(pairs), at: position, style: mapping.style == .flow ? .flow : .block)
        case .alias:
            // Yams resolves aliases while composing; an unresolved one is only an empty value.
            return YAMLNode(.scalar("", .null), at: position)
        }
    }

    /// The type YAML 1.1 gives a plain scalar (as Yams' resolver does), decided without
    /// regular expressions: they cost more than the rest of the parse.
    static func plainScalarKind(_ text: String) -> YAMLNode.ScalarKind {
        // The words below are at most 5 bytes: a longer scalar is compared with none of them (38
        // String comparisons of different bytes, for every plain scalar of every record).
        if text.utf8.count <= 5 {
            switch text {
            case "", "~", "null", "Null", "NULL": return .null
            case "true", "True", "TRUE", "false", "False", "FALSE", "yes", "Yes", "YES", "no", "No", "NO",
                "on", "On", "ON", "off", "Off", "OFF":
                return .bool
            case ".inf", ".Inf", ".INF", "+.inf", "-.inf", "+.Inf", "-.Inf", ".nan", ".NaN", ".NAN": return .float
            default: break
            }
        }
        guard let first = text.utf8.first,
            first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
                || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"))
        else { return .string }
        if Int(text) != nil { return .integer }
        let allowed = text.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "e")
                || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
        }
        if allowed,
            text.utf8.contains(UInt8(ascii: ".")) || text.utf8.contains(UInt8(ascii: "e"))
                || text.utf8.contains(UInt8(ascii: "E")),
            Double(text) != nil
        {
            return .float
        }
        return .string
    }

    /// A diagnostic in Yams' words, at the file position of the problem.
    static func diagnostic(for error: YamlError, in yaml: String, lineOffset: Int) -> Diagnostic {
        func context(_ context: YamlError.Context?) -> String {
            guard let context else { return "" }
            return "\(context.text) (line \(context.mark.line + lineOffset), column \(context.mark.column)): "
        }
        func position(_ mark: Mark) -> SourcePosition {
            SourcePosition(line: mark.line + lineOffset, column: mark.column)
        }
        switch error {
        case .scanner(let ctx, let problem, let mark, _):
            return .error(.yamlSyntax, "YAML scanner: \(context(ctx))\(problem)", at: position(mark))
        case .parser(let ctx, let problem, let mark, _):
            return .error(.yamlSyntax, "YAML parser: \(context(ctx))\(problem)", at: position(mark))
        case .composer(let ctx, let problem, let mark, _):
            return .error(.yamlSyntax, "YAML composer: \(context(ctx))\(problem)", at: position(mark))
        case .reader(let problem, let offset, _, _):
            var position = SourcePosition(line: 1 + lineOffset, column: 1)
            if let offset {
                let prefix = yaml.prefix(offset)
                let line = prefix.reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
                let column = prefix.distance(
                    from: prefix.lastIndex(of: "\n").map { prefix.index(after: $0) } ?? prefix.startIndex,
                    to: prefix.endIndex)
                position = SourcePosition(line: line + 1 + lineOffset, column: column + 1)
            }
            return .error(.yamlSyntax, "YAML reader: \(problem)", at: position)
        case .duplicatedKeysInMapping(let duplicates, let ctx):
            let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            return .error(
                .yamlDuplicateKey, "YAML: duplicate key \(keys) in a mapping",
                at: SourcePosition(line: ctx.mark.line + lineOffset, column: ctx.mark.column))
        default:
            return .error(.yamlSyntax, "YAML: \(error)", at: SourcePosition(line: 1 + lineOffset, column: 1))
        }
    }
}
