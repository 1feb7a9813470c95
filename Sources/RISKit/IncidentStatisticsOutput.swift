import Foundation

extension IncidentStatistics {
    /// One long table (RFC 4180, cells through `CSV.cell`): `dimension,key,severity,value`.
    /// Counts: `records`, `severity`, `status`, `category`, `project`, `quarter`, `month` (and
    /// `month` with a severity: that month's records of that severity); time to resolve:
    /// `resolve-records`, `resolve-mean-minutes`, `resolve-median-minutes` (overall, and with a
    /// severity), `resolve-without-duration`; `open` (the count), `open-age-days` (key: the
    /// record's ID); `cluster` (key: the shared text; value: its records); `hits-30-days` and
    /// `hits-90-days` (key: the pattern's title). An empty key is a record that states none.
    /// Rows end with CR LF; the last has no line break (the caller ends the output).
    public var csv: String {
        var rows = [["dimension", "key", "severity", "value"]]
        func add(_ dimension: String, _ key: String?, _ severity: String? = nil, _ value: String) {
            rows.append([dimension, key ?? "", severity ?? "", value])
        }
        func number(_ value: Double?) -> String {
            guard let value else { return "" }
            return value == value.rounded() ? String(Int(value)) : String(value)
        }
        add("records", nil, nil, String(records))
        for (dimension, counts) in [
            ("severity", bySeverity), ("status", byStatus), ("category", byCategory), ("project", byProject),
            ("quarter", byQuarter),
        ] {
            for count in counts { add(dimension, count.key, nil, String(count.count)) }
        }
        for month in byMonth {
            add("month", month.key, nil, String(month.count))
            for count in month.bySeverity { add("month", month.key, count.key ?? "(none)", String(count.count)) }
        }
        for row in [timeToResolve.overall] + timeToResolve.bySeverity {
            let severity = row.severity ?? (row == timeToResolve.overall ? nil : "(none)")
            add("resolve-records", nil, severity, String(row.records))
            add("resolve-mean-minutes", nil, severity, number(row.meanMinutes))
            add("resolve-median-minutes", nil, severity, number(row.medianMinutes))
        }
        add("resolve-without-duration", nil, nil, String(timeToResolve.withoutDuration))
        add("open", nil, nil, String(open.count))
        for item in open.records {
            add("open-age-days", item.record.id, item.record.severity, item.ageDays.map(String.init) ?? "")
        }
        for cluster in clusters.items {
            add("cluster", cluster.key ?? "(withheld)", nil, String(cluster.records.count))
        }
        for item in hotPatterns.last30Days { add("hits-30-days", item.title, nil, String(item.hits)) }
        for item in hotPatterns.last90Days { add("hits-90-days", item.title, nil, String(item.hits)) }
        return rows.map(CSV.row).joined(separator: "\r\n")
    }

    // MARK: HTML

    static let severityColors = ["CRITICAL": "#b91c1c", "HIGH": "#ea580c", "MEDIUM": "#ca8a04", "LOW": "#2563eb"]

    static func color(ofSeverity severity: String?) -> String {
        severity.flatMap { severityColors[$0] } ?? "#6b7280"
    }

