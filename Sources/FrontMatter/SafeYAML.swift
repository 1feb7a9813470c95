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

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// Reads YAML through Yams (libyaml) under `YAMLLimits`.
public enum SafeYAML {
    /// Parses `yaml`, whose first line is line `firstLine` of the file.
    public static func parse(_ yaml: String, firstLine: Int = 1, limits: YAMLLimits = .default) -> YAMLParseResult {
        let lineOffset = firstLine - 1
        func at(_ line: Int, _ column: Int) -> SourcePosition {
            SourcePosition(line: line + lineOffset, column: column)
        }
        let byteCount = yaml.utf8.count
        if byteCount > limits.maxBytes {
            return YAMLParseResult(root: nil, diagnostics: [.error(
                "front matter is \(byteCount) bytes, over the limit of \(limits.maxBytes); not read",
                at: at(1, 1))])
        }
        if let refusal = prescan(yaml, limits: limits) {
            return YAMLParseResult(root: nil, diagnostics: [.error(refusal.message, at: at(refusal.line, refusal.column))])
        }
        let composed: Node?
        do {
            // No implicit-type rules (they are regular expressions, the slowest part of a parse):
            // `plainScalarKind` types scalars instead. The encoding is given so that Yams does
            // not read the environment on every call.
            composed = try Yams.compose(yaml: yaml, .basic, .default, .utf8)
        } catch let error as YamlError {
            return YAMLParseResult(root: nil, diagnostics: [diagnostic(for: error, in: yaml, lineOffset: lineOffset)])
        } catch {
            return YAMLParseResult(root: nil, diagnostics: [.error("YAML: \(error)", at: at(1, 1))])
        }
        guard let composed else { return YAMLParseResult(root: nil, diagnostics: []) }
        var budget = limits.maxNodes
        do {
            let root = try convert(composed, lineOffset: lineOffset, depth: 0, budget: &budget, limits: limits)
            return YAMLParseResult(root: root, diagnostics: [])
        } catch let refusal as Refusal {
            return YAMLParseResult(root: nil, diagnostics: [.error(refusal.message, at: at(refusal.line, refusal.column))])
        } catch {
            return YAMLParseResult(root: nil, diagnostics: [.error("YAML: \(error)", at: at(1, 1))])
        }
    }

    struct Refusal: Error {
        var message: String
        var line: Int
        var column: Int
    }

