@testable import DWHCore
import Foundation
import TestSupport
import XCTest

final class LoadPlanTests: XCTestCase {
    let a = SourceFile(path: "/d/a.json", size: 10, modifiedMicros: 100)
    let b = SourceFile(path: "/d/b.json", size: 20, modifiedMicros: 200)
    let c = SourceFile(path: "/d/c.json", size: 30, modifiedMicros: 300)

    /// Whose bytes each test file holds (by default its own).
    var holds: [String: String] = [:]

    func digest(_ path: String) -> UInt64 { FileIdentity(size: 0, etag: holds[path] ?? path).digest }

    func entry(_ file: SourceFile, id: Int, size: Int64? = nil, modified: Int64? = nil) -> ManifestEntry {
        ManifestEntry(fileID: id, table: "staging_events", path: file.path, size: size ?? file.size,
                      modifiedMicros: modified ?? file.modifiedMicros, rows: 5, loadedAt: "2026-11-24 12:00:00",
                      contentHash: ContentHasher.hex(FileIdentity(size: 0, etag: file.path).digest))
    }

    /// What a load decides for `files` against `manifest`, and what it finds at the end.
    func decided(_ files: [SourceFile], _ manifest: [ManifestEntry], table: StagingTable = .events,
                 existing: Set<String> = []) throws -> (plan: [PlannedFile], outcome: LoadOutcome) {
        var cursor = ManifestCursor(manifest)
        let decider = FileDecider(table: table, root: "/d", index: { IdentityIndex(manifest, table: table.name) })
        cursor.onPassed = { decider.passed($0) }
        let plan = try files.map { file in
            let previous = try cursor.entry(for: file.path)
            let identity = file.etag.map { FileIdentity(size: file.size, etag: $0) }
                ?? FileIdentity(size: file.size, contentHash: digest(file.path))
            return PlannedFile(table: table, file: file, action: try decider.decide(file, identity: identity, previous: previous))
        }
        try cursor.drain()
        // The manifest as the loader spools it (COPY text of read_manifest's columns).
        let spool = try SpoolFile(), out = ByteBuffer()
        for entry in manifest {
            CopyText.append([String(entry.fileID), entry.table, entry.path, String(entry.size), String(entry.modifiedMicros),
                             String(entry.rows), entry.loadedAt, entry.etag, entry.contentHash], to: out)
        }
        try spool.write(out)
        return (plan, try decider.finish(manifest: spool, exists: existing.contains))
    }

    func planned(_ files: [SourceFile], _ manifest: [ManifestEntry], table: StagingTable = .events) throws -> [PlannedFile] {
        try decided(files, manifest, table: table).plan
    }

    func testNewChangedAndUnchangedFiles() throws {
        let manifest = [entry(a, id: 4), entry(b, id: 9, size: 19)]
        let plan = try planned([a, b, c], manifest)
        XCTAssertEqual(plan.map(\.action), [.skipUnchanged(previous: manifest[0]), .reload(previous: manifest[1]), .loadNew])
        XCTAssertEqual(plan.map(\.loads), [false, true, true])
        XCTAssertEqual(plan[0].description, "staging_events  /d/a.json  skip      unchanged since loaded at 2026-11-24 12:00:00 (5 rows)")
        XCTAssertTrue(plan[1].description.hasSuffix("(size 19 → 20); its 5 old rows are replaced"), plan[1].description)
    }

    func testAFileThatChangedSizeOrTableIsReloaded() throws {
        XCTAssertEqual(try planned([a], [entry(a, id: 1, size: 11)]).map(\.loads), [true])
        XCTAssertEqual(try planned([a], [entry(a, id: 1)], table: .songs).map(\.action), [.reload(previous: entry(a, id: 1))])
    }

    /// A file is its bytes: touched, it is skipped (its new time recorded); edited with its
    /// size and time kept, it is reloaded; renamed, its record follows it; copied, the copy
    /// is not loaded; deleted, it is reported gone.
    func testATouchedFileIsSkipped() throws {
        XCTAssertEqual(try touchedFile().plan.map(\.action), [.skipTouched(previous: entry(a, id: 1))])
    }

    func testATouchedFileIsRecordedAsTouched() throws {
        XCTAssertEqual(try touchedFile().outcome.touched.map(\.fileID), [1])
    }

    /// a, recorded with its size and time, found again with a new time.
    private func touchedFile() throws -> (plan: [PlannedFile], outcome: LoadOutcome) {
        try decided([SourceFile(path: a.path, size: a.size, modifiedMicros: 999)], [entry(a, id: 1)])
    }

