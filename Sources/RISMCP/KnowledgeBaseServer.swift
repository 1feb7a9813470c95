import Foundation
import MCP
import RISWorkflows

/// `ris mcp`: the knowledge base served to coding agents over the Model Context Protocol, on
/// stdin and stdout. Every tool is one workflow call of `KnowledgeBaseSession`, the same the
/// command line makes (no second implementation), under the same access policy: reads of
/// audited records are logged with the client's name, records that require encryption are
/// withheld (ID and title only) unless the configuration allows them, and `readOnly` refuses
/// the tools that write.
public final class KnowledgeBaseServer: Sendable {
    let tools: ToolRunner

    /// A server over `base`; `diagnostics` receives what must not go to stdout (stdout carries
    /// only protocol messages). `watch`: the files are compared with the index only when a
    /// folder reports a change (inotify), not on every call.
    public init(
        base: KnowledgeBase, readOnly: Bool, watch: Bool = true, diagnostics: @escaping @Sendable (String) -> Void
    ) {
        tools = ToolRunner(base: base, readOnly: readOnly, watch: watch, diagnostics: diagnostics)
    }

    /// Serves until stdin closes.
    public func run() async throws {
        let server = Server(
            name: "ris", version: RISVersion.current, title: "ris: incident-resolution knowledge base",
            instructions: """
                Past incidents of this team, with their fixes. When an error appears, call `match` with the log \
                (or `search` with its words), read the record with `show`, and after applying a hot pattern's fix \
                call `pattern_hit`. File a new incident with `add`.
                """,
            capabilities: .init(
                prompts: .init(listChanged: false), resources: .init(subscribe: false, listChanged: false),
                tools: .init(listChanged: false)))
        let tools = self.tools
        await server.withMethodHandler(ListTools.self) { _ in
            ListTools.Result(tools: await tools.definitions())
        }
        await server.withMethodHandler(CallTool.self) { params in
            try await tools.call(params.name, params.arguments ?? [:])
        }
        await server.withMethodHandler(ListResources.self) { _ in
            ListResources.Result(resources: try await tools.resources(), nextCursor: nil)
        }
        await server.withMethodHandler(ReadResource.self) { params in
            ReadResource.Result(contents: try await tools.read(params.uri))
        }
        await server.withMethodHandler(ListPrompts.self) { _ in
            ListPrompts.Result(prompts: [ToolRunner.diagnosePrompt], nextCursor: nil)
        }
        await server.withMethodHandler(GetPrompt.self) { params in
            guard params.name == ToolRunner.diagnosePrompt.name else {
                throw MCPError.invalidParams("no prompt '\(String(params.name.prefix(100)))'; prompts/list names them")
            }
            let log = params.arguments?["log"] ?? ""
            guard log.utf8.count <= ToolRunner.maximumLogBytes else {
                throw MCPError.invalidParams("'log' is longer than \(ToolRunner.maximumLogBytes) bytes")
            }
            return ToolRunner.diagnose(log: log)
        }
        try await server.start(transport: LineTransport()) { client, _ in
            await tools.connect(client: "\(client.name) \(client.version)")
        }
        await server.waitUntilCompleted()
        await server.stop()
    }
}
