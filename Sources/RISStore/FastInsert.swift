import GRDB
import GRDBSQLite

/// A value bound to a prepared INSERT.
enum BoundValue {
    case integer(Int64)
    case text(String)
    case null

    init(_ value: Int?) { self = value.map { .integer(Int64($0)) } ?? .null }
    init(_ value: String?) { self = value.map(BoundValue.text) ?? .null }
}

/// A cached INSERT bound through SQLite's C API. Indexing writes hundreds of thousands of
/// rows; GRDB's argument machinery costs more per row than SQLite itself, so the hot loop
/// binds directly. Statements still come from, and belong to, GRDB's connection.
struct FastInsert {
    private let statement: SQLiteStatement
    private let db: Database

    init(_ db: Database, _ sql: String) throws {
        self.db = db
        statement = try db.cachedStatement(sql: sql).sqliteStatement
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func run(_ values: BoundValue...) throws {
        sqlite3_reset(statement)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .integer(let number): code = sqlite3_bind_int64(statement, index, number)
            case .null: code = sqlite3_bind_null(statement, index)
            case .text(var text):
                code = text.withUTF8 { buffer -> Int32 in
                    guard let base = buffer.baseAddress else {
                        return sqlite3_bind_text(statement, index, "", 0, FastInsert.transient)
                    }
                    return UnsafeRawPointer(base).withMemoryRebound(to: CChar.self, capacity: buffer.count) { pointer in
                        sqlite3_bind_text(statement, index, pointer, Int32(buffer.count), FastInsert.transient)
                    }
                }
            }
            guard code == SQLITE_OK else {
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code),
                    message: String(cString: sqlite3_errmsg(sqlite3_db_handle(statement))))
            }
        }
        let step = sqlite3_step(statement)
        guard step == SQLITE_DONE else {
            let message = String(cString: sqlite3_errmsg(sqlite3_db_handle(statement)))
            sqlite3_reset(statement)
            throw DatabaseError(resultCode: ResultCode(rawValue: step), message: message)
        }
    }
}
