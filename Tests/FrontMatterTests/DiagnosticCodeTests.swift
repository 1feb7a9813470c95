import Foundation
import FrontMatter
import XCTest

final class DiagnosticCodeTests: XCTestCase {
    /// Scripts and agents read the codes: each one is documented, and nothing else is.
    func testEveryCodeIsDocumented() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("docs/record-format.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let table = try XCTUnwrap(text.components(separatedBy: "## Diagnostic codes").last)
        let documented = table.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("| `") else { return nil }
            return line.dropFirst(3).split(separator: "`").first.map(String.init)
        }
        XCTAssertEqual(documented, DiagnosticCode.allCases.map(\.rawValue))
    }

    func testCodesOfTheReading() {
        let broken = FrontMatterDocument(
            source: SourceText(data: Data("---\nid: RIS-1\nbad: [\n---\n# RIS-1: T\n".utf8)), pathExtension: "md")
        XCTAssertTrue(
            broken.diagnostics.contains { $0.code == .yamlSyntax && $0.severity == .error }, "\(broken.diagnostics)")
        let unclosed = FrontMatterDocument(
            source: SourceText(data: Data("---\nid: RIS-1\n\n# RIS-1: T\n".utf8)), pathExtension: "md")
        XCTAssertEqual(unclosed.diagnostics.map(\.code), [.frontMatterUnclosed])
        let binary = SourceText(data: Data([0x61, 0x00, 0x62]))
        XCTAssertEqual(binary.diagnostics.map(\.code), [.binaryFile])
    }
}
