import Foundation
import FrontMatter

/// The quarterly compliance review: one row per record with compliance metadata, a summary
/// and the control coverage. The same documents and as-of day give the same bytes.
public struct QuarterlyReview: Sendable {
    public struct Row: Sendable, Codable, Hashable {
        public var id: String
        public var title: String
        public var path: String
        public var frameworks: [String]
        /// `framework:ID (title)` for each control.
        public var controls: [String]
        public var classification: String
        public var phiClass: String
        public var encryptionRequired: Bool
        public var accessAuditRequired: Bool
        public var evidenceType: String
        public var retentionPeriod: String
        public var retentionUntil: String
        /// `kept`, `expires this quarter`, `expired` (empty when unknown).
        public var retentionState: String
        public var reviewFrequency: String
        public var lastReviewed: String
        public var reviewedBy: String
        public var nextDue: String
        /// `reviewed this quarter`, `due this quarter`, `overdue`, `not due` (empty when unknown).
        public var reviewState: String
        public var signOff: String
        public var findings: Int
    }

    public var quarter: String
    public var asOf: String
    public var rows: [Row]
    /// State → number of records, for retention and review states.
    public var summary: [String: Int]
    /// `framework:ID` → paths of the records citing it, for every control of the catalog.
    public var coverage: [(control: Control, paths: [String])]

    /// First and last day of `YYYY-Qn`.
    public static func bounds(of quarter: String) throws -> (Date, Date) {
        let parts = quarter.uppercased().split(separator: "-")
        guard parts.count == 2, let year = Int(parts[0]), parts[0].count == 4, parts[1].count == 2,
            parts[1].first == "Q",
            let number = Int(parts[1].dropFirst()), (1...4).contains(number)
        else { throw RISKitError(.invalidQuarter, "a quarter is written like 2026-Q1, not '\(quarter)'") }
        // Year 0 is no year of the calendar (and 0000-01-01 parses to no day).
        guard year >= 1, let start = Day.parse(String(format: "%04d-%02d-01", year, (number - 1) * 3 + 1)),
            let end = Day.calendar.date(byAdding: .day, value: -1, to: Day.adding(months: 3, to: start))
        else { throw RISKitError(.invalidQuarter, "a quarter is written like 2026-Q1, not '\(quarter)'") }
        return (start, end)
    }

