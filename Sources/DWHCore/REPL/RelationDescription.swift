/// What `\d TABLE` shows, built from the rows of the catalog queries (`REPL/catalog.sql`:
/// describe, indexes, constraints) and laid out as psql lays it out: a title, the columns,
/// then the indexes, the constraints, the foreign keys of other tables that point here,
/// and on Redshift the distribution and sort keys.
struct RelationDescription: Equatable {
    var schema: String
    var name: String
    /// pg_class.relkind: r, p, v, m, f.
    var kind: String
    /// On Redshift, the distribution style (EVEN, KEY, ALL, AUTO (…)); "" elsewhere.
    var distributionStyle: String
    /// Column, Type, Nullable, Default, Description, distkey, sortkey.
    var columns: [[String?]]
    /// name, is_primary, is_unique, is_constraint, definition.
    var indexes: [[String?]]
    /// kind (c, f, r), name, definition, source schema, source table.
    var constraints: [[String?]]

    var title: String {
        let noun = switch kind {
        case "v": "View"
        case "m": "Materialized view"
        case "p": "Partitioned table"
        case "f": "Foreign table"
        default: "Table"
        }
        return "\(noun) \"\(schema).\(name)\""
    }

    /// The columns as a result table: psql's columns, and the description with `+`.
    func columnTable(verbose: Bool) -> ResultTable {
        let names = ["Column", "Type", "Nullable", "Default"] + (verbose ? ["Description"] : [])
        return ResultTable(columns: names.map { ResultTable.Column(name: $0) },
                           rows: columns.map { Array($0.prefix(names.count)) })
    }

    /// The sections after the columns, each a heading and its indented lines.
    func footer(dialect: Dialect) -> String {
        var sections: [(String, [String])] = []
        let keyHeading = dialect == .redshift ? "Primary and unique keys (Redshift does not enforce them):" : "Indexes:"
        sections.append((keyHeading, indexes.map { index(dialect: dialect, $0) }))
        let text = { (row: [String?], at: Int) in row.count > at ? row[at] ?? "" : "" }
        for (kind, heading) in [("c", "Check constraints:"), ("f", "Foreign-key constraints:")] {
            sections.append((heading, constraints.filter { text($0, 0) == kind }.map { "\"\(text($0, 1))\" \(text($0, 2))" }))
        }
        let referencing = constraints.filter { text($0, 0) == "r" }.map { row in
            let source = text(row, 3) == schema ? text(row, 4) : text(row, 3) + "." + text(row, 4)
            return "TABLE \"\(source)\" CONSTRAINT \"\(text(row, 1))\" \(text(row, 2))"
        }
        sections.append(("Referenced by:", referencing))
        if dialect == .redshift, kind == "r" { sections += physicalDesign }
        return sections.filter { !$0.1.isEmpty }.map { heading, lines in
            heading + "\n" + lines.map { "    " + $0 + "\n" }.joined()
        }.joined()
    }

    /// `"songs_pkey" PRIMARY KEY, btree (song_id)` as psql writes it, from
    /// pg_get_indexdef(); on Redshift `"songs_pkey" PRIMARY KEY (song_id)`.
    private func index(dialect: Dialect, _ row: [String?]) -> String {
        let value = { (at: Int) in row.count > at ? row[at] ?? "" : "" }
        let name = "\"\(value(0))\""
        guard dialect == .postgres else { return name + " " + value(4) }
        let flag = { (at: Int) in value(at) == "t" || value(at) == "true" }
        var kind = ""
        if flag(1) { kind = " PRIMARY KEY," } else if flag(2) { kind = flag(3) ? " UNIQUE CONSTRAINT," : " UNIQUE," }
        let definition = value(4)
        let method = definition.range(of: " USING ").map { String(definition[$0.upperBound...]) } ?? definition
        return name + kind + " " + method
    }

    /// Redshift's distribution style and key, and its sort key (compound or interleaved).
    private var physicalDesign: [(String, [String])] {
        let distributionKey = columns.filter { $0.count > 5 && ($0[5] == "t" || $0[5] == "true") }.compactMap { $0[0] }
        var lines = ["style " + (distributionStyle.isEmpty ? "unknown" : distributionStyle)]
        if let key = distributionKey.first { lines.append("key " + key) }
        let sorted = columns.compactMap { row -> (Int, String)? in
            guard row.count > 6, let position = row[6].flatMap({ Int($0) }), position != 0, let name = row[0] else { return nil }
            return (position, name)
        }
        var sections = [("Distribution:", lines)]
        if !sorted.isEmpty {
            let interleaved = sorted.contains { $0.0 < 0 }
            let names = sorted.sorted { abs($0.0) < abs($1.0) }.map(\.1).joined(separator: ", ")
            sections.append(("Sort key:", [(interleaved ? "interleaved " : "compound ") + "(\(names))"]))
        }
        return sections
    }
}
