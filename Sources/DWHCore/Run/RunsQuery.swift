import Foundation

/// What `dwh runs` shows of the ledger: attempts filtered by day or failure, the days of a
/// range with no success (gaps), and whether the last success is recent enough.
public struct RunsQuery: Sendable {
    public var date: RunDay?
    public var failedOnly: Bool
    public var from: RunDay?
    public var to: RunDay

    public init(date: String?, failed: Bool, from: String?, to: String?, settings: RunSettings) throws {
        func day(_ text: String?, _ flag: String) throws -> RunDay? {
            guard let text else { return nil }
            guard let day = RunDay(text) else { throw RunError.config(key: flag, reason: "\"\(text)\" is not a day (YYYY-MM-DD)") }
            return day
        }
        self.date = try day(date, "--date")
        failedOnly = failed
        self.from = try day(from, "--from") ?? settings.startDate
        self.to = try day(to, "--to") ?? settings.endDate
    }

    public func filter(_ attempts: [RunAttempt]) -> [RunAttempt] {
        attempts.filter { (date == nil || $0.date == date) && (!failedOnly || [.failed, .abandoned].contains($0.status)) }
    }

    /// The days from `from` to `to` with no successful attempt.
    public func missing(_ attempts: [RunAttempt]) throws -> [RunDay] {
        guard let from else {
            throw RunError.config(key: "[RUN] START_DATE", reason: "not set; --missing needs it, or --from")
        }
        let done = Set(attempts.filter { $0.status == .succeeded }.map(\.date))
        return from.through(to).filter { !done.contains($0) }
    }

    /// Whether the last success finished within `limit` (`26h`) of `now`.
    public static func freshness(_ attempts: [RunAttempt], limit: String, now: Date = Date()) throws -> (fresh: Bool, message: String) {
        let seconds = try RunSettings.seconds(limit, key: "--freshness")
        let formatter = UTCDate.formatter("yyyy-MM-dd HH:mm:ss")
        let last = attempts.filter { $0.status == .succeeded }.compactMap { attempt in
            attempt.finishedAt.flatMap(formatter.date(from:)).map { (attempt, $0) }
        }.max { $0.1 < $1.1 }
        guard let (attempt, finished) = last else { return (false, "stale: no run has succeeded yet") }
        let age = now.timeIntervalSince(finished)
        let text = String(format: "last success: %@ (day %@), %.1f h ago", attempt.finishedAt ?? "", attempt.date.description, age / 3600)
        return age <= seconds ? (true, "fresh: " + text) : (false, "stale: " + text + ", more than \(limit)")
    }

    public static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    /// One line per attempt.
    public static func table(_ attempts: [RunAttempt]) -> String {
        guard !attempts.isEmpty else { return "no runs recorded\n" }
        var lines = ["date        attempt  status     started_at           finished_at          exit  host/pid  error"]
        for attempt in attempts {
            let cells = [attempt.date.description, String(attempt.attempt).padding(toLength: 7, withPad: " ", startingAt: 0),
                         attempt.status.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0), attempt.startedAt,
                         (attempt.finishedAt ?? "-").padding(toLength: 19, withPad: " ", startingAt: 0),
                         (attempt.exitCode.map(String.init) ?? "-").padding(toLength: 4, withPad: " ", startingAt: 0),
                         "\(attempt.host)/\(attempt.pid)", attempt.error?.split(separator: "\n").first.map(String.init) ?? ""]
            lines.append(cells.joined(separator: "  "))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
