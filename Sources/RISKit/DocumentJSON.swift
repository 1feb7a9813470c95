import Foundation
import FrontMatter

/// The JSON form of a document, documented in docs/record-format.md. Keys are stable.
extension RISDocument: Encodable {
    enum CodingKeys: String, CodingKey {
        case path, id, title, kind, date, severity, status, project, resolutionMinutes, shape
        case fields, frontMatter, compliance, complianceAttributes, sections, timeline, hotPatterns, tags, links,
            codeBlocks, diagnostics
        case salvaged
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encode(id, forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(kind, forKey: .kind)
        try container.encode(date, forKey: .date)
        try container.encode(severity, forKey: .severity)
        try container.encode(status, forKey: .status)
        try container.encode(project, forKey: .project)
        try container.encode(resolutionMinutes, forKey: .resolutionMinutes)
        try container.encode(shape, forKey: .shape)
        try container.encode(fields, forKey: .fields)
        try container.encode(frontMatter?.jsonValue ?? .null, forKey: .frontMatter)
        try container.encode(compliance.jsonValue, forKey: .compliance)
        try container.encode(
            JSONValue.object(compliance.attributes.map { (key: $0.key.scalarText ?? "?", value: $0.value.jsonValue) }),
            forKey: .complianceAttributes)
        try container.encode(sections, forKey: .sections)
        try container.encode(timeline, forKey: .timeline)
        try container.encode(hotPatterns, forKey: .hotPatterns)
        try container.encode(tags, forKey: .tags)
        try container.encode(links, forKey: .links)
        // Code is in the file; the JSON says where, to stay small.
        try container.encode(
            codeBlocks.map { JSONValue.object([("language", .string($0.language)), ("line", .int($0.line))]) },
            forKey: .codeBlocks)
        try container.encode(diagnostics, forKey: .diagnostics)
        try container.encode(salvaged, forKey: .salvaged)
    }
}

extension ComplianceMetadata {
    /// `{"hipaa": {"controls": [...], "retentionPeriod": {"amount": 7, "unit": "years"}, ...}, ...}`,
    /// plus `created`, `updated`, `version` when written.
    public var jsonValue: JSONValue {
        var entries: [(key: String, value: JSONValue)] = []
        for framework in frameworks {
            var object: [(key: String, value: JSONValue)] = [
                ("controls", .array(framework.controls.map { .string($0.value) }))
            ]
            if let period = framework.retentionPeriod?.value {
                object.append(
                    (
                        "retentionPeriod",
                        .object([("amount", .int(period.amount)), ("unit", .string(period.unit.rawValue))])
                    ))
            }
            if let value = framework.reviewFrequency?.value {
                object.append(("reviewFrequency", .string(value.rawValue)))
            }
            if let value = framework.classification?.value { object.append(("classification", .string(value))) }
            if let value = framework.phiContains?.value { object.append(("phiContains", .string(value))) }
            if let value = framework.evidenceType?.value { object.append(("evidenceType", .string(value))) }
            if let value = framework.encryptionRequired?.value { object.append(("encryptionRequired", .bool(value))) }
            if let value = framework.accessAuditRequired?.value { object.append(("accessAuditRequired", .bool(value))) }
            for pair in framework.otherKeys {
                if let key = pair.key.scalarText { object.append((key, pair.value.jsonValue)) }
            }
            entries.append((framework.name, .object(object)))
        }
        return .object(entries)
    }
}

extension RISDocument {
    /// Encodes documents as a pretty, key-sorted JSON array.
    public static func jsonData(_ documents: [RISDocument]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(documents)
    }
}

extension HotPattern {
    enum CodingKeys: String, CodingKey {
        case title, keywords, symptom, rootCause, solution, related, hitCount, lastUsed, line, hitCountLine,
            lastUsedLine
    }

    /// Every key, with null where a value is absent, so that scripts can rely on them.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(title, forKey: .title)
        try container.encode(keywords, forKey: .keywords)
        try container.encode(symptom, forKey: .symptom)
        try container.encode(rootCause, forKey: .rootCause)
        try container.encode(solution, forKey: .solution)
        try container.encode(related, forKey: .related)
        try container.encode(hitCount, forKey: .hitCount)
        try container.encode(lastUsed, forKey: .lastUsed)
        try container.encode(line, forKey: .line)
        try container.encode(hitCountLine, forKey: .hitCountLine)
        try container.encode(lastUsedLine, forKey: .lastUsedLine)
    }
}
