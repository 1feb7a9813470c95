import CCmarkGFM
import CRISSystem

/// The kinds of markdown node the readers tell apart (cmark's node types), as a number: comparing
/// Strings of different bytes takes Swift's slow path (90 instructions), and every node's kind is
/// asked several times (`plainText` alone: 5 times a node).
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

/// A markdown node read by cmark-gfm, with file positions, copied out of the C tree so
/// that it can be kept and shared. A class, not a struct: the readers pass nodes and arrays of
/// them around, and a copy of a struct of four references was four reference counts (a tenth
/// of a parse in the value witnesses that copied and destroyed them); a node is never changed.
public final class MarkdownNode: Sendable {
    /// What the node is: heading, paragraph, code block, table, text, link ...
    public let kind: MarkdownKind
    /// File line (1-based) where the node starts.
    public let line: Int
    public let column: Int
    public let endLine: Int
    /// Text of `text`, `code`, `code_block`, `html_*` nodes.
    public let literal: String
    /// Info string of a fenced code block.
    public let fenceInfo: String
    /// Destination of a link or image.
    public let url: String
    /// Level of a heading.
    public let headingLevel: Int
    public let children: [MarkdownNode]

    public init(
        kind: MarkdownKind, line: Int, column: Int, endLine: Int, literal: String, fenceInfo: String, url: String,
        headingLevel: Int, children: [MarkdownNode]
    ) {
        self.kind = kind
        self.line = line
        self.column = column
        self.endLine = endLine
        self.literal = literal
        self.fenceInfo = fenceInfo
        self.url = url
        self.headingLevel = headingLevel
        self.children = children
    }

    /// The plain text of inline content: code spans without backticks, breaks as spaces.
    public var plainText: String {
        switch kind {
        case .text, .code, .htmlInline: return literal
        case .softbreak, .linebreak: return " "
        default:
            var text = ""
            appendPlainText(to: &text)
            return text
        }
    }

    /// Appends `plainText` to `text`: one String for a whole subtree, not one per node joined.
    public func appendPlainText(to text: inout String) {
        switch kind {
        case .text, .code, .htmlInline: text += literal
        case .softbreak, .linebreak: text += " "
        default: for child in children { child.appendPlainText(to: &text) }
        }
    }

    /// The first word of a code block's info string, lower-cased.
    public var language: String {
        fenceInfo.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "{" }).first.map { $0.lowercased() } ?? ""
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
        let empty = MarkdownNode(
            kind: .document, line: firstLine, column: 1, endLine: firstLine, literal: "", fenceInfo: "", url: "",
            headingLevel: 0, children: [])
        // cmark allocates from this thread's arena (about 470 allocations and as many frees a
        // record, 7% of a parse through malloc); all of it is returned at once when the tree
        // has been copied.
        let arena = UnsafeMutablePointer<cmark_mem>(OpaquePointer(ris_arena()))
        guard let parser = cmark_parser_new_with_mem(CMARK_OPT_SOURCEPOS, arena) else {
            return (empty, Truncation())
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
        guard let root = cmark_parser_finish(parser) else { return (empty, Truncation()) }
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

    /// Copies the C tree. Recursion is bounded by `maxDepth`, so deeply nested input
    /// cannot exhaust the stack; deeper content is left out and reported.
    private static func convert(_ root: OpaquePointer, lineOffset: Int) -> (root: MarkdownNode, truncation: Truncation)
    {
        var truncation = Truncation()
        var copied = 0
        func copy(_ node: OpaquePointer, depth: Int) -> MarkdownNode {
            copied += 1
            let kind = kind(of: node)
            var literal = ""
            var fenceInfo = ""
            var url = ""
            var level = 0
            switch kind {
            case .text, .code, .codeBlock, .htmlBlock, .htmlInline:
                literal = cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
                if kind == .codeBlock {
                    fenceInfo = cmark_node_get_fence_info(node).map { String(cString: $0) } ?? ""
                }
            case .link, .image:
                url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
            case .heading:
                level = Int(cmark_node_get_heading_level(node))
            default:
                break
            }
            var children: [MarkdownNode] = []
            var child = cmark_node_first_child(node)
            if child != nil && depth >= maxDepth {
                if truncation.tooDeepAtLine == nil {
                    truncation.tooDeepAtLine = Int(cmark_node_get_start_line(node)) + lineOffset
                }
                child = nil
            }
            if child != nil {
                // One allocation for the children, not one per doubling; no room beyond `maxNodes`.
                let room = maxNodes - copied
                var count = 0
                var sibling = child
                while let current = sibling, count < room {
                    count += 1
                    sibling = cmark_node_next(current)
                }
                children.reserveCapacity(count)
            }
            while let current = child {
                if copied >= maxNodes {
                    if truncation.tooManyAtLine == nil {
                        truncation.tooManyAtLine = Int(cmark_node_get_start_line(current)) + lineOffset
                    }
                    break
                }
                children.append(copy(current, depth: depth + 1))
                child = cmark_node_next(current)
            }
            return MarkdownNode(
                kind: kind,
                line: Int(cmark_node_get_start_line(node)) + lineOffset,
                column: Int(cmark_node_get_start_column(node)),
                endLine: Int(cmark_node_get_end_line(node)) + lineOffset,
                literal: literal, fenceInfo: fenceInfo, url: url, headingLevel: level, children: children)
        }
        let result = copy(root, depth: 0)
        return (result, truncation)
    }
}
