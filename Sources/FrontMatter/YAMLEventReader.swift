// libyaml itself, through the C module Yams is built on: Yams composes every document into a
// tree of its own `Node`s (with tags, resolvers and anchors) that `SafeYAML` then copied into
// `YAMLNode`s; for a valid document this reads libyaml's events into `YAMLNode`s directly.
import CYaml

/// Reads a valid YAML document from libyaml's events straight into `YAMLNode`s, as Yams'
/// `compose` followed by `SafeYAML.convert` would, without Yams' intermediate tree (about 60%
/// of reading a record's front matter, 12% of parsing a record).
///
/// Only the common case is read here. Anything else (a syntax error, an undefined alias, keys
/// that may repeat, a key that is not a scalar, a scalar that starts with a byte order mark,
/// a second document, a limit reached) is `.unusual`, and `SafeYAML` reads it through Yams as
/// before, so that every diagnostic and refusal stays Yams' and `SafeYAML`'s own.
enum YAMLEventReader {
    enum Outcome {
        /// The document's root (nil for an empty stream).
        case document(YAMLNode?)
        case unusual
    }

    static func read(_ yaml: String, lineOffset: Int, limits: YAMLLimits) -> Outcome {
        var text = yaml
        return text.withUTF8 { bytes in
            var reader = Reader(lineOffset: lineOffset, limits: limits)
            defer { reader.close() }
            return reader.document(bytes)
        }
    }

    /// A subtree and what `SafeYAML.convert` counts of it when an alias repeats it.
    struct Built {
        var node: YAMLNode
        /// Nodes in it (the budget an alias spends).
        var size: Int
        /// Levels below its root (0 for a scalar).
        var height: Int
    }

    /// A struct, used as a local variable: its state (the current event above all, read at every
    /// step) is then checked for exclusive access when compiled, not at run time as a class's
    /// properties are (26,000 dynamic checks a 200 records' parse).
    private struct Reader {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        var event = yaml_event_t()
        var hasEvent = false
        var anchors: [String: Built] = [:]
        var budget: Int
        let lineOffset: Int
        let limits: YAMLLimits

        init(lineOffset: Int, limits: YAMLLimits) {
            self.lineOffset = lineOffset
            self.limits = limits
            budget = limits.maxNodes
            yaml_parser_initialize(parser)
            yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        }

        mutating func close() {
            if hasEvent { yaml_event_delete(&event) }
            yaml_parser_delete(parser)
            parser.deallocate()
        }

        /// Moves to the next event; false on a syntax error.
        mutating func advance() -> Bool {
            if hasEvent { yaml_event_delete(&event) }
            hasEvent = yaml_parser_parse(parser, &event) == 1
            return hasEvent
        }

        mutating func document(_ bytes: UnsafeBufferPointer<UInt8>) -> Outcome {
            yaml_parser_set_input_string(parser, bytes.baseAddress, bytes.count)
            guard advance(), event.type == YAML_STREAM_START_EVENT, advance() else { return .unusual }
            if event.type == YAML_STREAM_END_EVENT { return .document(nil) }
            guard event.type == YAML_DOCUMENT_START_EVENT, advance(), let root = node(depth: 0),
                advance(), event.type == YAML_DOCUMENT_END_EVENT, advance(), event.type == YAML_STREAM_END_EVENT
            else { return .unusual }
            return .document(root.node)
        }

        func position() -> SourcePosition {
            SourcePosition(line: Int(event.start_mark.line) + 1 + lineOffset, column: Int(event.start_mark.column) + 1)
        }

        static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            pointer.map { String(cString: $0) }
        }

        /// Counts one node against `maxNodes`: the current event's position, nil past the limit.
        mutating func spendOne() -> SourcePosition? {
            budget -= 1
            return budget >= 0 ? position() : nil
        }

        /// `built`, remembered under `anchor` for the aliases that repeat it.
        mutating func registered(_ built: Built, as anchor: String?) -> Built {
            if let anchor { anchors[anchor] = built }
            return built
        }

