import FrontMatter

/// Which reads and writes of records go into the access-audit trail: the one rule every
/// command and the index follow (docs/compliance.md).
public enum AccessPolicy {
    /// Whether reading or changing `document` must be logged: its compliance block says
    /// `access-audit-required: true` for a framework, or the block could not be read whole
    /// (a YAML error, an invalid byte in the front matter, an unreadable file), in which case
    /// nothing says it is not required. Auditing fails closed.
    public static func requiresAudit(_ document: RISDocument) -> Bool {
        !document.metadataReadable || document.accessAuditUnread
            || document.compliance.frameworks.contains { $0.accessAuditRequired?.value == true }
    }

    /// How many times `text` writes an `access-audit-required` key (any spelling:
    /// `access_audit_required`, `accessAuditRequired`; followed by `:` or `=`), wherever it is.
    public static func accessAuditKeys(in text: String) -> Int {
        // Over the string's own UTF-8 (no copy, no bounds check per byte): every record is scanned.
        var text = text
        return text.withUTF8 { accessAuditKeys(inBytes: $0) }
    }

    private static func accessAuditKeys(inBytes bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let words: [[UInt8]] = [Array("access".utf8), Array("audit".utf8), Array("required".utf8)]
        func lower(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte + 32 : byte }
        func word(_ expected: [UInt8], at index: Int) -> Bool {
            guard index + expected.count <= bytes.count else { return false }
            for offset in 0..<expected.count where lower(bytes[index + offset]) != expected[offset] { return false }
            return true
        }
        var count = 0
        var index = 0
        while index < bytes.count {
            guard bytes[index] | 0x20 == 0x61, word(words[0], at: index) else {
                index += 1
                continue
            }
            var cursor = index + words[0].count
            var matched = true
            for next in words.dropFirst() {
                if cursor < bytes.count, bytes[cursor] == 0x2D || bytes[cursor] == 0x5F || bytes[cursor] == 0x20 {
                    cursor += 1
                }
                guard word(next, at: cursor) else {
                    matched = false
                    break
                }
                cursor += next.count
            }
            if matched {
                while cursor < bytes.count, bytes[cursor] == 0x22 || bytes[cursor] == 0x27 || bytes[cursor] == 0x20 {
                    cursor += 1
                }
                // `:` in YAML, `=` in TOML front matter (`+++`), which ris does not read at all.
                if cursor < bytes.count, bytes[cursor] == 0x3A || bytes[cursor] == 0x3D { count += 1 }
            }
            index = max(index + 1, matched ? cursor : index + 1)
        }
        return count
    }
}
