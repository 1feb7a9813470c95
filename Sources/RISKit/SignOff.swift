import Foundation

/// The sign-off fields of a record's body (`**Reviewed By:** Pending`, `**Sign-Off:** Pending
/// user confirmation`, `**Review Date:** ...`): what `check` reports as pending, and what
/// recording a review completes.
public enum SignOff {
    /// The sign-off fields, by what they say.
    public enum Field: Sendable {
        case reviewedBy, reviewDate, signOff
    }

    /// Which sign-off field a field's name is (`Reviewed By`, `reviewed_by`, `Sign-Off`,
    /// `signoff`, `Review Date`), nil for any other.
    public static func field(named name: String) -> Field? {
        let words = name.lowercased().replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "-", with: " ")
            .split(separator: " ").joined(separator: " ")
        switch words {
        case "reviewed by": return .reviewedBy
        case "review date", "reviewed on", "last reviewed": return .reviewDate
        case "sign off", "signoff": return .signOff
        default: return nil
        }
    }

    /// Whether the field says if the record was signed off (`Reviewed By`, `Sign-Off`).
    public static func isSignOffField(_ name: String) -> Bool {
        field(named: name) == .reviewedBy || field(named: name) == .signOff
    }

    /// A value that still waits for someone: `Pending`, `Pending user confirmation`, `TBD`, empty.
    public static func isPending(_ value: String) -> Bool {
        let lowered = value.trimmed().lowercased()
        return lowered.isEmpty || lowered.hasPrefix("pending") || lowered == "tbd"
    }

    /// `data` with the body's sign-off fields completed for a review by `reviewer` on `day`:
    /// `Reviewed By` becomes the reviewer and `Review Date` the day (the later review's, as in
    /// the front matter); `Sign-Off`, when still pending, becomes "<reviewer>, <day>" (a
    /// sign-off already given is someone's signature, and stays). Returns the field names
    /// completed, once each.
    ///
    /// Surgical and careful: a field's line is found by its label (`**Reviewed By:**`, near the
    /// line `document` gives), and only a value written plainly after the label (or in one
    /// emphasis, `*Pending*`) is replaced, or an empty one filled. A value with a link, an
    /// image or markup is someone's text: left alone, not reported (so `check` still says
    /// it is pending). The reviewer's name is written with markdown's special characters
    /// escaped.
    public static func completing(
        in data: Data, document: RISDocument, reviewer: String, day: String
    ) -> (data: Data, changed: [String]) {
        let name = escaped(reviewer)
        var lines = data.markdownLines

        var changed: [String] = []
        var edited: Set<Int> = []
        for field in document.fields where field.placement != .record {
            let key = field.name.lowercased()
            let new: String
            switch SignOff.field(named: field.name) {
            case .reviewedBy: new = name
            case .reviewDate: new = day
            case .signOff:
                guard isPending(field.value) else { continue }
                new = "\(name), \(day)"
            case nil: continue
            }
            // The line carrying this label nearest to where the reading put the field.
            let candidates = lines.indices.filter { !edited.contains($0) && labelEnd(in: lines[$0], named: key) != nil }
            guard let line = candidates.min(by: { abs($0 + 1 - field.line) < abs($1 + 1 - field.line) }),
                let end = labelEnd(in: lines[line], named: key),
                let replaced = replacingValue(in: lines[line], after: end, plain: field.value.trimmed(), with: new)
            else { continue }
            edited.insert(line)
            if replaced != lines[line] {
                lines[line] = replaced
                if !changed.contains(field.name) { changed.append(field.name) }
            }
        }
        guard !changed.isEmpty else { return (data, []) }
        return (lines.reduce(into: Data()) { $0.append($1) }, changed)
    }

    /// The line with its value (after `labelEnd`) replaced by `new`: when the value is empty,
    /// written as `plain`, or `plain` in one emphasis or code span. Nil for anything else.
    private static func replacingValue(in line: Data, after labelEnd: Data.Index, plain: String, with new: String)
        -> Data?
    {
        var valueEnd = line.endIndex
        while valueEnd > labelEnd, [0x20, 0x09, 0x0D, 0x0A].contains(line[line.index(before: valueEnd)]) {
            valueEnd = line.index(before: valueEnd)
        }
        var valueStart = labelEnd
        while valueStart < valueEnd, line[valueStart] == 0x20 || line[valueStart] == 0x09 { valueStart += 1 }
        let raw = String(decoding: line[valueStart..<valueEnd], as: UTF8.self)
        var out = Data(line[line.startIndex..<labelEnd])
        if raw.isEmpty {
            guard plain.isEmpty else { return nil }
            out.append(Data((" " + new).utf8))
            out.append(line[valueEnd...])
            return out
        }
        var inner = raw
        var wrapper = ""
        for marks in ["**", "__", "*", "_", "`"]
        where raw.count > 2 * marks.count && raw.hasPrefix(marks)
            && raw.hasSuffix(marks)
        {
            inner = String(raw.dropFirst(marks.count).dropLast(marks.count))
            wrapper = marks
            break
        }
        guard inner == plain, !plain.isEmpty else { return nil }
        out.append(line[labelEnd..<valueStart])
        out.append(Data((wrapper + new + wrapper).utf8))
        out.append(line[valueEnd...])
        return out
    }

    /// Where a `**Label:**` (or `**Label**:`) field named `name` ends on the line: after the
    /// colon and the closing `**`. Nil when the line is not that field (list markers and
    /// indentation before it are allowed).
    static func labelEnd(in line: Data, named name: String) -> Data.Index? {
        let text = String(decoding: line, as: UTF8.self)
        var rest = Substring(text)
        rest = rest.drop { $0 == " " || $0 == "\t" }
        for marker in ["- ", "* ", "+ "] where rest.hasPrefix(marker) {
            rest = rest.dropFirst(marker.count).drop { $0 == " " }
        }
        guard rest.hasPrefix("**") || rest.hasPrefix("__") else { return nil }
        let strong = rest.prefix(2)
        rest = rest.dropFirst(2)
        guard let close = rest.range(of: strong) else { return nil }
        var label = rest[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
        var after = rest[close.upperBound...]
        if label.hasSuffix(":") {
            label.removeLast()
        } else if after.hasPrefix(":") {
            after = after.dropFirst()
        } else {
            return nil
        }
        guard label.trimmingCharacters(in: .whitespaces).lowercased() == name else { return nil }
        // Back to bytes: the label ends where `after` starts.
        return line.startIndex + text.utf8.distance(from: text.utf8.startIndex, to: after.utf8.startIndex)
    }

    /// A name as markdown text: its special characters escaped, so `[x](y)` stays a name.
    static func escaped(_ name: String) -> String {
        var out = ""
        for character in name {
            if "\\`*_[]<>|#".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
