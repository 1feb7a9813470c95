import Foundation

/// A real calendar day written `YYYY-MM-DD` (2026-02-30 is not one), in UTC.
public struct CalendarDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// As written: `2026-01-31`.
    public let text: String
    /// Its start, UTC.
    public let date: Date

    public init?(_ text: String) {
        guard let date = Day.parse(text) else { return nil }
        self.text = text
        self.date = date
    }

    public init(_ date: Date) {
        self.text = Day.format(date)
        self.date = Day.parse(text) ?? date
    }

    /// Today, UTC.
    public static func today() -> CalendarDay { CalendarDay(Date()) }

    public var description: String { text }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool { lhs.date < rhs.date }
}

/// A calendar quarter written `YYYY-Qn`.
public struct Quarter: Sendable, Hashable, CustomStringConvertible {
    public let year: Int
    public let number: Int
    /// Its first and last day.
    public let bounds: (first: Date, last: Date)

    public init?(_ text: String) {
        guard let (first, last) = try? QuarterlyReview.bounds(of: text) else { return nil }
        let parts = Day.calendar.dateComponents([.year, .month], from: first)
        year = parts.year!
        number = (parts.month! - 1) / 3 + 1
        bounds = (first, last)
    }

    public var description: String { String(format: "%04d-Q%d", year, number) }

    /// The last quarter that ended before `day`: what a quarterly review covers by default
    /// (on 2026-11-28, 2026-Q3; on 2026-01-01, 2025-Q4).
    public static func lastComplete(before day: CalendarDay) -> Quarter {
        let parts = Day.calendar.dateComponents([.year, .month], from: day.date)
        var year = parts.year ?? 1970
        var number = ((parts.month ?? 1) - 1) / 3  // the quarter before the current one
        if number == 0 {
            year -= 1
            number = 4
        }
        return Quarter(String(format: "%04d-Q%d", year, number))!
    }

    public static func == (lhs: Quarter, rhs: Quarter) -> Bool { lhs.year == rhs.year && lhs.number == rhs.number }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(year)
        hasher.combine(number)
    }
}
