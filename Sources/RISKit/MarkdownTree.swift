import CCmarkGFM
import CRISSystem
import Glibc

/// The kinds of markdown node the readers tell apart (cmark's node types), as a number: comparing
/// Strings of different bytes takes Swift's slow path (90 instructions), and every node's kind is
/// asked several times (by the readers, and twice a node by `plainText`).
public enum MarkdownKind: UInt8, Sendable {
    case document, heading, paragraph, text, code, codeBlock, htmlBlock, htmlInline, softbreak, linebreak
    case strong, emph, link, image, list, item, blockQuote, thematicBreak, table, tableRow, tableCell, other

    /// The kind of cmark's type name (`cmark_node_get_type_string`): the mapping that
    /// `MarkdownParser.kind(of:)` makes from type numbers, which the tests check against it.
    public init(typeName: String) {
        switch typeName {
        case "document": self = .document
        case "heading": self = .heading
        case "paragraph": self = .paragraph
        case "text": self = .text
        case "code": self = .code
        case "code_block": self = .codeBlock
        case "html_block": self = .htmlBlock
        case "html_inline": self = .htmlInline
        case "softbreak": self = .softbreak
        case "linebreak": self = .linebreak
        case "strong": self = .strong
        case "emph": self = .emph
        case "link": self = .link
        case "image": self = .image
        case "list": self = .list
        case "item": self = .item
        case "block_quote": self = .blockQuote
        case "thematic_break": self = .thematicBreak
        case "table": self = .table
        // cmark-gfm names a table's header row `table_header`, its other rows `table_row`: one
        // type number for both.
        case "table_row", "table_header": self = .tableRow
        case "table_cell": self = .tableCell
        default: self = .other
        }
    }
}

/// A markdown node read by cmark-gfm, with file positions: a position in the flat copy of the
/// C tree that `MarkdownParser` makes (`MarkdownTree`). A tree is one array of fixed-size
/// records and one buffer of the nodes' texts: a class per node, an array per node's children
/// and a String per text were about a fifth of a parse, in allocating, copying into and
/// freeing them. A node keeps its tree alive; nothing in a tree is changed once made.
public struct MarkdownNode: Sendable {
    /// The tree the node is in.
    let tree: MarkdownTree
    /// The node's place in `tree.records`.
    let index: Int

    var record: MarkdownTree.Record { tree.records[index] }

    /// What the node is: heading, paragraph, code block, table, text, link ...
    public var kind: MarkdownKind { tree.records[index].kind }
    /// File line (1-based) where the node starts.
    public var line: Int { tree.records[index].line }
    public var column: Int { tree.records[index].column }
    public var endLine: Int { tree.records[index].endLine }
    /// Text of `text`, `code`, `code_block`, `html_*` nodes.
    public var literal: String {
        let record = record
        return tree.string(record.textStart, record.literalCount)
    }
    /// Info string of a fenced code block.
    public var fenceInfo: String {
        let record = record
        guard record.kind == .codeBlock else { return "" }
        return tree.string(record.textStart + record.literalCount, record.secondCount)
    }
    /// Destination of a link or image.
    public var url: String {
        let record = record
        guard record.kind == .link || record.kind == .image else { return "" }
        return tree.string(record.textStart, record.secondCount)
    }
    /// Level of a heading.
    public var headingLevel: Int { tree.records[index].headingLevel }
    /// The node's children, in order.
    public var children: MarkdownNodes {
        let record = record
        return MarkdownNodes(tree: tree, startIndex: record.firstChild, endIndex: record.firstChild + record.childCount)
    }

    /// The plain text of inline content: code spans without backticks, breaks as spaces.
    public var plainText: String { tree.plainText(of: index..<index + 1) }

    /// The first word of a code block's info string, lower-cased.
    public var language: String {
        fenceInfo.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "{" }).first.map { $0.lowercased() } ?? ""
    }
}

/// Siblings of a tree, in order: a node's children, or a run of them (its own slices).
public struct MarkdownNodes: RandomAccessCollection, Sendable {
    let tree: MarkdownTree
    public let startIndex: Int
    public let endIndex: Int

