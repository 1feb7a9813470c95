import FuzzSupport
import RISKit

/// libFuzzer entry: read any bytes as a pasted log (`ris match`), and as an entry's text, and
/// check what the signature promises: distinct words, line numbers in order and in the log,
/// spans that are parts of their lines.

func fuzzLogSignature(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    let signature = LogSignature(text)
    var seen = Set<String>()
    for word in signature.words {
        precondition(seen.insert(word.text).inserted, "a word twice: \(word.text)")
        precondition(!word.text.isEmpty && !word.lines.isEmpty, "an empty word")
        precondition(word.lines == word.lines.sorted(), "lines out of order: \(word.lines)")
        precondition(word.lines.allSatisfy { (1...signature.lineCount).contains($0) }, "a line outside the log")
        precondition(word.lines.count <= LogSignature.maxLinesPerWord, "too many lines")
        _ = LogSignature.normalForm(word.text)
    }
    for line in signature.lines {
        precondition(line.words.count <= 200, "a line's word cap exceeded")
        if let span = line.span(of: Array(line.words.prefix(3))) {
            precondition(line.text.contains(span), "a span outside its line")
        }
    }
    _ = LogSignature.keptWords(of: text)
    return 0
}

runFuzzer { start, count in fuzzLogSignature(start, count) }
