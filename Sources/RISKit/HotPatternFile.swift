import Foundation
import FrontMatter

#if canImport(Glibc)
    import Glibc
#endif

/// The hot-patterns file of a knowledge base, and the one edit ris makes to it in place:
/// counting a hit. Only the `**Hit Count:**` and `**Last Used:**` lines change.
public enum HotPatternFile {
    /// A lower-case, hyphenated form of a title: `lambda-deployment-manifest-media-type-not-supported`.
    public static func slug(_ title: String) -> String {
        var result = ""
        var pendingHyphen = false
        for scalar in title.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if pendingHyphen && !result.isEmpty { result.append("-") }
                result.unicodeScalars.append(scalar)
                pendingHyphen = false
            } else {
                pendingHyphen = true
            }
        }
        return result
    }

    /// The one pattern that `query` names (see `choose(_:among:)`), all of them in one file.
    public static func choose(_ query: String, in patterns: [HotPattern], path: String? = nil) throws -> HotPattern {
        let index = try choose(query, among: patterns.map { (path ?? "", $0) })
        return patterns[index]
    }

    /// The index of the one pattern that `query` names, tried in this order (the first rule
    /// that picks any decides): `path:line` of its title; its exact title or slug; a
    /// case-insensitive part of its title or slug; one of its keywords or related record IDs;
    /// a part of a keyword. Several picked by one rule are listed (`path:line  title`), so that
    /// one can be chosen.
    ///
    /// `preferring`: the hot-patterns file. When one rule picks several entries of one title
    /// (a record's `## Hot Pattern Entry` and the copy `ris pattern add` made of it), the one
    /// in that file is the pattern.
    public static func choose(
        _ query: String, among candidates: [(path: String, pattern: HotPattern)], preferring: String? = nil
    ) throws -> Int {
        let wanted = query.trimmed().lowercased()
        guard !wanted.isEmpty else { throw RISKitError(.hotPatternNotFound, "no hot pattern matches '\(query)'") }
        let wantedSlug = slug(wanted)
        let rules: [(HotPattern, String) -> Bool] = [
            { pattern, path in
                guard let colon = wanted.lastIndex(of: ":"), let line = Int(wanted[wanted.index(after: colon)...]),
                    line == pattern.line
                else { return false }
                let file = String(wanted[..<colon])
                let lowerPath = path.lowercased()
                return !file.isEmpty && (lowerPath == file || lowerPath.hasSuffix("/" + file))
            },
            { pattern, _ in pattern.title.lowercased() == wanted || slug(pattern.title) == wanted },
            { pattern, _ in
                pattern.title.lowercased().includes(wanted)
                    || (!wantedSlug.isEmpty && slug(pattern.title).includes(wantedSlug))
            },
            { pattern, _ in
                pattern.keywords.contains { $0.lowercased() == wanted }
                    || pattern.related.contains { $0.lowercased() == wanted }
            },
            { pattern, _ in wanted.count >= 3 && pattern.keywords.contains { $0.lowercased().includes(wanted) } },
        ]
        for rule in rules {
            let picked = candidates.indices.filter { rule(candidates[$0].pattern, candidates[$0].path) }
            if picked.count == 1 { return picked[0] }
            if picked.count > 1, let preferring,
                Set(picked.map { candidates[$0].pattern.title.lowercased() }).count == 1,
                case let inFile = picked.filter({ candidates[$0].path == preferring }), inFile.count == 1
            {
                return inFile[0]
            }
            if picked.count > 1 {
                let list = picked.map { index -> String in
                    let (path, pattern) = candidates[index]
                    return "  " + (path.isEmpty ? "line \(pattern.line)" : "\(path):\(pattern.line)")
                        + "  \(pattern.title)"
                }
                throw RISKitError(
                    .hotPatternAmbiguous,
                    "'\(query)' matches \(picked.count) hot patterns; give one of these (path:line) or more of the title:\n"
                        + list.joined(separator: "\n"),
                    candidates: picked.map { candidates[$0].pattern })
            }
        }
        throw RISKitError(.hotPatternNotFound, "no hot pattern matches '\(query)'")
    }

    /// The file's new text after one hit on `pattern` on `date`: the hit count plus one and the
    /// last-used date set; a missing line is added at the end of the entry. No other byte changes.
    public static func recordingHit(on pattern: HotPattern, date: String, in text: String) -> String {
        let newline = text.includes("\r\n") ? "\r\n" : "\n"
        // Split on the scalar: `"\r\n"` is one Character, so a split on Characters would find
        // no line at all in a CRLF file (and the hit would change nothing).
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map {
            String(String.UnicodeScalarView($0))
        }
        let hasCR = lines.map { $0.hasSuffix("\r") }
        var bodies = zip(lines, hasCR).map { $1 ? String($0.dropLast()) : $0 }

        func replaceValue(at line: Int, with value: String) {
            let index = line - 1
            guard index < bodies.count, let colon = bodies[index].range(of: ":**") ?? bodies[index].range(of: "**:")
            else { return }
            let prefix = bodies[index][..<colon.upperBound]
            bodies[index] = prefix + " " + value
        }
        var appended: [String] = []
        if let line = pattern.hitCountLine {
            replaceValue(at: line, with: String((pattern.hitCount ?? 0) + 1))
        } else {
            appended.append("**Hit Count:** \((pattern.hitCount ?? 0) + 1)")
        }
        if let line = pattern.lastUsedLine {
            replaceValue(at: line, with: date)
        } else {
            appended.append("**Last Used:** \(date)")
        }
        if !appended.isEmpty {
            // After the entry's last non-blank line that is not a rule.
            var end = pattern.line
            var index = pattern.line  // 0-based index of the line after the title
            while index < bodies.count {
                let trimmed = bodies[index].trimmed()
                if let level = headingLevel(trimmed), level <= headingLevel(bodies[pattern.line - 1].trimmed()) ?? 6 {
                    break
                }
                if !trimmed.isEmpty && trimmed != "---" && trimmed != "***" { end = index + 1 }
                index += 1
            }
            bodies.insert(contentsOf: appended, at: end)
            lines = bodies
            let cr = newline == "\r\n" ? "\r" : ""
            return lines.enumerated().map { $0.offset < lines.count - 1 ? $0.element + cr : $0.element }.joined(
                separator: "\n")
        }
        return zip(bodies, hasCR).map { $1 ? $0 + "\r" : $0 }.joined(separator: "\n")
    }

    private static func headingLevel(_ line: String) -> Int? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        return hashes
    }
}

