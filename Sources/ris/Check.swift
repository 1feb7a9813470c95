import ArgumentParser
import Foundation
import RISWorkflows

extension RIS {
    /// `ris check`: the compliance rules.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Check retention, review frequency, control IDs, dates and sign-off of the records.",
            discussion: """
                Rules and their reasons: docs/compliance.md. Output: path:line:col: error|warning|info: [rule] message.
                JSON keys: path, line, column, severity, rule, message. Exit 1 when an error (with --strict, also a
                warning) is found.
                """
        )

        @Argument(help: "Files or folders to check (default: the whole knowledge base).", completion: .file())
        var paths: [String] = []
        @Option(
            help: ArgumentHelp("Judge dates as of this day (default: today).", valueName: "YYYY-MM-DD"),
            transform: CalendarDay.argument)
        var asOf: CalendarDay?
        @Flag(help: "Fail on warnings too.")
        var strict = false
        @OptionGroup var output: FormatOptions
        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        func validate() throws {
        }

        func run() throws {
            let session = try knowledgeBase.session()
            let report = session.check(paths, asOf: asOf ?? .today(), displayPath: session.base.display)
            for problem in report.problems { Terminal.report(problem.diagnostic, path: problem.path) }
            let findings = report.findings
            switch output.format {
            case .json: try printJSON(findings)
            case .text:
                let color = Terminal.colorOnStandardOutput
                for finding in findings {
                    let code = finding.severity == .error ? "1;31" : finding.severity == .warning ? "1;33" : "1;36"
                    // Paths and messages quote the files: escaped, on one line each.
                    Terminal.writeStyled(
                        "\(Terminal.escaped(finding.path)):\(finding.line):\(finding.column): "
                            + Terminal.paint(finding.severity.rawValue, code, when: color)
                            + ": [\(finding.rule)] \(Terminal.escaped(finding.message))")
                }
                let errors = findings.filter { $0.severity == .error }.count
                let warnings = findings.filter { $0.severity == .warning }.count
                Terminal.writeError(
                    "\(report.filesChecked) files checked: \(errors) error(s), \(warnings) warning(s), "
                        + "\(findings.count - errors - warnings) note(s)"
                )
            }
            if findings.contains(where: { $0.severity == .error || (strict && $0.severity == .warning) }) {
                throw ExitCode(1)
            }
        }
    }
}
