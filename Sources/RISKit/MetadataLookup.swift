import FrontMatter

/// Options of a parse that a knowledge base configures.
public struct ParseOptions: Sendable, Hashable {
    /// The names facts are written under (`.ris/config.yaml` `field-aliases:` adds to them).
    public var aliases: FieldAliases

    public init(aliases: FieldAliases = .builtIn) {
        self.aliases = aliases
    }

    public static let `default` = ParseOptions()

    /// Changes exactly when a file could be read differently: the parser's version and the
    /// aliases. The index stores it, and re-reads every file when it changes.
    public var fingerprint: String { "parser \(DocumentParser.version); \(aliases.fingerprint)" }
}

/// Finds a record's facts wherever they are written, by the alias table: `**Key:**` fields
/// of the header first, then the YAML (front matter or record) with its `metadata:`,
/// `incident:` and `record:` mappings read as if at the top level (the top level wins for the
/// same name), then the footer's fields (never for the ID or the title: a sign-off's
/// `**Title:**` is a person's); in each, the preferred name first.
struct MetadataLookup {
    let aliases: FieldAliases
    /// Header fields by normalised name, the first of each name.
    let fields: [String: String]
    /// Footer fields, the same way.
    let footer: [String: String]
    /// The YAML's top level, then its nested metadata mappings: the text of each scalar by
    /// normalised key (made once, so that looking a field up costs a few hash lookups).
    let containers: [[String: String]]

    init(fields: [HeaderField], footer: [HeaderField] = [], root: YAMLNode?, aliases: FieldAliases) {
        self.aliases = aliases
        func byName(_ fields: [HeaderField]) -> [String: String] {
            var result: [String: String] = [:]
            for field in fields where !field.value.isEmpty {
                let name = YAMLNode.normalizedKey(field.name)
                if result[name] == nil { result[name] = field.value }
            }
            return result
        }
        self.fields = byName(fields)
        self.footer = byName(footer)
        self.containers = (root?.metadataContainers ?? []).map { container in
            var texts: [String: String] = [:]
            for pair in container.pairs ?? [] {
                guard let key = pair.normalizedKey, texts[key] == nil, let text = pair.value.scalarText else {
                    continue
                }
                texts[key] = text
            }
            return texts
        }
    }

    /// The first value of `field` that `read` accepts.
    func first<T>(_ field: FieldAliases.Field, _ read: (String) -> T?) -> T? {
        if let value = firstField(field, read) { return value }
        let names = aliases.names(of: field)
        // Nested keys are read as if at the top level: the preferred name first, wherever it
        // is; the top level wins over the same name below it.
        for name in names {
            for container in containers {
                if let text = container[name], let value = read(text) { return value }
            }
        }
        guard field != .id, field != .title, !footer.isEmpty else { return nil }
        for name in names {
            if let text = footer[name], let value = read(text) { return value }
        }
        return nil
    }

    /// The first value of `field` among the body's fields only.
    func firstField<T>(_ field: FieldAliases.Field, _ read: (String) -> T?) -> T? {
        guard !fields.isEmpty else { return nil }
        for name in aliases.names(of: field) {
            if let text = fields[name], let value = read(text) { return value }
        }
        return nil
    }
}
