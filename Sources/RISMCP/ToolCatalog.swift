import Foundation
import MCP
import RISWorkflows

/// Every tool of `ris mcp`: its schema, the arguments it takes, and the one workflow it calls.
enum ToolCatalog {
    /// The type of an argument, as its JSON schema says and as it is checked.
    enum Kind: Sendable {
        case text(maximumBytes: Int)
        case integer(ClosedRange<Int>)
        case boolean
        case choice([String])

        var schema: Value {
            switch self {
            case .text(let maximum): return .object(["type": "string", "maxLength": .int(maximum)])
            case .integer(let range):
                return .object([
                    "type": "integer", "minimum": .int(range.lowerBound), "maximum": .int(range.upperBound),
                ])
            case .boolean: return .object(["type": "boolean"])
            case .choice(let values): return .object(["type": "string", "enum": .array(values.map { .string($0) })])
            }
        }

        func check(_ value: Value, named key: String) throws {
            switch self {
            case .text(let maximum):
                guard let text = value.stringValue else { throw MCPError.invalidParams("'\(key)' must be a string") }
                guard text.utf8.count <= maximum else {
                    throw MCPError.invalidParams("'\(key)' is longer than \(maximum) bytes")
                }
            case .integer(let range):
                let number = value.intValue ?? value.doubleValue.flatMap { $0 == $0.rounded() ? Int(exactly: $0) : nil }
                guard let number else { throw MCPError.invalidParams("'\(key)' must be an integer") }
                guard range.contains(number) else {
                    throw MCPError.invalidParams("'\(key)' must be from \(range.lowerBound) to \(range.upperBound)")
                }
            case .boolean:
                guard value.boolValue != nil else { throw MCPError.invalidParams("'\(key)' must be true or false") }
            case .choice(let values):
                guard let text = value.stringValue, values.contains(text) else {
                    throw MCPError.invalidParams("'\(key)' must be one of " + values.joined(separator: ", "))
                }
            }
        }
    }

    struct Entry: Sendable {
        var name: String
        var description: String
        var parameters: [String: Kind]
        var descriptions: [String: String]
        var required: [String]
        var writes: Bool
        var run: @Sendable (KnowledgeBaseSession, ToolArguments) throws -> ToolOutput

        var tool: Tool {
            var properties: [String: Value] = [:]
            for (key, kind) in parameters {
                guard case .object(var schema) = kind.schema else { continue }
                schema["description"] = .string(descriptions[key] ?? "")
                properties[key] = .object(schema)
            }
            return Tool(
                name: name, description: description,
                inputSchema: .object([
                    "type": "object", "properties": .object(properties),
                    "required": .array(required.map { .string($0) }),
                    "additionalProperties": false,
                ]),
                annotations: .init(readOnlyHint: !writes, destructiveHint: false, idempotentHint: !writes))
        }
    }

    static let query = Kind.text(maximumBytes: ToolRunner.maximumTextBytes)
    static let filters: [String: Kind] = [
        "severity": query, "status": query, "project": query, "since": query, "until": query,
    ]
    static let filterDescriptions = [
        "severity": "Only this severity (critical, high, medium, low).",
        "status": "Only this status (resolved, open...).",
        "project": "Only this project.", "since": "Only incidents on or after this date (YYYY-MM-DD).",
        "until": "Only incidents on or before this date (YYYY-MM-DD).",
    ]

    static let all: [Entry] = [
        Entry(
            name: "search",
            description: "Find past incidents by words, phrases, IDs and error text (full-text, best first).",
            parameters: filters.merging(["query": query, "limit": .integer(1...100)]) { $1 },
            descriptions: filterDescriptions.merging([
                "query": "Words (AND-ed), \"quoted phrases\", a OR b, -word, word*, title:word.",
                "limit": "How many results at most (default 10).",
            ]) { $1 },
            required: ["query"], writes: false, run: Tools.search),
        Entry(
            name: "match",
            description:
                "Turn a pasted error log into the known fix: the hot patterns and records whose error signature it "
                + "holds, best first, each with its fix.",
            parameters: ["log": .text(maximumBytes: ToolRunner.maximumLogBytes), "limit": .integer(1...20)],
            descriptions: ["log": "The log or error output, as pasted.", "limit": "How many at most (default 5)."],
            required: ["log"], writes: false, run: Tools.match),
        Entry(
            name: "show",
            description:
                "One record, read afresh from its file: fields, every section in reading order (the resolution is "
                + "the fix), timeline, hot pattern, compliance.",
            parameters: ["ref": query], descriptions: ["ref": "An ID (RIS-045), a path, or a unique prefix of either."],
            required: ["ref"], writes: false, run: Tools.show),
        Entry(
            name: "similar",
            description: "The records most like one record (shared error signature, keywords, code), best first.",
            parameters: ["ref": query, "limit": .integer(1...50)],
            descriptions: [
                "ref": "An ID, a path, or a unique prefix of either.", "limit": "How many at most (default 5).",
            ],
            required: ["ref"], writes: false, run: Tools.similar),
        Entry(
            name: "list",
            description: "Records by their fields (no full-text), newest first unless sorted otherwise.",
            parameters: filters.merging([
                "sort": .choice(["date", "id", "severity", "title"]), "limit": .integer(1...500),
            ]) {
                $1
            },
            descriptions: filterDescriptions.merging([
                "sort": "date (newest first), id, severity (most severe first) or title.",
                "limit": "How many at most (default 50).",
            ]) { $1 },
            required: [], writes: false, run: Tools.list),
        Entry(
            name: "check",
            description:
                "Compliance findings (retention, review schedule, control IDs, dates, sign-off) of one record, or of "
                + "the whole knowledge base.",
            parameters: ["ref": query, "as_of": query],
            descriptions: [
                "ref": "One record (an ID, a path or a prefix); without it, every record.",
                "as_of": "The day dates are judged on (YYYY-MM-DD; default today).",
            ],
            required: [], writes: false, run: Tools.check),
        Entry(
            name: "pattern_hit",
            description:
                "Count one use of a hot pattern after applying its fix: its Hit Count goes up by one and Last Used "
                + "becomes the date; only those two lines of the file change. The pattern must be named without "
                + "ambiguity.",
            parameters: ["pattern": query, "date": query],
            descriptions: [
                "pattern": "A unique part of the pattern's title, its slug, a related ID, or path:line from match.",
                "date": "The day of the hit (YYYY-MM-DD; default today).",
            ],
            required: ["pattern"], writes: true, run: Tools.patternHit),
        Entry(
            name: "add",
            description:
                "File a new incident record from the knowledge base's template, with the next ID (allocated under the "
                + "same lock as `ris add`). Returns its ID and path, and records that may be the same incident.",
            parameters: [
                "title": query, "severity": query, "status": query,
                "date": query, "category": query, "impact": query, "symptom": .text(maximumBytes: 100_000),
                "root_cause": .text(maximumBytes: 100_000), "resolution": .text(maximumBytes: 100_000),
            ],
            descriptions: [
                "title": "What happened, in a line.",
                "severity": "CRITICAL, HIGH, MEDIUM, LOW or INFO (default MEDIUM).",
                "status": "Default OPEN.", "date": "The incident's date (YYYY-MM-DD; default today).",
                "category": "A category (deployment, database...).", "impact": "Who or what was affected.",
                "symptom": "What was seen: the error as it appeared (markdown).",
                "root_cause": "Why it happened (markdown).", "resolution": "What fixed it (markdown).",
            ],
            required: ["title"], writes: true, run: Tools.add),
    ]
}
