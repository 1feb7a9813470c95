import Foundation

/// A scalar to write into front matter.
public enum ScalarValue: Sendable, Hashable {
    case string(String)
    case integer(Int)
    case bool(Bool)
}

/// Why a surgical edit was refused. The file is left as it was.
public struct FrontMatterEditError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var position: SourcePosition?

    public init(_ message: String, at position: SourcePosition? = nil) {
        self.message = message
        self.position = position
    }

    public var description: String {
        if let position { return "\(position.line):\(position.column): \(message)" }
        return message
    }
}

/// Sets one key's scalar value in a file's front matter, changing no byte but those of
/// the value (or adding the lines of a new key).
public enum FrontMatterEditor {
    /// The file's new bytes with `keyPath` (`["compliance", "hipaa", "review-frequency"]`)
    /// set to `value`. Keys that do not exist are inserted (in sorted place when the
    /// mapping's keys are sorted, else after the last one); a file without front matter
    /// gets a closed block at the top.
    public static func setting(_ keyPath: [String], to value: ScalarValue, in data: Data, pathExtension: String = "md")
        throws -> Data
    {
        guard !keyPath.isEmpty, keyPath.allSatisfy({ !$0.isEmpty }) else {
            throw FrontMatterEditError("empty key path")
        }
        let source = SourceText(data: data)
        if source.isBinary { throw FrontMatterEditError("binary file") }
        if source.diagnostics.contains(where: { $0.severity == .error }) {
            throw FrontMatterEditError("the file is not valid UTF-8; refusing to edit it")
        }
        let document = FrontMatterDocument(source: source, pathExtension: pathExtension)
        let text = source.text
        let lines = TextLines(text)
        let newline = source.usesCRLF ? "\r\n" : "\n"
        let bomLength = source.hadByteOrderMark ? 3 : 0

        func splice(_ range: Range<Int>, _ replacement: String) -> Data {
            var bytes = [UInt8](data)
            bytes.replaceSubrange(
                (range.lowerBound + bomLength)..<(range.upperBound + bomLength), with: Array(replacement.utf8))
            return Data(bytes)
        }
        func offset(ofLine line: Int) -> Int {
            line > lines.count
                ? text.utf8.count : text.utf8.distance(from: text.startIndex, to: lines.start(ofLine: line))
        }
        func offset(of position: SourcePosition) -> Int {
            let line = lines[position.line]
            let index =
                line.unicodeScalars.index(line.startIndex, offsetBy: position.column - 1, limitedBy: line.endIndex)
                ?? line.endIndex
            return text.utf8.distance(from: text.startIndex, to: index)
        }
        func block(_ keys: ArraySlice<String>, indent: Int) -> String {
            var result = ""
            var level = indent
            for (index, key) in keys.enumerated() {
                let pad = String(repeating: " ", count: level)
                if index == keys.count - 1 {
                    result += pad + renderKey(key) + ": " + render(value, like: nil) + newline
                } else {
                    result += pad + renderKey(key) + ":" + newline
                }
                level += 2
            }
            return result
        }

        let result: Data
        guard let yaml = document.yaml else {
            // No front matter: add a closed block at the top.
            result = splice(0..<0, "---" + newline + block(keyPath[...], indent: 0) + "---" + newline)
            return try verified(result, keyPath: keyPath, value: value, pathExtension: pathExtension)
        }
        let yamlLastLine = document.yamlFirstLine + TextLines(yaml).count - (yaml.hasSuffix("\n") ? 2 : 1)
        // Keys recovered around a YAML error are for reading: writing into broken YAML could
        // only make it worse.
        guard let root = document.root, document.salvage == nil else {
            if yaml.trimmed().isEmpty {
                result = splice(
                    offset(ofLine: document.yamlFirstLine)..<offset(ofLine: document.yamlFirstLine),
                    block(keyPath[...], indent: 0))
                return try verified(result, keyPath: keyPath, value: value, pathExtension: pathExtension)
            }
            let first = document.diagnostics.first { $0.severity == .error }
            throw FrontMatterEditError(
                "the front matter does not parse; fix it first" + (first.map { " (\($0.message))" } ?? ""),
                at: first?.position)
        }

        var node = root
        var indent = 0
        for (depth, key) in keyPath.enumerated() {
            guard let pairs = node.pairs else {
                throw FrontMatterEditError(
                    "`\(keyPath[..<depth].joined(separator: "."))` is not a mapping", at: node.position)
            }
            if node.style == .flow {
                throw FrontMatterEditError(
                    "`\(keyPath[..<depth].joined(separator: "."))` is a flow mapping; not edited", at: node.position)
            }
            let match = pairs.first { $0.key.scalarText == key } ?? node.pair(for: key)
            if let pair = match {
                if depth == keyPath.count - 1 {
                    result = try replaceScalar(
                        pair, in: lines, text: text, splice: splice, offset: offset(of:), newline: newline)
                    return try verified(result, keyPath: keyPath, value: value, pathExtension: pathExtension)
                }
                if pair.value.isNull {
                    // `key:` with nothing under it: the rest of the path goes below it.
                    let line = pair.key.position.line
                    let insertAt = offset(ofLine: line + 1)
                    let needsBreak = line == lines.count
                    result = splice(
                        insertAt..<insertAt,
                        (needsBreak ? newline : "")
                            + block(keyPath[(depth + 1)...], indent: pair.key.position.column - 1 + 2))
                    return try verified(result, keyPath: keyPath, value: value, pathExtension: pathExtension)
                }
                node = pair.value
                indent = pair.key.position.column - 1 + 2
                continue
            }
            // Insert the rest of the path into this mapping.
            if let first = pairs.first { indent = first.key.position.column - 1 }
            let keys = pairs.compactMap { $0.key.scalarText }
            let sorted = keys == keys.sorted()
            var insertLine: Int
            if sorted, let next = pairs.first(where: { ($0.key.scalarText ?? "") > key }) {
                insertLine = next.key.position.line
                if next.key.position.column - 1 != indent {
                    throw FrontMatterEditError(
                        "cannot place `\(key)`: keys of uneven indentation", at: next.key.position)
                }
            } else if let last = pairs.last {
                insertLine =
                    endLine(ofEntryAt: last.key.position.line, indent: indent, lines: lines, limit: yamlLastLine) + 1
            } else {
                insertLine = yamlLastLine + 1
            }
            insertLine = min(insertLine, yamlLastLine + 1)
            let insertAt = offset(ofLine: insertLine)
            let needsBreak = insertLine > lines.count || (insertLine - 1 == lines.count)
            result = splice(
                insertAt..<insertAt,
                (needsBreak && !text.hasSuffix("\n") ? newline : "") + block(keyPath[depth...], indent: indent))
            return try verified(result, keyPath: keyPath, value: value, pathExtension: pathExtension)
        }
        throw FrontMatterEditError("nothing to edit")

        func replaceScalar(
            _ pair: YAMLPair, in lines: TextLines, text: String, splice: (Range<Int>, String) -> Data,
            offset: (SourcePosition) -> Int, newline: String
        ) throws -> Data {
            let valueNode = pair.value
            switch valueNode.value {
            case .scalar: break
            default:
                throw FrontMatterEditError(
                    "`\(keyPath.joined(separator: "."))` holds a \(valueNode.kindName), not a single value",
                    at: valueNode.position)
            }
            if valueNode.isNull && valueNode.position.line != pair.key.position.line
                || valueNode.position.line > lines.count
            {
                // `key:` and nothing: write the value after the colon.
                let line = lines[pair.key.position.line]
                guard let colon = line.firstIndex(of: ":") else {
                    throw FrontMatterEditError(
                        "cannot find the colon of `\(pair.key.scalarText ?? "")`", at: pair.key.position)
                }
                var end = line.index(after: colon)
                while end < line.endIndex, line[end] == " " { end = line.index(after: end) }
                let start = text.utf8.distance(from: text.startIndex, to: line.index(after: colon))
                let stop = text.utf8.distance(from: text.startIndex, to: end)
                return splice(start..<stop, " " + render(value, like: nil))
            }
            let line = lines[valueNode.position.line]
            let startIndex =
                line.unicodeScalars.index(
                    line.startIndex, offsetBy: valueNode.position.column - 1, limitedBy: line.endIndex) ?? line.endIndex
            let rest = line[startIndex...]
            let length: Int
            switch valueNode.style {
            case .singleQuoted:
                guard let close = closingQuote(in: rest, quote: "'") else {
                    throw FrontMatterEditError(
                        "a quoted value over several lines is not edited", at: valueNode.position)
                }
                length = rest.utf8.distance(from: rest.startIndex, to: close) + 1
            case .doubleQuoted:
                guard let close = closingQuote(in: rest, quote: "\"") else {
                    throw FrontMatterEditError(
                        "a quoted value over several lines is not edited", at: valueNode.position)
                }
                length = rest.utf8.distance(from: rest.startIndex, to: close) + 1
            case .plain:
                var end = rest.endIndex
                if let comment = rest.range(of: " #") { end = comment.lowerBound }
                var candidate = rest[..<end]
                while let last = candidate.last, last == " " || last == "\t" { candidate = candidate.dropLast() }
                guard candidate == valueNode.scalarText ?? "" || valueNode.isNull else {
                    throw FrontMatterEditError("a value over several lines is not edited", at: valueNode.position)
                }
                length = candidate.utf8.count
            default:
                throw FrontMatterEditError("a block scalar (| or >) is not edited", at: valueNode.position)
            }
            let start = offset(valueNode.position)
            return splice(start..<(start + length), render(value, like: valueNode.style))
        }
    }

