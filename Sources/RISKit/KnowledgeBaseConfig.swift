import Foundation
import FrontMatter

/// `.ris/config.yaml`: what belongs to the knowledge base and how new records are made.
/// Documented in docs/configuration.md.
public struct KnowledgeBaseConfig: Sendable, Hashable {
    public var include: [String] = ["**/*.md", "**/*.markdown", "**/*.yaml", "**/*.yml"]
    public var exclude: [String] = [".git/**", ".ris/**", ".build/**", "node_modules/**"]
    /// Which files may be records for `check` and the quarterly review (globs); empty: any
    /// file of the knowledge base. Task logs and notes beside the records can be left out.
    public var records: [String] = []

    /// Whether the file at `path` (relative to the root) may be a record.
    public func isRecordPath(_ path: String) -> Bool {
        records.isEmpty || records.contains { Glob($0).matches(path) }
    }
    /// Folder of the RIS records, relative to the root.
    public var resolutions = "docs/06-ris/resolutions"
    /// Folder of the knowledge-base articles.
    public var kb = "docs/05-kb"
    /// The hot-patterns file.
    public var hotPatterns = ".claude/memory/hot-patterns.md"
    /// `hotPatterns` as the index writes paths (`./memory/x.md` is `memory/x.md`), to compare
    /// with the paths of indexed documents; as written when it is no path inside the root.
    public var hotPatternsPath: String {
        (try? ConfinedFolder.components(hotPatterns))?.joined(separator: "/") ?? hotPatterns
    }
    public var idPrefix = "RIS"
    public var idWidth = 3
    /// Files larger than this many bytes are reported, not read (`max-file-size: 16MiB`).
    public var maxFileBytes = DocumentParser.defaultMaxFileBytes
    /// Seconds within which a command that reads the index trusts the last refresh instead of
    /// walking the files again (`refresh-interval: 30s`); 0, the default, walks every time.
    /// A command that skips the walk says so (never stale without a word); `ris index` walks.
    public var refreshInterval = 0
    /// Whether `ris mcp` hands coding agents the content of records that require encryption
    /// (`mcp: {allow-encryption-required: true}`); by default they get the ID and title only.
    public var mcpAllowsEncryptionRequired = false
    /// Front matter for new records (project, compliance block ...), as YAML.
    public var defaults: YAMLNode?
    /// The compliance policy: required frameworks and limits, as YAML (read by `ris check`).
    public var compliance: YAMLNode?
    /// The names facts are written under: the built-in table plus `field-aliases:`.
    public var fieldAliases: FieldAliases = .builtIn

    public init() {}

    /// How files of this knowledge base are read.
    public var parseOptions: ParseOptions { ParseOptions(aliases: fieldAliases) }

    public static let fileName = "config.yaml"

    /// Retention the law sets, by framework: HIPAA's documentation rule. SOC 2 and ISO 27001
    /// leave it to the organisation.
    static let legalMinimumRetention: [String: (period: RetentionPeriod, source: String)] = [
        "hipaa": (RetentionPeriod(amount: 6, unit: .years), "45 CFR 164.316(b)(2)(i)")
    ]

