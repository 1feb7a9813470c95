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

    /// Reads `7-years`, `7 years`, `7y`, `1-year`, `84_months`, `30d`; at most `longestYears`
    /// (beyond it, no calendar date is the period's end: a record's date plus 2^62 years
    /// stopped `ris check` on an overflow).
    public init?(parsing text: String) {
        let lowered = text.trimmed().lowercased()
        let digits = lowered.prefix { $0.isNumber }
        guard let amount = Int(digits), amount > 0 else { return nil }
        let rest = lowered.dropFirst(digits.count).drop { $0 == "-" || $0 == "_" || $0 == " " }
        let perYear: Int
        switch rest {
        case "y", "yr", "yrs", "year", "years": (unit, perYear) = (.years, 1)
        case "m", "mo", "mos", "month", "months": (unit, perYear) = (.months, 12)
        case "d", "day", "days": (unit, perYear) = (.days, 366)
        default: return nil
        }
        guard amount <= RetentionPeriod.longestYears * perYear else { return nil }
        self.amount = amount
    }

    /// The longest period read, in years (in months or days, as many as so many years hold).
    public static let longestYears = 1000

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
        switch ReviewFrequency.key(of: text) {
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

    /// The letters and digits of `text`, lowered. On the bytes when it is all ASCII, where they
    /// are `a-z` and `0-9`: asking Characters for their Unicode properties cost about 6,000
    /// instructions a value.
    static func key(of text: String) -> String {
        var text = text
        let ascii = text.withUTF8 { bytes -> String? in
            var key: [UInt8] = []
            key.reserveCapacity(bytes.count)
            for byte in bytes {
                if byte >= 0x80 { return nil }
                if ASCIIByte.isLetter(byte) || ASCIIByte.isDigit(byte) { key.append(ASCIIByte.lowered(byte)) }
            }
            return String(decoding: key, as: UTF8.self)
        }
        return ascii ?? text.lowercased().filter { $0.isLetter || $0.isNumber }
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

/// Compliance frameworks ris recognises by name, whatever the spelling (`SOC 2`, `soc-2`,
/// `ISO/IEC 27001:2022`), and the keys that make a mapping a framework's block.
public enum ComplianceFrameworks {
    /// Compact name (lower case, letters and digits only) to the key ris writes.
    static let known: [String: String] = [
        "hipaa": "hipaa", "hipaasecurityrule": "hipaa", "hitech": "hitech",
        "soc2": "soc2", "soc2type1": "soc2", "soc2type2": "soc2", "soc2typei": "soc2", "soc2typeii": "soc2",
        "aicpasoc2": "soc2",
        "iso27001": "iso27001", "iso27002": "iso27002", "iso27701": "iso27701", "iso27017": "iso27017",
        "iso27018": "iso27018",
        "iso9001": "iso9001", "pcidss": "pci-dss", "pci": "pci-dss", "gdpr": "gdpr", "ccpa": "ccpa",
        "hitrust": "hitrust",
        "nist80053": "nist-800-53", "nist": "nist", "nistcsf": "nist-csf", "fedramp": "fedramp", "sox": "sox",
        "fisma": "fisma", "cmmc": "cmmc",
    ]

    /// Keys of a framework's block (`controls`, `retention-period` ...).
    public static let blockKeys: Set<String> = [
        "controls", "retention-period", "review-frequency", "classification", "phi-contains",
        "evidence-type", "encryption-required", "access-audit-required",
    ]

    /// `hipaa` for `HIPAA`, `soc2` for `SOC 2` or `soc2_type_ii`, `iso27001` for
    /// `ISO/IEC 27001:2022`; nil for a name that is not a known framework.
    public static func canonicalName(_ name: String) -> String? {
        // Asked of every top-level key of every record: bytes, not Foundation.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(name.utf8.count)
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): bytes.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): bytes.append(byte + 32)
            default: continue
            }
        }
        var compact = String(decoding: bytes, as: UTF8.self)
        if let known = known[compact] { return known }
        guard compact.hasPrefix("iso") else { return nil }
        compact = compact.replacingOccurrences(of: "iec", with: "")
        if let known = known[compact] { return known }
        // `iso270012022`: a standard with its year.
        for (name, key) in known
        where name.hasPrefix("iso") && compact.hasPrefix(name) && compact.dropFirst(name.count).allSatisfy(\.isNumber) {
            return key
        }
        return nil
    }

    /// `CC7.2, CC8.1` or `164.312(b)`: control IDs, each without spaces and with a digit;
    /// not a sentence such as `N/A - no EU data in 2024` or a word such as `Type 2`.
    static func looksLikeControls(_ text: String) -> Bool {
        let parts = text.split(whereSeparator: { $0 == "," || $0 == ";" }).map { $0.trimmed() }.filter { !$0.isEmpty }
        return !parts.isEmpty && parts.allSatisfy { !$0.contains(" ") && $0.contains(where: \.isNumber) }
    }

    /// `soc2` for `soc2_controls` or `hipaa-controls`.
    static func frameworkOfControlsKey(_ key: String) -> String? {
        let normalized = YAMLNode.normalizedKey(key)
        guard normalized.hasSuffix("-controls") else { return nil }
        return canonicalName(String(normalized.dropLast("-controls".count)))
    }
}

