/// A YAML value with the file position of where it was written.
///
/// Built from Yams' composed `Node` under a budget, so that a document whose aliases
/// expand beyond reason is refused instead of walked.
public struct YAMLNode: Sendable, Hashable {
    public enum ScalarKind: String, Sendable, Hashable {
        case string, integer, float, bool, null
    }

    public enum Style: Sendable, Hashable {
        case plain, singleQuoted, doubleQuoted, literal, folded, flow, block
    }

    public enum Value: Sendable, Hashable {
        case scalar(String, ScalarKind)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    public var value: Value
    public var position: SourcePosition
    public var style: Style

    public init(_ value: Value, at position: SourcePosition, style: Style = .plain) {
        self.value = value
        self.position = position
        self.style = style
    }

    /// The scalar's text, whatever its resolved type.
    public var scalarText: String? {
        if case .scalar(let text, let kind) = value, kind != .null { return text }
        return nil
    }

    public var scalarKind: ScalarKind? {
        if case .scalar(_, let kind) = value { return kind }
        return nil
    }

    public var isNull: Bool { scalarKind == .null }

    public var pairs: [YAMLPair]? {
        if case .mapping(let pairs) = value { return pairs }
        return nil
    }

    public var items: [YAMLNode]? {
        if case .sequence(let items) = value { return items }
        return nil
    }

    /// The value of the first key whose normalised name equals `key`'s
    /// (`retention_period`, `retentionPeriod` and `retention-period` are one key).
    public subscript(key: String) -> YAMLNode? {
        pair(for: key)?.value
    }

    public func pair(for key: String) -> YAMLPair? {
        let wanted = YAMLNode.normalizedKey(key)
        return pairs?.first { $0.key.scalarText.map(YAMLNode.normalizedKey) == wanted }
    }

    /// Lower case, `_` and camel case turned into `-`.
    public static func normalizedKey(_ key: String) -> String {
        var result = ""
        var previousWasLower = false
        for character in key.trimmingCharacters(in: .whitespaces) {
            if character.isUppercase && previousWasLower { result.append("-") }
            if character == "_" || character == " " {
                result.append("-")
            } else {
                result.append(contentsOf: character.lowercased())
            }
            previousWasLower = character.isLowercase || character.isNumber
        }
        return result
    }

    /// Strings of a scalar or of a list of scalars; nil for anything else.
    public var stringList: [String]? {
        if let text = scalarText { return [text] }
        guard let items else { return isNull ? [] : nil }
        var result: [String] = []
        for item in items {
            guard let text = item.scalarText else { return nil }
            result.append(text)
        }
        return result
    }

    /// Every scalar's text in document order: what search should see of the YAML.
    public var allText: [String] {
        switch value {
        case .scalar(let text, let kind): return kind == .null ? [] : [text]
        case .sequence(let items): return items.flatMap(\.allText)
        case .mapping(let pairs): return pairs.flatMap { $0.key.allText + $0.value.allText }
        }
    }

    /// A JSON-compatible value: scalars typed as YAML resolved them, mappings keyed by
    /// the key's text.
    public var jsonValue: JSONValue {
        switch value {
        case .scalar(let text, let kind):
            switch kind {
            case .null: return .null
            case .bool: return .bool(["true", "yes", "on"].contains(text.lowercased()))
            case .integer: return Int(text).map(JSONValue.int) ?? .string(text)
            case .float: return Double(text).map(JSONValue.double) ?? .string(text)
            case .string: return .string(text)
            }
        case .sequence(let items):
            return .array(items.map(\.jsonValue))
        case .mapping(let pairs):
            return .object(pairs.map { (key: $0.key.scalarText ?? $0.key.allText.joined(separator: " "), value: $0.value.jsonValue) })
        }
    }
}

/// One `key: value` entry of a mapping.
public struct YAMLPair: Sendable, Hashable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}
