import Foundation
import FrontMatter

/// Timelines in the forms people write them (docs/record-format.md, "Timelines"): tables,
/// lists, bold times and code blocks under a Timeline heading; YAML lists and mappings.
/// Every event keeps the file line it was written on.
enum TimelineReader {
    /// Event texts that name the time column of a table or a YAML entry.
    static let timeKeys: Set<String> = [
        "time", "date", "when", "timestamp", "date/time", "datetime", "date-time", "offset", "at", "ts", "clock",
    ]
    /// Names of the event column or key.
    static let eventKeys: Set<String> = [
        "event", "events", "action", "what", "description", "activity", "summary", "note", "notes", "details",
        "message",
        "text", "update", "step",
    ]

    // MARK: Markdown

    /// The events of a list under a Timeline heading: one per item that has a time, from a
    /// leading bold label (`- **10:00**: alert`, `- **Detection**: alert`) or at the start
    /// (`1. 14:02 - alert`). An item without one (`- Q1: design review`) is a plan, not an event.
    static func events(inList list: MarkdownNode) -> [TimelineEvent] {
        list.children.compactMap { item in
            guard let paragraph = item.children.first(where: { $0.kind == .paragraph }) else { return nil }
            let line = MarkdownLines.inlineLines(of: paragraph)[0]
            if let labelled = labelled(line) {
                return TimelineEvent(time: labelled.time, event: labelled.event, line: item.line)
            }
            return split(paragraph.plainText.trimmed()).map {
                TimelineEvent(time: $0.time, event: $0.event, line: item.line)
            }
        }
    }

    /// The lines of a paragraph that start with a time, bold or not: `**10:10** - verified`.
    /// A bold label that is not a time (`**Owner:** Dana`) is a field, not an event.
    static func events(inParagraph paragraph: MarkdownNode) -> [TimelineEvent] {
        MarkdownLines.inlineLines(of: paragraph).enumerated().compactMap { offset, line in
            let number = paragraph.line + offset
            if let labelled = labelled(line, timesOnly: true) {
                return TimelineEvent(time: labelled.time, event: labelled.event, line: number)
            }
            let text = line.plainText.trimmed()
            return split(text).map { TimelineEvent(time: $0.time, event: $0.event, line: number) }
        }
    }

    /// The lines of a code block that start with a time: `02:00  export job starts`.
    static func events(inCode block: MarkdownNode) -> [TimelineEvent] {
        let literal = block.literal
        let lines = literal.split(separator: "\n", omittingEmptySubsequences: false)
        // A fenced block's text starts on the line after the fence.
        let first =
            lines.count - (literal.hasSuffix("\n") ? 1 : 0) < block.endLine - block.line + 1
            ? block.line + 1 : block.line
        return lines.enumerated().compactMap { offset, line in
            split(String(line).trimmed()).map { TimelineEvent(time: $0.time, event: $0.event, line: first + offset) }
        }
    }

    /// `**10:00**: alert fired`, `` `10:00` alert ``: a label in bold or code, then the event.
    static func labelled(_ line: MarkdownNodes, timesOnly: Bool = false) -> (time: String, event: String)? {
        guard let first = line.first, first.kind == .strong || first.kind == .code || first.kind == .emph else {
            return nil
        }
        var time = first.plainText.trimmed()
        if time.hasSuffix(":") { time.removeLast() }
        time = time.trimmed()
        guard !time.isEmpty, time.count <= 40 else { return nil }
        // A label in code or italics is a time only when it reads as one.
        if (timesOnly || first.kind != .strong) && split(time + " x") == nil { return nil }
        let event = trimmingSeparators(line.dropFirst().plainText)
        return (time, event)
    }

    // MARK: YAML

    /// The `timeline:` of a YAML record or front matter: at the top level, else one level
    /// down (`problem.timeline`, `incident.timeline`).
    static func timelineNode(in root: YAMLNode) -> YAMLNode? {
        let names = ["timeline", "incident-timeline", "timeline-of-events", "events", "chronology"]
        for name in names {
            if let pair = root.pairByNormalizedKey(name), !pair.value.isNull { return pair.value }
        }
        for pair in root.pairs ?? [] where pair.value.pairs != nil {
            for name in names {
                if let inner = pair.value.pairByNormalizedKey(name), !inner.value.isNull { return inner.value }
            }
        }
        return nil
    }

