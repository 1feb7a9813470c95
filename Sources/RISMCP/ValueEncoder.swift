import Foundation
import MCP

/// Turns a tool's output (the CLI's `Encodable` JSON types) into the SDK's `Value` directly.
///
/// Before, the output was encoded to JSON text and decoded back into `Value`. `Value`'s decoder
/// tries each kind in turn (a Bool, an Int, a Double, a String, an array...) and each miss
/// throws: two thirds of a warm `search` call's time went there, for a `Value` that the SDK then
/// encodes to JSON text again. Dates and data are as `JSONEncoder`'s default strategies write
/// them (seconds since 2001, base64), URLs as their absolute string.
enum ValueEncoder {
    static func value(of encodable: some Encodable) throws -> Value {
        let root = Slot()
        try root.store(encodable, codingPath: [])
        return root.value
    }

    /// Where one value is written; containers are written into in place, as `Encoder` allows.
    final class Slot {
        enum Content {
            case empty
            case value(Value)
            case object(Members)
            case array(Elements)
        }
        final class Members { var slots: [String: Slot] = [:] }
        final class Elements { var slots: [Slot] = [] }
        var content = Content.empty

        var value: Value {
            switch content {
            case .empty: return .object([:])  // what JSONEncoder writes for a value that encodes nothing
            case .value(let value): return value
            case .object(let members): return .object(members.slots.mapValues(\.value))
            case .array(let elements): return .array(elements.slots.map(\.value))
            }
        }

        func store(_ encodable: some Encodable, codingPath: [any CodingKey]) throws {
            content = .empty  // a key encoded again replaces what it held, as in JSONEncoder
            switch encodable {
            case let string as String: content = .value(.string(string))
            case let value as Value: content = .value(value)
            case let url as URL: content = .value(.string(url.absoluteString))
            case let data as Data: content = .value(.string(data.base64EncodedString()))
            default: try encodable.encode(to: SlotEncoder(slot: self, codingPath: codingPath))
            }
        }

        /// The member `key` of this object (made one if it is not yet).
        func child(forKey key: String) -> Slot {
            let members = becomeObject()
            if let slot = members.slots[key] { return slot }
            let slot = Slot()
            members.slots[key] = slot
            return slot
        }

        /// A new last element of this array (made one if it is not yet).
        func appended() -> Slot {
            let slot = Slot()
            becomeArray().slots.append(slot)
            return slot
        }

        @discardableResult func becomeObject() -> Members {
            if case .object(let members) = content { return members }
            let members = Members()
            content = .object(members)
            return members
        }

        @discardableResult func becomeArray() -> Elements {
            if case .array(let elements) = content { return elements }
            let elements = Elements()
            content = .array(elements)
            return elements
        }
    }

    /// A Float as JSON writes it (its shortest text, `0.1`, not the Double nearest to it).
    static func float(_ value: Float) -> Value {
        .double(Double(value.description) ?? Double(value))
    }

    /// An integer as `Value` holds one (a `UInt64` beyond `Int`'s range as a Double, as JSON reads it).
    static func integer(_ value: some BinaryInteger) -> Value {
        Int(exactly: value).map(Value.int) ?? .double(Double(value))
    }

