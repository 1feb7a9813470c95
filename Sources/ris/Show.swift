import ArgumentParser
import Foundation
import FrontMatter
import RISKit
import RISStore

/// Resolves a reference for `show` and `similar`, or fails with the candidates.
func resolveReference(_ reference: String, in store: IndexStore) throws -> IndexedDocument {
    switch try store.resolve(reference) {
    case .found(let document):
        return document
    case .notFound:
        throw CLIFailure(message: "no record matches '\(reference)' (an ID, a path, or a unique prefix of either)", code: 1)
    case .ambiguous(let candidates):
        let list = candidates.prefix(20).map { "  \($0.id)  \($0.path)  \($0.title)" }.joined(separator: "\n")
        throw CLIFailure(message: "'\(reference)' names \(candidates.count) records; give the path:\n\(list)", code: 2)
    }
}

extension RIS {
    /// `ris show REF`: one record.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
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
            let base = try knowledgeBase.knowledgeBase()
            let store = try openIndex(base, refresh: !refresh.noRefresh)
            let entry = try resolveReference(reference, in: store)
            let url = base.root.appendingPathComponent(entry.path)
            let data = DocumentParser.contents(atPath: url.path) ?? Data()
            let document = data.isEmpty ? DocumentParser.parse(fileAt: url.path, displayPath: entry.path, options: base.config.parseOptions) : DocumentParser.parse(data: data, path: entry.path, options: base.config.parseOptions)
            if requiresAudit(document) {
                try recordAccess(base, action: "read:show", documents: [(entry.path, document.id, ContentDigest.sha256(data))])
            }
            switch output.format {
            case .json:
                let data = try RISDocument.jsonData([document])
                guard var object = (try JSONSerialization.jsonObject(with: data) as? [[String: Any]])?.first else { return }
                object["index"] = [
                    "sha256": entry.sha256, "size": entry.size, "modified": Double(entry.modified) / 1e9, "indexedAt": entry.indexedAt,
                ] as [String: Any]
                let out = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                FileHandle.standardOutput.write(out)
                FileHandle.standardOutput.write(Data("\n".utf8))
            case .text:
                Terminal.write(RecordPage.render(document, color: Terminal.colorOnStandardOutput))
            }
        }
    }
}

/// The readable page of one record.
enum RecordPage {
    static func render(_ document: RISDocument, color: Bool) -> String {
        func heading(_ text: String) -> String { Terminal.paint(text, "1", when: color) }
        var lines: [String] = []
        lines.append(heading("\(document.id): \(document.title)"))
        lines.append(Terminal.paint(document.path, "2", when: color))
        let header = document.fields.filter { $0.placement != "footer" }
        if !header.isEmpty {
            lines.append("")
            let width = min(24, header.map(\.name.count).max() ?? 0)
            for field in header { lines.append("  " + (field.name + ":").padding(toLength: width + 1, withPad: " ", startingAt: 0) + " " + field.value) }
        }
        func excerpt(_ title: String, _ text: String) {
            let body = text.split(separator: "\n").map { $0.trimmed() }.filter { !$0.isEmpty }.prefix(8)
            guard !body.isEmpty else { return }
            lines.append("")
            lines.append(heading(title))
            for line in body { lines.append("  " + line) }
        }
        excerpt("Symptom", document.symptomText)
        excerpt("Root cause", document.rootCauseText)
        if !document.timeline.isEmpty {
            lines.append("")
            lines.append(heading("Timeline"))
            let width = document.timeline.map(\.time.count).max() ?? 0
            for event in document.timeline { lines.append("  " + event.time.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + event.event) }
        }
        for pattern in document.hotPatterns {
            lines.append("")
            lines.append(heading("Hot pattern: \(pattern.title)") + " (line \(pattern.line))")
            if !pattern.keywords.isEmpty { lines.append("  keywords:  " + pattern.keywords.joined(separator: ", ")) }
            if let count = pattern.hitCount { lines.append("  hits:      \(count)" + (pattern.lastUsed.map { ", last used \($0)" } ?? "")) }
            if !pattern.solution.isEmpty {
                lines.append("  solution:")
                for line in pattern.solution.split(separator: "\n").prefix(12) { lines.append("    " + line) }
            }
        }
        if !document.compliance.frameworks.isEmpty || !document.compliance.attributes.isEmpty {
            lines.append("")
            lines.append(heading("Compliance"))
            for framework in document.compliance.frameworks {
                lines.append("  \(framework.name): " + DocumentText.summary(of: framework))
            }
            if !document.compliance.attributes.isEmpty {
                lines.append("  attributes: " + DocumentText.attributes(of: document.compliance))
            }
        }
        let footer = document.fields.filter { $0.placement == "footer" }
        if !footer.isEmpty {
            lines.append("")
            for field in footer { lines.append("  \(field.name): \(field.value)") }
        }
        if !document.tags.isEmpty { lines.append(""); lines.append("tags: " + document.tags.joined(separator: ", ")) }
        if !document.diagnostics.isEmpty {
            lines.append("")
            lines.append("\(DocumentText.problems(of: document)): run `ris parse \(document.path)`")
        }
        return lines.joined(separator: "\n")
    }
}
