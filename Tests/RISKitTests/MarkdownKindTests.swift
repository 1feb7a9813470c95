import CCmarkGFM
import XCTest

@testable import RISKit

/// The readers test a node's `kind`, a number taken from cmark's type number: every node of a
/// document using every construct, as cmark-gfm reads it, gets the kind of its type name, and the
/// names the readers tell apart are all known.
final class MarkdownKindTests: XCTestCase {
    /// A document using every construct the readers tell apart (the arena tests parse it too).
    static let everyConstruct = """
        # Heading

        A paragraph with **strong**, *emph*, `code`, a [link](https://example.com), an ![image](i.png),
        <span>html</span> and a hard  
        break.

        > a quote

        - an item
        - another

        ---

        ```swift
        let code = 1
        ```

        <div>html block</div>

        | a | b |
        |---|---|
        | 1 | 2 |
        | 3 | 4 |

        ~~struck~~ https://autolink.example.com
        """

    func testEveryNodeHasTheKindOfItsTypeName() {
        let text = Self.everyConstruct
        // cmark's own tree, read with the extensions MarkdownParser attaches.
        _ = MarkdownParser.parse(Substring(""))  // registers the extensions
        guard let parser = cmark_parser_new(CMARK_OPT_SOURCEPOS) else { return XCTFail("no parser") }
        defer { cmark_parser_free(parser) }
        for name in ["table", "strikethrough", "autolink"] {
            cmark_parser_attach_syntax_extension(parser, cmark_find_syntax_extension(name))
        }
        cmark_parser_feed(parser, text, text.utf8.count)
        guard let root = cmark_parser_finish(parser) else { return XCTFail("no tree") }
        defer { cmark_node_free(root) }
        var seen: [String: MarkdownKind] = [:]
        var read: [MarkdownKind] = []
        func walk(_ node: OpaquePointer) {
            let name = String(cString: cmark_node_get_type_string(node))
            let kind = MarkdownParser.kind(of: node)
            XCTAssertEqual(kind, MarkdownKind(typeName: name), name)
            seen[name] = kind
            read.append(kind)
            var child = cmark_node_first_child(node)
            while let current = child {
                walk(current)
                child = cmark_node_next(current)
            }
        }
        walk(root)
        // The copied tree carries the same kinds, in the same order.
        var copied: [MarkdownKind] = []
        func collect(_ node: MarkdownNode) {
            copied.append(node.kind)
            node.children.forEach(collect)
        }
        collect(MarkdownParser.parse(Substring(text)))
        XCTAssertEqual(copied, read)
        let expected: [String: MarkdownKind] = [
            "document": .document, "heading": .heading, "paragraph": .paragraph, "text": .text, "strong": .strong,
            "emph": .emph, "code": .code, "link": .link, "image": .image, "html_inline": .htmlInline,
            "linebreak": .linebreak, "softbreak": .softbreak, "block_quote": .blockQuote, "list": .list,
            "item": .item, "thematic_break": .thematicBreak, "code_block": .codeBlock, "html_block": .htmlBlock,
            "table": .table, "table_cell": .tableCell,
        ]
        for (name, kind) in expected {
            XCTAssertEqual(seen[name], kind, "\(name) was read, with its kind")
        }
        XCTAssertEqual(seen["table_row"] ?? seen["table_header"], .tableRow, "a table's rows")
        XCTAssertEqual(seen["strikethrough"], .other)
        XCTAssertEqual(MarkdownKind(typeName: "footnote_definition"), .other)
    }
}
