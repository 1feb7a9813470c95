import CCmarkGFM
import CRISSystem
import Dispatch
import XCTest

@testable import RISKit

/// cmark-gfm allocates from a per-thread arena (CRISSystem's `ris_arena`) while
/// `MarkdownParser` reads a document. The trees must be those of cmark's own allocator, on
/// any number of threads at once, and the arena must give its memory back.
final class MarkdownArenaTests: XCTestCase {
    /// A document of every construct, and one larger than the arena's 256 KB block (a table
    /// of 3,000 rows and long paragraphs, whose buffers grow by reallocation).
    static let documents: [String] = {
        let constructs = MarkdownKindTests.everyConstruct
        let rows = (0..<3_000).map { "| row \($0) | `cell` **\($0)** |" }.joined(separator: "\n")
        let long = String(repeating: "word [link](x.md) and more text ", count: 4_000)
        let large = "# Large\n\n| a | b |\n|---|---|\n" + rows + "\n\n" + long + "\n\n```\n" + long + "\n```\n"
        // One allocation larger than a block: a code block of 600 KB gets a block of its own.
        let code = "```\n" + String(repeating: "a line of code\n", count: 40_000) + "```\n"
        return [constructs, "", "plain", large, constructs + "\n\n" + large, constructs + "\n\n" + code]
    }()

    /// A node and its subtree as text: everything the copy keeps, and its plain text.
    static func describe(_ node: MarkdownNode) -> String {
        "(\(node.kind) \(node.line):\(node.column)-\(node.endLine) \(node.literal.debugDescription) "
            + "\(node.fenceInfo.debugDescription) \(node.url.debugDescription) \(node.headingLevel) "
            + "\(node.plainText.debugDescription)" + node.children.map(describe).joined() + ")"
    }

    /// The same, read from a tree cmark built with its own allocator.
    static func reference(_ text: String) -> String {
        guard let parser = cmark_parser_new(CMARK_OPT_SOURCEPOS) else { return "no parser" }
        defer { cmark_parser_free(parser) }
        for name in ["table", "strikethrough", "autolink"] {
            cmark_parser_attach_syntax_extension(parser, cmark_find_syntax_extension(name))
        }
        cmark_parser_feed(parser, text, text.utf8.count)
        guard let root = cmark_parser_finish(parser) else { return "no tree" }
        defer { cmark_node_free(root) }
        func string(_ pointer: UnsafePointer<CChar>?) -> String { pointer.map { String(cString: $0) } ?? "" }
        // Text, code and inline HTML as written, breaks as spaces, anything else its children's.
        func plainText(_ node: OpaquePointer) -> String {
            switch MarkdownParser.kind(of: node) {
            case .text, .code, .htmlInline: return string(cmark_node_get_literal(node))
            case .softbreak, .linebreak: return " "
            default:
                var text = ""
                var child = cmark_node_first_child(node)
                while let current = child {
                    text += plainText(current)
                    child = cmark_node_next(current)
                }
                return text
            }
        }
        func walk(_ node: OpaquePointer) -> String {
            let kind = MarkdownParser.kind(of: node)
            var literal = ""
            var fenceInfo = ""
            var url = ""
            switch kind {
            case .text, .code, .codeBlock, .htmlBlock, .htmlInline:
                literal = string(cmark_node_get_literal(node))
                if kind == .codeBlock { fenceInfo = string(cmark_node_get_fence_info(node)) }
            case .link, .image: url = string(cmark_node_get_url(node))
            default: break
            }
            let level = kind == .heading ? Int(cmark_node_get_heading_level(node)) : 0
            var text =
                "(\(kind) \(cmark_node_get_start_line(node)):\(cmark_node_get_start_column(node))-"
                + "\(cmark_node_get_end_line(node)) \(literal.debugDescription) \(fenceInfo.debugDescription) "
                + "\(url.debugDescription) \(level) \(plainText(node).debugDescription)"
            var child = cmark_node_first_child(node)
            while let current = child {
                text += walk(current)
                child = cmark_node_next(current)
            }
            return text + ")"
        }
        return walk(root)
    }

    func testTreesAreThoseOfCmarksOwnAllocator() {
        _ = MarkdownParser.parse(Substring(""))  // registers the extensions
        for text in Self.documents {
            XCTAssertEqual(
                Self.describe(MarkdownParser.parse(Substring(text))), Self.reference(text), String(text.prefix(40)))
        }
    }

