import Foundation
import GRDB
import RISKit

extension IndexStore {
    /// What `IncidentStatistics` is computed from, for the documents the filters keep: one
    /// aggregate of the counts, then the durations, the open records and the signatures of
    /// repeats, each one pass over the index (no file is read).
    public func incidentFacts(filters: SearchFilters) throws -> IncidentFacts {
        let (whereSQL, arguments) = filterSQL(filters)
        let condition = whereSQL.isEmpty ? "" : "WHERE " + whereSQL
        let statementArguments = StatementArguments(arguments)
        // Open: a status whose first word is not a closed one (`IncidentStatistics.isOpen`).
        let closed = IncidentStatistics.closedStatuses.map { "'\($0)'" }.joined(separator: ", ")
        let firstWord =
            "CASE WHEN instr(d.status, ' ') > 0 THEN substr(d.status, 1, instr(d.status, ' ') - 1) "
            + "ELSE d.status END"
        let openCondition = "d.status IS NOT NULL AND (\(firstWord)) NOT IN (\(closed))"
        return try database.read { db in
            let groups = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.severity, d.status, d.project, d.category, substr(d.date, 1, 7), count(*) FROM document d
                    \(condition) GROUP BY 1, 2, 3, 4, 5
                    """, arguments: statementArguments
            ).map { row in
                IncidentFacts.Group(
                    severity: row[0], status: row[1], project: row[2], category: row[3], month: row[4], count: row[5])
            }
            // The timeline's first and last events only for records without a resolution time.
            let durations = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.severity, d.resolutionMinutes,
                        CASE WHEN d.resolutionMinutes IS NULL THEN
                            (SELECT e.time FROM timelineEvent e WHERE e.docId = d.docId ORDER BY e.line LIMIT 1) END,
                        CASE WHEN d.resolutionMinutes IS NULL THEN
                            (SELECT e.time FROM timelineEvent e WHERE e.docId = d.docId ORDER BY e.line DESC LIMIT 1)
                        END,
                        CASE WHEN d.resolutionMinutes IS NULL THEN
                            (SELECT count(*) FROM timelineEvent e WHERE e.docId = d.docId) ELSE 0 END
                    FROM document d \(condition)
                    """, arguments: statementArguments
            ).map { row in
                IncidentFacts.Duration(
                    severity: row[0], resolutionMinutes: row[1], firstEvent: row[2], lastEvent: row[3], events: row[4])
            }
            let open = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(IndexStore.recordColumns) FROM document d
                    WHERE \(openCondition)\(whereSQL.isEmpty ? "" : " AND " + whereSQL)
                    """, arguments: statementArguments
            ).map(IndexStore.record)
            // The start of the symptom (its first line is compared) and the titles of the record's
            // hot patterns, joined by a character no title holds.
            let signatures = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(IndexStore.recordColumns), substr(s.symptom, 1, 800),
                        (SELECT group_concat(h.title, char(1)) FROM hotPattern h WHERE h.docId = d.docId),
                        d.auditRequired
                    FROM document d JOIN documentSearch s ON s.rowid = d.docId \(condition)
                    """, arguments: statementArguments
            ).compactMap { row -> IncidentFacts.Signature? in
                let symptom = IndexStore.firstLine(of: row[6] as String? ?? "")
                let titles = (row[7] as String?)?.split(separator: "\u{1}").map(String.init) ?? []
                guard !symptom.isEmpty || !titles.isEmpty else { return nil }
                return IncidentFacts.Signature(
                    record: IndexStore.record(row), symptom: symptom, patternTitles: titles, audited: row[8])
            }
            return IncidentFacts(groups: groups, durations: durations, open: open, signatures: signatures)
        }
    }

    /// The columns of `record(_:)`, in its order.
    static let recordColumns = "d.risId, d.title, d.path, d.date, d.severity, d.status"

    static func record(_ row: Row) -> IncidentFacts.Record {
        IncidentFacts.Record(id: row[0], title: row[1], path: row[2], date: row[3], severity: row[4], status: row[5])
    }

    /// The first line of `text` with something on it, trimmed.
    static func firstLine(of text: String) -> String {
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty { return trimmed }
        }
        return ""
    }
}
