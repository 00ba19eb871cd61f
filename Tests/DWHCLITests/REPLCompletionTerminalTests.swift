import DWHCore
import Foundation
import TestSupport
import XCTest

/// Completion that knows the statement, in a real terminal (tmux), typed as a person
/// would: the JOIN condition from the foreign key, an alias's columns, a function, a
/// table after `\d`. (The capture drops trailing spaces, so the space a completion adds
/// shows in the text typed after it.)
final class REPLCompletionTerminalTests: XCTestCase {
    func testTabCompletesJoinConditionsAliasColumnsAndFunctions() throws {
        let database = try freshDatabase(prefix: "cli")
        try database.connect().execute(REPLCatalogCLITests.fixture)
        let history = try temporaryFolder("history") + "/history"
        let repl = try TmuxSession(command: [DWHBinary.path, "repl", "--database-url", database.url],
                                   environment: ["DWH_HISTORY": history])
        repl.waitFor("postgres=>")
        try repl.type("SELECT count(*) AS n FROM songplays sp JOIN songs s ON ", then: "Tab")
        repl.waitFor("JOIN songs s ON sp.song_id = s.song_id")
        try repl.type("WHERE s.ti", then: "Tab")
        repl.waitFor("s.song_id WHERE s.title")
        try repl.type("<> '' AND plays_o", then: "Tab")
        repl.waitFor("'' AND plays_of")
        try repl.type("(s.song_id) = 0;", then: "Enter")
        repl.waitFor(" n\n───\n 0\n(1 row)")
        // The select list completes from a FROM typed after the cursor.
        try repl.type("SELECT titl FROM songs WHERE false;")
        for _ in 0..<" FROM songs WHERE false;".count { try repl.type("", then: "Left") }
        try repl.type("", then: "Tab")
        repl.waitFor("SELECT title FROM songs WHERE false;")
        try repl.type("", then: "Enter")
        repl.waitFor(" title\n───────\n(0 rows)")
        try repl.type("\\d art", then: "Tab")
        repl.waitFor("=> \\d artists")
        try repl.type("", then: "Enter")
        repl.waitFor("Referenced by:\n    TABLE \"songs\" CONSTRAINT \"songs_artist_id_fkey\"")
        try repl.type("\\q", then: "Enter")
        repl.waitFor("[exit 0]")
    }
}
