import FrontMatter

/// Reads hot-pattern entries (FORMAT.md section 4) from markdown blocks or a YAML record.
enum HotPatternReader {
    enum Slot {
        case keywords, symptom, rootCause, solution, related, hitCount, lastUsed
    }

    static func slot(for name: String) -> Slot? {
        switch name.lowercased() {
        case "keywords", "keyword", "error keywords": return .keywords
        case "symptom", "symptoms", "error", "error message": return .symptom
        case "root cause", "cause": return .rootCause
        case "solution", "fix", "resolution", "quick fix": return .solution
        case "related", "see also", "references": return .related
        case "hit count", "hits", "hit-count": return .hitCount
        case "last used", "last hit", "last-used": return .lastUsed
        default: return nil
        }
    }

    /// Whether `block` is a paragraph with a bold label that makes an entry (`**Keywords:**`,
    /// `**Hit Count:**`, `**Last Used:**`, any spelling `slot(for:)` knows), anywhere in it:
    /// `patterns` finds entries only where a field of those slots is read, and reads fields in
    /// paragraphs only, each from a bold label (`field(in:)`).
    static func holdsEntryLabel(_ block: MarkdownNode) -> Bool {
        guard block.kind == .paragraph else { return false }
        for child in block.children where child.kind == .strong {
            switch slot(for: DocumentParser.labelName(of: child).name) {
            case .keywords, .hitCount, .lastUsed: return true
            default: continue
            }
        }
        return false
    }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmed() }.filter { !$0.isEmpty }
    }

    /// Entries under headings in `blocks`; blocks before the first heading form an entry
    /// only when they hold entry fields.
    static func patterns(in blocks: some Collection<MarkdownNode>, diagnostics: inout [Diagnostic]) -> [HotPattern] {
        // Most records have no entry at all (every record without a hot-pattern section is
        // read as a hot-patterns file): without a label that makes one, nothing below would.
        guard blocks.contains(where: holdsEntryLabel) else { return [] }
        return readPatterns(in: blocks, diagnostics: &diagnostics)
    }

    /// `patterns` without its first look for a label that makes an entry (the tests check
    /// that the look changes nothing).
    static func readPatterns(in blocks: some Collection<MarkdownNode>, diagnostics: inout [Diagnostic]) -> [HotPattern]
    {
        var result: [HotPattern] = []
        var current: HotPattern?
        var isEntry = false
        var slot: Slot?

        func flush() {
            if let pattern = current, isEntry { result.append(pattern) }
            current = nil
            isEntry = false
            slot = nil
        }
        func append(_ text: String, to slot: Slot) {
            guard !text.isEmpty else { return }
            switch slot {
            case .symptom: current!.symptom += (current!.symptom.isEmpty ? "" : "\n") + text
            case .rootCause: current!.rootCause += (current!.rootCause.isEmpty ? "" : "\n") + text
            case .solution: current!.solution += (current!.solution.isEmpty ? "" : "\n") + text
            default: break
            }
        }

        for block in blocks {
            if block.kind == .heading {
                flush()
                current = HotPattern(title: block.plainText.trimmed(), line: block.line)
                continue
            }
            if current == nil { current = HotPattern(title: "", line: block.line) }
            if block.kind == .paragraph {
                for (offset, line) in MarkdownLines.inlineLines(of: block).enumerated() {
                    let lineNumber = block.line + offset
                    if let field = DocumentParser.field(in: line), let found = self.slot(for: field.name) {
                        // Keywords or a hit count make an entry; a **Root Cause:** alone is prose.
                        if found == .keywords || found == .hitCount || found == .lastUsed { isEntry = true }
                        slot = found
                        switch found {
                        case .keywords: current!.keywords += list(field.value)
                        case .related: current!.related += list(field.value)
                        case .hitCount:
                            current!.hitCountLine = lineNumber
                            let digits = field.value.prefix { $0.isNumber }
                            if let count = Int(digits) {
                                current!.hitCount = count
                            } else {
                                diagnostics.append(
                                    .warning(
                                        .hitCountInvalid, "`Hit Count` should be a whole number, not '\(field.value)'",
                                        at: SourcePosition(line: lineNumber, column: 1)))
                            }
                        case .lastUsed:
                            current!.lastUsedLine = lineNumber
                            current!.lastUsed = field.value.isEmpty ? nil : field.value
                        default:
                            append(field.value, to: found)
                        }
                    } else if let slot {
                        append(line.plainText.trimmed(), to: slot)
                    }
                }
            } else if let slot {
                append(DocumentParser.blockText(block), to: slot)
            }
        }
        flush()
        return result.map { pattern in
            var pattern = pattern
            if pattern.title.isEmpty { pattern.title = pattern.keywords.first ?? "Hot pattern" }
            return pattern
        }
    }

    static func pattern(fromYAML node: YAMLNode) -> HotPattern {
        var pattern = HotPattern(
            title: node["title"]?.scalarText ?? node["name"]?.scalarText ?? "Hot pattern", line: node.position.line)
        pattern.keywords = node["keywords"]?.stringList ?? node["keywords"]?.scalarText.map(list) ?? []
        if pattern.keywords.count == 1 { pattern.keywords = list(pattern.keywords[0]) }
        pattern.symptom = node["symptom"]?.allText(joinedBy: "\n") ?? ""
        pattern.rootCause = node["root-cause"]?.allText(joinedBy: "\n") ?? ""
        pattern.solution = node["solution"]?.allText(joinedBy: "\n") ?? ""
        pattern.related = node["related"]?.stringList ?? []
        if let count = node["hit-count"] {
            pattern.hitCount = count.scalarText.flatMap { Int($0) }
            pattern.hitCountLine = count.position.line
        }
        if let used = node["last-used"] {
            pattern.lastUsed = used.scalarText
            pattern.lastUsedLine = used.position.line
        }
        return pattern
    }
}
