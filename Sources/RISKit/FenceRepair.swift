import Foundation
import FrontMatter

/// Recovers the author's intent when a ```` ```markdown ```` fence holds other fences
/// (FORMAT.md section 4): by CommonMark rules the first inner fence would close it, so the
/// outer fence is lengthened to wrap them all. Lines keep their numbers.
///
/// A bare fence at the outer block's level ends it when what follows ends the section (the
/// end, a rule, a heading of the enclosing level or above), or when no later fence could
/// close it as an inner block (none follows, or the next one has an info string).
enum FenceRepair {
    struct Fence {
        var character: Character
        var length: Int
        var indent: Int
        var info: String
    }

    /// A fence line: up to 3 spaces, then 3 or more backticks or tildes, then an info string.
    static func fence(in line: Substring) -> Fence? {
        let bytes = line.utf8
        var index = bytes.startIndex
        var indent = 0
        while index < bytes.endIndex, bytes[index] == UInt8(ascii: " "), indent < 4 {
            indent += 1
            index = bytes.index(after: index)
        }
        guard indent < 4, index < bytes.endIndex else { return nil }
        let marker = bytes[index]
        guard marker == UInt8(ascii: "`") || marker == UInt8(ascii: "~") else { return nil }
        var length = 0
        while index < bytes.endIndex, bytes[index] == marker {
            length += 1
            index = bytes.index(after: index)
        }
        guard length >= 3 else { return nil }
        let info = line[index...].trimmed()
        if marker == UInt8(ascii: "`") && info.utf8.contains(UInt8(ascii: "`")) { return nil }
        return Fence(character: marker == UInt8(ascii: "`") ? "`" : "~", length: length, indent: indent, info: info)
    }

    static func headingLevel(of line: Substring) -> Int? {
        let bytes = line.utf8
        var index = bytes.startIndex
        var indent = 0
        while index < bytes.endIndex, bytes[index] == UInt8(ascii: " ") {
            indent += 1
            index = bytes.index(after: index)
        }
        guard indent < 4 else { return nil }
        var hashes = 0
        while index < bytes.endIndex, bytes[index] == UInt8(ascii: "#") {
            hashes += 1
            index = bytes.index(after: index)
        }
        guard (1...6).contains(hashes) else { return nil }
        return index == bytes.endIndex || bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t")
            ? hashes : nil
    }