    /// A run of siblings (a line of a paragraph) reads as its nodes one after another.
    func testARunOfSiblingsIsItsNodesInOrder() {
        let tree = MarkdownParser.parse(Substring("**Owner:** Dana `x` [a *b*](u)\nnext <i>line</i>\n\n# é"))
        let paragraph = tree.children[tree.children.startIndex]
        let lines = MarkdownLines.inlineLines(of: paragraph)
        XCTAssertEqual(lines.map(\.plainText), ["Owner: Dana x a b", "next <i>line</i>"])
        for line in lines {
            XCTAssertEqual(line.plainText, line.map(\.plainText).joined())
            XCTAssertEqual(line.dropFirst().plainText, line.dropFirst().map(\.plainText).joined())
        }
        XCTAssertEqual(lines[0].first?.kind, .strong)
        XCTAssertEqual(lines[0].dropFirst().first?.literal, " Dana ")
        XCTAssertEqual(tree.children.last?.plainText, "é")
        XCTAssertEqual(tree.children.last?.headingLevel, 1)
        XCTAssertEqual(paragraph.children.dropFirst(100).plainText, "")
    }

    /// Past `maxNodes`, the flat tree holds exactly the first `maxNodes` nodes in document order,
    /// each with its children as far as they were copied, and tells where the rest began.
    func testATruncatedTreeHoldsTheFirstNodesInOrder() {
        let rows = (0..<45_000).map { "| r\($0) | `c` |" }.joined(separator: "\n")
        let text = "# Big\n\n| a | b |\n|---|---|\n" + rows + "\n\nafter the table\n"
        let (tree, truncation) = MarkdownParser.parseReportingTruncation(Substring(text))
        var reachable = 0
        func shape(_ node: MarkdownNode) -> String {
            reachable += 1
            return "(\(node.kind) \(node.line):\(node.column)" + node.children.map(shape).joined() + ")"
        }
        let copied = shape(tree)
        XCTAssertEqual(reachable, MarkdownParser.maxNodes)

        // cmark's own tree, walked in document order and cut after as many nodes.
        guard let parser = cmark_parser_new(CMARK_OPT_SOURCEPOS) else { return XCTFail("no parser") }
        defer { cmark_parser_free(parser) }
        cmark_parser_attach_syntax_extension(parser, cmark_find_syntax_extension("table"))
        cmark_parser_feed(parser, text, text.utf8.count)
        guard let root = cmark_parser_finish(parser) else { return XCTFail("no tree") }
        defer { cmark_node_free(root) }
        var left = MarkdownParser.maxNodes
        var firstLeftOut: Int?
        func walk(_ node: OpaquePointer) -> String {
            left -= 1
            var text =
                "(\(MarkdownParser.kind(of: node)) \(cmark_node_get_start_line(node)):"
                + "\(cmark_node_get_start_column(node))"
            var child = cmark_node_first_child(node)
            while let current = child {
                guard left > 0 else {
                    if firstLeftOut == nil { firstLeftOut = Int(cmark_node_get_start_line(current)) }
                    break
                }
                text += walk(current)
                child = cmark_node_next(current)
            }
            return text + ")"
        }
        XCTAssertEqual(copied, walk(root))
        XCTAssertNotNil(firstLeftOut)
        XCTAssertEqual(truncation.tooManyAtLine, firstLeftOut)
        XCTAssertNil(truncation.tooDeepAtLine)
    }

    func testThreadsParsingAtOnceGetTheirOwnTrees() {
        let expected = Self.documents.map { Self.describe(MarkdownParser.parse(Substring($0))) }
        let count = 64
        final class Results: @unchecked Sendable {
            var trees: [String?]
            let lock = NSLock()
            init(_ count: Int) { trees = Array(repeating: nil, count: count) }
        }
        let results = Results(count)
        let documents = Self.documents
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let tree = Self.describe(MarkdownParser.parse(Substring(documents[index % documents.count])))
            results.lock.lock()
            results.trees[index] = tree
            results.lock.unlock()
        }
        for index in 0..<count {
            XCTAssertEqual(results.trees[index], expected[index % expected.count], "parse \(index)")
        }
    }

    func testTheArenaGivesItsMemoryBack() {
        _ = MarkdownParser.parse(Substring(Self.documents[0]))
        let block = 256 * 1024
        XCTAssertLessThanOrEqual(ris_arena_held(), block, "one block kept for the next document")
        XCTAssertGreaterThan(ris_arena_held(), 0)
        for _ in 0..<3 {
            let tree = MarkdownParser.parse(Substring(Self.documents[3]))
            XCTAssertEqual(tree.children.first?.kind, .heading)
            XCTAssertLessThanOrEqual(ris_arena_held(), block, "the large document's blocks are freed")
            let code = MarkdownParser.parse(Substring(Self.documents[5]))
            XCTAssertEqual(code.children.last?.literal.utf8.count, 600_000)
            XCTAssertLessThanOrEqual(ris_arena_held(), block, "the block of one large allocation is freed")
        }
    }
}