    /// Reads a config file's text; unknown keys are warnings, wrong types errors, and the
    /// defaults stand for what could not be read.
    public static func read(_ text: String) -> (KnowledgeBaseConfig, [Diagnostic]) {
        var config = KnowledgeBaseConfig()
        let parsed = SafeYAML.parse(text)
        var diagnostics = parsed.diagnostics
        guard let root = parsed.root else { return (config, diagnostics) }
        guard root.pairs != nil else {
            if !root.isNull {
                diagnostics.append(
                    .error(.configInvalid, "the configuration must be a mapping of keys", at: root.position))
            }
            return (config, diagnostics)
        }
        func strings(_ key: String) -> [String]? {
            guard let node = root[key] else { return nil }
            if let list = node.stringList { return list }
            diagnostics.append(.error(.configInvalid, "`\(key)` must be a glob or a list of globs", at: node.position))
            return nil
        }
        func string(_ node: YAMLNode?, _ key: String) -> String? {
            guard let node else { return nil }
            if let text = node.scalarText { return text }
            diagnostics.append(.error(.configInvalid, "`\(key)` must be a single value", at: node.position))
            return nil
        }
        config.include = strings("include") ?? config.include
        config.exclude = strings("exclude") ?? config.exclude
        config.records = strings("records") ?? config.records
        config.resolutions = string(root["resolutions"], "resolutions") ?? config.resolutions
        config.kb = string(root["kb"], "kb") ?? config.kb
        config.hotPatterns = string(root["hot-patterns"], "hot-patterns") ?? config.hotPatterns
        if let id = root["id"] {
            config.idPrefix = string(id["prefix"], "id.prefix") ?? config.idPrefix
            if let width = id["width"] {
                if width.scalarKind == .integer, let value = width.scalarText.flatMap({ Int($0) }),
                    (1...12).contains(value)
                {
                    config.idWidth = value
                } else {
                    diagnostics.append(
                        .error(.configInvalid, "`id.width` must be a whole number from 1 to 12", at: width.position))
                }
            }
        }
        if let size = root["max-file-size"] {
            if let text = size.scalarText, let bytes = parseByteSize(text) {
                config.maxFileBytes = bytes
            } else {
                diagnostics.append(
                    .error(
                        .configInvalid, "`max-file-size` must be a size like 16MiB, 512KiB or 1048576",
                        at: size.position))
            }
        }
        if let interval = root["refresh-interval"] {
            if let text = interval.scalarText, let seconds = parseDuration(text), (0...86_400).contains(seconds) {
                config.refreshInterval = seconds
            } else {
                diagnostics.append(
                    .error(
                        .configInvalid, "`refresh-interval` must be a duration up to a day, like 30s, 5m or 0",
                        at: interval.position))
            }
        }
        if let mcp = root["mcp"] {
            let allow = mcp["allow-encryption-required"]
            switch allow?.scalarText?.lowercased() {
            case nil where allow == nil: break
            case "true": config.mcpAllowsEncryptionRequired = true
            case "false": config.mcpAllowsEncryptionRequired = false
            default:
                diagnostics.append(
                    .error(
                        .configInvalid, "`mcp: {allow-encryption-required: ...}` must be true or false",
                        at: (allow ?? mcp).position))
            }
        }
        config.defaults = root["defaults"]
        config.compliance = root["compliance"]
        // A policy below the law accepts records the law does not: said, though it is the team's to set.
        for pair in root["compliance"]?["minimum-retention"]?.pairs ?? [] {
            guard let name = pair.key.scalarText,
                let legal = KnowledgeBaseConfig.legalMinimumRetention[ComplianceFrameworks.canonicalName(name) ?? ""],
                let text = pair.value.scalarText, let period = RetentionPeriod(parsing: text),
                period.days < legal.period.days
            else { continue }
            diagnostics.append(
                .warning(
                    .configPolicyBelowLaw,
                    "`minimum-retention.\(name)` is \(period.text), below the \(legal.period.text) of "
                        + "\(legal.source); ris check accepts records kept for less",
                    at: pair.value.position))
        }
        if let edition = root["compliance"]?["iso27001-edition"],
            !CompliancePolicy.isoEditions.contains(edition.scalarText ?? "")
        {
            diagnostics.append(
                .error(
                    .configInvalid,
                    "`compliance.iso27001-edition` must be 2013 or 2022, not '\(edition.scalarText ?? "a \(edition.kindName)")'",
                    at: edition.position))
        }
        if let frameworks = root["compliance"]?["review-frameworks"] {
            if let names = frameworks.stringList {
                for name in names where !ControlCatalog.shared.knows(framework: name) {
                    diagnostics.append(
                        .error(
                            .configInvalid,
                            "`compliance.review-frameworks` names '\(name)', whose controls ris does not know (hipaa, "
                                + "soc2, iso27001)", at: frameworks.position))
                }
            } else {
                diagnostics.append(
                    .error(
                        .configInvalid, "`compliance.review-frameworks` must be a framework or a list of them",
                        at: frameworks.position))
            }
        }
        if let aliases = root["field-aliases"], !aliases.isNull {
            if let pairs = aliases.pairs {
                var extra: [FieldAliases.Field: [String]] = [:]
                for pair in pairs {
                    let name = pair.normalizedKey ?? ""
                    guard let field = FieldAliases.Field(rawValue: name) else {
                        let fields = FieldAliases.Field.allCases.map(\.rawValue).joined(separator: ", ")
                        diagnostics.append(
                            .error(
                                .configInvalid,
                                "`field-aliases` has no field `\(pair.key.scalarText ?? "?")`; "
                                    + "the fields are \(fields)",
                                at: pair.key.position))
                        continue
                    }
                    guard let names = pair.value.stringList else {
                        diagnostics.append(
                            .error(
                                .configInvalid, "`field-aliases.\(name)` must be a key name or a list of them",
                                at: pair.value.position))
                        continue
                    }
                    for (offset, alias) in names.enumerated() {
                        let position = pair.value.items?[offset].position ?? pair.value.position
                        if let owner = FieldAliases.builtIn.field(forKey: alias)
                            ?? extra.first(where: { $0.value.contains(alias) })?.key, owner != field
                        {
                            diagnostics.append(
                                .warning(
                                    .configAliasTaken, "`\(alias)` already names `\(owner.rawValue)`; it stays there",
                                    at: position))
                        } else {
                            extra[field, default: []].append(alias)
                        }
                    }
                }
                config.fieldAliases = FieldAliases.builtIn.adding(extra)
            } else {
                diagnostics.append(
                    .error(
                        .configInvalid, "`field-aliases` must map fields to key names (`date: [when, incident_day]`)",
                        at: aliases.position))
            }
        }
        let known: Set<String> = [
            "version", "include", "exclude", "records", "resolutions", "kb", "hot-patterns", "id", "max-file-size",
            "refresh-interval", "mcp",
            "defaults",
            "compliance",
            "field-aliases",
        ]
        for pair in root.pairs ?? [] where !known.contains(pair.normalizedKey ?? "") {
            diagnostics.append(
                .warning(
                    .configUnknownKey, "unknown key `\(pair.key.scalarText ?? "?")`; ignored", at: pair.key.position))
        }
        return (config, diagnostics)
    }

