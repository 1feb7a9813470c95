import Foundation
import FrontMatter

/// What the index holds about the incidents `ris stats` covers: the input of
/// `IncidentStatistics`, read by a few queries (RISStore `IndexStore.incidentFacts`).
public struct IncidentFacts: Sendable {
    /// How many records share one severity, status, project, category and month.
    public struct Group: Sendable, Hashable {
        public var severity: String?
        public var status: String?
        public var project: String?
        public var category: String?
        /// `YYYY-MM` of the record's date; nil without a date.
        public var month: String?
        public var count: Int

        public init(
            severity: String?, status: String?, project: String?, category: String?, month: String?, count: Int
        ) {
            (self.severity, self.status, self.project, self.category) = (severity, status, project, category)
            (self.month, self.count) = (month, count)
        }
    }

    /// A record as a listing names it.
    public struct Record: Sendable, Hashable, Codable {
        public var id: String
        public var title: String
        public var path: String
        public var date: String?
        public var severity: String?
        public var status: String?

        public init(id: String, title: String, path: String, date: String?, severity: String?, status: String?) {
            (self.id, self.title, self.path, self.date, self.severity, self.status) =
                (id, title, path, date, severity, status)
        }

        enum CodingKeys: String, CodingKey { case id, title, path, date, severity, status }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(title, forKey: .title)
            try container.encode(path, forKey: .path)
            try container.encode(date, forKey: .date)
            try container.encode(severity, forKey: .severity)
            try container.encode(status, forKey: .status)
        }
    }

    /// What a record says of how long it took: its resolution time, else its timeline.
    public struct Duration: Sendable, Hashable {
        public var severity: String?
        /// The record's stated resolution time (`**Resolution Time:** 90 minutes`).
        public var resolutionMinutes: Int?
        /// The time column of the timeline's first and last events, and how many events it has.
        public var firstEvent: String?
        public var lastEvent: String?
        public var events: Int

        public init(severity: String?, resolutionMinutes: Int?, firstEvent: String?, lastEvent: String?, events: Int) {
            (self.severity, self.resolutionMinutes) = (severity, resolutionMinutes)
            (self.firstEvent, self.lastEvent, self.events) = (firstEvent, lastEvent, events)
        }
    }

    /// Records still open (`IncidentStatistics.isOpen`): how many, their ages in whole days
    /// from their date to today (of those with a date), and the oldest.
    public struct Open: Sendable, Hashable {
        public var count: Int
        public var meanAgeDays: Double?
        public var maxAgeDays: Int?
        /// The oldest first (those without a date last), as many as will be listed.
        public var oldest: [Record]

        public init(count: Int, meanAgeDays: Double?, maxAgeDays: Int?, oldest: [Record]) {
            (self.count, self.meanAgeDays, self.maxAgeDays, self.oldest) = (count, meanAgeDays, maxAgeDays, oldest)
        }
    }

    /// Records that share one thing that makes them repeats of one incident.
    public struct Shared: Sendable, Hashable {
        /// `symptom` (the normalised first line of the symptom, `IncidentStatistics.normalisedSymptom`)
        /// or `hot-pattern` (a proposed hot pattern's title, lower case, spaces collapsed).
        public var rule: String
        public var key: String
        /// The records, by their place in the index (`records` names them).
        public var members: [Int64]
        /// One of them is audited: a symptom of it is content, not listing metadata.
        public var audited: Bool

        public init(rule: String, key: String, members: [Int64], audited: Bool) {
            (self.rule, self.key, self.members, self.audited) = (rule, key, members, audited)
        }
    }

    public var groups: [Group]
    /// One per record counted.
    public var durations: [Duration]
    public var open: Open
    /// Symptoms and hot-pattern titles that two records or more share.
    public var shared: [Shared]
    /// The records of `shared`.
    public var records: [Int64: Record]

    public init(
        groups: [Group], durations: [Duration], open: Open, shared: [Shared], records: [Int64: Record]
    ) {
        (self.groups, self.durations, self.open, self.shared, self.records) =
            (groups, durations, open, shared, records)
    }
}
/// What the knowledge base says about operations (`ris stats`): incidents counted by
/// severity, status, category, project, month and quarter; time to resolve; records still
/// open and their age; repeat incidents; the hot patterns used most. JSON keys documented in
/// docs/commands.md.
public struct IncidentStatistics: Sendable, Encodable {
    /// A count under one value of a dimension; `key` nil for records that state none.
    public struct Count: Sendable, Hashable, Encodable {
        public var key: String?
        public var count: Int