    /// The last line of the entry whose key is on `line`: its value's lines, not the blank lines after.
    static func endLine(ofEntryAt line: Int, indent: Int, lines: TextLines, limit: Int) -> Int {
        var last = line
        var current = line + 1
        while current <= limit {
            let text = lines[current]
            let stripped = text.drop { $0 == " " }
            let lineIndent = text.count - stripped.count
            if stripped.isEmpty || stripped.first == "#" {
                current += 1
                continue
            }
            let isItem = stripped.hasPrefix("- ") || stripped == "-"
            if lineIndent > indent || (lineIndent == indent && isItem) {
                last = current
                current += 1
                continue
            }
            break
        }
        return last
    }

    static func closingQuote(in text: Substring, quote: Character) -> Substring.Index? {
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let character = text[index]
            if quote == "\"" && character == "\\" {
                index = text.index(after: index)
                if index < text.endIndex { index = text.index(after: index) }
                continue
            }
            if character == quote {
                let next = text.index(after: index)
                if quote == "'" && next < text.endIndex && text[next] == "'" {
                    index = text.index(after: next)
                    continue
                }
                return index
            }
            index = text.index(after: index)
        }
        return nil
    }

    static func renderKey(_ key: String) -> String {
        isSafePlain(key) ? key : singleQuoted(key)
    }

    /// The value as YAML, in the style of the value it replaces where that is possible.
    static func render(_ value: ScalarValue, like style: YAMLNode.Style?) -> String {
        switch value {
        case .integer(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .string(let string):
            switch style {
            case .singleQuoted: return singleQuoted(string)
            case .doubleQuoted: return doubleQuoted(string)
            default: return isSafePlain(string) ? string : singleQuoted(string)
            }
        }
    }

    static func singleQuoted(_ string: String) -> String {
        "'" + string.replacingOccurrences(of: "'", with: "''") + "'"
    }

    static func doubleQuoted(_ string: String) -> String {
        var result = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 {
                    result += String(format: "\\x%02X", scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// A string that YAML reads back, unquoted, as the same string.
    static func isSafePlain(_ string: String) -> Bool {
        guard let first = string.first, let last = string.last else { return false }
        if " \t".contains(last) || " \t".contains(first) { return false }
        if "-?:,[]{}#&*!|>'\"%@`".contains(first) { return false }
        if string.includes(": ") || string.includes(" #") || string.hasSuffix(":") { return false }
        if string.contains(where: { $0.isNewline || ($0.asciiValue.map { $0 < 0x20 } ?? false) }) { return false }
        // A date would be read as a timestamp: python-frontmatter quotes them, so do we.
        if string.isISODate { return false }
        // Ask YAML itself: `7-years` stays a string, `1.0`, `2026-01-10` and `yes` would not.
        let node = SafeYAML.parse("k: " + string).root?["k"]
        return node?.scalarKind == .string && node?.scalarText == string
    }

    /// Re-reads the edited file and checks the value reads back: an edit that would
    /// change the meaning of anything else is refused.
    static func verified(_ data: Data, keyPath: [String], value: ScalarValue, pathExtension: String) throws -> Data {
        let document = FrontMatterDocument(source: SourceText(data: data), pathExtension: pathExtension)
        var node = document.root
        for key in keyPath { node = node.flatMap { $0.pairs?.first { $0.key.scalarText == key }?.value ?? $0[key] } }
        let expected: String
        switch value {
        case .string(let string): expected = string
        case .integer(let number): expected = String(number)
        case .bool(let flag): expected = flag ? "true" : "false"
        }
        guard let node,
            node.scalarText == expected || (node.scalarKind == .bool && expected == node.scalarText?.lowercased())
        else {
            throw FrontMatterEditError("the edit would not read back as written; the file is left as it was")
        }
        return data
    }
}