    public subscript(position: Int) -> MarkdownNode {
        precondition(position >= startIndex && position < endIndex, "markdown node index out of range")
        return MarkdownNode(tree: tree, index: position)
    }

    public subscript(bounds: Range<Int>) -> MarkdownNodes {
        precondition(bounds.lowerBound >= startIndex && bounds.upperBound <= endIndex, "markdown nodes out of range")
        return MarkdownNodes(tree: tree, startIndex: bounds.lowerBound, endIndex: bounds.upperBound)
    }

    /// The plain text of the nodes one after another, in one String.
    public var plainText: String { tree.plainText(of: startIndex..<endIndex) }
}

/// The flat copy of a C tree: records in which each node's children are consecutive, and the
/// texts of all nodes in one buffer.
final class MarkdownTree: Sendable {
    struct Record: Sendable {
        var kind: MarkdownKind = .other
        var headingLevel = 0
        var line = 0
        var column = 0
        var endLine = 0
        var firstChild = 0
        var childCount = 0
        /// Where the node's texts start in `bytes`: the literal, then a code block's info
        /// string (`secondCount` bytes); a link's or image's URL.
        var textStart = 0
        var literalCount = 0
        var secondCount = 0
    }

    let records: [Record]
    let bytes: [UInt8]

    init(records: [Record], bytes: [UInt8]) {
        self.records = records
        self.bytes = bytes
    }

    func string(_ start: Int, _ count: Int) -> String {
        guard count > 0 else { return "" }
        return bytes.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[start..<start + count]), as: UTF8.self)
        }
    }

    /// The plain text of the subtrees of `nodes` (siblings), as `MarkdownNode.plainText` of
    /// each joined: text, code and inline HTML as written, breaks as spaces. Measured first,
    /// then written into one String.
    func plainText(of nodes: Range<Int>) -> String {
        func visit(_ nodes: Range<Int>, _ body: (Int, Int) -> Void) {
            for index in nodes {
                let record = records[index]
                switch record.kind {
                case .text, .code, .htmlInline: body(record.textStart, record.literalCount)
                case .softbreak, .linebreak: body(-1, 1)
                default: visit(record.firstChild..<record.firstChild + record.childCount, body)
                }
            }
        }
        var total = 0
        visit(nodes) { _, count in total += count }
        guard total > 0 else { return "" }
        return bytes.withUnsafeBufferPointer { source in
            String(unsafeUninitializedCapacity: total) { target in
                var written = 0
                visit(nodes) { start, count in
                    if start < 0 {
                        target[written] = UInt8(ascii: " ")
                    } else {
                        _ = UnsafeMutableBufferPointer(rebasing: target[written..<written + count])
                            .initialize(from: source[start..<start + count])
                    }
                    written += count
                }
                return written
            }
        }
    }
}

/// Parses markdown with cmark-gfm (tables, strikethrough, autolinks) into `MarkdownNode`s.
public enum MarkdownParser {
    private static let extensionsRegistered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    /// Deepest nesting copied; deeper content (thousands of `>` or list markers) is left out.
    public static let maxDepth = 128

    /// Most nodes copied: a record has a few thousand; a table of 10,000 rows by 50 columns
    /// has a million, which took 380 MB. Beyond this the rest is left out and reported.
    public static let maxNodes = 200_000

    /// What was left out of a tree: content nested deeper than `maxDepth`, and content past
    /// the first `maxNodes` nodes, by the file line where each began.
    public struct Truncation: Sendable {
        public var tooDeepAtLine: Int?
        public var tooManyAtLine: Int?
    }

    /// Parses `text`, whose first line is line `firstLine` of the file.
    public static func parse(_ text: Substring, firstLine: Int = 1) -> MarkdownNode {
        parseReportingTruncation(text, firstLine: firstLine).root
    }

