import ArgumentParser
import Foundation
import RISWorkflows

extension RIS {
    /// `ris edit REF`: the record in the editor, then what ris reads of it.
    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Open a record in your editor, then check what ris reads of it.",
            discussion: """
                The editor is $VISUAL, else $EDITOR, else vi (on a terminal). Once it closes, the file is read \
                again: its problems are printed as path:line:col: severity: message, and the index is brought up \
                to date. JSON keys: path, changed, errors, warnings, diagnostics (line, column, severity, code, \
                message). Exit 0 when the record has no error, 1 when it has one (or the editor failed), 2 when \
                REF names several records.
                """
        )

        @Argument(help: "An ID (RIS-045), a path, or a unique prefix of either.")
        var reference: String
        @OptionGroup var output: FormatOptions
        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        func run() throws {
            let command = try editorCommand()
            let session = try knowledgeBase.session()
            let edited = try session.edit(reference) { file in
                let status = Editor.open(file, with: command)
                if status == 127 {
                    throw WorkflowError.failure("the editor '\(command)' could not be run; set VISUAL or EDITOR")
                }
                if status != 0 {
                    throw WorkflowError.failure(
                        "the editor '\(command)' exited with status \(status); the file is as it left it")
                }
            }
            let path = session.base.display(edited.path)
            let diagnostics = edited.document.diagnostics
            let count = { (severity: Diagnostic.Severity) in diagnostics.filter { $0.severity == severity }.count }
            switch output.format {
            case .json:
                try printJSON(
                    EditReport(
                        path: edited.path, changed: edited.changed, errors: count(.error), warnings: count(.warning),
                        diagnostics: diagnostics))
            case .text:
                for diagnostic in diagnostics { Terminal.report(diagnostic, path: path) }
                let problems =
                    diagnostics.isEmpty
                    ? "reads without a problem"
                    : "\(count(.error)) error(s), \(count(.warning)) warning(s)"
                Terminal.writeError(
                    "\(Terminal.escaped(path)): \(edited.changed ? "changed" : "unchanged"); \(problems)")
            }
            if edited.document.hasErrors { throw ExitCode(1) }
        }

        /// $VISUAL, else $EDITOR, else vi when a person is at a terminal to use it.
        func editorCommand() throws -> String {
            if let command = Editor.configured { return command }
            guard Terminal.isTerminal(STDIN_FILENO) else {
                throw WorkflowError.usage("no editor: set VISUAL or EDITOR (vi is used only on a terminal)")
            }
            return "vi"
        }
    }

    /// `ris edit --format json`.
    struct EditReport: Encodable {
        var path: String
        var changed: Bool
        var errors: Int
        var warnings: Int
        var diagnostics: [Diagnostic]
    }
}