        enum CodingKeys: String, CodingKey { case key, count }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(key, forKey: .key)
            try container.encode(count, forKey: .count)
        }
    }

    /// One month (`YYYY-MM`; nil for records without a date), with its records by severity.
    public struct Month: Sendable, Hashable, Encodable {
        public var key: String?
        public var count: Int
        public var bySeverity: [Count]

        enum CodingKeys: String, CodingKey { case key, count, bySeverity }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(key, forKey: .key)
            try container.encode(count, forKey: .count)
            try container.encode(bySeverity, forKey: .bySeverity)
        }
    }

    /// Mean and median of the records with a usable duration, in minutes (one decimal).
    public struct Resolution: Sendable, Hashable, Encodable {
        /// The severity for a row of `bySeverity`; nil overall, and for records without one.
        public var severity: String?
        public var records: Int
        public var meanMinutes: Double?
        public var medianMinutes: Double?

        enum CodingKeys: String, CodingKey { case severity, records, meanMinutes, medianMinutes }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(severity, forKey: .severity)
            try container.encode(records, forKey: .records)
            try container.encode(meanMinutes, forKey: .meanMinutes)
            try container.encode(medianMinutes, forKey: .medianMinutes)
        }
    }

    public struct TimeToResolve: Sendable, Hashable, Encodable {
        public var overall: Resolution
        /// Records with neither a resolution time nor a timeline that gives one.
        public var withoutDuration: Int
        /// How many durations came from a resolution time, and how many from a timeline.
        public var fromResolutionTime: Int
        public var fromTimeline: Int
        public var bySeverity: [Resolution]
    }

    /// A record still open, with its age: days from its date to `today` (nil without a date).
    public struct OpenRecord: Sendable, Hashable, Encodable {
        public var record: IncidentFacts.Record
        public var ageDays: Int?

        enum CodingKeys: String, CodingKey { case ageDays }

        public func encode(to encoder: any Encoder) throws {
            try record.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(ageDays, forKey: .ageDays)
        }
    }

    public struct OpenRecords: Sendable, Hashable, Encodable {
        public var count: Int
        public var meanAgeDays: Double?
        public var maxAgeDays: Int?
        /// The oldest first, at most `top` of them.
        public var records: [OpenRecord]

        enum CodingKeys: String, CodingKey { case count, meanAgeDays, maxAgeDays, records }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(count, forKey: .count)
            try container.encode(meanAgeDays, forKey: .meanAgeDays)
            try container.encode(maxAgeDays, forKey: .maxAgeDays)
            try container.encode(records, forKey: .records)
        }
    }

    /// Records that are repeats of one incident (see `clusters(of:)` for the rule).
    public struct Cluster: Sendable, Hashable, Encodable {
        /// `symptom` or `hot-pattern`: what most of the records share.
        public var rule: String
        /// The shared text, normalised (the symptom line, or the pattern's title); nil when it
        /// is the symptom of a record whose reads are audited (content, not listing metadata).
        public var key: String?
        public var records: [IncidentFacts.Record]

        enum CodingKeys: String, CodingKey { case rule, key, records }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(rule, forKey: .rule)
            try container.encode(key, forKey: .key)
            try container.encode(records, forKey: .records)
        }
    }

    public struct Clusters: Sendable, Hashable, Encodable {
        public var count: Int
        /// Records in some cluster.
        public var records: Int
        /// The largest first, at most `top` of them.
        public var items: [Cluster]
    }

    /// A hot pattern with its hits in a window of days ending today (`hits`), and in both
    /// windows (a list cut to `top` may leave a pattern out of the other list).
    public struct PatternHits: Sendable, Hashable, Encodable {
        public var title: String
        public var path: String
        public var hits: Int
        public var hitsLast30Days: Int
        public var hitsLast90Days: Int
    }

    public struct HotPatternUse: Sendable, Hashable, Encodable {
        public var last30Days: [PatternHits]
        public var last90Days: [PatternHits]
    }

    /// The day ages and hit windows are counted to, `YYYY-MM-DD` (UTC).
    public var today: String
    public var records: Int
    public var bySeverity: [Count]
    public var byStatus: [Count]
    public var byCategory: [Count]
    public var byProject: [Count]
    public var byMonth: [Month]
    public var byQuarter: [Count]
    public var timeToResolve: TimeToResolve
    public var open: OpenRecords
    public var clusters: Clusters
    public var hotPatterns: HotPatternUse

    /// The statuses of a closed incident (the first word of the status as the index holds it:
    /// `✅ RESOLVED` and `Resolved - verified` are `RESOLVED`). Any other stated status is
    /// open; a record that states none is counted under no status, not as open.
    public static let closedStatuses = ["RESOLVED", "CLOSED", "FIXED", "DONE", "COMPLETE", "COMPLETED", "ARCHIVED"]

    /// Whether `status` (as the index holds it) is an open incident's.
    public static func isOpen(_ status: String?) -> Bool {
        guard let status, let first = status.split(separator: " ").first else { return false }
        return !closedStatuses.contains(String(first))
    }

    /// Figures from `facts`; `hits` is the hit log; lists are cut to `top` items.
    public init(facts: IncidentFacts, hits: [HitLog.Entry], today: CalendarDay, top: Int) {
        self.today = today.text
        records = facts.groups.reduce(0) { $0 + $1.count }
        func counts(_ key: (IncidentFacts.Group) -> String?, severityOrder: Bool = false) -> [Count] {
            var totals: [String?: Int] = [:]
            for group in facts.groups { totals[key(group), default: 0] += group.count }
            return totals.map { Count(key: $0.key, count: $0.value) }.sorted { lhs, rhs in
                severityOrder
                    ? IncidentStatistics.severityPrecedes(lhs.key, lhs.count, rhs.key, rhs.count)
                    : IncidentStatistics.countPrecedes(lhs.key, lhs.count, rhs.key, rhs.count)
            }
        }
        bySeverity = counts(\.severity, severityOrder: true)
        byStatus = counts(\.status)
        byCategory = counts(\.category)
        byProject = counts(\.project)
        var months: [String?: [String?: Int]] = [:]
        var quarters: [String?: Int] = [:]
        for group in facts.groups {
            months[group.month, default: [:]][group.severity, default: 0] += group.count
            quarters[group.month.flatMap(IncidentStatistics.quarter(ofMonth:)), default: 0] += group.count
        }
        byMonth = months.map { month, severities in
            Month(
                key: month, count: severities.values.reduce(0, +),
                bySeverity: severities.map { Count(key: $0.key, count: $0.value) }.sorted {
                    IncidentStatistics.severityPrecedes($0.key, $0.count, $1.key, $1.count)
                })
        }.sorted { IncidentStatistics.chronological($0.key, $1.key) }
        byQuarter = quarters.map { Count(key: $0.key, count: $0.value) }.sorted {
            IncidentStatistics.chronological($0.key, $1.key)
        }
        timeToResolve = IncidentStatistics.timeToResolve(facts.durations)
        open = IncidentStatistics.openRecords(facts.open, today: today, top: top)
        clusters = IncidentStatistics.clusters(of: facts.shared, records: facts.records, top: top)
        hotPatterns = HotPatternUse(
            last30Days: IncidentStatistics.topPatterns(hits, days: 30, today: today, top: top),
            last90Days: IncidentStatistics.topPatterns(hits, days: 90, today: today, top: top))
    }

    // MARK: Orders

    static let severityRank = ["CRITICAL": 0, "HIGH": 1, "MEDIUM": 2, "LOW": 3]

    /// CRITICAL, HIGH, MEDIUM, LOW, then other severities by count, then none.
    static func severityPrecedes(_ lhs: String?, _ lhsCount: Int, _ rhs: String?, _ rhsCount: Int) -> Bool {
        let left = lhs.map { severityRank[$0] ?? 4 } ?? 5
        let right = rhs.map { severityRank[$0] ?? 4 } ?? 5
        if left != right { return left < right }
        return countPrecedes(lhs, lhsCount, rhs, rhsCount)
    }

    /// The largest count first, then by key, none last.
    static func countPrecedes(_ lhs: String?, _ lhsCount: Int, _ rhs: String?, _ rhsCount: Int) -> Bool {
        if (lhs == nil) != (rhs == nil) { return rhs == nil }
        if lhsCount != rhsCount { return lhsCount > rhsCount }
        return (lhs ?? "") < (rhs ?? "")
    }

    /// Oldest first, none last.
    static func chronological(_ lhs: String?, _ rhs: String?) -> Bool {
        guard let lhs else { return false }
        guard let rhs else { return true }
        return lhs < rhs
    }

    /// `2026-02` → `2026-Q1`.
    static func quarter(ofMonth month: String) -> String? {
        let parts = month.split(separator: "-")
        guard parts.count == 2, let number = Int(parts[1]), (1...12).contains(number) else { return nil }
        return "\(parts[0])-Q\((number - 1) / 3 + 1)"
    }

    // MARK: Time to resolve

    static func timeToResolve(_ durations: [IncidentFacts.Duration]) -> TimeToResolve {
        var all: [Int] = []
        var bySeverity: [String?: [Int]] = [:]
        var without = 0
        var fromTimeline = 0
        for duration in durations {
            let minutes: Int
            if let stated = duration.resolutionMinutes {
                minutes = stated
            } else if duration.events >= 2, let first = duration.firstEvent, let last = duration.lastEvent,
                let span = TimelineSpan.minutes(from: first, to: last)
            {
                minutes = span
                fromTimeline += 1
            } else {
                without += 1
                continue
            }
            all.append(minutes)
            bySeverity[duration.severity, default: []].append(minutes)
        }
        return TimeToResolve(
            overall: resolution(nil, all), withoutDuration: without, fromResolutionTime: all.count - fromTimeline,
            fromTimeline: fromTimeline,
            bySeverity: bySeverity.map { resolution($0.key, $0.value) }.sorted {
                severityPrecedes($0.severity, $0.records, $1.severity, $1.records)
            })
    }

    static func resolution(_ severity: String?, _ minutes: [Int]) -> Resolution {
        guard !minutes.isEmpty else { return Resolution(severity: severity, records: 0) }
        let sorted = minutes.sorted()
        let middle = sorted.count / 2
        let median =
            sorted.count % 2 == 1 ? Double(sorted[middle]) : (Double(sorted[middle - 1]) + Double(sorted[middle])) / 2
        // In Double: durations come from files, and their Int sum could overflow.
        let mean = sorted.reduce(0.0) { $0 + Double($1) } / Double(sorted.count)
        return Resolution(
            severity: severity, records: sorted.count, meanMinutes: oneDecimal(mean), medianMinutes: oneDecimal(median))
    }

    static func oneDecimal(_ value: Double) -> Double { (value * 10).rounded() / 10 }

    // MARK: Open records

    static func openRecords(_ open: IncidentFacts.Open, today: CalendarDay, top: Int) -> OpenRecords {
        OpenRecords(
            count: open.count, meanAgeDays: open.meanAgeDays.map(oneDecimal), maxAgeDays: open.maxAgeDays,
            records: open.oldest.prefix(top).map { record in
                OpenRecord(
                    record: record,
                    ageDays: record.date.flatMap(CalendarDay.init).map {
                        Int((today.date.timeIntervalSince($0.date) / 86_400).rounded())
                    })
            })
    }

    // MARK: Repeat incidents

    /// What records that repeat one incident share: the first line of the record's symptom (or,
    /// without one, of its hot patterns'), normalised (`normalisedSymptom`). The index keeps it.
    public static func symptomKey(of document: RISDocument) -> String? {
        var text = document.symptomText
        if firstLine(of: text).isEmpty { text = document.hotPatterns.map(\.symptom).joined(separator: "\n") }
        return normalisedSymptom(firstLine(of: text))
    }

    /// The first line of `text` with something on it, trimmed of spaces and tabs. On the UTF-8
    /// bytes (line breaks and blanks are ASCII): splitting Characters costs more.
    public static func firstLine(of text: String) -> String {
        let bytes = text.utf8
        var index = bytes.startIndex
        while index < bytes.endIndex {
            var end = index
            while end < bytes.endIndex, bytes[end] != 0x0A, bytes[end] != 0x0D { end = bytes.index(after: end) }
            var first = index
            while first < end, bytes[first] == 0x20 || bytes[first] == 0x09 { first = bytes.index(after: first) }
            var last = end
            while last > first, bytes[bytes.index(before: last)] == 0x20 || bytes[bytes.index(before: last)] == 0x09 {
                last = bytes.index(before: last)
            }
            if first < last { return String(text[first..<last]) }
            index = end < bytes.endIndex ? bytes.index(after: end) : end
        }
        return ""
    }

    /// The symptom line as compared: ASCII letters lowered, every token holding a digit and
    /// made of hexadecimal digits, `-`, `.`, `:` and `x` (numbers, ids, addresses, hashes) one
    /// `#`, quotes and spaces collapsed into one space. Nil when fewer than 16 bytes are left:
    /// too little to say two incidents are one. On the UTF-8 bytes: Characters cost 40 µs a
    /// line, most of `ris stats` on 10,000 records.
    public static func normalisedSymptom(_ line: String) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(min(line.utf8.count, 256))
        var token: [UInt8] = []
        func isTokenByte(_ byte: UInt8) -> Bool {
            byte >= 0x80 || (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
                || byte == 0x2D || byte == 0x2E || byte == 0x3A || byte == 0x5F || byte == 0x2F
        }
        func flush() {
            guard !token.isEmpty else { return }
            let varies =
                token.contains { $0 >= 0x30 && $0 <= 0x39 }
                && token.allSatisfy { byte in
                    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66) || byte == 0x2D || byte == 0x2E
                        || byte == 0x3A || byte == 0x78
                }
            if varies { out.append(0x23) } else { out += token }
            token.removeAll(keepingCapacity: true)
        }
        for byte in line.utf8 {
            if isTokenByte(byte) {
                token.append(ASCIIByte.lowered(byte))
            } else {
                flush()
                if byte == 0x20 || byte == 0x09 || byte == 0x22 || byte == 0x27 || byte == 0x60 {
                    if let last = out.last, last != 0x20 { out.append(0x20) }
                } else {
                    out.append(byte)
                }
            }
        }
        flush()
        while out.last == 0x20 { out.removeLast() }
        guard out.count >= 16 else { return nil }
        // At most 200 bytes, cut before a character, not inside one.
        var end = min(out.count, 200)
        while end < out.count, end > 0, out[end] & 0xC0 == 0x80 { end -= 1 }
        return String(decoding: out[..<end], as: UTF8.self)
    }

    /// Repeats of one incident: records that share the normalised first line of their symptom
    /// (`normalisedSymptom`), or propose a hot pattern of the same title (ASCII case and
    /// outer spaces aside), are in one cluster, and so are records linked through others (connected
    /// components). The index groups the records by each key (`IndexStore.incidentFacts`); here
    /// only the shared keys are joined: linear in the records that repeat.
    static func clusters(of shared: [IncidentFacts.Shared], records: [Int64: IncidentFacts.Record], top: Int)
        -> Clusters
    {
        var parent: [Int64: Int64] = [:]
        func root(_ member: Int64) -> Int64 {
            var member = member
            while let next = parent[member], next != member {
                parent[member] = parent[next] ?? next
                member = next
            }
            return member
        }
        for item in shared {
            for member in item.members where parent[member] == nil { parent[member] = member }
            let first = root(item.members[0])
            for member in item.members.dropFirst() {
                let other = root(member)
                if other != first { parent[max(first, other)] = min(first, other) }
            }
        }
        var keys: [Int64: [IncidentFacts.Shared]] = [:]
        for item in shared { keys[root(item.members[0]), default: []].append(item) }
        var members: [Int64: [Int64]] = [:]
        for member in parent.keys { members[root(member), default: []].append(member) }
        var found: [Cluster] = []
        for (group, items) in keys {
            // Named by the key most of its records share (ties: the first in order).
            let name = items.max { lhs, rhs in
                lhs.members.count != rhs.members.count
                    ? lhs.members.count < rhs.members.count : (lhs.rule, lhs.key) > (rhs.rule, rhs.key)
            }!
            let listed = (members[group] ?? []).compactMap { records[$0] }.sorted { lhs, rhs in
                (lhs.date ?? "9999", lhs.id, lhs.path) < (rhs.date ?? "9999", rhs.id, rhs.path)
            }
            guard listed.count > 1 else { continue }
            // A symptom is the records' content: withheld when a record holding it is audited.
            found.append(
                Cluster(
                    rule: name.rule, key: name.rule == "symptom" && name.audited ? nil : name.key, records: listed))
        }
        found.sort { lhs, rhs in
            lhs.records.count != rhs.records.count
                ? lhs.records.count > rhs.records.count : lhs.records[0].path < rhs.records[0].path
        }
        return Clusters(
            count: found.count, records: found.reduce(0) { $0 + $1.records.count }, items: Array(found.prefix(top)))
    }

    // MARK: Hot patterns

    /// The patterns with hits in the `days` days ending with `today` (today and the `days - 1`
    /// before, by the UTC day of each hit), the most hit first.
    static func topPatterns(_ hits: [HitLog.Entry], days: Int, today: CalendarDay, top: Int) -> [PatternHits] {
        let first = Day.format(today.date.addingTimeInterval(-Double(days - 1) * 86_400))
        let first30 = Day.format(today.date.addingTimeInterval(-29 * 86_400))
        let first90 = Day.format(today.date.addingTimeInterval(-89 * 86_400))
        var counts: [PatternKey: (window: Int, last30: Int, last90: Int)] = [:]
        for hit in hits {
            let day = String(hit.at.prefix(10))
            guard day >= first90, day <= today.text else { continue }
            let key = PatternKey(title: hit.title, path: hit.path)
            var count = counts[key] ?? (0, 0, 0)
            if day >= first { count.window += 1 }
            if day >= first30 { count.last30 += 1 }
            count.last90 += 1
            counts[key] = count
        }
        return counts.filter { $0.value.window > 0 }.map { key, count in
            PatternHits(
                title: key.title, path: key.path, hits: count.window, hitsLast30Days: count.last30,
                hitsLast90Days: count.last90)
        }.sorted { lhs, rhs in
            lhs.hits != rhs.hits ? lhs.hits > rhs.hits : (lhs.title, lhs.path) < (rhs.title, rhs.path)
        }.prefix(top).map { $0 }
    }

    struct PatternKey: Hashable {
        var title: String
        var path: String
    }
}

