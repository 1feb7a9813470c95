import Foundation
import FuzzSupport
import RISKit

/// libFuzzer entry: parse any bytes as a RIS record (markdown and YAML), and encode the
/// result as `ris parse --format json` does.

func fuzzDocument(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    for path in ["fuzz.md", "fuzz.yaml"] {
        let document = DocumentParser.parse(data: data, path: path)
        _ = try? JSONEncoder().encode(document)
        for diagnostic in document.diagnostics {
            precondition(diagnostic.line >= 1 && diagnostic.column >= 1, "position out of range: \(diagnostic)")
        }
    }
    return 0
}

runFuzzer { start, count in fuzzDocument(start, count) }
