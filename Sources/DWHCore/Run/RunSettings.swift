import Foundation

/// The `[RUN]` section of dwh.cfg, checked as a whole before anything runs, with the
/// command line's flags in front of it:
///
/// ```ini
/// [RUN]
/// EVENTS      = log_data/{yyyy}/{mm}/{date}-events.json   ; or s3://bucket/log_data/…
/// SONGS       = song_data                                  ; new files are loaded each run
/// START_DATE  = 2018-11-01
/// END_DATE    =                                            ; default: yesterday, UTC
/// REPORT      = reports/{date}.html
/// EXPORTS     = top_songs -> exports/{date}/top_songs.csv, plays_by_hour since={run_start} -> exports/{date}/hours.csv
/// RETRIES     = 3
/// RETRY_DELAY = 5m
/// ON_FAILURE  = mail -s "dwh run failed" ops@example.com < /dev/null
/// WEBHOOK     = https://hooks.slack.com/services/…
/// ```
///
/// A bad value is a configuration error naming its key (exit 78).
public struct RunSettings: Equatable, Sendable {
    public var events: PathTemplate?
    public var songs: String?
    public var startDate: RunDay?
    public var endDate: RunDay
    public var report: PathTemplate?
    public var exports: [ExportTarget]
    public var retries: Int
    /// Seconds between attempts.
    public var retryDelay: Double
    public var onFailure: String?
    public var webhook: String?
    /// Seconds a step waits for a table lock another session holds before it gives up
    /// (a transient failure, retried; then exit 75). 0 waits for ever. PostgreSQL only.
    public var lockTimeout: Double

    /// One `EXPORTS` entry: a saved query, its parameters and the file it is written to.
    public struct ExportTarget: Equatable, Sendable {
        public var query: String
        public var parameters: [(name: String, value: PathTemplate)]
        public var path: PathTemplate

        public static func == (lhs: ExportTarget, rhs: ExportTarget) -> Bool {
            lhs.query == rhs.query && lhs.path == rhs.path
                && lhs.parameters.map(\.name) == rhs.parameters.map(\.name) && lhs.parameters.map(\.value) == rhs.parameters.map(\.value)
        }
    }

    /// What the command line gives in place of dwh.cfg.
    public struct Overrides: Equatable, Sendable {
        public var retries: Int?
        public var retryDelay: String?
        public var onFailure: String?
        public var lockTimeout: String?

        public init(retries: Int? = nil, retryDelay: String? = nil, onFailure: String? = nil, lockTimeout: String? = nil) {
            self.retries = retries
            self.retryDelay = retryDelay
            self.onFailure = onFailure
            self.lockTimeout = lockTimeout
        }
    }

    public init(config: ConfigFile?, overrides: Overrides = Overrides(), now: Date = Date()) throws {
        func value(_ key: String) -> String? {
            guard let value = config?.value("RUN", key)?.value, !value.isEmpty else { return nil }
            return value
        }
        func day(_ key: String) throws -> RunDay? {
            guard let text = value(key) else { return nil }
            guard let day = RunDay(text) else { throw RunError.config(key: "[RUN] \(key)", reason: "\"\(text)\" is not a day (YYYY-MM-DD)") }
            return day
        }
        events = try value("EVENTS").map { text in
            let template = try PathTemplate(text, key: "[RUN] EVENTS")
            guard template.namesDay else {
                throw RunError.config(key: "[RUN] EVENTS", reason: "\"\(text)\" does not name the day ({date} or {dd}): every day would read the same file")
            }
            return template
        }
        songs = value("SONGS")
        startDate = try day("START_DATE")
        endDate = try day("END_DATE") ?? RunDay.yesterday(now: now)
        if let start = startDate, start > endDate {
            throw RunError.config(key: "[RUN] START_DATE", reason: "\(start) is after END_DATE \(endDate)")
        }
        report = try value("REPORT").map { try PathTemplate($0, key: "[RUN] REPORT") }
        exports = try value("EXPORTS").map(Self.exports) ?? []
        if let retries = overrides.retries {
            self.retries = retries
        } else if let text = value("RETRIES") {
            guard let number = Int(text), number >= 0 else { throw RunError.config(key: "[RUN] RETRIES", reason: "\"\(text)\" is not 0 or more") }
            self.retries = number
        } else {
            retries = 0
        }
        if let text = overrides.retryDelay {
            retryDelay = try Self.seconds(text, key: "--retry-delay")
        } else {
            retryDelay = try value("RETRY_DELAY").map { try Self.seconds($0, key: "[RUN] RETRY_DELAY") } ?? 300
        }
        if let text = overrides.lockTimeout {
            lockTimeout = try Self.seconds(text, key: "--lock-timeout")
        } else {
            lockTimeout = try value("LOCK_TIMEOUT").map { try Self.seconds($0, key: "[RUN] LOCK_TIMEOUT") } ?? 600
        }
        onFailure = overrides.onFailure ?? value("ON_FAILURE")
        webhook = value("WEBHOOK")
        if let webhook, !(webhook.hasPrefix("https://") || webhook.hasPrefix("http://")) {
            throw RunError.config(key: "[RUN] WEBHOOK", reason: "\"\(webhook)\" is not an http:// or https:// URL")
        }
    }

    /// `90`, `30s`, `5m`, `2h`, `1d` in seconds.
    public static func seconds(_ text: String, key: String) throws -> Double {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let unit = trimmed.last.flatMap { units[$0] }
        let number = unit == nil ? trimmed : String(trimmed.dropLast())
        guard let value = Double(number), value >= 0, value.isFinite, number.allSatisfy({ $0.isNumber || $0 == "." }) else {
            throw RunError.config(key: key, reason: "\"\(text)\" is not a duration (90, 30s, 5m, 2h, 1d)")
        }
        return value * (unit ?? 1)
    }

    /// `QUERY [NAME=VALUE]… -> PATH`, entries separated by commas.
    static func exports(_ text: String) throws -> [ExportTarget] {
        let key = "[RUN] EXPORTS"
        let allowed = PathTemplate.dayPlaceholders + PathTemplate.intervalPlaceholders
        return try text.split(separator: ",").map { entry in
            let halves = entry.components(separatedBy: "->")
            guard halves.count == 2 else {
                throw RunError.config(key: key, reason: "\"\(entry.trimmingCharacters(in: .whitespaces))\" is not `QUERY [NAME=VALUE]… -> PATH`")
            }
            let words = halves[0].split(separator: " ").map(String.init)
            guard let query = words.first else { throw RunError.config(key: key, reason: "an entry names no saved query") }
            let parameters = try words.dropFirst().map { word -> (name: String, value: PathTemplate) in
                let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw RunError.config(key: key, reason: "\"\(word)\" of \(query) is not NAME=VALUE") }
                return (parts[0], try PathTemplate(parts[1], key: key, allowed: allowed))
            }
            let path = halves[1].trimmingCharacters(in: .whitespaces)
            guard !path.isEmpty else { throw RunError.config(key: key, reason: "\(query) has no target path after `->`") }
            return ExportTarget(query: query, parameters: parameters, path: try PathTemplate(path, key: key, allowed: allowed))
        }
    }
}
