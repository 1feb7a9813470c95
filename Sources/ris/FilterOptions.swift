import ArgumentParser
import RISWorkflows

extension DocumentKind: StringChoice {}

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
    @Option(
        help: ArgumentHelp("Only incidents on or after this date.", valueName: "YYYY-MM-DD"),
        transform: CalendarDay.argument)
    var since: CalendarDay?
    @Option(
        help: ArgumentHelp("Only incidents on or before this date.", valueName: "YYYY-MM-DD"),
        transform: CalendarDay.argument)
    var until: CalendarDay?
    @Option(
        name: .customLong("where"),
        help: ArgumentHelp(
            "Only records where a header field, or a compliance value (hipaa.retention-period), equals VALUE. "
                + "Repeatable.",
            valueName: "key=value"))
    var conditions: [String] = []

    func validate() throws {
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
        filters.since = since?.text
        filters.until = until?.text
        filters.conditions = conditions.map { condition in
            let parts = condition.split(separator: "=", maxSplits: 1).map(String.init)
            return (parts[0].trimmed(), parts.count > 1 ? parts[1].trimmed() : "")
        }
        return filters
    }
}
