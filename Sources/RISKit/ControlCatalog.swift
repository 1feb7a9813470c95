import Foundation

/// One control of the catalog.
public struct Control: Sendable, Hashable, Codable {
    public var framework: String
    public var edition: String
    public var id: String
    public var title: String
    public var kind: String
    /// For ISO/IEC 27001:2013 controls, the 2022 controls they map to.
    public var mapsTo: [String]?
}

/// HIPAA Security Rule, SOC 2 and ISO/IEC 27001 control IDs and titles, with the aliases
/// people write (HIPAA `164.308(a)(1)(i)`, NIST `164.310(a)`; ISO `A.5.37` for `5.37`).
public struct ControlCatalog: Sendable {
    public let controls: [Control]
    private let byKey: [String: Control]
    /// For each ISO/IEC 27001:2022 control, the 2013 controls that map to it.
    private let predecessorsByID: [String: [String]]

    public static let shared: ControlCatalog = {
        let controls = (try? JSONDecoder().decode([Control].self, from: Data(controlCatalogJSON.utf8))) ?? []
        return ControlCatalog(controls: controls)
    }()

    init(controls: [Control]) {
        self.controls = controls
        var index: [String: Control] = [:]
        for control in controls { index[ControlCatalog.key(control.framework, control.id)] = control }
        byKey = index
        var predecessors: [String: [String]] = [:]
        for control in controls where control.framework == "iso27001" && control.edition == "2013" {
            for successor in control.mapsTo ?? [] { predecessors[successor, default: []].append(control.id) }
        }
        predecessorsByID = predecessors
    }

    static func key(_ framework: String, _ id: String) -> String {
        canonicalFramework(framework) + "|" + id.uppercased().replacingOccurrences(of: " ", with: "")
    }

    /// `hipaa`, `soc2`, `iso27001` for the spellings of a framework key; others lower-cased.
    public static func canonicalFramework(_ name: String) -> String {
        let compact = name.lowercased().filter { $0.isLetter || $0.isNumber }
        switch compact {
        case "hipaa": return "hipaa"
        case "soc2", "soc": return "soc2"
        case "iso27001", "iso", "iso27k": return "iso27001"
        default: return compact
        }
    }

    /// The ISO/IEC 27001:2013 controls that map to the 2022 control `id`.
    public func predecessors(of id: String) -> [String] { predecessorsByID[id] ?? [] }

    /// Whether the catalog covers the framework at all.
    public func knows(framework: String) -> Bool {
        let name = ControlCatalog.canonicalFramework(framework)
        return controls.contains { $0.framework == name }
    }

    /// The control an ID names in a framework, aliases included.
    public func control(_ id: String, framework: String) -> Control? {
        let name = ControlCatalog.canonicalFramework(framework)
        let trimmed = id.trimmingCharacters(in: .whitespaces)
        if let found = byKey[ControlCatalog.key(name, trimmed)] { return found }
        switch name {
        case "hipaa":
            // `164.308(a)(1)(i)`: the paragraph where the standard's text sits.
            if trimmed.hasSuffix("(i)"), let found = byKey[ControlCatalog.key(name, String(trimmed.dropLast(3)))] {
                return found
            }
            // NIST 800-66 `164.310(a)`: the standard `164.310(a)(1)`.
            if let found = byKey[ControlCatalog.key(name, trimmed + "(1)")] { return found }
        case "iso27001":
            // `A.5.37` written for the 2022 control `5.37`.
            if trimmed.uppercased().hasPrefix("A."),
                let found = byKey[ControlCatalog.key(name, String(trimmed.dropFirst(2)))],
                found.edition == "2022"
            {
                return found
            }
        default:
            break
        }
        return nil
    }

    /// The catalog ID closest to `id` in the framework (edit distance), for hints.
    public func nearest(_ id: String, framework: String) -> Control? {
        let name = ControlCatalog.canonicalFramework(framework)
        let wanted = Array(id.uppercased())
        return controls.filter { $0.framework == name }.min {
            distance(Array($0.id.uppercased()), wanted) < distance(Array($1.id.uppercased()), wanted)
        }
    }

    private func distance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
