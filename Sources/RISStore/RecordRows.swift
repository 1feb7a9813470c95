import FrontMatter
import GRDB
import GRDBSQLite
import RISKit

/// The index rows of one record, ready to bind: made on a reading thread, so that the writing
/// thread, whose time is a full index's wall time, does SQLite's work and little else. Every
/// text is in one byte buffer and every cell a plain value: the record's document and strings
/// are freed on the thread that made them (a free from another thread takes the owning
/// arena's lock), and handing rows over costs a few allocations, not hundreds.
struct RecordRows: Sendable {
    /// The tables a record writes, in the order of `IndexStore.RowWriter`'s statements.
    enum Table: Int, CaseIterable {
        case document, framework, control, complianceValue, complianceAttribute, field, timelineEvent
        case hotPattern, hotPatternSearch, tag, link, diagnostic, documentSearch

        /// The columns a row binds, in order. The table is named as the case is.
        var columns: [String] {
            switch self {
            case .document:
                return [
                    "docId", "path", "risId", "title", "kind", "date", "severity", "status", "project",
                    "resolutionMinutes", "shape", "size", "modified", "sha256", "errorCount", "warningCount",
                    "indexedAt", "salvaged", "auditRequired", "changed", "inode", "symptomLine", "category",
                    "symptomKey",
                ]
            case .framework: return ["docId", "name", "line"]
            case .control: return ["docId", "framework", "control", "line"]
            case .complianceValue: return ["docId", "framework", "key", "value", "line"]
            case .complianceAttribute: return ["docId", "key", "value", "line"]
            case .field: return ["docId", "name", "value", "line", "placement"]
            case .timelineEvent: return ["docId", "time", "event", "line"]
            case .hotPattern:
                return [
                    "docId", "title", "keywords", "symptom", "rootCause", "solution", "related", "hitCount",
                    "lastUsed", "line",
                ]
            case .hotPatternSearch: return ["rowid", "title", "keywords", "symptom", "rootCause"]
            case .tag: return ["docId", "tag"]
            case .link: return ["docId", "text", "target", "line", "external"]
            case .diagnostic: return ["docId", "severity", "line", "\"column\"", "message", "code"]
            case .documentSearch: return ["rowid", "risId", "title", "keywords", "symptom", "body", "code"]
            }
        }

        /// The statement that inserts `rows` rows: `INSERT INTO t (...) VALUES (?, ?)`, and as
        /// many more `(?, ?)` as rows.
        ///
        /// Several rows are OR FAIL: a statement that can stop halfway (a NOT NULL column), and
        /// would undo its first rows then (ABORT, the default), runs in a savepoint of its own,
        /// and FTS5 writes out the terms it holds at every savepoint: a segment per record, five
        /// times the whole time of the rows. A failed row fails the refresh, whose transaction
        /// is rolled back whole.
        func insert(rows: Int) -> String {
            let row = "(" + repeatElement("?", count: columns.count).joined(separator: ", ") + ")"
            return "INSERT\(rows > 1 ? " OR FAIL" : "") INTO \(self) (\(columns.joined(separator: ", "))) VALUES "
                + repeatElement(row, count: rows).joined(separator: ", ")
        }
    }

    /// One bound value. No case holds a reference: arrays of cells are copied and freed as bytes.
    enum Cell {
        case integer(Int64)
        /// Bytes `start..<start + count` of `text`.
        case text(start: Int, count: Int)
        case null
        /// The rowid of this record's `document` row: in that row, the rowid it replaces (NULL
        /// for a new document, which SQLite numbers); in the rows after, the one written.
        case docId
        /// The rowid of the row written just before (a hot pattern's, for its search row).
        case previousRowID
    }

    /// Every text cell's UTF-8, back to back.
    private(set) var text: [UInt8] = []
    private(set) var cells: [Cell] = []
    /// Each row: its table and how many cells (from `cells`, in order) it binds.
    private(set) var rows: [(table: Table, cells: Int)] = []
    /// The record's diagnostics, which the refresh reports.
    private(set) var diagnostics: [Diagnostic] = []