    /// Events of a YAML timeline: a list of `{time, event}` mappings, of one-key mappings
    /// (`- "10:00": alert`) or of strings (`- 10:00 alert`); a mapping of time to event; or
    /// a block of text, one event per line that starts with a time.
    static func events(inYAML node: YAMLNode) -> [TimelineEvent] {
        if let items = node.items {
            return items.compactMap(event(inItem:))
        }
        if let pairs = node.pairs {
            return pairs.map { pair in
                TimelineEvent(
                    time: pair.key.scalarText ?? "", event: text(of: pair.value), line: pair.key.position.line)
            }
        }
        if let text = node.scalarText {
            // A literal block's text starts on the line after its `|`.
            let first = node.style == .literal || node.style == .folded ? node.position.line + 1 : node.position.line
            return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap {
                offset, line in
                split(String(line).trimmed()).map {
                    TimelineEvent(time: $0.time, event: $0.event, line: first + offset)
                }
            }
        }
        return []
    }

    static func event(inItem item: YAMLNode) -> TimelineEvent? {
        let line = item.position.line
        if let pairs = item.pairs {
            guard !pairs.isEmpty else { return nil }
            let time = pairs.first { timeKeys.contains($0.normalizedKey ?? "") }
            let event = pairs.first { eventKeys.contains($0.normalizedKey ?? "") }
            if time != nil || event != nil {
                return TimelineEvent(
                    time: time.map { text(of: $0.value) } ?? "", event: event.map { text(of: $0.value) } ?? "",
                    line: line)
            }
            // `- "10:00": alert fired`: the key is the time.
            if pairs.count == 1 {
                return TimelineEvent(time: pairs[0].key.scalarText ?? "", event: text(of: pairs[0].value), line: line)
            }
            return TimelineEvent(
                time: "",
                event: pairs.map { "\($0.key.scalarText ?? ""): \(text(of: $0.value))" }.joined(separator: "; "),
                line: line)
        }
        guard let text = item.scalarText?.trimmed(), !text.isEmpty else { return nil }
        if let split = split(text) { return TimelineEvent(time: split.time, event: split.event, line: line) }
        return TimelineEvent(time: "", event: text, line: line)
    }

    static func text(of node: YAMLNode) -> String {
        node.scalarText ?? node.allText(joinedBy: " ")
    }

    // MARK: Times

    /// A time at the start of `text`, then the event: `10:00 alert`, `14:02 UTC — alert`,
    /// `2024-04-01 14:02: alert`, `2024-04-01T14:02:00Z - alert`, `T+5m: alert`,
    /// `Day 2 - alert`, `Apr 1, 09:00 - alert`, `[10:00] alert`. Nil when the text does not
    /// start with a time or nothing follows it.
    static func split(_ text: String) -> (time: String, event: String)? {
        let scalars = Array(text.unicodeScalars)
        var scanner = TimeScanner(scalars: scalars)
        var bracket: Unicode.Scalar?
        if let first = scalars.first, first == "[" || first == "(" {
            bracket = first == "[" ? "]" : ")"
            scanner.index = 1
        }
        let start = scanner.index
        guard scanner.scanTime() else { return nil }
        var end = scanner.index
        if let bracket {
            guard scanner.index < scalars.count, scalars[scanner.index] == bracket else { return nil }
            scanner.index += 1
        }
        // The time must end at a word boundary.
        if scanner.index < scalars.count {
            let next = scalars[scanner.index]
            guard !(CharacterSet.alphanumerics.contains(next)) else { return nil }
        }
        while end > start, scalars[end - 1] == " " { end -= 1 }
        let time = String(String.UnicodeScalarView(scalars[start..<end]))
        let event = trimmingSeparators(String(String.UnicodeScalarView(scalars[scanner.index...])))
        guard !event.isEmpty else { return nil }
        return (time, event)
    }

