@testable import DWHCore
import TestSupport
import XCTest

/// `dwh migrate lint` without a database: the rules as shipped, where findings point, what
/// they must not see, and dwh's own migrations.
final class LintTests: XCTestCase {
    func parse(_ text: String, name: String = "0007_sample.sql") throws -> MigrationFile {
        try MigrationFile(fileName: name, displayPath: "migrations/" + name, contents: text)
    }

    func lint(_ text: String, _ dialects: [Dialect] = [.redshift]) throws -> [LintFinding] {
        try MigrationLint(dialects: dialects).findings(in: parse(text))
    }

    /// Each dialect's rules as shipped, each with a lint that knows only them.
    private func bundledRules() throws -> [(dialect: Dialect, rules: [LintRule], lint: MigrationLint)] {
        try Dialect.allCases.map { dialect in
            let set = try LintRuleSet.bundled(dialect)
            return (dialect, set.rules, try MigrationLint(ruleSets: [set]))
        }
    }

    func testEveryDialectHasRules() throws {
        for (dialect, rules, _) in try bundledRules() {
            XCTAssertFalse(rules.isEmpty, "\(dialect) has no rules")
        }
    }

    func testEveryRuleReportsItsBadExample() throws {
        for (_, rules, lint) in try bundledRules() {
            for rule in rules {
                let bad = try lint.findings(in: parse("-- migrate:up\n\(rule.bad);\n")).map(\.ruleID)
                // Some examples break their rule twice (`addr inet, price money`): one finding each.
                XCTAssertEqual(Set(bad), [rule.id], "\(rule.id): bad example \(rule.bad)")
            }
        }
    }

    func testEveryRuleReportsNothingInItsGoodExample() throws {
        for (_, rules, lint) in try bundledRules() {
            for rule in rules {
                let good = try lint.findings(in: parse("-- migrate:up\n\(rule.good);\n")).map(\.ruleID)
                XCTAssertEqual(good, [], "\(rule.id): good example \(rule.good)")
            }
        }
    }

    func testEveryRuleNamesItsSource() throws {
        for (_, rules, _) in try bundledRules() {
            for rule in rules {
                XCTAssertTrue(rule.source.url.hasPrefix("https://") && !rule.source.title.isEmpty, rule.id)
            }
        }
    }

    func testRuleIDsAreUniqueAcrossDialects() {
        XCTAssertNoThrow(try MigrationLint(dialects: Dialect.allCases), "rule ids are unique across dialects")
    }

    func testAPatternICUCannotCompileNamesItsRule() {
        // Python's named group syntax, which the rules were first written against.
        let json = #"{"rules": [{"id": "r", "category": "type", "pattern": "(?P<at>serial)", "message": "m", "alternative": "a", "severity": "error", "source": {"title": "t", "url": "https://x"}, "bad": "b", "good": "g"}]}"#
        XCTAssertThrowsError(try LintRuleSet(dialect: .redshift, path: "Lint/x.json", json: Data(json.utf8))) {
            guard case LintError.badRule(let path, let id, let reason) = $0 else { return XCTFail("\($0)") }
            XCTAssertEqual([path, id], ["Lint/x.json", "r"])
            XCTAssertTrue(reason.hasPrefix("its pattern is not an ICU regular expression"), reason)
        }
    }

    private let maskedSQL = "SELECT 'a--b''c', E'x\\'y', \"Zähler\" -- serial\n/* jsonb /* nested */ */ $f$ uuid; $f$, $1 FROM Tëst"

    func testMaskBlanksCommentsStringsAndQuotedNames() {
        XCTAssertEqual(SQLMask(maskedSQL).text, "select '       ', e'    ', xxxxxxxx          \n                         $f$       $f$, $1 from txst")
    }

    func testMaskKeepsEveryOffset() {
        XCTAssertEqual(SQLMask(maskedSQL).text.unicodeScalars.count, maskedSQL.unicodeScalars.count)
    }

    func testFindingsPointAtTheFilesLineAndColumn() throws {
        let text = """
        -- migrate:up
        /* a comment
           over lines, saying serial */
        CREATE TABLE t (
            note    varchar(40) DEFAULT 'it''s
        a string over lines: jsonb',
        -- dwh:postgres
            payload jsonb,
        -- dwh:end
        -- dwh:redshift
            extra   jsonb,
        -- dwh:end
            "Zähler" serial
        );
        """
        let found = try lint(text)
        XCTAssertEqual(found.map { "\($0.line):\($0.column) \($0.ruleID)" }, ["11:13 type-json", "13:14 type-serial"])
        XCTAssertEqual(found.map(\.severity), [.error, .error])
        XCTAssertEqual(found.first?.path, "migrations/0007_sample.sql")
    }

    func testPostgresBlocksCommentsAndStringsAreNotRedshiftSQL() throws {
        let text = """
        -- migrate:up
        -- CREATE INDEX in a comment, string_agg(x) too
        CREATE TABLE t (id bigint, note varchar(64) DEFAULT 'ON CONFLICT DO NOTHING, jsonb');
        SELECT $body$ generate_series(1, 3) $body$, "uuid" FROM t;
        -- dwh:postgres
        CREATE INDEX t_id_idx ON t (id);
        INSERT INTO t (id) VALUES (1) ON CONFLICT DO NOTHING;
        -- dwh:end
        -- migrate:down
        -- dwh:postgres
        SELECT to_regclass('t');
        -- dwh:end
        DROP TABLE t;
        """
        XCTAssertEqual(try lint(text), [])
        XCTAssertEqual(try lint(text.replacingOccurrences(of: "-- dwh:postgres", with: "-- dwh:redshift")).map(\.ruleID),
                       ["statement-create-index", "clause-on-conflict", "func-to-regclass"])
    }

