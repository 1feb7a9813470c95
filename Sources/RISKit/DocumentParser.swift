import Foundation
import FrontMatter

#if canImport(Glibc)
    import Glibc
#endif

/// Reads any file of a knowledge base into a `RISDocument`. Never throws and never
/// traps: what it cannot understand becomes a diagnostic.
public enum DocumentParser {
    /// The most markdown read for structure; the rest of a larger body is plain text.
    public static let maxMarkdownBytes = 1_048_576

    /// Files larger than this are reported, not read: a record is a few kilobytes, and a
    /// log dump committed by mistake must not take the index's memory (`max-file-size`).
    public static let defaultMaxFileBytes = 16 * 1024 * 1024

    /// Reads a regular file of at most `limit` bytes. Opened without blocking, so a named
    /// pipe put in a file's place never hangs the run; a file that grows past the limit
    /// while being read is refused, not cut.
    public static func readFile(atPath path: String, limit: Int = defaultMaxFileBytes) -> Result<Data, RISKitError> {
        readFileAndStamp(atPath: path, limit: limit).map(\.data)
    }

    /// What identifies a file's version for the index: its times (nanoseconds since 1970)
    /// and inode, taken on the open file before its bytes were read.
    public struct FileStamp: Sendable {
        public var modified: Int64
        public var changed: Int64
        public var inode: Int64
    }

