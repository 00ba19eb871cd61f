import Postgres

/// What the top of a report states before any section: the period its plays cover (the
/// first and last play, from `since` when one was given), the totals, and how many plays
/// matched a song of the catalogue, which says how far the song and artist sections can
/// be trusted. Read with `Resources/report/summary.sql`.
public struct ReportSummary: Equatable, Sendable {
    /// The `since` the report was given (`--param since=…`), nil for every play.
    public var since: String?
    public var firstPlay: String?
    public var lastPlay: String?
    public var plays: Int
    public var listeners: Int
    public var paidPlays: Int
    /// Plays whose logged title, artist and length matched a song of the song files
    /// (`songplays.song_id` set by the transform).
    public var matchedPlays: Int

    public init(since: String?, firstPlay: String?, lastPlay: String?, plays: Int, listeners: Int, paidPlays: Int,
                matchedPlays: Int) {
        self.since = since
        self.firstPlay = firstPlay
        self.lastPlay = lastPlay
        self.plays = plays
        self.listeners = listeners
        self.paidPlays = paidPlays
        self.matchedPlays = matchedPlays
    }

    static let statement = SQLStatements("report/summary.sql")["summary"]

    /// Reads the summary of the plays since `since` (every play when nil).
    public static func read(on connection: Connection, since: String?) throws -> ReportSummary {
        let row = ResultTable(try connection.execute(statement, [since])).rows.first ?? []
        func number(_ index: Int) -> Int { index < row.count ? row[index].flatMap { Int($0) } ?? 0 : 0 }
        return ReportSummary(since: since, firstPlay: row.first ?? nil, lastPlay: row.count > 1 ? row[1] : nil,
                             plays: number(2), listeners: number(3), paidPlays: number(4), matchedPlays: number(5))
    }

    /// `2018-11-01 to 2018-11-30 (the first and last play)`, or from the `since` given.
    public var period: String {
        guard let lastPlay else { return since.map { "since \($0): no plays" } ?? "no plays" }
        if let since { return "\(since) to \(Self.minute(lastPlay)) (since = \(since), to the last play)" }
        return "\(Self.minute(firstPlay ?? lastPlay)) to \(Self.minute(lastPlay)) (the first and last play)"
    }

    /// The facts in reading order, label then value.
    public var facts: [(label: String, value: String)] {
        [("Period", period),
         ("Plays", Self.count(plays)),
         ("Listeners", Self.count(listeners)),
         ("Paid plays", "\(Self.count(paidPlays)) of \(Self.count(plays)) (\(Self.percent(paidPlays, of: plays)))"),
         ("Matched to a known song", "\(Self.count(matchedPlays)) of \(Self.count(plays)) plays "
            + "(\(Self.percent(matchedPlays, of: plays)))")]
    }

    /// What the matched share counts, and what it means for the sections.
    public static let matchedNote = "Matched to a known song: plays whose logged title, artist and length match a "
        + "song of the song files. The sections with matched = only count only these; the others count every play "
        + "by the title and artist logged."

    /// `2018-11-30 23:59`: a timestamp to the minute.
    static func minute(_ timestamp: String) -> String {
        String(timestamp.prefix(16))
    }

    /// `6,820`: thousands grouped, the same in every locale.
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// `82.0%`, or `0.01%` for a share under a tenth of a percent, so one play in
    /// thousands does not read as none.
    static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "–" }
        let share = 100 * Double(part) / Double(whole)
        if share > 0 && share < 0.1 { return String(format: "%.2f%%", share) }
        return String(format: "%.1f%%", share)
    }
}
