import Foundation
import FrontMatter

/// A compliance finding: `path:line:col: severity: [rule] message`.
public struct Finding: Sendable, Hashable, Codable {
    public var path: String
    public var line: Int
    public var column: Int
    public var severity: FindingSeverity
    public var rule: String
    public var message: String

    public var formatted: String { "\(path):\(line):\(column): \(severity): [\(rule)] \(message)" }

    public init(path: String, line: Int, column: Int, severity: FindingSeverity, rule: String, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.severity = severity
        self.rule = rule
        self.message = message
    }
}

/// How much a finding matters: `error` fails `ris check`, `warning` fails it with `--strict`.
public enum FindingSeverity: String, Sendable, Hashable, Codable, CaseIterable {
    case error, warning, info

    /// The severity of a reading diagnostic reported as a finding (a note is `info`).
    public init(_ severity: Diagnostic.Severity) {
        switch severity {
        case .error: self = .error
        case .warning: self = .warning
        case .note: self = .info
        }
    }
}

/// What the knowledge base requires (`compliance:` in `.ris/config.yaml`).
public struct CompliancePolicy: Sendable {
    /// Shortest retention allowed per framework; HIPAA: 6 years (45 CFR 164.316(b)(2)(i)).
    public var minimumRetention: [String: RetentionPeriod] = ["hipaa": RetentionPeriod(amount: 6, unit: .years)]
    public var allowedReviewFrequencies: Set<ReviewFrequency> = Set(ReviewFrequency.allCases)
    /// Frameworks every record must have a block for.
    public var requiredFrameworks: [String] = []
    /// Keys every framework block must have.
    public var requiredKeys: [String] = []
    /// The frameworks the quarterly review's control coverage covers (nil: those the records use).
    public var reviewFrameworks: [String]?
    /// The ISO/IEC 27001 edition the coverage lists (`2022`, or `2013` for a certificate still on it).
    public var isoEdition = "2022"
    /// The editions `iso27001-edition` may name.
    public static let isoEditions = ["2013", "2022"]

    public init() {}

    /// The policy of a configuration's `compliance` node; what is not given keeps its default.
    public init(_ node: YAMLNode?) {
        guard let node else { return }
        if let minimums = node["minimum-retention"]?.pairs {
            for pair in minimums {
                if let name = pair.key.scalarText, let text = pair.value.scalarText,
                    let period = RetentionPeriod(parsing: text)
                {
                    minimumRetention[ControlCatalog.canonicalFramework(name)] = period
                }
            }
        }
        if let list = node["review-frequencies"]?.stringList {
            allowedReviewFrequencies = Set(list.compactMap(ReviewFrequency.init(parsing:)))
        }
        requiredFrameworks = node["required-frameworks"]?.stringList ?? []
        requiredKeys = node["required-keys"]?.stringList ?? []
        reviewFrameworks = node["review-frameworks"]?.stringList
        if let edition = node["iso27001-edition"]?.scalarText, CompliancePolicy.isoEditions.contains(edition) {
            isoEdition = edition
        }
    }
}

/// Day arithmetic on `YYYY-MM-DD` dates, in UTC.
public enum Day {
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// The date, when the text is a real calendar date `YYYY-MM-DD`.
    public static func parse(_ text: String) -> Date? {
        let parts = text.split(separator: "-")
        guard text.count == 10, parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]),
            let day = Int(parts[2])
        else { return nil }
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = calendar.date(from: components) else { return nil }
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        return back.year == year && back.month == month && back.day == day ? date : nil
    }

    public static func format(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    public static func adding(_ period: RetentionPeriod, to date: Date) -> Date {
        switch period.unit {
        case .years: return calendar.date(byAdding: .year, value: period.amount, to: date)!
        case .months: return calendar.date(byAdding: .month, value: period.amount, to: date)!
        case .days: return calendar.date(byAdding: .day, value: period.amount, to: date)!
        }
    }

    public static func adding(months: Int, to date: Date) -> Date {
        calendar.date(byAdding: .month, value: months, to: date)!
    }
}

/// When a record's retention ends and its next review is due: one reckoning for `ris check`
/// and the quarterly review (docs/compliance.md).
public enum ComplianceSchedule {
    /// The longest retention period, counted from the later of `created` and `updated`; nil
    /// without a period or either date.
    public static func retentionEnd(of longest: RetentionPeriod?, created: Date?, updated: Date?) -> Date? {
        guard let longest, let start = [created, updated].compactMap({ $0 }).max() else { return nil }
        return Day.adding(longest, to: start)
    }