    func testAnEditedFileIsReloaded() throws {
        holds[a.path] = "edited"
        XCTAssertEqual(try planned([a], [entry(a, id: 1)]).map(\.action), [.reload(previous: entry(a, id: 1))])
    }

    /// c holds what was recorded as b (b is gone): a move. d holds a's bytes: a copy. e is gone.
    private func movedCopiedAndGone() throws -> (plan: [PlannedFile], outcome: LoadOutcome) {
        let d = SourceFile(path: "/d/d.json", size: a.size, modifiedMicros: 5)
        holds[c.path] = b.path
        holds[d.path] = a.path
        let moved = SourceFile(path: c.path, size: b.size, modifiedMicros: 1)
        let e = SourceFile(path: "/d/e.json", size: 3, modifiedMicros: 3)
        return try decided([a, moved, d], [entry(a, id: 1), entry(b, id: 2), entry(e, id: 3)])
    }

    func testAMovedOrCopiedFileIsNotLoadedAgain() throws {
        let result = try movedCopiedAndGone()
        XCTAssertEqual(result.plan.map(\.loads), [false, false, false])
        XCTAssertEqual(result.outcome.replaced, [])
    }

    func testAMovedFileIsRecordedAtItsNewPath() throws {
        XCTAssertEqual(try movedCopiedAndGone().outcome.moved.map { "\($0.entry.path) → \($0.to.path)" }, ["/d/b.json → /d/c.json"])
    }

    func testACopyIsNamedWithTheFileItCopies() throws {
        XCTAssertEqual(try movedCopiedAndGone().outcome.copies.map(\.description),
                       ["/d/d.json: the same bytes as /d/a.json, which is loaded; a copy is not loaded twice"])
    }

    /// The first path of each identity waits on disk once the run has loaded enough files:
    /// a copy of the first file and one of the last are both named.
    func testACopyInALongRunIsNamedWithTheFileItCopies() throws {
        let loaded = (0..<3_000).map { SourceFile(path: "/d/day/\(String(repeating: "x", count: 20))-\($0).json", size: 7, modifiedMicros: 1) }
        let copies = [SourceFile(path: "/d/zz/first.json", size: 7, modifiedMicros: 1),
                      SourceFile(path: "/d/zz/last.json", size: 7, modifiedMicros: 1)]
        holds[copies[0].path] = loaded[0].path
        holds[copies[1].path] = loaded[2_999].path
        let plan = try planned(loaded + copies, [])
        XCTAssertEqual(plan.filter(\.loads).count, 3_000)
        XCTAssertEqual(plan.suffix(2).map(\.action), [.skipCopy(of: loaded[0].path), .skipCopy(of: loaded[2_999].path)])
    }

    func testAFileNoLongerThereIsGone() throws {
        XCTAssertEqual(try movedCopiedAndGone().outcome.gone.map(\.path), ["/d/e.json"])
    }

    /// Two files that swap their bytes swap their records; nothing is loaded or replaced.
    func testTwoFilesThatSwapTheirBytesSwapTheirRecords() throws {
        let manifest = [entry(a, id: 1), entry(b, id: 2)]
        holds[a.path] = b.path
        holds[b.path] = a.path
        let swapped = [SourceFile(path: a.path, size: b.size, modifiedMicros: 1), SourceFile(path: b.path, size: a.size, modifiedMicros: 1)]
        let result = try decided(swapped, manifest)
        XCTAssertEqual(result.plan.map(\.loads), [false, false])
        XCTAssertEqual(result.outcome.moved.map { "\($0.entry.fileID) → \($0.to.path)" }, ["1 → /d/b.json", "2 → /d/a.json"])
        XCTAssertEqual(result.outcome.replaced, [])
    }

    /// S3 objects are known by ETag: uploaded again with the same bytes (a new LastModified)
    /// they are skipped; with other bytes of the same size they are reloaded.
    func testObjectsWithAnETagAreComparedByIt() throws {
        let object = SourceFile(path: "s3://b/log/a.json", size: 10, modifiedMicros: 500, etag: "abc")
        var recorded = entry(object, id: 1, modified: 100)
        recorded.etag = "abc"
        XCTAssertEqual(try planned([object], [recorded]).map(\.action), [.skipTouched(previous: recorded)])

        var rewritten = object
        rewritten.etag = "def"
        XCTAssertEqual(try planned([rewritten], [recorded]).map(\.action), [.reload(previous: recorded)])
    }