/// The compliance metadata of a record's front matter, typed, with the position of every value.
public struct ComplianceMetadata: Sendable, Hashable {
    /// Framework blocks in the order written: only frameworks that apply.
    public var frameworks: [FrameworkCompliance] = []
    /// Keys of a `compliance:` block that are not frameworks (`audit_trail`,
    /// `retention_policy`, `format`), kept as written.
    public var attributes: [YAMLPair] = []
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
    ///
    /// Frameworks come from the `compliance:` block (a mapping of frameworks, a framework
    /// set to `true`, or a list of framework names), from framework keys at the top level
    /// (`soc2: true`, `hipaa: {controls: [...]}`), from `soc2_controls: [...]` lists and from
    /// `frameworks: [hipaa, soc2]`; `metadata:`, `incident:` and `record:` mappings are read
    /// like the top level.
    public static func read(from root: YAMLNode?, aliases: FieldAliases = .builtIn) -> (
        ComplianceMetadata, [Diagnostic]
    ) {
        var reader = Reader(aliases: aliases)
        guard let root, root.pairs != nil else { return (reader.metadata, []) }
        reader.read(root)
        return (reader.metadata, reader.diagnostics.sorted { $0.position < $1.position })
    }

    struct Reader {
        let aliases: FieldAliases
        var metadata = ComplianceMetadata()
        var diagnostics: [Diagnostic] = []

        init(aliases: FieldAliases) { self.aliases = aliases }

        mutating func scalar(_ key: String, in node: YAMLNode, what: String) -> Marked<String>? {
            guard let value = node[key] else { return nil }
            return scalar(value, key: key, what: what)
        }

        mutating func scalar(_ value: YAMLNode, key: String, what: String) -> Marked<String>? {
            if value.isNull { return nil }
            guard let text = value.scalarText else {
                diagnostics.append(
                    .error(
                        .complianceValueType, "`\(key)` must be \(what), not a \(value.kindName)", at: value.position))
                return nil
            }
            return Marked(text, at: value.position)
        }

        mutating func bool(_ key: String, in node: YAMLNode) -> Marked<Bool>? {
            guard let value = node[key], !value.isNull else { return nil }
            if value.scalarKind == .bool, let text = value.scalarText {
                return Marked(["true", "yes", "on"].contains(text.lowercased()), at: value.position)
            }
            diagnostics.append(
                .error(
                    .complianceValueType, "`\(key)` must be true or false, not \(value.describedValue)",
                    at: value.position))
            return nil
        }

        mutating func read(_ root: YAMLNode) {
            func dated(_ field: FieldAliases.Field) -> Marked<String>? {
                guard let pair = aliases.value(of: field, in: root) else { return nil }
                let key = pair.key.scalarText ?? field.rawValue
                let marked = scalar(pair.value, key: key, what: "a date")
                if let marked, DayText.day(in: marked.value) == nil {
                    diagnostics.append(
                        .warning(
                            .complianceDate, "`\(key)` should be a date like 2026-01-10, not '\(marked.value)'",
                            at: marked.position))
                }
                return marked
            }
            metadata.created = dated(.created)
            metadata.updated = dated(.updated)
            metadata.version = scalar("version", in: root, what: "a version string")
            if let pair = aliases.value(of: .project, in: root) {
                metadata.project = scalar(pair.value, key: pair.key.scalarText ?? "project", what: "a name")
            }

            let containers = root.metadataContainers
            // The compliance block: the top level's, else a container's.
            if let block = containers.lazy.compactMap({ $0["compliance"] }).first(where: { !$0.isNull }) {
                readBlock(block)
            }
            // Framework flags, blocks and control lists beside it; the block wins.
            for container in containers {
                for pair in container.pairs ?? [] {
                    guard let key = pair.key.scalarText else { continue }
                    let normalized = pair.normalizedKey ?? ""
                    if normalized == "compliance" || FieldAliases.metadataContainers.contains(normalized) { continue }
                    if let name = ComplianceFrameworks.frameworkOfControlsKey(key) {
                        addControls(pair.value, to: name, at: pair.key.position)
                    } else if ["frameworks", "compliance-frameworks"].contains(normalized) {
                        readFrameworkNames(pair.value)
                    } else if ComplianceFrameworks.canonicalName(key) != nil, metadata.framework(key) == nil {
                        readFramework(named: key, pair.value, at: pair.key.position)
                    }
                }
            }
        }

