@testable import DWHCore
import XCTest

/// The pure parts of the REPL's catalog commands and `\h`: psql's name patterns, the
/// layout of `\d TABLE`, the help lookup.
final class REPLCatalogTests: XCTestCase {
    func testPatternsFollowPsqlsRules() {
        XCTAssertEqual(CatalogPattern("songs").name, "^(songs)$")
        XCTAssertEqual(CatalogPattern("songs").schema, "")
        XCTAssertEqual(CatalogPattern("Songs").name, "^(songs)$")
        XCTAssertEqual(CatalogPattern("public.song*").schema, "^(public)$")
        XCTAssertEqual(CatalogPattern("public.song*").name, "^(song.*)$")
        XCTAssertEqual(CatalogPattern("s?ngs").name, "^(s.ngs)$")
        XCTAssertEqual(CatalogPattern("\"My.Table*\"").name, "^(My\\.Table\\*)$")
        XCTAssertEqual(CatalogPattern("\"a\"\"b\"").name, "^(a\"b)$")
        XCTAssertEqual(CatalogPattern("etl.").name, "")
        XCTAssertEqual(CatalogPattern("dwh.etl.t").schema, "^(etl)$")
        XCTAssertEqual(CatalogPattern("a$b").name, "^(a\\$b)$")
    }

    func testTheDescriptionLaysOutKeysAsPsqlDoes() {
        let relation = RelationDescription(
            schema: "public", name: "songs", kind: "r", distributionStyle: "",
            columns: [["song_id", "character varying(32)", "not null", "", "the id", "f", "0"]],
            indexes: [["songs_pkey", "t", "t", "t", "CREATE UNIQUE INDEX songs_pkey ON public.songs USING btree (song_id)"],
                      ["songs_title_key", "f", "t", "f", "CREATE UNIQUE INDEX songs_title_key ON public.songs USING btree (title)"]],
            constraints: [["f", "songs_artist_id_fkey", "FOREIGN KEY (artist_id) REFERENCES artists(artist_id)", "", ""],
                          ["r", "songplays_song_id_fkey", "FOREIGN KEY (song_id) REFERENCES songs(song_id)", "public", "songplays"],
                          ["r", "plays_song_fkey", "FOREIGN KEY (song) REFERENCES songs(song_id)", "etl", "plays"]])
        XCTAssertEqual(relation.title, "Table \"public.songs\"")
        XCTAssertEqual(relation.columnTable(verbose: false).columns.map(\.name), ["Column", "Type", "Nullable", "Default"])
        XCTAssertEqual(relation.columnTable(verbose: true).rows, [["song_id", "character varying(32)", "not null", "", "the id"]])
        XCTAssertEqual(relation.footer(dialect: .postgres), """
            Indexes:
                "songs_pkey" PRIMARY KEY, btree (song_id)
                "songs_title_key" UNIQUE, btree (title)
            Foreign-key constraints:
                "songs_artist_id_fkey" FOREIGN KEY (artist_id) REFERENCES artists(artist_id)
            Referenced by:
                TABLE "songplays" CONSTRAINT "songplays_song_id_fkey" FOREIGN KEY (song_id) REFERENCES songs(song_id)
                TABLE "etl.plays" CONSTRAINT "plays_song_fkey" FOREIGN KEY (song) REFERENCES songs(song_id)

            """)
    }

    /// songplays on Redshift: KEY distribution on song_id, a compound sort key (song_id, start_time).
    private func songplays() -> RelationDescription {
        RelationDescription(
            schema: "public", name: "songplays", kind: "r", distributionStyle: "KEY",
            columns: [["songplay_id", "bigint", "not null", "\"identity\"(1, 0, '1,1'::text)", "", "false", "0"],
                      ["start_time", "timestamp without time zone", "not null", "", "", "false", "2"],
                      ["song_id", "character varying(32)", "", "", "", "true", "1"]],
            indexes: [["songplays_pkey", "t", "t", "t", "PRIMARY KEY (songplay_id)"]], constraints: [])
    }

    func testOnRedshiftTheDescriptionShowsKeysDistributionAndSortKeys() {
        XCTAssertEqual(songplays().footer(dialect: .redshift), """
            Primary and unique keys (Redshift does not enforce them):
                "songplays_pkey" PRIMARY KEY (songplay_id)
            Distribution:
                style KEY
                key song_id
            Sort key:
                compound (song_id, start_time)

            """)
    }

    func testOnRedshiftAnInterleavedSortKeyIsSaidSo() {
        var interleaved = songplays()
        interleaved.columns[1][6] = "-2"
        interleaved.columns[2][6] = "-1"
        XCTAssertTrue(interleaved.footer(dialect: .redshift).hasSuffix("Sort key:\n    interleaved (song_id, start_time)\n"))
    }

    func testOnRedshiftAViewShowsNoDistribution() {
        var view = songplays()
        view.kind = "v"
        XCTAssertFalse(view.footer(dialect: .redshift).contains("Distribution"))
    }

    func testHelpFindsCommandsAsPsqlDoes() throws {
        let help = SQLHelp.shipped
        XCTAssertGreaterThan(help.entries.count, 180)
        XCTAssertEqual(help.lookup("select").map(\.command), ["SELECT"])
        XCTAssertEqual(help.lookup("create table").map(\.command), ["CREATE TABLE"])
        XCTAssertEqual(help.lookup("create  tab").map(\.command), ["CREATE TABLE", "CREATE TABLE AS", "CREATE TABLESPACE"])
        XCTAssertEqual(help.lookup("create table foo").map(\.command), ["CREATE TABLE", "CREATE TABLE AS", "CREATE TABLESPACE"])
        XCTAssertEqual(help.lookup("frobnicate"), [])
        let select = try XCTUnwrap(help.lookup("WITH").first)
        XCTAssertEqual(select.url, "https://www.postgresql.org/docs/15/sql-select.html")
        XCTAssertEqual(select.purpose, "retrieve rows from a table or view")
        XCTAssertTrue(select.synopsis.hasPrefix("[ WITH [ RECURSIVE ] with_query [, ...] ]\nSELECT [ ALL | DISTINCT"), select.synopsis)
        XCTAssertTrue(SQLHelp.render(select).hasPrefix("Command:     WITH\nDescription: retrieve rows from a table or view\nSyntax:\n"))
    }

    func testTheHelpTextNamesItsSource() {
        let text = EmbeddedResource.text("REPL/sql-help.txt")
        XCTAssertTrue(text.hasPrefix("# SQL syntax for the REPL's \\h, generated by `make sql-help`"))
        XCTAssertTrue(text.contains("postgresql-doc-15 15."))
    }
}
