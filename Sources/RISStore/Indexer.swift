import Crypto
import Dispatch
import Foundation
import FrontMatter
import GRDB
import RISKit

extension IndexStore {
    /// Brings the index up to date with the files on disk: new files are added, changed
    /// ones (size or mtime differ, and the SHA-256 too) re-read, deleted ones removed.
    /// Files are parsed on all cores; one transaction writes them.
    ///
    /// - Parameters:
    ///   - full: re-read every file.
    ///   - progress: called with (files done, files to read) while files are read.
    public func refresh(full: Bool = false, progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> IndexSummary {
        let started = DispatchTime.now()
        var summary = IndexSummary()
        let root = knowledgeBase.root
        let (files, problems) = FileScanner.scan(root: root, config: knowledgeBase.config)
        summary.scanned = files.count
        summary.diagnostics += problems.map {
            PathDiagnostic(path: $0.path, diagnostic: .error($0.message, at: SourcePosition(line: 1, column: 1)))
        }

        struct Known {
            var docId: Int64
            var size: Int64
            var modified: Int64
            var sha256: String
        }
        let known: [String: Known] = try database.read { db in
            var result: [String: Known] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT path, docId, size, modified, sha256 FROM document")
            while let row = try rows.next() {
                result[row[0]] = Known(docId: row[1], size: row[2], modified: row[3], sha256: row[4])
            }
            return result
        }

        var candidates: [ScannedFile] = []
        var unchangedOnDisk = 0
        for file in files {
            if !full, let entry = known[file.path], entry.size == file.size, entry.modified == file.modified {
                unchangedOnDisk += 1
            } else {
                candidates.append(file)
            }
        }
        let present = Set(files.map(\.path))
        let removed = known.filter { !present.contains($0.key) }.map(\.value.docId)

        // Read, hash and parse the candidates on all cores.
        let results = readInParallel(candidates, root: root, known: full ? [:] : known.mapValues(\.sha256), progress: progress)

        let now = ISO8601DateFormatter().string(from: Date())
        try database.write { db in
            for docId in removed { try IndexStore.delete(docId: docId, in: db) }
            for result in results {
                switch result {
                case .touched(let file):
                    // Same bytes, new mtime (a checkout, a touch): remember the mtime only.
                    try db.execute(sql: "UPDATE document SET modified = ? WHERE path = ?", arguments: [file.modified, file.path])
                    summary.unchanged += 1
                case .parsed(let file, let document, let sha256):
                    if let entry = known[file.path] {
                        try IndexStore.delete(docId: entry.docId, in: db)
                        summary.updated += 1
                    } else {
                        summary.added += 1
                    }
                    try IndexStore.insert(document, file: file, sha256: sha256, indexedAt: now, in: db)
                    summary.diagnostics += document.diagnostics.map { PathDiagnostic(path: file.path, diagnostic: $0) }
                }
            }
            summary.withErrors = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM document WHERE errorCount > 0") ?? 0
        }
        summary.unchanged += unchangedOnDisk
        summary.removed = removed.count
        summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return summary
    }

    enum ReadResult: Sendable {
        case touched(ScannedFile)
        case parsed(ScannedFile, RISDocument, String)
    }

    private func readInParallel(_ files: [ScannedFile], root: URL, known: [String: String],
                                progress: (@Sendable (Int, Int) -> Void)?) -> [ReadResult] {
        guard !files.isEmpty else { return [] }
        final class Slots: @unchecked Sendable {
            var results: [ReadResult?]
            var done = 0
            let lock = NSLock()
            init(count: Int) { results = Array(repeating: nil, count: count) }
        }
        let slots = Slots(count: files.count)
        let rootPath = root.path
        // Chunks keep the scheduling cost low and let progress be reported.
        let chunk = max(1, min(64, files.count / (ProcessInfo.processInfo.activeProcessorCount * 4)))
        let chunks = (files.count + chunk - 1) / chunk
        DispatchQueue.concurrentPerform(iterations: chunks) { chunkIndex in
            var local: [(Int, ReadResult)] = []
            for index in (chunkIndex * chunk)..<min(files.count, (chunkIndex + 1) * chunk) {
                let file = files[index]
                let absolute = rootPath + "/" + file.path
                let data = FileManager.default.contents(atPath: absolute)
                let digest = data.map { SHA256.hash(data: $0).map { String(format: "%02x", $0) }.joined() } ?? ""
                if let data, let previous = known[file.path], previous == digest {
                    _ = data
                    local.append((index, .touched(file)))
                    continue
                }
                let document: RISDocument
                if let data {
                    document = DocumentParser.parse(data: data, path: file.path)
                } else {
                    document = DocumentParser.parse(fileAt: absolute, displayPath: file.path)
                }
                local.append((index, .parsed(file, document, digest)))
            }
            slots.lock.lock()
            for (index, result) in local { slots.results[index] = result }
            slots.done += local.count
            let done = slots.done
            slots.lock.unlock()
            progress?(done, files.count)
        }
        return slots.results.compactMap { $0 }
    }

    static func delete(docId: Int64, in db: Database) throws {
        try db.execute(sql: "DELETE FROM documentSearch WHERE rowid = ?", arguments: [docId])
        try db.execute(sql: "DELETE FROM document WHERE docId = ?", arguments: [docId])
    }

    static func insert(_ document: RISDocument, file: ScannedFile, sha256: String, indexedAt: String, in db: Database) throws {
        let errors = document.diagnostics.filter { $0.severity == .error }.count
        var record = DocumentRecord(
            docId: nil, path: file.path, risId: document.id, title: document.title, kind: document.kind.rawValue,
            date: document.date, severity: document.severity, status: document.status, project: document.project,
            resolutionMinutes: document.resolutionMinutes, shape: document.shape.rawValue, size: file.size,
            modified: file.modified, sha256: sha256, errorCount: errors, warningCount: document.diagnostics.count - errors,
            indexedAt: indexedAt)
        try record.insert(db)
        guard let docId = record.docId else { return }

        for framework in document.compliance.frameworks {
            let control = try db.cachedStatement(sql: "INSERT INTO control (docId, framework, control, line) VALUES (?, ?, ?, ?)")
            for item in framework.controls {
                try control.execute(arguments: [docId, framework.name, item.value, item.position.line])
            }
            let value = try db.cachedStatement(sql: "INSERT INTO complianceValue (docId, framework, key, value, line) VALUES (?, ?, ?, ?, ?)")
            var values: [(String, String, Int)] = []
            if let item = framework.retentionPeriod { values.append(("retention-period", item.value.text, item.position.line)) }
            if let item = framework.reviewFrequency { values.append(("review-frequency", item.value.rawValue, item.position.line)) }
            if let item = framework.classification { values.append(("classification", item.value, item.position.line)) }
            if let item = framework.phiContains { values.append(("phi-contains", item.value, item.position.line)) }
            if let item = framework.evidenceType { values.append(("evidence-type", item.value, item.position.line)) }
            if let item = framework.encryptionRequired { values.append(("encryption-required", String(item.value), item.position.line)) }
            if let item = framework.accessAuditRequired { values.append(("access-audit-required", String(item.value), item.position.line)) }
            for (key, text, line) in values { try value.execute(arguments: [docId, framework.name, key, text, line]) }
        }
        let field = try db.cachedStatement(sql: "INSERT INTO field (docId, name, value, line, placement) VALUES (?, ?, ?, ?, ?)")
        for item in document.fields { try field.execute(arguments: [docId, item.name, item.value, item.line, item.placement]) }
        let section = try db.cachedStatement(sql: "INSERT INTO section (docId, level, heading, line) VALUES (?, ?, ?, ?)")
        for item in document.sections { try section.execute(arguments: [docId, item.level, item.heading, item.line]) }
        let event = try db.cachedStatement(sql: "INSERT INTO timelineEvent (docId, time, event, line) VALUES (?, ?, ?, ?)")
        for item in document.timeline { try event.execute(arguments: [docId, item.time, item.event, item.line]) }
        let pattern = try db.cachedStatement(sql: """
            INSERT INTO hotPattern (docId, title, keywords, symptom, rootCause, solution, related, hitCount, lastUsed, line)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for item in document.hotPatterns {
            try pattern.execute(arguments: [
                docId, item.title, item.keywords.joined(separator: ", "), item.symptom, item.rootCause, item.solution,
                item.related.joined(separator: ", "), item.hitCount, item.lastUsed, item.line,
            ])
        }
        let tag = try db.cachedStatement(sql: "INSERT INTO tag (docId, tag) VALUES (?, ?)")
        for item in document.tags { try tag.execute(arguments: [docId, item]) }
        let link = try db.cachedStatement(sql: "INSERT INTO link (docId, text, target, line, external) VALUES (?, ?, ?, ?, ?)")
        for item in document.links { try link.execute(arguments: [docId, item.text, item.target, item.line, item.external]) }
        let diagnostic = try db.cachedStatement(sql: "INSERT INTO diagnostic (docId, severity, line, \"column\", message) VALUES (?, ?, ?, ?, ?)")
        for item in document.diagnostics {
            try diagnostic.execute(arguments: [docId, item.severity.rawValue, item.line, item.column, item.message])
        }

        // Full-text: weighted columns, see the rank set in the schema.
        var keywords = document.hotPatterns.flatMap(\.keywords) + document.tags
        keywords += document.hotPatterns.map(\.title)
        var symptom = document.symptomText
        for item in document.hotPatterns where !item.symptom.isEmpty { symptom += "\n" + item.symptom }
        var body = document.bodyText
        if !document.rootCauseText.isEmpty && document.shape == .yamlRecord { body += "\n" + document.rootCauseText }
        body += "\n" + document.fields.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
        if let frontMatter = document.frontMatter, document.shape != .yamlRecord {
            body += "\n" + frontMatter.allText.joined(separator: " ")
        }
        let code = document.codeBlocks.map(\.text).joined(separator: "\n")
        let search = try db.cachedStatement(sql: """
            INSERT INTO documentSearch (rowid, risId, title, keywords, symptom, body, code) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        try search.execute(arguments: [docId, document.id, document.title, keywords.joined(separator: ", "), symptom, body, code])
    }
}