    static func isThematicBreak(_ line: Substring) -> Bool {
        var marker: UInt8 = 0
        var count = 0
        for byte in line.utf8 {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): continue
            case UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "_"):
                if marker == 0 { marker = byte } else if marker != byte { return false }
                count += 1
            default: return false
            }
        }
        return count >= 3
    }

    /// Whether a line may open a fence whose info string is `markdown` or `md`,
    /// in one pass over the bytes.
    static func hasMarkdownFence(_ body: Substring) -> Bool {
        body.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            var index = 0
            let count = bytes.count
            while index < count {
                // At a line start.
                var cursor = index
                var spaces = 0
                while cursor < count, bytes[cursor] == 0x20, spaces < 3 {
                    cursor += 1
                    spaces += 1
                }
                if cursor < count, bytes[cursor] == 0x60 || bytes[cursor] == 0x7E {
                    let marker = bytes[cursor]
                    var run = 0
                    while cursor < count, bytes[cursor] == marker {
                        cursor += 1
                        run += 1
                    }
                    while cursor < count, bytes[cursor] == 0x20 { cursor += 1 }
                    // `md` or `ma(rkdown)`: a cheap, generous test; `repair` decides exactly.
                    if run >= 3, cursor + 1 < count, bytes[cursor] | 0x20 == 0x6D,
                        bytes[cursor + 1] | 0x20 == 0x64 || bytes[cursor + 1] | 0x20 == 0x61
                    {
                        return true
                    }
                }
                // To the next line with memchr: a loop over the bytes was most of this scan.
                guard cursor < count, let base = bytes.baseAddress,
                    let newline = memchr(base + cursor, 0x0A, count - cursor)
                else { break }
                index = base.distance(to: newline.assumingMemoryBound(to: UInt8.self)) + 1
            }
            return false
        } ?? true
    }

    /// The repaired text (the same substring when nothing needed repair) and a warning per repair.
    static func repair(_ body: Substring, firstLine: Int) -> (text: Substring, diagnostics: [Diagnostic]) {
        // Most files have no ```markdown fence at all: nothing to repair, nothing to split.
        guard hasMarkdownFence(body) else { return (body, []) }
        var text = String(body)
        let textLines = TextLines(text)
        let lineCount = textLines.count
        // Line `number` (0-based), made when it is looked at.
        func line(_ number: Int) -> Substring { textLines[number + 1] }
        // What each line may be, from its first bytes: only a line whose first byte past at most
        // three spaces is a backtick or a tilde can be a fence, only one with `#` a heading.
        // Making every line and reading each as a fence was most of a repair.
        var mayBeFence = [Bool](repeating: false, count: lineCount)
        var mayBeHeading = [Bool](repeating: false, count: lineCount)
        text.withUTF8 { bytes in
            for number in 0..<lineCount {
                let start = textLines.startOffset(ofLine: number + 1)
                var cursor = start
                while cursor < bytes.count, bytes[cursor] == 0x20, cursor - start < 3 { cursor += 1 }
                if cursor < bytes.count {
                    let byte = bytes[cursor]
                    mayBeFence[number] = byte == 0x60 || byte == 0x7E
                    mayBeHeading[number] = byte == 0x23
                }
            }
        }
        // Each line's fence, read once, and the lines that hold one: the scans below visit
        // only those, so a file of many unclosed blocks stays linear in practice (it was
        // quadratic in lines: 3 s for 2,000 nested blocks).
        let fences = (0..<lineCount).map { mayBeFence[$0] ? fence(in: line($0)) : nil }
        let fenceLines = fences.indices.filter { fences[$0] != nil }
        var replacements: [Int: Substring] = [:]
        var diagnostics: [Diagnostic] = []
        var enclosingLevel = 0
        var index = 0

        func nextNonBlank(after number: Int) -> Substring? {
            var next = number + 1
            while next < lineCount {
                let candidate = line(next)
                if !candidate.allSatisfy({ $0 == " " || $0 == "\t" }) { return candidate }
                next += 1
            }
            return nil
        }
        // The position in `fenceLines` of the first fence after `line`.
        func firstFence(after line: Int) -> Int {
            var low = 0
            var high = fenceLines.count
            while low < high {
                let middle = (low + high) / 2
                if fenceLines[middle] <= line { low = middle + 1 } else { high = middle }
            }
            return low
        }
        func closes(_ candidate: Fence, _ opener: Fence) -> Bool {
            candidate.character == opener.character && candidate.length >= opener.length && candidate.info.isEmpty
        }

        while index < lineCount {
            guard let opener = fences[index] else {
                if mayBeHeading[index], let level = headingLevel(of: line(index)) { enclosingLevel = level }
                index += 1
                continue
            }
            let language = opener.info.split(separator: " ").first.map { $0.lowercased() } ?? ""
            if language == "markdown" || language == "md" {
                var depth = 0
                var innerLength = 0
                var closing: Int?
                var position = firstFence(after: index)
                while position < fenceLines.count {
                    let scan = fenceLines[position]
                    position += 1
                    guard let inner = fences[scan], inner.character == opener.character else { continue }
                    if !inner.info.isEmpty || inner.length < opener.length {
                        // An opener (it has an info string), or too short to close the outer fence.
                        if inner.info.isEmpty && depth > 0 { depth -= 1 } else { depth += 1 }
                        innerLength = max(innerLength, inner.length)
                    } else if depth > 0 {
                        depth -= 1
                        innerLength = max(innerLength, inner.length)
                    } else {
                        // A bare fence at the outer level: the end of the outer block when what
                        // follows is the end, a rule or a heading of the enclosing level or above.
                        let next = nextNonBlank(after: scan)
                        let isEnd =
                            next == nil || isThematicBreak(next!)
                            || (headingLevel(of: next!).map { $0 <= max(enclosingLevel, 2) } ?? false)
                        // Or, taken as an inner opener, nothing could close it: no fence of its
                        // kind follows, or the next one opens a block of its own (```bash).
                        // Then the record goes on after it (`### Timeline` after the entry).
                        let following = fenceLines[position...].first { fences[$0]!.character == opener.character }
                        let unpaired = following.map { !fences[$0]!.info.isEmpty } ?? true
                        if isEnd || unpaired {
                            closing = scan
                            break
                        }
                        depth += 1
                        innerLength = max(innerLength, inner.length)
                    }
                }
                if let closing, innerLength > 0 {
                    let length = max(opener.length, innerLength) + 1
                    let marker = String(repeating: String(opener.character), count: length)
                    let pad = String(repeating: " ", count: opener.indent)
                    replacements[index] = Substring(pad + marker + opener.info)
                    replacements[closing] = Substring(pad + marker)
                    diagnostics.append(
                        .warning(
                            .fenceRepaired,
                            "a ```\(language) block holds other fences and ends at line \(firstLine + closing); "
                                + "read as one block (use \(marker) for the outer fence)",
                            at: SourcePosition(line: firstLine + index, column: opener.indent + 1)))
                    index = closing + 1
                    continue
                }
            }
            // An ordinary fence: skip its content as CommonMark does.
            var position = firstFence(after: index)
            while position < fenceLines.count, !closes(fences[fenceLines[position]]!, opener) { position += 1 }
            index = position < fenceLines.count ? fenceLines[position] + 1 : lineCount
        }
        guard !replacements.isEmpty else { return (body, []) }
        var rebuilt = ""
        rebuilt.reserveCapacity(body.utf8.count + 16)
        let hasReturn = text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, 0x0D, bytes.count) != nil
        }
        if hasReturn {
            // Lines are joined by `\n` alone: the `\r` of CRLF line ends goes, as it always has.
            for number in 0..<lineCount {
                if number > 0 { rebuilt += "\n" }
                // String's own append of a Substring (`+=` is the generic one, which asks the runtime).
                rebuilt.append(contentsOf: replacements[number] ?? line(number))
            }
        } else {
            // The text between the replaced lines is copied as it is, in a few pieces.
            var copied = text.startIndex
            for number in replacements.keys.sorted() {
                rebuilt.append(contentsOf: text[copied..<textLines.start(ofLine: number + 1)])
                rebuilt.append(contentsOf: replacements[number]!)
                // On to the `\n` that ends the line, if one does.
                copied =
                    number + 1 < lineCount
                    ? text.utf8.index(before: textLines.start(ofLine: number + 2)) : text.endIndex
            }
            rebuilt.append(contentsOf: text[copied...])
        }
        return (Substring(rebuilt), diagnostics)
    }
}
