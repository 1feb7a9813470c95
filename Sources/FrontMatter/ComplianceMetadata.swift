import Foundation

/// A value read from YAML with the position it was written at.
public struct Marked<Value: Sendable & Hashable>: Sendable, Hashable {
    public var value: Value
    public var position: SourcePosition

    public init(_ value: Value, at position: SourcePosition) {
        self.value = value
        self.position = position
    }
}

/// How long a record must be kept: `7-years`, `84-months`, `30-days`.
public struct RetentionPeriod: Sendable, Hashable, Codable {
    public enum Unit: String, Sendable, Hashable, Codable {
        case years, months, days
    }

    public var amount: Int
    public var unit: Unit

    public init(amount: Int, unit: Unit) {
        self.amount = amount
        self.unit = unit
    }

    /// Reads `7-years`, `7 years`, `7y`, `1-year`, `84_months`, `30d`.
    public init?(parsing text: String) {
        let lowered = text.trimmed().lowercased()
        let digits = lowered.prefix { $0.isNumber }
        guard let amount = Int(digits), amount > 0 else { return nil }
        let rest = lowered.dropFirst(digits.count).drop { $0 == "-" || $0 == "_" || $0 == " " }
        switch rest {
        case "y", "yr", "yrs", "year", "years": unit = .years
        case "m", "mo", "mos", "month", "months": unit = .months
        case "d", "day", "days": unit = .days
        default: return nil
        }
        self.amount = amount
    }

    /// `7-years`, the form written in front matter.
    public var text: String { "\(amount)-\(unit.rawValue)" }
}

/// How often a record must be reviewed.
public enum ReviewFrequency: String, Sendable, Hashable, Codable, CaseIterable {
    case monthly
    case quarterly
    case semiAnnual = "semi-annual"
    case annual

    /// Reads the common spellings: `Quarterly`, `semi_annual`, `semiannually`, `bi-annual`,
    /// `half-yearly`, `yearly`, `annually`, `every 3 months`, `12-months` ...
    public init?(parsing text: String) {
        let key = text.lowercased().filter { $0.isLetter || $0.isNumber }
        switch key {
        case "monthly", "everymonth", "1month", "1months": self = .monthly
        case "quarterly", "quarter", "everyquarter", "3months", "every3months": self = .quarterly
        case "semiannual", "semiannually", "biannual", "biannually", "halfyearly", "halfyear", "6months",
            "every6months", "twiceayear", "semiyearly":
            self = .semiAnnual
        case "annual", "annually", "yearly", "year", "everyyear", "12months", "every12months", "1year":
            self = .annual
        default: return nil
        }
    }

    /// Months between two reviews.
    public var months: Int {
        switch self {
        case .monthly: return 1
        case .quarterly: return 3
        case .semiAnnual: return 6
        case .annual: return 12
        }
    }
}

/// One framework's block under `compliance:` (`hipaa`, `soc2`, `iso27001` or any other).
public struct FrameworkCompliance: Sendable, Hashable {
    /// The framework's key as written (`hipaa`, `soc2`, `iso27001`, `pci-dss` ...).
    public var name: String
    public var position: SourcePosition
    public var controls: [Marked<String>] = []
    public var retentionPeriod: Marked<RetentionPeriod>?
    public var reviewFrequency: Marked<ReviewFrequency>?
    public var classification: Marked<String>?
    public var phiContains: Marked<String>?
    public var evidenceType: Marked<String>?
    public var encryptionRequired: Marked<Bool>?
    public var accessAuditRequired: Marked<Bool>?
    /// Keys ris does not interpret, kept as written.
    public var otherKeys: [YAMLPair] = []

    public init(name: String, position: SourcePosition) {
        self.name = name
        self.position = position
    }
}

/// The compliance metadata of a record's front matter, typed, with the position of every value.
public struct ComplianceMetadata: Sendable, Hashable {
    /// Framework blocks in the order written.
    public var frameworks: [FrameworkCompliance] = []
    public var created: Marked<String>?
    public var updated: Marked<String>?
    public var version: Marked<String>?
    public var project: Marked<String>?

    public init() {}

    public func framework(_ name: String) -> FrameworkCompliance? {
        func compact(_ text: String) -> String { YAMLNode.normalizedKey(text).filter { $0 != "-" } }
        let wanted = compact(name)
        return frameworks.first { compact($0.name) == wanted }
    }