    /// One self-contained page: inline CSS and SVG charts (incidents per month by severity,
    /// time to resolve by severity, the hot patterns used most), no script, no reference to
    /// anything outside it. Every value from a record is escaped.
    public var html: String {
        func escape(_ text: String) -> String { QuarterlyReview.htmlText(text) }
        func number(_ value: Double?) -> String {
            guard let value else { return "–" }
            return value == value.rounded() ? String(Int(value)) : value.fixedText(places: 1)
        }
        func table(_ header: [String], _ rows: [[String]]) -> String {
            guard !rows.isEmpty else { return "<p class=\"none\">None.</p>\n" }
            var out = "<table><thead><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>\n"
            for row in rows { out += "<tr>" + row.map { "<td>\($0)</td>" }.joined() + "</tr>\n" }
            return out + "</tbody></table>\n"
        }
        func countTable(_ title: String, _ counts: [Count]) -> String {
            "<section class=\"dimension\"><h3>\(escape(title))</h3>\n"
                + table(
                    ["", "records"],
                    counts.map { [escape($0.key ?? "(none)"), String($0.count)] }) + "</section>\n"
        }
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Incident statistics, \(escape(today))</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 24px; color: #111827; max-width: 1100px; }
            h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 18px; margin-top: 28px; }
            h3 { font-size: 14px; margin: 8px 0; }
            .cards { display: flex; gap: 12px; flex-wrap: wrap; }
            .card { border: 1px solid #d1d5db; border-radius: 6px; padding: 10px 14px; min-width: 150px; }
            .card b { display: block; font-size: 22px; }
            .dimensions { display: flex; gap: 24px; flex-wrap: wrap; align-items: flex-start; }
            table { border-collapse: collapse; font-size: 13px; }
            th, td { border-bottom: 1px solid #e5e7eb; padding: 3px 8px; text-align: left; vertical-align: top;
                     overflow-wrap: anywhere; }
            td.n, th.n { text-align: right; }
            .none { color: #6b7280; font-style: italic; }
            svg text { font-size: 11px; fill: #374151; }
            .legend span { display: inline-block; margin-right: 14px; font-size: 12px; }
            .legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; }
            </style>
            </head>
            <body>
            <h1>Incident statistics</h1>
            <p>As of \(escape(today)) (UTC): \(records) records.</p>
            <div class="cards">
            <div class="card">Records<b>\(records)</b></div>
            <div class="card">Still open<b>\(open.count)</b></div>
            <div class="card">Mean time to resolve<b>\(number(timeToResolve.overall.meanMinutes)) min</b></div>
            <div class="card">Median time to resolve<b>\(number(timeToResolve.overall.medianMinutes)) min</b></div>
            <div class="card">Repeat clusters<b>\(clusters.count)</b></div>
            </div>

            """
        page += "<h2>Incidents per month, by severity</h2>\n" + monthChart()
        page += "<h2>Time to resolve, by severity</h2>\n" + resolutionChart()
        page +=
            "<p>\(timeToResolve.overall.records) records with a duration (\(timeToResolve.fromResolutionTime) "
            + "from their resolution time, \(timeToResolve.fromTimeline) from their timeline); "
            + "\(timeToResolve.withoutDuration) without one.</p>\n"
        page += table(
            ["severity", "records", "mean (min)", "median (min)"],
            ([timeToResolve.overall] + timeToResolve.bySeverity).enumerated().map { index, row in
                [
                    index == 0 ? "<b>all</b>" : escape(row.severity ?? "(none)"), String(row.records),
                    number(row.meanMinutes), number(row.medianMinutes),
                ]
            })
        page += "<h2>Hot patterns used most</h2>\n" + patternChart()
        page += "<h2>Counts</h2>\n<div class=\"dimensions\">\n"
        page += countTable("Severity", bySeverity) + countTable("Status", byStatus)
        page += countTable("Category", byCategory) + countTable("Project", byProject)
        page += countTable("Quarter", byQuarter) + "</div>\n"
        page +=
            "<h2>Still open: \(open.count)</h2>\n<p>Mean age \(number(open.meanAgeDays)) days, oldest "
            + "\(open.maxAgeDays.map(String.init) ?? "–") days."
            + (open.count > open.records.count ? " The oldest \(open.records.count) of \(open.count):" : "") + "</p>\n"
        page += table(
            ["ID", "title", "date", "severity", "status", "age (days)", "path"],
            open.records.map { item in
                [
                    escape(item.record.id), escape(item.record.title), escape(item.record.date ?? "–"),
                    escape(item.record.severity ?? "–"), escape(item.record.status ?? "–"),
                    item.ageDays.map(String.init) ?? "–", escape(item.record.path),
                ]
            })
        page += "<h2>Repeat incidents: \(clusters.count) clusters, \(clusters.records) records</h2>\n"
        page += table(
            ["shared", "records"],
            clusters.items.map { cluster in
                [
                    "\(cluster.rule == "symptom" ? "symptom" : "hot pattern"): <code>\(escape(cluster.key ?? "(withheld: an audited record's)"))</code>",
                    cluster.records.map { record in
                        "\(escape(record.id)) \(escape(record.date ?? "")) \(escape(record.title))"
                    }.joined(separator: "<br>"),
                ]
            })
        return page + "</body>\n</html>\n"
    }

    /// Stacked bars: one per month, a segment per severity.
    func monthChart() -> String {
        let months = byMonth.filter { $0.key != nil }
        guard !months.isEmpty else { return "<p class=\"none\">No dated records.</p>\n" }
        let (left, top, plotHeight) = (40.0, 10.0, 200.0)
        let step = max(8.0, min(48.0, 1000.0 / Double(months.count)))
        let width = left + step * Double(months.count) + 10
        let highest = Double(months.map(\.count).max() ?? 1)
        var svg =
            "<svg role=\"img\" aria-label=\"Incidents per month by severity\" width=\"\(Int(width))\" "
            + "height=\"\(Int(top + plotHeight + 50))\" viewBox=\"0 0 \(Int(width)) \(Int(top + plotHeight + 50))\">\n"
        for fraction in [0.0, 0.5, 1.0] {
            let y = top + plotHeight * (1 - fraction)
            svg +=
                "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(width - 10)\" y2=\"\(y)\" stroke=\"#e5e7eb\"/>"
                + "<text x=\"\(left - 4)\" y=\"\(y + 4)\" text-anchor=\"end\">\(Int((highest * fraction).rounded()))</text>\n"
        }
        let labelEvery = max(1, Int((Double(months.count) / 12).rounded(.up)))
        for (index, month) in months.enumerated() {
            let x = left + step * Double(index) + 1
            var y = top + plotHeight
            for part in month.bySeverity {
                let height = plotHeight * Double(part.count) / highest
                y -= height
                svg +=
                    "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(step - 2)\" height=\"\(height)\" "
                    + "fill=\"\(Self.color(ofSeverity: part.key))\"><title>"
                    + QuarterlyReview.htmlText("\(month.key ?? ""): \(part.count) \(part.key ?? "no severity")")
                    + "</title></rect>\n"
            }
            if index % labelEvery == 0 {
                svg +=
                    "<text x=\"\(x)\" y=\"\(top + plotHeight + 14)\" transform=\"rotate(35 \(x) "
                    + "\(top + plotHeight + 14))\">\(QuarterlyReview.htmlText(month.key ?? ""))</text>\n"
            }
        }
        svg += "</svg>\n"
        return svg + legend(bySeverity.map(\.key))
    }

    func legend(_ severities: [String?]) -> String {
        "<div class=\"legend\">"
            + severities.map { severity in
                "<span><i style=\"background: \(Self.color(ofSeverity: severity))\"></i>"
                    + QuarterlyReview.htmlText(severity ?? "(none)") + "</span>"
            }.joined() + "</div>\n"
    }

    /// Horizontal bars: the mean and the median minutes of each severity.
    func resolutionChart() -> String {
        let rows = timeToResolve.bySeverity.filter { $0.records > 0 }
        guard !rows.isEmpty else { return "<p class=\"none\">No record states how long it took.</p>\n" }
        let (labelWidth, barWidth, rowHeight) = (110.0, 520.0, 34.0)
        let highest = max(1, rows.compactMap { max($0.meanMinutes ?? 0, $0.medianMinutes ?? 0) }.max() ?? 1)
        let height = rowHeight * Double(rows.count) + 10
        var svg =
            "<svg role=\"img\" aria-label=\"Time to resolve by severity\" width=\"\(Int(labelWidth + barWidth + 120))\" "
            + "height=\"\(Int(height))\">\n"
        for (index, row) in rows.enumerated() {
            let y = rowHeight * Double(index) + 4
            let label = QuarterlyReview.htmlText(row.severity ?? "(none)")
            svg += "<text x=\"0\" y=\"\(y + 15)\">\(label)</text>\n"
            for (offset, value, name, opacity) in [
                (0.0, row.meanMinutes ?? 0, "mean", "1"), (13.0, row.medianMinutes ?? 0, "median", "0.55"),
            ] {
                let length = barWidth * value / highest
                svg +=
                    "<rect x=\"\(labelWidth)\" y=\"\(y + offset)\" width=\"\(length)\" height=\"11\" "
                    + "fill=\"\(Self.color(ofSeverity: row.severity))\" fill-opacity=\"\(opacity)\"/>"
                    + "<text x=\"\(labelWidth + length + 4)\" y=\"\(y + offset + 10)\">\(name) "
                    + "\(Self.minutesText(value))</text>\n"
            }
        }
        return svg + "</svg>\n"
    }

    static func minutesText(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) min" : value.fixedText(places: 1) + " min"
    }

    /// Horizontal bars: hits of the last 90 days, with those of the last 30 over them.
    func patternChart() -> String {
        let rows = hotPatterns.last90Days
        guard !rows.isEmpty else { return "<p class=\"none\">No hit in the last 90 days.</p>\n" }
        let (labelWidth, barWidth, rowHeight) = (330.0, 420.0, 22.0)
        let highest = Double(rows.map(\.hits).max() ?? 1)
        var svg =
            "<svg role=\"img\" aria-label=\"Hot pattern hits\" width=\"\(Int(labelWidth + barWidth + 60))\" "
            + "height=\"\(Int(rowHeight * Double(rows.count) + 8))\">\n"
        for (index, row) in rows.enumerated() {
            let y = rowHeight * Double(index) + 4
            let title = row.title.count > 48 ? row.title.prefix(47) + "…" : Substring(row.title)
            let last30 = row.hitsLast30Days
            svg +=
                "<text x=\"0\" y=\"\(y + 12)\">\(QuarterlyReview.htmlText(String(title)))"
                + "<title>\(QuarterlyReview.htmlText(row.title + " (" + row.path + ")"))</title></text>\n"
                + "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(barWidth * Double(row.hits) / highest)\" "
                + "height=\"15\" fill=\"#93c5fd\"/>"
                + "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(barWidth * Double(last30) / highest)\" "
                + "height=\"15\" fill=\"#1d4ed8\"/>"
                + "<text x=\"\(labelWidth + barWidth * Double(row.hits) / highest + 4)\" y=\"\(y + 12)\">"
                + "\(last30) / \(row.hits)</text>\n"
        }
        return svg + "</svg>\n"
            + "<div class=\"legend\"><span><i style=\"background: #1d4ed8\"></i>last 30 days</span>"
            + "<span><i style=\"background: #93c5fd\"></i>last 90 days</span></div>\n"
    }
}
