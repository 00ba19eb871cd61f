import DWHCore
import Foundation
import Postgres

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
    public func run(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessOutput {
        try DWHBinary.run(arguments + ["--database-url", url], environment: environment)
    }

    public func drop() {
        guard let admin = try? Connection(adminURL) else { return }
        _ = try? admin.execute("DROP DATABASE IF EXISTS \(try admin.escapeIdentifier(name)) WITH (FORCE)")
    }
}
