import ArgumentParser
import DWHCore
import Foundation

/// Connection options shared by every command that talks to a database.
struct ConnectionOptionGroup: ParsableArguments {
    @Option(name: .customLong("database-url"),
            help: ArgumentHelp("PostgreSQL or Redshift URL (beats DWH_DATABASE_URL and dwh.cfg).", valueName: "url"))
    var databaseURL: String?

    @Option(name: .customLong("config"), help: ArgumentHelp("The settings file, in the classic Sparkify INI form (see dwh.cfg.example).", valueName: "path"))
    var configPath: String = "dwh.cfg"

    @Flag(name: .customLong("iam"),
          help: "Sign in with temporary credentials from redshift:GetClusterCredentials (as [CLUSTER] AUTH = iam).")
    var iam = false

    /// The command's context: dwh.cfg read, its warnings printed. Once per command.
    func context() throws -> CommandContext {
        try CommandContext.announced(configPath: configPath, databaseURL: databaseURL, iam: iam)
    }

    func target(config: ConfigFile?) throws -> DatabaseTarget {
        try DatabaseTarget.resolve(flag: databaseURL, config: config, iam: iam)
    }
}

extension CommandContext {
    /// Reads the context and prints its warnings to stderr.
    static func announced(configPath: String, databaseURL: String? = nil, iam: Bool = false) throws -> CommandContext {
        let context = try CommandContext(configPath: configPath, databaseURL: databaseURL, iam: iam)
        for warning in context.warnings { Console.warn(warning) }
        return context
    }
}
