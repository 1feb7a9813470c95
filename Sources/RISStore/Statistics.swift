import Foundation
import GRDB
import RISKit

extension IndexStore {
    /// What `IncidentStatistics` is computed from, for the documents the filters keep: a few
    /// aggregate queries over the index (no file is read). Rows come back per record only for
    /// the durations (a median needs them); open records and repeats are counted and grouped
    /// by SQLite, and only the `top` oldest open records and the records that repeat are read.
    /// `today`: `YYYY-MM-DD`, the day open records' ages are counted to.
    public func incidentFacts(filters: SearchFilters, today: String, top: Int) throws -> IncidentFacts {
        let (whereSQL, arguments) = filterSQL(filters)
        let condition = whereSQL.isEmpty ? "" : "WHERE " + whereSQL
        let also = whereSQL.isEmpty ? "" : " AND " + whereSQL
        let statementArguments = StatementArguments(arguments)
        // Open: a status whose first word is not a closed one (`IncidentStatistics.isOpen`).
        let closed = IncidentStatistics.closedStatuses.map { "'\($0)'" }.joined(separator: ", ")
        let firstWord =
            "CASE WHEN instr(d.status, ' ') > 0 THEN substr(d.status, 1, instr(d.status, ' ') - 1) ELSE d.status END"
        let openCondition = "d.status IS NOT NULL AND (\(firstWord)) NOT IN (\(closed))"
        let age = "CAST(round(julianday(?) - julianday(d.date)) AS INTEGER)"
        return try database.read { db in
            // Cursors, not arrays of rows: a row copied costs more than the query gives it.
            var groups: [IncidentFacts.Group] = []
            let groupRows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT d.severity, d.status, d.project, d.category, substr(d.date, 1, 7), count(*) FROM document d
                    \(condition) GROUP BY 1, 2, 3, 4, 5
                    """, arguments: statementArguments)
            while let row = try groupRows.next() {
                groups.append(
                    IncidentFacts.Group(
                        severity: row[0], status: row[1], project: row[2], category: row[3], month: row[4],
                        count: row[5]))
            }
            // Stated resolution times, one list per severity; the timeline's first and last events
            // only for the records without one.
            var durations: [IncidentFacts.Duration] = []
            let stated = try Row.fetchCursor(
                db,
                sql: """
                    SELECT d.severity, group_concat(d.resolutionMinutes) FROM document d
                    WHERE d.resolutionMinutes IS NOT NULL\(also) GROUP BY d.severity
                    """, arguments: statementArguments)
            while let row = try stated.next() {
                let severity: String? = row[0]
                for minutes in IndexStore.identifiers(row[1]) {
                    durations.append(
                        IncidentFacts.Duration(
                            severity: severity, resolutionMinutes: Int(minutes), firstEvent: nil, lastEvent: nil,
                            events: 0))
                }
            }
            let timed = try Row.fetchCursor(
                db,
                sql: """
                    SELECT d.severity,
                        (SELECT e.time FROM timelineEvent e WHERE e.docId = d.docId ORDER BY e.line LIMIT 1),
                        (SELECT e.time FROM timelineEvent e WHERE e.docId = d.docId ORDER BY e.line DESC LIMIT 1),
                        (SELECT count(*) FROM timelineEvent e WHERE e.docId = d.docId)
                    FROM document d WHERE d.resolutionMinutes IS NULL\(also)
                    """, arguments: statementArguments)
            while let row = try timed.next() {
                durations.append(
                    IncidentFacts.Duration(
                        severity: row[0], resolutionMinutes: nil, firstEvent: row[1], lastEvent: row[2], events: row[3])
                )
            }
            let ages = try Row.fetchOne(
                db,
                sql: "SELECT count(*), avg(\(age)), max(\(age)) FROM document d WHERE \(openCondition)\(also)",
                arguments: StatementArguments([today, today]) + statementArguments)
            let oldest = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(IndexStore.recordColumns) FROM document d WHERE \(openCondition)\(also)
                    ORDER BY d.date IS NULL, d.date, d.risId, d.path LIMIT ?
                    """, arguments: statementArguments + [top]
            ).map(IndexStore.record)
            let open = IncidentFacts.Open(
                count: ages?[0] ?? 0, meanAgeDays: ages?[1], maxAgeDays: ages?[2], oldest: oldest)
            // Records grouped by each thing that makes repeats: the symptom's first line, normalised
            // when indexed (`IncidentStatistics.symptomKey`), and a proposed hot pattern's title.
            var shared = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.symptomKey, group_concat(d.docId), max(d.auditRequired) FROM document d
                    WHERE d.symptomKey IN (
                        SELECT symptomKey FROM document WHERE symptomKey IS NOT NULL GROUP BY symptomKey
                        HAVING count(*) > 1)\(also)
                    GROUP BY d.symptomKey HAVING count(*) > 1
                    """, arguments: statementArguments
            ).map { row in
                IncidentFacts.Shared(
                    rule: "symptom", key: row[0], members: IndexStore.identifiers(row[1]), audited: row[2])
            }
            shared += try Row.fetchAll(
                db,
                sql: """
                    SELECT k, group_concat(docId) FROM (
                        SELECT DISTINCT lower(trim(h.title)) AS k, d.docId FROM hotPattern h
                        JOIN document d ON d.docId = h.docId
                        WHERE lower(trim(h.title)) IN (
                            SELECT lower(trim(title)) FROM hotPattern GROUP BY lower(trim(title))
                            HAVING count(DISTINCT docId) > 1)\(also))
                    WHERE k != '' GROUP BY k HAVING count(*) > 1
                    """, arguments: statementArguments
            ).map { row in
                IncidentFacts.Shared(
                    rule: "hot-pattern", key: row[0], members: IndexStore.identifiers(row[1]), audited: false)
            }
            var records: [Int64: IncidentFacts.Record] = [:]
            let members = Array(Set(shared.flatMap(\.members)))
            for start in stride(from: 0, to: members.count, by: 500) {
                let chunk = members[start..<min(start + 500, members.count)]
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(IndexStore.recordColumns), d.docId FROM document d
                        WHERE d.docId IN (\(chunk.map(String.init).joined(separator: ",")))
                        """)
                {
                    records[row[6]] = IndexStore.record(row)
                }
            }
            return IncidentFacts(groups: groups, durations: durations, open: open, shared: shared, records: records)
        }
    }

    /// `1,5,9` (a `group_concat` of IDs or minutes) as numbers.
    static func identifiers(_ list: String) -> [Int64] {
        list.split(separator: ",").compactMap { Int64($0) }
    }

    /// The columns of `record(_:)`, in its order.
    static let recordColumns = "d.risId, d.title, d.path, d.date, d.severity, d.status"

    static func record(_ row: Row) -> IncidentFacts.Record {
        IncidentFacts.Record(id: row[0], title: row[1], path: row[2], date: row[3], severity: row[4], status: row[5])
    }
}
