import ArgumentParser
import Foundation
import RISWorkflows

extension RIS {
    /// `ris stats`: what the knowledge base says about operations.
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stats",
            abstract:
                "Incidents by severity, status, category, project, month and quarter; time to resolve; open records; "
                + "repeat incidents; hot patterns used most.",
            discussion: """
                Counts incident records (--kind ris) unless --kind names another kind. Time to resolve: the \
                record's resolution time, else its timeline's first and last events. Open: a status that is not \
                resolved, closed, fixed, done, complete or archived. Repeats: records sharing the first line of \
                their symptom (numbers and ids masked) or a proposed hot pattern's title. Hot-pattern hits come \
                from .ris/hits.jsonl. --today defaults to today (UTC), or the day SOURCE_DATE_EPOCH gives. \
                Formats: table, json, csv (dimension,key,severity,value), html (one page with SVG charts, no \
                script, no external reference). Keys and rules: docs/commands.md.
                """
        )

        enum Format: String, StringChoice {
            case table, json, csv, html
        }

        @OptionGroup var filters: FilterOptions
        @Option(
            help: ArgumentHelp("The day ages and hit windows end (default: today, UTC).", valueName: "YYYY-MM-DD"),
            transform: CalendarDay.argument)
        var today: CalendarDay?
        @Option(parsing: .unconditional, help: "How many open records, clusters and hot patterns to list at most.")
        var top: Int = 10
        @Option(help: "table, json, csv or html.")
        var format: Format = .table
        @OptionGroup var knowledgeBase: KnowledgeBaseOptions
        @OptionGroup var refresh: RefreshOptions
        @OptionGroup var pager: PagerOptions

        func validate() throws {
            if top < 1 { throw ValidationError("--top must be at least 1") }
        }

        func run() throws {
            pager.start(for: format == .table)
            let day = today ?? CalendarDay(String(Timestamp.generationTime().prefix(10))) ?? .today()
            let stats = try knowledgeBase.session().stats(
                filters: filters.filters, today: day, top: top, refresh: !refresh.noRefresh)
            switch format {
            case .json: try printJSON(stats)
            case .csv: Terminal.writeExact(stats.csv)
            case .html:
                if Terminal.isTerminal(STDOUT_FILENO) {
                    Terminal.write(stats.html)
                } else {
                    Terminal.writeOutput(Data(stats.html.utf8))
                }
            case .table: Terminal.writeStyled(StatsTable.text(stats, color: Terminal.colorOnStandardOutput))
            }
        }
    }
}

/// The table of `ris stats` for people: every value from a record escaped, cut and padded by `TextTable`.
enum StatsTable {
    static func text(_ stats: IncidentStatistics, color: Bool, width: Int? = Terminal.columns) -> String {
        var lines: [String] = []
        func heading(_ text: String) {
            if !lines.isEmpty { lines.append("") }
            lines.append(Terminal.paint(Terminal.escaped(text), "1", when: color))
        }
        let indent = "  "
        let room = width.map { max(20, $0 - indent.count) }
        /// Rows of cells as a `TextTable` (its first row in the heading's place, not bold): columns
        /// at most 40 wide and the last 70 in a pipe, fitted to the terminal's width on one.
        func rows(_ cells: [[String]]) {
            guard let first = cells.first else { return }
            var table = TextTable(header: first, limits: first.indices.map { $0 == first.count - 1 ? 70 : 40 })
            table.rows = Array(cells.dropFirst())
            let (top, body) = table.lines(widths: table.columnWidths(fitting: room))
            lines += ([top] + body).map { indent + $0 }
        }
        func minutes(_ value: Double?) -> String {
            guard let value else { return "-" }
            return value == value.rounded() ? String(Int(value)) : value.fixedText(places: 1)
        }
        lines.append(
            Terminal.paint("\(stats.records) incident records", "1", when: color) + ", as of \(stats.today) (UTC)")
        for (title, counts) in [
            ("By severity", stats.bySeverity), ("By status", stats.byStatus), ("By category", stats.byCategory),
            ("By project", stats.byProject), ("By quarter", stats.byQuarter),
        ] where !counts.isEmpty {
            heading(title)
            rows(counts.map { [$0.key ?? "(none)", String($0.count)] })
        }
        if !stats.byMonth.isEmpty {
            heading("By month")
            rows(
                stats.byMonth.map { month in
                    [
                        month.key ?? "(no date)", String(month.count),
                        month.bySeverity.map { "\($0.key ?? "(none)") \($0.count)" }.joined(separator: ", "),
                    ]
                })
        }
        let resolve = stats.timeToResolve
        heading("Time to resolve (minutes)")
        rows(
            [["SEVERITY", "RECORDS", "MEAN", "MEDIAN"]]
                + ([resolve.overall] + resolve.bySeverity).enumerated().map { index, row in
                    [
                        index == 0 ? "all" : row.severity ?? "(none)", String(row.records), minutes(row.meanMinutes),
                        minutes(row.medianMinutes),
                    ]
                })
        lines.append(
            "  \(resolve.fromResolutionTime) from a resolution time, \(resolve.fromTimeline) from a timeline; "
                + "\(resolve.withoutDuration) without a usable duration")
        heading(
            "Still open: \(stats.open.count)"
                + (stats.open.maxAgeDays.map {
                    " (mean age \(minutes(stats.open.meanAgeDays)) days, oldest \($0) days)"
                } ?? ""))
        if !stats.open.records.isEmpty {
            rows(
                [["AGE", "ID", "DATE", "SEVERITY", "STATUS", "TITLE"]]
                    + stats.open.records.map { item in
                        [
                            item.ageDays.map(String.init) ?? "-", item.record.id, item.record.date ?? "-",
                            item.record.severity ?? "-", item.record.status ?? "-", item.record.title,
                        ]
                    })
            if stats.open.count > stats.open.records.count {
                lines.append("  \(stats.open.records.count) of \(stats.open.count) (oldest first; --top for more)")
            }
        }
        heading("Repeat incidents: \(stats.clusters.count) clusters, \(stats.clusters.records) records")
        for cluster in stats.clusters.items {
            lines.append(
                "  " + (cluster.rule == "symptom" ? "symptom: " : "hot pattern: ")
                    + Terminal.clipped(cluster.key ?? "(withheld: an audited record's)", to: (room ?? 104) - 14))
            rows(cluster.records.map { ["  " + $0.id, $0.date ?? "-", $0.title] })
        }
        heading("Hot patterns: hits in the last 30 and 90 days")
        if stats.hotPatterns.last90Days.isEmpty {
            lines.append("  none in the last 90 days")
        } else {
            rows(
                [["30 D", "90 D", "TITLE"]]
                    + stats.hotPatterns.last90Days.map { item in
                        [String(item.hitsLast30Days), String(item.hits), item.title]
                    })
        }
        return lines.joined(separator: "\n")
    }
}
