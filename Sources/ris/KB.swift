import ArgumentParser
import Foundation
import FrontMatter
import RISKit
import RISStore

extension RIS {
    /// `ris kb`: knowledge-base articles derived from records.
    struct KB: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "kb",
            abstract: "Knowledge-base articles derived from records.",
            subcommands: [Generate.self]
        )

        struct Generate: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Write a KB article from a record (template kb.mustache).",
                discussion: """
                    Default path: <kb folder>/<area>/kb-<slug>.md, the area from the record's Category. The article
                    carries the record's compliance front matter and derived-from: {id, path, sha256}; the same
                    record gives identical bytes. An existing file is kept unless --force. JSON keys: path, id, written.
                    """
            )
            @Argument(help: "The record: an ID, a path, or a unique prefix of either.")
            var reference: String
            @Option(help: ArgumentHelp("Where to write, relative to the knowledge base's root.", valueName: "path"))
            var output: String?
            @Flag(help: "Replace an existing article.")
            var force = false
            @Flag(help: "Print the article; write nothing.")
            var dryRun = false
            @OptionGroup var format: FormatOptions
            @OptionGroup var knowledgeBase: KnowledgeBaseOptions

            func run() throws {
                let base = try knowledgeBase.knowledgeBase()
                let store = try openIndex(base, refresh: true)
                let entry = try resolveReference(reference, in: store)
                let (document, read) = base.record(at: entry.path)
                guard let data = read else {
                    throw CLIFailure(message: "cannot read \(entry.path): \(document.diagnostics.first?.message ?? "")", code: 1)
                }
                if requiresAudit(document) {
                    try recordAccess(base, action: "read:kb-generate", documents: [(entry.path, document.id, ContentDigest.sha256(data))])
                }
                // An article carries its record's compliance block; a block that could not be read
                // whole cannot be carried, and the copy would not be audited.
                if !document.metadataReadable {
                    throw CLIFailure(message: "\(entry.path): its compliance block could not be read whole (run `ris parse \(entry.path)`); fix it before deriving an article (nothing written)", code: 1)
                }
                let path = output.map { $0.hasPrefix("./") ? String($0.dropFirst(2)) : $0 } ?? KBArticle.defaultPath(for: document, config: base.config)
                let template = try confined { try base.template(named: "kb.mustache") }
                let text: String
                do {
                    text = try KBArticle.render(document: document, text: SourceText(data: data).text, sha256: ContentDigest.sha256(data),
                                                articlePath: path, template: template)
                } catch {
                    throw CLIFailure(message: "\(error)", code: 1)
                }
                if dryRun {
                    Terminal.write(text)
                    Terminal.writeError("ris: would write \(path) (dry run: nothing written)")
                    return
                }
                try confined {
                    if !force && base.files.exists(path) { throw CLIFailure(message: "\(path) exists; give --force to replace it", code: 1) }
                    try base.files.write(path, Data(text.utf8), createOnly: !force)
                }
                _ = try? store.refresh()
                switch format.format {
                case .json: try printJSON(["path": path, "id": document.id])
                case .text: Terminal.write("wrote \(base.display(path))")
                }
            }
        }
    }

    /// `ris stale`: derived articles whose record changed.
    struct Stale: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List derived articles whose source record changed (or is gone) since they were made.",
            discussion: "JSON keys: path, source, reason (changed or missing). Exit 0 when none is stale, 1 when one is."
        )
        @OptionGroup var output: FormatOptions
        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        func run() throws {
            let base = try knowledgeBase.knowledgeBase()
            let (files, _) = FileScanner.scan(root: base.root, config: base.config)
            struct Entry: Encodable {
                var path: String
                var source: String
                var reason: String
            }
            var stale: [Entry] = []
            for file in files {
                guard let (data, _) = try? base.files.read(file.path, limit: base.config.maxFileBytes) else { continue }
                let front = FrontMatterDocument(source: SourceText(data: data), pathExtension: (file.path as NSString).pathExtension)
                guard let derived = front.root?["derived-from"], let source = derived["path"]?.scalarText else { continue }
                let recorded = derived["sha256"]?.scalarText ?? ""
                // Read the confined way: `derived-from: {path: ../../etc/hostname}` names no file of ours.
                guard let (current, _) = (try? base.files.read(source, limit: base.config.maxFileBytes)) ?? nil else {
                    stale.append(Entry(path: file.path, source: source, reason: "missing"))
                    continue
                }
                if ContentDigest.sha256(current) != recorded { stale.append(Entry(path: file.path, source: source, reason: "changed")) }
            }
            switch output.format {
            case .json: try printJSON(stale)
            case .text:
                if stale.isEmpty { Terminal.write("no derived article is stale") }
                for entry in stale {
                    let (path, source) = (Terminal.escaped(entry.path, .inline), Terminal.escaped(entry.source, .inline))
                    Terminal.write("\(path): \(source) \(entry.reason == "missing" ? "is gone" : "changed"); regenerate with `ris kb generate \(source) --output \(path) --force`")
                }
            }
            if !stale.isEmpty { throw ExitCode(1) }
        }
    }
}
