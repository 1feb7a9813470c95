import Foundation

/// The days people write: `2024-04-01`, `2024-05-02T09:14:00Z`, `2024/04/01`, `April 1, 2024`,
/// `1 Apr 2024`. One reading for front matter, records and the compliance rules.
public enum DayText {
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
            if parts.count == 3, parts[0].count == 4, let year = Int(parts[0]), let month = Int(parts[1]),
                let day = Int(parts[2])
            {
                if let result = format(year, month, day) { return result }
            }
            guard let month = month(word), index + 1 < words.count else { continue }
            // April 1, 2024
            if let day = Int(words[index + 1]), index + 2 < words.count, let year = Int(words[index + 2]),
                let result = format(year, month, day)
            {
                return result
            }
            // 1 April 2024
            if index > 0, let day = Int(words[index - 1]), let year = Int(words[index + 1]),
                let result = format(year, month, day)
            {
                return result
            }
        }
        return nil
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
            if ok && (start == 0 || !digit(bytes[start - 1]))
                && (start + 10 == bytes.count || !digit(bytes[start + 10]))
            {
                return String(decoding: window, as: UTF8.self)
            }
        }
        return nil
    }

}
