import FrontMatter

/// Which reads and writes of records go into the access-audit trail: the one rule every
/// command and the index follow (docs/compliance.md).
public enum AccessPolicy {
    /// Whether reading or changing `document` must be logged: its compliance block says
    /// `access-audit-required: true` for a framework, or the block could not be read whole
    /// (a YAML error, an invalid byte in the front matter, an unreadable file), in which case
    /// nothing says it is not required. Auditing fails closed.
    public static func requiresAudit(_ document: RISDocument) -> Bool {
        !document.metadataReadable || document.compliance.frameworks.contains { $0.accessAuditRequired?.value == true }
    }
}