    /// `30`, `30s`, `5m` or `1h`, in seconds.
    static func parseDuration(_ text: String) -> Int? {
        let trimmed = text.trimmed().lowercased()
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 6, let amount = Int(digits) else { return nil }
        switch String(trimmed.dropFirst(digits.count)).trimmed() {
        case "", "s": return amount
        case "m": return amount * 60
        case "h": return amount * 3600
        default: return nil
        }
    }

    /// `1048576`, `512KiB`, `16MiB`, `1GiB` (KB/MB/GB are read as the binary units too).
    static func parseByteSize(_ text: String) -> Int? {
        let trimmed = text.trimmed().lowercased()
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard let amount = Int(digits), amount > 0 else { return nil }
        let unit = trimmed.dropFirst(digits.count).trimmed()
        let factors: [String: Int] = [
            "": 1, "b": 1, "k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10,
            "m": 1 << 20, "mb": 1 << 20, "mib": 1 << 20, "g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30,
        ]
        guard let factor = factors[String(unit)], amount <= Int.max / factor else { return nil }
        return amount * factor
    }

    /// The text `ris init` writes.
    public static let template = """
        # ris configuration: see docs/configuration.md.
        version: 1

        # Files that belong to the knowledge base (globs relative to this folder's parent).
        include: ["**/*.md", "**/*.markdown", "**/*.yaml", "**/*.yml"]
        exclude: [".git/**", ".ris/**", ".build/**", "node_modules/**"]

        # Where records, KB articles and the hot-patterns file live.
        resolutions: docs/06-ris/resolutions
        kb: docs/05-kb
        hot-patterns: .claude/memory/hot-patterns.md

        # IDs of new records: RIS-001, RIS-002 ...
        id:
          prefix: RIS
          width: 3

        # For very large knowledge bases: let search, similar, list and show trust the last
        # comparison of the files with the index for this long (they say so on stderr).
        # refresh-interval: 30s

        # Front matter given to new records.
        defaults:
          compliance:
            hipaa:
              retention-period: 7-years
              review-frequency: quarterly
            soc2:
              retention-period: 7-years

        # More names for a record's facts, besides the built-in ones (docs/record-format.md):
        # field-aliases:
        #   date: [when, incident_day]
        #   id: [ticket]

        # The compliance policy `ris check` applies (docs/compliance.md).
        compliance:
          minimum-retention:
            hipaa: 6-years            # 45 CFR 164.316(b)(2)(i)
          review-frequencies: [monthly, quarterly, semi-annual, annual]
          required-frameworks: []
          required-keys: []
          # The quarterly review's control coverage: these frameworks (default: those the
          # records use), ISO/IEC 27001 in this edition (2022, or 2013 for a certificate on it).
          # review-frameworks: [hipaa, soc2, iso27001]
          # iso27001-edition: 2022

        """
}

