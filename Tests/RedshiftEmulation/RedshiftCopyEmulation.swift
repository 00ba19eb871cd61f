import DWHCore
import Foundation
import Postgres

/// Redshift's `COPY … FROM 's3://…'` on PostgreSQL, reading S3 (moto) for real, so that the
/// load's Redshift statements run in the load's own transaction:
/// - `COPY t (columns) FROM 's3://…manifest' … MANIFEST`: the manifest is fetched, and each
///   entry is read and loaded as often as it is listed (as Redshift does: a key listed twice
///   loads twice, so dwh's deduplication is what is tested); a missing mandatory entry fails
///   the COPY, a missing optional one is passed over;
/// - `COPY t (columns) FROM 's3://bucket/prefix'`: every object whose key starts with the
///   prefix (a string prefix, as on Redshift);
/// - `FORMAT AS JSON 's3://…jsonpaths'` maps the paths to the columns by position,
///   `FORMAT AS JSON 'auto'` maps each column to the field of its name.
///
/// What was loaded is recorded as Redshift records it: one `STL_LOAD_COMMITS` row per object
/// read (filename, lines_scanned: the rows it gave), and `pg_last_copy_id()` and
/// `pg_last_copy_count()` answer for the session's last COPY. Everything else goes through
/// `RedshiftOnPostgres.rewrite`. MAXERROR is not emulated: a line that is not JSON fails the
/// COPY.
public final class RedshiftCopyEmulation: @unchecked Sendable {
    /// One COPY the emulation ran: what it read.
    public struct Copy: Equatable, Sendable {
        public var table: String
        /// The manifest's location; nil for a COPY of a prefix.
        public var manifest: String?
        /// The objects read, in order, as often as listed.
        public var objects: [String]
    }

    /// The COPYs sent so far, in order.
    public private(set) var copies: [Copy] = []
    /// Called with a manifest's entries once it is read, before its objects are: a test
    /// deletes an object here to make it vanish between dwh's listing and the COPY.
    public var beforeReading: (([String]) throws -> Void)?
    private let client: AWSClient

    public init(client: AWSClient) {
        self.client = client
    }

    /// The stand-ins: STL_LOAD_COMMITS, the session's COPYs, pg_last_copy_id() and
    /// pg_last_copy_count(), and the function that loads an emulated COPY's objects.
    public static let systemTables = """
        CREATE TABLE stl_load_commits (query integer, filename character(256), lines_scanned integer,
                                       curtime timestamp DEFAULT LOCALTIMESTAMP);
        CREATE TABLE redshift_emulated_copies (query serial PRIMARY KEY, pid integer NOT NULL, copied bigint NOT NULL DEFAULT 0);
        CREATE FUNCTION pg_last_copy_id() RETURNS integer LANGUAGE sql
            AS 'SELECT max(query) FROM redshift_emulated_copies WHERE pid = pg_backend_pid()';
        CREATE FUNCTION pg_last_copy_count() RETURNS bigint LANGUAGE sql
            AS 'SELECT copied FROM redshift_emulated_copies WHERE query = pg_last_copy_id()';
        CREATE FUNCTION redshift_emulated_copy_error(message text) RETURNS bigint LANGUAGE plpgsql
            AS $$BEGIN RAISE EXCEPTION '%', message USING ERRCODE = 'XX000'; END$$;
        CREATE FUNCTION redshift_emulated_copy(target text, mapping jsonb, objects jsonb) RETURNS bigint LANGUAGE plpgsql AS $$
        DECLARE
            id integer;
            total bigint := 0;
            loaded bigint;
            object jsonb;
            columns text := (SELECT string_agg(quote_ident(m ->> 0), ', ' ORDER BY n)
                             FROM jsonb_array_elements(mapping) WITH ORDINALITY AS e(m, n));
        BEGIN
            INSERT INTO redshift_emulated_copies (pid) VALUES (pg_backend_pid()) RETURNING query INTO id;
            FOR object IN SELECT value FROM jsonb_array_elements(objects) LOOP
                EXECUTE format($f$INSERT INTO %I (%s) SELECT %s FROM jsonb_populate_recordset(NULL::%I,
                    (SELECT jsonb_agg((SELECT jsonb_object_agg(m ->> 0, l.line::jsonb -> (m ->> 1))
                                       FROM jsonb_array_elements($2) AS m) ORDER BY l.n)
                     FROM jsonb_array_elements_text($1) WITH ORDINALITY AS l(line, n)))$f$,
                    target, columns, columns, target) USING object -> 'lines', mapping;
                GET DIAGNOSTICS loaded = ROW_COUNT;
                INSERT INTO stl_load_commits (query, filename, lines_scanned) VALUES (id, object ->> 'file', loaded);
                total := total + loaded;
            END LOOP;
            UPDATE redshift_emulated_copies SET copied = total WHERE query = id;
            RETURN total;
        END
        $$;
        """

