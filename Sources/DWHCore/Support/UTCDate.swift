import Foundation

/// Dates as dwh writes and reads them: in UTC, independent of the machine's locale.
enum UTCDate {
    /// A formatter for `format` (a `DateFormatter` pattern) in UTC, `en_US_POSIX`.
    static func formatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter
    }
}
