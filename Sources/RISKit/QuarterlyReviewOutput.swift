import Foundation

// The quarterly review written out: CSV (one row per record, for spreadsheets), JSON (for
// scripts), markdown (to commit) and HTML (one self-contained page that reads on screen and
// prints as a landscape PDF an auditor files). The last three hold the same content, in the
// same order: overview, records, details with findings, KB articles, control coverage,
// the controls cited, provenance, sign-off.

extension QuarterlyReview {
    /// The CSV columns (and, in camelCase, the JSON keys of a row).
    static let header = [
        "id", "title", "path", "frameworks", "controls", "classification", "phi class", "encryption required",
        "access audit required", "evidence type", "retention period", "retention until", "retention state",
        "review frequency", "last reviewed", "reviewed by", "next due", "review state", "sign-off", "findings",
        "kind", "sha256",
    ]

    func cells(_ row: Row) -> [String] {
        [
            row.id, row.title, row.path, row.frameworks.joined(separator: "; "), row.controls.joined(separator: "; "),
            row.classification, row.phiClass, String(row.encryptionRequired), String(row.accessAuditRequired),
            row.evidenceType, row.retentionPeriod, row.retentionUntil, row.retentionState, row.reviewFrequency,
            row.lastReviewed, row.reviewedBy, row.nextDue, row.reviewState, row.signOff, String(row.findings),
            row.kind, row.sha256,
        ]
    }

    /// RFC 4180 with CRLF line ends, one row per record (KB articles after them, `kind` says
    /// which); cells as `CSV.cell` writes them (quoted when needed, formulas neutralised).
    public var csv: String {
        var out = CSV.row(QuarterlyReview.header) + "\r\n"
        for row in rows { out += CSV.row(cells(row)) + "\r\n" }
        return out
    }

