import XCTest

@testable import RISKit

/// The readers test a node's `kind`, a number made from cmark's type name once per type: every
/// node of a document using every construct gets the kind of its name, and the names the
/// readers tell apart are all known.
final class MarkdownKindTests: XCTestCase {
    func testEveryNodeHasTheKindOfItsTypeName() {
        let text = """
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
        var seen: [String: MarkdownKind] = [:]
        func walk(_ node: MarkdownNode) {
            XCTAssertEqual(node.kind, MarkdownKind(typeName: node.type), node.type)
            seen[node.type] = node.kind
            node.children.forEach(walk)
        }
        walk(MarkdownParser.parse(Substring(text)))
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