        /// `compliance:` as a mapping of frameworks and attributes, a list of framework
        /// names, or one name.
        mutating func readBlock(_ block: YAMLNode) {
            if block.items != nil || block.scalarKind == .string {
                readFrameworkNames(block)
                return
            }
            guard let entries = block.pairs else {
                diagnostics.append(
                    .warning(
                        .complianceShape,
                        "`compliance` should be a mapping of frameworks (hipaa, soc2, iso27001), not "
                            + "\(block.describedValue); not read",
                        at: block.position))
                return
            }
            // `compliance: {framework: SOC 2, controls: [CC7.2]}`: the block is that framework's.
            let named = entries.first { ["framework", "standard"].contains($0.normalizedKey ?? "") }
            let blockKeys = entries.filter { ComplianceFrameworks.blockKeys.contains($0.normalizedKey ?? "") }
            if !blockKeys.isEmpty {
                if let named, let text = named.value.scalarText, let name = ComplianceFrameworks.canonicalName(text) {
                    var framework =
                        metadata.framework(name) ?? FrameworkCompliance(name: name, position: named.key.position)
                    readBlock(block, into: &framework)
                    framework.otherKeys = []
                    metadata.frameworks.removeAll { $0.name == name }
                    metadata.frameworks.append(framework)
                } else {
                    diagnostics.append(
                        .warning(
                            .complianceShape,
                            "`compliance.\(blockKeys[0].key.scalarText ?? "controls")` names no framework; write it "
                                + "under one (`compliance: {soc2: {controls: [...]}}`); not read",
                            at: blockKeys[0].key.position))
                }
            }
            for pair in entries {
                let name = pair.key.scalarText ?? "?"
                let node = pair.value
                let normalized = pair.normalizedKey ?? ""
                if ComplianceFrameworks.blockKeys.contains(normalized)
                    || (normalized == named?.normalizedKey && !blockKeys.isEmpty)
                {
                    continue
                }
                if let framework = ComplianceFrameworks.frameworkOfControlsKey(name) {
                    addControls(node, to: framework, at: pair.key.position)
                    continue
                }
                if ["frameworks", "framework", "standards", "standard"].contains(normalized) {
                    // `frameworks: [SOC2, HIPAA]` inside the block.
                    readFrameworkNames(node)
                    continue
                }
                let isKnown = ComplianceFrameworks.canonicalName(name) != nil
                let hasFrameworkKeys =
                    node.pairs?.contains { ComplianceFrameworks.blockKeys.contains($0.normalizedKey ?? "") } ?? false
                if !(isKnown || hasFrameworkKeys)
                    || readFramework(named: name, node, at: pair.key.position) == .unreadable
                {
                    metadata.attributes.append(pair)
                }
            }
        }

        /// `[hipaa, SOC 2]` or `hipaa, soc2`: these frameworks apply. Unknown names are attributes.
        mutating func readFrameworkNames(_ node: YAMLNode) {
            let items = node.items ?? [node]
            for item in items {
                guard let text = item.scalarText else { continue }
                for part in text.split(separator: ",") {
                    let trimmed = part.trimmed()
                    guard !trimmed.isEmpty else { continue }
                    if let name = ComplianceFrameworks.canonicalName(trimmed) {
                        if metadata.framework(name) == nil {
                            metadata.frameworks.append(FrameworkCompliance(name: name, position: item.position))
                        }
                    } else {
                        diagnostics.append(
                            .warning(
                                .complianceUnknownFramework,
                                "'\(trimmed)' is not a compliance framework ris knows (hipaa, soc2, iso27001 ...); "
                                    + "not read",
                                at: item.position))
                    }
                }
            }
        }

        /// `controls` added to the framework `name` (created when missing): `soc2_controls: [CC7.2]`.
        mutating func addControls(_ node: YAMLNode, to name: String, at position: SourcePosition) {
            var framework = metadata.framework(name) ?? FrameworkCompliance(name: name, position: position)
            readControls(node, into: &framework)
            if let index = metadata.frameworks.firstIndex(where: { $0.name == framework.name }) {
                metadata.frameworks[index] = framework
            } else {
                metadata.frameworks.append(framework)
            }
        }

