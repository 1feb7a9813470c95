import Foundation
import FrontMatter

/// The quarterly compliance review an auditor signs: an overview (counts by state, the
/// records that need action), one row per record with its details and findings, the KB
/// articles apart, the control coverage of the frameworks the knowledge base uses, where it
/// came from (provenance, with each record's SHA-256) and a sign-off block. The same
/// documents, provenance and as-of day give the same bytes.
public struct QuarterlyReview: Sendable {
    public struct Row: Sendable, Codable, Hashable {
        public var id: String
        public var title: String
        public var path: String
        /// `record`, or `kb article` for a knowledge-base article (listed apart).
        public var kind: String
        public var frameworks: [String]
        /// `framework:ID` for each control cited (`(unknown)` after an ID not in the catalog);
        /// titles are in `citedControls`, once.
        public var controls: [String]
        public var classification: String
        public var phiClass: String
        public var encryptionRequired: Bool
        public var accessAuditRequired: Bool
        public var evidenceType: String
        public var retentionPeriod: String
        public var retentionUntil: String
        /// `kept`, `expires this quarter`, `expired`, `no retention period`, `no created date`.
        public var retentionState: String
        public var reviewFrequency: String
        /// The front matter's `last-reviewed`; empty for a record never reviewed.
        public var lastReviewed: String
        public var reviewedBy: String
        public var nextDue: String
        /// `reviewed this quarter`, `due this quarter`, `overdue`, `not due`, `no review frequency`,
        /// `no created date`, `missing metadata`, `compliance block unreadable`.
        public var reviewState: String
        public var signOff: String
        /// The number of `ris check` findings for the record.
        public var findings: Int
        /// Those findings, in line order.
        public var findingDetails: [ReviewFinding]
        /// SHA-256 of the bytes reviewed (empty when the file could not be read).
        public var sha256: String
    }

    /// One `ris check` finding of a record.
    public struct ReviewFinding: Sendable, Codable, Hashable {
        public var rule: String
        public var severity: String
        public var line: Int
        public var message: String
    }

    /// Where the review came from: what an auditor needs to trust and reproduce it.
    public struct Provenance: Sendable, Codable, Hashable {
        /// The knowledge base's folder.
        public var knowledgeBase: String
        /// The git commit checked out (nil outside git), and whether files differ from it.
        public var gitCommit: String?
        public var gitDirty: Bool?
        public var risVersion: String
        /// Who generated it (the actor: `RIS_ACTOR`, else git's user.email, else the account).
        public var generatedBy: String
        /// When, UTC (`SOURCE_DATE_EPOCH` fixes it, for reproducible output).
        public var generatedAt: String

        enum CodingKeys: String, CodingKey {
            case knowledgeBase, gitCommit, gitDirty, risVersion, generatedBy, generatedAt
        }

        /// Every key, `null` for what is unknown (outside git), as documented.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(knowledgeBase, forKey: .knowledgeBase)
            try container.encode(gitCommit, forKey: .gitCommit)
            try container.encode(gitDirty, forKey: .gitDirty)
            try container.encode(risVersion, forKey: .risVersion)
            try container.encode(generatedBy, forKey: .generatedBy)
            try container.encode(generatedAt, forKey: .generatedAt)
        }

