import Foundation

/// A section of a record's body as it is written: its heading and the markdown lines under it,
/// for `ris show` (every section in reading order: the resolution and the prevention too).
public struct RecordSection: Sendable, Hashable {
    public var level: Int
    public var heading: String
    /// The heading's line in the file.
    public var line: Int
    /// The lines under the heading up to the next heading, as written (blank lines at both
    /// ends dropped; a run of blank lines kept as one).
    public var text: [String]
}

extension RISDocument {
    /// The sections of the body, in reading order, with their text from `data` (the bytes
    /// this document was read from). The title heading is left out: its fields are the header.
    public func sectionTexts(from data: Data) -> [RecordSection] {
        guard !sections.isEmpty else { return [] }
        let lines = data.markdownLines.map { String(decoding: $0.withoutLineEnd, as: UTF8.self) }

        var result: [RecordSection] = []
        for (offset, section) in sections.enumerated() {
            let isTitle = offset == 0 && section.level == 1
            if isTitle { continue }
            var start = section.line  // the line after the heading (0-based index of it)
            // A setext heading's underline belongs to the heading.
            if start < lines.count, let underline = lines[start].trimmed().first, underline == "=" || underline == "-",
                lines[start].trimmed().allSatisfy({ $0 == underline })
            {
                start += 1
            }
            let end = min(lines.count, offset + 1 < sections.count ? sections[offset + 1].line - 1 : lines.count)
            var text: [String] = []
            if start < end {
                for line in lines[start..<end] {
                    let blank = line.trimmed().isEmpty
                    if blank && (text.isEmpty || text.last?.isEmpty == true) { continue }
                    text.append(blank ? "" : line)
                }
            }
            while text.last?.isEmpty == true { text.removeLast() }
            // A rule (`---`) closing a section is layout, not its text.
            while let last = text.last?.trimmed(), !last.isEmpty,
                last.allSatisfy({ $0 == "-" || $0 == "*" || $0 == "_" }),
                last.count >= 3
            {
                text.removeLast()
                while text.last?.isEmpty == true { text.removeLast() }
            }
            result.append(RecordSection(level: section.level, heading: section.heading, line: section.line, text: text))
        }
        return result
    }
}

extension Data {
    /// The lines as markdown counts them (LF, CRLF or a lone CR ends one; cmark numbers lines
    /// so), each with its own line end, so that joining them gives the bytes back.
    var markdownLines: [Data] {
        var lines: [Data] = []
        var start = startIndex
        var index = startIndex
        while index < endIndex {
            let byte = self[index]
            if byte == 0x0A || byte == 0x0D {
                var end = index + 1
                if byte == 0x0D, end < endIndex, self[end] == 0x0A { end += 1 }
                lines.append(self[start..<end])
                start = end
                index = end
            } else {
                index += 1
            }
        }
        if start < endIndex { lines.append(self[start..<endIndex]) }
        return lines
    }

    /// A line of `markdownLines` without its line end.
    var withoutLineEnd: Data {
        var end = endIndex
        while end > startIndex, self[end - 1] == 0x0A || self[end - 1] == 0x0D { end -= 1 }
        return self[startIndex..<end]
    }
}
