import ArgumentParser
import RISWorkflows

extension DocumentKind: ExpressibleByArgument {}

/// Filters shared by `search`, `list` and `similar`.
struct FilterOptions: ParsableArguments {
    @Option(help: "Only this severity (CRITICAL, HIGH, MEDIUM, LOW ...).")
    var severity: String?
    @Option(help: "Only this status (RESOLVED, OPEN ...).")
    var status: String?
    @Option(help: "Only this project.")
    var project: String?
    @Option(help: "Only this kind: ris, kb, hot-pattern or doc.")
    var kind: DocumentKind?
    @Option(help: "Only records with a block for this framework (hipaa, soc2, iso27001 ...).")
    var framework: String?
    @Option(help: "Only records citing this control ID (CC7.3, A.12.1.1, 164.312(a)(1) ...).")
    var control: String?
    @Option(help: ArgumentHelp("Only incidents on or after this date.", valueName: "YYYY-MM-DD"))
    var since: String?
    @Option(help: ArgumentHelp("Only incidents on or before this date.", valueName: "YYYY-MM-DD"))
    var until: String?
    @Option(name: .customLong("where"), help: ArgumentHelp(
        "Only records where a header field, or a compliance value (hipaa.retention-period), equals VALUE. Repeatable.",
        valueName: "key=value"))
    var conditions: [String] = []

    func validate() throws {
        for (name, value) in [("--since", since), ("--until", until)] {
            if let value, Day.parse(value) == nil {
                throw ValidationError("\(name) takes a date like 2026-01-31, not '\(value)'")
            }
        }
        for condition in conditions where !condition.contains("=") || condition.hasPrefix("=") {
            throw ValidationError("--where takes KEY=VALUE, not '\(condition)'")
        }
    }

    var filters: SearchFilters {
        var filters = SearchFilters()
        filters.severity = severity
        filters.status = status
        filters.project = project
        filters.kind = kind
        filters.framework = framework
        filters.control = control
        filters.since = since
        filters.until = until
        filters.conditions = conditions.map { condition in
            let parts = condition.split(separator: "=", maxSplits: 1).map(String.init)
            return (parts[0].trimmed(), parts.count > 1 ? parts[1].trimmed() : "")
        }
        return filters
    }
}