/// How long a timeline lasted, from the time column of its first and last events.
public enum TimelineSpan {
    /// Minutes from `first` to `last`. Each is an offset or a clock time (`0:35`, `14:05`,
    /// `14:05:30`, `T+1:10`), or a date with or without one (`2025-12-28 14:05`,
    /// `2025-12-28T14:05Z`). Two dates: the difference; a date on one side only: the other is
    /// taken to be on that day; clock times alone: a negative difference crossed midnight
    /// (one day added). Nil when either has no time or date, or the span is negative.
    public static func minutes(from first: String, to last: String) -> Int? {
        guard let start = moment(first), let end = moment(last) else { return nil }
        let startDay = start.day ?? end.day
        let endDay = end.day ?? start.day
        var span: Int
        if let startDay, let endDay, let from = CalendarDay(startDay), let to = CalendarDay(endDay) {
            let days = Int((to.date.timeIntervalSince(from.date) / 86_400).rounded())
            span = days * 1440 + (end.minutes ?? 0) - (start.minutes ?? 0)
        } else {
            guard let from = start.minutes, let to = end.minutes else { return nil }
            span = to - from
            if span < 0 { span += 1440 }
        }
        return span >= 0 ? span : nil
    }

    /// The day (`YYYY-MM-DD`) and the minutes into it (or of the offset) that `text` names.
    static func moment(_ text: String) -> (day: String?, minutes: Int?)? {
        let day = DayText.isoDate(in: text)
        // The clock after the date, so that the date's own digits are not read as one.
        var rest = Substring(text)
        if let day, let range = text.range(of: day) { rest = text[range.upperBound...] }
        var minutes: Int?
        let characters = Array(rest)
        var index = 0
        while index < characters.count {
            guard characters[index].isASCII, characters[index].isNumber else {
                index += 1
                continue
            }
            var end = index
            while end < characters.count, characters[end].isASCII, characters[end].isNumber { end += 1 }
            if end < characters.count - 2, characters[end] == ":", characters[end + 1].isNumber,
                characters[end + 2].isNumber, let hours = Int(String(characters[index..<end])), hours <= 100_000,
                let tens = characters[end + 1].wholeNumberValue, let ones = characters[end + 2].wholeNumberValue
            {
                var value = hours * 60 + tens * 10 + ones
                let lower = rest.lowercased()
                if hours <= 12, lower.contains("pm"), hours != 12 { value += 720 }
                if hours == 12, lower.contains("am") { value -= 720 }
                minutes = value
                break
            }
            index = end
        }
        if day == nil && minutes == nil { return nil }
        return (day, minutes)
    }
}
