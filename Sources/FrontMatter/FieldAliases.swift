/// The names a record's facts are written under, in one table (docs/record-format.md):
/// `incident_id`, `ris-id` and `resolutionId` are all the record's ID. The same table reads
/// front matter, whole-YAML records and `**Key:**` fields of the body; a knowledge base can
/// extend it in `.ris/config.yaml` (`field-aliases:`).
///
/// Keys are compared normalised (`YAMLNode.normalizedKey`: `created_at`, `createdAt` and
/// `Created At` are one key). Earlier names win over later ones.
public struct FieldAliases: Sendable, Hashable {
    /// A fact ris reads from a record's metadata.
    public enum Field: String, Sendable, Hashable, CaseIterable, Comparable {
        case id
        case title
        /// The incident's own date (when it happened, was found or reported).
        case date
        /// When the record was created: the date of a record that states no incident date.
        case created
        case updated
        /// Severity, then priority: `P1`, `SEV2` and `high` are read as severities.
        case severity
        case status
        case project

        public static func < (lhs: Field, rhs: Field) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// Normalised names of each field, the preferred first.
    public private(set) var names: [Field: [String]]

    /// The names ris knows without configuration.
    public static let builtIn = FieldAliases(names: [
        .id: ["id", "ris-id", "resolution-id", "incident-id", "task-id", "doc-id", "record-id"],
        .title: ["title", "incident-title", "ris-title", "record-title"],
        .date: [
            "date", "incident-date", "date-of-incident", "date-reported", "reported-date", "reported-at", "reported-on",
            "date-identified", "identified-at", "identified-on", "date-discovered", "discovered-at", "discovered-on",
            "date-detected", "detected-at", "detected-on", "date-occurred", "occurred-at", "occurred-on",
            "incident-start", "started-at", "date-resolved", "resolved-at", "resolved-on", "resolved-date",
        ],
        .created: [
            "created", "created-at", "created-date", "date-created", "created-on", "creation-date", "timestamp",
        ],
        .updated: ["updated", "updated-at", "last-updated", "date-updated", "updated-on", "modified", "last-modified"],
        .severity: ["severity", "sev", "severity-level", "incident-severity", "priority", "incident-priority"],
        .status: ["status", "state", "incident-status", "resolution-status", "ris-status"],
        .project: ["project", "project-name"],
    ])

    /// Mappings whose keys are read as if they were at the top level (top level wins):
    /// `metadata: {id: ..., title: ...}`.
    public static let metadataContainers = ["metadata", "meta", "incident", "record"]

    public init(names: [Field: [String]]) {
        self.names = names
    }

    /// The names of `field`, preferred first.
    public func names(of field: Field) -> [String] { names[field] ?? [] }

    /// The field a key (normalised or not) stands for, if any.
    public func field(forKey key: String) -> Field? {
        let normalized = YAMLNode.normalizedKey(key)
        return Field.allCases.first { names(of: $0).contains(normalized) }
    }

    /// These aliases with `extra` names added after the built-in ones of each field. A name
    /// that already belongs to another field is not added (the first owner keeps it).
    public func adding(_ extra: [Field: [String]]) -> FieldAliases {
        var result = self
        var owned = Set(names.values.flatMap { $0 })
        for field in Field.allCases {
            for name in extra[field] ?? [] {
                let normalized = YAMLNode.normalizedKey(name)
                guard !normalized.isEmpty, owned.insert(normalized).inserted else { continue }
                result.names[field, default: []].append(normalized)
            }
        }
        return result
    }

    /// A stable text naming every alias: it changes exactly when the reading changes.
    public var fingerprint: String {
        Field.allCases.map { "\($0.rawValue)=\(names(of: $0).joined(separator: ","))" }.joined(separator: ";")
    }

    /// The value written under `field` in `root` or in one of its metadata containers, read
    /// as if they were at the top level: the preferred name first, the top level before
    /// `metadata:`, `incident:`, `record:` for the same name. Null values are skipped.
    public func value(of field: Field, in root: YAMLNode?) -> YAMLPair? {
        guard let root else { return nil }
        let containers = root.metadataContainers
        for name in names(of: field) {
            for container in containers {
                if let pair = container.pairByNormalizedKey(name), !pair.value.isNull { return pair }
            }
        }
        return nil
    }
}

extension YAMLNode {
    /// This mapping, then the mappings under its `metadata:`, `meta:`, `incident:` and `record:` keys.
    public var metadataContainers: [YAMLNode] {
        guard let pairs else { return [] }
        var result = [self]
        for pair in pairs where pair.value.pairs != nil {
            if let key = pair.normalizedKey, FieldAliases.metadataContainers.contains(key) { result.append(pair.value) }
        }
        return result
    }

    /// The first pair whose normalised key is `normalized`.
    public func pairByNormalizedKey(_ normalized: String) -> YAMLPair? {
        pairs?.first { $0.normalizedKey == normalized }
    }
}
