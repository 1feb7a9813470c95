import CRISSearch

/// Process-wide SQLite settings, made once before the first connection opens (SQLite takes them
/// only before it is initialised). Every opening of a database in RISStore goes through `before`.
enum SQLiteSetUp {
    /// Call before opening a connection.
    static func before() { _ = applied }

    private static let applied: Void = {
        // Memory statistics cost a global mutex per allocation; nothing reads them.
        _ = ris_sqlite_disable_memory_statistics()
    }()
}
