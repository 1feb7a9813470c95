import Foundation
import MCP
import RISWorkflows

/// Each record as a resource (`ris://record/RIS-045`, its markdown as written), the
/// hot-patterns file (`ris://hot-patterns`), and the `diagnose` prompt.
extension ToolRunner {
    static let recordScheme = "ris://record/"
    static let hotPatternsURI = "ris://hot-patterns"

    func resources() throws -> [Resource] {
        let session = currentSession()
        let records = try session.list(sort: .id).items
        // An ID two records share names neither: those are named by their path.
        var counts: [String: Int] = [:]
        for record in records where !record.id.isEmpty { counts[record.id.lowercased(), default: 0] += 1 }
        let named = records.filter { $0.kind != .hotPattern }.map { record -> Resource in
            let unique = !record.id.isEmpty && counts[record.id.lowercased()] == 1
            let reference = unique ? record.id : record.path
            return Resource(
                name: unique ? record.id : record.path,
                uri: Self.recordScheme
                    + (reference.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? reference),
                title: record.title,
                description: [record.date, record.severity, record.status].compactMap { $0 }
                    .joined(separator: " "), mimeType: "text/markdown")
        }
        return [
            Resource(
                name: "hot-patterns", uri: Self.hotPatternsURI, title: "Hot patterns",
                description: "The known-error signatures with their fixes and hit counts", mimeType: "text/markdown")
        ] + named
    }

    func read(_ uri: String) throws -> [Resource.Content] {
        let session = currentSession()
        let reference: String
        if uri == Self.hotPatternsURI {
            reference = base.config.hotPatternsPath
        } else if uri.hasPrefix(Self.recordScheme) {
            let encoded = String(uri.dropFirst(Self.recordScheme.count))
            reference = encoded.removingPercentEncoding ?? encoded
        } else {
            throw MCPError.invalidParams("no resource '\(String(uri.prefix(200)))'; resources/list names them")
        }
        do {
            switch try Tools.agentRecord(session, reference) {
            case .withheld(let withheld):
                return [
                    .text(
                        "# \(withheld.id): \(withheld.title)\n\n\(withheld.note)\n", uri: uri, mimeType: "text/markdown"
                    )
                ]
            case .given(_, let shown):
                return [.text(shown.text, uri: uri, mimeType: "text/markdown")]
            }
        } catch let failure as WorkflowError {
            throw MCPError.invalidParams("\(failure)")
        }
    }

    static let diagnosePrompt = Prompt(
        name: "diagnose", title: "Diagnose an error from past incidents",
        description: "Match a log against the known errors, read the fix, and count the hit once it worked.",
        arguments: [.init(name: "log", description: "The error output or log, as pasted.", required: true)])

    static func diagnose(log: String) -> GetPrompt.Result {
        let steps = """
            An error occurred. Find out whether this team has seen it before, using the ris tools:

            1. Call `match` with the log below. Each result is a hot pattern or a past incident record, best first, \
            with its fix.
            2. For the best result, call `show` with its ID (or path) and read the Resolution and Prevention sections: \
            the fix that worked, and what to check.
            3. Apply the fix. If a record was withheld (it requires encryption), say so and ask a person to read it.
            4. Once the fix worked and the result was a hot pattern, call `pattern_hit` with its path:line from \
            `match`, so the team sees how often it recurs.
            5. If nothing matched, say so, fix the error, then offer to file it with `add` (title, severity).

            The log:

            ```
            \(log)
            ```
            """
        return GetPrompt.Result(
            description: "Diagnose an error from past incidents", messages: [.user(.text(text: steps))])
    }
}
