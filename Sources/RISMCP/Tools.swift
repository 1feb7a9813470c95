import Foundation
import MCP
import RISWorkflows

/// A record an agent is told of but not given: it requires encryption.
struct WithheldRecord: Encodable {
    var id: String
    var title: String
    var path: String
    var withheld = true
    var note =
        "withheld: this record requires encryption; coding agents get its ID and title only "
        + "(.ris/config.yaml: mcp: {allow-encryption-required: true} allows it)"
}

/// What an agent is given of one record: the item as the command line's JSON has it, or only
/// that it is withheld.
enum AgentView<Item: Encodable>: Encodable {
    case given(Item)
    case withheld(WithheldRecord)

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .given(let item): try item.encode(to: encoder)
        case .withheld(let record): try record.encode(to: encoder)
        }
    }
}

/// One listed record: a hit as `ris search --format json` gives it, or withheld.
typealias ListedRecord = AgentView<SearchHit>

extension AgentView where Item == SearchHit {
    var line: String {
        switch self {
        case .given(let hit):
            let snippet = hit.highlighted(open: "", close: "")
            return [hit.id, hit.date ?? "-", hit.severity ?? "-", hit.title].joined(separator: "  ") + "\n  "
                + hit.path + (snippet.isEmpty ? "" : "\n  " + snippet)
        case .withheld(let record): return "\(record.id)  \(record.title)  (withheld: requires encryption)"
        }
    }
}

/// The tools' calls: arguments in, one workflow, output out.
enum Tools {
    static func filters(_ arguments: ToolArguments) -> SearchFilters {
        var filters = SearchFilters()
        filters.severity = arguments.string("severity")
        filters.status = arguments.string("status")
        filters.project = arguments.string("project")
        filters.since = arguments.string("since")
        filters.until = arguments.string("until")
        return filters
    }

    static func listed(_ hits: [SearchHit], in session: KnowledgeBaseSession) throws -> [ListedRecord] {
        let withheld = try session.withheldFromAgents(among: hits.map(\.path))
        return hits.map { hit in
            withheld.contains(hit.path)
                ? .withheld(WithheldRecord(id: hit.id, title: hit.title, path: hit.path)) : .given(hit)
        }
    }

    struct Listing: Encodable {
        var results: [ListedRecord]
        var total: Int?
    }

    static func search(_ session: KnowledgeBaseSession, _ arguments: ToolArguments) throws -> ToolOutput {
        let found = try session.search(
            arguments.string("query") ?? "", filters: filters(arguments), limit: arguments.int("limit") ?? 10,
            counting: true)
        return try listing(try listed(found.items, in: session), total: found.total)
    }

    /// A list of records, and "(10 of 143)" after them when a limit cut it.
    static func listing(_ results: [ListedRecord], total: Int?) throws -> ToolOutput {
        let text =
            results.isEmpty
            ? "no record matches"
            : results.map(\.line).joined(separator: "\n") + (total.map { "\n(\(results.count) of \($0))" } ?? "")
        return try ToolOutput(Listing(results: results, total: total), text: text)
    }

    struct Matched: Encodable {
        var results: [AgentView<MatchResult>]
        var linesRead: Int
        var truncated: Bool
    }

    static func match(_ session: KnowledgeBaseSession, _ arguments: ToolArguments) throws -> ToolOutput {
        let report = try session.match(arguments.string("log") ?? "", limit: arguments.int("limit") ?? 5)
        let withheld = try session.withheldFromAgents(among: report.results.map(\.entry.path))
        var lines: [String] = []
        let entries = report.results.enumerated().map { offset, result -> AgentView<MatchResult> in
            let entry = result.entry
            if withheld.contains(entry.path) {
                lines.append("\(offset + 1). \(entry.id)  \(entry.title)  (withheld: requires encryption)")
                return .withheld(WithheldRecord(id: entry.id, title: entry.title, path: entry.path))
            }
            lines.append(
                "\(offset + 1). \(entry.kind.rawValue)  \(entry.id)  \(entry.title)  \(entry.path):\(entry.line)\n"
                    + "   fix: \(result.fix)")
            return .given(result)
        }
        return try ToolOutput(
            Matched(results: entries, linesRead: report.linesRead, truncated: report.truncated),
            text: lines.isEmpty ? "nothing known matches this log" : lines.joined(separator: "\n"))
    }

    struct Section: Encodable {
        var heading: String
        var level: Int
        var line: Int
        var text: String
    }

    struct Shown: Encodable {
        /// As `ris show --format json` writes it.
        var record: RISDocument
        var sections: [Section]
    }

    /// A record as an agent may have it, the one rule of `show` and of `resources/read`:
    /// withheld when the index says it requires encryption (then its content is not read at
    /// all), or when the file as read now says so (the index may be older than the file).
    enum AgentRecord {
        case given(entry: IndexedDocument, shown: ShownRecord)
        case withheld(WithheldRecord)
    }

    /// The record `reference` names, and whether the index says agents may not have it.
    static func indexed(_ session: KnowledgeBaseSession, _ reference: String) throws -> (
        entry: IndexedDocument, withheld: WithheldRecord?
    ) {
        let entry = try session.resolve(reference)
        let withheld = try session.withheldFromAgents(among: [entry.path]).contains(entry.path)
        return (entry, withheld ? WithheldRecord(id: entry.id, title: entry.title, path: entry.path) : nil)
    }

    static func agentRecord(_ session: KnowledgeBaseSession, _ reference: String) throws -> AgentRecord {
        let (entry, withheld) = try indexed(session, reference)
        if let withheld { return .withheld(withheld) }
        let shown = try session.show(entry)
        if session.isWithheldFromAgents(shown.document) {
            return .withheld(WithheldRecord(id: shown.document.id, title: shown.document.title, path: entry.path))
        }
        return .given(entry: entry, shown: shown)
    }