    public init(
        quarter: String, asOf: Date?, documents: [RISDocument], findings: [Finding], catalog: ControlCatalog = .shared
    ) throws {
        let (start, end) = try QuarterlyReview.bounds(of: quarter)
        let day = asOf ?? end
        self.quarter = quarter.uppercased()
        self.asOf = Day.format(day)
        var rows: [Row] = []
        var cited: [String: Set<String>] = [:]
        // Counted once: filtering all findings for each record made the export quadratic.
        var findingsByPath: [String: Int] = [:]
        for finding in findings { findingsByPath[finding.path, default: 0] += 1 }
        // A record whose compliance block could not be read whole is in the review too, said so:
        // it must not vanish from what the auditor signs because of one bad byte.
        // So is every record `check` checks, those with no compliance metadata included
        // ("missing metadata"): the review lists what the auditor must see is missing.
        for document in documents.sorted(by: { ($0.id, $0.path) < ($1.id, $1.path) })
        where ComplianceCheck.isRecord(document)
            || (!document.metadataReadable && [.ris, .kb].contains(document.kind))
        {
            let compliance = document.compliance
            var controls: [String] = []
            for framework in compliance.frameworks {
                for control in framework.controls {
                    if let found = catalog.control(control.value, framework: framework.name) {
                        controls.append("\(framework.name):\(found.id) (\(found.title))")
                        cited["\(found.framework):\(found.id)", default: []].insert(document.path)
                    } else {
                        controls.append("\(framework.name):\(control.value) (unknown)")
                    }
                }
            }
            func first<T>(_ path: KeyPath<FrameworkCompliance, Marked<T>?>) -> T? {
                compliance.frameworks.lazy.compactMap { $0[keyPath: path]?.value }.first
            }
            let created = compliance.created.flatMap { FieldValue.day(in: $0.value) }.flatMap(Day.parse)
            let updated = compliance.updated.flatMap { FieldValue.day(in: $0.value) }.flatMap(Day.parse)
            let longest = compliance.frameworks.compactMap(\.retentionPeriod?.value).max { $0.days < $1.days }
            var retentionUntil = ""
            var retentionState = ""
            if let longest, let from = [created, updated].compactMap({ $0 }).max() {
                let until = Day.adding(longest, to: from)
                retentionUntil = Day.format(until)
                retentionState = until < day ? "expired" : (until <= end ? "expires this quarter" : "kept")
            } else if document.metadataReadable && !compliance.frameworks.isEmpty {
                // Every record gets a state: the auditor sees why none was computed.
                retentionState = longest == nil ? "no retention period" : "no created date"
            }
            let frequency = compliance.frameworks.compactMap(\.reviewFrequency?.value).min { $0.months < $1.months }
            // `last-reviewed` as people write it (`2026-11-02` or `2026-11-02T10:00:00Z`). The
            // column says when the record was reviewed, never its creation: the next due date
            // alone counts from the creation of a record not reviewed yet.
            let reviewed = document.frontMatter?["last-reviewed"]?.scalarText
                .flatMap { FieldValue.day(in: $0) }.flatMap(Day.parse)
            let last = reviewed ?? updated ?? created
            var nextDue = ""
            var reviewState = ""
            if !document.metadataReadable {
                reviewState = "compliance block unreadable"
            } else if compliance.frameworks.isEmpty {
                reviewState = "missing metadata"
            } else if let frequency, let last {
                let due = Day.adding(months: frequency.months, to: last)
                nextDue = Day.format(due)
                if reviewed.map({ $0 >= start && $0 <= end && $0 <= day }) == true {
                    reviewState = "reviewed this quarter"
                } else if due < day {
                    reviewState = "overdue"
                } else if due <= end {
                    reviewState = "due this quarter"
                } else {
                    reviewState = "not due"
                }
            } else {
                reviewState = frequency == nil ? "no review frequency" : "no created date"
            }
            let signOff = document.field("Sign-Off") ?? document.field("Signoff") ?? ""
            rows.append(
                Row(
                    id: document.id, title: document.title, path: document.path,
                    frameworks: compliance.frameworks.map(\.name), controls: controls,
                    classification: first(\.classification) ?? "", phiClass: first(\.phiContains) ?? "",
                    encryptionRequired: first(\.encryptionRequired) ?? false,
                    accessAuditRequired: AccessPolicy.requiresAudit(document),
                    evidenceType: first(\.evidenceType) ?? "", retentionPeriod: longest?.text ?? "",
                    retentionUntil: retentionUntil,
                    retentionState: retentionState, reviewFrequency: frequency?.rawValue ?? "",
                    lastReviewed: reviewed.map(Day.format) ?? "",
                    reviewedBy: document.frontMatter?["reviewed-by"]?.scalarText ?? document.field("Reviewed By") ?? "",
                    nextDue: nextDue, reviewState: reviewState, signOff: signOff,
                    findings: findingsByPath[document.path] ?? 0))
        }
        self.rows = rows
        var summary: [String: Int] = ["records": rows.count]
        for row in rows {
            if !row.retentionState.isEmpty { summary["retention: " + row.retentionState, default: 0] += 1 }
            if !row.reviewState.isEmpty { summary["review: " + row.reviewState, default: 0] += 1 }
        }
        self.summary = summary
        coverage = catalog.controls.map { ($0, (cited["\($0.framework):\($0.id)"] ?? []).sorted()) }
    }

    static let header = [
        "id", "title", "path", "frameworks", "controls", "classification", "phi class", "encryption required",
        "access audit required", "evidence type", "retention period", "retention until", "retention state",
        "review frequency", "last reviewed", "reviewed by", "next due", "review state", "sign-off", "findings",
    ]

    func cells(_ row: Row) -> [String] {
        [
            row.id, row.title, row.path, row.frameworks.joined(separator: "; "), row.controls.joined(separator: "; "),
            row.classification,
            row.phiClass, String(row.encryptionRequired), String(row.accessAuditRequired), row.evidenceType,
            row.retentionPeriod,
            row.retentionUntil, row.retentionState, row.reviewFrequency, row.lastReviewed, row.reviewedBy, row.nextDue,
            row.reviewState,
            row.signOff, String(row.findings),
        ]
    }