    struct SlotEncoder: Encoder {
        let slot: Slot
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            slot.becomeObject()
            return KeyedEncodingContainer(Keyed<Key>(slot: slot, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            slot.becomeArray()
            return Unkeyed(slot: slot, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer {
            Single(slot: slot, codingPath: codingPath)
        }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let slot: Slot
        let codingPath: [any CodingKey]

        func set(_ value: Value, _ key: Key) { slot.child(forKey: key.stringValue).content = .value(value) }
        mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
        mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
        mutating func encode(_ value: Double, forKey key: Key) throws { set(.double(value), key) }
        mutating func encode(_ value: Float, forKey key: Key) throws { set(ValueEncoder.float(value), key) }
        mutating func encode(_ value: Int, forKey key: Key) throws { set(.int(value), key) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { set(ValueEncoder.integer(value), key) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { set(ValueEncoder.integer(value), key) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { set(ValueEncoder.integer(value), key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { set(ValueEncoder.integer(value), key) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { set(ValueEncoder.integer(value), key) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { set(ValueEncoder.integer(value), key) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { set(ValueEncoder.integer(value), key) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { set(ValueEncoder.integer(value), key) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { set(ValueEncoder.integer(value), key) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try slot.child(forKey: key.stringValue).store(value, codingPath: codingPath + [key])
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
            -> KeyedEncodingContainer<NestedKey>
        {
            let child = slot.child(forKey: key.stringValue)
            child.becomeObject()
            return KeyedEncodingContainer(Keyed<NestedKey>(slot: child, codingPath: codingPath + [key]))
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let child = slot.child(forKey: key.stringValue)
            child.becomeArray()
            return Unkeyed(slot: child, codingPath: codingPath + [key])
        }
        mutating func superEncoder() -> any Encoder {
            SlotEncoder(slot: slot.child(forKey: "super"), codingPath: codingPath)
        }
        mutating func superEncoder(forKey key: Key) -> any Encoder {
            SlotEncoder(slot: slot.child(forKey: key.stringValue), codingPath: codingPath + [key])
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let slot: Slot
        let codingPath: [any CodingKey]
        var count: Int {
            if case .array(let elements) = slot.content { return elements.slots.count }
            return 0
        }

        func add(_ value: Value) { slot.appended().content = .value(value) }
        mutating func encodeNil() throws { add(.null) }
        mutating func encode(_ value: Bool) throws { add(.bool(value)) }
        mutating func encode(_ value: String) throws { add(.string(value)) }
        mutating func encode(_ value: Double) throws { add(.double(value)) }
        mutating func encode(_ value: Float) throws { add(ValueEncoder.float(value)) }
        mutating func encode(_ value: Int) throws { add(.int(value)) }
        mutating func encode(_ value: Int8) throws { add(ValueEncoder.integer(value)) }
        mutating func encode(_ value: Int16) throws { add(ValueEncoder.integer(value)) }
        mutating func encode(_ value: Int32) throws { add(ValueEncoder.integer(value)) }
        mutating func encode(_ value: Int64) throws { add(ValueEncoder.integer(value)) }
        mutating func encode(_ value: UInt) throws { add(ValueEncoder.integer(value)) }
        mutating func encode(_ value: UInt8) throws { add(ValueEncoder.integer(value)) }
        mutating func encode(_ value: UInt16) throws { add(ValueEncoder.integer(value)) }
        mutating func encode(_ value: UInt32) throws { add(ValueEncoder.integer(value)) }
        mutating func encode(_ value: UInt64) throws { add(ValueEncoder.integer(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            try slot.appended().store(value, codingPath: codingPath)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
            -> KeyedEncodingContainer<NestedKey>
        {
            let child = slot.appended()
            child.becomeObject()
            return KeyedEncodingContainer(Keyed<NestedKey>(slot: child, codingPath: codingPath))
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let child = slot.appended()
            child.becomeArray()
            return Unkeyed(slot: child, codingPath: codingPath)
        }
        mutating func superEncoder() -> any Encoder { SlotEncoder(slot: slot.appended(), codingPath: codingPath) }
    }

    struct Single: SingleValueEncodingContainer {
        let slot: Slot
        let codingPath: [any CodingKey]

        mutating func encodeNil() throws { slot.content = .value(.null) }
        mutating func encode(_ value: Bool) throws { slot.content = .value(.bool(value)) }
        mutating func encode(_ value: String) throws { slot.content = .value(.string(value)) }
        mutating func encode(_ value: Double) throws { slot.content = .value(.double(value)) }
        mutating func encode(_ value: Float) throws { slot.content = .value(ValueEncoder.float(value)) }
        mutating func encode(_ value: Int) throws { slot.content = .value(.int(value)) }
        mutating func encode(_ value: Int8) throws { slot.content = .value(ValueEncoder.integer(value)) }
        mutating func encode(_ value: Int16) throws { slot.content = .value(ValueEncoder.integer(value)) }
        mutating func encode(_ value: Int32) throws { slot.content = .value(ValueEncoder.integer(value)) }
        mutating func encode(_ value: Int64) throws { slot.content = .value(ValueEncoder.integer(value)) }
        mutating func encode(_ value: UInt) throws { slot.content = .value(ValueEncoder.integer(value)) }
        mutating func encode(_ value: UInt8) throws { slot.content = .value(ValueEncoder.integer(value)) }
        mutating func encode(_ value: UInt16) throws { slot.content = .value(ValueEncoder.integer(value)) }
        mutating func encode(_ value: UInt32) throws { slot.content = .value(ValueEncoder.integer(value)) }
        mutating func encode(_ value: UInt64) throws { slot.content = .value(ValueEncoder.integer(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws { try slot.store(value, codingPath: codingPath) }
    }
}
