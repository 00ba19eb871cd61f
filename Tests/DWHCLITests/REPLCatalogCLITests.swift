@testable import DWHCore
import Foundation
import TestSupport
import XCTest

/// The REPL's catalog commands, `\c` and `\h`, each given the same input as psql on the
/// same database and compared with psql's answer: the same rows, titles, key sections and
/// messages, in dwh's table style.
final class REPLCatalogCLITests: XCTestCase {
    static let fixture = """
        CREATE TABLE artists (artist_id varchar(32) PRIMARY KEY, name varchar(256));
        CREATE TABLE songs (song_id varchar(32) PRIMARY KEY, artist_id varchar(32) REFERENCES artists,
                            title varchar(1024) NOT NULL DEFAULT 'untitled', year int CHECK (year >= 0),
                            duration double precision, UNIQUE (title, artist_id));
        CREATE INDEX songs_year_idx ON songs (year);
        CREATE TABLE songplays (songplay_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                                song_id varchar(32) REFERENCES songs, start_time timestamp NOT NULL DEFAULT now());
        CREATE SCHEMA etl;
        CREATE TABLE etl.plays (id int, song varchar(32) REFERENCES songs (song_id));
        CREATE VIEW recent AS SELECT * FROM songplays;
        CREATE FUNCTION plays_of(song text) RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM songplays WHERE song_id = song $$;
        COMMENT ON COLUMN songs.title IS 'as the file gives it';
        """

    struct Outputs {
        var dwh: ProcessOutput
        var psql: ProcessOutput
    }

    /// The same lines through `dwh repl` and `psql`, from a pipe, 80 columns wide.
    func both(_ database: FreshDatabase, _ lines: [String], dwhFirst: [String] = []) throws -> Outputs {
        let directory = try temporaryFolder("catalog")
        try lines.map { $0 + "\n" }.joined().write(toFile: directory + "/psql", atomically: true, encoding: .utf8)
        let environment = ["COLUMNS": "80", "DWH_HISTORY": "/dev/null", "PSQLRC": "/dev/null"]
        let dwh = try database.run(["repl", "--continue-on-error"], environment: environment,
                                   input: (dwhFirst + lines).map { $0 + "\n" }.joined())
        let psql = try Shell.run("/bin/sh", ["-c", "exec /usr/bin/psql -X \"$0\" < \"$SCRIPT\"", database.url],
                                 environment: ProcessInfo.processInfo.environment.merging(environment) { $1 }
                                    .merging(["SCRIPT": directory + "/psql"]) { $1 })
        return Outputs(dwh: dwh, psql: psql)
    }

    func fixtureDatabase() throws -> FreshDatabase {
        let database = try freshDatabase(prefix: "cat")
        try database.connect().execute(Self.fixture)
        return database
    }

    /// A `\d TABLE` answer as title, cells of each column row, and the lines after them;
    /// psql's Collation column (which dwh leaves out) dropped.
    static func descriptions(_ text: String, separator: Character) -> [(title: String, rows: [[String]], footer: [String])] {
        var found: [(String, [[String]], [String])] = []
        for block in text.components(separatedBy: "\n\n") where block.contains(separator) {
            var lines = block.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            while lines.first?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeFirst() }
            guard lines.count > 3 else { continue }
            let title = lines[0].trimmingCharacters(in: .whitespaces)
            let body = lines.dropFirst(3)
            let rows = body.prefix { $0.contains(separator) }.map { line in
                var cells = line.split(separator: separator, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                if separator == "|" { cells.remove(at: 2) }
                return cells
            }
            found.append((title, rows, Array(body.dropFirst(rows.count)).filter { !$0.isEmpty }))
        }
        return found
    }

    func testDescribeShowsWhatPsqlShowsColumnsKeysAndBothWaysForeignKeys() throws {
        let database = try fixtureDatabase()
        let outputs = try both(database, ["\\d songs", "\\d songplays", "\\d etl.plays", "\\d recent", "\\d song*", "\\d nosuch"])
        XCTAssertEqual(outputs.dwh.status, 1, outputs.dwh.stderr)
        let dwh = Self.descriptions(outputs.dwh.stdout, separator: "│")
        // psql's `\d song*` describes the indexes and the sequence it names too; dwh's
        // describes tables and views only.
        let psql = Self.descriptions(outputs.psql.stdout, separator: "|").filter { $0.title.hasPrefix("Table") || $0.title.hasPrefix("View") }
        XCTAssertEqual(dwh.map(\.title), ["Table \"public.songs\"", "Table \"public.songplays\"", "Table \"etl.plays\"",
                                          "View \"public.recent\"", "Table \"public.songplays\"", "Table \"public.songs\""])
        XCTAssertEqual(dwh.map(\.title), psql.map(\.title))
        XCTAssertEqual(dwh.map(\.rows), psql.map(\.rows))
        XCTAssertEqual(dwh.map(\.footer), psql.map(\.footer))
        XCTAssertTrue(dwh[0].footer.contains("    TABLE \"etl.plays\" CONSTRAINT \"plays_song_fkey\" FOREIGN KEY (song) REFERENCES songs(song_id)"),
                      "\(dwh[0].footer)")
        XCTAssertEqual(dwh[1].rows[0], ["songplay_id", "bigint", "not null", "generated always as identity"])
        let message = "Did not find any relation named \"nosuch\"."
        XCTAssertTrue(outputs.psql.stderr.contains(message), outputs.psql.stderr)
        XCTAssertEqual(outputs.dwh.stderr, message + "\n")
    }

