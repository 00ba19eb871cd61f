import ArgumentParser
import DWHCore

struct DBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Manage the embedded local PostgreSQL (used when no server is configured).",
        discussion: "Its data, log and password file live in .dwh/ (or DWH_HOME). As root, PostgreSQL runs as the unprivileged user postgres.",
        subcommands: [Start.self, Stop.self, Status.self, URL.self]
    )

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Initialise (first time) and start the local PostgreSQL; print its URL.")
        func run() throws {
            let database = EmbeddedDatabase.fromEnvironment()
            print(try database.start())
        }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the local PostgreSQL.")
        func run() throws {
            let database = EmbeddedDatabase.fromEnvironment()
            guard database.isInitialized else { return print("not running: nothing initialised in \(database.home)") }
            print(try database.stop() ? "stopped" : "not running")
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Say whether the local PostgreSQL is running, and where.",
            discussion: "Exits 0 when it runs, 3 when it is stopped or not initialised (as pg_ctl status does).")
        func run() throws {
            let database = EmbeddedDatabase.fromEnvironment()
            switch try database.status() {
            case .notInitialized:
                print("not initialised (\(database.home)); `dwh db start` creates it")
                throw ExitCode(3)
            case .stopped:
                print("stopped (\(database.dataDirectory))")
                throw ExitCode(3)
            case .running(let pid, let port):
                print("running: pid \(pid), port \(port), data \(database.dataDirectory)")
                print(database.url(port: port))
            }
        }
    }

    struct URL: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the local PostgreSQL's connection URL, starting it if needed.",
            discussion: "The URL names a password file instead of holding the password, so it is safe to print: psql \"$(dwh db url)\".")
        func run() throws {
            print(try EmbeddedDatabase.fromEnvironment().start())
        }
    }
}
