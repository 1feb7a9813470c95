import ArgumentParser
import Foundation
import RISMCP
import RISWorkflows

extension RIS {
    /// `ris mcp`: the knowledge base for coding agents, over the Model Context Protocol.
    struct MCP: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mcp",
            abstract: "Serve the knowledge base to coding agents over the Model Context Protocol (stdio).",
            discussion: """
                Register it with an MCP client as the command `ris mcp --kb /path/to/kb`. Tools: search, match, \
                show, similar, list, check, add, pattern_hit; resources: ris://record/ID (the markdown) and \
                ris://hot-patterns; prompt: diagnose. Reads of records that require an access audit are logged with the client's name; records \
                that require encryption are withheld (ID and title only) unless .ris/config.yaml says \
                `mcp: {allow-encryption-required: true}`. stdout carries only protocol messages; diagnostics go \
                to stderr. The server stops when stdin closes. See docs/mcp.md.
                """
        )

        @Flag(help: "Refuse the tools that write (add, pattern_hit).")
        var readOnly = false
        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        func run() throws {
            let server = KnowledgeBaseServer(
                base: try knowledgeBase.knowledgeBase(), readOnly: readOnly,
                diagnostics: { Terminal.writeError($0) })
            let done = DispatchSemaphore(value: 0)
            let failure = FailureBox()
            Task {
                do { try await server.run() } catch { failure.set("\(error)") }
                done.signal()
            }
            done.wait()
            if let message = failure.message { throw WorkflowError.failure("the MCP server stopped: \(message)") }
        }
    }

    /// What the server task ended with, read once it is done.
    final class FailureBox: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: String?
        func set(_ message: String) { lock.withLock { stored = message } }
        var message: String? { lock.withLock { stored } }
    }
}
