import ArgumentParser
import Foundation
import RISWorkflows

/// How `search`, `list` and `similar` print documents.
enum ListFormat: String, StringChoice {
    case table, json, jsonl, csv, paths
}

struct ListFormatOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: table for people; json, jsonl, csv or paths for scripts.")
    var format: ListFormat = .table
}

enum HitOutput {
    /// `limit`: the most that were asked for; `total`: how many there are in all, when counted.
    /// The table then ends with "20 of 143" when some were left out.
    static func print(
        _ hits: [SearchHit], format: ListFormat, showScore: Bool, showSnippet: Bool, limit: Int? = nil,
        total: Int? = nil
    ) throws {
        switch format {
        case .json:
            try printJSON(hits)
        case .jsonl:
            try printJSONLines(hits)
        case .csv:
            // CSV is for spreadsheets and scripts: exact text, but no formula runs (`CSV.cell`).
            var lines = [CSV.row(["id", "title", "path", "kind", "date", "severity", "status", "score", "snippet"])]
            for hit in hits {
                lines.append(
                    CSV.row([
                        hit.id, hit.title, hit.path, hit.kind.rawValue, hit.date ?? "", hit.severity ?? "",
                        hit.status ?? "",
                        hit.score.fixedText(places: 3), hit.highlighted(open: "", close: ""),
                    ]))
            }
            Terminal.writeExact(lines.joined(separator: "\r\n"))
        case .paths:
            // For `xargs`: the paths as they are, like JSON.
            if !hits.isEmpty { Terminal.writeExact(hits.map(\.path).joined(separator: "\n")) }
        case .table:
            let color = Terminal.colorOnStandardOutput
            Terminal.writeStyled(table(hits, showScore: showScore, showSnippet: showSnippet, color: color))
            if let footer = footer(shown: hits.count, limit: limit, total: total) {
                Terminal.writeStyled(Terminal.paint(footer, "2", when: color))
            }
        }
    }

    /// "20 of 143 (--limit 143 for all)" under a table a limit cut; nil when nothing was left out.
    static func footer(shown: Int, limit: Int?, total: Int?) -> String? {
        guard let limit, shown >= limit, shown > 0 else { return nil }
        guard let total else { return "the first \(shown); there may be more (--limit to see more)" }
        return total > shown ? "\(shown) of \(total) (--limit \(total) for all)" : nil
    }

    /// The table for people, fitted to the terminal's width (`TextTable`); under each row its
    /// path and snippet, cut to the same width.
    static func table(
        _ hits: [SearchHit], showScore: Bool, showSnippet: Bool, color: Bool, width: Int? = Terminal.columns
    ) -> String {
        var table = TextTable(
            header: ["ID", "DATE", "SEVERITY", "STATUS", "TITLE"] + (showScore ? ["SCORE"] : []),
            limits: [40, 40, 40, 40, 70, 40], rightAligned: showScore ? [5] : [])
        for hit in hits {
            table.rows.append(
                [hit.id, hit.date ?? "-", hit.severity ?? "-", hit.status ?? "-", hit.title]
                    + (showScore ? [hit.score.fixedText(places: 2)] : []))
        }
        let (heading, rows) = table.lines(widths: table.columnWidths(fitting: width))
        // What sits under a row, indented, cut to the terminal's width when it is known.
        let indent = "    "
        let room = width.map { max(10, $0 - indent.count) }
        var lines = [Terminal.paint(heading, "1", when: color)]
        for (hit, row) in zip(hits, rows) {
            lines.append(row)
            let path = room.map { Terminal.clipped(hit.path, to: $0) } ?? Terminal.escaped(hit.path)
            lines.append(indent + Terminal.paint(path, "2", when: color))
            if showSnippet && !hit.snippet.isEmpty { lines.append(indent + snippet(hit, color: color, width: room)) }
        }
        return lines.joined(separator: "\n")
    }

    /// The snippet with its matches marked: in colour on a terminal, else between `[` `]`.
    /// The text between the index's markers (U+0002, U+0003) is escaped piece by piece, so
    /// the marks are the only thing not taken from the record. Cut to `width` columns (the
    /// brackets count; colours do not) with `…`, the colour closed.
    static func snippet(_ hit: SearchHit, color: Bool, width: Int? = nil) -> String {
        let (open, close) = color ? ("\u{1B}[1;33m", "\u{1B}[0m") : ("[", "]")
        let markWidth = color ? 0 : 1
        var room = width ?? Int.max
        var out = ""
        var inMatch = false
        func add(_ text: Substring) -> Bool {
            let piece = String(text)
            let columns = Terminal.width(piece)
            // The closing mark of an open match still has to fit.
            let reserve = inMatch ? markWidth : 0
            guard columns + reserve > room else {
                out += Terminal.escaped(piece)
                room -= columns
                return true
            }
            out += Terminal.clipped(piece, to: max(1, room - reserve))
            if inMatch { out += close }
            return false
        }
        // Split on the markers' bytes (one byte each in UTF-8, never inside another character).
        var start = hit.snippet.utf8.startIndex
        for index in hit.snippet.utf8.indices {
            let byte = hit.snippet.utf8[index]
            guard byte == 2 || byte == 3 else { continue }
            guard add(hit.snippet[start..<index]) else { return out }
            if byte == 2 && room < markWidth * 2 + 2 {
                // No room for a marked word: the cut is said where the match begins.
                return out + "…"
            }
            out += byte == 2 ? open : close
            room -= markWidth
            inMatch = byte == 2
            start = hit.snippet.utf8.index(after: index)
        }
        _ = add(hit.snippet[start...])
        return out
    }
}