    /// RFC 4180 with CRLF line ends; cells as `CSV.cell` writes them (quoted when needed,
    /// formulas neutralised).
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
        struct Document: Encodable {
            var quarter: String
            var asOf: String
            var summary: [String: Int]
            var records: [Row]
            var coverage: [Coverage]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(
            Document(
                quarter: quarter, asOf: asOf, summary: summary, records: rows,
                coverage: coverage.map {
                    Coverage(
                        framework: $0.control.framework, edition: $0.control.edition, id: $0.control.id,
                        title: $0.control.title, records: $0.paths)
                }))
    }

    /// Markdown meant to be committed: every value from a record is literal text in its cell.
    public var markdown: String {
        func cell(_ text: String) -> String { QuarterlyReview.markdownCell(text) }
        var out = "# Compliance review \(quarter)\n\nAs of \(asOf).\n\n## Summary\n\n| state | records |\n|---|---:|\n"
        for (key, value) in summary.sorted(by: { $0.key < $1.key }) { out += "| \(cell(key)) | \(value) |\n" }
        out +=
            "\n## Records\n\n| " + QuarterlyReview.header.joined(separator: " | ") + " |\n|"
            + String(repeating: "---|", count: QuarterlyReview.header.count) + "\n"
        for row in rows { out += "| " + cells(row).map(cell).joined(separator: " | ") + " |\n" }
        out += "\n## Control coverage\n\n| framework | control | title | records |\n|---|---|---|---|\n"
        for entry in coverage where !entry.paths.isEmpty {
            out +=
                "| \(entry.control.framework) \(entry.control.edition) | \(entry.control.id) | "
                + "\(cell(entry.control.title)) | \(entry.paths.map(cell).joined(separator: "<br>")) |\n"
        }
        out += "\n### Controls with no record\n\n"
        for entry in coverage where entry.paths.isEmpty {
            out += "- \(entry.control.framework) \(entry.control.edition) \(entry.control.id): \(entry.control.title)\n"
        }
        return out
    }

