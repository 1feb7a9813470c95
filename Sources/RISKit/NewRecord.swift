import Foundation
import FrontMatter
import Mustache

/// A new RIS record: its ID, file name and text, from the configuration and a template.
public struct NewRecord: Sendable {
    public var id: String
    public var title: String
    /// Relative to the knowledge base's root.
    public var path: String
    public var text: String

    public init(id: String, title: String, path: String, text: String) {
        self.id = id
        self.title = title
        self.path = path
        self.text = text
    }

    /// What the author gives.
    public struct Fields: Sendable {
        public var title: String
        public var severity: String = "MEDIUM"
        public var status: String = "OPEN"
        public var date: String
        public var category: String?
        public var impact: String?
        /// What was seen (the error, as it appeared); its first line is also the summary's problem.
        public var symptom: String?
        /// Why it happened.
        public var rootCause: String?
        /// What fixed it.
        public var resolution: String?

        public init(title: String, date: String) {
            self.title = title
            self.date = date
        }
    }

    public static let severities = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"]

    /// The number of an ID of `prefix`: `RIS-045` and `RIS-RESOLUTION-045-x` give 45.
    public static func number(in identifier: String, prefix: String) -> Int? {
        let upper = identifier.uppercased()
        guard upper.hasPrefix(prefix.uppercased() + "-") else { return nil }
        for segment in upper.dropFirst(prefix.count + 1).split(separator: "-") {
            if segment.allSatisfy(\.isNumber) { return Int(segment) ?? Int.max }
            if !segment.allSatisfy({ $0.isLetter }) { return nil }
        }
        return nil
    }

    /// Numbers past this are not a team's record count but a name made to break the counter
    /// (`RIS-9223372036854775807-x.md`): they are passed over.
    public static let largestNumber = 999_999_999_999

    /// Whether a number in an ID is a date rather than a record's number: `20260109`
    /// (YYYYMMDD) or `202601` (YYYYMM), years 1990 to 2100. Teams name files
    /// `RIS-RESOLUTION-20260109-...`; counting that as record 20,260,109 would make the next ID
    /// `RIS-20260110`.
    public static func isDateLike(_ number: Int) -> Bool {
        func month(_ value: Int) -> Bool { (1...12).contains(value) }
        if (19_900_101...21_001_231).contains(number) {
            return month(number / 100 % 100) && (1...31).contains(number % 100)
        }
        if (199_001...210_012).contains(number) { return month(number % 100) }
        return false
    }

