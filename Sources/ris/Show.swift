import ArgumentParser
import Foundation
import RISWorkflows

extension RIS {
    /// `ris show REF`: one record.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show one record: by ID, path, or a unique prefix of either.",
            discussion: """
                The file is read afresh (the markdown is the truth): the header, then every section in reading \
                order as written (the timeline and the hot pattern as read), compliance and tags. JSON: the `ris \
                parse` object plus `index` (sha256, size, modified, indexedAt). Exit 2 when REF names several \
                records, or --section names none.
                """
        )

        @Argument(help: "An ID (RIS-045), a path, or a unique prefix of either.")
        var reference: String
        @Option(
            help: ArgumentHelp(
                "Only the sections whose heading holds this text (with their subsections), e.g. resolution.",
                valueName: "name"))
        var section: String?
        @OptionGroup var output: FormatOptions
        @OptionGroup var knowledgeBase: KnowledgeBaseOptions
        @OptionGroup var refresh: RefreshOptions
        @OptionGroup var pager: PagerOptions

        func run() throws {
            pager.start(for: output.format == .text)
            let shown = try knowledgeBase.session().show(reference, refresh: !refresh.noRefresh)
            let (entry, document) = (shown.entry, shown.document)
            switch output.format {
            case .json:
                let data = try RISDocument.jsonData([document])
                guard var object = (try JSONSerialization.jsonObject(with: data) as? [[String: Any]])?.first else {
                    return
                }
                object["index"] =
                    [
                        "sha256": entry.sha256, "size": entry.size, "modified": Double(entry.modified) / 1e9,
                        "indexedAt": entry.indexedAt,
                    ] as [String: Any]
                let out = try JSONSerialization.data(
                    withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                Terminal.writeOutput(out)
                Terminal.writeOutput(Data(utf8Of: "\n"))
            case .text:
                if let section {
                    let chosen = RecordPage.sections(shown.sections, matching: section)
                    guard !chosen.isEmpty else {
                        throw WorkflowError.usage(
                            "\(document.id) has no section '\(section)'; its sections: "
                                + shown.sections.map(\.heading).joined(separator: ", "))
                    }
                    Terminal.writeStyled(
                        RecordPage.renderSections(chosen, color: Terminal.colorOnStandardOutput).joined(separator: "\n")
                    )
                } else {
                    Terminal.writeStyled(
                        RecordPage.render(document, sections: shown.sections, color: Terminal.colorOnStandardOutput))
                }
            }
        }
    }
}

/// The readable page of one record. Every value comes from the file: each line is escaped
/// (one value or one line of text per line, so a line break in a value is shown as `\n`)
/// before ris adds its colours.
enum RecordPage {
    /// The sections whose heading holds `name`, each with the subsections under it.
    static func sections(_ sections: [RecordSection], matching name: String) -> [RecordSection] {
        var chosen: [RecordSection] = []
        var within: Int?
        for section in sections {
            if let level = within, section.level > level {
                chosen.append(section)
                continue
            }
            within = nil
            if section.heading.lowercased().contains(name.lowercased()) {
                chosen.append(section)
                within = section.level
            }
        }
        return chosen
    }

    /// Sections as written: the heading in bold, its lines indented by its depth.
    static func renderSections(_ sections: [RecordSection], color: Bool) -> [String] {
        var lines: [String] = []
        for section in sections {
            let indent = String(repeating: "  ", count: max(0, section.level - 2))
            if !lines.isEmpty { lines.append("") }
            lines.append(indent + Terminal.paint(Terminal.escaped(section.heading), "1", when: color))
            for text in section.text {
                lines.append(text.isEmpty ? "" : indent + "  " + Terminal.escaped(text, .block))
            }
        }
        return lines
    }

