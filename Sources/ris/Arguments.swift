import ArgumentParser
import RISWorkflows

// Dates and quarters are checked as they are parsed: `--date 2026-02-30` is a usage error
// (exit 2) naming the option, before any command runs.
extension CalendarDay: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension Quarter: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
