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

    /// The value of the key `pair(for:)` finds.
    public subscript(key: String) -> YAMLNode? {
        pair(for: key)?.value
    }

    /// The pair of the first key whose normalised name equals `key`'s (`retention_period`,
    /// `retentionPeriod` and `retention-period` are one key), or, among those, of the first
    /// written as `key` is.
    public func pair(for key: String) -> YAMLPair? {
        guard case .mapping(let pairs) = value else { return nil }
        // One pass over the pairs' normalised names, made once each; the texts compared only
        // among those of `key`'s name, without copying every key's value out (an exact pass,
        // then a normalised one, were 830 instructions a lookup, 33 lookups a record). Among
        // all keys, Swift's `==` also took canonically equal texts of another name (`_K` for
        // `_\u{212A}`, the Kelvin sign): none of ris's lookups is such a text.
        let wanted = YAMLNode.normalizedKey(key)
        var firstNormalized: Int?
        for index in pairs.indices where pairs[index].normalizedKey == wanted {
            if case .scalar(let text, let kind) = pairs[index].key.value, kind != .null, text == key {
                return pairs[index]
            }
            if firstNormalized == nil { firstNormalized = index }
        }
        return firstNormalized.map { pairs[$0] }
    }

    /// Lower case, `_`, spaces and camel case turned into `-`: `retentionPeriod`,
    /// `retention_period` and `Retention-Period` are all `retention-period`.
    public static func normalizedKey(_ key: String) -> String {
        // Most keys are written normalised already (`title`, `retention-period`): kept as they
        // are, without the copy (every key of every record is normalised once).
        // Over the key's own bytes: the generic `allSatisfy` of the UTF-8 view cost ~250
        // instructions a key.
        func isNormalized(_ bytes: some Collection<UInt8>) -> Bool {
            guard let first = bytes.first, first != UInt8(ascii: "-") else { return false }
            var last = first
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
                    last = byte
                default: return false
                }
            }
            return last != UInt8(ascii: "-")
        }
        if key.utf8.withContiguousStorageIfAvailable(isNormalized) ?? isNormalized(key.utf8) { return key }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(key.utf8.count + 4)
        var previousWasLower = false
        var isASCII = true
        for byte in key.utf8 {
            if byte >= 0x80 {
                isASCII = false
                break
            }
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                if previousWasLower { bytes.append(UInt8(ascii: "-")) }
                bytes.append(byte + 32)
                previousWasLower = false
            case UInt8(ascii: "_"), UInt8(ascii: " "):
                bytes.append(UInt8(ascii: "-"))
                previousWasLower = false
            default:
                bytes.append(byte)
                previousWasLower =
                    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            }
        }
        if isASCII {
            while bytes.first == UInt8(ascii: "-") { bytes.removeFirst() }
            while bytes.last == UInt8(ascii: "-") { bytes.removeLast() }
            return String(decoding: bytes, as: UTF8.self)
        }
        var result = ""
        previousWasLower = false
        for character in key.trimmed() {
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

    /// `allText.joined(separator:)`, built in one String: the arrays of `allText` cost an
    /// allocation per node and level (a tenth of a full index's writing thread).
    public func allText(joinedBy separator: String) -> String {
        var text = ""
        var first = true
        forEachText { scalar in
            if !first { text += separator }
            first = false
            text += scalar
        }
        return text
    }

    /// Calls `body` with each scalar's text, in document order, as `allText` lists them: without
    /// an array made for any node.
    public func forEachText(_ body: (String) -> Void) {
        switch value {
        case .scalar(let scalar, let kind): if kind != .null { body(scalar) }
        case .sequence(let items): for item in items { item.forEachText(body) }
        case .mapping(let pairs):
            for pair in pairs {
                pair.key.forEachText(body)
                pair.value.forEachText(body)
            }
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
            return .object(
                pairs.map {
                    (key: $0.key.scalarText ?? $0.key.allText(joinedBy: " "), value: $0.value.jsonValue)
                })
        }
    }
}

/// One `key: value` entry of a mapping.
public struct YAMLPair: Sendable, Hashable {
    public var key: YAMLNode
    public var value: YAMLNode
    /// The key's text normalised as `YAMLNode.normalizedKey` does, computed once.
    public let normalizedKey: String?

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
        self.normalizedKey = key.scalarText.map(YAMLNode.normalizedKey)
    }
}
