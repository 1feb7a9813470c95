import ArgumentParser
import Foundation
import RISWorkflows

/// How `match` prints what it found.
enum MatchFormat: String, StringChoice {
    case table, json, jsonl
}

extension RIS {
    /// `ris match [FILE]`: from a pasted log to the known fix.
    struct Match: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "match",
            abstract: "Find the hot patterns and records that carry the error signature of a log (the known fix).",
            discussion: """
                Reads a log, a traceback or CLI output from FILE, or stdin when FILE is absent or -, at most 1 MiB.
                What varies between runs is masked (numbers, digests, UUIDs, IPs and ports, hosts, ARNs, image
                references, timestamps, user paths); names, codes and the words of messages are matched, rare ones
                weighing most. Hot patterns come first. Nothing of the log is written anywhere. See docs/search.md.
                JSON keys: kind, id, path, line, title, score, matched (text, lines), fix, related, date, severity,
                and hit (hitCount, lastUsed) on the entry --hit counted.
                Exit 0 with matches, 1 with none, 2 for bad usage.
                """
        )

        @Argument(help: "The log file (default: stdin).")
        var file: String?
        @Option(parsing: .unconditional, help: "How many matches at most.")
        var limit: Int = 5
        @Flag(help: "Count a hit on the best hot pattern when it is clearly the best (see docs/search.md).")
        var hit = false
        @Option(
            help: ArgumentHelp("The date of the hit (default: today).", valueName: "YYYY-MM-DD"),
            transform: CalendarDay.argument)
        var date: CalendarDay?
        @Option(name: .long, help: "Output format: table for people; json or jsonl for scripts and agents.")
        var format: MatchFormat = .table
        @OptionGroup var knowledgeBase: KnowledgeBaseOptions
        @OptionGroup var refresh: RefreshOptions
        @OptionGroup var pager: PagerOptions

        func validate() throws {
            guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
            if date != nil && !hit { throw ValidationError("--date is the date of a hit: give --hit too") }
        }

        func run() throws {
            pager.start(for: format == .table)
            let log = try readLog()
            let session = try knowledgeBase.session()
            let report = try session.match(
                log, limit: limit, refresh: !refresh.noRefresh, countHit: hit, day: date)
            reportWithheld(report.withheld, in: session)
            if report.truncated {
                Terminal.writeError(
                    "ris: note: the log is longer than 1 MiB; its first \(report.linesRead) lines were matched")
            }
            if let reason = report.hitNotCounted { Terminal.writeError("ris: note: \(reason)") }
            try MatchOutput.print(report, format: format)
            if report.results.isEmpty {
                if format == .table {
                    Terminal.writeError(
                        "nothing in the knowledge base carries this log's signature (\(report.linesRead) lines read)")
                }
                throw ExitCode(1)
            }
        }

        /// The log, read up to a little over the limit (the rest is never read, so any size is safe).
        func readLog() throws -> String {
            let handle: FileHandle
            if let file, file != "-" {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue,
                    let opened = FileHandle(forReadingAtPath: file)
                else {
                    throw ValidationError("cannot read \(Terminal.printable(file)): give a log file, or - for stdin")
                }
                handle = opened
            } else {
                if Terminal.isTerminal(0) {
                    Terminal.writeError("ris: paste the log, then press Ctrl-D")
                }
                handle = FileHandle.standardInput
            }
            defer { if handle !== FileHandle.standardInput { try? handle.close() } }
            var data = Data()
            let cap = 1 << 20
            while data.count <= cap {
                guard let chunk = try handle.read(upToCount: 64 << 10), !chunk.isEmpty else { break }
                data.append(chunk)
            }
            return String(decoding: data, as: UTF8.self)
        }
    }
}

enum MatchOutput {
    static func print(_ report: MatchReport, format: MatchFormat) throws {
        struct Counted: Encodable {
            var hitCount: Int
            var lastUsed: String
        }
        struct Row: Encodable {
            var result: MatchResult
            var hit: Counted?
            func encode(to encoder: any Encoder) throws {
                try result.encode(to: encoder)
                if let hit {
                    enum Key: String, CodingKey { case hit }
                    var container = encoder.container(keyedBy: Key.self)
                    try container.encode(hit, forKey: .hit)
                }
            }
        }
        let rows = report.results.map { result in
            Row(
                result: result,
                hit: report.hit(on: result).map { Counted(hitCount: $0.hitCount, lastUsed: $0.lastUsed) })
        }
        switch format {
        case .json:
            try printJSON(rows)
        case .jsonl:
            try printJSONLines(rows)
        case .table:
            guard !report.results.isEmpty else { return }
            Terminal.write(text(report).joined(separator: "\n"))
        }
    }

    /// Each match as a block: what it is, where, what of the log matched (with its lines), the fix.
    static func text(_ report: MatchReport) -> [String] {
        var lines: [String] = []
        for (offset, result) in report.results.enumerated() {
            if offset > 0 { lines.append("") }
            let entry = result.entry
            let kind = entry.kind == .hotPattern ? "hot pattern" : "record"
            let id = entry.id.isEmpty ? "" : "  " + Terminal.escaped(entry.id)
            lines.append(
                "\(offset + 1). \(kind)\(id)  \(Terminal.escaped(entry.title))  (score "
                    + entry.score.fixedText(places: 1) + ")")
            lines.append("   \(Terminal.escaped(entry.path)):\(entry.line)")
            let matched = entry.matched.prefix(8).map { item -> String in
                let text = item.text.contains(" ") ? "\"\(item.text)\"" : item.text
                let where_ =
                    item.lines.count == 1
                    ? "line \(item.lines[0])" : "lines " + item.lines.prefix(4).map(String.init).joined(separator: ", ")
                return "\(Terminal.escaped(text)) (\(where_))"
            }
            lines.append("   matched: " + matched.joined(separator: ", "))
            if !result.fix.isEmpty {
                let fix = result.fix.split(separator: "\n", omittingEmptySubsequences: false).map {
                    Terminal.escaped(String($0), .block)
                }
                lines.append("   fix: " + fix[0])
                lines += fix.dropFirst().map { "        " + $0 }
            }
            if let hit = report.hit(on: result) {
                lines.append("   hit counted: \(hit.hitCount) hits, last used \(hit.lastUsed)")
            }
        }
        return lines
    }
}