    /// The most frequent review's next due date, counted (`from`) from the last review, else the
    /// last update, else the creation; nil without a frequency or any of those dates.
    public static func nextReview(
        every frequency: ReviewFrequency?, lastReviewed: Date?, updated: Date?, created: Date?
    ) -> (due: Date, from: Date)? {
        guard let frequency, let from = lastReviewed ?? updated ?? created else { return nil }
        return (Day.adding(months: frequency.months, to: from), from)
    }
}

extension RetentionPeriod {
    /// Length in days from one fixed day (2000-01-01), by the calendar: periods of different
    /// units compare as the calendar counts them (`72-months` is `6-years`; `2190-days` is
    /// two days short of it). A 30-day month and a 365-day year made `72-months` shorter.
    var days: Int {
        let reference = Date(timeIntervalSince1970: 946_684_800)
        return Int((Day.adding(self, to: reference).timeIntervalSince(reference) / 86_400).rounded())
    }
}

/// The compliance rules of `ris check` (docs/compliance.md).
public enum ComplianceCheck {
    /// Every rule a finding can carry, for `--rule` and `--ignore` (docs/compliance.md).
    public static let ruleNames: [String] = [
        "compliance-missing", "compliance-shape", "compliance-unknown-framework", "compliance-value-type", "config",
        "control-superseded", "control-unknown", "created-missing", "date-invalid", "duplicate-id", "missing-required",
        "retention-below-minimum", "retention-expired", "retention-invalid", "retention-missing",
        "review-frequency-invalid", "review-frequency-missing", "review-overdue", "sign-off-pending",
        "updated-before-created", "yaml-invalid",
    ]

