import ArgumentParser
import Foundation
import FrontMatter
import RISKit
import RISStore

extension RIS {
    /// `ris pattern`: the known-error signatures.
    struct Pattern: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List, show and count hits of hot patterns (known-error signatures).",
            subcommands: [List.self, Show.self, Add.self, Hit.self]
        )

        enum Sort: String, ExpressibleByArgument, CaseIterable {
            case hits, lastUsed = "last-used", title
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "List the hot patterns of the hot-patterns file and of the records.",
                discussion: "JSON keys: title, keywords, symptom, rootCause, solution, related, hitCount, lastUsed, path, line, hitsLast30Days."
            )
            @Option(help: "Order: hits (most first), last-used (most recent first) or title.")
            var sort: Sort = .hits
            @OptionGroup var output: FormatOptions
            @OptionGroup var knowledgeBase: KnowledgeBaseOptions
            @OptionGroup var refresh: RefreshOptions

            func run() throws {
                let store = try openIndex(try knowledgeBase.knowledgeBase(), refresh: !refresh.noRefresh)
                var patterns = try store.hotPatterns()
                let base = store.knowledgeBase
                let since = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-30 * 86_400))
                let recent = base.hits().filter { $0.at >= since }
                for index in patterns.indices {
                    let pattern = patterns[index]
                    patterns[index].hitsLast30Days = recent.filter { $0.title == pattern.title && $0.path == pattern.path }.count
                }
                switch sort {
                case .hits: patterns.sort { ($0.hitCount ?? -1, $1.title) > ($1.hitCount ?? -1, $0.title) }
                case .lastUsed: patterns.sort { ($0.lastUsed ?? "", $1.title) > ($1.lastUsed ?? "", $0.title) }
                case .title: patterns.sort { $0.title.lowercased() < $1.title.lowercased() }
                }
                switch output.format {
                case .json:
                    // The JSON holds each pattern's symptom and solution: content of the records they come from.
                    let withheld = try recordReadsOrWithhold(store, action: "read:pattern-list", paths: Array(Set(patterns.map(\.path))).sorted())
                    patterns.removeAll { withheld.contains($0.path) }
                    try printJSON(patterns)
                case .text:
                    // Titles, dates and paths come from the files: escaped, cut and padded on the escaped text.
                    let lines = patterns.map { pattern in
                        let hits = pattern.hitCount.map(String.init) ?? "-"
                        return Terminal.padded(hits, to: 5) + " " + Terminal.padded(String(pattern.hitsLast30Days ?? 0), to: 4) + " "
                            + Terminal.padded(pattern.lastUsed ?? "-", to: 11) + " "
                            + Terminal.escaped(pattern.title) + "  (\(Terminal.escaped(pattern.path)):\(pattern.line))"
                    }
                    Terminal.write((["HITS  30D  LAST USED   TITLE"] + lines).joined(separator: "\n"))
                }
                if patterns.isEmpty { throw ExitCode(1) }
            }
        }

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show one hot pattern: a unique part of its title, its slug, or a related ID.")
            @Argument(help: "Which pattern.")
            var pattern: String
            @OptionGroup var output: FormatOptions
            @OptionGroup var knowledgeBase: KnowledgeBaseOptions
            @OptionGroup var refresh: RefreshOptions

            func run() throws {
                let store = try openIndex(try knowledgeBase.knowledgeBase(), refresh: !refresh.noRefresh)
                let stored = try store.hotPatterns()
                let asPatterns = stored.map { item -> HotPattern in
                    var pattern = HotPattern(title: item.title, line: item.line)
                    pattern.related = item.related
                    return pattern
                }
                let chosen: HotPattern
                do {
                    chosen = try HotPatternFile.choose(pattern, in: asPatterns)
                } catch let failure as HotPatternFile.Failure {
                    throw CLIFailure(message: failure.description, code: failure.isAmbiguous ? 2 : 1)
                }
                let item = stored[asPatterns.firstIndex { $0.title == chosen.title && $0.line == chosen.line }!]
                try recordAccess(store.knowledgeBase, action: "read:pattern-show", documents: try store.auditRequired(among: [item.path]))
                switch output.format {
                case .json: try printJSON(item)
                case .text:
                    // One value per line, escaped; the texts line by line (split where a terminal would break them).
                    var lines = [Terminal.escaped(item.title), "  \(Terminal.escaped(item.path)):\(item.line)"]
                    if !item.keywords.isEmpty { lines.append("keywords:   " + Terminal.escaped(item.keywords.joined(separator: ", "))) }
                    lines.append("hits:       \(item.hitCount.map(String.init) ?? "-")" + Terminal.escaped(item.lastUsed.map { ", last used \($0)" } ?? ""))
                    if !item.related.isEmpty { lines.append("related:    " + Terminal.escaped(item.related.joined(separator: ", "))) }
                    for (title, text) in [("Symptom", item.symptom), ("Root cause", item.rootCause), ("Solution", item.solution)] where !text.isEmpty {
                        lines.append("")
                        lines.append(title + ":")
                        lines += text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map { "  " + Terminal.escaped(String($0), .block) }
                    }
                    Terminal.write(lines.joined(separator: "\n"))
                }
            }
        }

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Append a record's hot-pattern entry to the hot-patterns file.",
                discussion: """
                    The record's `## Hot Pattern Entry` is written in the canonical format (fences repaired); a record
                    without one gets an entry made from its title, symptom, root cause, solution and tags. Running it
                    twice changes nothing the second time. JSON keys: title, path, added.
                    """
            )
            @Argument(help: "The record: an ID, a path, or a unique prefix of either.")
            var reference: String
            @OptionGroup var output: FormatOptions
            @OptionGroup var knowledgeBase: KnowledgeBaseOptions

            func run() throws {
                let base = try knowledgeBase.knowledgeBase()
                let store = try openIndex(base, refresh: true)
                let entry = try resolveReference(reference, in: store)
                let (document, read) = base.record(at: entry.path)
                // The entry copies the record's text into the hot-patterns file: a read of it.
                if requiresAudit(document) {
                    try recordAccess(base, action: "read:pattern-add", documents: [(entry.path, document.id, ContentDigest.sha256(read ?? Data()))])
                }
                // The entry an author wrote in the record is meant for the hot-patterns file; one
                // generated from the text of an encryption-required record would copy that text.
                if document.hotPatterns.isEmpty {
                    try refuseCopyIfEncryptionRequired(document, path: entry.path, into: "a generated hot-pattern entry (write a ## Hot Pattern Entry in the record to share one)")
                }
                let pattern = HotPatternFile.entry(for: document)
                let added = try confined { try base.addHotPattern(pattern, lastUsed: document.date) }
                if added, let store = try? openStore(base) { _ = try? store.refresh() }
                switch output.format {
                case .json:
                    struct Result: Encodable {
                        var title: String
                        var path: String
                        var added: Bool
                    }
                    try printJSON(Result(title: pattern.title, path: base.config.hotPatterns, added: added))
                case .text:
                    let title = Terminal.escaped(pattern.title)
                    Terminal.write(added ? "added \"\(title)\" to \(Terminal.escaped(base.config.hotPatterns))"
                                         : "\"\(title)\" is already in \(Terminal.escaped(base.config.hotPatterns)); nothing changed")
                }
            }
        }

        struct Hit: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Count one use of a hot pattern of the hot-patterns file.",
                discussion: """
                    Adds one to **Hit Count:** and sets **Last Used:** (today, or --date); no other byte of the file
                    changes. The write is atomic and locked: concurrent hits are all counted. An ambiguous
                    pattern lists the candidates (exit 2) and changes nothing.
                    """
            )
            @Argument(help: "A unique, case-insensitive part of a title, a slug, or a related record ID.")
            var pattern: String
            @Option(help: ArgumentHelp("The date of the hit (default: today).", valueName: "YYYY-MM-DD"))
            var date: String?
            @OptionGroup var output: FormatOptions
            @OptionGroup var knowledgeBase: KnowledgeBaseOptions

            func validate() throws {
                if let date, Day.parse(date) == nil { throw ValidationError("--date takes a date like 2026-01-31, not '\(date)'") }
            }

            func run() throws {
                let base = try knowledgeBase.knowledgeBase()
                let day = date ?? Day.format(Date())
                let environment = ProcessInfo.processInfo.environment
                let actor = environment["RIS_ACTOR"] ?? environment["USER"] ?? "unknown"
                let hit: HotPatternHit
                do {
                    hit = try confined {
                        try base.recordHit(on: pattern, day: day, actor: actor, at: ISO8601DateFormatter().string(from: Date()))
                    }
                } catch let failure as HotPatternFile.Failure {
                    throw CLIFailure(message: failure.description, code: failure.isAmbiguous ? 2 : 1)
                }
                let result = (hit.pattern, hit.hitCount)
                // The index follows the file; a failure here leaves the file right and the index stale.
                if let store = try? openStore(base) { _ = try? store.refresh() }
                switch output.format {
                case .json:
                    struct HitResult: Encodable {
                        var title: String
                        var hitCount: Int
                        var lastUsed: String
                        var path: String
                    }
                    try printJSON(HitResult(title: result.0.title, hitCount: result.1, lastUsed: day, path: base.config.hotPatterns))
                case .text:
                    Terminal.write("\(Terminal.escaped(result.0.title)): \(result.1) hits, last used \(day)")
                }
            }
        }
    }
}

extension HotPatternFile.Failure {
    var isAmbiguous: Bool {
        if case .ambiguous = self { return true }
        return false
    }
}

/// Pretty, key-sorted JSON on stdout.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    FileHandle.standardOutput.write(try encoder.encode(value))
    FileHandle.standardOutput.write(Data("\n".utf8))
}
