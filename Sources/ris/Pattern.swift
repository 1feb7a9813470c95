import ArgumentParser
import Foundation
import RISWorkflows

extension HotPatternOrder: StringChoice {}

extension RIS {
    /// `ris pattern`: the known-error signatures.
    struct Pattern: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pattern",
            abstract: "List, show and count hits of hot patterns (known-error signatures).",
            subcommands: [List.self, Show.self, Add.self, Hit.self]
        )

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "list",
                abstract: "List the hot patterns of the hot-patterns file and of the records.",
                discussion:
                    "JSON keys: title, keywords, symptom, rootCause, solution, related, hitCount, lastUsed, path, "
                    + "line, hitsLast30Days."
            )
            @Option(help: "Order: hits (most first), last-used (most recent first) or title.")
            var sort: HotPatternOrder = .hits
            @OptionGroup var output: FormatOptions
            @OptionGroup var knowledgeBase: KnowledgeBaseOptions
            @OptionGroup var refresh: RefreshOptions
            @OptionGroup var pager: PagerOptions

            func run() throws {
                pager.start(for: output.format == .text)
                // JSON holds each pattern's symptom and solution: content of the records they come from.
                let session = try knowledgeBase.session()
                let found = try session.listHotPatterns(
                    order: sort, withContent: output.format == .json, refresh: !refresh.noRefresh)
                reportWithheld(found.withheld, in: session)
                let patterns = found.items
                switch output.format {
                case .json:
                    try printJSON(patterns)
                case .text:
                    var table = TextTable(
                        header: ["HITS", "30D", "LAST USED", "TITLE", "WHERE"], limits: [nil, nil, nil, 70, nil],
                        rightAligned: [0, 1])
                    table.rows = patterns.map { pattern in
                        [
                            pattern.hitCount.map(String.init) ?? "-", String(pattern.hitsLast30Days ?? 0),
                            pattern.lastUsed ?? "-", pattern.title, "\(pattern.path):\(pattern.line)",
                        ]
                    }
                    Terminal.writeStyled(table.rendered())
                }
                if patterns.isEmpty { throw ExitCode(1) }
            }
        }

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "show",
                abstract: "Show one hot pattern: a unique part of its title, its slug, or a related ID.")
            @Argument(help: "Which pattern.")
            var pattern: String
            @OptionGroup var output: FormatOptions
            @OptionGroup var knowledgeBase: KnowledgeBaseOptions
            @OptionGroup var refresh: RefreshOptions

            func run() throws {
                let item = try knowledgeBase.session().hotPattern(pattern, refresh: !refresh.noRefresh)
                switch output.format {
                case .json: try printJSON(item)
                case .text:
                    // One value per line, escaped; the texts line by line (split where a terminal would break them).
                    var lines = [Terminal.escaped(item.title), "  \(Terminal.escaped(item.path)):\(item.line)"]
                    if !item.keywords.isEmpty {
                        lines.append("keywords:   " + Terminal.escaped(item.keywords.joined(separator: ", ")))
                    }
                    lines.append(
                        "hits:       \(item.hitCount.map(String.init) ?? "-")"
                            + Terminal.escaped(item.lastUsed.map { ", last used \($0)" } ?? ""))
                    if !item.related.isEmpty {
                        lines.append("related:    " + Terminal.escaped(item.related.joined(separator: ", ")))
                    }
                    for (title, text) in [
                        ("Symptom", item.symptom), ("Root cause", item.rootCause), ("Solution", item.solution),
                    ] where !text.isEmpty {
                        lines.append("")
                        lines.append(title + ":")
                        lines += text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map {
                            "  " + Terminal.escaped(String($0), .block)
                        }
                    }
                    Terminal.write(lines.joined(separator: "\n"))
                }
            }
        }

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "add",
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
                let result = try knowledgeBase.session().addHotPattern(from: reference)
                let (pattern, added) = (result.pattern, result.added)
                switch output.format {
                case .json:
                    struct Result: Encodable {
                        var title: String
                        var path: String
                        var added: Bool
                    }
                    try printJSON(Result(title: pattern.title, path: result.path, added: added))
                case .text:
                    let title = Terminal.escaped(pattern.title)
                    Terminal.write(
                        added
                            ? "added \"\(title)\" to \(Terminal.escaped(result.path))"
                            : "\"\(title)\" is already in \(Terminal.escaped(result.path)); nothing changed")
                }
            }
        }

        struct Hit: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "hit",
                abstract: "Count one use of a hot pattern of the hot-patterns file.",
                discussion: """
                    Adds one to **Hit Count:** and sets **Last Used:** (today, or --date); no other byte of the file
                    changes. The write is atomic and locked: concurrent hits are all counted. An ambiguous
                    pattern lists the candidates (exit 2) and changes nothing.
                    """
            )
            @Argument(help: "A unique, case-insensitive part of a title, a slug, or a related record ID.")
            var pattern: String
            @Option(
                help: ArgumentHelp("The date of the hit (default: today).", valueName: "YYYY-MM-DD"),
                transform: CalendarDay.argument)
            var date: CalendarDay?
            @OptionGroup var output: FormatOptions
            @OptionGroup var knowledgeBase: KnowledgeBaseOptions

            func validate() throws {
            }

            func run() throws {
                let hit = try knowledgeBase.session().recordHit(on: pattern, day: date ?? .today())
                switch output.format {
                case .json:
                    struct HitResult: Encodable {
                        var title: String
                        var hitCount: Int
                        var lastUsed: String
                        var path: String
                    }
                    try printJSON(
                        HitResult(
                            title: hit.pattern.title, hitCount: hit.hitCount, lastUsed: hit.lastUsed, path: hit.path))
                case .text:
                    Terminal.write(
                        "\(Terminal.escaped(hit.pattern.title)): \(hit.hitCount) hits, last used \(hit.lastUsed)")
                }
            }
        }
    }
}

/// One compact, key-sorted JSON object per line on stdout (`--format jsonl`).
func printJSONLines<T: Encodable>(_ items: [T]) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var out = Data()
    for item in items {
        out.append(try encoder.encode(item))
        out.append(0x0A)
    }
    Terminal.writeOutput(out)
}

/// Pretty, key-sorted JSON on stdout.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    Terminal.writeOutput(try encoder.encode(value))
    Terminal.writeOutput(Data(utf8Of: "\n"))
}