    /// A cell of text built in place (`appendText`), ended by `endText`.
    private var openText: Int?

    /// The rows of `document`, read from `file`'s `bytesRead` bytes (0 when it was refused or
    /// gone: the size on disk of a file over the limit says nothing of what is written).
    init(_ document: RISDocument, file: ScannedFile, bytesRead: Int, sha256: String, indexedAt: String) {
        // The search columns repeat most of the file (the body, code, symptom), the rows the rest.
        text.reserveCapacity(2 * bytesRead + 4096)
        cells.reserveCapacity(256)
        rows.reserveCapacity(64)
        diagnostics = document.diagnostics
        let errors = document.diagnostics.filter { $0.severity == .error }.count
        let warnings = document.diagnostics.filter { $0.severity == .warning }.count
        add(
            .document, .docId, .text(file.path), .text(document.id), .text(document.title),
            .text(document.kind.rawValue),
            .optional(document.date), .optional(document.severity), .optional(document.status),
            .optional(document.project), .optional(document.resolutionMinutes), .text(document.shape.rawValue),
            .integer(file.size), .integer(file.modified), .text(sha256), .integer(Int64(errors)),
            .integer(Int64(warnings)), .text(indexedAt), .integer(document.salvaged ? 1 : 0),
            .integer(AccessPolicy.requiresAudit(document) ? 1 : 0), .integer(file.changed), .integer(file.inode),
            .optional(IndexStore.symptomLine(of: document)), .optional(document.category),
            .optional(IncidentStatistics.symptomKey(of: document)))

        // A table's rows side by side (every framework, then every control...): the writer
        // inserts a run of rows of one table with one statement. Each table's rows keep their
        // order, and so their rowids.
        for framework in document.compliance.frameworks {
            // The canonical name (`soc2` for `SOC 2`), so that `--framework` finds every spelling.
            add(
                .framework, .docId, .text(ComplianceFrameworks.canonicalName(framework.name) ?? framework.name),
                .optional(framework.position.line))
        }
        for framework in document.compliance.frameworks {
            for item in framework.controls {
                add(.control, .docId, .text(framework.name), .text(item.value), .optional(item.position.line))
            }
        }
        for framework in document.compliance.frameworks {
            func value(_ key: String, _ text: String, _ line: Int) {
                add(.complianceValue, .docId, .text(framework.name), .text(key), .text(text), .optional(line))
            }
            if let item = framework.retentionPeriod { value("retention-period", item.value.text, item.position.line) }
            if let item = framework.reviewFrequency {
                value("review-frequency", item.value.rawValue, item.position.line)
            }
            if let item = framework.classification { value("classification", item.value, item.position.line) }
            if let item = framework.phiContains { value("phi-contains", item.value, item.position.line) }
            if let item = framework.evidenceType { value("evidence-type", item.value, item.position.line) }
            if let item = framework.encryptionRequired {
                value("encryption-required", String(item.value), item.position.line)
            }
            if let item = framework.accessAuditRequired {
                value("access-audit-required", String(item.value), item.position.line)
            }
        }
        for pair in document.compliance.attributes {
            add(
                .complianceAttribute, .docId, .text(YAMLNode.normalizedKey(pair.key.scalarText ?? "")),
                .text(pair.value.scalarText ?? pair.value.jsonValue.compactText), .optional(pair.key.position.line))
        }
        for item in document.fields {
            add(
                .field, .docId, .text(item.name), .text(item.value), .optional(item.line),
                .text(item.placement.rawValue))
        }
        for item in document.timeline {
            add(.timelineEvent, .docId, .text(item.time), .text(item.event), .optional(item.line))
        }
        for item in document.hotPatterns {
            let keywords = item.keywords.joined(separator: ", ")
            add(
                .hotPattern, .docId, .text(item.title), .text(keywords), .text(item.symptom), .text(item.rootCause),
                .text(item.solution), .text(item.related.joined(separator: ", ")), .optional(item.hitCount),
                .optional(item.lastUsed), .optional(item.line))
            add(
                .hotPatternSearch, .previousRowID, .text(item.title), .text(keywords), .text(item.symptom),
                .text(item.rootCause))
        }
        for item in document.tags { add(.tag, .docId, .text(item)) }
        for item in document.links {
            add(
                .link, .docId, .text(item.text), .text(item.target), .optional(item.line),
                .integer(item.external ? 1 : 0))
        }
        for item in document.diagnostics {
            add(
                .diagnostic, .docId, .text(item.severity.rawValue), .optional(item.line), .optional(item.column),
                .text(item.message), .text(item.code.rawValue))
        }

        // Full-text: weighted columns, see the rank set in the schema. The body already holds
        // the header fields; the front matter's values (control IDs, project) are added.
        add(.documentSearch, .docId, .text(document.id), .text(document.title))
        var first = true
        for keyword in document.hotPatterns.lazy.flatMap(\.keywords) { appendListed(keyword, first: &first) }
        for tag in document.tags { appendListed(tag, first: &first) }
        for item in document.hotPatterns { appendListed(item.title, first: &first) }
        endText()
        appendText(document.symptomText)
        for item in document.hotPatterns where !item.symptom.isEmpty {
            appendText("\n")
            appendText(item.symptom)
        }
        endText()
        appendText(document.bodyText)
        if document.shape != .yamlRecord, let frontMatter = document.frontMatter {
            // `allText(joinedBy: " ")`, written into the cell: no String made for it.
            appendText("\n")
            var first = true
            frontMatter.forEachText { scalar in
                if !first { appendText(" ") }
                first = false
                appendText(scalar)
            }
        }
        endText()
        for (offset, block) in document.codeBlocks.enumerated() {
            if offset > 0 { appendText("\n") }
            appendText(block.text)
        }
        endText()
    }