    /// Creates the stand-ins in the connection's database.
    public func install(on connection: Connection) throws {
        try connection.execute(Self.systemTables)
    }

    /// A warehouse as the incremental Redshift load finds it: the migrations of `folder` in
    /// their Redshift rendering, then the stand-ins; the emulation that reads `client`'s S3.
    public static func warehouse(on connection: Connection, migrations folder: String,
                                 client: AWSClient) throws -> RedshiftCopyEmulation {
        let migrator = Migrator(connection: connection, dialect: .redshift, set: try MigrationSet(folder: folder))
        migrator.rewrite = RedshiftOnPostgres.rewrite
        _ = try migrator.migrate()
        let emulation = RedshiftCopyEmulation(client: client)
        try emulation.install(on: connection)
        return emulation
    }

    /// A COPY from S3 becomes the call that loads what S3 holds; anything else is rewritten
    /// by `RedshiftOnPostgres`. A COPY that cannot be done becomes a statement that fails
    /// with Redshift's reason.
    public func rewrite(_ sql: String) -> String {
        guard let statement = CopyStatement(sql) else { return RedshiftOnPostgres.rewrite(sql) }
        do {
            return try emulate(statement)
        } catch {
            return "SELECT redshift_emulated_copy_error(\(Self.quoted(String(describing: error))))"
        }
    }

    private func emulate(_ statement: CopyStatement) throws -> String {
        let mapping = try keys(statement)
        var entries: [(url: String, mandatory: Bool)]
        if statement.manifest {
            guard let body = try? fetch(statement.source) else {
                throw EmulatedCopyFailure("Problem reading manifest file - S3ServiceException:The specified key does not exist.,"
                                          + "Status 404 (\(statement.source))")
            }
            entries = try Self.entries(ofManifest: body, at: statement.source)
            try beforeReading?(entries.map(\.url))
        } else {
            let location = try S3Location(parsing: statement.source)
            entries = try client.allObjects(location).map { ("s3://\(location.bucket)/\($0.key)", true) }
            guard !entries.isEmpty else { throw EmulatedCopyFailure("The specified S3 prefix '\(location.key)' does not exist") }
        }
        var objects: [[String: Any]] = []
        for entry in entries {
            guard let bytes = try? fetch(entry.url) else {
                if entry.mandatory { throw EmulatedCopyFailure("Manifest file is mandatory but object \(entry.url) was not found") }
                continue
            }
            let lines = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline)
                .map(String.init).filter { !$0.allSatisfy(\.isWhitespace) }
            objects.append(["file": entry.url, "lines": lines])
        }
        copies.append(Copy(table: statement.table, manifest: statement.manifest ? statement.source : nil,
                           objects: objects.compactMap { $0["file"] as? String }))
        return "SELECT redshift_emulated_copy(\(Self.quoted(statement.table)), \(Self.quoted(try Self.json(mapping)))::jsonb, "
            + "\(Self.quoted(try Self.json(objects)))::jsonb)"
    }

    /// Each column and the JSON field it is read from: by position from a JSONPaths file,
    /// by name for 'auto'.
    private func keys(_ statement: CopyStatement) throws -> [[String]] {
        guard statement.format.lowercased() != "auto" else { return statement.columns.map { [$0, $0] } }
        guard let body = try? fetch(statement.format),
              let document = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let paths = document["jsonpaths"] as? [String] else {
            throw EmulatedCopyFailure("Invalid JSONPath format: \(statement.format) cannot be read")
        }
        guard paths.count == statement.columns.count else {
            throw EmulatedCopyFailure("Number of jsonpaths and the number of columns should match. JSONPath size: "
                                      + "\(paths.count), Number of columns in table or column list: \(statement.columns.count)")
        }
        return try zip(statement.columns, paths).map { column, path in
            let field = path.replacingOccurrences(of: #"^\$(?:\['(.*)'\]|\.(.*))$"#, with: "$1$2", options: .regularExpression)
            guard field != path, !field.isEmpty else { throw EmulatedCopyFailure("Invalid JSONPath format: \(path)") }
            return [column, field]
        }
    }

    private func fetch(_ url: String) throws -> [UInt8] {
        final class Bytes: @unchecked Sendable { var value: [UInt8] = [] }
        let bytes = Bytes()
        try client.getObject(try S3Location(parsing: url)) { bytes.value += $0 }
        return bytes.value
    }

    private static func entries(ofManifest body: [UInt8], at url: String) throws -> [(url: String, mandatory: Bool)] {
        guard let document = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let entries = document["entries"] as? [[String: Any]] else {
            throw EmulatedCopyFailure("Manifest file is not in correct json format: \(url)")
        }
        return try entries.map { entry in
            guard let url = entry["url"] as? String else { throw EmulatedCopyFailure("Manifest entry without url: \(url)") }
            return (url, entry["mandatory"] as? Bool ?? false)
        }
    }

    private static func json(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value), as: UTF8.self)
    }

    /// `text` dollar-quoted under a tag it does not contain.
    static func quoted(_ text: String) -> String {
        var tag = "$copy$", number = 0
        while text.contains(tag) {
            number += 1
            tag = "$copy\(number)$"
        }
        return tag + text + tag
    }
}

