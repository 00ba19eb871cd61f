import DWHCore
import Foundation
import Postgres
import XCTest

/// The PostgreSQL every test uses, the live tests and the end-to-end tests alike:
/// `DWH_TEST_DATABASE_URL` when given, else the embedded PostgreSQL in `.dwh-test/`, which
/// the tests start themselves.
public enum TestDatabase {
    public static let packageRoot = DWHBinary.packageRoot

    nonisolated(unsafe) private static var cachedAdminURL: String?

    /// A URL with the rights to create and drop databases.
    public static func adminURL() throws -> String {
        if let cachedAdminURL { return cachedAdminURL }
        let url: String
        if let given = ProcessInfo.processInfo.environment["DWH_TEST_DATABASE_URL"], !given.isEmpty {
            url = given
        } else {
            url = try EmbeddedDatabase(home: packageRoot + "/.dwh-test").start()
        }
        cachedAdminURL = url
        return url
    }

    /// A new, empty database for one test; dropped by the returned closure.
    public static func fresh(prefix: String = "t") throws -> FreshDatabase {
        let admin = try adminURL()
        let name = "\(prefix)_\(UInt32.random(in: 0...UInt32.max))".lowercased()
        let connection = try Connection(admin)
        try connection.execute("CREATE DATABASE \(try connection.escapeIdentifier(name))")
        var options = try ConnectionOptions(parsing: admin)
        options["dbname"] = name
        return FreshDatabase(name: name, url: options.conninfo, adminURL: admin)
    }
}

/// A throwaway database: `url` connects to it; `drop()` removes it and its connections.
public struct FreshDatabase: Sendable {
    public let name: String
    public let url: String
    public let adminURL: String

    public func connect() throws -> Connection {
        try Connection(url)
    }

    /// Runs the built `dwh` on this database.
    public func run(_ arguments: [String], environment: [String: String] = [:],
                    input: String? = nil, in directory: String? = nil) throws -> ProcessOutput {
        try DWHBinary.run(arguments + ["--database-url", url], environment: environment, input: input, in: directory)
    }

    /// Runs the built `dwh` on this database and fails the test unless it exits with `status`.
    @discardableResult
    public func expect(_ status: Int32, _ arguments: [String], environment: [String: String] = [:],
                       input: String? = nil, in directory: String? = nil,
                       file: StaticString = #filePath, line: UInt = #line) throws -> ProcessOutput {
        try DWHBinary.expect(status, arguments + ["--database-url", url], environment: environment,
                             input: input, in: directory, file: file, line: line)
    }

    /// Applies every migration in the checkout's `migrations/` (PostgreSQL dialect).
    public func migrate() throws {
        try Migrator(connection: try connect(), dialect: .postgres,
                     set: try MigrationSet(folder: TestDatabase.packageRoot + "/migrations")).migrate()
    }

    public func drop() {
        guard let admin = try? Connection(adminURL) else { return }
        _ = try? admin.execute("DROP DATABASE IF EXISTS \(try admin.escapeIdentifier(name)) WITH (FORCE)")
    }
}

extension XCTestCase {
    /// A new, empty database for this test, dropped when the test ends (after `tearDown`).
    /// Called from `setUp`, each test of the class gets its own.
    public func freshDatabase(prefix: String = "t") throws -> FreshDatabase {
        let database = try TestDatabase.fresh(prefix: prefix)
        addTeardownBlock { database.drop() }
        return database
    }

    /// A new database with the star schema (every migration in `migrations/`), dropped when
    /// the test ends: the fixture of every test whose subject is not migration itself.
    public func migratedDatabase(prefix: String = "t") throws -> FreshDatabase {
        let database = try freshDatabase(prefix: prefix)
        try database.migrate()
        return database
    }
}