    /// One self-contained printable page: inline CSS, no script, nothing fetched.
    public var html: String {
        func escape(_ text: String) -> String { QuarterlyReview.htmlText(text) }
        var out = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Compliance review \(escape(quarter))</title>
            <style>body{font:12px/1.4 sans-serif;margin:2em}table{border-collapse:collapse;margin:1em \
            0}th,td{border:1px solid #999;padding:2px \
            6px;vertical-align:top;text-align:left}th{background:#eee}@media print{body{margin:0}}</style>
            </head><body>
            <h1>Compliance review \(escape(quarter))</h1><p>As of \(escape(asOf)).</p>
            <h2>Summary</h2><table><tr><th>state</th><th>records</th></tr>

            """
        for (key, value) in summary.sorted(by: { $0.key < $1.key }) {
            out += "<tr><td>\(escape(key))</td><td>\(value)</td></tr>\n"
        }
        out +=
            "</table>\n<h2>Records</h2><table><tr>" + QuarterlyReview.header.map { "<th>\(escape($0))</th>" }.joined()
            + "</tr>\n"
        for row in rows { out += "<tr>" + cells(row).map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n" }
        out +=
            "</table>\n<h2>Control "
            + "coverage</h2><table><tr><th>framework</th><th>control</th><th>title</th><th>records</th></tr>\n"
        for entry in coverage where !entry.paths.isEmpty {
            out +=
                "<tr><td>\(escape(entry.control.framework)) "
                + "\(escape(entry.control.edition))</td><td>\(escape(entry.control.id))</td>"
                + "<td>\(escape(entry.control.title))</td>"
                + "<td>\(entry.paths.map(escape).joined(separator: "<br>"))</td></tr>\n"
        }
        out += "</table>\n<h3>Controls with no record</h3><ul>\n"
        for entry in coverage where entry.paths.isEmpty {
            out +=
                "<li>\(escape(entry.control.framework)) \(escape(entry.control.edition)) "
                + "\(escape(entry.control.id)): \(escape(entry.control.title))</li>\n"
        }
        return out + "</ul>\n</body></html>\n"
    }
}

extension QuarterlyReview {
    /// One markdown table cell showing `text` as written: line breaks become spaces (a lone CR
    /// ends a table row as LF does), `\`, `|`, `[` and `]` are backslash-escaped (no split
    /// cell, no link or image), `<`, `>` and `&` are entities (no raw HTML), and controls and
    /// bidi overrides are visible escapes. Decided on Unicode scalars: `|` followed by a
    /// combining mark is one Character to Swift but still a `|` to a markdown parser.
    static func markdownCell(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            switch scalar {
            case "\r" where index + 1 < scalars.count && scalars[index + 1] == "\n": continue
            case "\r", "\n": out.append(" ")
            case "\\", "|", "[", "]":
                out.append("\\")
                out.append(scalar)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return UntrustedText.escaped(String(out), layout: .block)
    }

    /// Text for an HTML element's content or a quoted attribute: markup characters as
    /// entities, controls and bidi overrides as visible escapes.
    static func htmlText(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in UntrustedText.escaped(text, layout: .block).unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}

// MARK: - Untrusted text in the outputs
//
// Shared by the exports above and by the command-line tool (`Terminal.escaped`, the CSV of
// `ris search`); they sit here because the review export is their first user in RISKit.

/// CSV for spreadsheets: RFC 4180 quoting and the OWASP rule against CSV injection, the
/// same for `ris search --format csv` and `ris review export --format csv`.
///
/// - A cell that a spreadsheet would read as a formula gets a `'` in front: one whose first
///   character other than spaces is `=`, `+`, `-`, `@` (or their full-width forms, which
///   some spreadsheets convert), a tab, a CR or a LF. A plain number (`-12`, `+3`, `-0.5`:
///   a sign, digits, at most one decimal point) is left as it is, so negative numbers stay
///   numbers; dates (`2026-03-31`) start with a digit and are never touched.
/// - After a `;` or a tab inside a cell, a formula start gets a `'` too (see
///   `neutralisedAfterSeparators`): spreadsheets that split on them cut cells there.
/// - A cell is quoted when it holds a comma, a double quote, a CR, a LF, a `;` or a tab,
///   decided on Unicode scalars (`"\r\n"` is one Swift Character, and a combining mark after `"` makes another).
public enum CSV {
    private static let formulaStarts: Set<Unicode.Scalar> = [
        "=", "+", "-", "@", "\t", "\r", "\n",
        "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}",
    ]

    /// One cell, neutralised and quoted as needed.
    public static func cell(_ text: String) -> String {
        var value = neutralisedAfterSeparators(text)
        if let first = value.unicodeScalars.first(where: { $0 != " " }), formulaStarts.contains(first),
            !isPlainNumber(value)
        {
            value = "'" + value
        }
        // `;` and tab quoted too, for spreadsheets that honour quotes when splitting on them.
        guard
            value.unicodeScalars.contains(where: {
                $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == ";" || $0 == "\t"
            })
        else { return value }
        var quoted = String.UnicodeScalarView()
        quoted.append("\"")
        for scalar in value.unicodeScalars {
            quoted.append(scalar)
            if scalar == "\"" { quoted.append("\"") }
        }
        quoted.append("\"")
        return String(quoted)
    }

    /// A spreadsheet set to split on `;` or tab (Excel in many locales) ignores the comma
    /// quoting of a cell in the middle of a line, so `Outage;=cmd|...` would become a cell
    /// starting `=cmd`. After each `;` or tab followed (past spaces and `"`) by a formula
    /// start, a `'` goes in, so every piece such a split can make is neutral too.
    static func neutralisedAfterSeparators(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        guard scalars.contains(where: { $0 == ";" || $0 == "\t" }) else { return text }
        var result = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            result.append(scalar)
            guard scalar == ";" || scalar == "\t" else { continue }
            var next = index + 1
            while next < scalars.count, scalars[next] == " " || scalars[next] == "\"" { next += 1 }
            if next < scalars.count, formulaStarts.contains(scalars[next]), scalars[next] != "\t" {
                result.append("'")
            }
        }
        return String(result)
    }

    /// The cells of one line, without the line end.
    public static func row(_ cells: [String]) -> String {
        cells.map(cell).joined(separator: ",")
    }

    /// `-12`, `+3`, `-0.5`: a sign, ASCII digits, at most one decimal point with digits on both sides.
    static func isPlainNumber(_ text: String) -> Bool {
        var scalars = Substring(text).unicodeScalars
        if let sign = scalars.first, sign == "-" || sign == "+" { scalars = scalars.dropFirst() }
        let parts = scalars.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        return (1...2).contains(parts.count)
            && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { ("0"..."9").contains($0) } }
    }
}
