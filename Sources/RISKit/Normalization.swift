import Foundation
import FrontMatter

/// Normalisation of the values people write in header fields.
public enum FieldValue {
    /// `✅ RESOLVED` → `RESOLVED`, `CRITICAL (blocks all deployments)` → `CRITICAL`,
    /// `Resolved - pending verification` → `RESOLVED`. Nil when nothing is left.
    public static func label(_ raw: String) -> String? {
        var raw = raw
        if let ascii = raw.withUTF8({ $0.allSatisfy { $0 < 0x80 } ? labelOfASCII($0) : nil }) { return ascii }
        return labelOfCharacters(raw)
    }

    /// `label` of text that is all ASCII, on its bytes: there every Character is one byte (a
    /// CR LF pair, one Character, is read alike as two), a letter or a digit is `A-Z`, `a-z`,
    /// `0-9`, and no byte is an emoji it skips. Splitting Characters and asking each for its
    /// Unicode properties cost about 8,000 instructions a label.
    static func labelOfASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> String?? {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var started = false
        var previous = UInt8(ascii: " ")
        for (offset, byte) in bytes.enumerated() {
            let word = ASCIIByte.isDigit(byte) || ASCIIByte.isLetter(byte)
            if !started {
                if word { started = true } else { continue }
            }
            if word || byte == UInt8(ascii: "_") {
                result.append(ASCIIByte.uppercased(byte))
            } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                // Runs of blanks are one space, and none ends the label (as the split below does).
                if result.last != UInt8(ascii: " ") { result.append(UInt8(ascii: " ")) }
            } else if byte == UInt8(ascii: "-") {
                let next = offset + 1 < bytes.count ? bytes[offset + 1] : UInt8(ascii: " ")
                if previous == UInt8(ascii: " ") || next == UInt8(ascii: " ") { break }
                result.append(byte)
            } else {
                break
            }
            previous = byte
        }
        while result.last == UInt8(ascii: " ") { result.removeLast() }
        return .some(result.isEmpty ? nil : String(decoding: result, as: UTF8.self))
    }

    /// `label` by Characters, for text beyond ASCII.
    static func labelOfCharacters(_ raw: String) -> String? {
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
            } else if character.isLetter == false,
                character.unicodeScalars.first.map({
                    $0.properties.isEmojiPresentation || $0.properties.isEmoji && $0.value > 0x2000
                }) == true
            {
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
        for (prefix, levels) in severityCodes where code.hasPrefix(prefix) {
            if let level = levels[String(code.dropFirst(prefix.count))] { return level }
        }
        return label
    }

    /// The codes `severity` names, made once (three dictionaries built on every call were a
    /// sixtieth of parsing a record).
    private static let severityCodes: [(prefix: String, levels: [String: String])] = [
        ("SEV", ["1": "CRITICAL", "2": "HIGH", "3": "MEDIUM", "4": "LOW", "5": "LOW", "0": "CRITICAL"]),
        ("S", ["1": "CRITICAL", "2": "HIGH", "3": "MEDIUM", "4": "LOW"]),
        ("P", ["0": "CRITICAL", "1": "CRITICAL", "2": "HIGH", "3": "MEDIUM", "4": "LOW", "5": "LOW"]),
    ]

    /// The day a date is written for, `YYYY-MM-DD` (see `DayText.day(in:)`).
    public static func day(in text: String) -> String? { DayText.day(in: text) }

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
    static let identifierKindWords: Set<String> = [
        "RIS", "RES", "INC", "INCIDENT", "RESOLUTION", "RECORD", "TASK", "KB", "ADR",
    ]

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
        guard
            tokens.contains(where: { $0.contains(where: \.isLetter) && !identifierKindWords.contains($0.uppercased()) })
        else { return nil }
        let words = tokens.joined(separator: " ")
        // Words in capitals (an ID's) are lowered; a file name's keep their case.
        let cased = lowercasingCapitals && words == words.uppercased() ? words.lowercased() : words
        return cased.prefix(1).uppercased() + cased.dropFirst()
    }

    /// The first `YYYY-MM-DD` in the text.
    public static func isoDate(in text: String) -> String? { DayText.isoDate(in: text) }

    /// `90 minutes` → 90, `1.5 hours` → 90, `2h 30m` → 150, `1 day` → 1440. Nil when no duration is written.
    public static func minutes(in text: String) -> Int? {
        var text = text
        if let ascii = text.withUTF8({ $0.allSatisfy { $0 < 0x80 } ? minutesOfASCII($0) : nil }) {
            return ascii
        }
        return minutesOfCharacters(text)
    }

    /// `minutes` of text that is all ASCII, on its bytes: there every Character is one byte, a
    /// number `0-9` and a letter (once lowered) `a-z`; the amounts are read by the same
    /// `Double(_:)`. Characters cost about 11,000 instructions a duration.
    static func minutesOfASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Int?? {
        var total = 0.0
        var found = false
        var index = 0
        while index < bytes.count {
            guard ASCIIByte.isDigit(bytes[index]) else {
                index += 1
                continue
            }
            var end = index
            while end < bytes.count, ASCIIByte.isDigit(bytes[end]) || bytes[end] == UInt8(ascii: ".") { end += 1 }
            guard
                let amount = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self))
            else {
                index = end
                continue
            }
            var unitStart = end
            while unitStart < bytes.count,
                bytes[unitStart] == UInt8(ascii: " ") || bytes[unitStart] == UInt8(ascii: "-")
            {
                unitStart += 1
            }
            var unitEnd = unitStart
            while unitEnd < bytes.count, ASCIIByte.isLetter(bytes[unitEnd]) { unitEnd += 1 }
            if let minutes = minutes(
                amount, unit: String(decoding: bytes[unitStart..<unitEnd].map(ASCIIByte.lowered), as: UTF8.self))
            {
                total += minutes
                found = true
            }
            index = unitEnd > end ? unitEnd : end
        }
        guard found, total.isFinite, total < 6e11 else { return .some(nil) }
        return .some(Int(total.rounded()))
    }

    /// `amount` of `unit` (lower case: `m`, `min`, `hours`, `d`, `secs` ...) in minutes; nil for
    /// a word that is no unit of time.
    static func minutes(_ amount: Double, unit: String) -> Double? {
        switch unit {
        case "m", "min", "mins", "minute", "minutes": return amount
        case "h", "hr", "hrs", "hour", "hours": return amount * 60
        case "d", "day", "days": return amount * 1440
        case "s", "sec", "secs", "second", "seconds": return amount / 60
        default: return nil
        }
    }

    /// `minutes` by Characters, for text beyond ASCII.
    static func minutesOfCharacters(_ text: String) -> Int? {
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
            while end < lowered.endIndex, lowered[end].isNumber || lowered[end] == "." {
                end = lowered.index(after: end)
            }
            guard let amount = Double(lowered[index..<end]) else {
                index = end
                continue
            }
            var unitStart = end
            while unitStart < lowered.endIndex, lowered[unitStart] == " " || lowered[unitStart] == "-" {
                unitStart = lowered.index(after: unitStart)
            }
            var unitEnd = unitStart
            while unitEnd < lowered.endIndex, lowered[unitEnd].isLetter { unitEnd = lowered.index(after: unitEnd) }
            if let minutes = minutes(amount, unit: String(lowered[unitStart..<unitEnd])) {
                total += minutes
                found = true
            }
            index = unitEnd > end ? unitEnd : end
        }
        // A duration past a million years is not one (and Int(_:) of it would trap).
        guard found, total.isFinite, total < 6e11 else { return nil }
        return Int(total.rounded())
    }

    /// An ID token such as `RIS-045`, `RIS-RESOLUTION-046`, `RES-20251203-button-prop-mismatch`:
    /// starts with an upper-case letter, has a hyphen and a digit, letters, digits and hyphens only.
    ///
    /// On the bytes: every Character of an ID is one ASCII byte (a letter, a digit, `-`, `_`), so
    /// any other byte, a non-ASCII one included, ends the question. (Asking Characters whether
    /// they are upper-case letters or numbers cost ~29,000 instructions a record.)
    public static func isIdentifier(_ token: Substring) -> Bool {
        var sawHyphen = false
        var sawDigit = false
        var last: UInt8 = 0
        for (offset, byte) in token.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): break
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "_"): if offset == 0 { return false }
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if offset == 0 { return false }
                sawDigit = true
            case UInt8(ascii: "-"):
                if offset == 0 { return false }
                sawHyphen = true
            default: return false
            }
            last = byte
        }
        return sawHyphen && sawDigit && last != UInt8(ascii: "-")
    }

    /// Splits a heading `RIS-045: Title` into its ID and title.
    public static func splitIdentifier(fromHeading heading: String) -> (id: String, title: String)? {
        let trimmed = heading.trimmed()
        // The token ends at the first `:`, space or tab: found on the bytes unless a non-ASCII
        // byte follows it (a combining mark would make it another Character).
        let bytes = trimmed.utf8
        var end = trimmed.endIndex
        if let stop = bytes.firstIndex(where: { $0 == 0x3A || $0 == 0x20 || $0 == 0x09 }) {
            let next = bytes.index(after: stop)
            if next < bytes.endIndex, bytes[next] >= 0x80 {
                end = trimmed.firstIndex { $0 == ":" || $0 == " " || $0 == "\t" } ?? trimmed.endIndex
            } else {
                end = stop
            }
        }
        let token = trimmed[..<end]
        guard isIdentifier(token) else { return nil }
        var rest = trimmed[end...].drop { $0 == " " || $0 == "\t" }
        if let first = rest.first, ":—–-|".contains(first) { rest = rest.dropFirst() }
        return (String(token), rest.trimmed())
    }

    /// The ID inside a file name: `credentialmate-RIS-RESOLUTION-045-lambda-x.md` → `RIS-RESOLUTION-045`.
    public static func identifier(inFileStem stem: String) -> String? {
        identifierRange(inFileStem: stem)?.id
    }

    /// Kinds written in lower case in file names that still start an ID: `acme-ris-045.md`.
    static let lowercaseIdentifierKinds: Set<Substring> = ["ris", "res", "inc"]

    /// The ID inside a file name and where it is: a run of capitals and numbers with a number
    /// (`RIS-045`, `RIS-TASK-GOV-014-SCRIPTS-CLEANUP`), or a lower-case kind and its number
    /// (`ris-045`, read as `RIS-045`); `-` and `_` separate it from the name around it.
    static func identifierRange(inFileStem stem: String) -> (id: String, range: Range<String.Index>)? {
        // On the name's bytes: an ID is ASCII, and the separators are ASCII bytes. (Reading it as
        // Characters cost 78,000 instructions a record; only a `-` carrying a combining mark
        // reads differently, and no ID is next to one.)
        let utf8 = stem.utf8
        // Segments between `-` and `_`, with where each starts and ends.
        var segments: [Range<String.Index>] = []
        var segmentStart = utf8.startIndex
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            let next = utf8.index(after: index)
            if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") {
                segments.append(segmentStart..<index)
                segmentStart = next
            }
            index = next
        }
        segments.append(segmentStart..<utf8.endIndex)
        func isCapitals(_ range: Range<String.Index>) -> Bool {
            utf8[range].count >= 2 && utf8[range].allSatisfy(ASCIIByte.isUpper)
        }
        func isCapitalsOrNumber(_ range: Range<String.Index>) -> Bool {
            !range.isEmpty && utf8[range].allSatisfy { ASCIIByte.isUpper($0) || ASCIIByte.isDigit($0) }
        }
        func isNumber(_ range: Range<String.Index>) -> Bool {
            !range.isEmpty && utf8[range].allSatisfy(ASCIIByte.isDigit)
        }
        var start = 0
        while start < segments.count {
            let segment = segments[start]
            if isCapitals(segment) {
                var end = start
                while end + 1 < segments.count, isCapitalsOrNumber(segments[end + 1]) { end += 1 }
                let range = segment.lowerBound..<segments[end].upperBound
                if end > start, utf8[range].contains(where: ASCIIByte.isDigit) { return (String(stem[range]), range) }
                start = end + 1
            } else if lowercaseIdentifierKinds.contains(stem[segment]), start + 1 < segments.count,
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

    /// `kb-lambda-docker_builds` → `Kb lambda docker builds`.
    public static func title(fromFileStem stem: String) -> String {
        let words = stem.replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "-", with: " ")
            .split(separator: " ").joined(separator: " ")
        guard let first = words.first else { return "" }
        return first.uppercased() + words.dropFirst()
    }
}