    /// What a caller gives `add`: a value, or text that becomes bytes of `text`.
    enum Value {
        case integer(Int64)
        case text(String)
        case docId
        case previousRowID

        static func optional(_ value: Int?) -> Value? { value.map { .integer(Int64($0)) } }
        static func optional(_ value: String?) -> Value? { value.map(Value.text) }
    }

    // Inlined, so that the variadic array of each row stays on the stack (it was an allocation a row).
    @inline(__always)
    private mutating func add(_ table: Table, _ values: Value?...) {
        for value in values {
            switch value {
            case .none: cells.append(.null)
            case .integer(let number): cells.append(.integer(number))
            case .docId: cells.append(.docId)
            case .previousRowID: cells.append(.previousRowID)
            case .text(let string):
                let start = text.count
                text.append(contentsOf: string.utf8)
                cells.append(.text(start: start, count: text.count - start))
            }
        }
        rows.append((table, values.count))
    }

    /// `keywords` column: items joined by ", ".
    private mutating func appendListed(_ item: String, first: inout Bool) {
        if !first { appendText(", ") }
        first = false
        appendText(item)
    }

    /// Adds bytes to the text cell being built, the next of the last row's.
    private mutating func appendText(_ string: String) {
        if openText == nil { openText = text.count }
        text.append(contentsOf: string.utf8)
    }

    /// Ends the text cell being built (an empty one when nothing was appended) and adds it to
    /// the last row.
    private mutating func endText() {
        let start = openText ?? text.count
        cells.append(.text(start: start, count: text.count - start))
        rows[rows.count - 1].cells += 1
        openText = nil
    }
}

extension IndexStore {
    /// Writes `RecordRows` through statements prepared once for a refresh's transaction. Texts
    /// are bound without a copy (`SQLITE_STATIC`): the rows' buffer outlives each step, every
    /// parameter is bound again before the next, and a record's bindings are cleared before
    /// its buffer goes.
    ///
    /// A run of rows of one table (a record's controls, its fields, its timeline) is inserted
    /// by one statement of as many rows, `VALUES (...), (...)`: a step costs about what a row
    /// does (its cursors opened, its program started), and single-row steps were half the
    /// time of the ~36 structured rows of a record. The rows go in the same order, and so get
    /// the same rowids.
    final class RowWriter {
        /// The most rows one statement inserts (a longer run takes several).
        static let batchLimit = 16

