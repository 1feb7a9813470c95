import Foundation
import FrontMatter
import RISKit
import RISStore

/// A KB article derived from a record.
public struct GeneratedArticle: Sendable {
    /// Relative to the root.
    public var path: String
    public var id: String
    public var text: String
    /// False for a dry run.
    public var written: Bool
}

/// A derived article whose source record changed or is gone.
public struct StaleArticle: Sendable, Encodable {
    public enum Reason: String, Sendable, Encodable {
        case changed, missing
    }

    public var path: String
    public var source: String
    public var reason: Reason
}

extension KnowledgeBaseSession {
    /// Writes a KB article from the record `reference` names, with the template `kb.mustache`
    /// (default path `<kb>/<area>/kb-<slug>.md`). The article carries the record's compliance
    /// block: a record whose block could not be read whole is refused, since the copy would
    /// lose its marks. An existing file is kept unless `force`.
    public func generateArticle(
        from reference: String, output: String? = nil, force: Bool = false, dryRun: Bool = false
    ) throws -> GeneratedArticle {
        let entry = try resolve(reference)
        let (document, read) = base.record(at: entry.path)
        guard let data = read else {
            throw WorkflowError.failure("cannot read \(entry.path): \(document.diagnostics.first?.message ?? "")")
        }
        try access.log(.generateArticle, document, path: entry.path, data: data)
        if !document.metadataReadable {
            throw WorkflowError.failure(
                "\(entry.path): its compliance block could not be read whole (run `ris parse \(entry.path)`); fix "
                    + "it before deriving an article (nothing written)"
            )
        }
        let path =
            output.map { $0.hasPrefix("./") ? String($0.dropFirst(2)) : $0 }
            ?? KBArticle.defaultPath(for: document, config: base.config)
        let template = try WorkflowError.mapping { try base.template(named: "kb.mustache") }
        let text: String
        do {
            text = try KBArticle.render(
                document: document, text: SourceText(data: data).text, sha256: ContentDigest.sha256(data),
                articlePath: path, template: template)
        } catch {
            throw WorkflowError.failure("\(error)")
        }
        guard !dryRun else { return GeneratedArticle(path: path, id: document.id, text: text, written: false) }
        try WorkflowError.mapping {
            if !force && base.files.exists(path) {
                throw WorkflowError.failure("\(path) exists; give --force to replace it")
            }
            try base.files.write(path, Data(text.utf8), createOnly: !force)
        }
        refreshAfterWrite()
        return GeneratedArticle(path: path, id: document.id, text: text, written: true)
    }

    /// The derived articles (front matter `derived-from`) whose source record changed since
    /// they were made (its SHA-256 differs) or is gone.
    public func staleArticles() -> [StaleArticle] {
        let (files, _) = FileScanner.scan(root: base.root, config: base.config)
        var stale: [StaleArticle] = []
        for file in files {
            guard let (data, _) = try? base.files.read(file.path, limit: base.config.maxFileBytes) else { continue }
            let front = FrontMatterDocument(
                source: SourceText(data: data), pathExtension: (file.path as NSString).pathExtension)
            guard let derived = front.root?["derived-from"], let source = derived["path"]?.scalarText else { continue }
            let recorded = derived["sha256"]?.scalarText ?? ""
            // Read the confined way: `derived-from: {path: ../../etc/hostname}` names no file of ours.
            guard let (current, _) = (try? base.files.read(source, limit: base.config.maxFileBytes)) ?? nil else {
                stale.append(StaleArticle(path: file.path, source: source, reason: .missing))
                continue
            }
            if ContentDigest.sha256(current) != recorded {
                stale.append(StaleArticle(path: file.path, source: source, reason: .changed))
            }
        }
        return stale
    }
}
