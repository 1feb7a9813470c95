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

    /// Whether `document` is kept from coding agents (`ris mcp`) unless the knowledge base
    /// allows it: a framework says `encryption-required: true`, or the compliance block could
    /// not be read whole (nothing says it is not required). Fails closed, as auditing does.
    public static func requiresEncryption(_ document: RISDocument) -> Bool {
        !document.metadataReadable
            || document.compliance.frameworks.contains { $0.encryptionRequired?.value == true }
    }

    /// How many times `text` writes an `access-audit-required` key (any spelling:
    /// `access_audit_required`, `accessAuditRequired`; followed by `:` or `=`), wherever it is.
    public static func accessAuditKeys(in text: String) -> Int {
        // Over the string's own UTF-8 (no copy, no bounds check per byte): every record is scanned.
        var text = text
        return text.withUTF8 { accessAuditKeys(inBytes: $0) }
    }

    /// Found from each `required` (its `q` sought eight bytes at a time: a `q` comes about every
    /// 250 bytes of a record, the `u` of `audit`, sought before, every 40; a byte-by-byte scan for
    /// `access` cost 68,000 instructions a record, 2% of parsing), then `audit` and `access`
    /// before it, each word in any case, with at most one `-`, `_` or space between.
    private static func accessAuditKeys(inBytes bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let count = bytes.count
        func word(_ expected: StaticString, at index: Int) -> Bool {
            let length = expected.utf8CodeUnitCount
            guard index >= 0, index + length <= count else { return false }
            let letters = expected.utf8Start
            for offset in 0..<length where ASCIIByte.lowered(bytes[index + offset]) != letters[offset] { return false }
            return true
        }
        func isSeparator(_ byte: UInt8) -> Bool { byte == 0x2D || byte == 0x5F || byte == 0x20 }
        var found = 0
        var index = 0
        while index < count {
            // Eight bytes without `q` or `Q` (a byte | 0x20 is 0x71 only for those two).
            while index + 8 <= count {
                let folded = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) | 0x2020_2020_2020_2020
                let zeroWhereQ = folded ^ 0x7171_7171_7171_7171
                if (zeroWhereQ &- 0x0101_0101_0101_0101) & ~zeroWhereQ & 0x8080_8080_8080_8080 != 0 { break }
                index += 8
            }
            guard index < count else { break }
            let isQ = bytes[index] | 0x20 == 0x71
            index += 1
            guard isQ else { continue }
            let start = index - 3  // where `required` would start
            guard word("required", at: start) else { continue }
            // `audit` ends right before, or one separator before (its `t` is none).
            let auditStart = (start >= 1 && isSeparator(bytes[start - 1]) ? start - 1 : start) - 5
            guard word("audit", at: auditStart) else { continue }
            let before = auditStart >= 1 && isSeparator(bytes[auditStart - 1]) ? auditStart - 7 : auditStart - 6
            guard word("access", at: before) else { continue }
            var cursor = start + 8
            while cursor < count, bytes[cursor] == 0x22 || bytes[cursor] == 0x27 || bytes[cursor] == 0x20 {
                cursor += 1
            }
            // `:` in YAML, `=` in TOML front matter (`+++`), which ris does not read at all.
            if cursor < count, bytes[cursor] == 0x3A || bytes[cursor] == 0x3D { found += 1 }
        }
        return found
    }
}
