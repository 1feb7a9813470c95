/// Writes YAML the way python-frontmatter does: block style, keys sorted, strings that YAML
/// would read as another type (dates, numbers, booleans) single-quoted.
public enum YAMLEmitter {
    /// The lines of a mapping, each ending with `newline`.
    public static func emit(_ node: YAMLNode, newline: String = "\n") -> String {
        var out = ""
        write(node, indent: 0, into: &out, newline: newline)
        return out
    }

    private static func write(_ node: YAMLNode, indent: Int, into out: inout String, newline: String) {
        let pad = String(repeating: " ", count: indent)
        switch node.value {
        case .mapping(let pairs):
            for pair in pairs.sorted(by: { ($0.key.scalarText ?? "") < ($1.key.scalarText ?? "") }) {
                let key = FrontMatterEditor.renderKey(pair.key.scalarText ?? "")
                switch pair.value.value {
                case .scalar:
                    out += pad + key + ": " + scalar(pair.value) + newline
                case .sequence(let items) where items.isEmpty:
                    out += pad + key + ": []" + newline
                case .mapping(let entries) where entries.isEmpty:
                    out += pad + key + ": {}" + newline
                case .sequence:
                    out += pad + key + ":" + newline
                    write(pair.value, indent: indent, into: &out, newline: newline)
                case .mapping:
                    out += pad + key + ":" + newline
                    write(pair.value, indent: indent + 2, into: &out, newline: newline)
                }
            }
        case .sequence(let items):
            for item in items {
                switch item.value {
                case .scalar: out += pad + "- " + scalar(item) + newline
                default:
                    out += pad + "-" + newline
                    write(item, indent: indent + 2, into: &out, newline: newline)
                }
            }
        case .scalar:
            out += pad + scalar(node) + newline
        }
    }

    private static func scalar(_ node: YAMLNode) -> String {
        guard case .scalar(let text, let kind) = node.value else { return "" }
        switch kind {
        case .null: return "null"
        case .bool, .integer, .float: return text
        case .string: return FrontMatterEditor.render(.string(text), like: nil)
        }
    }

    /// A string scalar node.
    public static func string(_ text: String) -> YAMLNode {
        YAMLNode(.scalar(text, .string), at: SourcePosition(line: 0, column: 0))
    }

    /// A mapping node from pairs of keys and nodes.
    public static func mapping(_ pairs: [(String, YAMLNode)]) -> YAMLNode {
        YAMLNode(
            .mapping(pairs.map { YAMLPair(key: string($0.0), value: $0.1) }), at: SourcePosition(line: 0, column: 0))
    }
}
