@testable import DWHCore
import Foundation
import TestSupport
import XCTest

/// A CSV export on Redshift: UNLOAD to S3, then the objects streamed down and deleted.
/// UNLOAD itself needs a cluster; its statement is checked here, and the S3 half runs
/// against moto_server.
final class RedshiftExportTests: XCTestCase {
    func testTheUnloadStatementInlinesParametersAsLiteralsAndQuotesTheQuery() {
        let export = RedshiftExport(query: """
            SELECT title, '$2' AS kept -- $3 stays in a comment
            FROM songs WHERE year >= $1::int AND title <> $2
            ORDER BY title;
            """, parameters: ["2000", #"O'Brien \ Co"#], prefix: S3Location(bucket: "exports", key: "dwh"),
                                     iamRole: "arn:aws:iam::123456789012:role/dwhRole", runID: "r1")
        XCTAssertEqual(export.folder, S3Location(bucket: "exports", key: "dwh/dwh-export-r1/"))
        XCTAssertEqual(export.statement, #"""
            UNLOAD ('SELECT title, ''$2'' AS kept -- $3 stays in a comment
            FROM songs WHERE year >= ''2000''::int AND title <> ''O''''Brien \\\\ Co''
            ORDER BY title')
            TO 's3://exports/dwh/dwh-export-r1/part_'
            IAM_ROLE 'arn:aws:iam::123456789012:role/dwhRole'
            FORMAT AS CSV HEADER PARALLEL OFF MAXFILESIZE 6.2 GB MANIFEST
            """#)
    }

    /// UNLOAD refuses a LIMIT in the outer SELECT: such queries (six of the saved ones)
    /// are exported through the connection instead.
    func testAQueryWithAnOuterLimitIsNotUnloaded() throws {
        XCTAssertFalse(RedshiftExport.canUnload("SELECT a FROM t ORDER BY a LIMIT $1::int;"))
        XCTAssertTrue(RedshiftExport.canUnload("SELECT a FROM (SELECT a FROM t ORDER BY a LIMIT 5) s ORDER BY a"))
        XCTAssertTrue(RedshiftExport.canUnload("SELECT 'limit' AS a -- limit 3\nFROM t"))
        let catalog = try QueryCatalog(directory: DWHBinary.packageRoot + "/queries")
        XCTAssertFalse(RedshiftExport.canUnload(try catalog.query(named: "top_songs").sql))
        XCTAssertTrue(RedshiftExport.canUnload(try catalog.query(named: "plays_by_hour").sql))
    }

    /// [S3] UNLOAD_PREFIX is a key dwh.cfg knows, and the example names it, empty (the
    /// connection then carries the rows).
    func testTheExampleConfigNamesUnloadPrefixAndValidates() throws {
        let example = try XCTUnwrap(try ConfigFile.load(DWHBinary.packageRoot + "/dwh.cfg.example"))
        XCTAssertEqual(ConfigSchema.warnings(for: example), [])
        XCTAssertEqual(example.value("S3", "UNLOAD_PREFIX")?.value, "")
        XCTAssertNil(try RedshiftExport.Settings.from(config: example))
    }

    func testThePartsArriveAsOneCSVWithOneHeaderAndAreDeleted() throws {
        let moto = try MotoServer.start()
        let client = try moto.client()
        try client.createBucket("dwh-unload")
        let export = RedshiftExport(query: "SELECT 1", parameters: [], prefix: S3Location(bucket: "dwh-unload", key: "out/"),
                                    iamRole: "arn:aws:iam::123456789012:role/r", runID: "r2")
        let big = (0..<40_000).map { "\($0),\"row, \($0)\"\n" }.joined()
        try client.putObject(S3Location(bucket: "dwh-unload", key: "out/dwh-export-r2/part_000"), body: Array(("n,label\n" + big).utf8))
        try client.putObject(S3Location(bucket: "dwh-unload", key: "out/dwh-export-r2/part_001"), body: Array("n,label\n40000,last\n".utf8))
        try client.putObject(S3Location(bucket: "dwh-unload", key: "out/dwh-export-r2/part_manifest"), body: Array("""
            {"entries": [{"url": "s3://dwh-unload/out/dwh-export-r2/part_000"}, {"url": "s3://dwh-unload/out/dwh-export-r2/part_001"}]}
            """.utf8))
        try client.putObject(S3Location(bucket: "dwh-unload", key: "out/other.csv"), body: Array("not ours\n".utf8))

        let memory = MemorySink()
        try export.download(client, to: memory)
        XCTAssertEqual(memory.text, "n,label\n" + big + "40000,last\n")
        export.removeObjects(client)
        XCTAssertEqual(try client.allObjects(S3Location(bucket: "dwh-unload", key: "")).map(\.key), ["out/other.csv"])
    }
}