    /// The next ID after every ID of `prefix` in `identifiers` (IDs and file stems). Numbers
    /// that are dates (`isDateLike`) and numbers past `largestNumber` are passed over.
    public static func nextIdentifier(after identifiers: [String], prefix: String, width: Int) -> String {
        let highest =
            identifiers.compactMap {
                number(in: $0, prefix: prefix)
                    ?? FieldValue.identifier(inFileStem: $0).flatMap { number(in: $0, prefix: prefix) }
            }
            .filter { $0 < largestNumber && !isDateLike($0) }.max() ?? 0
        let digits = String(highest + 1)
        return prefix + "-" + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// The built-in template, in the seed's shape. Variables are listed in docs/templates.md.
    public static let builtInTemplate = """
        ---
        {{{frontMatter}}}---

        # {{{id}}}: {{{title}}}

        **Date:** {{{date}}}
        **Severity:** {{{severity}}}
        **Status:** {{{status}}}
        {{#category}}
        **Category:** {{{category}}}
        {{/category}}
        **Impact:** {{{impact}}}
        **Resolution Time:** 

        ---

        ## Incident Summary

        **Problem:** {{{symptomLine}}}

        **Root Cause:** {{{rootCauseLine}}}

        **Resolution:** {{{resolutionLine}}}

        ---

        ## Technical Details

        ### Symptom

        ```
        {{#symptom}}
        {{{symptom}}}
        {{/symptom}}
        ```

        ### Root Cause Analysis

        {{#rootCause}}
        {{{rootCause}}}

        {{/rootCause}}
        ### Failed Attempts

        ### Successful Solution

        ---

        ## Timeline

        | Time | Event |
        |------|-------|

        ---

        ## Resolution

        {{#resolution}}
        {{{resolution}}}

        {{/resolution}}
        ---

        ## Prevention Measures

        ---

        ## Related Issues

        ---

        ## Lessons Learned

        ---

        ## Hot Pattern Entry

        ---

        **Created By:** {{{author}}}
        **Reviewed By:** Pending
        **Sign-Off:** Pending

        """

    /// Builds the record. `template` is the text of `.ris/templates/ris.mustache`, or nil for the built-in one.
    public static func make(
        id: String, fields: Fields, config: KnowledgeBaseConfig, today: String, author: String,
        template: String?
    ) throws -> NewRecord {
        let title = fields.title.trimmed()
        guard !title.isEmpty else { throw RISKitError(.invalidRecord, "the title is empty") }
        guard !title.contains(where: { $0.isNewline }) else {
            throw RISKitError(.invalidRecord, "the title must be one line")
        }
        let slug = String(HotPatternFile.slug(title).prefix(60)).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        guard !slug.isEmpty else {
            throw RISKitError(.invalidRecord, "the title '\(title)' has no letters or digits to name the file with")
        }
        guard FieldValue.isoDate(in: fields.date) == fields.date, Day.parse(fields.date) != nil else {
            throw RISKitError(.invalidRecord, "--date takes a date like 2026-01-31, not '\(fields.date)'")
        }
        let severity = FieldValue.label(fields.severity) ?? ""
        guard severities.contains(severity) else {
            throw RISKitError(
                .invalidRecord,
                "unknown severity '\(fields.severity)'; use one of \(severities.joined(separator: ", "))")
        }
        let path = try self.path(id: id, slug: slug, config: config)

        // Front matter: the configured defaults, then created/updated/version.
        var pairs: [(String, YAMLNode)] = (config.defaults?.pairs ?? []).compactMap { pair in
            guard let key = pair.key.scalarText, !["created", "updated", "version"].contains(key) else { return nil }
            return (key, pair.value)
        }
        pairs += [
            ("created", YAMLEmitter.string(today)), ("updated", YAMLEmitter.string(today)),
            ("version", YAMLEmitter.string("1.0")),
        ]
        let frontMatter = YAMLEmitter.emit(YAMLEmitter.mapping(pairs))

        let context: [String: Any] = [
            "id": id, "title": title, "date": fields.date, "severity": severity,
            "status": FieldValue.label(fields.status) ?? fields.status, "category": fields.category ?? false,
            "impact": fields.impact ?? "", "frontMatter": frontMatter, "created": today, "author": author,
            "symptom": text(fields.symptom), "rootCause": text(fields.rootCause), "resolution": text(fields.resolution),
            "symptomLine": firstLine(fields.symptom), "rootCauseLine": firstLine(fields.rootCause),
            "resolutionLine": firstLine(fields.resolution),
            "project": (config.defaults?["project"]?.scalarText) ?? "",
        ]
        let mustache: MustacheTemplate
        do {
            mustache = try MustacheTemplate(string: template ?? builtInTemplate)
        } catch {
            throw RISKitError(.invalidRecord, "the template does not parse: \(error)")
        }
        return NewRecord(id: id, title: title, path: path, text: mustache.render(context))
    }

    /// A text for a `{{#name}}` section: false when there is none, so the section is left out.
    private static func text(_ value: String?) -> Any {
        let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return trimmed.isEmpty ? false : trimmed
    }

    /// The first line of a text, for a `**Field:**` line of the summary.
    private static func firstLine(_ value: String?) -> String {
        let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return trimmed.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    }

    /// The one naming rule of new records: `<resolutions>/<PREFIX>-RESOLUTION-<number>-<slug>.md`,
    /// the slug from the title (60 characters at most).
    public static func path(id: String, title: String, config: KnowledgeBaseConfig) throws -> String {
        try path(
            id: id,
            slug: String(HotPatternFile.slug(title).prefix(60)).trimmingCharacters(in: CharacterSet(charactersIn: "-")),
            config: config)
    }

    private static func path(id: String, slug: String, config: KnowledgeBaseConfig) throws -> String {
        let folder = config.resolutions.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        guard !folder.split(separator: "/").contains("..") else {
            throw RISKitError(
                .invalidRecord, "the resolutions folder '\(config.resolutions)' is outside the knowledge base")
        }
        let numberPart = id.dropFirst(config.idPrefix.count + 1)
        return (folder.isEmpty ? "" : folder + "/") + "\(config.idPrefix)-RESOLUTION-\(numberPart)-\(slug).md"
    }
}