    /// Findings for `documents` as of the day `asOf` (`YYYY-MM-DD`).
    public static func check(
        _ documents: [RISDocument], policy: CompliancePolicy, asOf: Date,
        catalog: ControlCatalog = .shared
    ) -> [Finding] {
        var findings: [Finding] = []
        var byID: [String: [RISDocument]] = [:]
        for document in documents where document.kind == .ris {
            byID[document.id.uppercased(), default: []].append(document)
        }
        for document in documents {
            let compliance = document.compliance
            guard ComplianceCheck.isRecord(document) else { continue }
            // The rules this document broke, so far: asked of this document's findings, not of all
            // of them (which made `check` quadratic: 10k records 19 s).
            var broken = Set<String>()
            func add(_ rule: String, _ severity: FindingSeverity, _ position: SourcePosition?, _ message: String) {
                findings.append(
                    Finding(
                        path: document.path, line: position?.line ?? 1, column: position?.column ?? 1,
                        severity: severity, rule: rule, message: message))
                broken.insert(rule)
            }
            // Diagnostics of the reading that are compliance problems.
            for diagnostic in document.diagnostics where diagnostic.severity == .error {
                switch diagnostic.code {
                case let code where code.isYAML: add("yaml-invalid", .error, diagnostic.position, diagnostic.message)
                case .retentionInvalid: add("retention-invalid", .error, diagnostic.position, diagnostic.message)
                case .reviewFrequencyInvalid:
                    add("review-frequency-invalid", .error, diagnostic.position, diagnostic.message)
                default: break
                }
            }
            // The compliance block's shape and value types: what ris did not read of it, said by
            // `check` itself (not only on `ris index`'s stderr). Dates are `date-invalid` below.
            for diagnostic in document.diagnostics {
                switch diagnostic.code {
                case .complianceShape, .complianceValueType, .complianceUnknownFramework:
                    add(
                        diagnostic.code.rawValue, FindingSeverity(diagnostic.severity), diagnostic.position,
                        diagnostic.message)
                default: break
                }
            }
            // A front matter that did not read has no metadata to judge: the YAML error is the
            // finding, not a cascade of "missing" ones for keys that are there but unread.
            if broken.contains("yaml-invalid") {
                signOffAndDuplicates(document, byID: byID, add: add)
                continue
            }
            // No framework at all: one finding for the missing block, not one per key it lacks.
            if compliance.frameworks.isEmpty {
                let block = document.frontMatter?["compliance"]
                add(
                    "compliance-missing", .error, block?.position,
                    block == nil || block?.isNull == true
                        ? "no compliance block: which frameworks apply (hipaa, soc2, iso27001), how long the record is "
                            + "kept (`retention-period`) and how often it is reviewed (`review-frequency`)"
                        : "the compliance block names no framework (hipaa, soc2, iso27001): nothing says how long the "
                            + "record is kept or how often it is reviewed")
                signOffAndDuplicates(document, byID: byID, add: add)
                continue
            }

            // Dates.
            func date(_ marked: Marked<String>?, _ key: String) -> Date? {
                guard let marked else { return nil }
                guard let value = FieldValue.day(in: marked.value).flatMap(Day.parse) else {
                    add(
                        "date-invalid", .error, marked.position,
                        "`\(key)` must be a date like 2026-01-10, not '\(marked.value)'")
                    return nil
                }
                return value
            }
            let created = date(compliance.created, "created")
            let updated = date(compliance.updated, "updated")
            let reviewedNode = document.frontMatter?["last-reviewed"]
            let lastReviewed = date(
                reviewedNode.flatMap { node in node.scalarText.map { Marked($0, at: node.position) } }, "last-reviewed")
            if compliance.created == nil && compliance.updated == nil {
                // Nothing to count retention and the review schedule from: the review export
                // says "no created date" for both; the incident's date is not the record's.
                add(
                    "created-missing", .error, nil,
                    "no `created` date: the retention and the review schedule cannot be computed; add `created: "
                        + "YYYY-MM-DD`" + (document.date.map { " (the incident's date is \($0))" } ?? ""))
            }
            if let created, let updated, updated < created {
                add(
                    "updated-before-created", .error, compliance.updated?.position,
                    "`updated` (\(compliance.updated!.value)) is before `created` (\(compliance.created!.value))")
            }

            // Frameworks and keys the policy requires.
            for required in policy.requiredFrameworks where compliance.framework(required) == nil {
                add("missing-required", .error, nil, "the policy requires a `compliance.\(required)` block")
            }
            for framework in compliance.frameworks {
                let present = Set(
                    ([
                        framework.retentionPeriod != nil ? "retention-period" : nil,
                        framework.reviewFrequency != nil ? "review-frequency" : nil,
                        framework.classification != nil ? "classification" : nil,
                        framework.phiContains != nil ? "phi-contains" : nil,
                        framework.evidenceType != nil ? "evidence-type" : nil,
                        framework.encryptionRequired != nil ? "encryption-required" : nil,
                        framework.accessAuditRequired != nil ? "access-audit-required" : nil,
                        framework.controls.isEmpty ? nil : "controls",
                    ] as [String?]).compactMap { $0 })
                for key in policy.requiredKeys where !present.contains(key) {
                    add(
                        "missing-required", .error, framework.position,
                        "the policy requires `\(key)` in `compliance.\(framework.name)`")
                }
            }

            // Retention.
            let periods = compliance.frameworks.compactMap(\.retentionPeriod)
            let invalidRetention = broken.contains("retention-invalid")
            if periods.isEmpty && !invalidRetention {
                add(
                    "retention-missing", .error, compliance.frameworks.first?.position,
                    "no `retention-period` in the compliance block: how long must this record be kept?")
            }
            let longest = periods.max { $0.value.days < $1.value.days }
            for framework in compliance.frameworks {
                let canonical = ControlCatalog.canonicalFramework(framework.name)
                guard let minimum = policy.minimumRetention[canonical] else { continue }
                let law = canonical == "hipaa" ? " (45 CFR 164.316(b)(2)(i))" : ""
                if let own = framework.retentionPeriod {
                    // The framework's own value is what an auditor of that framework reads: short
                    // is wrong there even when another block keeps the record longer.
                    guard own.value.days < minimum.days else { continue }
                    var message =
                        "`compliance.\(framework.name).retention-period` \(own.value.text) is below the "
                        + "\(framework.name) minimum of \(minimum.text)\(law)"
                    if let longest, longest.value.days >= minimum.days,
                        let keeper = compliance.frameworks.first(where: { $0.retentionPeriod == longest })
                    {
                        message +=
                            "; the record is kept \(longest.value.text) by `compliance.\(keeper.name)`, but this "
                            + "block says otherwise: write \(minimum.text) or more"
                    }
                    add("retention-below-minimum", .error, own.position, message)
                } else if let longest, longest.value.days < minimum.days {
                    add(
                        "retention-below-minimum", .error, longest.position,
                        "retention \(longest.value.text) is below the \(framework.name) minimum of "
                            + "\(minimum.text)\(law)")
                }
            }
            if let longest,
                let until = ComplianceSchedule.retentionEnd(of: longest.value, created: created, updated: updated)
            {
                if asOf > until {
                    add(
                        "retention-expired", .info, longest.position,
                        "retention ended on \(Day.format(until)): eligible for disposition review")
                }
            }

            // Review.
            let frequencies = compliance.frameworks.compactMap(\.reviewFrequency)
            let invalidFrequency = broken.contains("review-frequency-invalid")
            if frequencies.isEmpty && !invalidFrequency && !compliance.frameworks.isEmpty {
                add(
                    "review-frequency-missing", .warning, compliance.frameworks.first?.position,
                    "no `review-frequency`: when is this record reviewed?")
            }
            for frequency in frequencies where !policy.allowedReviewFrequencies.contains(frequency.value) {
                add(
                    "review-frequency-invalid", .error, frequency.position,
                    "review frequency \(frequency.value.rawValue) is not allowed by the policy")
            }
            if let most = frequencies.min(by: { $0.value.months < $1.value.months }),
                let (due, last) = ComplianceSchedule.nextReview(
                    every: most.value, lastReviewed: lastReviewed, updated: updated, created: created)
            {
                if asOf > due {
                    add(
                        "review-overdue", .warning, most.position,
                        "\(most.value.rawValue) review was due on \(Day.format(due)) (last review \(Day.format(last)))")
                }
            }

            // Controls.
            for framework in compliance.frameworks where catalog.knows(framework: framework.name) {
                for control in framework.controls {
                    if let found = catalog.control(control.value, framework: framework.name) {
                        if found.framework == "iso27001", found.edition == "2013" {
                            let successors = (found.mapsTo ?? []).joined(separator: ", ")
                            add(
                                "control-superseded", .warning, control.position,
                                "ISO/IEC 27001:2013 \(found.id) (\(found.title)) is superseded; certificates on the "
                                    + "2013 edition ended on 31 October 2025: use \(successors)"
                            )
                        }
                    } else {
                        let hint =
                            catalog.nearest(control.value, framework: framework.name).map {
                                " (did you mean \($0.id), \($0.title)?)"
                            } ?? ""
                        add(
                            "control-unknown", .error, control.position,
                            "\(control.value) is not a \(framework.name) control\(hint)")
                    }
                }
            }

            signOffAndDuplicates(document, byID: byID, add: add)
        }
        return findings.sorted { ($0.path, $0.line, $0.column, $0.rule) < ($1.path, $1.line, $1.column, $1.rule) }
    }

