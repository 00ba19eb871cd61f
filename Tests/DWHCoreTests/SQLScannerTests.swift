@testable import DWHCore
import Foundation
import XCTest

/// The same hostile inputs through every view of SQL built on `SQLScanner`: the splitter,
/// the token view (and what reads it: `onlyReads`, `canUnload`), the lint mask, the
/// dialect-block directives of a SQL file, the REPL's statement buffer and parameter inlining.
final class SQLScannerViewsTests: XCTestCase {
    struct Case {
        let sql: String
        /// What `SQLSplitter` cuts.
        let statements: [String]
        let tokens: [String]
        let mask: String
        /// What the REPL's buffer finishes when fed the lines, and what it keeps (trimmed).
        let finished: [String]
        let pending: String
        let readOnly: Bool
        var unloadable = true
        /// For each line after the first, and for a line added after the last: whether a
        /// `-- dwh:` line there is a directive (the line starts in code).
        let directives: [Bool]
        /// `$1` → `'one'`, `$2` → `'two'`; nil when nothing changes.
        var inlined: String?
    }

    /// Spaces as many as `text` has scalars: what the mask makes of a comment or a literal's contents.
    static func blank(_ text: String) -> String { String(repeating: " ", count: text.unicodeScalars.count) }
    /// `x` as many as `text` has scalars: what the mask makes of a quoted name.
    static func name(_ text: String) -> String { String(repeating: "x", count: text.unicodeScalars.count) }