    /// The event without the separator after its time: `: alert`, ` - alert`, ` — alert`, `| alert`.
    static func trimmingSeparators(_ text: String) -> String {
        var rest = Substring(text)
        while let first = rest.first, " \t:-–—|>→=".contains(first) { rest = rest.dropFirst() }
        return rest.trimmed()
    }
}

/// Reads the time at the start of a line, one scalar at a time (no regular expressions: they
/// cost more than the rest of a record's parse).
struct TimeScanner {
    let scalars: [Unicode.Scalar]
    var index = 0

    static let months = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
        "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    ]

    func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    func isDigit(_ offset: Int = 0) -> Bool {
        guard let scalar = peek(offset) else { return false }
        return scalar >= "0" && scalar <= "9"
    }

    /// Consumes 1...max digits; returns how many.
    mutating func digits(max: Int = 4) -> Int {
        var count = 0
        while count < max, isDigit() {
            index += 1
            count += 1
        }
        return count
    }

    /// Consumes `text` (case-insensitively) if it is next.
    mutating func consume(_ text: String) -> Bool {
        let wanted = Array(text.lowercased().unicodeScalars)
        guard index + wanted.count <= scalars.count else { return false }
        for (offset, scalar) in wanted.enumerated()
        where scalars[index + offset].properties.lowercaseMapping != String(scalar) {
            return false
        }
        index += wanted.count
        return true
    }

    mutating func attempt(_ body: (inout TimeScanner) -> Bool) -> Bool {
        let saved = index
        if body(&self) { return true }
        index = saved
        return false
    }

    mutating func scanTime() -> Bool {
        if attempt({ $0.scanDate() }) {
            // A date, then perhaps a time: `2024-04-01 14:02`, `2024-04-01T14:02:00Z`, `Apr 1, 09:00`.
            _ = attempt { scanner in
                if scanner.peek() == "T" || scanner.peek() == "t" {
                    scanner.index += 1
                } else {
                    if scanner.peek() == "," { scanner.index += 1 }
                    guard scanner.peek() == " " else { return false }
                    scanner.index += 1
                }
                return scanner.scanClock()
            }
            return true
        }
        if attempt({ $0.scanClock() }) { return true }
        if attempt({ $0.scanOffset() }) { return true }
        return attempt { scanner in
            // `Day 2`, `Day 2 14:00`.
            guard scanner.consume("day "), scanner.digits(max: 3) > 0 else { return false }
            _ = scanner.attempt { inner in
                guard inner.peek() == " " else { return false }
                inner.index += 1
                return inner.scanClock()
            }
            return true
        }
    }

    /// `2024-04-01`, `2024/04/01`, `04/01/2024`, `Apr 1`, `April 1, 2024`, `1 Apr 2024`.
    mutating func scanDate() -> Bool {
        if attempt({ scanner in
            guard scanner.digits(max: 4) == 4, let separator = scanner.peek(), separator == "-" || separator == "/"
            else { return false }
            scanner.index += 1
            guard (1...2).contains(scanner.digits(max: 2)), scanner.peek() == separator else { return false }
            scanner.index += 1
            return (1...2).contains(scanner.digits(max: 2))
        }) {
            return true
        }
        if attempt({ scanner in
            // `04/01/2024`, `4/1/24`: with its year, so that `2/3 of the nodes` is no date.
            guard (1...2).contains(scanner.digits(max: 2)), scanner.peek() == "/" else { return false }
            scanner.index += 1
            guard (1...2).contains(scanner.digits(max: 2)), scanner.peek() == "/" else { return false }
            scanner.index += 1
            return [2, 4].contains(scanner.digits(max: 4))
        }) {
            return true
        }
        if attempt({ scanner in
            guard scanner.scanMonth(), scanner.peek() == " " else { return false }
            scanner.index += 1
            guard (1...2).contains(scanner.digits(max: 2)) else { return false }
            _ = scanner.attempt { inner in
                if inner.peek() == "," { inner.index += 1 }
                guard inner.peek() == " " else { return false }
                inner.index += 1
                return inner.digits(max: 4) == 4
            }
            return true
        }) {
            return true
        }
        return attempt { scanner in
            guard (1...2).contains(scanner.digits(max: 2)), scanner.peek() == " " else { return false }
            scanner.index += 1
            guard scanner.scanMonth() else { return false }
            _ = scanner.attempt { inner in
                guard inner.peek() == " " else { return false }
                inner.index += 1
                return inner.digits(max: 4) == 4
            }
            return true
        }
    }

