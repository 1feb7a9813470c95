import Foundation
import MCP
import RISWorkflows

/// The tools, one call at a time: requests arrive concurrently, the knowledge base session is
/// used by one call after the other (the same order a person's commands would have).
actor ToolRunner {
    let base: KnowledgeBase
    let readOnly: Bool
    let watch: Bool
    let diagnostics: @Sendable (String) -> Void
    private var session: KnowledgeBaseSession?
    private var client = "unknown client"

    /// The longest text a tool takes (a pasted log may be long; a query is not).
    static let maximumLogBytes = 1_000_000
    static let maximumTextBytes = 10_000

    init(base: KnowledgeBase, readOnly: Bool, watch: Bool, diagnostics: @escaping @Sendable (String) -> Void) {
        self.base = base
        self.readOnly = readOnly
        self.watch = watch
        self.diagnostics = diagnostics
    }

    /// The client's name and version (MCP `initialize`), written in every audit event.
    func connect(client: String) {
        self.client = String(client.prefix(200))
        session = nil
    }

    /// One session per client: the index stays open between calls.
    func currentSession() -> KnowledgeBaseSession {
        if let session { return session }
        let report = diagnostics
        let reporter = KnowledgeBaseSession.Reporter(
            notice: { report("ris: notice: \($0)") },
            diagnostic: {
                let diagnostic = $0.diagnostic
                report(
                    "\($0.path):\(diagnostic.line):\(diagnostic.column): \(diagnostic.severity.rawValue): "
                        + diagnostic.message)
            })
        let made = KnowledgeBaseSession(base: base, reporter: reporter, via: "mcp client \(client)")
        if watch && !made.watchFolders() {
            diagnostics("ris: notice: the folders cannot be watched (inotify); every call compares the files")
        }
        session = made
        return made
    }

    func definitions() -> [Tool] {
        ToolCatalog.all.filter { !readOnly || !$0.writes }.map(\.tool)
    }

    /// Runs tool `name`. Unknown tools and arguments of the wrong type or size are protocol
    /// errors (`invalidParams`); a workflow that fails (no such record, an ambiguous pattern)
    /// is a tool result with `isError`, so the model reads why.
    func call(_ name: String, _ values: [String: Value]) throws -> CallTool.Result {
        guard let entry = ToolCatalog.all.first(where: { $0.tool.name == name }) else {
            throw MCPError.invalidParams("no tool '\(String(name.prefix(100)))'; tools/list names them")
        }
        if entry.writes && readOnly {
            throw MCPError.invalidParams("'\(name)' writes, and this server is read-only (ris mcp --read-only)")
        }
        let arguments = try ToolArguments(values, of: entry)
        do {
            let output = try entry.run(currentSession(), arguments)
            return try CallTool.Result(
                content: [.text(text: output.text, annotations: nil, _meta: nil)], structuredContent: output.value,
                isError: false)
        } catch let failure as WorkflowError {
            return CallTool.Result(
                content: [.text(text: "\(failure)", annotations: nil, _meta: nil)], isError: true)
        }
    }
}

/// What a tool returns: structured content for programs, and a short text for models.
struct ToolOutput {
    var value: Value
    var text: String

    /// A record the agent may not have: its ID, title and the note.
    init(withheld: WithheldRecord) throws {
        try self.init(withheld, text: "\(withheld.id)  \(withheld.title)\n\(withheld.note)")
    }

    init(_ encodable: some Encodable, text: String) throws {
        value = try ValueEncoder.value(of: encodable)
        self.text = text
    }
}

/// A tool's arguments, checked against its schema before the tool runs.
struct ToolArguments {
    let values: [String: Value]

    init(_ values: [String: Value], of entry: ToolCatalog.Entry) throws {
        for (key, value) in values {
            guard let kind = entry.parameters[key] else {
                throw MCPError.invalidParams(
                    "\(entry.tool.name) takes no argument '\(String(key.prefix(100)))'; it takes "
                        + entry.parameters.keys.sorted().joined(separator: ", "))
            }
            try kind.check(value, named: key)
        }
        for key in entry.required where values[key] == nil {
            throw MCPError.invalidParams("\(entry.tool.name) needs '\(key)'")
        }
        self.values = values
    }

    func string(_ key: String) -> String? { values[key]?.stringValue }
    func int(_ key: String) -> Int? { values[key]?.intValue ?? values[key]?.doubleValue.map { Int($0) } }
    func bool(_ key: String) -> Bool? { values[key]?.boolValue }
}
