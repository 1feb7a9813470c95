import Foundation
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

// SwiftPM links an executable's entry point as `FuzzDocument_main`, so libFuzzer's own main is
// not used: this one hands libFuzzer the arguments and the function to call.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafeRawPointer, Int) -> CInt
) -> CInt

var arguments = CommandLine.argc
var argumentValues = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&arguments, &argumentValues) { start, count in fuzzDocument(start, count) })