    /// Whether `check` and the quarterly review treat `document` as a record: an incident
    /// record, or any file with compliance metadata (a block, even one that did not read) or
    /// an RIS-like ID (`RIS-045`), whatever its kind: a broken record read as a plain document
    /// is still a record to check.
    public static func isRecord(_ document: RISDocument) -> Bool {
        if document.kind == .ris || !document.compliance.frameworks.isEmpty { return true }
        if document.kind == .hotPattern { return false }
        if let frontMatter = document.frontMatter, frontMatter["compliance"] != nil { return true }
        let id = document.id.uppercased()
        return id.hasPrefix("RIS-") && id.dropFirst(4).first?.isNumber == true
    }

    /// The rules on the body's sign-off fields and on IDs, which hold whatever the metadata.
    private static func signOffAndDuplicates(
        _ document: RISDocument, byID: [String: [RISDocument]],
        add: (String, FindingSeverity, SourcePosition?, String) -> Void
    ) {
        for field in document.fields
        where SignOff.isSignOffField(field.name) && SignOff.isPending(field.value) {
            add(
                "sign-off-pending", .warning, SourcePosition(line: field.line, column: 1),
                "\(field.name) is still \(field.value)")
        }
        if document.kind == .ris, let same = byID[document.id.uppercased()], same.count > 1 {
            let others = same.filter { $0.path != document.path }.map(\.path).joined(separator: ", ")
            add("duplicate-id", .warning, nil, "\(document.id) is also the ID of \(others)")
        }
    }
}
