import Foundation

/// The sign-off fields of a record's body (`**Reviewed By:** Pending`, `**Sign-Off:** Pending
/// user confirmation`, `**Review Date:** ...`): what `check` reports as pending, and what
/// recording a review completes.
public enum SignOff {
    /// Field names (lower-cased) that say whether the record was signed off.
    public static let fieldNames: Set<String> = ["reviewed by", "sign-off", "signoff", "sign off"]

    /// A value that still waits for someone: `Pending`, `Pending user confirmation`, `TBD`, empty.
    public static func isPending(_ value: String) -> Bool {
        let lowered = value.trimmed().lowercased()
        return lowered.isEmpty || lowered.hasPrefix("pending") || lowered == "tbd" || lowered == "-"
            || lowered == "n/a"
    }

    /// `data` with the body's sign-off fields completed for a review by `reviewer` on `day`:
    /// `Reviewed By` becomes the reviewer and `Review Date` the day (a newer review replaces
    /// an older one, as in the front matter); `Sign-Off`, when still pending, becomes
    /// "<reviewer>, <day>" (a sign-off already given is someone's signature, and stays).
    /// Only the value's bytes change, on the lines `document` (parsed from `data`) gives; a
    /// line whose value cannot be found as written is left alone.
    public static func completing(
        in data: Data, document: RISDocument, reviewer: String, day: String
    ) -> (data: Data, changed: [String]) {
        var replacements: [(line: Int, old: String, new: String, name: String)] = []
        for field in document.fields where field.placement != .record {
            let name = field.name.lowercased()
            let value = field.value.trimmed()
            let new: String
            switch name {
            case "reviewed by": new = reviewer
            case "review date", "reviewed on", "last reviewed": new = day
            case "sign-off", "signoff", "sign off":
                guard isPending(value) else { continue }
                new = "\(reviewer), \(day)"
            default: continue
            }
            guard value != new else { continue }
            replacements.append((field.line, value, new, field.name))
        }
        guard !replacements.isEmpty else { return (data, []) }

        // Lines with their own terminators, so that CRLF and a missing last newline stay.
        var lines: [Data] = []
        var start = data.startIndex
        for index in data.indices where data[index] == UInt8(ascii: "\n") {
            lines.append(data[start...index])
            start = index + 1
        }
        if start < data.endIndex { lines.append(data[start..<data.endIndex]) }

        var changed: [String] = []
        for replacement in replacements {
            let index = replacement.line - 1
            guard lines.indices.contains(index) else { continue }
            let line = lines[index]
            if replacement.old.isEmpty {
                // `**Reviewed By:**` with nothing after it: the value goes after the label.
                guard let end = labelEnd(in: line) else { continue }
                var edited = Data(line[line.startIndex..<end])
                if edited.last != UInt8(ascii: " ") { edited.append(UInt8(ascii: " ")) }
                edited.append(Data(replacement.new.utf8))
                edited.append(line[trailingWhitespaceStart(line, from: end)...])
                lines[index] = edited
            } else {
                // The value as written, the last time it appears on the line (after the label).
                guard let range = lastRange(of: Data(replacement.old.utf8), in: line) else { continue }
                var edited = Data(line[line.startIndex..<range.lowerBound])
                edited.append(Data(replacement.new.utf8))
                edited.append(line[range.upperBound...])
                lines[index] = edited
            }
            changed.append(replacement.name)
        }
        guard !changed.isEmpty else { return (data, []) }
        return (lines.reduce(into: Data()) { $0.append($1) }, changed)
    }

    /// Where a `**Label:**` or `Label:` ends on the line: after the colon and its closing `**`.
    private static func labelEnd(in line: Data) -> Data.Index? {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        var end = line.index(after: colon)
        while end < line.endIndex, line[end] == UInt8(ascii: "*") || line[end] == UInt8(ascii: "_") {
            end = line.index(after: end)
        }
        return end
    }

    /// The start of the line's trailing spaces and terminator, from `from`.
    private static func trailingWhitespaceStart(_ line: Data, from: Data.Index) -> Data.Index {
        var index = line.endIndex
        while index > from, [0x20, 0x09, 0x0D, 0x0A].contains(line[line.index(before: index)]) {
            index = line.index(before: index)
        }
        return index
    }

    private static func lastRange(of needle: Data, in line: Data) -> Range<Data.Index>? {
        guard !needle.isEmpty, needle.count <= line.count else { return nil }
        var start = line.endIndex - needle.count
        while start >= line.startIndex {
            if line[start..<(start + needle.count)].elementsEqual(needle) { return start..<(start + needle.count) }
            start -= 1
        }
        return nil
    }
}
