import Foundation

/// One day of the daily job, in UTC: the unit `dwh run` loads, checks and records.
public struct RunDay: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let year: Int
    public let month: Int
    public let day: Int

    /// `2018-11-05`; nil for anything else, including days that do not exist (`2018-02-30`).
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) }) else { return nil }
        var components = DateComponents()
        (components.year, components.month, components.day) = (year, month, day)
        guard let date = Self.calendar.date(from: components),
              Self.calendar.dateComponents([.year, .month, .day], from: date) == DateComponents(year: year, month: month, day: day)
        else { return nil }
        (self.year, self.month, self.day) = (year, month, day)
    }

    /// The UTC day `date` falls in.
    public init(containing date: Date) {
        let parts = Self.calendar.dateComponents([.year, .month, .day], from: date)
        (year, month, day) = (parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }

    /// The day before the one `now` falls in: the last day whose logs are complete.
    public static func yesterday(now: Date = Date()) -> RunDay {
        RunDay(containing: now).adding(days: -1)
    }

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// Midnight UTC at the start of the day.
    public var start: Date {
        Self.calendar.date(from: DateComponents(year: year, month: month, day: day)) ?? Date(timeIntervalSince1970: 0)
    }

    public func adding(days: Int) -> RunDay {
        RunDay(containing: Self.calendar.date(byAdding: .day, value: days, to: start) ?? start)
    }

    /// Every day from this one to `last`, both included; empty when `last` is earlier.
    public func through(_ last: RunDay) -> [RunDay] {
        var days: [RunDay] = []
        var day = self
        while day <= last {
            days.append(day)
            day = day.adding(days: 1)
        }
        return days
    }

    public var yyyy: String { String(format: "%04d", year) }
    public var mm: String { String(format: "%02d", month) }
    public var dd: String { String(format: "%02d", day) }
    public var description: String { "\(yyyy)-\(mm)-\(dd)" }

    /// The day's interval as timestamps the checks and exports bind: `[run_start, run_end)`.
    public var runStart: String { "\(self) 00:00:00" }
    public var runEnd: String { "\(adding(days: 1)) 00:00:00" }

    public static func < (lhs: RunDay, rhs: RunDay) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = RunDay(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a day: \(text)"))
        }
        self = day
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
