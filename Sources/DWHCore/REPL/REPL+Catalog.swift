import Foundation
import Postgres

extension REPL {
    /// `\d`, `\dt`, `\dv`, `\di`, `\dn`, `\df`, `\l`, as psql answers them: a titled table,
    /// or for `\d PATTERN` each relation it names in depth.
    func runCatalog(_ command: CatalogCommand) {
        guard ensureConnected() else { return }
        let pattern = command.pattern
        let names = [pattern?.schema ?? "", pattern?.name ?? "", command.system || pattern != nil ? "system" : ""]
        do {
            switch command.kind {
            case .describe where pattern != nil:
                try describe(pattern!, verbose: command.verbose)
            case .describe, .tables, .views:
                let kinds = command.kind == .tables ? "rp" : command.kind == .views ? "v" : "rpvmSf"
                try list("relations", names + [kinds], title: "List of relations", pattern: pattern,
                         verbose: command.verbose, extra: 2, emptyIsRelations: true)
            case .indexes:
                try list("index_list", names, title: "List of relations", pattern: pattern,
                         verbose: command.verbose, extra: 1, emptyIsRelations: true)
            case .schemas:
                try list("schemas", [names[1], names[2]], title: "List of schemas", pattern: pattern,
                         verbose: command.verbose, extra: 1)
            case .functions:
                try list("function_list", names, title: "List of functions", pattern: pattern,
                         verbose: command.verbose, extra: 1)
            case .databases:
                try list("databases", [names[1]], title: "List of databases", pattern: pattern, verbose: true, extra: 0)
            }
        } catch {
            fail("\(error)")
        }
    }

    /// `\c [DB [USER]]`: another database of the same server; the REPL's settings stay,
    /// and a failure keeps the connection in use (psql's "Previous connection kept").
    func reconnect(database: String?, user: String?) {
        let given = { (value: String?) in value == "-" ? nil : value }
        do {
            try session.reconnect(database: given(database), user: given(user))
            if let handler = session.connection.onNotice { session.showNotices(handler) }
            completionColumns = nil
            completionKnowledge = nil
            say("You are now connected to database \"\(connection.database)\" as user \"\(connection.user)\".")
        } catch {
            fail("\(error)")
        }
    }

    /// One catalog query's rows, its server errors placed in catalog.sql.
    func catalogRows(_ name: String, _ parameters: [String]) throws -> QueryResult {
        try connection.execute(catalogStatement(name), parameters)
    }

    /// A list, psql-style: its title, the table (the last `extra` columns only with `+`),
    /// and the row count; psql's sentence when a relation list comes back empty.
    private func list(_ statement: String, _ parameters: [String], title: String, pattern: CatalogPattern?,
                      verbose: Bool, extra: Int, emptyIsRelations: Bool = false) throws {
        var table = ResultTable(try catalogRows(statement, parameters))
        if emptyIsRelations && table.rows.isEmpty {
            let message = pattern.map { "Did not find any relation named \"\($0.text)\"." } ?? "Did not find any relations."
            FileHandle.standardError.write(Data((message + "\n").utf8))
            return
        }
        if !verbose && extra > 0 {
            table.columns.removeLast(extra)
            table.rows = table.rows.map { Array($0.dropLast(extra)) }
        }
        show(table, title: title)
    }

    /// A table with a centred title above it, in the REPL's format; the title and the row
    /// count only where the format is the aligned table.
    func show(_ table: ResultTable, title: String, footer: String = "", count: Bool = true) {
        let body = format.render(table, expanded: expanded == .on)
        guard format == .table else { return write(body + footer) }
        let width = body.split(separator: "\n").prefix(2).map { DisplayWidth.of(String($0)) }.max() ?? 0
        let indent = String(repeating: " ", count: max(0, (width - DisplayWidth.of(title)) / 2))
        write(indent + title + "\n" + body + footer + (count ? TableRenderer.footer(rows: table.rows.count, milliseconds: nil) : "") + "\n")
    }

    /// `\d PATTERN`: each table or view it names, as psql shows them; an error when none.
    private func describe(_ pattern: CatalogPattern, verbose: Bool) throws {
        let found = try catalogRows("find", catalogParameters([pattern.schema, pattern.name]).map { $0 ?? "" })
        guard found.rowCount > 0 else {
            return fail("Did not find any relation named \"\(pattern.text)\".")
        }
        for row in found.rows {
            let schema = row[0] ?? "", name = row[1] ?? ""
            let keys = [schema, name]
            let columns = session.dialect == .redshift ? keys + [connection.database] : keys
            let relation = RelationDescription(
                schema: schema, name: name, kind: row[2] ?? "r", distributionStyle: row[3] ?? "",
                columns: try catalogRows("describe", columns).rows,
                indexes: try catalogRows("indexes", keys).rows,
                constraints: try catalogRows("constraints", keys).rows)
            show(relation.columnTable(verbose: verbose), title: relation.title,
                 footer: relation.footer(dialect: session.dialect), count: false)
        }
    }
}

extension REPL {
    /// `\h [COMMAND]`, worded as psql words it (stdout, and not an error when unknown).
    func sqlHelp(_ topic: String?) {
        let help = SQLHelp.shipped
        guard let topic else { return write(help.index(width: Terminal.width())) }
        let found = help.lookup(topic)
        guard !found.isEmpty else {
            return say("No help available for \"\(topic)\".\nTry \\h with no arguments to see available help.")
        }
        write(found.map(SQLHelp.render).joined())
    }
}
