import Foundation

/// Known findings a team has accepted (`ris check --baseline FILE`), the way linters are
/// adopted into an existing codebase: those findings no longer fail the run; any other does.
/// Entries hold the path (relative to the knowledge base), the rule and the message, not the
/// line, so that an edit above a finding does not make it new. A baseline holding an entry
/// twice accepts it twice.
public struct CheckBaseline: Sendable, Codable, Equatable {
    public struct Entry: Sendable, Codable, Hashable, Comparable {
        public var path: String
        public var rule: String
        public var message: String

        public init(path: String, rule: String, message: String) {
            self.path = path
            self.rule = rule
            self.message = message
        }

        public init(_ finding: Finding) { self.init(path: finding.path, rule: finding.rule, message: finding.message) }

        public static func < (lhs: Entry, rhs: Entry) -> Bool {
            (lhs.path, lhs.rule, lhs.message) < (rhs.path, rhs.rule, rhs.message)
        }
    }

    /// The file's format; a later one is refused rather than misread.
    public var version: Int
    public var findings: [Entry]

    public static let currentVersion = 1

    /// A baseline accepting every one of `findings` (paths relative to the knowledge base).
    public init(findings: [Finding]) {
        version = CheckBaseline.currentVersion
        self.findings = findings.map(Entry.init).sorted()
    }

    /// Reads a baseline file's bytes.
    public init(data: Data) throws {
        let decoded: CheckBaseline
        do {
            decoded = try JSONDecoder().decode(CheckBaseline.self, from: data)
        } catch {
            throw RISKitError(
                .unreadable, "not a ris check baseline (JSON with `version` and `findings`: path, rule, message)")
        }
        guard decoded.version == CheckBaseline.currentVersion else {
            throw RISKitError(
                .unreadable,
                "a baseline of version \(decoded.version); this ris reads version \(CheckBaseline.currentVersion)")
        }
        self = decoded
    }

    /// The file's bytes: sorted, one entry per finding, stable from run to run (a diff in
    /// review shows what was accepted).
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = (try? encoder.encode(self)) ?? Data()
        data.append(0x0A)
        return data
    }

    /// `findings` split into those the baseline does not accept (new) and those it does, and
    /// the entries no finding matched any more (fixed since: the baseline can shrink).
    public func apply(to findings: [Finding]) -> (new: [Finding], accepted: [Finding], stale: [Entry]) {
        var remaining: [Entry: Int] = [:]
        for entry in self.findings { remaining[entry, default: 0] += 1 }
        var new: [Finding] = []
        var accepted: [Finding] = []
        for finding in findings {
            let entry = Entry(finding)
            if let count = remaining[entry], count > 0 {
                remaining[entry] = count - 1
                accepted.append(finding)
            } else {
                new.append(finding)
            }
        }
        let stale = remaining.flatMap { entry, count in Array(repeating: entry, count: count) }.sorted()
        return (new, accepted, stale)
    }
}

/// What `check` found for one rule: for the summary a person reads first.
public struct RuleSummary: Sendable, Codable, Hashable {
    public var rule: String
    /// The most severe of its findings.
    public var severity: FindingSeverity
    public var findings: Int
    public var files: Int

    /// One summary per rule of `findings`: errors first, then by count.
    public static func of(_ findings: [Finding]) -> [RuleSummary] {
        var byRule: [String: (severity: FindingSeverity, count: Int, files: Set<String>)] = [:]
        for finding in findings {
            var entry = byRule[finding.rule] ?? (finding.severity, 0, [])
            if finding.severity.rank > entry.severity.rank { entry.severity = finding.severity }
            entry.count += 1
            entry.files.insert(finding.path)
            byRule[finding.rule] = entry
        }
        return byRule.map {
            RuleSummary(
                rule: $0.key, severity: $0.value.severity, findings: $0.value.count, files: $0.value.files.count)
        }
        .sorted { ($1.severity.rank, $1.findings, $0.rule) < ($0.severity.rank, $0.findings, $1.rule) }
    }
}

/// Findings with the same rule and message in several files (one template's superseded
/// control in 46 records): one action, said once with its places.
public struct FindingGroup: Sendable, Hashable {
    public var rule: String
    public var severity: FindingSeverity
    public var message: String
    public var findings: [Finding]

    /// `findings` grouped by rule and message, in the order of each group's first finding.
    public static func of(_ findings: [Finding]) -> [FindingGroup] {
        var order: [String] = []
        var groups: [String: FindingGroup] = [:]
        for finding in findings {
            let key = finding.rule + "\u{0}" + finding.message
            if groups[key] == nil {
                order.append(key)
                groups[key] = FindingGroup(
                    rule: finding.rule, severity: finding.severity, message: finding.message, findings: [])
            }
            groups[key]?.findings.append(finding)
        }
        return order.compactMap { groups[$0] }
    }
}

extension FindingSeverity {
    /// Error above warning above info.
    public var rank: Int {
        switch self {
        case .error: return 2
        case .warning: return 1
        case .info: return 0
        }
    }
}
