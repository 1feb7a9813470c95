import Foundation

/// One variable of this process's environment, read where it is: `ProcessInfo.processInfo
/// .environment` copies every variable into a new dictionary on each use (~390,000
/// instructions with a shell's environment, three times in a search).
public enum ProcessEnvironment {
    /// The variable's value; nil when it is not set.
    public static func value(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }
}