/// Why an emulated COPY fails, in Redshift's words.
struct EmulatedCopyFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The parts of a Redshift `COPY` from S3 that the emulation needs.
struct CopyStatement {
    var table: String
    var columns: [String]
    /// The `FROM` location: a manifest's, or a prefix.
    var source: String
    var manifest: Bool
    /// `auto`, or the JSONPaths file's location.
    var format: String

    private static func expression(_ pattern: String, _ options: NSRegularExpression.Options) -> NSRegularExpression {
        // The patterns are constants of this file.
        try! NSRegularExpression(pattern: pattern, options: options)
    }

    init?(_ sql: String) {
        let copy = Self.expression(#"^\s*COPY\s+(\w+)\s*\(([^)]*)\)\s*FROM\s+'((?:[^']|'')*)'(.*)$"#,
                                   [.caseInsensitive, .dotMatchesLineSeparators])
        let json = Self.expression(#"\bFORMAT\s+AS\s+JSON\s+'((?:[^']|'')*)'"#, [.caseInsensitive])
        let manifest = Self.expression(#"^\s*MANIFEST\s*$"#, [.caseInsensitive, .anchorsMatchLines])
        let text = sql as NSString
        guard let match = copy.firstMatch(in: sql, range: NSRange(location: 0, length: text.length)) else { return nil }
        let rest = text.substring(with: match.range(at: 4))
        let restRange = NSRange(location: 0, length: (rest as NSString).length)
        guard let format = json.firstMatch(in: rest, range: restRange) else { return nil }
        table = text.substring(with: match.range(at: 1))
        columns = text.substring(with: match.range(at: 2)).split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        source = Self.unquoted(text.substring(with: match.range(at: 3)))
        self.format = Self.unquoted((rest as NSString).substring(with: format.range(at: 1)))
        self.manifest = manifest.firstMatch(in: rest, range: restRange) != nil
    }

    /// The inside of a literal as `RedshiftLoad.literal` wrote it.
    private static func unquoted(_ literal: String) -> String {
        literal.replacingOccurrences(of: "''", with: "'").replacingOccurrences(of: "\\\\", with: "\\")
    }
}