    static func render(_ document: RISDocument, sections: [RecordSection] = [], color: Bool) -> String {
        var lines: [String] = []
        func line(_ text: String) { lines.append(Terminal.escaped(text)) }
        func heading(_ text: String) -> String { Terminal.paint(Terminal.escaped(text), "1", when: color) }
        /// The lines of a block of text, split where a terminal would break them (a lone CR too).
        func textLines(_ text: String) -> [String] { text.split(whereSeparator: \.isNewline).map(String.init) }
        lines.append(heading("\(document.id): \(document.title)"))
        lines.append(Terminal.paint(Terminal.escaped(document.path), "2", when: color))
        let header = document.fields.filter { $0.placement != .footer }
        if !header.isEmpty {
            lines.append("")
            let width = min(24, header.map { Terminal.width($0.name) }.max() ?? 0)
            for field in header {
                lines.append(
                    "  " + Terminal.padded(field.name + ":", to: width + 1) + " " + Terminal.escaped(field.value))
            }
        }
        func excerpt(_ title: String, _ text: String) {
            let body = textLines(text).map { $0.trimmed() }.filter { !$0.isEmpty }.prefix(8)
            guard !body.isEmpty else { return }
            lines.append("")
            lines.append(heading(title))
            for text in body { lines.append("  " + Terminal.escaped(text, .block)) }
        }
        func timeline() -> [String] {
            let width = document.timeline.map { Terminal.width($0.time) }.max() ?? 0
            return document.timeline.map {
                "  " + Terminal.padded($0.time, to: width) + "  " + Terminal.escaped($0.event)
            }
        }
        func hotPatterns() -> [String] {
            var out: [String] = []
            for pattern in document.hotPatterns {
                if !out.isEmpty { out.append("") }
                out.append(heading("Hot pattern: \(pattern.title)") + " (line \(pattern.line))")
                if !pattern.keywords.isEmpty {
                    out.append(Terminal.escaped("  keywords:  " + pattern.keywords.joined(separator: ", ")))
                }
                if let count = pattern.hitCount {
                    out.append(
                        Terminal.escaped("  hits:      \(count)" + (pattern.lastUsed.map { ", last used \($0)" } ?? ""))
                    )
                }
                if !pattern.solution.isEmpty {
                    out.append("  solution:")
                    for text in textLines(pattern.solution).prefix(12) {
                        out.append("    " + Terminal.escaped(text, .block))
                    }
                }
            }
            return out
        }
        // A markdown record: every section in reading order, as written (the resolution and
        // the prevention, the fix, are why one looks a past incident up); the timeline's and
        // the hot pattern's sections as read (a table of events, the pattern's hits). A YAML
        // record has no sections: its symptom, root cause, timeline and hot pattern as read.
        var shownTimeline = false
        var shownPatterns = false
        for section in sections {
            let name = section.heading.lowercased()
            let indent = String(repeating: "  ", count: max(0, section.level - 2))
            lines.append("")
            if name.contains("timeline"), !document.timeline.isEmpty, !shownTimeline {
                lines.append(indent + heading(section.heading))
                lines += timeline().map { indent + $0 }
                shownTimeline = true
            } else if name.contains("hot pattern"), !document.hotPatterns.isEmpty, !shownPatterns {
                lines.append(indent + heading(section.heading))
                lines += hotPatterns().map { indent + "  " + $0 }
                shownPatterns = true
            } else {
                lines += renderSections([section], color: color)
            }
        }
        if sections.isEmpty { excerpt("Symptom", document.symptomText) }
        if sections.isEmpty { excerpt("Root cause", document.rootCauseText) }
        if !shownTimeline, !document.timeline.isEmpty {
            lines.append("")
            lines.append(heading("Timeline"))
            lines += timeline()
        }
        if !shownPatterns, !document.hotPatterns.isEmpty {
            lines.append("")
            lines += hotPatterns()
        }
        if !document.compliance.frameworks.isEmpty || !document.compliance.attributes.isEmpty {
            lines.append("")
            lines.append(heading("Compliance"))
            for framework in document.compliance.frameworks {
                line("  \(framework.name): " + DocumentText.summary(of: framework))
            }
            if !document.compliance.attributes.isEmpty {
                line("  attributes: " + DocumentText.attributes(of: document.compliance))
            }
        }
        // The footer's fields are the last section's lines when there are sections.
        let footer = document.fields.filter { $0.placement == .footer }
        if sections.isEmpty, !footer.isEmpty {
            lines.append("")
            for field in footer { line("  \(field.name): \(field.value)") }
        }
        if !document.tags.isEmpty {
            lines.append("")
            line("tags: " + document.tags.joined(separator: ", "))
        }
        if !document.diagnostics.isEmpty {
            lines.append("")
            line("\(DocumentText.problems(of: document)): run `ris parse \(document.path)`")
        }
        return lines.joined(separator: "\n")
    }
}