    /// Parses `text` and tells what was left out (see `Truncation`).
    public static func parseReportingTruncation(_ text: Substring, firstLine: Int = 1) -> (
        root: MarkdownNode, truncation: Truncation
    ) {
        _ = extensionsRegistered
        // A tree of the document node alone, where cmark gives none.
        func empty() -> (root: MarkdownNode, truncation: Truncation) {
            var record = MarkdownTree.Record()
            (record.kind, record.line, record.column, record.endLine) = (.document, firstLine, 1, firstLine)
            return (MarkdownNode(tree: MarkdownTree(records: [record], bytes: []), index: 0), Truncation())
        }
        // cmark allocates from this thread's arena (about 470 allocations and as many frees a
        // record, 7% of a parse through malloc); all of it is returned at once when the tree
        // has been copied.
        let arena = UnsafeMutablePointer<cmark_mem>(OpaquePointer(ris_arena()))
        guard let parser = cmark_parser_new_with_mem(CMARK_OPT_SOURCEPOS, arena) else {
            return empty()
        }
        defer {
            cmark_parser_free(parser)
            ris_arena_reset()
        }
        for name in ["table", "strikethrough", "autolink"] {
            if let syntaxExtension = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, syntaxExtension)
            }
        }
        // Fed from the string's own storage: no copy of the body.
        func feed(_ buffer: UnsafeBufferPointer<UInt8>) {
            guard let base = buffer.baseAddress, buffer.count > 0 else { return }
            UnsafeRawPointer(base).withMemoryRebound(to: CChar.self, capacity: buffer.count) { pointer in
                cmark_parser_feed(parser, pointer, buffer.count)
            }
        }
        if text.utf8.withContiguousStorageIfAvailable(feed) == nil {
            Array(text.utf8).withUnsafeBufferPointer(feed)
        }
        guard let root = cmark_parser_finish(parser) else { return empty() }
        defer { cmark_node_free(root) }
        return convert(root, lineOffset: firstLine - 1)
    }

    /// The kind of a node of cmark's tree, from its type number: cmark's own types are constants
    /// of its header, the GFM extensions' are numbered as they register (`extensionTypes`). A
    /// lookup of the type's name, under a lock, was a third of copying the tree.
    static func kind(of node: OpaquePointer) -> MarkdownKind {
        let type = cmark_node_get_type(node)
        switch type {
        case CMARK_NODE_TEXT: return .text
        case CMARK_NODE_PARAGRAPH: return .paragraph
        case CMARK_NODE_SOFTBREAK: return .softbreak
        case CMARK_NODE_CODE: return .code
        case CMARK_NODE_STRONG: return .strong
        case CMARK_NODE_HEADING: return .heading
        case CMARK_NODE_ITEM: return .item
        case CMARK_NODE_LIST: return .list
        case CMARK_NODE_EMPH: return .emph
        case CMARK_NODE_LINK: return .link
        case CMARK_NODE_CODE_BLOCK: return .codeBlock
        case CMARK_NODE_DOCUMENT: return .document
        case CMARK_NODE_LINEBREAK: return .linebreak
        case CMARK_NODE_HTML_INLINE: return .htmlInline
        case CMARK_NODE_HTML_BLOCK: return .htmlBlock
        case CMARK_NODE_IMAGE: return .image
        case CMARK_NODE_BLOCK_QUOTE: return .blockQuote
        case CMARK_NODE_THEMATIC_BREAK: return .thematicBreak
        default:
            let known = extensionTypes
            switch type.rawValue {
            case known.table: return .table
            case known.tableRow: return .tableRow
            case known.tableCell: return .tableCell
            default: return .other
            }
        }
    }

    /// The type numbers the table extension got, learnt once from a table cmark reads (0, which
    /// no node has, for any it did not read).
    private static let extensionTypes: (table: UInt32, tableRow: UInt32, tableCell: UInt32) = {
        _ = extensionsRegistered
        guard let parser = cmark_parser_new(CMARK_OPT_DEFAULT) else { return (0, 0, 0) }
        defer { cmark_parser_free(parser) }
        if let table = cmark_find_syntax_extension("table") {
            cmark_parser_attach_syntax_extension(parser, table)
        }
        let sample = "| a |\n| - |\n| b |\n"
        cmark_parser_feed(parser, sample, sample.utf8.count)
        guard let root = cmark_parser_finish(parser) else { return (0, 0, 0) }
        defer { cmark_node_free(root) }
        let table = cmark_node_first_child(root)
        let row = table.flatMap { cmark_node_first_child($0) }
        let cell = row.flatMap { cmark_node_first_child($0) }
        func number(_ node: OpaquePointer?, of kind: MarkdownKind) -> UInt32 {
            guard let node, let name = cmark_node_get_type_string(node),
                MarkdownKind(typeName: String(cString: name)) == kind
            else { return 0 }
            return cmark_node_get_type(node).rawValue
        }
        return (number(table, of: .table), number(row, of: .tableRow), number(cell, of: .tableCell))
    }()

    /// Copies the C tree into a `MarkdownTree`, each node's children in consecutive records.
    /// Recursion is bounded by `maxDepth`, so deeply nested input cannot exhaust the stack;
    /// deeper content is left out and reported.
    private static func convert(_ root: OpaquePointer, lineOffset: Int) -> (root: MarkdownNode, truncation: Truncation)
    {
        var copier = TreeCopier(lineOffset: lineOffset)
        copier.copy(root, depth: 0, into: 0)
        return (
            MarkdownNode(tree: MarkdownTree(records: copier.records, bytes: copier.bytes), index: 0), copier.truncation
        )
    }

    /// The copy of a C tree being made. A struct in a local variable: its arrays are checked for
    /// exclusive access when compiled (the variables local functions captured were checked at
    /// every access, at run time).
    private struct TreeCopier {
        let lineOffset: Int
        var truncation = Truncation()
        var copied = 0
        var records: [MarkdownTree.Record] = [MarkdownTree.Record()]
        var bytes: [UInt8] = []

        init(lineOffset: Int) {
            self.lineOffset = lineOffset
        }

        mutating func append(_ text: UnsafePointer<CChar>?) -> Int {
            guard let text else { return 0 }
            let count = strlen(text)
            text.withMemoryRebound(to: UInt8.self, capacity: count) {
                bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: count))
            }
            return count
        }

        mutating func copy(_ node: OpaquePointer, depth: Int, into slot: Int) {
            copied += 1
            var record = MarkdownTree.Record()
            let kind = MarkdownParser.kind(of: node)
            record.kind = kind
            record.textStart = bytes.count
            switch kind {
            case .text, .code, .codeBlock, .htmlBlock, .htmlInline:
                record.literalCount = append(cmark_node_get_literal(node))
                if kind == .codeBlock { record.secondCount = append(cmark_node_get_fence_info(node)) }
            case .link, .image:
                record.secondCount = append(cmark_node_get_url(node))
            case .heading:
                record.headingLevel = Int(cmark_node_get_heading_level(node))
            default:
                break
            }
            record.line = Int(cmark_node_get_start_line(node)) + lineOffset
            record.column = Int(cmark_node_get_start_column(node))
            record.endLine = Int(cmark_node_get_end_line(node)) + lineOffset
            var child = cmark_node_first_child(node)
            if child != nil && depth >= maxDepth {
                if truncation.tooDeepAtLine == nil {
                    truncation.tooDeepAtLine = Int(cmark_node_get_start_line(node)) + lineOffset
                }
                child = nil
            }
            if child != nil {
                // Places for the children, side by side; none beyond `maxNodes`.
                let room = maxNodes - copied
                var count = 0
                var sibling = child
                while let current = sibling, count < room {
                    count += 1
                    sibling = cmark_node_next(current)
                }
                record.firstChild = records.count
                records.append(contentsOf: repeatElement(MarkdownTree.Record(), count: count))
            }
            var filled = 0
            while let current = child {
                if copied >= maxNodes {
                    if truncation.tooManyAtLine == nil {
                        truncation.tooManyAtLine = Int(cmark_node_get_start_line(current)) + lineOffset
                    }
                    break
                }
                copy(current, depth: depth + 1, into: record.firstChild + filled)
                filled += 1
                child = cmark_node_next(current)
            }
            record.childCount = filled
            records[slot] = record
        }
    }
}
