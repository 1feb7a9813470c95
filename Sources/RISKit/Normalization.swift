import Foundation

/// Normalisation of the values people write in header fields.
public enum FieldValue {
    /// `✅ RESOLVED` → `RESOLVED`, `CRITICAL (blocks all deployments)` → `CRITICAL`,
    /// `Resolved - pending verification` → `RESOLVED`. Nil when nothing is left.
    public static func label(_ raw: String) -> String? {
        var result = ""
        var started = false
        var previous: Character = " "
        let characters = Array(raw)
        for (offset, character) in characters.enumerated() {
            let isWord = character.isLetter || character.isNumber
            if !started {
                if isWord { started = true } else { continue }
            }
            if isWord || character == "_" {
                result.append(character)
            } else if character == " " || character == "\t" {
                result.append(" ")
            } else if character == "-" {
                let next = offset + 1 < characters.count ? characters[offset + 1] : " "
                if previous == " " || next == " " { break }
                result.append(character)
            } else if character.isLetter == false, character.unicodeScalars.first.map({ $0.properties.isEmojiPresentation || $0.properties.isEmoji && $0.value > 0x2000 }) == true {
                continue
            } else {
                break
            }
            previous = character
        }
        let collapsed = result.split(separator: " ").joined(separator: " ")
        return collapsed.isEmpty ? nil : collapsed.uppercased()
    }

    /// A severity as `label` reads it, with priority and severity codes named: `P0`/`P1` →
    /// CRITICAL, `P2` → HIGH, `P3` → MEDIUM, `P4`/`P5` → LOW; `SEV1` (`Sev-1`, `SEV 1`, `S1`)
    /// → CRITICAL, `SEV2` → HIGH, `SEV3` → MEDIUM, `SEV4`/`SEV5` → LOW. Other words as written.
    public static func severity(_ raw: String) -> String? {
        guard let label = label(raw) else { return nil }
        let code = label.filter { $0 != " " && $0 != "-" && $0 != "_" }
        for (prefix, levels) in [("SEV", ["1": "CRITICAL", "2": "HIGH", "3": "MEDIUM", "4": "LOW", "5": "LOW", "0": "CRITICAL"]),
                                 ("S", ["1": "CRITICAL", "2": "HIGH", "3": "MEDIUM", "4": "LOW"]),
                                 ("P", ["0": "CRITICAL", "1": "CRITICAL", "2": "HIGH", "3": "MEDIUM", "4": "LOW", "5": "LOW"])]
        where code.hasPrefix(prefix) {
            if let level = levels[String(code.dropFirst(prefix.count))] { return level }
        }
        return label
    }

