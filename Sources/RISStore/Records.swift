import GRDB

/// A row of `document`: one file of the knowledge base.
struct DocumentRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "document"

    var docId: Int64?
    var path: String
    var risId: String
    var title: String
    var kind: String
    var date: String?
    var severity: String?
    var status: String?
    var project: String?
    var resolutionMinutes: Int?
    var shape: String
    var size: Int64
    var modified: Int64
    var sha256: String
    var errorCount: Int
    var warningCount: Int
    var indexedAt: String

    mutating func didInsert(_ inserted: InsertionSuccess) {
        docId = inserted.rowID
    }
}

/// A row of `diagnostic`.
struct DiagnosticRecord: Codable, FetchableRecord, TableRecord {
    static let databaseTableName = "diagnostic"
    var docId: Int64
    var severity: String
    var line: Int
    var column: Int
    var message: String
}
