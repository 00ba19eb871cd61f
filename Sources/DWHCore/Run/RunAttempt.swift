import Foundation

/// One attempt of `dwh run` at a day, as the ledger keeps it and `dwh runs --format json`
/// prints it.
public struct RunAttempt: Codable, Equatable, Sendable {
    public enum Status: String, Codable, Sendable {
        /// `abandoned`: the attempt's process stopped (killed, or its server went away)
        /// before it could say how it ended; the next run marks it so, and runs the day.
        case running, succeeded, failed, abandoned
    }

    /// One step's outcome: how long it took, the rows it wrote, what it did or why it failed.
    public struct Step: Codable, Equatable, Sendable {
        public var step: String
        public var seconds: Double
        public var rows: Int
        public var detail: String
        public var error: String?

        public init(step: String, seconds: Double, rows: Int, detail: String, error: String? = nil) {
            self.step = step
            self.seconds = (seconds * 1000).rounded() / 1000
            self.rows = rows
            self.detail = detail
            self.error = error
        }
    }

    public var runID: String
    public var date: RunDay
    public var attempt: Int
    public var status: Status
    /// `2026-12-03 11:45:00`, UTC.
    public var startedAt: String
    public var finishedAt: String?
    public var exitCode: Int?
    public var error: String?
    public var steps: [Step]
    public var host: String
    public var pid: Int
    public var dwhVersion: String

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", date, attempt, status, startedAt = "started_at", finishedAt = "finished_at"
        case exitCode = "exit_code", error, steps, host, pid, dwhVersion = "dwh_version"
    }

    /// The steps as the ledger's `steps` column holds them: a JSON array.
    static func encode(_ steps: [Step]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(steps)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    static func decode(_ text: String?) -> [Step] {
        guard let text, let steps = try? JSONDecoder().decode([Step].self, from: Data(text.utf8)) else { return [] }
        return steps
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(runID, forKey: .runID)
        try container.encode(date, forKey: .date)
        try container.encode(attempt, forKey: .attempt)
        try container.encode(status, forKey: .status)
        try container.encode(startedAt, forKey: .startedAt)
        // Present as null rather than left out: a monitor reads every key of every attempt.
        try container.encode(finishedAt, forKey: .finishedAt)
        try container.encode(exitCode, forKey: .exitCode)
        try container.encode(error, forKey: .error)
        try container.encode(steps, forKey: .steps)
        try container.encode(host, forKey: .host)
        try container.encode(pid, forKey: .pid)
        try container.encode(dwhVersion, forKey: .dwhVersion)
    }
}