    /// Reads the metadata from a front matter root. A value of the wrong type is a
    /// diagnostic at its position; the rest is still read.
    public static func read(from root: YAMLNode?) -> (ComplianceMetadata, [Diagnostic]) {
        var metadata = ComplianceMetadata()
        var diagnostics: [Diagnostic] = []
        guard let root, root.pairs != nil else { return (metadata, diagnostics) }

        func scalar(_ key: String, in node: YAMLNode, what: String) -> Marked<String>? {
            guard let value = node[key] else { return nil }
            if value.isNull { return nil }
            guard let text = value.scalarText else {
                diagnostics.append(.error("`\(key)` must be \(what), not a \(value.kindName)", at: value.position))
                return nil
            }
            return Marked(text, at: value.position)
        }
        func bool(_ key: String, in node: YAMLNode) -> Marked<Bool>? {
            guard let value = node[key], !value.isNull else { return nil }
            if value.scalarKind == .bool, let text = value.scalarText {
                return Marked(["true", "yes", "on"].contains(text.lowercased()), at: value.position)
            }
            diagnostics.append(.error("`\(key)` must be true or false, not \(value.describedValue)", at: value.position))
            return nil
        }

        metadata.created = scalar("created", in: root, what: "a date")
        metadata.updated = scalar("updated", in: root, what: "a date")
        metadata.version = scalar("version", in: root, what: "a version string")
        metadata.project = scalar("project", in: root, what: "a name")
        for key in ["created", "updated"] {
            if let marked = key == "created" ? metadata.created : metadata.updated, !marked.value.isISODate {
                diagnostics.append(.warning("`\(key)` should be a date like 2026-01-10, not '\(marked.value)'", at: marked.position))
            }
        }

        guard let block = root["compliance"], !block.isNull else { return (metadata, diagnostics) }
        guard let frameworks = block.pairs else {
            diagnostics.append(.error("`compliance` must be a mapping of frameworks (hipaa, soc2, iso27001), not a \(block.kindName)", at: block.position))
            return (metadata, diagnostics)
        }
        for pair in frameworks {
            let name = pair.key.scalarText ?? "?"
            var framework = FrameworkCompliance(name: name, position: pair.key.position)
            let node = pair.value
            guard let entries = node.pairs else {
                if !node.isNull {
                    diagnostics.append(.error("`compliance.\(name)` must be a mapping, not a \(node.kindName)", at: node.position))
                }
                metadata.frameworks.append(framework)
                continue
            }
            if let controls = node["controls"], !controls.isNull {
                if let texts = controls.stringList {
                    let positions = controls.items?.map(\.position) ?? [controls.position]
                    // A single string may list several controls: "CC7.3, CC8.1".
                    for (text, position) in zip(texts, positions) {
                        for part in (controls.items == nil ? text.split(separator: ",").map(String.init) : [text]) {
                            let trimmed = part.trimmed()
                            if !trimmed.isEmpty { framework.controls.append(Marked(trimmed, at: position)) }
                        }
                    }
                } else {
                    diagnostics.append(.error("`controls` must be a control ID or a list of them, not a \(controls.kindName)", at: controls.position))
                }
            }
            if let marked = scalar("retention-period", in: node, what: "a period like 7-years") {
                if let period = RetentionPeriod(parsing: marked.value) {
                    framework.retentionPeriod = Marked(period, at: marked.position)
                } else {
                    diagnostics.append(.error("`retention-period` must be N-years, N-months or N-days, not '\(marked.value)'", at: marked.position))
                }
            }
            if let marked = scalar("review-frequency", in: node, what: "monthly, quarterly, semi-annual or annual") {
                if let frequency = ReviewFrequency(parsing: marked.value) {
                    framework.reviewFrequency = Marked(frequency, at: marked.position)
                } else {
                    diagnostics.append(.error("`review-frequency` must be monthly, quarterly, semi-annual or annual, not '\(marked.value)'", at: marked.position))
                }
            }
            framework.classification = scalar("classification", in: node, what: "public, internal or confidential")
            framework.phiContains = scalar("phi-contains", in: node, what: "a PHI class")
            framework.evidenceType = scalar("evidence-type", in: node, what: "an evidence type")
            framework.encryptionRequired = bool("encryption-required", in: node)
            framework.accessAuditRequired = bool("access-audit-required", in: node)
            let known: Set<String> = [
                "controls", "retention-period", "review-frequency", "classification", "phi-contains",
                "evidence-type", "encryption-required", "access-audit-required",
            ]
            framework.otherKeys = entries.filter { !known.contains(YAMLNode.normalizedKey($0.key.scalarText ?? "")) }
            metadata.frameworks.append(framework)
        }
        return (metadata, diagnostics.sorted { $0.position < $1.position })
    }
}

extension YAMLNode {
    /// "mapping", "list", "string" ...: for messages.
    public var kindName: String {
        switch value {
        case .mapping: return "mapping"
        case .sequence: return "list"
        case .scalar(_, let kind):
            switch kind {
            case .string: return "string"
            case .integer: return "number"
            case .float: return "number"
            case .bool: return "boolean"
            case .null: return "null"
            }
        }
    }

    var describedValue: String {
        if let text = scalarText { return "'\(text)'" }
        return "a \(kindName)"
    }
}

extension String {
    /// `YYYY-MM-DD` at the start.
    var isISODate: Bool {
        let scalars = Array(utf8.prefix(10))
        guard scalars.count == 10 else { return false }
        for (index, byte) in scalars.enumerated() {
            if index == 4 || index == 7 {
                if byte != UInt8(ascii: "-") { return false }
            } else if !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                return false
            }
        }
        return true
    }
}