        mutating func readControls(_ controls: YAMLNode, into framework: inout FrameworkCompliance) {
            guard !controls.isNull else { return }
            guard let texts = controls.stringList else {
                diagnostics.append(
                    .error(
                        .complianceValueType,
                        "`controls` must be a control ID or a list of them, not a \(controls.kindName)",
                        at: controls.position))
                return
            }
            let positions = controls.items?.map(\.position) ?? [controls.position]
            // A single string may list several controls: "CC7.3, CC8.1".
            for (text, position) in zip(texts, positions) {
                for part in (controls.items == nil ? text.split(separator: ",").map(String.init) : [text]) {
                    let trimmed = part.trimmed()
                    if !trimmed.isEmpty { framework.controls.append(Marked(trimmed, at: position)) }
                }
            }
        }

        enum FrameworkReading { case applies, doesNotApply, unreadable }

        /// One framework: a block (mapping), `true`, nothing (applies), a list or string of
        /// control IDs, or a word that says it applies (`required`) or not (`false`, `n/a`).
        @discardableResult
        mutating func readFramework(named name: String, _ node: YAMLNode, at position: SourcePosition)
            -> FrameworkReading
        {
            var framework = FrameworkCompliance(name: name, position: position)
            if node.scalarKind == .bool {
                guard let text = node.scalarText, ["true", "yes", "on"].contains(text.lowercased()) else {
                    return .doesNotApply
                }
            } else if let text = node.scalarText, node.pairs == nil {
                let lowered = text.lowercased().trimmed()
                let words = lowered.split(whereSeparator: { !$0.isLetter && $0 != "/" }).map(String.init)
                if let first = words.first, ["n/a", "na", "none", "no", "not", "out", "false"].contains(first) {
                    // `n/a`, `N/A - no EU data`, `not applicable`, `out of scope`.
                    return .doesNotApply
                } else if ComplianceFrameworks.looksLikeControls(text) {
                    readControls(node, into: &framework)
                } else if !(["required", "applicable", "applies", "in scope", "in-scope", "yes", "true"].contains(
                    lowered) || lowered.hasPrefix("type "))
                {
                    // `soc2: Type 2` applies; anything else says nothing ris can read.
                    return .unreadable
                }
            } else if node.items != nil {
                readControls(node, into: &framework)
            } else if node.pairs != nil {
                // `hipaa: {applicable: false}` says it does not apply, as `hipaa: false` does.
                for key in ["applicable", "applies", "in-scope", "required", "enabled"] {
                    if let flag = node.pairByNormalizedKey(key)?.value, flag.scalarKind == .bool,
                        let text = flag.scalarText, !["true", "yes", "on"].contains(text.lowercased())
                    {
                        return .doesNotApply
                    }
                }
                readBlock(node, into: &framework)
            }
            metadata.frameworks.append(framework)
            return .applies
        }

        mutating func readBlock(_ node: YAMLNode, into framework: inout FrameworkCompliance) {
            guard let entries = node.pairs else { return }
            if let controls = node["controls"] { readControls(controls, into: &framework) }
            if let marked = scalar("retention-period", in: node, what: "a period like 7-years") {
                if let period = RetentionPeriod(parsing: marked.value) {
                    framework.retentionPeriod = Marked(period, at: marked.position)
                } else {
                    diagnostics.append(
                        .error(
                            .retentionInvalid,
                            "`retention-period` must be N-years, N-months or N-days (at most "
                                + "\(RetentionPeriod.longestYears) years), not '\(marked.value)'",
                            at: marked.position))
                }
            }
            if let marked = scalar("review-frequency", in: node, what: "monthly, quarterly, semi-annual or annual") {
                if let frequency = ReviewFrequency(parsing: marked.value) {
                    framework.reviewFrequency = Marked(frequency, at: marked.position)
                } else {
                    diagnostics.append(
                        .error(
                            .reviewFrequencyInvalid,
                            "`review-frequency` must be monthly, quarterly, semi-annual or annual, not "
                                + "'\(marked.value)'",
                            at: marked.position))
                }
            }
            framework.classification = scalar("classification", in: node, what: "public, internal or confidential")
            framework.phiContains = scalar("phi-contains", in: node, what: "a PHI class")
            framework.evidenceType = scalar("evidence-type", in: node, what: "an evidence type")
            framework.encryptionRequired = bool("encryption-required", in: node)
            framework.accessAuditRequired = bool("access-audit-required", in: node)
            framework.otherKeys = entries.filter {
                !ComplianceFrameworks.blockKeys.contains(YAMLNode.normalizedKey($0.key.scalarText ?? ""))
            }
        }
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