    let cursorPaths = ["/d/Z.json", "/d/a.json", "/d/a/b.json", "/d/é.json", "/d/gone.json", "/d/z.json"]

    /// A cursor over `cursorPaths` (handed over reversed), walked forward in byte order
    /// (not Swift's String order: "Z" < "a" < "é") past /d/b.json, which it does not hold,
    /// and /d/gone.json, which is not asked for; with what it found for each path asked.
    private func walkedCursor() throws -> (cursor: ManifestCursor, found: [(asked: String, path: String?)]) {
        let manifest = cursorPaths.enumerated().map { ManifestEntry(fileID: $0.offset + 1, table: "staging_songs", path: $0.element,
                                                                    size: 1, modifiedMicros: 1, rows: 1, loadedAt: "") }
        var cursor = ManifestCursor(manifest.reversed())
        let found = try ["/d/Z.json", "/d/a.json", "/d/a/b.json", "/d/b.json", "/d/é.json", "/d/z.json"].map { path in
            (asked: path, path: try cursor.entry(for: path)?.path)
        }
        return (cursor, found)
    }

    /// The cursor walks forward in byte order and skips entries for files that are gone.
    func testTheCursorFindsEntriesInByteOrder() throws {
        for (asked, path) in try walkedCursor().found {
            XCTAssertEqual(path, cursorPaths.contains(asked) ? asked : nil, asked)
        }
    }

    func testTheCursorStartsAgainWhenAskedOutOfOrder() throws {
        var cursor = try walkedCursor().cursor
        XCTAssertEqual(try cursor.entry(for: "/d/a.json")?.fileID, 2)
    }

    func testAnEmptyCursorFindsNothing() throws {
        var empty = ManifestCursor.empty
        XCTAssertNil(try empty.entry(for: "/d/a.json"))
    }

    /// The walk hands files over in the byte order of their whole paths: `B.json` before
    /// the files in folder `B` (`.` < `/`), upper case before lower, non-`.json` left out.
    func testTheWalkListsInPathByteOrder() throws {
        let root = try temporaryFolder("walk")
        for path in ["B/x.json", "B.json", "B0.json", "a/c/d.json", "Z.json", "a.json", "notes.txt", ".hidden.json"] {
            let full = root + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try "{}".write(toFile: full, atomically: false, encoding: .utf8)
        }
        let listed = try LocalFileSource(path: root).listFiles().map { String($0.path.dropFirst(root.count + 1)) }
        XCTAssertEqual(listed, ["B.json", "B/x.json", "B0.json", "Z.json", "a.json", "a/c/d.json"])
        let bytes = listed.map { Array($0.utf8) }
        XCTAssertEqual(bytes, bytes.sorted { $0.lexicographicallyPrecedes($1) })
    }

    /// A spool of 5,000 lines written in pieces of about 1,000 bytes, the last line without a newline.
    private func spoolOfLines() throws -> (spool: SpoolFile, lines: [String]) {
        let spool = try SpoolFile()
        let buffer = ByteBuffer(capacity: 16)
        let lines = (0..<5000).map { "line \($0)\tvalue" }
        for line in lines {
            buffer.append(line + "\n")
            if buffer.count > 1000 { try spool.write(buffer) }
        }
        buffer.append("last, no newline")
        try spool.write(buffer)
        return (spool, lines)
    }

    func testASpoolFileReadsBackWholeInChunks() throws {
        let (spool, lines) = try spoolOfLines()
        var chunks: [UInt8] = []
        try spool.forEachChunk(size: 777) { chunks.append(contentsOf: $0) }
        XCTAssertEqual(String(decoding: chunks, as: UTF8.self), lines.joined(separator: "\n") + "\nlast, no newline")
    }

    func testASpoolFileReadsBackAsLinesByEachOfTwoReaders() throws {
        let (spool, lines) = try spoolOfLines()
        var first = SpoolFile.LineReader(spool), second = SpoolFile.LineReader(spool)
        var read: [String] = []
        while let line = try first.next() {
            read.append(String(decoding: line, as: UTF8.self))
            _ = try second.next()
        }
        XCTAssertEqual(read, lines + ["last, no newline"])
        XCTAssertNil(try second.next())
    }
}

final class RedshiftLoadTests: XCTestCase {
    let settings = RedshiftLoad.Settings(logData: "s3://udacity-dend/log_data", songData: "s3://udacity-dend/song_data",
                                         logJSONPath: "s3://udacity-dend/log_json_path.json",
                                         iamRole: "arn:aws:iam::123456789012:role/dwhRole", region: "us-west-2", maxErrors: 3)

