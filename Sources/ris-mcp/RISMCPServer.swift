import ArgumentParser
import Foundation
import RISMCP
import RISWorkflows

/// The MCP server `ris mcp` runs (by exec, with the knowledge base it found): a program of its
/// own, so that the MCP SDK's networking libraries load only for it.
@main
struct RISMCPServer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ris-mcp", abstract: "The MCP server of `ris mcp` (run `ris mcp`, which starts it).")

    @Option(help: ArgumentHelp("The knowledge base's root folder.", valueName: "dir"))
    var kb: String
    @Flag(help: "Refuse the tools that write.")
    var readOnly = false
    @Flag(help: "Compare the files with the index on every call.")
    var noWatch = false

    func run() throws {
        let base: KnowledgeBase
        do {
            base = try KnowledgeBaseSession.locate(
                explicit: kb, from: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        } catch {
            FileHandle.standardError.write(Data("ris: error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let server = KnowledgeBaseServer(
            base: base, readOnly: readOnly, watch: !noWatch,
            diagnostics: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
        let done = DispatchSemaphore(value: 0)
        let failure = FailureBox()
        Task {
            do { try await server.run() } catch { failure.set("\(error)") }
            done.signal()
        }
        done.wait()
        if let message = failure.message {
            FileHandle.standardError.write(Data("ris: error: the MCP server stopped: \(message)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// What the server task ended with, read once it is done.
final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: String?
    func set(_ message: String) { lock.withLock { stored = message } }
    var message: String? { lock.withLock { stored } }
}