        private let db: Database
        /// GRDB's statements, which finalize the SQLite ones when the writer goes.
        private var owners: [Statement] = []
        /// The statement of each table and number of rows (1...batchLimit), prepared when
        /// first needed, at `table.rawValue * batchLimit + rows - 1`.
        private var statements: [OpaquePointer?]

        init(_ db: Database) {
            self.db = db
            statements = Array(repeating: nil, count: RecordRows.Table.allCases.count * RowWriter.batchLimit)
        }

        /// The statement that inserts `rows` rows of `table`.
        private func statement(_ table: RecordRows.Table, rows: Int) throws -> OpaquePointer {
            let key = table.rawValue * RowWriter.batchLimit + rows - 1
            if let statement = statements[key] { return statement }
            let owner = try db.makeStatement(sql: table.insert(rows: rows))
            owners.append(owner)
            statements[key] = owner.sqliteStatement
            return owner.sqliteStatement
        }

        /// Writes the rows of one record, its document under the rowid `replacing` (one whose
        /// rows are deleted) or a new one; returns its `document` rowid.
        @discardableResult
        func write(_ record: RecordRows, replacing: Int64? = nil) throws -> Int64 {
            let connection = db.sqliteConnection
            var docId: Int64? = replacing
            var previousRowID: Int64 = 0
            // The statements this record bound: their texts point into its buffer, and are
            // cleared before it goes (every row binds all its statement's parameters anyway).
            var used: [OpaquePointer] = []
            defer {
                for statement in used { sqlite3_clear_bindings(statement) }
            }
            try record.text.withUnsafeBufferPointer { text in
                let base = UnsafeRawPointer(text.baseAddress).map { $0.assumingMemoryBound(to: CChar.self) }
                let rows = record.rows
                var next = 0
                var first = 0
                while first < rows.count {
                    let table = rows[first].table
                    // A document's own row comes alone: the rows after it bind its rowid.
                    var count = 1
                    if table != .document {
                        while count < RowWriter.batchLimit, first + count < rows.count,
                            rows[first + count].table == table
                        {
                            count += 1
                        }
                    }
                    let statement = try self.statement(table, rows: count)
                    let cells = rows[first..<(first + count)].reduce(0) { $0 + $1.cells }
                    // Every parameter bound, each time: a texts' pointer left from the record before
                    // would point into freed memory, and a multi-row statement would misbind.
                    guard sqlite3_bind_parameter_count(statement) == cells else {
                        throw DatabaseError(
                            resultCode: .SQLITE_MISUSE,
                            message:
                                "\(table): \(cells) values for \(sqlite3_bind_parameter_count(statement)) parameters")
                    }
                    if !used.contains(statement) { used.append(statement) }
                    sqlite3_reset(statement)
                    for index in 0..<cells {
                        let parameter = Int32(index + 1)
                        let code: Int32
                        switch record.cells[next + index] {
                        case .integer(let number): code = sqlite3_bind_int64(statement, parameter, number)
                        case .null: code = sqlite3_bind_null(statement, parameter)
                        case .docId:
                            if let docId {
                                code = sqlite3_bind_int64(statement, parameter, docId)
                            } else {
                                code = sqlite3_bind_null(statement, parameter)
                            }
                        case .previousRowID: code = sqlite3_bind_int64(statement, parameter, previousRowID)
                        case .text(let start, let count):
                            if let base {
                                code = sqlite3_bind_text(statement, parameter, base + start, Int32(count), nil)
                            } else {
                                code = sqlite3_bind_text(statement, parameter, "", 0, RowWriter.transient)
                            }
                        }
                        guard code == SQLITE_OK else { throw error(code) }
                    }
                    next += cells
                    first += count
                    let step = sqlite3_step(statement)
                    guard step == SQLITE_DONE else {
                        let failure = error(step)
                        sqlite3_reset(statement)
                        throw failure
                    }
                    // The last row's: a row after binds the rowid of the row just before it.
                    previousRowID = sqlite3_last_insert_rowid(connection)
                    if table == .document { docId = previousRowID }
                }
            }
            return docId ?? 0
        }

        private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

        private func error(_ code: Int32) -> DatabaseError {
            DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }
}
