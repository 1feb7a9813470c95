import ArgumentParser
import Foundation
import RISWorkflows

extension RIS {
    /// `ris mcp`: the knowledge base for coding agents, over the Model Context Protocol.
    struct MCP: ParsableCommand, LongRunningCommand {
        static let configuration = CommandConfiguration(
            commandName: "mcp",
            abstract: "Serve the knowledge base to coding agents over the Model Context Protocol (stdio).",
            discussion: """
                Register it with an MCP client as the command `ris mcp --kb /path/to/kb`. Tools: search, match, \
                show, similar, list, check, add, pattern_hit; resources: ris://record/ID (the markdown) and \
                ris://hot-patterns; prompt: diagnose. Reads of records that require an access audit are logged \
                with the client's name; records that require encryption are withheld (ID and title only) unless \
                .ris/config.yaml says `mcp: {allow-encryption-required: true}`. stdout carries only protocol \
                messages; diagnostics go to stderr. The server stops when stdin closes. It is the program ris-mcp, \
                installed next to ris. See docs/mcp.md.
                """
        )

        @Flag(help: "Refuse the tools that write (add, pattern_hit).")
        var readOnly = false
        @Flag(
            help: """
                Compare the files with the index on every call, instead of when a folder reports a change \
                (for a knowledge base on a network file system, whose changes inotify does not see).
                """)
        var noWatch = false
        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        /// Finds the knowledge base (its problems said here, as for every command), then becomes
        /// the server: `ris-mcp` from the folder of this executable, by exec, so the client's
        /// process is the server's and its stdin and stdout are the protocol's.
        func run() throws {
            let base = try knowledgeBase.knowledgeBase()
            let folder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            let server = folder.appendingPathComponent("ris-mcp").path
            let arguments =
                [server, "--kb", base.root.path] + (readOnly ? ["--read-only"] : []) + (noWatch ? ["--no-watch"] : [])
            var argv = arguments.map { strdup($0) } + [nil]
            execv(server, &argv)
            let reason = String(cString: strerror(errno))
            for pointer in argv { free(pointer) }
            throw WorkflowError.failure(
                "cannot run the MCP server \(server): \(reason) (make install puts ris-mcp next to ris)")
        }
    }
}