    static let cases: [Case] = [
        Case(sql: "/* a /* b */ delete */ SELECT 1", statements: ["SELECT 1"], tokens: ["select", "1"],
             mask: blank("/* a /* b */ delete */") + " select 1", finished: [], pending: "/* a /* b */ delete */ SELECT 1",
             readOnly: true, directives: [true]),
        Case(sql: "SELECT $q$ limit $q$ AS v", statements: ["SELECT $q$ limit $q$ AS v"],
             tokens: ["select", "$q$ limit $q$", "as", "v"], mask: "select $q$" + blank(" limit ") + "$q$ as v",
             finished: [], pending: "SELECT $q$ limit $q$ AS v", readOnly: true, directives: [true]),
        Case(sql: #"SELECT E'\' delete '"#, statements: [#"SELECT E'\' delete '"#], tokens: ["select", #"E'\' delete '"#],
             mask: "select e'" + blank(#"\' delete "#) + "'", finished: [], pending: #"SELECT E'\' delete '"#,
             readOnly: true, directives: [true]),
        Case(sql: #"SELECT e'\'; DELETE FROM t; ' AS v; SELECT 2"#,
             statements: [#"SELECT e'\'; DELETE FROM t; ' AS v;"#, "SELECT 2"],
             tokens: ["select", #"e'\'; DELETE FROM t; '"#, "as", "v", ";", "select", "2"],
             mask: "select e'" + blank(#"\'; DELETE FROM t; "#) + "' as v; select 2",
             finished: [#"SELECT e'\'; DELETE FROM t; ' AS v;"#], pending: "SELECT 2", readOnly: false, directives: [true]),
        Case(sql: "SELECT 'it''s; -- no' AS \"a \"\";b\" -- c; d\n;",
             statements: ["SELECT 'it''s; -- no' AS \"a \"\";b\" -- c; d\n;"],
             tokens: ["select", "'it''s; -- no'", "as", "a \";b", ";"],
             mask: "select '" + blank("it''s; -- no") + "' as " + name("\"a \"\";b\"") + " " + blank("-- c; d") + "\n;",
             finished: ["SELECT 'it''s; -- no' AS \"a \"\";b\" -- c; d\n;"], pending: "", readOnly: true, directives: [true, true]),
        Case(sql: "SELECT $1, a$b$ FROM t WHERE x = $2::int; SELECT $x$;$x$;",
             statements: ["SELECT $1, a$b$ FROM t WHERE x = $2::int;", "SELECT $x$;$x$;"],
             tokens: ["select", "$1", ",", "a$b$", "from", "t", "where", "x", "=", "$2", ":", ":", "int", ";",
                      "select", "$x$;$x$", ";"],
             mask: "select $1, a$b$ from t where x = $2::int; select $x$ $x$;",
             finished: ["SELECT $1, a$b$ FROM t WHERE x = $2::int;", "SELECT $x$;$x$;"], pending: "", readOnly: false,
             directives: [true], inlined: "SELECT 'one', a$b$ FROM t WHERE x = 'two'::int; SELECT $x$;$x$;"),
        Case(sql: "SELECT '$1' AS \"$2\" -- $1\n, $2 /* $1 */", statements: ["SELECT '$1' AS \"$2\" -- $1\n, $2"],
             tokens: ["select", "'$1'", "as", "$2", ",", "$2"],
             mask: "select '  ' as xxxx " + blank("-- $1") + "\n, $2 " + blank("/* $1 */"),
             finished: [], pending: "SELECT '$1' AS \"$2\" -- $1\n, $2 /* $1 */", readOnly: true, directives: [true, true],
             inlined: "SELECT '$1' AS \"$2\" -- $1\n, 'two' /* $1 */"),
        Case(sql: "SELECT 'abc", statements: ["SELECT 'abc"], tokens: ["select", "'abc"], mask: "select '" + blank("abc"),
             finished: [], pending: "SELECT 'abc", readOnly: true, directives: [false]),
        Case(sql: "SELECT 1; /* open ; -- x", statements: ["SELECT 1;"], tokens: ["select", "1", ";"],
             mask: "select 1; " + blank("/* open ; -- x"), finished: ["SELECT 1;"], pending: "/* open ; -- x",
             readOnly: true, directives: [false]),
        Case(sql: "SELECT $body$ a; $x$ ;", statements: ["SELECT $body$ a; $x$ ;"], tokens: ["select", "$body$ a; $x$ ;"],
             mask: "select $body$" + blank(" a; $x$ ;"), finished: [], pending: "SELECT $body$ a; $x$ ;",
             readOnly: true, directives: [false]),
        Case(sql: "SELECT \"name;", statements: ["SELECT \"name;"], tokens: ["select", "name;"], mask: "select " + name("\"name;"),
             finished: [], pending: "SELECT \"name;", readOnly: true, directives: [false]),
        Case(sql: #"SELECT E'ab\"#, statements: [#"SELECT E'ab\"#], tokens: ["select", #"E'ab\"#],
             mask: "select e'" + blank(#"ab\"#), finished: [], pending: #"SELECT E'ab\"#, readOnly: true, directives: [false]),
        Case(sql: "-- it's\nSELECT 1; -- done", statements: ["SELECT 1;"], tokens: ["select", "1", ";"],
             mask: blank("-- it's") + "\nselect 1; " + blank("-- done"), finished: ["-- it's\nSELECT 1;"], pending: "-- done",
             readOnly: true, directives: [true, true]),
        Case(sql: "SELECT 1; DELETE FROM t", statements: ["SELECT 1;", "DELETE FROM t"],
             tokens: ["select", "1", ";", "delete", "from", "t"], mask: "select 1; delete from t",
             finished: ["SELECT 1;"], pending: "DELETE FROM t", readOnly: false, directives: [true]),
        Case(sql: "SELECT $$\n-- dwh:end\n$$ AS v;", statements: ["SELECT $$\n-- dwh:end\n$$ AS v;"],
             tokens: ["select", "$$\n-- dwh:end\n$$", "as", "v", ";"], mask: "select $$\n" + blank("-- dwh:end") + "\n$$ as v;",
             finished: ["SELECT $$\n-- dwh:end\n$$ AS v;"], pending: "", readOnly: true, directives: [false, false, true]),
        Case(sql: "/* a\n/* b */\n-- dwh:end */ SELECT 'x\n-- dwh:end\n';",
             statements: ["SELECT 'x\n-- dwh:end\n';"], tokens: ["select", "'x\n-- dwh:end\n'", ";"],
             mask: blank("/* a") + "\n" + blank("/* b */") + "\n" + blank("-- dwh:end */") + " select '" + blank("x")
                 + "\n" + blank("-- dwh:end") + "\n';",
             finished: ["/* a\n/* b */\n-- dwh:end */ SELECT 'x\n-- dwh:end\n';"], pending: "", readOnly: true,
             directives: [false, false, false, false, true]),
        Case(sql: "SELECT 'é✓' AS \"ü\", $ü$ x $ü$;", statements: ["SELECT 'é✓' AS \"ü\", $ü$ x $ü$;"],
             tokens: ["select", "'é✓'", "as", "ü", ",", "$ü$ x $ü$", ";"], mask: "select '  ' as xxx, $x$   $x$;",
             finished: ["SELECT 'é✓' AS \"ü\", $ü$ x $ü$;"], pending: "", readOnly: true, directives: [true]),
        Case(sql: "SELECT a FROM t ORDER BY a LIMIT 5 /* limit */", statements: ["SELECT a FROM t ORDER BY a LIMIT 5"],
             tokens: ["select", "a", "from", "t", "order", "by", "a", "limit", "5"],
             mask: "select a from t order by a limit 5 " + blank("/* limit */"), finished: [],
             pending: "SELECT a FROM t ORDER BY a LIMIT 5 /* limit */", readOnly: true, unloadable: false, directives: [true]),
        Case(sql: "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM (SELECT 1 LIMIT 1) s",
             statements: ["WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM (SELECT 1 LIMIT 1) s"],
             tokens: ["with", "d", "as", "(", "delete", "from", "t", "returning", "*", ")", "select", "*", "from",
                      "(", "select", "1", "limit", "1", ")", "s"],
             mask: "with d as (delete from t returning *) select * from (select 1 limit 1) s", finished: [],
             pending: "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM (SELECT 1 LIMIT 1) s", readOnly: false,
             directives: [true]),
    ]

    func testEveryViewReadsTheSameInputsAlike() throws {
        for test in Self.cases {
            let sql = test.sql
            XCTAssertEqual(SQLSplitter.split(sql).map(\.sql), test.statements, sql)
            XCTAssertEqual(SQLTokens(sql).tokens, test.tokens, sql)
            XCTAssertEqual(SQLMask(sql).text, test.mask, sql)
            XCTAssertEqual(QueryText.onlyReads(sql), test.readOnly, "onlyReads: \(sql)")
            XCTAssertEqual(RedshiftExport.canUnload(sql), test.unloadable, "canUnload: \(sql)")
            XCTAssertEqual(RedshiftExport.inline(["one", "two"], into: sql), test.inlined ?? sql, sql)

            var buffer = StatementBuffer()
            var finished: [String] = []
            for line in sql.split(separator: "\n", omittingEmptySubsequences: false) { finished += buffer.append(line: String(line)) }
            XCTAssertEqual(finished, test.finished, "buffer: \(sql)")
            XCTAssertEqual(buffer.pending.trimmingCharacters(in: .whitespacesAndNewlines), test.pending, "buffer: \(sql)")
            XCTAssertEqual(buffer.isEmpty, test.pending.isEmpty, "buffer: \(sql)")

            XCTAssertEqual(try directives(after: sql), test.directives, "dialect blocks: \(sql)")
        }
    }

    func testANamedStatementKeepsADashedLineInsideItsString() throws {
        let file = try SQLFile(path: "q.sql", contents: "-- name: q\n-- a comment\nSELECT 'a\n-- not a comment\n' AS v\n")
        XCTAssertEqual(file.statements(for: .postgres).map(\.sql), ["SELECT 'a\n-- not a comment\n' AS v"])
    }

    /// For each line of `sql` after the first, and after the last: whether a `-- dwh:frob`
    /// line put there is read as a directive by `SQLFile` (it then refuses the typo).
    func directives(after sql: String) throws -> [Bool] {
        let lines = sql.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return try (1...lines.count).map { cut in
            let text = (lines[..<cut] + ["-- dwh:frob"] + lines[cut...]).joined(separator: "\n")
            do {
                _ = try SQLFile(path: "views.sql", contents: text)
                return false
            } catch SQLFileError.badDirective(_, let line, _, _) {
                XCTAssertEqual(line, cut + 1, sql)
                return true
            }
        }
    }
}

/// The scanner's own spans: kinds, offsets, lines and columns, and the unfinished forms.
final class SQLScannerTests: XCTestCase {
    func kinds(_ sql: String) -> [SQLSpan.Kind] { SQLScanner(sql).spans.map(\.kind) }
    func texts(_ sql: String) -> [String] {
        let scanner = SQLScanner(sql)
        return scanner.spans.map { scanner.text(of: $0) }
    }

    func testEachFormIsOneSpan() {
        let sql = #"SELECT 'a''b', E'\'', "q""", $t$ x $t$ -- c"# + "\n/* a /* b */ */ $1"
        XCTAssertEqual(texts(sql), ["SELECT ", "'a''b'", ", ", #"E'\''"#, ", ", "\"q\"\"\"", ", ", "$t$ x $t$", " ",
                                    "-- c", "\n", "/* a /* b */ */", " $1"])
        XCTAssertEqual(kinds(sql), [.code, .string, .code, .escapeString, .code, .quotedName, .code, .dollarQuoted(tag: "t"),
                                    .code, .lineComment, .code, .blockComment, .code])
        XCTAssertTrue(SQLScanner(sql).spans.allSatisfy(\.isTerminated))
        XCTAssertNil(SQLScanner(sql).unterminated)
    }

    func testDollarSignsThatOpenNoQuote() {
        // A parameter, a `$` inside a name, a tag that starts with a digit: all code.
        XCTAssertEqual(kinds("SELECT $1, a$b$, $1$ FROM x$y"), [.code])
        XCTAssertEqual(kinds("SELECT $2a$ x $2a$"), [.code])
        // An `E` inside a name opens no escape string: `somE'\'` is a name and a plain string.
        XCTAssertEqual(texts(#"SELECT somE'\' x"#), ["SELECT somE", #"'\'"#, " x"])
        // Tags: empty, with digits and underscores after the first scalar, non-ASCII; the
        // closing tag must be the same one.
        XCTAssertEqual(texts("$$a$$"), ["$$a$$"])
        XCTAssertEqual(texts("$_a1$ $a$ $_a1$;"), ["$_a1$ $a$ $_a1$", ";"])
        XCTAssertEqual(kinds("$é$x$é$"), [.dollarQuoted(tag: "é")])
        // A dollar quote right after another one, or after a string, is one too.
        XCTAssertEqual(texts("$a$x$a$$b$y$b$"), ["$a$x$a$", "$b$y$b$"])
    }

    func testUnfinishedFormsEndTheText() {
        let open = ["SELECT 'abc": SQLSpan.Kind.string, #"SELECT E'ab\"#: .escapeString, #"SELECT E'\'"#: .escapeString,
                    "SELECT \"a": .quotedName, "SELECT $f$ body $g$": .dollarQuoted(tag: "f"),
                    "SELECT /* a /* b */": .blockComment, "SELECT /*": .blockComment]
        for (sql, kind) in open {
            let scanner = SQLScanner(sql)
            XCTAssertEqual(scanner.unterminated?.kind, kind, sql)
            XCTAssertEqual(scanner.unterminated?.range.upperBound, sql.unicodeScalars.count, sql)
            XCTAssertEqual(scanner.spans.first.map { scanner.text(of: $0) }, "SELECT ", sql)
        }
        // A line comment at the end of the text is finished.
        XCTAssertNil(SQLScanner("SELECT 1 -- done").unterminated)
        XCTAssertEqual(kinds(""), [])
    }

    private let multiLine = SQLScanner("SELECT 'é✓',\n  \"ü\" -- x")

    func testSpansKnowTheirCharacterAndByteOffsets() {
        XCTAssertEqual(multiLine.spans.map(\.range), [0..<7, 7..<11, 11..<15, 15..<18, 18..<19, 19..<23])
        XCTAssertEqual(multiLine.spans.map(\.utf8Range), [0..<7, 7..<14, 14..<18, 18..<22, 22..<23, 23..<27])
    }

    func testSpansKnowTheirLinesAndColumns() {
        XCTAssertEqual(multiLine.spans.map(\.line), [1, 1, 1, 2, 2, 2])
        XCTAssertEqual(multiLine.spans.map(\.column), [1, 8, 12, 3, 6, 7])
    }

    func testSpansCoverEveryInputWithoutGaps() {
        for sql in SQLScannerViewsTests.cases.map(\.sql) + ["", "-", "/", "$", "'", "E", "e'", "\"\"", "/*/", "--"] {
            let spans = SQLScanner(sql).spans
            XCTAssertEqual(spans.first?.range.lowerBound ?? 0, 0, sql)
            XCTAssertEqual(spans.last?.range.upperBound ?? 0, sql.unicodeScalars.count, sql)
            XCTAssertEqual(spans.last?.utf8Range.upperBound ?? 0, sql.utf8.count, sql)
            for (span, next) in zip(spans, spans.dropFirst()) {
                XCTAssertEqual(span.range.upperBound, next.range.lowerBound, sql)
                XCTAssertFalse(span.isCode && next.isCode, "two runs of code in a row: \(sql)")
            }
            XCTAssertFalse(spans.contains { $0.range.isEmpty }, sql)
        }
    }

    func testCodeOnlyViewsForTheREPL() {
        let scanner = SQLScanner("/* DELETE */ select ':x' AS \"WHERE\", :x -- WHERE\nFROM t WHERE a = 1")
        XCTAssertEqual(scanner.codeWords, ["select", "as", "x", "from", "t", "where", "a", "1"])
        XCTAssertEqual(scanner.codeSpans.map { scanner.text(of: $0) }, [" select ", " AS ", ", :x ", "\nFROM t WHERE a = 1"])
        XCTAssertEqual(scanner.replacingCode { $0.replacingOccurrences(of: ":x", with: "42") },
                       "/* DELETE */ select ':x' AS \"WHERE\", 42 -- WHERE\nFROM t WHERE a = 1")
    }

    func testPlaceholdersAreFilledInCodeOnceEach() {
        XCTAssertEqual(SQLScanner.fillingPlaceholders(in: "COPY t FROM {source} IAM_ROLE {role} -- {role}\nFORMAT '{role}' {x}",
                                                      ["source": "'{role}'", "role": "'arn'"]),
                       "COPY t FROM '{role}' IAM_ROLE 'arn' -- {role}\nFORMAT '{role}' {x}")
    }

    func testAnUnloadedQueryKeepsTextThatLooksLikeAPlaceholder() {
        // The UNLOAD template's {role} and {target}, inside the query's own strings, stay as written.
        let export = RedshiftExport(query: "SELECT '{role}' AS r, '{target}' AS t", parameters: [],
                                    prefix: S3Location(bucket: "b", key: "p"), iamRole: "arn:role", runID: "r1")
        XCTAssertTrue(export.statement.hasPrefix("UNLOAD ('SELECT ''{role}'' AS r, ''{target}'' AS t')\nTO 's3://b/p/dwh-export-r1/part_'\nIAM_ROLE 'arn:role'"),
                      export.statement)
    }
}
