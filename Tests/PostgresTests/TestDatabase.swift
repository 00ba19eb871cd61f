import DWHCore
import Foundation
import Postgres
import TestSupport
import XCTest

/// The PostgreSQL the live tests use: `DWH_TEST_DATABASE_URL` when given, else the
/// embedded PostgreSQL in `.dwh-test/`, which the tests start themselves.
enum TestDatabase {
    static let packageRoot = DWHBinary.packageRoot

    static var sharedData: String { SharedData.path }

    nonisolated(unsafe) private static var cachedAdminURL: String?

    /// A URL with the rights to create and drop databases.
    static func adminURL() throws -> String {
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
    static func fresh(prefix: String = "t") throws -> FreshDatabase {
        let admin = try adminURL()
        let name = "\(prefix)_\(UInt32.random(in: 0...UInt32.max))".lowercased()
        let connection = try Connection(admin)
        try connection.execute("CREATE DATABASE \(connection.escapeIdentifier(name))")
        var options = try ConnectionOptions(parsing: admin)
        options["dbname"] = name
        return FreshDatabase(name: name, url: options.conninfo, adminURL: admin)
    }
}

/// A throwaway database: `url` connects to it; `drop()` removes it and its connections.
struct FreshDatabase {
    let name: String
    let url: String
    let adminURL: String

    func connect() throws -> Connection {
        try Connection(url)
    }

    func drop() {
        guard let admin = try? Connection(adminURL) else { return }
        _ = try? admin.execute("DROP DATABASE IF EXISTS \(admin.escapeIdentifier(name)) WITH (FORCE)")
    }
}
