import Foundation
import RISWorkflows

/// The person's editor, for `ris edit` and `ris add --edit`.
enum Editor {
    /// `$VISUAL`, else `$EDITOR` (the first set and not empty); nil when neither is.
    static var configured: String? {
        let environment = ProcessInfo.processInfo.environment
        return [environment["VISUAL"], environment["EDITOR"]].compactMap { $0?.trimmingCharacters(in: .whitespaces) }
            .first { !$0.isEmpty }
    }

    /// Runs the shell command `command` on `file`, with the terminal, and waits for it to
    /// close. The path is an argument, never part of the shell's text. Returns the exit
    /// status (127 when it could not be run). Ctrl-C is the editor's
    /// (`ChildProcess.Streams.inherited`): ris waits for it, then reads what it saved.
    static func open(_ file: URL, with command: String) -> Int32 {
        ChildProcess.run(["/bin/sh", "-c", command + " \"$1\"", "ris-editor", file.path], streams: .inherited).status
    }
}
