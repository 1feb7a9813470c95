import ArgumentParser
import Foundation
import RISWorkflows

/// How `search`, `list` and `similar` print documents.
enum ListFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, jsonl, csv, paths
}

struct ListFormatOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: table for people; json, jsonl, csv or paths for scripts.")
    var format: ListFormat = .table
}

enum HitOutput {
    static func print(_ hits: [SearchHit], format: ListFormat, showScore: Bool, showSnippet: Bool) throws {
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
                        Terminal.decimal(hit.score, places: 3), hit.highlighted(open: "", close: ""),
                    ]))
            }
            Terminal.writeExact(lines.joined(separator: "\r\n"))
        case .paths:
            // For `xargs`: the paths as they are, like JSON.
            if !hits.isEmpty { Terminal.writeExact(hits.map(\.path).joined(separator: "\n")) }
        case .table:
            Terminal.writeStyled(
                table(hits, showScore: showScore, showSnippet: showSnippet, color: Terminal.colorOnStandardOutput))
        }
    }

    /// The table for people: every value from a record escaped, cells cut and padded on the
    /// escaped text, colours added afterwards.
    static func table(_ hits: [SearchHit], showScore: Bool, showSnippet: Bool, color: Bool) -> String {
        var rows: [[String]] = [["ID", "DATE", "SEVERITY", "STATUS", "TITLE"] + (showScore ? ["SCORE"] : [])]
        for hit in hits {
            rows.append(
                [hit.id, hit.date ?? "-", hit.severity ?? "-", hit.status ?? "-", hit.title]
                    + (showScore ? [Terminal.decimal(hit.score, places: 2)] : []))
        }
        let widths = (0..<rows[0].count).map { column in
            min(column == 4 ? 70 : 40, rows.map { Terminal.width($0[column]) }.max() ?? 0)
        }
        var lines: [String] = []
        for (index, row) in rows.enumerated() {
            var cells: [String] = []
            for (column, cell) in row.enumerated() {
                cells.append(
                    column == row.count - 1
                        ? Terminal.clipped(cell, to: widths[column]) : Terminal.padded(cell, to: widths[column]))
            }
            var line = cells.joined(separator: "  ")
            if index == 0 { line = Terminal.paint(line, "1", when: color) }
            lines.append(line)
            if index > 0 {
                let hit = hits[index - 1]
                lines.append("    " + Terminal.paint(Terminal.escaped(hit.path), "2", when: color))
                if showSnippet && !hit.snippet.isEmpty { lines.append("    " + snippet(hit, color: color)) }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The snippet with its matches marked: in colour on a terminal, else between `[` `]`.
    /// The text between the index's markers (U+0002, U+0003) is escaped piece by piece, so
    /// the marks are the only thing not taken from the record.
    static func snippet(_ hit: SearchHit, color: Bool) -> String {
        let (open, close) = color ? ("\u{1B}[1;33m", "\u{1B}[0m") : ("[", "]")
        // Split on the markers' bytes (one byte each in UTF-8, never inside another character).
        var out = ""
        var start = hit.snippet.utf8.startIndex
        for index in hit.snippet.utf8.indices {
            let byte = hit.snippet.utf8[index]
            guard byte == 2 || byte == 3 else { continue }
            out += Terminal.escaped(String(hit.snippet[start..<index])) + (byte == 2 ? open : close)
            start = hit.snippet.utf8.index(after: index)
        }
        return out + Terminal.escaped(String(hit.snippet[start...]))
    }
}
