import RISWorkflows

/// The readable page of `ris parse` for one document. Each line holds values from the file;
/// every line is escaped whole (`Terminal.escaped`), so a value cannot add a line or act on
/// the terminal.
enum DocumentText {
    static func render(_ document: RISDocument) -> String {
        lines(of: document).map { Terminal.escaped($0) }.joined(separator: "\n")
    }

    /// The lines of the page, as read from the file (not yet escaped).
    private static func lines(of document: RISDocument) -> [String] {
        var lines: [String] = []
        lines.append("\(document.path)")
        lines.append("  id:        \(document.id)")
        lines.append("  title:     \(document.title)")
        lines.append("  kind:      \(document.kind.rawValue)   shape: \(document.shape.rawValue)")
        var facts: [String] = []
        if let date = document.date { facts.append("date \(date)") }
        if let severity = document.severity { facts.append("severity \(severity)") }
        if let status = document.status { facts.append("status \(status)") }
        if let minutes = document.resolutionMinutes { facts.append("resolved in \(minutes) min") }
        if let project = document.project { facts.append("project \(project)") }
        if !facts.isEmpty { lines.append("  " + facts.joined(separator: ", ")) }
        for framework in document.compliance.frameworks {
            lines.append("  \(framework.name): " + summary(of: framework))
        }
        if !document.compliance.attributes.isEmpty {
            lines.append("  compliance attributes: " + attributes(of: document.compliance))
        }
        if document.salvaged { lines.append("  read around a YAML error: only the keys outside the broken lines") }
        if !document.sections.isEmpty { lines.append("  sections:  \(document.sections.count)") }
        if !document.timeline.isEmpty {
            lines.append(
                "  timeline:  \(document.timeline.count) events, \(document.timeline.first!.time) to "
                    + "\(document.timeline.last!.time)"
            )
        }
        for pattern in document.hotPatterns {
            let hits = pattern.hitCount.map { "\($0) hits" } ?? "no hit count"
            lines.append(
                "  hot pattern (line \(pattern.line)): \(pattern.title) [\(pattern.keywords.count) keywords, "
                    + "\(hits)\(pattern.lastUsed.map { ", last used \($0)" } ?? "")]"
            )
        }
        if !document.tags.isEmpty { lines.append("  tags:      " + document.tags.joined(separator: ", ")) }
        if !document.links.isEmpty { lines.append("  links:     \(document.links.count)") }
        if !document.diagnostics.isEmpty { lines.append("  problems:  " + problems(of: document)) }
        return lines
    }

    /// `controls CC7.3, CC8.1; retain 7 years; review quarterly; ...`, or that it applies with no details.
    static func summary(of framework: FrameworkCompliance) -> String {
        var parts: [String] = []
        if !framework.controls.isEmpty {
            parts.append("controls " + framework.controls.map(\.value).joined(separator: ", "))
        }
        if let period = framework.retentionPeriod?.value {
            parts.append("retain \(period.amount) \(period.unit.rawValue)")
        }
        if let frequency = framework.reviewFrequency?.value { parts.append("review \(frequency.rawValue)") }
        if let value = framework.classification?.value { parts.append("classification \(value)") }
        if let value = framework.phiContains?.value { parts.append("PHI \(value)") }
        if let value = framework.evidenceType?.value { parts.append("evidence \(value)") }
        return parts.isEmpty ? "applies (no details)" : parts.joined(separator: "; ")
    }

    /// `audit_trail true, retention_policy keep forever`.
    static func attributes(of compliance: ComplianceMetadata) -> String {
        compliance.attributes.map {
            "\($0.key.scalarText ?? "?") \($0.value.scalarText ?? $0.value.jsonValue.compactText)"
        }.joined(separator: ", ")
    }

    /// `1 error, 2 warnings, 1 note`.
    static func problems(of document: RISDocument) -> String {
        let counts = [Diagnostic.Severity.error, .warning, .note].map { severity in
            (severity, document.diagnostics.filter { $0.severity == severity }.count)
        }
        return counts.filter { $0.1 > 0 }.map { "\($0.1) \($0.0.rawValue)\($0.1 == 1 ? "" : "s")" }.joined(
            separator: ", ")
    }
}