/// A knowledge base: a folder holding `.ris/`.
public struct KnowledgeBase: Sendable {
    public let root: URL
    public let config: KnowledgeBaseConfig
    /// Problems with `.ris/config.yaml`, positioned in that file.
    public let configDiagnostics: [Diagnostic]

    public var risFolder: URL { root.appendingPathComponent(".ris") }
    public var configURL: URL { risFolder.appendingPathComponent(KnowledgeBaseConfig.fileName) }
    public var indexURL: URL { risFolder.appendingPathComponent("index.sqlite") }

    /// The files of the knowledge base, opened without following links out of it.
    public var files: ConfinedFolder { ConfinedFolder(root: root) }

    /// Opens the knowledge base at `root` (which holds `.ris/`).
    public init(root: URL) {
        self.root = root.standardizedFileURL
        do {
            // Read as every file under `.ris/` is: a link there is refused, never followed.
            if let (data, _) = try ConfinedFolder(root: self.root).read(.config) {
                let source = SourceText(data: data)
                let (config, diagnostics) = KnowledgeBaseConfig.read(source.text)
                self.config = config
                self.configDiagnostics = source.diagnostics + diagnostics
            } else {
                self.config = KnowledgeBaseConfig()
                self.configDiagnostics = []
            }
        } catch {
            self.config = KnowledgeBaseConfig()
            self.configDiagnostics = [
                .error(.configUnreadable, "\(error); the defaults are used", at: SourcePosition(line: 1, column: 1))
            ]
        }
    }

    /// The knowledge base a `.ris` folder at `root` would sit inside: the nearest folder above
    /// `root` holding `.ris/`. A nested `.ris` (committed in a records folder) would send audited
    /// reads to a trail nobody checks, so it is refused unless chosen explicitly.
    public static func enclosing(_ root: URL) -> URL? {
        let parent = root.standardizedFileURL.deletingLastPathComponent()
        guard parent.path != root.standardizedFileURL.path else { return nil }
        return find(from: parent)
    }

    /// The folder holding `.ris/` at or above `start`, as git finds `.git/`.
    public static func find(from start: URL) -> URL? {
        var folder = start.standardizedFileURL
        while true {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(
                atPath: folder.appendingPathComponent(".ris").path, isDirectory: &isDirectory), isDirectory.boolValue
            {
                return folder
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }

    /// Creates `.ris/config.yaml` and `.ris/.gitignore` in `root`; existing files are kept.
    /// Returns the files written.
    @discardableResult
    public static func initialize(at root: URL) throws -> [URL] {
        // The root is the user's choice, made as asked; below it nothing follows a link.
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let confined = ConfinedFolder(root: root.standardizedFileURL)
        var written: [URL] = []
        let files: [(ConfinedFolder.RisFile, String)] = [
            (.config, KnowledgeBaseConfig.template),
            (
                .gitignore,
                "# The index is derived from the markdown: rebuild it with `ris index --full`.\nindex.sqlite*\n*.lock\n"
            ),
        ]
        for (file, text) in files {
            if confined.exists(file) { continue }
            try confined.write(file, Data(text.utf8), createOnly: true)
            written.append(root.appendingPathComponent(".ris/" + file.name))
        }
        return written
    }
}