    /// The day a date is written for, `YYYY-MM-DD`: `2024-04-01`, `2024-05-02T09:14:00Z`,
    /// `2024/04/01`, `April 1, 2024`, `1 Apr 2024`. Nil when there is none.
    public static func day(in text: String) -> String? {
        if let iso = isoDate(in: text) { return iso }
        let words = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).map(String.init)
        func month(_ word: String) -> Int? {
            let lowered = word.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
            let names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
            guard lowered.count >= 3, let index = names.firstIndex(where: { lowered.hasPrefix($0) }) else { return nil }
            return index + 1
        }
        func format(_ year: Int, _ month: Int, _ day: Int) -> String? {
            guard (1900...2999).contains(year), (1...12).contains(month), (1...31).contains(day) else { return nil }
            return String(format: "%04d-%02d-%02d", year, month, day)
        }
        for (index, word) in words.enumerated() {
            // 2024/04/01
            let parts = word.split(separator: "/")
            if parts.count == 3, parts[0].count == 4, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) {
                if let result = format(year, month, day) { return result }
            }
            guard let month = month(word), index + 1 < words.count else { continue }
            // April 1, 2024
            if let day = Int(words[index + 1]), index + 2 < words.count, let year = Int(words[index + 2]), let result = format(year, month, day) {
                return result
            }
            // 1 April 2024
            if index > 0, let day = Int(words[index - 1]), let year = Int(words[index + 1]), let result = format(year, month, day) {
                return result
            }
        }
        return nil
    }

    /// Section names that are not a record's title when written as its H1.
    static let genericHeadings: Set<String> = [
        "summary", "problem", "problem summary", "problem statement", "problem description", "overview", "issue",
        "issue summary", "issue description", "implementation results", "implementation", "results", "result",
        "incident summary", "incident report", "incident", "incident details", "description", "background", "context",
        "details", "root cause", "root cause analysis", "rca", "resolution", "resolution summary", "timeline",
        "symptom", "symptoms", "solution", "introduction", "executive summary", "notes", "note", "report",
        "postmortem", "post-mortem", "post mortem", "analysis", "impact", "fix", "findings", "status", "metadata",
        "untitled", "todo", "tl;dr", "tldr", "abstract", "purpose", "scope",
    ]

    /// `Summary`, `Problem Summary:`, `Overview`: a section's name, not a title.
    public static func isGenericHeading(_ heading: String) -> Bool {
        var text = heading.trimmed().lowercased()
        while let last = text.last, last == ":" || last == "." { text.removeLast() }
        return genericHeadings.contains(text.trimmed())
    }

    /// Words that name a kind of record at the start of an ID, not its subject.
    static let identifierKindWords: Set<String> = ["RIS", "RES", "INC", "INCIDENT", "RESOLUTION", "RECORD", "TASK", "KB", "ADR"]

    /// The words of an ID, as a title: `RIS-QUEUE-BACKLOG-20240401` → "Queue backlog",
    /// `RES-20251203-button-prop-mismatch` → "Button prop mismatch", `kb-lambda-builds` →
    /// "Lambda builds". Nil when the ID has no words besides its kind and numbers (`RIS-045`).
    public static func title(fromIdentifier identifier: String, lowercasingCapitals: Bool = true) -> String? {
        var tokens = identifier.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == " " }).map(String.init)
        // The prefix: a kind in capitals (`RIS`, `INC`), or a lower-case one that is only ever a kind (`kb`).
        if let first = tokens.first, identifierKindWords.contains(first.uppercased()),
            first == first.uppercased() || ["kb", "ris", "res", "inc", "adr"].contains(first)
        {
            tokens.removeFirst()
        }
        tokens = tokens.filter { token in !token.allSatisfy(\.isNumber) }
        // `RIS-RESOLUTION-046` has no words of its own: "Resolution" would say nothing.
        guard tokens.contains(where: { $0.contains(where: \.isLetter) && !identifierKindWords.contains($0.uppercased()) }) else { return nil }
        let words = tokens.joined(separator: " ")
        // Words in capitals (an ID's) are lowered; a file name's keep their case.
        let cased = lowercasingCapitals && words == words.uppercased() ? words.lowercased() : words
        return cased.prefix(1).uppercased() + cased.dropFirst()
    }

    /// The first `YYYY-MM-DD` in the text.
    public static func isoDate(in text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 10 else { return nil }
        func digit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
        for start in 0...(bytes.count - 10) {
            let window = bytes[start..<(start + 10)]
            let ok = window.enumerated().allSatisfy { offset, byte in
                offset == 4 || offset == 7 ? byte == UInt8(ascii: "-") : digit(byte)
            }
            if ok && (start == 0 || !digit(bytes[start - 1])) && (start + 10 == bytes.count || !digit(bytes[start + 10])) {
                return String(decoding: window, as: UTF8.self)
            }
        }
        return nil
    }

    /// `90 minutes` → 90, `1.5 hours` → 90, `2h 30m` → 150, `1 day` → 1440. Nil when no duration is written.
    public static func minutes(in text: String) -> Int? {
        var total = 0.0
        var found = false
        let lowered = text.lowercased()
        var index = lowered.startIndex
        while index < lowered.endIndex {
            guard lowered[index].isNumber else {
                index = lowered.index(after: index)
                continue
            }
            var end = index
            while end < lowered.endIndex, lowered[end].isNumber || lowered[end] == "." { end = lowered.index(after: end) }
            guard let amount = Double(lowered[index..<end]) else {
                index = end
                continue
            }
            var unitStart = end
            while unitStart < lowered.endIndex, lowered[unitStart] == " " || lowered[unitStart] == "-" { unitStart = lowered.index(after: unitStart) }
            var unitEnd = unitStart
            while unitEnd < lowered.endIndex, lowered[unitEnd].isLetter { unitEnd = lowered.index(after: unitEnd) }
            let unit = lowered[unitStart..<unitEnd]
            switch unit {
            case "m", "min", "mins", "minute", "minutes":
                total += amount
                found = true
            case "h", "hr", "hrs", "hour", "hours":
                total += amount * 60
                found = true
            case "d", "day", "days":
                total += amount * 1440
                found = true
            case "s", "sec", "secs", "second", "seconds":
                total += amount / 60
                found = true
            default:
                break
            }
            index = unitEnd > end ? unitEnd : end
        }
        return found ? Int(total.rounded()) : nil
    }

    /// An ID token such as `RIS-045`, `RIS-RESOLUTION-046`, `RES-20251203-button-prop-mismatch`:
    /// starts with an upper-case letter, has a hyphen and a digit, letters, digits and hyphens only.
    public static func isIdentifier(_ token: Substring) -> Bool {
        guard let first = token.first, first.isUppercase, first.isASCII else { return false }
        guard token.contains("-"), token.contains(where: \.isNumber) else { return false }
        guard !token.hasSuffix("-") else { return false }
        return token.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" }
    }

    /// Splits a heading `RIS-045: Title` into its ID and title.
    public static func splitIdentifier(fromHeading heading: String) -> (id: String, title: String)? {
        let trimmed = heading.trimmed()
        let end = trimmed.firstIndex { $0 == ":" || $0 == " " || $0 == "\t" } ?? trimmed.endIndex
        let token = trimmed[..<end]
        guard isIdentifier(token) else { return nil }
        var rest = trimmed[end...].drop { $0 == " " || $0 == "\t" }
        if let first = rest.first, ":—–-|".contains(first) { rest = rest.dropFirst() }
        return (String(token), rest.trimmed())
    }

    /// The ID inside a file name: `credentialmate-RIS-RESOLUTION-045-lambda-x.md` → `RIS-RESOLUTION-045`.
    public static func identifier(inFileStem stem: String) -> String? {
        let segments = stem.split(separator: "-", omittingEmptySubsequences: false)
        var start = 0
        while start < segments.count {
            let segment = segments[start]
            if segment.count >= 2, segment.allSatisfy({ $0.isASCII && $0.isUppercase }) {
                var end = start
                while end + 1 < segments.count, !segments[end + 1].isEmpty,
                    segments[end + 1].allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) })
                {
                    end += 1
                }
                let token = segments[start...end].joined(separator: "-")
                if end > start, token.contains(where: \.isNumber) { return token }
                start = end + 1
            } else {
                start += 1
            }
        }
        return nil
    }

    /// `kb-lambda-docker_builds` → `Kb lambda docker builds`.
    public static func title(fromFileStem stem: String) -> String {
        let words = stem.replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "-", with: " ")
            .split(separator: " ").joined(separator: " ")
        guard let first = words.first else { return "" }
        return first.uppercased() + words.dropFirst()
    }
}
