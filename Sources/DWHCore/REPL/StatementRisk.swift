/// Statements that ask before they run at a terminal: an `UPDATE` or `DELETE` without
/// `WHERE` (every row), a `DROP` and a `TRUNCATE`. Read from the code only (`SQLScanner`),
/// so a `where` in a comment or a string does not count, and `DROP` in a string is no drop.
/// From a pipe, `--yes` or `\set confirm off`, they run as they are.
enum StatementRisk {
    /// The question to ask before `sql` runs, or nil when it runs without asking.
    static func question(for sql: String) -> String? {
        let words = SQLScanner(sql).codeWords
        guard let first = words.first else { return nil }
        switch first {
        case "drop":
            let kind = words.dropFirst().first ?? ""
            let name = words.dropFirst(2).first { !["if", "exists", "concurrently"].contains($0) } ?? ""
            return "DROP \(kind.uppercased()) \(name): it cannot be undone. Run it?"
        case "truncate":
            let table = words.dropFirst().first { $0 != "table" && $0 != "only" } ?? "the table"
            return "TRUNCATE empties \(table). Run it?"
        case "update", "delete", "with":
            guard let verb = words.first(where: { $0 == "update" || $0 == "delete" }), !words.contains("where") else { return nil }
            let table = target(of: verb, in: words) ?? "the table"
            return verb == "delete" ? "DELETE without WHERE deletes every row of \(table). Run it?"
                : "UPDATE without WHERE changes every row of \(table). Run it?"
        default:
            return nil
        }
    }

    /// The table after `DELETE FROM` or `UPDATE` (past `ONLY`).
    private static func target(of verb: String, in words: [String]) -> String? {
        guard let index = words.firstIndex(of: verb) else { return nil }
        return words[(index + 1)...].first { !["from", "only"].contains($0) }
    }
}
