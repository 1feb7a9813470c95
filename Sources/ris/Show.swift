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
                The file is read afresh (the markdown is the truth). JSON: the `ris parse` object plus
                `index` (sha256, size, modified, indexedAt). Exit 2 when REF names several records.
                """
        )

        @Argument(help: "An ID (RIS-045), a path, or a unique prefix of either.")
        var reference: String
        @OptionGroup var output: FormatOptions
        @OptionGroup var knowledgeBase: KnowledgeBaseOptions
        @OptionGroup var refresh: RefreshOptions

        func run() throws {
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
                FileHandle.standardOutput.write(out)
                FileHandle.standardOutput.write(Data("\n".utf8))
            case .text:
                Terminal.writeStyled(RecordPage.render(document, color: Terminal.colorOnStandardOutput))
            }
        }
    }
}

/// The readable page of one record. Every value comes from the file: each line is escaped
/// (one value or one line of text per line, so a line break in a value is shown as `\n`)
/// before ris adds its colours.
enum RecordPage {
    static func render(_ document: RISDocument, color: Bool) -> String {
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
        excerpt("Symptom", document.symptomText)
        excerpt("Root cause", document.rootCauseText)
        if !document.timeline.isEmpty {
            lines.append("")
            lines.append(heading("Timeline"))
            let width = document.timeline.map { Terminal.width($0.time) }.max() ?? 0
            for event in document.timeline {
                lines.append("  " + Terminal.padded(event.time, to: width) + "  " + Terminal.escaped(event.event))
            }
        }
        for pattern in document.hotPatterns {
            lines.append("")
            lines.append(heading("Hot pattern: \(pattern.title)") + " (line \(pattern.line))")
            if !pattern.keywords.isEmpty { line("  keywords:  " + pattern.keywords.joined(separator: ", ")) }
            if let count = pattern.hitCount {
                line("  hits:      \(count)" + (pattern.lastUsed.map { ", last used \($0)" } ?? ""))
            }
            if !pattern.solution.isEmpty {
                lines.append("  solution:")
                for text in textLines(pattern.solution).prefix(12) {
                    lines.append("    " + Terminal.escaped(text, .block))
                }
            }
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
        let footer = document.fields.filter { $0.placement == .footer }
        if !footer.isEmpty {
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
