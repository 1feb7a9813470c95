import ArgumentParser
import RISWorkflows

/// Usage errors swift-argument-parser does not make on its own: an unknown subcommand (or
/// `ris help` of one) said with the nearest name, and an unknown option among a search's
/// free words, which would otherwise be searched for.
enum UsageChecks {
    /// The error for `arguments` (after `ris`) naming a subcommand that does not exist, nil
    /// when they name one.
    static func subcommandProblem(_ arguments: [String]) -> String? {
        var command: any ParsableCommand.Type = RIS.self
        var path = ["ris"]
        var rest = arguments[...]
        if rest.first == "help" { rest = rest.dropFirst() }
        while let word = rest.first, !word.hasPrefix("-") {
            let subcommands = command.configuration.subcommands
            // A command without subcommands, or with a default one, takes the word itself.
            guard !subcommands.isEmpty, command.configuration.defaultSubcommand == nil else { return nil }
            if let next = subcommands.first(where: { $0.configuration.commandName == word }) {
                command = next
                path.append(word)
                rest = rest.dropFirst()
                continue
            }
            let names = subcommands.compactMap { $0.configuration.commandName }
            let hint = Spelling.nearest(word, among: names).map { " Did you mean '\($0)'?" } ?? ""
            return "Error: Unknown subcommand '\(word)' of '\(path.joined(separator: " "))'.\(hint)\n"
                + "Usage: \(path.joined(separator: " ")) <subcommand>\n"
                + "  See '\(path.joined(separator: " ")) --help' for more information."
        }
        return nil
    }

    /// The options a command takes (`--limit`, `-h`), read from its help.
    static func optionNames(of command: any ParsableCommand.Type) -> [String] {
        let help = command.helpMessage(columns: 10_000)
        var names: Set<String> = ["--help", "-h"]
        for token in help.split(whereSeparator: { " ,/[]<>()=|\n".contains($0) }) where token.hasPrefix("-") {
            let name = token.drop { $0 == "-" }
            if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) {
                names.insert(String(token))
            }
        }
        return names.sorted()
    }

    /// The first word before `--` that is a slip for one of `command`'s options (`--sevrity`
    /// for `--severity`), said with that option. Other words keep their meaning in a query: a
    /// single dash excludes a word (`-docker`), and a double-dash word near no option is text
    /// to find (`--oci-mediatypes=false`, pasted from a log).
    static func unknownOption(in words: [String], of command: any ParsableCommand.Type) -> String? {
        // The options are read from the help only when a word could be one (a search is fast).
        var options: [String]?
        for word in words {
            if word == "--" { break }
            guard word.hasPrefix("--"), word.count > 2 else { continue }
            let known = options ?? optionNames(of: command).filter { $0.hasPrefix("--") }
            options = known
            let name = String(word.prefix { $0 != "=" })
            guard !known.contains(name), let nearest = Spelling.nearest(name, among: known) else { continue }
            return "Unknown option '\(name)'. Did you mean '\(nearest)'? To search for it, put it after '--': "
                + "ris search -- \(word)"
        }
        return nil
    }
}