extension HotPatternFile {
    /// The entry a record proposes: its `## Hot Pattern Entry`, or one made from its title,
    /// symptom, root cause, solution and tags.
    public static func entry(for document: RISDocument) -> HotPattern {
        if var proposed = document.hotPatterns.first {
            if proposed.related.isEmpty { proposed.related = [document.id] }
            return proposed
        }
        var pattern = HotPattern(title: document.title, line: 0)
        let words = document.title.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
            .filter { $0.count > 3 }
        var seen = Set<String>()
        pattern.keywords = (document.tags + words).filter { seen.insert($0.lowercased()).inserted }
        pattern.symptom =
            document.codeBlocks.first {
                $0.line >= (document.sections.first { $0.heading.lowercased().includes("symptom") }?.line ?? Int.max)
            }?.text
            ?? document.symptomText
        pattern.rootCause = document.field("Root Cause") ?? firstParagraph(document.rootCauseText)
        pattern.solution = document.field("Resolution") ?? document.field("Solution") ?? ""
        pattern.related = [document.id]
        pattern.hitCount = 0
        return pattern
    }

    private static func firstParagraph(_ text: String) -> String {
        text.components(separatedBy: "\n\n").first?.trimmed() ?? ""
    }

    /// The canonical text of an entry (FORMAT.md section 4). Multi-line text goes in a fence
    /// longer than any it contains, so that nested fences cannot break it.
    public static func render(_ pattern: HotPattern, lastUsed: String?) -> String {
        func block(_ label: String, _ text: String, language: String = "") -> String {
            let body = text.trimmed()
            guard !body.isEmpty else { return "**\(label):**\n" }
            guard body.contains("\n") || body.includes("```") else { return "**\(label):** \(body)\n" }
            var longest = 0
            var run = 0
            for character in body {
                run = character == "`" ? run + 1 : 0
                longest = max(longest, run)
            }
            let fence = String(repeating: "`", count: max(3, longest + 1))
            return "**\(label):**\n\(fence)\(language)\n\(body)\n\(fence)\n"
        }
        var out = "## \(pattern.title)\n\n"
        out += "**Keywords:** \(pattern.keywords.joined(separator: ", "))\n\n"
        out += block("Symptom", pattern.symptom) + "\n"
        out += "**Root Cause:** \(pattern.rootCause.trimmed().replacingOccurrences(of: "\n", with: " "))\n\n"
        out += block("Solution", pattern.solution) + "\n"
        out += "**Related:** \(pattern.related.joined(separator: ", "))\n"
        out += "**Hit Count:** \(pattern.hitCount ?? 0)\n"
        out += "**Last Used:** \(pattern.lastUsed ?? lastUsed ?? "never")\n"
        return out
    }

    /// The hot-patterns file with `pattern` appended, or nil when an entry of that title is there.
    public static func appending(_ pattern: HotPattern, lastUsed: String?, to text: String?, existing: [HotPattern])
        -> String?
    {
        if existing.contains(where: { $0.title.lowercased() == pattern.title.lowercased() }) { return nil }
        var out = text ?? "# Hot Patterns\n\nKnown-error signatures. Look here first when an error appears.\n"
        if !out.isEmpty && !out.hasSuffix("\n") { out += "\n" }
        if !out.isEmpty && !out.hasSuffix("\n\n") { out += "\n" }
        return out + render(pattern, lastUsed: lastUsed)
    }
}

/// The hits log, `.ris/hits.jsonl`: one JSON object per line (`at`, `actor`, `title`, `path`).
/// It is not derived from the markdown (the files keep only the count and the last date), so it
/// lives beside the configuration, not in the index, and is only ever appended to.
public enum HitLog {
    public struct Entry: Codable, Sendable, Hashable {
        /// ISO 8601 time of the hit.
        public var at: String
        public var actor: String
        public var title: String
        public var path: String

        public init(at: String, actor: String, title: String, path: String) {
            self.at = at
            self.actor = actor
            self.title = title
            self.path = path
        }
    }

    /// Appends one entry (a single write of one line, under the caller's lock) to the log of
    /// the knowledge base. Returns the log's size before, to take the line back.
    public static func append(_ entry: Entry, in files: ConfinedFolder) throws -> Int64 {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var line = try encoder.encode(entry)
        line.append(0x0A)
        return try files.append(.hitLog, line)
    }

    /// Every entry of a log's bytes; lines that do not read are skipped.
    public static func entries(in data: Data) -> [Entry] {
        let decoder = JSONDecoder()
        return data.split(separator: 0x0A).compactMap { try? decoder.decode(Entry.self, from: Data($0)) }
    }
}
