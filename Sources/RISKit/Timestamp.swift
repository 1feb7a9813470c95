import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The UTC time stamps ris writes (audit events, hits, the index): `2026-11-27T14:58:32Z`,
/// what `ISO8601DateFormatter` writes by default, without the ICU set-up that formatter costs
/// on its first use (about a millisecond of every command that logs an access).
public enum Timestamp {
    public static func iso8601(_ date: Date = Date()) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let year = String(parts.tm_year + 1900)
        return "\(String(repeating: "0", count: max(0, 4 - year.count)))\(year)-\(two(parts.tm_mon + 1))-"
            + "\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}

extension Timestamp {
    /// When a document is generated: now, or the time `SOURCE_DATE_EPOCH` gives (seconds
    /// since 1970, the reproducible-builds convention), so that the same inputs can give the
    /// same bytes.
    public static func generationTime(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let text = environment["SOURCE_DATE_EPOCH"], let seconds = Int64(text), seconds >= 0 {
            return iso8601(Date(timeIntervalSince1970: TimeInterval(seconds)))
        }
        return iso8601()
    }
}