        public init(
            knowledgeBase: String, gitCommit: String?, gitDirty: Bool?, risVersion: String = RISVersion.current,
            generatedBy: String, generatedAt: String
        ) {
            self.knowledgeBase = knowledgeBase
            self.gitCommit = gitCommit
            self.gitDirty = gitDirty
            self.risVersion = risVersion
            self.generatedBy = generatedBy
            self.generatedAt = generatedAt
        }
    }

    /// A record that needs action before the review can be signed, and why.
    public struct Action: Sendable, Codable, Hashable {
        public var id: String
        public var title: String
        public var path: String
        public var reason: String
    }

    public var quarter: String
    public var asOf: String
    /// Records (incident records and other documents with compliance metadata), then
    /// KB articles: `records` and `articles` split them.
    public var rows: [Row]
    /// State → number of records and articles, for retention and review states.
    public var summary: [String: Int]
    /// Records overdue, failing `ris check` (an error), missing metadata or unreadable.
    public var actions: [Action]
    /// Each framework the review covers (those the records use, or the policy's list), with
    /// the controls of the edition in force, and the records citing each.
    public var coverage: [(control: Control, paths: [String])]
    /// The frameworks covered, canonical names (`hipaa`, `iso27001`, `soc2`).
    public var frameworks: [String]
    /// Every control the rows cite, with its title: the appendix.
    public var citedControls: [Control]
    public var provenance: Provenance?

    /// Incident records and other documents with compliance metadata.
    public var records: [Row] { rows.filter { $0.kind == "record" } }
    /// Knowledge-base articles (often derived from records), listed apart.
    public var articles: [Row] { rows.filter { $0.kind == "kb article" } }

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

    /// The review of `documents` with their `findings` (`ris check`'s). `digests` maps a path
    /// to the SHA-256 of the bytes read; `frameworks` limits the coverage (default: those the
    /// documents use); `isoEdition` is the ISO/IEC 27001 edition covered (2013 IDs cited
    /// count for the 2022 controls they map to).
    public init(
        quarter: String, asOf: Date?, documents: [RISDocument], findings: [Finding], digests: [String: String] = [:],
        provenance: Provenance? = nil, frameworks: [String]? = nil, isoEdition: String = "2022",
        catalog: ControlCatalog = .shared
    ) throws {
        let (start, end) = try QuarterlyReview.bounds(of: quarter)
        let day = asOf ?? end
        self.quarter = quarter.uppercased()
        self.asOf = Day.format(day)
        self.provenance = provenance
        var rows: [Row] = []
        var cited: [String: Set<String>] = [:]
        var citedControls: [String: Control] = [:]
        var used: Set<String> = []
        // Grouped once: filtering all findings for each record made the export quadratic.
        var findingsByPath: [String: [ReviewFinding]] = [:]
        for finding in findings {
            findingsByPath[finding.path, default: []].append(
                ReviewFinding(
                    rule: finding.rule, severity: finding.severity.rawValue, line: finding.line,
                    message: finding.message))
        }
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
                used.insert(ControlCatalog.canonicalFramework(framework.name))
                for control in framework.controls {
                    if let found = catalog.control(control.value, framework: framework.name) {
                        controls.append("\(framework.name):\(found.id)")
                        citedControls["\(found.framework)|\(found.edition)|\(found.id)"] = found
                        cited["\(found.framework):\(found.id)", default: []].insert(document.path)
                        // A 2013 control cited counts for the 2022 controls it maps to, and a
                        // 2022 control for the 2013 controls mapping to it (either edition covered).
                        for successor in found.mapsTo ?? [] {
                            cited["\(found.framework):\(successor)", default: []].insert(document.path)
                        }
                        if found.framework == "iso27001", found.edition == "2022" {
                            for predecessor in catalog.predecessors(of: found.id) {
                                cited["iso27001:\(predecessor)", default: []].insert(document.path)
                            }
                        }
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
            if let until = ComplianceSchedule.retentionEnd(of: longest, created: created, updated: updated) {
                retentionUntil = Day.format(until)
                retentionState = until < day ? "expired" : (until <= end ? "expires this quarter" : "kept")
            } else if !document.metadataReadable {
                // Every record gets a state: the auditor sees why none was computed.
                retentionState = "compliance block unreadable"
            } else if compliance.frameworks.isEmpty {
                retentionState = "missing metadata"
            } else {
                retentionState = longest == nil ? "no retention period" : "no created date"
            }
            let frequency = compliance.frameworks.compactMap(\.reviewFrequency?.value).min { $0.months < $1.months }
            // `last-reviewed` as people write it (`2026-11-02` or `2026-11-02T10:00:00Z`). The
            // column says when the record was reviewed, never its creation: the next due date
            // alone counts from the creation of a record not reviewed yet.
            let reviewed = document.frontMatter?["last-reviewed"]?.scalarText
                .flatMap { FieldValue.day(in: $0) }.flatMap(Day.parse)
            let next = ComplianceSchedule.nextReview(
                every: frequency, lastReviewed: reviewed, updated: updated, created: created)
            var nextDue = ""
            var reviewState = ""
            if !document.metadataReadable {
                reviewState = "compliance block unreadable"
            } else if compliance.frameworks.isEmpty {
                reviewState = "missing metadata"
            } else if let due = next?.due {
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
            let signOff = document.fields.first { SignOff.field(named: $0.name) == .signOff }?.value ?? ""
            let details = (findingsByPath[document.path] ?? []).sorted { ($0.line, $0.rule) < ($1.line, $1.rule) }
            rows.append(
                Row(
                    id: document.id, title: document.title, path: document.path,
                    kind: document.kind == .kb ? "kb article" : "record",
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
                    findings: details.count, findingDetails: details, sha256: digests[document.path] ?? ""))
        }
        // Records first, then the articles, each in ID order.
        self.rows = rows.filter { $0.kind == "record" } + rows.filter { $0.kind != "record" }
        var actions: [Action] = []
        for row in self.rows where row.kind == "record" {
            var reasons: [String] = []
            switch row.reviewState {
            case "overdue": reasons.append("review overdue since \(row.nextDue)")
            case "missing metadata": reasons.append("no compliance metadata")
            case "compliance block unreadable": reasons.append("compliance block unreadable")
            case "no created date", "no review frequency": reasons.append(row.reviewState)
            default: break
            }
            let errors = row.findingDetails.filter { $0.severity == FindingSeverity.error.rawValue }
            if !errors.isEmpty {
                reasons.append(
                    "\(errors.count) error(s): "
                        + Array(Set(errors.map(\.rule))).sorted().joined(separator: ", "))
            }
            if row.retentionState == "expired" { reasons.append("retention ended \(row.retentionUntil)") }
            if !reasons.isEmpty {
                actions.append(
                    Action(id: row.id, title: row.title, path: row.path, reason: reasons.joined(separator: "; ")))
            }
        }
        self.actions = actions
        let covered = (frameworks?.map(ControlCatalog.canonicalFramework) ?? Array(used)).sorted()
        self.frameworks = covered
        self.citedControls = citedControls.values.sorted {
            ($0.framework, $0.edition, $0.id) < ($1.framework, $1.edition, $1.id)
        }
        self.coverage = catalog.controls.filter {
            covered.contains($0.framework) && ($0.framework != "iso27001" || $0.edition == isoEdition)
        }.map { ($0, (cited["\($0.framework):\($0.id)"] ?? []).sorted()) }
        // States are the records'; the articles are counted apart.
        var summary: [String: Int] = ["records": rows.count { $0.kind == "record" }]
        if rows.contains(where: { $0.kind != "record" }) { summary["kb articles"] = rows.count { $0.kind != "record" } }
        for row in rows where row.kind == "record" {
            if !row.retentionState.isEmpty { summary["retention: " + row.retentionState, default: 0] += 1 }
            if !row.reviewState.isEmpty { summary["review: " + row.reviewState, default: 0] += 1 }
        }
        self.summary = summary
    }
}

extension QuarterlyReview {
    /// One markdown table cell showing `text` as written: line breaks become spaces (a lone CR
    /// ends a table row as LF does), `\`, `|`, `[`, `]`, `*`, `_` and `` ` `` are
    /// backslash-escaped (no split cell, no link, image, emphasis or code), `<`, `>` and `&` are entities (no raw HTML), and controls and
    /// bidi overrides are visible escapes. Decided on Unicode scalars: `|` followed by a
    /// combining mark is one Character to Swift but still a `|` to a markdown parser.
    static func markdownCell(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            switch scalar {
            case "\r" where index + 1 < scalars.count && scalars[index + 1] == "\n": continue
            case "\r", "\n": out.append(" ")
            case "\\", "|", "[", "]", "*", "_", "`":
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
        return value.doubleQuoted
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