        /// The node that starts at the current event, which is left on its last event.
        mutating func node(depth: Int) -> Built? {
            guard depth <= limits.maxDepth else { return nil }
            switch event.type {
            case YAML_SCALAR_EVENT:
                guard let at = spendOne() else { return nil }
                let scalar = event.data.scalar
                // Yams decodes a scalar with Foundation, which drops a leading byte order mark
                // (and with it can make two keys one): such a scalar is Yams' to read.
                if scalar.length >= 3, scalar.value[0] == 0xEF, scalar.value[1] == 0xBB, scalar.value[2] == 0xBF {
                    return nil
                }
                let text = String(
                    decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
                let style: YAMLNode.Style
                switch scalar.style {
                case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
                case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
                case YAML_LITERAL_SCALAR_STYLE: style = .literal
                case YAML_FOLDED_SCALAR_STYLE: style = .folded
                default: style = .plain
                }
                let kind = style == .plain ? SafeYAML.plainScalarKind(text) : .string
                return registered(
                    Built(node: YAMLNode(.scalar(text, kind), at: at, style: style), size: 1, height: 0),
                    as: Reader.string(scalar.anchor))
            case YAML_ALIAS_EVENT:
                guard let name = Reader.string(event.data.alias.anchor), let built = anchors[name],
                    depth + built.height <= limits.maxDepth
                else { return nil }
                budget -= built.size
                return budget >= 0 ? built : nil
            case YAML_SEQUENCE_START_EVENT:
                guard let at = spendOne() else { return nil }
                let anchor = Reader.string(event.data.sequence_start.anchor)
                var items: [YAMLNode] = []
                var size = 1
                var height = 0
                while true {
                    guard advance() else { return nil }
                    if event.type == YAML_SEQUENCE_END_EVENT { break }
                    guard let item = node(depth: depth + 1) else { return nil }
                    items.append(item.node)
                    size += item.size
                    height = max(height, item.height + 1)
                }
                // Yams gives every collection the style of its end event, which libyaml leaves
                // unset: `SafeYAML.convert` made each one `.block`, and so does this.
                return registered(
                    Built(node: YAMLNode(.sequence(items), at: at, style: .block), size: size, height: height),
                    as: anchor)
            case YAML_MAPPING_START_EVENT:
                guard let at = spendOne() else { return nil }
                let anchor = Reader.string(event.data.mapping_start.anchor)
                var pairs: [YAMLPair] = []
                // The key texts seen: compared one by one while there are few (a Set's hashing
                // and growth cost more for the ten-odd keys of a front matter's mapping).
                var keyTexts: [String] = []
                keyTexts.reserveCapacity(16)  // one allocation, not one at 1, 2, 4, 8 and 16 keys
                var keys = Set<String>()
                func isNew(_ text: String) -> Bool {
                    if keyTexts.count < 16 {
                        for seen in keyTexts where seen == text { return false }
                        keyTexts.append(text)
                        if keyTexts.count == 16 { keys = Set(keyTexts) }
                        return true
                    }
                    return keys.insert(text).inserted
                }
                var size = 1
                var height = 0
                while true {
                    guard advance() else { return nil }
                    if event.type == YAML_MAPPING_END_EVENT { break }
                    // A key that is not a scalar, or a key text seen before (which Yams may or may
                    // not call a duplicate, by its tag): Yams decides.
                    guard event.type == YAML_SCALAR_EVENT, let key = node(depth: depth + 1),
                        case .scalar(let text, _) = key.node.value, isNew(text),
                        advance(), let value = node(depth: depth + 1)
                    else { return nil }
                    pairs.append(YAMLPair(key: key.node, value: value.node))
                    size += key.size + value.size
                    height = max(height, key.height + 1, value.height + 1)
                }
                return registered(
                    Built(node: YAMLNode(.mapping(pairs), at: at, style: .block), size: size, height: height),
                    as: anchor)
            default:
                return nil
            }
        }
    }
}