    /// `readFile`, with the file's stamp taken on the open file before its bytes were read:
    /// a change after that moves the times on.
    public static func readFileAndStamp(atPath path: String, limit: Int = defaultMaxFileBytes) -> Result<
        (data: Data, stamp: FileStamp), RISKitError
    > {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            return .failure(RISKitError(.unreadable, "cannot read the file: \(String(cString: strerror(errno)))"))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            return .failure(RISKitError(.unreadable, "cannot read the file: \(String(cString: strerror(errno)))"))
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            return .failure(RISKitError(.unreadable, "not a regular file; not read"))
        }
        func tooLarge(_ size: Int) -> RISKitError {
            RISKitError(
                .unreadable,
                "the file is \(megabytes(size)), over the limit of \(megabytes(limit)) (max-file-size); not read")
        }
        if Int(status.st_size) > limit { return .failure(tooLarge(Int(status.st_size))) }
        let stamp = FileStamp(
            modified: Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec),
            changed: Int64(status.st_ctim.tv_sec) * 1_000_000_000 + Int64(status.st_ctim.tv_nsec),
            inode: Int64(bitPattern: UInt64(status.st_ino)))
        var data = Data(count: Int(status.st_size) + 1)
        var filled = 0
        while true {
            if filled == data.count {
                if data.count > limit { return .failure(tooLarge(data.count)) }
                data.count = min(limit + 1, max(data.count * 2, 4096))
            }
            let count = data.count
            let result = data.withUnsafeMutableBytes { buffer in
                read(descriptor, buffer.baseAddress! + filled, count - filled)
            }
            if result < 0 {
                if errno == EINTR { continue }
                return .failure(RISKitError(.unreadable, "cannot read the file: \(String(cString: strerror(errno)))"))
            }
            if result == 0 { break }
            filled += result
        }
        if filled > limit { return .failure(tooLarge(filled)) }
        data.count = filled
        return .success((data, stamp))
    }

    /// The bytes of a regular file within the default limit, or nil (see `readFile`).
    public static func contents(atPath path: String) -> Data? {
        try? readFile(atPath: path).get()
    }

    static func megabytes(_ bytes: Int) -> String {
        bytes < 1_048_576
            ? (Double(bytes) / 1024).fixedText(places: 1) + " KiB"
            : (Double(bytes) / 1_048_576).fixedText(places: 1) + " MiB"
    }

    /// The version of what ris reads from a file. Raised whenever a file could be read
    /// differently, so that an index built by an older ris re-reads every file.
    public static let version = 7

    /// Reads the file at `path`; a file that cannot be read is a document with a diagnostic.
    public static func parse(
        fileAt path: String, displayPath: String? = nil, limit: Int = defaultMaxFileBytes,
        options: ParseOptions = .default
    ) -> RISDocument {
        let shown = displayPath ?? path
        switch readFile(atPath: path, limit: limit) {
        case .success(let data):
            return parse(data: data, path: shown, options: options)
        case .failure(let error):
            return unreadable(path: shown, error)
        }
    }

    /// The document standing for a file that could not be read: its name, and why.
    public static func unreadable(path: String, _ error: RISKitError) -> RISDocument {
        var document = emptyDocument(path: path)
        document.metadataReadable = false
        document.diagnostics.append(.error(.fileUnreadable, error.description, at: SourcePosition(line: 1, column: 1)))
        return document
    }

    static func emptyDocument(path: String) -> RISDocument {
        let stem = FilePath(path).stem
        let id = FieldValue.identifier(inFileStem: stem) ?? stem
        return RISDocument(
            path: path, id: id, title: titleFromStem(stem, id: id), kind: .doc, shape: .none,
            compliance: ComplianceMetadata())
    }

    /// The title of a record that states none: the words after the ID in the file name
    /// (`RIS-045-lambda-manifest.md`), else the words of the ID (`RIS-QUEUE-BACKLOG-20240401`
    /// → "Queue backlog"), else the file name's words when it holds no ID; never a project
    /// or repository name written before the ID.
    static func titleFromStem(_ stem: String, id: String) -> String {
        if let (fileID, range) = FieldValue.identifierRange(inFileStem: stem) {
            let slug = FieldValue.title(fromFileStem: String(stem[range.upperBound...]))
            if !slug.isEmpty { return slug }
            return FieldValue.title(fromIdentifier: fileID) ?? FieldValue.title(fromIdentifier: id) ?? id
        }
        return FieldValue.title(fromIdentifier: stem, lowercasingCapitals: false) ?? FieldValue.title(
            fromIdentifier: id) ?? id
    }

    /// Reads `data` as the file at `path` (its extension decides YAML or markdown).
    public static func parse(data: Data, path: String, options: ParseOptions = .default) -> RISDocument {
        let file = FilePath(path)
        let source = SourceText(data: data)
        let frontMatter = FrontMatterDocument(
            source: source, pathExtension: file.pathExtension, aliases: options.aliases)
        var document = RISDocument(
            path: path, id: "", title: "", kind: .doc, shape: .none, compliance: ComplianceMetadata())
        document.shape = frontMatter.shape
        document.frontMatter = frontMatter.root
        document.salvaged = frontMatter.salvage != nil
        var diagnostics = frontMatter.diagnostics
        let (compliance, complianceDiagnostics) = ComplianceMetadata.read(
            from: frontMatter.root, aliases: options.aliases)
        document.compliance = compliance
        diagnostics += complianceDiagnostics
        document.metadataReadable =
            !source.isBinary && frontMatter.salvage == nil
            && !complianceDiagnostics.contains { $0.severity == .error } && !errorsInYAML(frontMatter)
        // Every `access-audit-required:` the file writes must be one ris read; one it did not
        // read could say true.
        document.accessAuditUnread =
            AccessPolicy.accessAuditKeys(in: source.text)
            > compliance.frameworks.filter { $0.accessAuditRequired != nil }.count
        if data.isEmpty || (!source.isBinary && source.text.allSatisfy(\.isWhitespace)) {
            diagnostics.append(.warning(.fileEmpty, "empty file", at: SourcePosition(line: 1, column: 1)))
        }

        var facts = Facts()
        if frontMatter.shape == .yamlRecord, let root = frontMatter.root {
            readRecord(root, into: &facts)
        } else if !source.isBinary {
            let repaired = FenceRepair.repair(frontMatter.body, firstLine: frontMatter.bodyFirstLine)
            diagnostics += repaired.diagnostics
            // cmark's own tree takes up to a hundred times the text (a 2 MB table: 266 MB), so
            // only the first `maxMarkdownBytes` are read for structure; the rest is still
            // searchable, as plain text.
            var markdown = repaired.text
            var plainRest: Substring = ""
            if markdown.utf8.count > maxMarkdownBytes {
                let limit = markdown.utf8.index(markdown.startIndex, offsetBy: maxMarkdownBytes)
                let cut = markdown[..<limit].lastIndex(of: "\n").map { markdown.index(after: $0) } ?? limit
                plainRest = markdown[cut...]
                markdown = markdown[..<cut]
                let line = frontMatter.bodyFirstLine + markdown.utf8.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
                diagnostics.append(
                    .warning(
                        .markdownTooLarge,
                        "the markdown is over \(maxMarkdownBytes / 1_048_576) MiB; from here on it is indexed as "
                            + "plain text, not read for sections, tables or patterns",
                        at: SourcePosition(line: line, column: 1)))
            }
            let (tree, truncation) = MarkdownParser.parseReportingTruncation(
                markdown, firstLine: frontMatter.bodyFirstLine)
            if let line = truncation.tooDeepAtLine {
                diagnostics.append(
                    .warning(
                        .markdownTooDeep,
                        "markdown nests deeper than \(MarkdownParser.maxDepth) levels; the deeper content is left out",
                        at: SourcePosition(line: line, column: 1)))
            }
            if let line = truncation.tooManyAtLine {
                diagnostics.append(
                    .warning(
                        .markdownTooDeep,
                        "markdown has more than \(MarkdownParser.maxNodes) elements; the rest, from here on, is "
                            + "left out",
                        at: SourcePosition(line: line, column: 1)))
            }
            readMarkdown(tree, into: &facts, diagnostics: &diagnostics)
            if !plainRest.isEmpty { facts.bodyText += "\n" + plainRest }
        }
        assemble(&document, facts: facts, frontMatter: frontMatter.root, file: file, aliases: options.aliases)
        document.diagnostics = diagnostics.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
        return document
    }

    /// Whether an error (a YAML error, an invalid byte) lies in the lines of the YAML.
    static func errorsInYAML(_ frontMatter: FrontMatterDocument) -> Bool {
        guard let yaml = frontMatter.yaml, frontMatter.diagnostics.contains(where: { $0.severity == .error }) else {
            return false
        }
        let lines =
            frontMatter.yamlFirstLine..<(frontMatter.yamlFirstLine + yaml.utf8.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 })
        return frontMatter.diagnostics.contains { $0.severity == .error && lines.contains($0.line) }
    }

    /// What the body says, before IDs, titles and kinds are decided.
    struct Facts {
        var headingID: String?
        var headingTitle: String?
        var fields: [HeaderField] = []
        var sections: [Section] = []
        var timeline: [TimelineEvent] = []
        var hotPatterns: [HotPattern] = []
        var patternsFromSection = false
        var tags: [String] = []
        var links: [Link] = []
        var codeBlocks: [CodeBlock] = []
        var bodyText = ""
        var symptom = ""
        var rootCause = ""
        /// `**Problem:**`, `**Root Cause:**` ... anywhere in the body: fallbacks for symptom and cause.
        var inlineFields: [String: String] = [:]
    }

    // MARK: Markdown

    static func readMarkdown(_ tree: MarkdownNode, into facts: inout Facts, diagnostics: inout [Diagnostic]) {
        let blocks = tree.children
        var texts: [String] = []
        texts.reserveCapacity(blocks.count)
        var sawSection = false
        var sawTitleHeading = false
        var lastRuleIndex: Int?
        var headingAfterRule = false
        var footerCandidates: [HeaderField] = []
        var sectionStack: [(level: Int, heading: String)] = []
        var hotPatternSection: (level: Int, blocks: [MarkdownNode])?
        var tagSectionLevel: Int?
        var symptomLevel: Int?
        var causeLevel: Int?
        var timelineLevel: Int?

        for (index, block) in blocks.enumerated() {
            if block.kind == .heading {
                let text = block.plainText.trimmed()
                texts.append(text)
                let level = block.headingLevel
                if level == 1 && !sawTitleHeading && !sawSection {
                    // The title's heading: the first H1, `# RIS-045: Title`. An H1 that is only
                    // the ID, or a section's name (`# Summary`), gives no title, and no later H1
                    // does (`# Impact` under `# Summary` is a section).
                    sawTitleHeading = true
                    var title = text
                    if let split = FieldValue.splitIdentifier(fromHeading: text) {
                        facts.headingID = split.id
                        title = split.title
                    }
                    if !title.isEmpty && !FieldValue.isGenericHeading(title) { facts.headingTitle = title }
                } else {
                    sawSection = true
                }
                facts.sections.append(Section(level: level, heading: text, line: block.line))
                headingAfterRule = true
                while let last = sectionStack.last, last.level >= level { sectionStack.removeLast() }
                sectionStack.append((level, text))
                // Matched with ASCII letters folded: as `lowercased()` would, without the copy.
                if let open = hotPatternSection, level <= open.level {
                    finishHotPatternSection(open.blocks, into: &facts, diagnostics: &diagnostics)
                    hotPatternSection = nil
                }
                if hotPatternSection != nil {
                    hotPatternSection!.blocks.append(block)
                } else if level >= 2 && (text.includesFolded("hot pattern") || text.includesFolded("hot-pattern")) {
                    hotPatternSection = (level, [])
                }
                tagSectionLevel =
                    (text.equalsFolded("tags") || text.equalsFolded("tag"))
                    ? level : (tagSectionLevel.map { level > $0 ? $0 : nil } ?? nil)
                symptomLevel =
                    text.includesFolded("symptom") ? level : (symptomLevel.map { level > $0 ? $0 : nil } ?? nil)
                causeLevel =
                    text.includesFolded("root cause") ? level : (causeLevel.map { level > $0 ? $0 : nil } ?? nil)
                timelineLevel =
                    text.includesFolded("timeline") ? level : (timelineLevel.map { level > $0 ? $0 : nil } ?? nil)
                continue
            }
            if hotPatternSection != nil { hotPatternSection!.blocks.append(block) }
            let text = blockText(block)
            // Code is searched in its own column; the body is prose.
            if block.kind != .codeBlock { texts.append(text) }
            if symptomLevel != nil { facts.symptom += (facts.symptom.isEmpty ? "" : "\n") + text }
            if causeLevel != nil { facts.rootCause += (facts.rootCause.isEmpty ? "" : "\n") + text }

            switch block.kind {
            case .thematicBreak:
                // A rule ends the timeline: the footer's `**Created By:**` is not an event.
                timelineLevel = nil
                lastRuleIndex = index
                headingAfterRule = false
                footerCandidates = []
            case .paragraph:
                let (lineFields, allFields) = fieldLines(of: block)
                for field in lineFields {
                    let key = field.name.lowercased()
                    if facts.inlineFields[key] == nil { facts.inlineFields[key] = field.value }
                }
                if allFields && !lineFields.isEmpty {
                    if !sawSection {
                        facts.fields += lineFields.map {
                            HeaderField(name: $0.name, value: $0.value, line: $0.line, placement: .header)
                        }
                    } else if lastRuleIndex != nil {
                        footerCandidates += lineFields.map {
                            HeaderField(name: $0.name, value: $0.value, line: $0.line, placement: .footer)
                        }
                    }
                }
                if tagSectionLevel != nil { facts.tags += tags(in: block) }
                if timelineLevel != nil { facts.timeline += TimelineReader.events(inParagraph: block) }
            case .list:
                if tagSectionLevel != nil { facts.tags += tags(in: block) }
                if timelineLevel != nil { facts.timeline += TimelineReader.events(inList: block) }
            case .codeBlock:
                if timelineLevel != nil { facts.timeline += TimelineReader.events(inCode: block) }
            case .table:
                let looksLikeTimeline = timelineLevel != nil || isTimelineHeader(block)
                if looksLikeTimeline { facts.timeline += timelineRows(of: block) }
            default:
                break
            }
        }
        if let open = hotPatternSection {
            finishHotPatternSection(open.blocks, into: &facts, diagnostics: &diagnostics)
        }
        if !headingAfterRule { facts.fields += footerCandidates }
        if facts.hotPatterns.isEmpty {
            // A hot-patterns file: entries under headings of their own.
            facts.hotPatterns = HotPatternReader.patterns(in: blocks, diagnostics: &diagnostics)
        }

        // Links and code blocks anywhere in the tree, in document order. Recursion is bounded by
        // the tree's depth (`MarkdownParser.maxDepth`). Walked by record, a node made only for
        // what is kept: a MarkdownNode for every node of the tree cost 1.4% of parsing.
        var links: [Link] = []
        var codeBlocks: [CodeBlock] = []
        let records = tree.tree.records
        func visit(_ index: Int) {
            let record = records[index]
            switch record.kind {
            case .link:
                let node = MarkdownNode(tree: tree.tree, index: index)
                let target = node.url
                if !target.isEmpty && !target.hasPrefix("#") {
                    let external = target.includes("://") || target.lowercased().hasPrefix("mailto:")
                    links.append(Link(text: node.plainText, target: target, line: node.line, external: external))
                }
            case .code:
                // `docs/05-kb/kb-x.md` written as code: a reference to a file of the knowledge base.
                let literal = MarkdownNode(tree: tree.tree, index: index).literal
                if literal.hasSuffix(".md"), !literal.contains(" ") {
                    links.append(Link(text: literal, target: literal, line: record.line, external: false))
                }
            case .codeBlock:
                let node = MarkdownNode(tree: tree.tree, index: index)
                codeBlocks.append(CodeBlock(language: node.language, line: record.line, text: node.literal))
            default:
                break
            }
            for child in record.firstChild..<(record.firstChild + record.childCount) { visit(child) }
        }
        visit(tree.index)
        facts.links = links
        facts.codeBlocks = codeBlocks
        facts.bodyText = texts.filter { !$0.isEmpty }.joinedInOnePiece(separator: "\n")
    }

    static func finishHotPatternSection(
        _ blocks: [MarkdownNode], into facts: inout Facts, diagnostics: inout [Diagnostic]
    ) {
        var found: [HotPattern] = []
        for block in blocks where block.kind == .codeBlock && (block.language == "markdown" || block.language == "md") {
            let inner = MarkdownParser.parse(Substring(block.literal), firstLine: block.line + 1)
            found += HotPatternReader.patterns(in: inner.children, diagnostics: &diagnostics)
        }
        if found.isEmpty { found = HotPatternReader.patterns(in: blocks, diagnostics: &diagnostics) }
        facts.hotPatterns += found
        facts.patternsFromSection = true
    }

    /// The `**Key:** value` lines of a paragraph, and whether every line is one.
    static func fieldLines(of paragraph: MarkdownNode) -> (
        fields: [(name: String, value: String, line: Int)], all: Bool
    ) {
        // A line is a field only when it starts with bold, one of the paragraph's own nodes: with
        // none (most prose), no line is one, and the lines need not be made.
        let children = paragraph.children
        if !children.isEmpty, !children.contains(where: { $0.kind == .strong }) { return ([], false) }
        var result: [(name: String, value: String, line: Int)] = []
        var all = true
        for (offset, line) in MarkdownLines.inlineLines(of: paragraph).enumerated() {
            if let field = field(in: line) {
                result.append((field.name, field.value, paragraph.line + offset))
            } else {
                all = false
            }
        }
        return (result, all)
    }

    /// The name a bold label gives (`**Name:**` and `**Name**` give `Name`), and whether its
    /// colon was inside the bold.
    static func labelName(of strong: MarkdownNode) -> (name: String, colonInside: Bool) {
        let name = strong.plainText.trimmed()
        guard let colon = lastColon(name) else { return (name, false) }
        return (name[..<colon].trimmed(), true)
    }

    /// Where `text`'s last Character starts when it is a lone `:`. On the bytes: a colon after
    /// an ASCII byte (or alone) is a Character of its own, as only a non-ASCII prepended mark
    /// could join it to the one before. `hasSuffix` and `removeLast` walked grapheme breaks:
    /// 1,400 instructions a label.
    static func lastColon(_ text: String) -> String.Index? {
        let bytes = text.utf8
        guard bytes.last == 0x3A else { return nil }
        let colon = bytes.index(before: bytes.endIndex)
        if colon == bytes.startIndex || bytes[bytes.index(before: colon)] < 0x80 { return colon }
        return text.hasSuffix(":") ? text.index(before: text.endIndex) : nil
    }

    /// Where what follows `text`'s first Character starts when it is a lone `:`: a colon before
    /// an ASCII byte (or alone) is one, as only non-ASCII marks join a colon to what follows it.
    static func afterFirstColon(_ text: String) -> String.Index? {
        let bytes = text.utf8
        guard bytes.first == 0x3A else { return nil }
        let next = bytes.index(after: bytes.startIndex)
        if next == bytes.endIndex || bytes[next] < 0x80 { return next }
        return text.hasPrefix(":") ? text.index(after: text.startIndex) : nil
    }

    /// `**Name:** value` or `**Name**: value`.
    static func field(in line: MarkdownNodes) -> (name: String, value: String)? {
        guard let first = line.first, first.kind == .strong else { return nil }
        let (name, colonInside) = labelName(of: first)
        let rest = line.dropFirst().plainText
        var value = rest[...]
        if !colonInside {
            guard let start = afterFirstColon(rest) else { return nil }
            value = rest[start...]
        }
        // Counting Characters walks grapheme breaks: a name of at most 60 bytes has at most 60.
        guard !name.isEmpty, name.utf8.count <= 60 || name.count <= 60 else { return nil }
        return (name, value.trimmed())
    }

    static func tags(in block: MarkdownNode) -> [String] {
        var codes: [String] = []
        func visit(_ node: MarkdownNode) {
            if node.kind == .code { codes.append(node.literal) }
            for child in node.children { visit(child) }
        }
        visit(block)
        if !codes.isEmpty { return codes.map { $0.trimmed() }.filter { !$0.isEmpty } }
        return block.plainText.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\n" })
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "#`*- ")) }
            .filter { !$0.isEmpty }
    }

    static func cells(of row: MarkdownNode) -> [String] {
        row.children.map { $0.plainText.trimmed() }
    }

    static func isTimelineHeader(_ table: MarkdownNode) -> Bool {
        guard let header = table.children.first else { return false }
        let names = cells(of: header).map { $0.lowercased() }
        guard let first = names.first else { return false }
        return TimelineReader.timeKeys.contains(first)
            && names.dropFirst().contains { TimelineReader.eventKeys.contains($0) }
    }

    static func timelineRows(of table: MarkdownNode) -> [TimelineEvent] {
        guard let header = table.children.first else { return [] }
        let names = cells(of: header).map { $0.lowercased() }
        let eventColumn = names.firstIndex { TimelineReader.eventKeys.contains($0) } ?? 1
        return table.children.dropFirst().compactMap { row in
            let values = cells(of: row)
            guard let time = values.first, !(time.isEmpty && values.allSatisfy(\.isEmpty)) else { return nil }
            let event = eventColumn < values.count ? values[eventColumn] : values.dropFirst().joined(separator: " | ")
            return TimelineEvent(time: time, event: event, line: row.line)
        }
    }

    /// A block's readable text: table cells separated by ` | `, code as written.
    static func blockText(_ block: MarkdownNode) -> String {
        switch block.kind {
        case .codeBlock, .htmlBlock: return block.literal
        case .thematicBreak: return ""
        case .table:
            return block.children.map { cells(of: $0).joinedInOnePiece(separator: " | ") }.joinedInOnePiece(
                separator: "\n")
        case .paragraph, .heading: return block.plainText
        default: return block.children.map(blockText).filter { !$0.isEmpty }.joinedInOnePiece(separator: "\n")
        }
    }

    // MARK: YAML records

    static func readRecord(_ root: YAMLNode, into facts: inout Facts) {
        let skipped: Set<String> = ["compliance"]
        var named = Set<String>()
        for (depth, container) in root.metadataContainers.enumerated() {
            for pair in container.pairs ?? [] {
                guard let key = pair.key.scalarText else { continue }
                let normalized = pair.normalizedKey ?? key
                if skipped.contains(normalized)
                    || (depth == 0 && FieldAliases.metadataContainers.contains(normalized) && pair.value.pairs != nil)
                {
                    continue
                }
                if let text = pair.value.scalarText, !text.contains("\n") {
                    // Keys of `metadata:` are fields as if at the top level; the top level wins.
                    guard named.insert(normalized).inserted else { continue }
                    facts.fields.append(
                        HeaderField(name: key, value: text, line: pair.key.position.line, placement: .record))
                } else if depth == 0 {
                    facts.sections.append(
                        Section(level: 2, heading: FieldValue.title(fromFileStem: key), line: pair.key.position.line))
                }
            }
        }
        func text(_ node: YAMLNode?) -> String { node?.allText(joinedBy: "\n") ?? "" }
        let problem = root["problem"]
        facts.symptom = text(root["symptom"] ?? problem?["symptom"] ?? problem?["summary"] ?? problem ?? root["error"])
        facts.rootCause = text(root["root-cause"] ?? problem?["root-cause"] ?? root["cause"])
        for key in ["hot-pattern", "hot-patterns", "hot-pattern-entry"] {
            guard let node = root[key] else { continue }
            for entry in node.items ?? [node] where entry.pairs != nil {
                facts.hotPatterns.append(HotPatternReader.pattern(fromYAML: entry))
            }
        }
        facts.bodyText = root.allText(joinedBy: "\n")
    }

    // MARK: Assembly

    static func assemble(
        _ document: inout RISDocument, facts: Facts, frontMatter: YAMLNode?, file: FilePath, aliases: FieldAliases
    ) {
        let stem = file.stem
        // The header's fields, then the YAML, then the footer's; a YAML record's own scalars are
        // its YAML (top level before nested metadata), not fields of a body.
        let metadata = MetadataLookup(
            fields: facts.fields.filter { $0.placement == .header },
            footer: facts.fields.filter { $0.placement == .footer }, root: frontMatter, aliases: aliases)
        func text(_ value: String) -> String? {
            let trimmed = value.trimmed()
            return trimmed.isEmpty || trimmed.contains("\n") ? nil : trimmed
        }
        let statedID = metadata.first(.id, text)
        let fileID = FieldValue.identifier(inFileStem: stem)
        // The heading's ID and a stated one (a key, an `**ID:**` line) that differ: the one the
        // file name confirms; else the stated one when the heading shortens it (`# RIS-DATA-001:`
        // for `RIS-DATA-001-ORGANIZATION-ID-MISMATCH`); else the heading's, the record's own
        // (`incident_id: PD-48213` names the pager's incident, not the record).
        if let headingID = facts.headingID, let statedID, headingID != statedID {
            if let fileID, fileID.caseInsensitiveCompare(statedID) == .orderedSame {
                document.id = statedID
            } else if fileID?.caseInsensitiveCompare(headingID) == .orderedSame {
                document.id = headingID
            } else {
                document.id = statedID.uppercased().hasPrefix(headingID.uppercased() + "-") ? statedID : headingID
            }
        } else {
            document.id = facts.headingID ?? statedID ?? fileID ?? stem
        }
        // An explicit title (a `title:` key, a `**Title:**` field) wins over the heading.
        document.title = metadata.first(.title, text) ?? facts.headingTitle ?? titleFromStem(stem, id: document.id)
        if document.title.isEmpty { document.title = document.id }
        document.fields = facts.fields
        document.sections = facts.sections
        document.timeline = facts.timeline
        if document.timeline.isEmpty, let root = frontMatter, let node = TimelineReader.timelineNode(in: root) {
            document.timeline = TimelineReader.events(inYAML: node)
        }
        document.hotPatterns = facts.hotPatterns
        document.links = facts.links
        document.codeBlocks = facts.codeBlocks

        document.severity = metadata.first(.severity, FieldValue.severity)
        document.status = metadata.first(.status, FieldValue.label)
        document.project = metadata.first(.project, text)
        func front(_ keys: [String]) -> String? {
            for key in keys {
                if let text = frontMatter?[key]?.scalarText?.trimmed(), !text.isEmpty { return text }
            }
            return nil
        }
        document.category = metadata.fields["category"].flatMap(text) ?? front(["category"])
        // The incident's date; without one, the record's creation date.
        document.date = metadata.first(.date, FieldValue.day(in:)) ?? metadata.first(.created, FieldValue.day(in:))
        document.resolutionMinutes =
            ["resolution-time", "time-to-resolve", "time-to-resolution", "duration"].lazy
            .compactMap { metadata.fields[$0].flatMap(FieldValue.minutes(in:)) }.first
            ?? front(["resolution-time", "resolution-minutes"]).flatMap(FieldValue.minutes(in:))

        var tags = facts.tags
        if let list = frontMatter?["tags"] {
            tags +=
                list.items?.compactMap(\.scalarText)
                ?? list.scalarText?.split(separator: ",").map { $0.trimmed() } ?? []
        }
        var seen = Set<String>()
        document.tags = tags.filter { !$0.isEmpty && seen.insert($0.lowercased()).inserted }
        if let relates = frontMatter?["relates-to"] {
            for item in relates.items ?? [relates] {
                if let target = item.scalarText {
                    document.links.append(Link(text: target, target: target, line: item.position.line, external: false))
                }
            }
        }
        document.symptomText =
            facts.symptom.isEmpty
            ? (facts.inlineFields["symptom"] ?? facts.inlineFields["problem"] ?? "") : facts.symptom
        document.rootCauseText = facts.rootCause.isEmpty ? (facts.inlineFields["root cause"] ?? "") : facts.rootCause
        document.bodyText = facts.bodyText

        // Kind: what the file is for.
        let name = file.name.lowercased()
        let path = "/" + file.path.lowercased()
        let category = front(["type", "category", "kind"])?.lowercased()
        let idUpper = document.id.uppercased()
        // Stated in the body or the YAML record itself: a front matter `priority` alone does not
        // make an incident.
        let stated = MetadataLookup(
            fields: facts.fields.filter { $0.placement != .footer }, root: nil, aliases: aliases)
        let statesSeverity = ["severity", "sev", "severity-level", "incident-severity"].contains { name in
            stated.fields[name].flatMap(FieldValue.severity) != nil
        }
        let isKB =
            name.hasPrefix("kb-") || path.includes("/05-kb/") || category == "kb" || idUpper.hasPrefix("KB-")
            || frontMatter?["derived-from"] != nil
        if name.includes("hot-pattern") || name.includes("hot_pattern") {
            document.kind = .hotPattern
        } else if isKB {
            document.kind = .kb
        } else if !facts.hotPatterns.isEmpty && !facts.patternsFromSection && facts.headingID == nil && statedID == nil
            && !statesSeverity
        {
            document.kind = .hotPattern
        } else if ["RIS", "RES", "INC"].contains(where: { idUpper.hasPrefix($0 + "-") }) || statesSeverity
            || (stated.firstField(.status, FieldValue.label) != nil && document.timeline.contains { !$0.time.isEmpty })
            || category == "ris" || category == "incident"
        {
            document.kind = .ris
        } else {
            document.kind = .doc
        }
    }
}

/// A path's parts, without Foundation's URL (which costs more than parsing a small record).
struct FilePath {
    let path: String

    init(_ path: String) { self.path = path }

    /// The last component: `RIS-045.md`. (The separators are found as bytes, as the file system
    /// reads them: a backward search of Characters cost 45,000 instructions a record.)
    var name: String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[path.utf8.index(after: slash)...])
    }

    /// `md` for `a/RIS-045.md`; empty without an extension.
    var pathExtension: String {
        let name = self.name
        guard let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")), dot != name.startIndex else { return "" }
        return String(name[name.utf8.index(after: dot)...])
    }

    /// The name without its extension: `RIS-045`.
    var stem: String {
        let name = self.name
        guard let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }
}
