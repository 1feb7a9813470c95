import ArgumentParser
import RISWorkflows

// Dates and quarters are checked as they are parsed: `--date 2026-02-30` is a usage error
// (exit 2) naming the option and the form it takes, before any command runs.
extension CalendarDay {
    static func argument(_ text: String) throws -> CalendarDay {
        guard let day = CalendarDay(text) else { throw ValidationError("takes a date like 2026-01-31") }
        return day
    }
}

extension Quarter {
    static func argument(_ text: String) throws -> Quarter {
        guard let quarter = Quarter(text) else { throw ValidationError("a quarter is written like 2026-Q1") }
        return quarter
    }
}

// Also usable as option types directly (ArgumentParser's generic message); the options above
// parse through `argument(_:)` for the message that names the form.
extension CalendarDay: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension Quarter: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

/// An option whose values are the cases of a string enum (`--format`, `--kind`, `--sort`).
/// What swift-argument-parser derives for such a type at run time, through a key path it
/// instantiates and casts it asks the Swift runtime about (1.0 million instructions of a
/// rare-word search, ~3%), is given here directly; the help, the completions and the errors are
/// the same.
public protocol StringChoice: ExpressibleByArgument, CaseIterable, RawRepresentable where RawValue == String {}

extension StringChoice {
    public static var allValueStrings: [String] { allCases.map { $0.rawValue } }
    public static var allValueDescriptions: [String: String] { [:] }
    public static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
    public var defaultValueDescription: String { rawValue }
}