    static func show(_ session: KnowledgeBaseSession, _ arguments: ToolArguments) throws -> ToolOutput {
        let (entry, shown): (IndexedDocument, ShownRecord)
        switch try agentRecord(session, arguments.string("ref") ?? "") {
        case .withheld(let withheld): return try ToolOutput(withheld: withheld)
        case .given(let given, let read): (entry, shown) = (given, read)
        }
        let sections = shown.sections.map {
            Section(heading: $0.heading, level: $0.level, line: $0.line, text: $0.text.joined(separator: "\n"))
        }
        let text =
            "\(shown.document.id): \(shown.document.title)\n\(entry.path)\n\n"
            + sections.map { "\(String(repeating: "#", count: $0.level)) \($0.heading)\n\($0.text)" }
            .joined(separator: "\n\n")
        return try ToolOutput(Shown(record: shown.document, sections: sections), text: text)
    }

    static func similar(_ session: KnowledgeBaseSession, _ arguments: ToolArguments) throws -> ToolOutput {
        // What a withheld record shares with others is its content too: it is not compared.
        let (entry, withheld) = try indexed(session, arguments.string("ref") ?? "")
        if let withheld { return try ToolOutput(withheld: withheld) }
        let found = try session.similar(to: entry, limit: arguments.int("limit") ?? 5)
        let results = try listed(found.items, in: session)
        return try ToolOutput(
            Listing(results: results, total: nil),
            text: results.isEmpty ? "no record is like it" : results.map(\.line).joined(separator: "\n"))
    }

    static func list(_ session: KnowledgeBaseSession, _ arguments: ToolArguments) throws -> ToolOutput {
        let sort = arguments.string("sort").flatMap(ListSort.init(rawValue:)) ?? .date
        let found = try session.list(
            filters: filters(arguments), sort: sort, limit: arguments.int("limit") ?? 50, counting: true)
        // Titles and fields only, as `ris list`: nothing of the body, so nothing to withhold.
        return try listing(found.items.map { ListedRecord.given($0) }, total: found.total)
    }

    static func day(_ arguments: ToolArguments, _ key: String) throws -> CalendarDay {
        guard let text = arguments.string(key) else { return .today() }
        guard let day = CalendarDay(text) else { throw MCPError.invalidParams("'\(key)' must be a date YYYY-MM-DD") }
        return day
    }

    struct Checked: Encodable {
        var findings: [Finding]
        var filesChecked: Int
    }

    static func check(_ session: KnowledgeBaseSession, _ arguments: ToolArguments) throws -> ToolOutput {
        var paths: [String] = []
        if let reference = arguments.string("ref") {
            paths = [session.base.root.appendingPathComponent(try session.resolve(reference).path).path]
        }
        let report = try session.check(CheckRequest(paths: paths, asOf: try day(arguments, "as_of")))
        let root = session.base.root.standardizedFileURL.path + "/"
        // Paths relative to the knowledge base, as the other tools give them.
        var findings = report.findings.map { finding -> Finding in
            var relative = finding
            if relative.path.hasPrefix(root) { relative.path.removeFirst(root.count) }
            return relative
        }
        // A message may quote the record ("Sign-Off is still Pending ..."): a withheld record's
        // findings keep their rule and place only.
        let withheld = try session.withheldFromAgents(among: Array(Set(findings.map(\.path))))
        for index in findings.indices where withheld.contains(findings[index].path) {
            findings[index].message = "withheld: the record requires encryption (the rule and the place are given)"
        }
        let text =
            findings.isEmpty
            ? "no finding in \(report.filesChecked) file(s)" : findings.map(\.formatted).joined(separator: "\n")
        return try ToolOutput(Checked(findings: findings, filesChecked: report.filesChecked), text: text)
    }

    struct Hit: Encodable {
        var title: String
        var hitCount: Int
        var lastUsed: String
        var path: String
    }

    static func patternHit(_ session: KnowledgeBaseSession, _ arguments: ToolArguments) throws -> ToolOutput {
        let hit = try session.recordHit(on: arguments.string("pattern") ?? "", day: try day(arguments, "date"))
        return try ToolOutput(
            Hit(title: hit.pattern.title, hitCount: hit.hitCount, lastUsed: hit.lastUsed, path: hit.path),
            text: "\(hit.pattern.title): \(hit.hitCount) hits, last used \(hit.lastUsed)")
    }

    struct Added: Encodable {
        var id: String
        var path: String
        var similar: [ListedRecord]
        var diagnostics: [Diagnostic]
    }

    static func add(_ session: KnowledgeBaseSession, _ arguments: ToolArguments) throws -> ToolOutput {
        let date = try day(arguments, "date")
        var fields = NewRecord.Fields(title: arguments.string("title") ?? "", date: date.text)
        if let severity = arguments.string("severity") { fields.severity = severity }
        if let status = arguments.string("status") { fields.status = status }
        fields.category = arguments.string("category")
        fields.impact = arguments.string("impact")
        fields.symptom = arguments.string("symptom")
        fields.rootCause = arguments.string("root_cause")
        fields.resolution = arguments.string("resolution")
        let created = try session.createRecord(from: .fields(fields), today: .today())
        let similar = try listed(created.similar, in: session)
        let text =
            "\(created.record.id): \(created.record.path)"
            + (similar.isEmpty ? "" : "\nmay be the same incident:\n" + similar.map(\.line).joined(separator: "\n"))
        return try ToolOutput(
            Added(id: created.record.id, path: created.record.path, similar: similar, diagnostics: created.diagnostics),
            text: text)
    }
}
