import ArgumentParser
import Foundation
import RISStore

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
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(hits))
            FileHandle.standardOutput.write(Data("\n".utf8))
        case .jsonl:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var out = Data()
            for hit in hits {
                out.append(try encoder.encode(hit))
                out.append(0x0A)
            }
            FileHandle.standardOutput.write(out)
        case .csv:
            var lines = ["id,title,path,kind,date,severity,status,score,snippet"]
            for hit in hits {
                let fields = [hit.id, hit.title, hit.path, hit.kind, hit.date ?? "", hit.severity ?? "", hit.status ?? "",
                              String(format: "%.3f", hit.score), hit.highlighted(open: "", close: "")]
                lines.append(fields.map(csvField).joined(separator: ","))
            }
            Terminal.write(lines.joined(separator: "\r\n"))
        case .paths:
            if !hits.isEmpty { Terminal.write(hits.map(\.path).joined(separator: "\n")) }
        case .table:
            let color = Terminal.colorOnStandardOutput
            var rows: [[String]] = [["ID", "DATE", "SEVERITY", "STATUS", "TITLE"] + (showScore ? ["SCORE"] : [])]
            for hit in hits {
                rows.append([hit.id, hit.date ?? "-", hit.severity ?? "-", hit.status ?? "-", hit.title]
                            + (showScore ? [String(format: "%.2f", hit.score)] : []))
            }
            let widths = (0..<rows[0].count).map { column in
                min(column == 4 ? 70 : 40, rows.map { $0[column].count }.max() ?? 0)
            }
            var lines: [String] = []
            for (index, row) in rows.enumerated() {
                var cells: [String] = []
                for (column, cell) in row.enumerated() {
                    let clipped = cell.count > widths[column] ? String(cell.prefix(widths[column] - 1)) + "…" : cell
                    cells.append(column == row.count - 1 ? clipped : clipped.padding(toLength: widths[column], withPad: " ", startingAt: 0))
                }
                var line = cells.joined(separator: "  ")
                if index == 0 { line = Terminal.paint(line, "1", when: color) }
                lines.append(line)
                if index > 0 {
                    let hit = hits[index - 1]
                    lines.append("    " + Terminal.paint(hit.path, "2", when: color))
                    if showSnippet && !hit.snippet.isEmpty {
                        let snippet = color ? hit.highlighted(open: "\u{1B}[1;33m", close: "\u{1B}[0m") : hit.highlighted(open: "[", close: "]")
                        lines.append("    " + snippet)
                    }
                }
            }
            Terminal.write(lines.joined(separator: "\n"))
        }
    }

    static func csvField(_ text: String) -> String {
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }
}