    /// The lists, as CSV from dwh and unaligned from psql. dwh's lists, unlike psql's,
    /// show every user schema without a pattern: psql is asked with `*.*`, its system
    /// schemas left out.
    func testTheListsHoldPsqlsRows() throws {
        let database = try fixtureDatabase()
        let commands = ["\\dt", "\\dv", "\\di", "\\dn", "\\df", "\\df lower", "\\dt song*", "\\d", "\\l"]
        let psqlCommands = ["\\dt *.*", "\\dv", "\\di", "\\dn", "\\df", "\\df lower", "\\dt song*", "\\dtvmsE *.*", "\\l"]
        for (command, psqlCommand) in zip(commands, psqlCommands) {
            let outputs = try both(database, [command], dwhFirst: ["\\format csv"])
            XCTAssertEqual(outputs.dwh.status, 0, outputs.dwh.stderr)
            var dwh = try XCTUnwrap(outputs.dwh.stdout.split(separator: "\n").dropFirst(2).map { line in
                line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            } as [[String]]?)
            let listed = try Shell.run("/usr/bin/psql", ["-X", "-A", "-t", database.url, "-c", psqlCommand])
            var psql = listed.stdout.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
                .filter { !$0[0].hasPrefix("pg_") && $0[0] != "information_schema" || command.hasPrefix("\\df") }
            if command == "\\l" {
                // psql's access privileges run over lines; dwh's are one line, comma-separated.
                (dwh, psql) = (dwh.map { Array($0.prefix(5)) }, psql.filter { $0.count > 5 }.map { Array($0.prefix(5)) })
            }
            XCTAssertFalse(psql.isEmpty, command)
            XCTAssertEqual(dwh, psql, command)
        }
        let titled = try both(database, ["\\dt", "\\dv nosuch", "\\dn"])
        XCTAssertTrue(titled.dwh.stdout.hasPrefix("         List of relations\n Schema │ Name"), titled.dwh.stdout)
        XCTAssertTrue(titled.dwh.stdout.contains(" etl    │ plays     │ table │"), titled.dwh.stdout)
        XCTAssertTrue(titled.dwh.stdout.contains("(4 rows)\n\n"), titled.dwh.stdout)
        XCTAssertEqual(titled.dwh.stderr, "Did not find any relation named \"nosuch\".\n")
        XCTAssertTrue(titled.psql.stderr.contains("Did not find any relation named \"nosuch\"."), titled.psql.stderr)
        XCTAssertTrue(titled.dwh.stdout.contains("List of schemas"), titled.dwh.stdout)
    }

    /// `\x`, `\c postgres`, `\c` to a database that does not exist, `\c` back, with a query
    /// after each `\c`, in dwh and in psql; and the user they connect as.
    private func connectScript() throws -> (outputs: Outputs, user: String) {
        let database = try fixtureDatabase()
        let lines = ["\\x", "\\c postgres", "SELECT current_database() AS db;", "\\c nosuch_db", "SELECT current_database() AS db;",
                     "\\c \(database.name)", "SELECT count(*) AS songs FROM songs;"]
        return (try both(database, lines), try database.connect().user)
    }

    /// `\c DB` moves the session as psql's does, and keeps the REPL's settings (`\x` here).
    func testConnectMovesToAnotherDatabase() throws {
        let (outputs, user) = try connectScript()
        let moved = "You are now connected to database \"postgres\" as user \"\(user)\"."
        XCTAssertTrue(outputs.psql.stdout.contains(moved), outputs.psql.stdout)
        XCTAssertTrue(outputs.dwh.stdout.contains(moved), outputs.dwh.stdout)
        XCTAssertTrue(outputs.dwh.stdout.contains("songs │ 0"), outputs.dwh.stdout)
    }

    /// A failed `\c` keeps the connection in use.
    func testAFailedConnectKeepsTheOldConnection() throws {
        let outputs = try connectScript().outputs
        XCTAssertEqual(outputs.dwh.status, 1, outputs.dwh.stderr)
        XCTAssertEqual(outputs.dwh.stdout.components(separatedBy: "db │ postgres").count, 3, outputs.dwh.stdout)
        // psql keeps the old connection at a terminal only; from a script it stops there.
        // dwh keeps it either way, and from a pipe goes on only with --continue-on-error.
        let refused = "FATAL:  database \"nosuch_db\" does not exist"
        XCTAssertTrue(outputs.psql.stderr.contains(refused), outputs.psql.stderr)
        XCTAssertTrue(outputs.dwh.stderr.contains(refused + "\nPrevious connection kept"), outputs.dwh.stderr)
        XCTAssertEqual(outputs.psql.stdout.components(separatedBy: " postgres\n").count, 2, outputs.psql.stdout)
    }

    /// `\h` prints psql's own text: the synopsis, the description and the URL, the list,
    /// and the message for an unknown command.
    func testHelpPrintsWhatPsqlPrints() throws {
        let database = try freshDatabase(prefix: "cat")
        for topic in ["SELECT", "create tab", "insert", "copy", "create table foo", "nosuch", ""] {
            let outputs = try both(database, ["\\h \(topic)"])
            XCTAssertEqual(outputs.dwh.status, 0, outputs.dwh.stderr)
            XCTAssertEqual(outputs.dwh.stdout, outputs.psql.stdout, topic)
        }
    }
}
