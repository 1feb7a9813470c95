import Foundation
import FrontMatter
import Mustache

/// A knowledge-base article derived from a record: the record's parts, placed by a template.
/// The same record gives the same bytes (no clock is read).
public enum KBArticle {
    /// The built-in `kb.mustache`. Variables are listed in docs/templates.md.
    public static let builtInTemplate = """
        ---
        {{{frontMatter}}}---

        # {{{title}}}

        > Derived from [{{{id}}}]({{{recordLink}}}). Edit the record, then regenerate this article.

        ## Problem

        {{{summary}}}

        ## Symptom

        {{{symptom}}}

        ## Root Cause

        {{{rootCause}}}

        ## Fix

        {{{fix}}}

        ## Verification

        {{{verify}}}

        ## Prevention

        {{{prevention}}}

        ## Lessons Learned

        {{{lessons}}}

        ## Related

        - [{{{id}}}: {{{title}}}]({{{recordLink}}})

        """

    /// The markdown source under the first section whose heading contains one of `words`
    /// (case-insensitive), up to the next heading of the same or a higher level.
    public static func sectionSource(_ words: [String], in document: RISDocument, lines: [Substring]) -> String {
        guard
            let index = document.sections.firstIndex(where: { section in
                section.level > 1 && words.contains { section.heading.lowercased().includes($0) }
            })
        else { return "" }
        let section = document.sections[index]
        let end = document.sections[(index + 1)...].first { $0.level <= section.level }?.line ?? (lines.count + 1)
        let body = lines[min(section.line, lines.count)..<min(end - 1, lines.count)]
        // Rules between sections are layout, not content.
        var text = body.map(String.init).joined(separator: "\n").trimmed()
        while text.hasSuffix("---") { text = String(text.dropLast(3)).trimmed() }
        return text
    }

    /// A relative path from the folder of `from` to `to` (both relative to the root).
    public static func relativePath(from: String, to: String) -> String {
        let fromParts = from.split(separator: "/").dropLast()
        let toParts = to.split(separator: "/")
        var common = 0
        while common < fromParts.count && common < toParts.count - 1
            && fromParts[fromParts.startIndex + common] == toParts[common]
        { common += 1 }
        let ups = Array(repeating: "..", count: fromParts.count - common)
        return (ups + toParts[common...].map(String.init)).joined(separator: "/")
    }

    /// The article's default path: `<kb>/<area>/kb-<slug>.md`, the area from the record's category.
    public static func defaultPath(for document: RISDocument, config: KnowledgeBaseConfig) -> String {
        let area = HotPatternFile.slug(
            document.field("Category") ?? document.frontMatter?["category"]?.scalarText ?? "general")
        let slug = String(HotPatternFile.slug(document.title).prefix(60)).trimmingCharacters(
            in: CharacterSet(charactersIn: "-"))
        let folder = config.kb.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        return (folder.isEmpty ? "" : folder + "/") + "\(area.isEmpty ? "general" : area)/kb-\(slug).md"
    }

    /// The article's text for `document` (read from `text`, whose SHA-256 is `sha256`).
    public static func render(
        document: RISDocument, text: String, sha256: String, articlePath: String,
        template: String?
    ) throws -> String {
        let lines = TextLines(text).lines
        let recordLink = relativePath(from: articlePath, to: document.path)
        // Front matter: the record's compliance block, provenance, and the record's own dates.
        var pairs: [(String, YAMLNode)] = [("title", YAMLEmitter.string(document.title))]
        if let project = document.project { pairs.append(("project", YAMLEmitter.string(project))) }
        if let compliance = document.frontMatter?["compliance"] { pairs.append(("compliance", compliance)) }
        let day =
            (document.compliance.updated ?? document.compliance.created).flatMap { FieldValue.day(in: $0.value) }
            ?? document.date ?? "1970-01-01"
        pairs.append(("created", YAMLEmitter.string(day)))
        pairs.append(("updated", YAMLEmitter.string(day)))
        pairs.append(("version", YAMLEmitter.string("1.0")))
        pairs.append(
            (
                "derived-from",
                YAMLEmitter.mapping([
                    ("id", YAMLEmitter.string(document.id)), ("path", YAMLEmitter.string(document.path)),
                    ("sha256", YAMLEmitter.string(sha256)),
                ])
            ))
        func or(_ text: String, _ fallback: String) -> String { text.isEmpty ? fallback : text }
        let context: [String: Any] = [
            "title": document.title, "id": document.id, "recordLink": recordLink, "recordPath": document.path,
            "frontMatter": YAMLEmitter.emit(YAMLEmitter.mapping(pairs)),
            "summary": or(
                sectionSource(["summary"], in: document, lines: lines),
                document.field("Impact") ?? "_Not written in the record._"),
            "symptom": or(sectionSource(["symptom"], in: document, lines: lines), document.symptomText),
            "rootCause": or(sectionSource(["root cause"], in: document, lines: lines), document.rootCauseText),
            "fix": or(
                sectionSource(["successful solution", "solution", "resolution", "fix"], in: document, lines: lines),
                "_Not written in the record._"),
            "verify": or(sectionSource(["verif"], in: document, lines: lines), "_See the fix: run its checks again._"),
            "prevention": or(sectionSource(["prevention"], in: document, lines: lines), "_Not written in the record._"),
            "lessons": or(sectionSource(["lessons"], in: document, lines: lines), "_Not written in the record._"),
            "date": document.date ?? "",
        ]
        do {
            return try MustacheTemplate(string: template ?? builtInTemplate).render(context)
        } catch {
            throw RISKitError(.invalidRecord, "the template does not parse: \(error)")
        }
    }
}
