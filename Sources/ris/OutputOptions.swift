import ArgumentParser

/// How a command prints what it found.
enum OutputFormat: String, StringChoice {
    case text
    case json
}

struct FormatOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: text for people, json for scripts and agents.")
    var format: OutputFormat = .text
}
