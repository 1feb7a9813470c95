import Foundation

/// Who is acting: the one rule for `Created By` of new records, the hit log and the audit
/// trail. Declared, so anyone can set it: `RIS_ACTOR`, else git's `user.email`, else the
/// login name (the audit trail records the observed uid beside it).
public struct ActingUser: Sendable, Hashable, CustomStringConvertible {
    public let name: String

    public init(name: String) { self.name = name }

    public var description: String { name }

    /// The actor of this process, by the rule above: worked out once (it asks git).
    public static func current() -> ActingUser { ofThisProcess }

    private static let ofThisProcess = current(
        environment: variables.reduce(into: [:]) { $0[$1] = ProcessEnvironment.value($1) })

    /// The environment variables the rule reads (each read by itself: `ProcessEnvironment`).
    static let variables = ["RIS_ACTOR", "USER", "LOGNAME"]

    /// The actor the rule gives for `environment` (`variables` of it).
    public static func current(environment: [String: String]) -> ActingUser {
        if let declared = environment["RIS_ACTOR"], !declared.isEmpty { return ActingUser(name: declared) }
        if let email = gitUserEmail(), !email.isEmpty { return ActingUser(name: email) }
        let login = [environment["USER"], environment["LOGNAME"]].compactMap { $0 }.first { !$0.isEmpty }
        return ActingUser(name: login ?? "unknown")
    }

    private static func gitUserEmail() -> String? {
        let result = ChildProcess.run(["git", "config", "user.email"])
        guard result.status == 0 else { return nil }
        return String(decoding: result.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
