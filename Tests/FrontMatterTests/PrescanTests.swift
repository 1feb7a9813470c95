import XCTest

@testable import FrontMatter

/// `SafeYAML.prescan` reads bytes; it decoded scalars before. Both must refuse the same texts at
/// the same line and column (counted in scalars), whatever the text holds.
final class PrescanTests: XCTestCase {
    func testBytesAreReadAsScalarsWere() {
        var generator = SystemRandomNumberGenerator()
        let pieces = [
            " ", "  ", "    ", "- ", "-", "[", "]", "{", "}", "&a ", "*a ", "&", "*", "| ", ">-", "|+2 # c", "#", " #",
            "\"", "'", ":", ": ", ",", "\n", "\r\n", "\r", "\t", "key", "é", "日本", "👍🏽", "e\u{301}", "7", "+",
            "\u{00A0}", "x: [", "- - - ", "a: &x 1\n", "b: *x\n",
        ]
        var refused = 0
        for round in 0..<20_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...60, using: &generator) {
                text += pieces.randomElement(using: &generator)!
            }
            let limits = YAMLLimits(
                maxDepth: Int.random(in: 1...6, using: &generator), maxAliases: Int.random(in: 0...3, using: &generator)
            )
            let expected = PrescanTests.referencePrescan(text, limits: limits)
            let actual = SafeYAML.prescan(text, limits: limits)
            XCTAssertEqual(actual?.message, expected?.message, "round \(round): \(text.debugDescription)")
            XCTAssertEqual(actual?.line, expected?.line, "round \(round): \(text.debugDescription)")
            XCTAssertEqual(actual?.column, expected?.column, "round \(round): \(text.debugDescription)")
            if expected != nil { refused += 1 }
        }
        // Both answers come up often: the comparison is not of nils alone.
        XCTAssertGreaterThan(refused, 4_000)
        XCTAssertLessThan(refused, 16_000)
    }

    /// A refusal's column counts scalars: a wide or accented key before the `[` moves it by one
    /// a scalar, not by its bytes.
    func testARefusalsColumnCountsScalars() {
        let limits = YAMLLimits(maxDepth: 2)
        // The mapping is one level, the first `[` a second: the second `[`, scalar 7, is too deep.
        let refusal = SafeYAML.prescan("日本é: [[[1]]]\n", limits: limits)
        XCTAssertEqual(refusal?.line, 1)
        XCTAssertEqual(refusal?.column, 7)
        XCTAssertEqual(PrescanTests.referencePrescan("日本é: [[[1]]]\n", limits: limits)?.column, 7)
    }

    // The scalar implementation this one replaced, kept as the reference.
    /// Refuses, before libyaml and Yams see it, YAML that nests too deep (Yams composes
    /// recursively) or uses aliases in numbers that only an alias bomb needs.
    static func referencePrescan(_ yaml: String, limits: YAMLLimits) -> SafeYAML.Refusal? {
        var flowDepth = 0
        var indentStack: [Int] = []
        var aliasCount = 0
        var firstExcessAlias: (Int, Int)?
        var definesAnchor = false
        var line = 1
        var blockScalarIndent: Int?  // inside `|` or `>` text, lines indented past this are text
        // Split on the scalar `\n`: splitting the String splits Characters, which costs grapheme
        // breaking (220,000 instructions a record) and keeps `\r\n`, one Character, unsplit.
        // The text is decoded once; each line is copied into one buffer from there.
        let all = Array(yaml.unicodeScalars)
        var scalars: [Unicode.Scalar] = []
        var lineStart = 0
        while lineStart <= all.count {
            var lineEnd = lineStart
            while lineEnd < all.count, all[lineEnd] != "\n" { lineEnd += 1 }
            defer {
                line += 1
                lineStart = lineEnd + 1
            }
            scalars.removeAll(keepingCapacity: true)
            scalars.append(contentsOf: all[lineStart..<lineEnd])
            var indent = 0
            while indent < scalars.count, scalars[indent] == " " { indent += 1 }
            let isBlank = indent == scalars.count || scalars[indent] == "\r" || scalars[indent] == "#"
            if let blockIndent = blockScalarIndent {
                if isBlank || indent > blockIndent { continue }
                blockScalarIndent = nil
            }
            if isBlank { continue }
            if flowDepth == 0 {
                while let top = indentStack.last, top >= indent { indentStack.removeLast() }
                indentStack.append(indent)
            }
            var column = indent
            var sequenceIndicators = 0
            var quote: Unicode.Scalar?
            var previous: Unicode.Scalar = " "
            while column < scalars.count {
                let scalar = scalars[column]
                defer {
                    previous = scalar
                    column += 1
                }
                if let open = quote {
                    if scalar == open { quote = nil }
                    continue
                }
                switch scalar {
                case "\"", "'":
                    if previous == " " || previous == "[" || previous == "{" || previous == "," || previous == ":" {
                        quote = scalar
                    }
                case "#" where previous == " " || previous == "\t":
                    column = scalars.count
                case "[", "{":
                    flowDepth += 1
                    if flowDepth + indentStack.count > limits.maxDepth {
                        return SafeYAML.Refusal(
                            message: "YAML nests deeper than \(limits.maxDepth) levels; not read", line: line,
                            column: column + 1)
                    }
                case "]", "}":
                    flowDepth = max(0, flowDepth - 1)
                case "-"
                where flowDepth == 0 && column + 1 < scalars.count && scalars[column + 1] == " " && (previous == " ")
                    && isIndicatorRun(scalars, upTo: column):
                    sequenceIndicators += 1
                case "&"
                where previous == " " || previous == "[" || previous == "{" || previous == "," || column == indent:
                    definesAnchor = true
                case "*"
                where previous == " " || previous == "[" || previous == "{" || previous == "," || column == indent:
                    aliasCount += 1
                    if aliasCount > limits.maxAliases, firstExcessAlias == nil { firstExcessAlias = (line, column + 1) }
                case "|", ">":
                    if flowDepth == 0, previous == " " || column == indent, restIsBlockHeader(scalars, from: column + 1)
                    {
                        blockScalarIndent = indent + sequenceIndicators * 2
                    }
                default:
                    break
                }
            }
            if indentStack.count + sequenceIndicators + flowDepth > limits.maxDepth {
                return SafeYAML.Refusal(
                    message: "YAML nests deeper than \(limits.maxDepth) levels; not read", line: line,
                    column: indent + 1)
            }
        }
        if definesAnchor, let (line, column) = firstExcessAlias {
            return SafeYAML.Refusal(
                message:
                    "YAML uses more than \(limits.maxAliases) aliases; refused as a possible alias bomb (\"billion "
                    + "laughs\")",
                line: line, column: column)
        }
        return nil
    }

    /// True when everything before `column` on the line is indentation and `- ` indicators.
    static func isIndicatorRun(_ scalars: [Unicode.Scalar], upTo column: Int) -> Bool {
        var index = 0
        while index < column {
            let scalar = scalars[index]
            if scalar != " " && scalar != "-" { return false }
            index += 1
        }
        return true
    }

    /// `|`, `>`, `|-`, `>+2` ... followed by nothing but a comment.
    static func restIsBlockHeader(_ scalars: [Unicode.Scalar], from start: Int) -> Bool {
        var index = start
        while index < scalars.count, "+-0123456789".unicodeScalars.contains(scalars[index]) { index += 1 }
        while index < scalars.count, scalars[index] == " " || scalars[index] == "\r" { index += 1 }
        return index == scalars.count || scalars[index] == "#"
    }

}
