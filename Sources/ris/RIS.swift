import ArgumentParser
import Foundation
import RISWorkflows

/// `ris`: incident-resolution knowledge bases for regulated engineering teams.
@main
struct RIS: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ris",
        abstract: "Find, write and keep incident-resolution records (RIS) for regulated engineering teams.",
        discussion: """
            A knowledge base is a folder of markdown and YAML records with compliance front matter.
            Exit codes: 0 success, 1 a file had an error (or nothing was found), 2 bad usage.
            """,
        version: RISVersion.current,
        subcommands: [
            Init.self, Index.self, Search.self, Match.self, Show.self, List.self, Similar.self, Add.self, Edit.self,
            KB.self, Stale.self, Stats.self,
            Pattern.self, Check.self, Review.self, Audit.self, Parse.self, MCP.self,
        ]
    )

    /// Usage errors exit 2 (ArgumentParser's default is 64), as the docs promise.
    static func main() {
        if let problem = UsageChecks.subcommandProblem(Array(CommandLine.arguments.dropFirst())) {
            Terminal.writeError(problem)
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot()
            // One command and exit: its database queues are kept, and closed when it is done,
            // not released (see DatabaseLifetime); a server keeps releasing them.
            if !(command is any LongRunningCommand) { DatabaseLifetime.keepQueuesUntilExit() }
            try command.run()
            finish()
        } catch let failure as WorkflowError {
            finish()
            // The library decides the status of each failure: 2 for usage, 1 otherwise.
            Terminal.writeError("ris: error: \(failure)")
            Foundation.exit(failure.exitStatus)
        } catch {
            finish()
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            if error is ExitCode || code != .failure { exit(withError: error) }
            // Anything else is a failure of the run: said the way every other error is.
            Terminal.writeError("ris: error: \(error)")
            Foundation.exit(1)
        }
    }

    /// The command is done: the kept database queues closed (the index's log checkpointed,
    /// before a pager waits on the reader), then the pager's output flushed.
    static func finish() {
        DatabaseLifetime.closeKeptQueues()
        Pager.finish()
    }
}

/// A command that serves until stopped (`ris mcp`): its database queues are released as usual.
protocol LongRunningCommand {}