    mutating func scanMonth() -> Bool {
        for month in TimeScanner.months {
            let saved = index
            if consume(month) {
                if let next = peek(), next.properties.isAlphabetic {
                    index = saved
                    continue
                }
                if peek() == "." { index += 1 }
                return true
            }
        }
        return false
    }

    /// `14:02`, `9:05:30`, `2:05 PM`, `14:02 UTC`, `14:02Z`, `14:02+01:00`, `0:35`.
    mutating func scanClock() -> Bool {
        guard (1...2).contains(digits(max: 2)), peek() == ":" else { return false }
        index += 1
        guard digits(max: 2) == 2 else { return false }
        _ = attempt { scanner in
            guard scanner.peek() == ":" else { return false }
            scanner.index += 1
            guard scanner.digits(max: 2) == 2 else { return false }
            if scanner.peek() == ".", scanner.isDigit(1) {
                scanner.index += 1
                _ = scanner.digits(max: 9)
            }
            return true
        }
        _ = attempt { scanner in
            if scanner.peek() == " " { scanner.index += 1 }
            guard scanner.consume("am") || scanner.consume("pm") || scanner.consume("a.m.") || scanner.consume("p.m.")
            else { return false }
            return scanner.peek().map { !$0.properties.isAlphabetic } ?? true
        }
        if peek() == "Z" {
            index += 1
        } else if !attempt({ scanner in
            // `+01:00`
            guard let sign = scanner.peek(), sign == "+" || sign == "-", scanner.isDigit(1) else { return false }
            scanner.index += 1
            guard scanner.digits(max: 2) == 2 else { return false }
            if scanner.peek() == ":" { scanner.index += 1 }
            return scanner.digits(max: 2) == 2
        }) {
            _ = attempt { scanner in
                // ` UTC`, ` PST`, ` CET`: an upper-case zone of two to five letters.
                guard scanner.peek() == " " else { return false }
                scanner.index += 1
                var letters = 0
                while let scalar = scanner.peek(), scalar >= "A" && scalar <= "Z" {
                    scanner.index += 1
                    letters += 1
                }
                return (2...5).contains(letters) && (scanner.peek().map { !$0.properties.isAlphabetic } ?? true)
            }
        }
        return true
    }

    /// `T+5m`, `T+0`, `T-2h`, `+15 min`, `+1d`.
    mutating func scanOffset() -> Bool {
        let hasT = peek() == "T" || peek() == "t"
        if hasT { index += 1 }
        guard let sign = peek(), sign == "+" || sign == "-" else { return false }
        index += 1
        guard digits(max: 4) > 0 else { return false }
        if peek() == ".", isDigit(1) {
            index += 1
            _ = digits(max: 3)
        }
        let hasUnit = attempt { scanner in
            if scanner.peek() == " " { scanner.index += 1 }
            for unit in [
                "minutes", "minute", "mins", "min", "hours", "hour", "hrs", "hr", "days", "day", "sec", "s", "m", "h",
                "d",
            ] {
                let saved = scanner.index
                if scanner.consume(unit) {
                    if let next = scanner.peek(), next.properties.isAlphabetic {
                        scanner.index = saved
                        continue
                    }
                    return true
                }
            }
            return false
        }
        return hasT || hasUnit
    }
}

/// A paragraph's inline nodes split at line breaks.
enum MarkdownLines {
    /// One run of the paragraph's children per line (a break ends a line; one more line than
    /// breaks): runs, because copying the nodes into arrays of their own was a third of
    /// reading a paragraph's fields.
    static func inlineLines(of paragraph: MarkdownNode) -> [MarkdownNodes] {
        let children = paragraph.children
        var lines: [MarkdownNodes] = []
        var start = children.startIndex
        for index in children.indices where children[index].kind == .softbreak || children[index].kind == .linebreak {
            lines.append(children[start..<index])
            start = index + 1
        }
        lines.append(children[start...])
        return lines
    }
}