    public func json() throws -> Data {
        struct Coverage: Encodable {
            var framework: String
            var edition: String
            var id: String
            var title: String
            var records: [String]
        }
        struct Cited: Encodable {
            var framework: String
            var edition: String
            var id: String
            var title: String
        }
        struct Document: Encodable {
            var quarter: String
            var asOf: String
            var provenance: Provenance?
            var summary: [String: Int]
            var actions: [Action]
            var records: [Row]
            var kbArticles: [Row]
            var frameworks: [String]
            var coverage: [Coverage]
            var citedControls: [Cited]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(
            Document(
                quarter: quarter, asOf: asOf, provenance: provenance, summary: summary, actions: actions,
                records: records, kbArticles: articles, frameworks: frameworks,
                coverage: coverage.map {
                    Coverage(
                        framework: $0.control.framework, edition: $0.control.edition, id: $0.control.id,
                        title: $0.control.title, records: $0.paths)
                },
                citedControls: citedControls.map {
                    Cited(framework: $0.framework, edition: $0.edition, id: $0.id, title: $0.title)
                }))
    }

    /// The label and value of every field of a row, in the CSV's order (for the details).
    func fields(_ row: Row) -> [(label: String, value: String)] {
        Array(zip(QuarterlyReview.header, cells(row))).filter { !["id", "title", "findings"].contains($0.0) }
    }

    /// Controls of the coverage, framework by framework, with the IDs of the records citing each.
    var coverageByFramework: [(framework: String, edition: String, cited: [(Control, [String])], uncited: [Control])] {
        // One map for every control (a map per control made a 10k review quadratic).
        let idByPath = Dictionary(rows.map { ($0.path, $0.id) }, uniquingKeysWith: { first, _ in first })
        return frameworks.map { name in
            let entries = coverage.filter { $0.control.framework == name }
            return (
                name, entries.first?.control.edition ?? "",
                entries.filter { !$0.paths.isEmpty }.map { ($0.control, $0.paths.map { idByPath[$0] ?? $0 }) },
                entries.filter { $0.paths.isEmpty }.map(\.control)
            )
        }
    }

    static let signOffStatement =
        "I have reviewed the records listed in this document for the quarter, their retention and review "
        + "schedules, their control mapping and the findings reported, and the actions listed under Needs action."

    var provenanceFields: [(String, String)] {
        guard let provenance else { return [("quarter", quarter), ("as of", asOf)] }
        let commit =
            provenance.gitCommit.map { $0 + (provenance.gitDirty == true ? " (with uncommitted changes)" : "") }
            ?? "not in a git repository"
        return [
            ("knowledge base", provenance.knowledgeBase), ("git commit", commit),
            ("ris version", provenance.risVersion), ("generated by", provenance.generatedBy),
            ("generated at", provenance.generatedAt), ("quarter", quarter), ("as of", asOf),
        ]
    }

    // MARK: Markdown

    /// Markdown meant to be committed: every value from a record is literal text in its cell.
    public var markdown: String {
        func cell(_ text: String) -> String { QuarterlyReview.markdownCell(text) }
        func table(_ header: [String], _ lines: [[String]]) -> String {
            "| " + header.joined(separator: " | ") + " |\n|" + String(repeating: "---|", count: header.count) + "\n"
                + lines.map { "| " + $0.map(cell).joined(separator: " | ") + " |\n" }.joined()
        }
        var out = "# Compliance review \(quarter)\n\nAs of \(asOf).\n\n## Overview\n\n"
        out += table(["state", "records"], summary.sorted { $0.key < $1.key }.map { [$0.key, String($0.value)] })
        out += "\n### Needs action\n\n"
        out +=
            actions.isEmpty
            ? "Nothing needs action.\n" : table(["id", "title", "why"], actions.map { [$0.id, $0.title, $0.reason] })
        for (heading, list) in [("Records", records), ("KB articles", articles)] where !list.isEmpty {
            out += "\n## \(heading)\n\n"
            out += table(
                ["id", "title", "frameworks", "retention", "review", "sign-off", "findings"],
                list.map { row in
                    [
                        row.id, row.title, row.frameworks.joined(separator: ", "),
                        [row.retentionPeriod, row.retentionUntil, row.retentionState].filter { !$0.isEmpty }
                            .joined(separator: ", "),
                        [row.reviewFrequency, row.nextDue.isEmpty ? "" : "due " + row.nextDue, row.reviewState]
                            .filter { !$0.isEmpty }.joined(separator: ", "),
                        row.signOff, String(row.findings),
                    ]
                })
        }
        out += "\n## Details\n"
        if rows.isEmpty { out += "\nNo records.\n" }
        for row in rows {
            out += "\n### \(cell(row.id)): \(cell(row.title))\n\n"
            for (label, value) in fields(row) { out += "- \(label): \(value.isEmpty ? "-" : cell(value))\n" }
            out += "\n"
            out +=
                row.findingDetails.isEmpty
                ? "No findings.\n"
                : table(
                    ["line", "severity", "rule", "message"],
                    row.findingDetails.map { [String($0.line), $0.severity, $0.rule, $0.message] })
        }
        out += "\n## Control coverage\n"
        for framework in coverageByFramework {
            out += "\n### \(framework.framework) \(framework.edition)\n\n"
            out +=
                framework.cited.isEmpty
                ? "No control cited.\n"
                : table(
                    ["control", "title", "records"],
                    framework.cited.map { [$0.0.id, $0.0.title, $0.1.joined(separator: ", ")] })
            if !framework.uncited.isEmpty {
                out += "\nNo record cites: " + framework.uncited.map { cell($0.id) }.joined(separator: ", ") + ".\n"
            }
        }
        if !citedControls.isEmpty {
            out += "\n## Controls cited\n\n"
            out += table(
                ["framework", "edition", "control", "title"],
                citedControls.map { [$0.framework, $0.edition, $0.id, $0.title] })
        }
        out += "\n## Provenance\n\n"
        for (label, value) in provenanceFields { out += "- \(label): \(cell(value))\n" }
        out += "\n" + table(["id", "path", "sha256"], rows.map { [$0.id, $0.path, $0.sha256] })
        out += "\n## Sign-off\n\n\(QuarterlyReview.signOffStatement)\n\n"
        for label in ["Reviewer", "Role", "Date", "Signature"] { out += "\(label): ______________________________\n\n" }
        return out
    }

    // MARK: HTML

    /// One self-contained page: inline CSS, no script, nothing fetched. On screen an overview
    /// first; printed (`@media print`), A4 landscape with no cut column, table headers
    /// repeated on each page and each section on a new page.
    public var html: String {
        func escape(_ text: String) -> String { QuarterlyReview.htmlText(text) }
        // An element ID for a row: its place in the review (IDs may repeat; paths do not),
        // looked up in one map (a search of the rows for each link made 10k records quadratic).
        let place = Dictionary(rows.enumerated().map { ($1.path, $0 + 1) }, uniquingKeysWith: { first, _ in first })
        func anchor(_ path: String) -> String { "record-\(place[path] ?? 0)" }
        func stateClass(_ state: String) -> String {
            switch state {
            case "overdue", "expired", "missing metadata", "compliance block unreadable", "no created date",
                "no review frequency", "no retention period":
                return "bad"
            case "due this quarter", "expires this quarter": return "warn"
            case "reviewed this quarter", "kept": return "ok"
            default: return ""
            }
        }
        func table(_ header: [String], _ widths: [Int]? = nil, _ lines: [[String]]) -> String {
            var out = "<table>"
            if let widths {
                out += "<colgroup>" + widths.map { "<col style=\"width:\($0)%\">" }.joined() + "</colgroup>"
            }
            out += "<thead><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>\n"
            for line in lines { out += "<tr>" + line.map { "<td>\($0)</td>" }.joined() + "</tr>\n" }
            return out + "</tbody></table>\n"
        }
        func state(_ text: String) -> String {
            let kind = stateClass(text)
            return kind.isEmpty ? escape(text) : "<span class=\"\(kind)\">\(escape(text))</span>"
        }
        let titles = Dictionary(
            citedControls.map { ("\($0.framework):\($0.id)", $0.title) }, uniquingKeysWith: { first, _ in first })
        func control(_ text: String) -> String {
            let key =
                ControlCatalog.canonicalFramework(String(text.prefix { $0 != ":" }))
                + text.drop { $0 != ":" }
            guard let title = titles[key] else { return escape(text) }
            return "<abbr title=\"\(escape(title))\">\(escape(text))</abbr>"
        }

        var out = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Compliance review \(escape(quarter))</title>
            <style>
            body{font:13px/1.45 "DejaVu Sans",Verdana,sans-serif;color:#1f2328;margin:0 auto;max-width:1240px;\
            padding:1.5em}
            h1{font-size:1.6em;margin:0}h2{font-size:1.25em;border-bottom:2px solid #1f2328;padding-bottom:.15em;\
            margin:1.8em 0 .5em}h3{font-size:1.05em;margin:1.2em 0 .3em}
            .meta{color:#57606a;margin:.2em 0 1em}
            table{border-collapse:collapse;width:100%;table-layout:fixed;margin:.4em 0 1em}
            th,td{border:1px solid #b7bec6;padding:3px 6px;vertical-align:top;text-align:left;overflow-wrap:anywhere}
            th{background:#eef1f4}thead{display:table-header-group}tr{break-inside:avoid}
            .cards{display:flex;flex-wrap:wrap;gap:.6em;margin:.5em 0 1em}
            .card{border:1px solid #b7bec6;border-radius:6px;padding:.4em .9em;min-width:8.5em}
            .card b{display:block;font-size:1.5em}
            .bad{color:#b3261e;font-weight:bold}.warn{color:#8a5a00;font-weight:bold}.ok{color:#1a7f37}
            .record{border:1px solid #b7bec6;border-radius:6px;padding:.2em .9em .6em;margin:.8em 0;\
            break-inside:avoid}
            dl{display:grid;grid-template-columns:13em 1fr;gap:1px 1em;margin:.4em 0}dt{color:#57606a}dd{margin:0;\
            overflow-wrap:anywhere}dl.fields{grid-template-columns:11em 1fr 11em 1fr}
            .uncited{color:#57606a}abbr{text-decoration:underline dotted}.states{max-width:36em}
            .signature{display:grid;grid-template-columns:9em 1fr;gap:1.4em 1em;max-width:42em;margin-top:1.2em}
            .signature span{border-bottom:1px solid #1f2328;min-height:1.5em}
            @page{size:A4 landscape;margin:12mm}
            @media print{body{max-width:none;padding:0;font-size:10px}h2{break-before:page}h2.flow{\
            break-before:auto}.card{min-width:7em}a{color:inherit;text-decoration:none}.signoff{break-inside:avoid}}
            </style>
            </head><body>
            <h1>Compliance review \(escape(quarter))</h1>
            <p class="meta">As of \(escape(asOf)) &middot; records: \(records.count) &middot; KB articles: \
            \(articles.count) &middot; frameworks: \(escape(frameworks.joined(separator: ", ")))</p>
            <h2 class="flow">Overview</h2>
            <div class="cards">

            """
        let cards: [(String, Int, String)] = [
            ("records", records.count, ""),
            ("reviewed this quarter", records.count { $0.reviewState == "reviewed this quarter" }, "ok"),
            ("due this quarter", records.count { $0.reviewState == "due this quarter" }, "warn"),
            ("overdue", records.count { $0.reviewState == "overdue" }, "bad"),
            ("with errors", records.count { $0.findingDetails.contains { $0.severity == "error" } }, "bad"),
            ("needing action", actions.count, "bad"),
        ]
        for (label, count, kind) in cards {
            let shown = count == 0 && kind != "ok" ? "" : kind
            out += "<div class=\"card\"><b class=\"\(shown)\">\(count)</b>\(escape(label))</div>\n"
        }
        out += "</div>\n<h3>Needs action</h3>\n"
        out +=
            actions.isEmpty
            ? "<p>Nothing needs action.</p>\n"
            : table(
                ["id", "title", "why"], [14, 40, 46],
                actions.map {
                    ["<a href=\"#\(anchor($0.path))\">\(escape($0.id))</a>", escape($0.title), escape($0.reason)]
                })
        out += "<h3>States</h3>\n<div class=\"states\">"
        out +=
            table(
                ["state", "records"], [70, 30],
                summary.sorted { $0.key < $1.key }.map { [escape($0.key), String($0.value)] }) + "</div>\n"
        for (heading, list) in [("Records", records), ("KB articles", articles)] where !list.isEmpty {
            // The articles follow the records on their page.
            out += heading == "Records" ? "<h2>Records</h2>\n" : "<h2 class=\"flow\">\(heading)</h2>\n"
            out += table(
                ["id", "title", "frameworks", "retention", "review", "sign-off", "findings"],
                [13, 25, 10, 16, 18, 11, 7],
                list.map { row in
                    [
                        "<a href=\"#\(anchor(row.path))\">\(escape(row.id))</a>", escape(row.title),
                        escape(row.frameworks.joined(separator: ", ")),
                        [escape(row.retentionPeriod), escape(row.retentionUntil), state(row.retentionState)]
                            .filter { !$0.isEmpty }.joined(separator: "<br>"),
                        [
                            escape(row.reviewFrequency), row.nextDue.isEmpty ? "" : "due " + escape(row.nextDue),
                            state(row.reviewState),
                        ].filter { !$0.isEmpty }.joined(separator: "<br>"),
                        SignOff.isPending(row.signOff) && !row.signOff.isEmpty
                            ? "<span class=\"warn\">\(escape(row.signOff))</span>" : escape(row.signOff),
                        row.findings == 0
                            ? "0"
                            : "<span class=\"\(row.findingDetails.contains { $0.severity == "error" } ? "bad" : "warn")\">"
                                + "\(row.findings)</span>",
                    ]
                })
        }
        out += "<h2>Details</h2>\n"
        if rows.isEmpty { out += "<p>No records.</p>\n" }
        for row in rows {
            out +=
                "<section class=\"record\" id=\"\(anchor(row.path))\"><h3>\(escape(row.id)): \(escape(row.title))</h3><dl class=\"fields\">\n"
            for (label, value) in fields(row) {
                let shown: String
                switch label {
                case "controls": shown = row.controls.map(control).joined(separator: ", ")
                case "retention state", "review state": shown = state(value)
                default: shown = escape(value)
                }
                out += "<dt>\(escape(label))</dt><dd>\(shown.isEmpty ? "&ndash;" : shown)</dd>\n"
            }
            out += "</dl>\n"
            out +=
                row.findingDetails.isEmpty
                ? "<p>No findings.</p>\n"
                : table(
                    ["line", "severity", "rule", "message"], [7, 10, 20, 63],
                    row.findingDetails.map {
                        [
                            String($0.line),
                            "<span class=\"\($0.severity == "error" ? "bad" : "warn")\">\(escape($0.severity))</span>",
                            escape($0.rule), escape($0.message),
                        ]
                    })
            out += "</section>\n"
        }
        out += "<h2>Control coverage</h2>\n"
        for framework in coverageByFramework {
            out += "<h3>\(escape(framework.framework)) \(escape(framework.edition))</h3>\n"
            out +=
                framework.cited.isEmpty
                ? "<p>No control cited.</p>\n"
                : table(
                    ["control", "title", "records"], [16, 58, 26],
                    framework.cited.map {
                        [escape($0.0.id), escape($0.0.title), $0.1.map(escape).joined(separator: ", ")]
                    })
            if !framework.uncited.isEmpty {
                out +=
                    "<p class=\"uncited\">No record cites: "
                    + framework.uncited.map { "<abbr title=\"\(escape($0.title))\">\(escape($0.id))</abbr>" }
                    .joined(separator: ", ") + ".</p>\n"
            }
        }
        if !citedControls.isEmpty {
            out += "<h2 class=\"flow\">Controls cited</h2>\n"
            out += table(
                ["framework", "edition", "control", "title"], [12, 9, 16, 63],
                citedControls.map { [escape($0.framework), escape($0.edition), escape($0.id), escape($0.title)] })
        }
        out += "<h2>Provenance</h2>\n<dl>\n"
        for (label, value) in provenanceFields { out += "<dt>\(escape(label))</dt><dd>\(escape(value))</dd>\n" }
        out += "</dl>\n"
        out += table(
            ["id", "path", "sha256"], [14, 38, 48], rows.map { [escape($0.id), escape($0.path), escape($0.sha256)] })
        out +=
            "<div class=\"signoff\"><h2 class=\"flow\">Sign-off</h2>\n<p>\(escape(QuarterlyReview.signOffStatement))</p>\n"
            + "<div class=\"signature\">\n"
        for label in ["Reviewer", "Role", "Date", "Signature"] { out += "<b>\(label)</b><span></span>\n" }
        return out + "</div></div>\n</body></html>\n"
    }

}
