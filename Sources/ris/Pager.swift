import ArgumentParser
import Foundation
import RISWorkflows

/// `--no-pager`, on every command whose text output can be long.
struct PagerOptions: ParsableArguments {
    @Flag(name: .long, help: "Print straight to the terminal, without a pager.")
    var noPager = false

    /// Collects stdout for the pager when a person reads `textOutput` on a terminal.
    func start(for textOutput: Bool) {
        if textOutput && !noPager { Pager.start() }
    }
}

/// Long text output on a terminal goes through a pager, as git does: `$RIS_PAGER`, else
/// `$PAGER`, else `less -FRX` (`LESS=FRX` when unset: quit when it fits, keep colours, leave
/// the text on the screen). Output shorter than the screen, pipes and `--no-pager` print
/// straight; an empty pager or `cat` means none.
enum Pager {
    /// The pager's shell command, or nil for none.
    static func command(environment: [String: String]) -> String? {
        let command = (environment["RIS_PAGER"] ?? environment["PAGER"] ?? "less -FRX")
            .trimmingCharacters(in: .whitespaces)
        return command.isEmpty || command == "cat" ? nil : command
    }

    /// Starts holding stdout (`Terminal.writeOutput`) when stdout is a terminal and a pager
    /// is set.
    static func start() {
        guard Terminal.isTerminal(STDOUT_FILENO), command(environment: ProcessInfo.processInfo.environment) != nil
        else { return }
        Terminal.heldOutput.withLock { $0 = $0 ?? Data() }
    }

    /// The rows `output` takes on a terminal `columns` wide, counted up to `limit` (one screen
    /// is all the decision needs, not 20,000 lines): a line longer than the width wraps onto
    /// more (colours take no column).
    static func screenRows(of output: Data, columns: Int, upTo limit: Int) -> Int {
        var rows = 0
        for line in output.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast() {
            var text = String(decoding: line, as: UTF8.self)
            if line.contains(0x1B) {
                text = text.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
            }
            rows += max(1, (DisplayWidth.of(text) + max(1, columns) - 1) / max(1, columns))
            if rows >= limit { break }
        }
        return rows
    }

    /// Shows what was held: through the pager when it is taller than the screen, else
    /// straight. Called once the command is done, whether it succeeded or not.
    static func finish() {
        guard
            let output = Terminal.heldOutput.withLock({ held -> Data? in
                defer { held = nil }
                return held
            }), !output.isEmpty
        else { return }
        let environment = ProcessInfo.processInfo.environment
        // A terminal that says no size is never known to be too small.
        guard let size = TerminalSize.of(STDOUT_FILENO),
            screenRows(of: output, columns: size.columns, upTo: size.rows) >= size.rows,
            let command = command(environment: environment)
        else {
            FileHandle.standardOutput.write(output)
            return
        }
        var pagerEnvironment = environment
        if pagerEnvironment["LESS"] == nil { pagerEnvironment["LESS"] = "FRX" }
        if pagerEnvironment["LV"] == nil { pagerEnvironment["LV"] = "-c" }
        // Ctrl-C is the pager's (less stops a search with it): `.inherited` leaves it to it.
        let shown = ChildProcess.run(
            ["/bin/sh", "-c", command], environment: pagerEnvironment, input: output, streams: .inherited)
        // A pager that cannot be run loses nothing: the text is printed as it is.
        if shown.status == 127 {
            Terminal.writeError("ris: warning: the pager '\(command)' could not be run; set RIS_PAGER or PAGER")
            FileHandle.standardOutput.write(output)
        }
    }
}
