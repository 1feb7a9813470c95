import Foundation

/// How a file's metadata is laid out (FORMAT.md section 2).
public enum FrontMatterShape: String, Sendable, Codable {
    /// `---` YAML `---` (or `...`), then markdown.
    case closed
    /// YAML from the first line, ended by a `---` line, then markdown.
    case bareHeader = "bare-header"
    /// An opening `---` never closed: the YAML runs up to the first markdown heading.
    case unclosed
    /// The whole file is one YAML record (a `.yaml` file, or an unclosed `---` that parses).
    case yamlRecord = "yaml-record"
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
    /// The YAML read with positions, when it could be read.
    public let root: YAMLNode?
    /// The markdown body (empty for a YAML record).
    public let body: Substring
    /// The file line of the body's first line.
    public let bodyFirstLine: Int
    /// Problems with the layout and the YAML, in file positions.
    public let diagnostics: [Diagnostic]

    /// Splits and parses `source`. `pathExtension` decides whether a file may be a whole YAML record.
    public init(source: SourceText, pathExtension: String, limits: YAMLLimits = .default) {
        self.source = source
        let text = source.text
        let lines = TextLines(text)
        let isYAMLFile = ["yaml", "yml"].contains(pathExtension.lowercased())
        var diagnostics: [Diagnostic] = []

        func body(from line: Int) -> Substring {
            line <= lines.count ? text[lines.starts[line - 1]...] : text[text.endIndex...]
        }
        func yamlText(from first: Int, to last: Int) -> String {
            guard first <= last else { return "" }
            let end = last < lines.count ? lines.starts[last] : text.endIndex
            return String(text[lines.starts[first - 1]..<end])
        }
        func isFence(_ line: Substring) -> Bool { line.trimmingTrailingWhitespace == "---" }
        func isEnd(_ line: Substring) -> Bool {
            let trimmed = line.trimmingTrailingWhitespace
            return trimmed == "---" || trimmed == "..."
        }

        var shape = FrontMatterShape.none
        var yaml: String?
        var yamlFirstLine = 1
        var parsed: YAMLParseResult?
        var bodyFirstLine = 1

        let startsWithFence = isFence(lines[1])
        // Only looked for where it matters (an unclosed or YAML-file front matter, or a heading
        // before the closing line): most files never need the scan.
        var headingCache: Int?? = nil
        func firstHeading(before limit: Int? = nil) -> Int? {
            if headingCache == nil { headingCache = .some((1...lines.count).first { lines[$0].isATXHeading }) }
            guard let found = headingCache!, found < (limit ?? Int.max) else { return nil }
            return found
        }
        var wholeFile: YAMLParseResult?
        if isYAMLFile && !source.isBinary && !text.isEmpty {
            let whole = SafeYAML.parse(text, firstLine: 1, limits: limits)
            wholeFile = whole
            if !whole.hasErrors || firstHeading() == nil {
                shape = .yamlRecord
                yaml = text
                parsed = whole
                bodyFirstLine = lines.count + 1
            }
        }

        if shape != .none || source.isBinary || text.isEmpty {
            // Decided, or nothing to split.
        } else if startsWithFence {
            let closing = lines.count < 2 ? nil : (2...lines.count).first { isEnd(lines[$0]) }
            var decided = false
            if let closing {
                let candidate = SafeYAML.parse(yamlText(from: 2, to: closing - 1), firstLine: 2, limits: limits)
                if candidate.hasErrors, let heading = firstHeading(before: closing), let firstError = candidate.diagnostics.first(where: { $0.severity == .error }) {
                    // A heading inside a block that does not parse: the author forgot the closing `---`.
                    let prefix = SafeYAML.parse(yamlText(from: 2, to: heading - 1), firstLine: 2, limits: limits)
                    if !prefix.hasErrors || firstError.line >= heading {
                        shape = .unclosed
                        yaml = yamlText(from: 2, to: heading - 1)
                        yamlFirstLine = 2
                        parsed = prefix
                        bodyFirstLine = heading
                        diagnostics.append(.warning(
                            "front matter opened at line 1 is not closed before the heading at line \(heading); read up to the heading",
                            at: SourcePosition(line: 1, column: 1)))
                        decided = true
                    }
                }
                if !decided {
                    shape = .closed
                    yaml = yamlText(from: 2, to: closing - 1)
                    yamlFirstLine = 2
                    parsed = candidate
                    bodyFirstLine = closing + 1
                    decided = true
                }
            }
            if !decided {
                if let heading = firstHeading() {
                    shape = .unclosed
                    yaml = yamlText(from: 2, to: heading - 1)
                    yamlFirstLine = 2
                    parsed = SafeYAML.parse(yaml!, firstLine: 2, limits: limits)
                    bodyFirstLine = heading
                    diagnostics.append(.warning(
                        "front matter opened at line 1 is never closed; read up to the heading at line \(heading)",
                        at: SourcePosition(line: 1, column: 1)))
                } else {
                    shape = .yamlRecord
                    yaml = yamlText(from: 2, to: lines.count)
                    yamlFirstLine = 2
                    parsed = SafeYAML.parse(yaml!, firstLine: 2, limits: limits)
                    bodyFirstLine = lines.count + 1
                    if !isYAMLFile {
                        diagnostics.append(.warning(
                            "front matter opened at line 1 is never closed; the whole file is read as YAML",
                            at: SourcePosition(line: 1, column: 1)))
                    }
                }
            }
        } else if lines[1].isYAMLKeyLine,
            let closing = lines.count < 2 ? nil : (2...lines.count).first(where: { isFence(lines[$0]) }),
            !(1..<closing).contains(where: { lines[$0].isATXHeading })
        {
            shape = .bareHeader
            yaml = yamlText(from: 1, to: closing - 1)
            parsed = SafeYAML.parse(yaml!, firstLine: 1, limits: limits)
            bodyFirstLine = closing + 1
        } else if isYAMLFile, let whole = wholeFile, let heading = firstHeading() {
            // A YAML file that does not parse: the YAML prefix up to the first heading, then markdown.
            shape = .unclosed
            yaml = yamlText(from: 1, to: heading - 1)
            parsed = SafeYAML.parse(yaml!, firstLine: 1, limits: limits)
            bodyFirstLine = heading
            if !parsed!.hasErrors { diagnostics.append(contentsOf: whole.diagnostics.prefix(1).map {
                .warning("the file does not parse as YAML (\($0.message)); read as YAML up to the heading at line \(heading), then markdown", at: $0.position)
            }) }
        }

        if let parsed {
            diagnostics.append(contentsOf: parsed.diagnostics)
            if let root = parsed.root, root.pairs == nil, !root.isNull {
                diagnostics.append(.error("front matter is not a mapping of keys to values", at: root.position))
            }
        }
        self.shape = shape
        self.yaml = yaml
        self.yamlFirstLine = yamlFirstLine
        self.root = parsed?.root.flatMap { $0.pairs == nil ? nil : $0 }
        self.bodyFirstLine = bodyFirstLine
        self.body = body(from: bodyFirstLine)
        self.diagnostics = source.diagnostics + diagnostics
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

    /// `# Title` to `###### Title`, at the start of the line (as a YAML comment never has a space after `#`... usually).
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

    /// `key:` or `key: value` at column 1.
    var isYAMLKeyLine: Bool {
        guard let first = first, first.isLetter || first == "_" else { return false }
        guard let colon = firstIndex(of: ":") else { return false }
        let key = self[startIndex..<colon]
        guard key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }) else { return false }
        let after = self.index(after: colon)
        return after == endIndex || self[after] == " " || self[after] == "\r"
    }
}