    /// Refuses, before libyaml and Yams see it, YAML that nests too deep (Yams composes
    /// recursively) or uses aliases in numbers that only an alias bomb needs.
    static func prescan(_ yaml: String, limits: YAMLLimits) -> Refusal? {
        var flowDepth = 0
        var indentStack: [Int] = []
        var aliasCount = 0
        var firstExcessAlias: (Int, Int)?
        var definesAnchor = false
        var line = 1
        var blockScalarIndent: Int?  // inside `|` or `>` text, lines indented past this are text
        for rawLine in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            defer { line += 1 }
            let scalars = Array(rawLine.unicodeScalars)
            var indent = 0
            while indent < scalars.count, scalars[indent] == " " { indent += 1 }
            let isBlank = indent == scalars.count || scalars[indent] == "\r" || scalars[indent] == "#"
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
            var quote: Unicode.Scalar?
            var previous: Unicode.Scalar = " "
            while column < scalars.count {
                let scalar = scalars[column]
                defer {
                    previous = scalar
                    column += 1
                }
                if let open = quote {
                    if scalar == open { quote = nil }
                    continue
                }
                switch scalar {
                case "\"", "'":
                    if previous == " " || previous == "[" || previous == "{" || previous == "," || previous == ":" { quote = scalar }
                case "#" where previous == " " || previous == "\t":
                    column = scalars.count
                case "[", "{":
                    flowDepth += 1
                    if flowDepth + indentStack.count > limits.maxDepth {
                        return Refusal(message: "YAML nests deeper than \(limits.maxDepth) levels; not read", line: line, column: column + 1)
                    }
                case "]", "}":
                    flowDepth = max(0, flowDepth - 1)
                case "-" where flowDepth == 0 && column + 1 < scalars.count && scalars[column + 1] == " " && (previous == " ") && isIndicatorRun(scalars, upTo: column):
                    sequenceIndicators += 1
                case "&" where previous == " " || previous == "[" || previous == "{" || previous == "," || column == indent:
                    definesAnchor = true
                case "*" where previous == " " || previous == "[" || previous == "{" || previous == "," || column == indent:
                    aliasCount += 1
                    if aliasCount > limits.maxAliases, firstExcessAlias == nil { firstExcessAlias = (line, column + 1) }
                case "|", ">":
                    if flowDepth == 0, previous == " " || column == indent, restIsBlockHeader(scalars, from: column + 1) {
                        blockScalarIndent = indent + sequenceIndicators * 2
                    }
                default:
                    break
                }
            }
            if indentStack.count + sequenceIndicators + flowDepth > limits.maxDepth {
                return Refusal(message: "YAML nests deeper than \(limits.maxDepth) levels; not read", line: line, column: indent + 1)
            }
        }
        if definesAnchor, let (line, column) = firstExcessAlias {
            return Refusal(
                message: "YAML uses more than \(limits.maxAliases) aliases; refused as a possible alias bomb (\"billion laughs\")",
                line: line, column: column)
        }
        return nil
    }

    /// True when everything before `column` on the line is indentation and `- ` indicators.
    private static func isIndicatorRun(_ scalars: [Unicode.Scalar], upTo column: Int) -> Bool {
        var index = 0
        while index < column {
            let scalar = scalars[index]
            if scalar != " " && scalar != "-" { return false }
            index += 1
        }
        return true
    }

    /// `|`, `>`, `|-`, `>+2` ... followed by nothing but a comment.
    private static func restIsBlockHeader(_ scalars: [Unicode.Scalar], from start: Int) -> Bool {
        var index = start
        while index < scalars.count, "+-0123456789".unicodeScalars.contains(scalars[index]) { index += 1 }
        while index < scalars.count, scalars[index] == " " || scalars[index] == "\r" { index += 1 }
        return index == scalars.count || scalars[index] == "#"
    }

    static func convert(_ node: Node, lineOffset: Int, depth: Int, budget: inout Int, limits: YAMLLimits) throws -> YAMLNode {
        let markLine = node.mark?.line ?? 1
        let markColumn = node.mark?.column ?? 1
        let position = SourcePosition(line: markLine + lineOffset, column: markColumn)
        budget -= 1
        if budget < 0 {
            throw Refusal(
                message: "YAML expands to more than \(limits.maxNodes) values; refused as a possible alias bomb (\"billion laughs\")",
                line: markLine, column: markColumn)
        }
        if depth > limits.maxDepth {
            throw Refusal(message: "YAML nests deeper than \(limits.maxDepth) levels; not read", line: markLine, column: markColumn)
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
                items.append(try convert(item, lineOffset: lineOffset, depth: depth + 1, budget: &budget, limits: limits))
            }
            return YAMLNode(.sequence(items), at: position, style: sequence.style == .flow ? .flow : .block)
        case .mapping(let mapping):
            var pairs: [YAMLPair] = []
            for (key, value) in mapping {
                let keyNode = try convert(key, lineOffset: lineOffset, depth: depth + 1, budget: &budget, limits: limits)
                let valueNode = try convert(value, lineOffset: lineOffset, depth: depth + 1, budget: &budget, limits: limits)
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
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE", "false", "False", "FALSE", "yes", "Yes", "YES", "no", "No", "NO",
            "on", "On", "ON", "off", "Off", "OFF":
            return .bool
        case ".inf", ".Inf", ".INF", "+.inf", "-.inf", "+.Inf", "-.Inf", ".nan", ".NaN", ".NAN": return .float
        default: break
        }
        guard let first = text.utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
            || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"))
        else { return .string }
        if Int(text) != nil { return .integer }
        let allowed = text.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e")
                || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
        }
        if allowed, text.utf8.contains(UInt8(ascii: ".")) || text.utf8.contains(UInt8(ascii: "e")) || text.utf8.contains(UInt8(ascii: "E")),
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
        switch error {
        case .scanner(let ctx, let problem, let mark, _):
            return .error("YAML scanner: \(context(ctx))\(problem)", at: SourcePosition(line: mark.line + lineOffset, column: mark.column))
        case .parser(let ctx, let problem, let mark, _):
            return .error("YAML parser: \(context(ctx))\(problem)", at: SourcePosition(line: mark.line + lineOffset, column: mark.column))
        case .composer(let ctx, let problem, let mark, _):
            return .error("YAML composer: \(context(ctx))\(problem)", at: SourcePosition(line: mark.line + lineOffset, column: mark.column))
        case .reader(let problem, let offset, _, _):
            var position = SourcePosition(line: 1 + lineOffset, column: 1)
            if let offset {
                let prefix = yaml.prefix(offset)
                let line = prefix.reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
                let column = prefix.distance(from: prefix.lastIndex(of: "\n").map { prefix.index(after: $0) } ?? prefix.startIndex, to: prefix.endIndex)
                position = SourcePosition(line: line + 1 + lineOffset, column: column + 1)
            }
            return .error("YAML reader: \(problem)", at: position)
        case .duplicatedKeysInMapping(let duplicates, let ctx):
            let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            return .error("YAML: duplicate key \(keys) in a mapping", at: SourcePosition(line: ctx.mark.line + lineOffset, column: ctx.mark.column))
        default:
            return .error("YAML: \(error)", at: SourcePosition(line: 1 + lineOffset, column: 1))
        }
    }
}
