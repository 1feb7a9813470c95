import Foundation
import XCTest

@testable import FrontMatter

final class SplitTests: XCTestCase {
    func split(_ text: String, ext: String = "md") -> FrontMatterDocument {
        FrontMatterDocument(source: SourceText(string: text), pathExtension: ext)
    }

    func testClosedFrontMatter() {
        let document = split("---\nid: RIS-1\ntitle: x\n---\n# RIS-1: Title\nBody\n")
        XCTAssertEqual(document.shape, .closed)
        XCTAssertEqual(document.yamlFirstLine, 2)
        XCTAssertEqual(document.bodyFirstLine, 5)
        XCTAssertEqual(document.root?["id"]?.scalarText, "RIS-1")
        XCTAssertEqual(document.root?["id"]?.position, SourcePosition(line: 2, column: 5))
        XCTAssertTrue(document.body.hasPrefix("# RIS-1: Title"))
        XCTAssertTrue(document.diagnostics.isEmpty)
    }

    func testClosedWithDocumentEndMarker() {
        let document = split("---\nid: A-1\n...\nbody\n")
        XCTAssertEqual(document.shape, .closed)
        XCTAssertEqual(document.body, "body\n")
        XCTAssertEqual(document.bodyFirstLine, 4)
    }

    func testBareHeader() {
        let document = split("ris_id: RIS-045\ntitle: \"T\"\n---\n# Heading\n")
        XCTAssertEqual(document.shape, .bareHeader)
        XCTAssertEqual(document.root?["ris_id"]?.scalarText, "RIS-045")
        XCTAssertEqual(document.bodyFirstLine, 4)
    }

    func testMarkdownWithoutMetadata() {
        let document = split("# RIS-067: Title\n\n---\n\ntext\n")
        XCTAssertEqual(document.shape, .none)
        XCTAssertNil(document.yaml)
        XCTAssertEqual(document.bodyFirstLine, 1)
    }

    func testUnclosedYAMLFileIsAWholeRecord() {
        let document = split("---\nid: RIS-047\nproblem:\n  summary: |\n    boom\n", ext: "yaml")
        XCTAssertEqual(document.shape, .yamlRecord)
        XCTAssertEqual(document.root?["problem"]?["summary"]?.scalarText, "boom\n")
        XCTAssertEqual(document.root?["id"]?.position.line, 2)
        XCTAssertTrue(document.diagnostics.isEmpty, "\(document.diagnostics)")
    }

    func testUnclosedYAMLFileThatDoesNotParseStopsAtTheHeading() {
        let document = split("id: RIS-9\ntitle: x\n# RIS-9: Title\n**Date:** 2026-01-01\n", ext: "yml")
        XCTAssertEqual(document.shape, .unclosed)
        XCTAssertEqual(document.root?["id"]?.scalarText, "RIS-9")
        XCTAssertEqual(document.bodyFirstLine, 3)
    }

    func testUnclosedMarkdownWithHeadingInside() {
        let text = "---\nid: RIS-068\nproject: x\n# RIS-068: Title\n\n**Date:** 2026-02-09\n\n---\n\n## Symptom\n"
        let document = split(text)
        XCTAssertEqual(document.shape, .unclosed)
        XCTAssertEqual(document.root?["project"]?.scalarText, "x")
        XCTAssertEqual(document.bodyFirstLine, 4)
        XCTAssertTrue(document.body.hasPrefix("# RIS-068: Title"))
        XCTAssertEqual(document.diagnostics.map(\.severity), [.warning])
    }

    func testUnclosedMarkdownWithoutClosingLineReadsUpToHeading() {
        let document = split("---\nid: RIS-2\n# RIS-2: T\nbody\n")
        XCTAssertEqual(document.shape, .unclosed)
        XCTAssertEqual(document.bodyFirstLine, 3)
    }

    func testYAMLCommentHeadingInsideValidBlockStaysClosed() {
        let document = split("---\n# RIS metadata\nid: RIS-3\n---\nbody\n")
        XCTAssertEqual(document.shape, .closed)
        XCTAssertEqual(document.root?["id"]?.scalarText, "RIS-3")
    }

    func testByteOrderMarkAndCRLF() {
        var data = Data([0xEF, 0xBB, 0xBF])
        data.append(Data("---\r\nid: RIS-4\r\nbad: [\r\n---\r\n# T\r\n".utf8))
        let document = FrontMatterDocument(source: SourceText(data: data), pathExtension: "md")
        XCTAssertTrue(document.source.hadByteOrderMark)
        XCTAssertTrue(document.source.usesCRLF)
        XCTAssertEqual(document.shape, .closed)
        XCTAssertEqual(document.bodyFirstLine, 5)
        let error = document.diagnostics.first { $0.severity == .error }
        XCTAssertNotNil(error)
        XCTAssertGreaterThanOrEqual(error?.line ?? 0, 3, "positions are file lines")
    }

    func testTabIndentationIsAPositionedError() {
        let document = split("---\nid: RIS-5\ncompliance:\n\thipaa: {}\n---\nbody\n")
        let error = document.diagnostics.first { $0.severity == .error }
        XCTAssertEqual(error?.line, 4)
        XCTAssertEqual(error?.column, 1)
        XCTAssertTrue(error?.message.contains("cannot start any token") ?? false, error?.message ?? "")
        XCTAssertEqual(document.body, "body\n", "the body is still read")
    }

    func testInvalidUTF8AndBinary() {
        let invalid = SourceText(data: Data([0x61, 0x0A, 0x62, 0xFF, 0x63]))
        XCTAssertEqual(invalid.diagnostics.first?.position, SourcePosition(line: 2, column: 2))
        XCTAssertTrue(invalid.text.contains("\u{FFFD}"))
        let binary = SourceText(data: Data([0x61, 0x00, 0x62]))
        XCTAssertTrue(binary.isBinary)
        XCTAssertEqual(binary.diagnostics.first?.severity, .error)
    }
}
