import Foundation
import FuzzSupport
import FrontMatter

/// libFuzzer entry: split and parse any bytes as front matter, read the compliance block,
/// then make the surgical edit `ris review record` makes and check what it promises.

func fuzzFrontMatter(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    let source = SourceText(data: data)
    for pathExtension in ["md", "yaml"] {
        let document = FrontMatterDocument(source: source, pathExtension: pathExtension)
        _ = ComplianceMetadata.read(from: document.root)
        for diagnostic in document.diagnostics {
            // Every position must point into the file.
            precondition(diagnostic.line >= 1 && diagnostic.column >= 1, "position out of range: \(diagnostic)")
        }
    }
    let document = FrontMatterDocument(source: source, pathExtension: "md")
    if let edited = try? FrontMatterEditor.setting(["compliance", "hipaa", "review-frequency"], to: .string("quarterly"), in: data) {
        // An accepted edit leaves the markdown body as it was.
        let after = FrontMatterDocument(source: SourceText(data: edited), pathExtension: "md")
        if document.shape == .closed {
            precondition(after.body == document.body, "the edit changed the body")
        }
        precondition(after.diagnostics.filter { $0.severity == .error }.count <= document.diagnostics.filter { $0.severity == .error }.count,
                     "the edit added an error")
    }
    return 0
}

runFuzzer { start, count in fuzzFrontMatter(start, count) }
