import XCTest

@testable import RISKit

/// The ID inside a file name is read on the name's bytes: on 20,000 generated names (capitals,
/// lower-case kinds, numbers, separators, accented and wide letters) it is the ID and the range
/// that a reading of the name's Characters gives.
final class FileStemIdentifierTests: XCTestCase {
    /// The ID and its range, read as Characters.
    func reference(_ stem: String) -> (id: String, range: Range<String.Index>)? {
        var segments: [Range<String.Index>] = []
        var segmentStart = stem.startIndex
        for index in stem.indices where stem[index] == "-" || stem[index] == "_" {
            segments.append(segmentStart..<index)
            segmentStart = stem.index(after: index)
        }
        segments.append(segmentStart..<stem.endIndex)
        func isCapitals(_ range: Range<String.Index>) -> Bool {
            stem[range].count >= 2 && stem[range].allSatisfy { $0.isASCII && $0.isUppercase }
        }
        func isCapitalsOrNumber(_ range: Range<String.Index>) -> Bool {
            !range.isEmpty && stem[range].allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber) }
        }
        func isNumber(_ range: Range<String.Index>) -> Bool {
            !range.isEmpty && stem[range].allSatisfy { $0.isASCII && $0.isNumber }
        }
        var start = 0
        while start < segments.count {
            let segment = segments[start]
            if isCapitals(segment) {
                var end = start
                while end + 1 < segments.count, isCapitalsOrNumber(segments[end + 1]) { end += 1 }
                let range = segment.lowerBound..<segments[end].upperBound
                if end > start, stem[range].contains(where: \.isNumber) { return (String(stem[range]), range) }
                start = end + 1
            } else if FieldValue.lowercaseIdentifierKinds.contains(stem[segment]), start + 1 < segments.count,
                isNumber(segments[start + 1])
            {
                let range = segment.lowerBound..<segments[start + 1].upperBound
                return (stem[segment].uppercased() + "-" + stem[segments[start + 1]], range)
            } else {
                start += 1
            }
        }
        return nil
    }

    func testTheIdentifierIsTheOneCharactersGive() {
        let pieces = [
            "RIS", "ris", "RES", "inc", "INC", "TASK", "GOV", "045", "7", "2026", "a", "B", "x9", "Q1", "é", "ÄB", "日本",
            "Ris", "lambda", "RESOLUTION", "٣", "Ⅻ", "",
        ]
        let separators = ["-", "_", "--", "-_", " ", "."]
        var generator = SystemRandomNumberGenerator()
        var found = 0
        for _ in 0..<20_000 {
            var stem = ""
            for index in 0..<Int.random(in: 1...7, using: &generator) {
                if index > 0 { stem += separators.randomElement(using: &generator)! }
                stem += pieces.randomElement(using: &generator)!
            }
            let expected = reference(stem)
            let actual = FieldValue.identifierRange(inFileStem: stem)
            XCTAssertEqual(actual?.id, expected?.id, stem)
            XCTAssertEqual(actual?.range, expected?.range, stem)
            if expected != nil { found += 1 }
        }
        XCTAssertGreaterThan(found, 300, "names with an ID were among those compared")
        XCTAssertEqual(
            FieldValue.identifier(inFileStem: "credentialmate-RIS-RESOLUTION-045-lambda-x"), "RIS-RESOLUTION-045")
        XCTAssertEqual(FieldValue.identifier(inFileStem: "acme-ris-045"), "RIS-045")
    }

    func testAPathsNameExtensionAndStem() {
        let path = FilePath("docs/ris.d/RIS-045.v2.md")
        XCTAssertEqual(path.name, "RIS-045.v2.md")
        XCTAssertEqual(path.pathExtension, "md")
        XCTAssertEqual(path.stem, "RIS-045.v2")
        XCTAssertEqual(FilePath(".hidden").stem, ".hidden")
        XCTAssertEqual(FilePath(".hidden").pathExtension, "")
        XCTAssertEqual(FilePath("plain").name, "plain")
        XCTAssertEqual(FilePath("dir/日本.md").stem, "日本")
    }
}

/// An ID token and a heading's ID are read on the bytes: on 20,000 generated headings they are
/// what a reading of Characters gives (the rule as it was written before).
final class HeadingIdentifierTests: XCTestCase {
    func referenceIsIdentifier(_ token: Substring) -> Bool {
        guard let first = token.first, first.isUppercase, first.isASCII else { return false }
        guard token.contains("-"), token.contains(where: \.isNumber) else { return false }
        guard !token.hasSuffix("-") else { return false }
        return token.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" }
    }

    func referenceSplit(_ heading: String) -> (id: String, title: String)? {
        let trimmed = heading.trimmed()
        let end = trimmed.firstIndex { $0 == ":" || $0 == " " || $0 == "\t" } ?? trimmed.endIndex
        let token = trimmed[..<end]
        guard referenceIsIdentifier(token) else { return nil }
        var rest = trimmed[end...].drop { $0 == " " || $0 == "\t" }
        if let first = rest.first, ":—–-|".contains(first) { rest = rest.dropFirst() }
        return (String(token), rest.trimmed())
    }

    func testTheIdentifierIsTheOneCharactersGive() {
        let pieces = [
            "RIS", "ris", "R", "-", "--", "_", "045", "7", "a", "Z", "é", "\u{301}", ":", ": ", " ", "\t", "—", "|",
            "日本", "٣", "Ⅻ", "\r\n", "\r", "Title", " of it", "x9", "-\u{301}", ":\u{301}", " \u{301}",
        ]
        var generator = SystemRandomNumberGenerator()
        var found = 0
        for _ in 0..<20_000 {
            let starts = ["", "RIS-045", "RIS-RESOLUTION-046", "INC_7-2", "RES-2025-x", "A-1", "  RIS-1", "RIS-"]
            var heading = starts.randomElement(using: &generator)!
            for _ in 0..<Int.random(in: 0...6, using: &generator) {
                heading += pieces.randomElement(using: &generator)!
            }
            let expected = referenceSplit(heading)
            let actual = FieldValue.splitIdentifier(fromHeading: heading)
            XCTAssertEqual(actual?.id, expected?.id, heading.debugDescription)
            XCTAssertEqual(actual?.title, expected?.title, heading.debugDescription)
            let token = Substring(heading)
            XCTAssertEqual(FieldValue.isIdentifier(token), referenceIsIdentifier(token), heading.debugDescription)
            if expected != nil { found += 1 }
        }
        XCTAssertGreaterThan(found, 300, "headings with an ID were among those compared")
        XCTAssertEqual(FieldValue.splitIdentifier(fromHeading: "RIS-045: Lambda x")?.title, "Lambda x")
        XCTAssertNil(FieldValue.splitIdentifier(fromHeading: "Summary"))
    }
}
