import Postgres

/// What the star schema holds, table by table, for comparing two warehouses (or one before
/// and after): row order and generated ids aside.
public enum StarSnapshot {
    /// Each star table's rows as text (songplay_id, track_id and the play's source aside),
    /// digested: equal snapshots mean the same rows, row for row. A play's track is compared
    /// by what it holds; the per-listener tables are compared whole.
    public static func of(_ connection: Connection) throws -> [String] {
        let tables = [
            ("songplays", """
                SELECT ROW(p.start_time, p.user_id, p.level, p.song_id, p.artist_id, p.session_id, p.location, p.user_agent,
                           t.logged_artist, t.logged_title, t.length)::text FROM songplays p LEFT JOIN tracks t USING (track_id)
                """),
            ("users", "SELECT ROW(user_id, first_name, last_name, gender, level)::text FROM users"),
            ("songs", "SELECT ROW(song_id, title, artist_id, year, duration)::text FROM songs"),
            ("artists", "SELECT ROW(artist_id, name, location, latitude, longitude)::text FROM artists"),
            ("time", "SELECT ROW(start_time, hour, day, week, month, year, weekday)::text FROM time"),
            ("tracks", "SELECT ROW(logged_artist, logged_title, length, artist, title, song_id, artist_id)::text FROM tracks"),
            ("listener_artists", "SELECT ROW(user_id, artist, plays)::text FROM listener_artists"),
            ("listener_taste", "SELECT ROW(user_id, artist, plays)::text FROM listener_taste"),
            ("artist_pairs", "SELECT ROW(artist, other, together)::text FROM artist_pairs"),
            ("artist_stats", "SELECT ROW(artist, listeners, plays, taste_norm)::text FROM artist_stats"),
            ("artist_neighbours", "SELECT ROW(artist, other, similarity)::text FROM artist_neighbours"),
        ]
        return try tables.map { table, select in
            let row = try connection.execute("""
                SELECT COUNT(*), md5(COALESCE(string_agg(r, E'\\n' ORDER BY r), '')) FROM (\(select)) rows (r)
                """).rows.first ?? []
            return "\(table) \(row[0] ?? "?") \(row[1] ?? "?")"
        }
    }
}
