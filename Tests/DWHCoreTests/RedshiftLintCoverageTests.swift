@testable import DWHCore
import TestSupport
import XCTest

/// Every statement dwh can send to Redshift, linted against Redshift's documented rules:
/// the migrations, the transform, the checks, the COPY and load-error SQL, the REPL's
/// catalog queries, the tracker's SQL and the saved queries.
final class RedshiftLintCoverageTests: XCTestCase {
    /// The shipped SQL sent to Redshift, as it is rendered for Redshift. load.sql is left
    /// out (a Redshift load is Redshift/copy.sql), and so are the tracker's statements named
    /// `…_postgres` (its advisory locks, which only PostgreSQL is sent).
    static func shippedScripts() -> [(path: String, script: RenderedScript)] {
        var scripts: [(String, RenderedScript)] = []
        for path in SQLResource.paths where path != "Load/load.sql" {
            let file = SQLResource.file(path)
            let named = file.statements(for: .redshift)
            if named.isEmpty {
                scripts.append((path, file.render(for: .redshift)))
            } else {
                scripts += named.filter { !$0.name.hasSuffix("_postgres") }.map { ($0.path, $0.script) }
            }
        }
        return scripts
    }

    func testEverythingDWHSendsToRedshiftHasNoLintErrors() throws {
        let lint = try MigrationLint(dialects: [.redshift])
        var findings: [LintFinding] = []
        let shipped = Self.shippedScripts()
        XCTAssertGreaterThanOrEqual(Set(shipped.map(\.path)).count, 14, "\(shipped.map(\.path))")
        for (path, script) in shipped {
            findings += lint.findings(in: script, path: path, dialect: .redshift)
        }
        let catalog = try QueryCatalog(directory: DWHBinary.packageRoot + "/queries")
        XCTAssertGreaterThan(catalog.queries.count, 8)
        for query in catalog.queries {
            let lines = query.sql.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let script = RenderedScript(lines: lines, fileLines: lines.indices.map { query.firstLine + $0 })
            findings += lint.findings(in: script, path: query.file, dialect: .redshift)
        }
        findings += lint.report(for: try MigrationSet(folder: DWHBinary.packageRoot + "/migrations")).findings
        let errors = findings.filter { $0.rule.severity == .error }
        XCTAssertEqual(errors.map(\.description), [])
    }

    /// The check above is only worth something if lint sees the mistakes the audit found.
    func testTheMistakesTheAuditFoundAreErrors() throws {
        let lint = try MigrationLint(dialects: [.redshift])
        func errors(_ sql: String) -> [String] {
            let lines = sql.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            return lint.findings(in: RenderedScript(lines: lines, fileLines: Array(1...lines.count)), path: "q.sql", dialect: .redshift)
                .filter { $0.rule.severity == .error }.map(\.rule.id)
        }
        XCTAssertFalse(errors("SELECT level, count(*) AS percent FROM songplays GROUP BY level").isEmpty)
        XCTAssertEqual(errors(#"SELECT level, count(*) AS "percent" FROM songplays GROUP BY level"#), [])
        XCTAssertFalse(errors("SELECT string_agg(title, ', ') FROM songs").isEmpty)
        XCTAssertFalse(errors("CREATE TABLE t (id serial)").isEmpty)
    }
}
