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
                Rules and their reasons: docs/compliance.md. Text output: a summary by rule (findings, files), \
                then each finding as path:line:col: error|warning|info: [rule] message; on a terminal, findings \
                with the same rule and message in several files are grouped (--no-group lists each). JSON: the \
                findings, keys path, line, column, severity, rule, message. Exit 1 when an error (with --strict, \
                also a warning) is found that the baseline does not accept.
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
        @Option(name: .customLong("rule"), help: ArgumentHelp("Only this rule (repeatable).", valueName: "rule"))
        var rules: [String] = []
        @Option(name: .customLong("ignore"), help: ArgumentHelp("Not this rule (repeatable).", valueName: "rule"))
        var ignored: [String] = []
        @Option(
            help: ArgumentHelp(
                "Accept the findings of this baseline file: only new ones are shown and fail.", valueName: "file"),
            completion: .file())
        var baseline: String?
        @Option(
            help: ArgumentHelp(
                "Write every finding now to this baseline file (e.g. .ris/check-baseline.json) and exit 0.",
                valueName: "file"),
            completion: .file())
        var writeBaseline: String?
        @Flag(
            inversion: .prefixedNo,
            help: "Group findings with the same rule and message (default: on a terminal).")
        var group: Bool?
        @OptionGroup var output: FormatOptions
        @OptionGroup var knowledgeBase: KnowledgeBaseOptions
        @OptionGroup var pager: PagerOptions

        func validate() throws {
            for rule in rules + ignored where !ComplianceCheck.ruleNames.contains(rule) {
                let hint =
                    Spelling.nearest(rule, among: ComplianceCheck.ruleNames).map { " (did you mean \($0)?)" } ?? ""
                throw ValidationError(
                    "'\(rule)' is not a rule of ris check\(hint); the rules: docs/compliance.md")
            }
            if baseline != nil && writeBaseline != nil {
                throw ValidationError("--baseline and --write-baseline: one at a time")
            }
        }

        func run() throws {
            pager.start(for: output.format == .text)
            let session = try knowledgeBase.session()
            let request = CheckRequest(
                paths: paths, asOf: asOf ?? .today(), rules: Set(rules), ignoring: Set(ignored), baseline: baseline)
            if let writeBaseline {
                let count = try session.writeCheckBaseline(request, to: writeBaseline)
                Terminal.writeError(
                    "wrote \(Terminal.escaped(writeBaseline)): \(count) finding(s) accepted; `ris check --baseline "
                        + "\(Terminal.escaped(writeBaseline))` fails on new ones only")
                return
            }
            let report = try session.check(request, displayPath: session.base.display)
            for problem in report.problems { Terminal.report(problem.diagnostic, path: problem.path) }
            let findings = report.findings
            switch output.format {
            case .json: try printJSON(findings)
            case .text:
                let color = Terminal.colorOnStandardOutput
                func paint(_ severity: FindingSeverity) -> String {
                    let code = severity == .error ? "1;31" : severity == .warning ? "1;33" : "1;36"
                    return Terminal.paint(severity.rawValue, code, when: color)
                }
                if !findings.isEmpty { writeSummary(report.summary) }
                if group ?? Terminal.isTerminal(STDOUT_FILENO) {
                    for group in report.groups {
                        guard group.findings.count > 1 else {
                            writeFinding(group.findings[0], paint)
                            continue
                        }
                        // One action, said once, with every place it applies.
                        Terminal.writeStyled(
                            "\(paint(group.severity)): [\(group.rule)] \(Terminal.escaped(group.message)) "
                                + "(\(group.findings.count) places):")
                        // The first places, enough to act on one screen; the rest counted.
                        for finding in group.findings.prefix(Check.placesShown) {
                            Terminal.write("  \(Terminal.escaped(finding.path)):\(finding.line):\(finding.column)")
                        }
                        if group.findings.count > Check.placesShown {
                            Terminal.write(
                                "  ... and \(group.findings.count - Check.placesShown) more (--no-group or --format json "
                                    + "lists each)")
                        }
                    }
                } else {
                    for finding in findings { writeFinding(finding, paint) }
                }
                let errors = findings.filter { $0.severity == .error }.count
                let warnings = findings.filter { $0.severity == .warning }.count
                var tail = ""
                if baseline != nil {
                    tail = "; \(report.accepted) accepted by the baseline"
                    if report.staleBaselineEntries > 0 {
                        tail +=
                            " (\(report.staleBaselineEntries) of its entries no longer occur: --write-baseline "
                            + "to drop them)"
                    }
                }
                Terminal.writeError(
                    "\(report.filesChecked) files checked: \(errors) error(s), \(warnings) warning(s), "
                        + "\(findings.count - errors - warnings) note(s)\(tail)"
                )
            }
            if findings.contains(where: { $0.severity == .error || (strict && $0.severity == .warning) }) {
                throw ExitCode(1)
            }
        }

        /// Places listed under a group of identical findings.
        static let placesShown = 10

        /// `path:line:col: severity: [rule] message`, the form editors and CI read.
        private func writeFinding(_ finding: Finding, _ paint: (FindingSeverity) -> String) {
            // Paths and messages quote the files: escaped, on one line each.
            Terminal.writeStyled(
                "\(Terminal.escaped(finding.path)):\(finding.line):\(finding.column): \(paint(finding.severity)): "
                    + "[\(finding.rule)] \(Terminal.escaped(finding.message))")
        }

        /// The rules broken, errors first: the one screen a person reads before the details.
        private func writeSummary(_ summary: [RuleSummary]) {
            var table = TextTable(header: ["rule", "severity", "findings", "files"], rightAligned: [2, 3])
            table.rows = summary.map { [$0.rule, $0.severity.rawValue, String($0.findings), String($0.files)] }
            Terminal.writeStyled(table.rendered(color: false) + "\n")
        }
    }
}