    func testTheEventCopyUsesTheJSONPathsFileAndEpochMilliseconds() {
        let load = RedshiftLoad(settings)
        XCTAssertEqual(load.statements.map(\.table), ["staging_events", "staging_events", "staging_songs", "staging_songs",
                                                     "dwh_loaded_files", "dwh_transform_removed"])
        XCTAssertEqual(load.statements[0].statement.sql, "DELETE FROM staging_events")
        XCTAssertEqual(load.statements[1].statement.sql, """
            COPY staging_events (artist, auth, first_name, gender, item_in_session, last_name, length, level, location,
                                 method, page, registration, session_id, song, status, ts, user_agent, user_id)
            FROM 's3://udacity-dend/log_data'
            IAM_ROLE 'arn:aws:iam::123456789012:role/dwhRole'
            REGION 'us-west-2'
            FORMAT AS JSON 's3://udacity-dend/log_json_path.json'
            TIMEFORMAT 'epochmillisecs'
            MAXERROR 3
            """)
    }

    func testTheSongCopyUsesJSONAuto() {
        let sql = RedshiftLoad(settings).statements[3].statement.sql
        XCTAssertTrue(sql.hasPrefix("COPY staging_songs (num_songs, artist_id,"), sql)
        XCTAssertTrue(sql.contains("FROM 's3://udacity-dend/song_data'\n"), sql)
        XCTAssertTrue(sql.hasSuffix("FORMAT AS JSON 'auto'\nMAXERROR 3"), sql)
    }

    func testTheColumnListsAreTheStagingTables() {
        let load = RedshiftLoad(settings)
        for (table, index) in [(StagingTable.events, 1), (.songs, 3)] {
            let names = table.columns.map(\.name).joined(separator: ", ")
            let listed = load.statements[index].statement.sql.replacingOccurrences(of: "\n", with: " ")
                .replacingOccurrences(of: " +", with: " ", options: .regularExpression)
            XCTAssertTrue(listed.contains("(\(names))"), listed)
        }
    }

    func testValuesAreQuotedAsLiterals() {
        var tricky = settings
        tricky.iamRole = #"arn'x\y"#
        XCTAssertTrue(RedshiftLoad(tricky).statements[1].statement.sql.contains(#"IAM_ROLE 'arn''x\\y'"#))
    }

    private func settingsConfig(_ extra: String = "") throws -> ConfigFile? {
        let path = try temporaryFolder("plan") + "/dwh.cfg"
        try ("[S3]\nLOG_DATA=s3://b/log\nSONG_DATA=s3://b/song\nLOG_JSONPATH=s3://b/paths.json\n[IAM_ROLE]\nARN=arn:r\n" + extra)
            .write(toFile: path, atomically: true, encoding: .utf8)
        return try ConfigFile.load(path)
    }

    func testSettingsComeFromTheConfigFile() throws {
        let settings = try RedshiftLoad.Settings(config: try settingsConfig("[AWS]\nREGION=us-west-2\n"), maxErrors: 3)
        XCTAssertEqual(settings, RedshiftLoad.Settings(logData: "s3://b/log", songData: "s3://b/song",
                                                       logJSONPath: "s3://b/paths.json", iamRole: "arn:r",
                                                       region: "us-west-2", maxErrors: 3))
    }

    func testAMissingSettingIsNamed() throws {
        XCTAssertThrowsError(try RedshiftLoad.Settings(config: try settingsConfig(), maxErrors: 0)) { error in
            XCTAssertEqual("\(error)", "dwh.cfg has no [AWS] REGION; loading on Redshift needs it")
        }
    }

    /// pg_last_copy_id() is not updated when the COPY's transaction rolls back, as a failed
    /// load's does: the COPY is found by this session's pid in the query log instead.
    func testTheErrorQueriesFindTheFailedCopyByThisSessionsQueryLog() {
        for statement in [RedshiftSQL.loadErrors, RedshiftSQL.loadErrorsServerless] {
            XCTAssertFalse(statement.sql.contains("pg_last_copy_id"), statement.sql)
        }
        XCTAssertTrue(RedshiftSQL.loadErrors.sql.contains("FROM stl_query q WHERE q.pid = pg_backend_pid()"))
        XCTAssertTrue(RedshiftSQL.loadErrorsServerless.sql.contains("h.session_id = pg_backend_pid() AND h.query_type = 'COPY'"))
    }
}