    func testDestructiveChangesWarnInUpSectionsOnly() throws {
        let text = """
        -- migrate:up
        DROP TABLE old_events;
        ALTER TABLE users DROP COLUMN legacy, ALTER COLUMN age TYPE bigint, ALTER COLUMN name DROP NOT NULL;
        -- dwh:redshift
        TRUNCATE staging_events;
        -- dwh:end
        -- migrate:down
        DROP TABLE new_events;
        ALTER TABLE users DROP COLUMN added;
        """
        let found = try lint(text, [.postgres])
        XCTAssertEqual(found.map { "\($0.line):\($0.column) \($0.ruleID)" },
                       ["2:1 destructive-drop-table", "3:19 destructive-drop-column", "3:39 destructive-column-type"])
        XCTAssertEqual(Set(found.map(\.severity)), [.warning])
        XCTAssertFalse(LintReport(findings: found, fileCount: 1).hasErrors)
    }

    func testLintIgnoreSilencesOneRuleOnTheNextLine() throws {
        let text = """
        -- migrate:up
        CREATE TABLE t (
        -- dwh:lint-ignore type-serial
            id serial,
            other serial,
        -- dwh:lint-ignore func-now-age
        -- dwh:lint-ignore clause-check-exclude-constraint
            payload jsonb CHECK (id > 0) DEFAULT now()
        );
        """
        XCTAssertEqual(try lint(text).map { "\($0.line) \($0.ruleID)" }, ["5 type-serial", "8 type-json"])
        let plain = text.split(separator: "\n").filter { !$0.contains("lint-ignore") }.joined(separator: "\n")
        XCTAssertEqual(try parse(text).render(.up, for: .redshift).text, try parse(plain).render(.up, for: .redshift).text,
                       "the directive is not part of the SQL, nor of the checksum")
    }

    func testLintIgnoreIsParsedStrictly() {
        let cases = [
            ("-- migrate:up\n-- dwh:lint-ignore\nSELECT 1;\n",
             "migrations/0007_sample.sql:2: `-- dwh:lint-ignore` names no rule (-- dwh:lint-ignore RULE_ID)"),
            ("-- migrate:up\n-- dwh:lint-ignore type-json\n\nSELECT 1;\n",
             "migrations/0007_sample.sql:2: `-- dwh:lint-ignore type-json` must be followed by the line of SQL it silences"),
            ("-- migrate:up\n-- dwh:redshift\nSELECT 1;\n-- dwh:lint-ignore type-json\n-- dwh:end\n",
             "migrations/0007_sample.sql:4: `-- dwh:lint-ignore type-json` must be followed by the line of SQL it silences"),
            ("-- migrate:up\nSELECT 1;\n-- dwh:lint-ignore type-json\n",
             "migrations/0007_sample.sql:3: `-- dwh:lint-ignore type-json` must be followed by the line of SQL it silences"),
            ("-- migrate:up\n-- dwh:lint-ignor type-json\nSELECT 1;\n",
             "migrations/0007_sample.sql:2: `-- dwh:lint-ignor type-json` is not a directive dwh knows (migrate:up, migrate:down, "
             + "dwh:postgres, dwh:redshift, dwh:end, dwh:no-transaction, dwh:lint-ignore)"),
            ("-- migrate:up\n-- dwh:end now\nSELECT 1;\n", "migrations/0007_sample.sql:2: `-- dwh:end now` takes no options"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try parse(text), text) { XCTAssertEqual("\($0)", message) }
        }
    }

    func testReportLinesAreFileLineColumnThenACount() throws {
        let found = try lint("-- migrate:up\nCREATE TABLE t (id serial, name varchar(8));\nTRUNCATE t;\n")
        let report = LintReport(findings: found, fileCount: 1)
        XCTAssertEqual(report.text, """
        migrations/0007_sample.sql:2:20: error [type-serial] SERIAL, BIGSERIAL and SMALLSERIAL are not Redshift data types. \
        (Redshift: use BIGINT IDENTITY(seed, step) or GENERATED BY DEFAULT AS IDENTITY(seed, step)) — \
        Unsupported PostgreSQL data types <https://docs.aws.amazon.com/redshift/latest/dg/c_unsupported-postgresql-datatypes.html>
        migrations/0007_sample.sql:3:1: warning [statement-truncate] TRUNCATE commits the transaction it runs in, so it \
        cannot be rolled back and also commits earlier statements of the migration. (Redshift: use DELETE FROM t when the \
        migration must stay atomic, or run TRUNCATE outside the migration transaction) — TRUNCATE \
        <https://docs.aws.amazon.com/redshift/latest/dg/r_TRUNCATE.html>
        1 error, 1 warning in 1 file

        """)
        XCTAssertTrue(report.hasErrors)
    }

    func testDWHsOwnMigrationsHaveNoRedshiftErrors() throws {
        let set = try MigrationSet(folder: DWHBinary.packageRoot + "/migrations")
        let report = try MigrationLint(dialects: [.redshift]).report(for: set)
        XCTAssertEqual(report.errorCount, 0, report.text)
        XCTAssertEqual(report.fileCount, set.files.count)
    }
}
