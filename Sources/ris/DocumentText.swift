import FrontMatter
import RISKit

/// The readable page of `ris parse` for one document.
enum DocumentText {
    static func render(_ document: RISDocument) -> String {
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
            var parts: [String] = []
            if !framework.controls.isEmpty { parts.append("controls " + framework.controls.map(\.value).joined(separator: ", ")) }
            if let period = framework.retentionPeriod?.value { parts.append("retain \(period.amount) \(period.unit.rawValue)") }
            if let frequency = framework.reviewFrequency?.value { parts.append("review \(frequency.rawValue)") }
            if let value = framework.classification?.value { parts.append(value) }
            if let value = framework.phiContains?.value { parts.append("PHI: \(value)") }
            lines.append("  \(framework.name): " + parts.joined(separator: "; "))
        }
        if !document.sections.isEmpty { lines.append("  sections:  \(document.sections.count)") }
        if !document.timeline.isEmpty {
            lines.append("  timeline:  \(document.timeline.count) events, \(document.timeline.first!.time) to \(document.timeline.last!.time)")
        }
        for pattern in document.hotPatterns {
            let hits = pattern.hitCount.map { "\($0) hits" } ?? "no hit count"
            lines.append("  hot pattern (line \(pattern.line)): \(pattern.title) [\(pattern.keywords.count) keywords, \(hits)\(pattern.lastUsed.map { ", last used \($0)" } ?? "")]")
        }
        if !document.tags.isEmpty { lines.append("  tags:      " + document.tags.joined(separator: ", ")) }
        if !document.links.isEmpty { lines.append("  links:     \(document.links.count)") }
        let errors = document.diagnostics.filter { $0.severity == .error }.count
        let warnings = document.diagnostics.count - errors
        if errors + warnings > 0 { lines.append("  problems:  \(errors) error(s), \(warnings) warning(s)") }
        return lines.joined(separator: "\n")
    }
}
