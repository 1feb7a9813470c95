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
