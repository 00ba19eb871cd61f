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

    /// The parsed settings file, or nil when there is none; warnings go to stderr once.
    func loadConfig() throws -> ConfigFile? {
        let file = try ConfigFile.load(configPath)
        if let file {
            for warning in ConfigSchema.warnings(for: file) + [ConfigSchema.permissionWarning(for: file)].compactMap({ $0 }) {
                Console.warn(warning)
            }
        }
        return file
    }

    func target(config: ConfigFile?) throws -> DatabaseTarget {
        try DatabaseTarget.resolve(flag: databaseURL, config: config)
    }

    func openSession() throws -> Session {
        try Session(target: target(config: loadConfig()))
    }
}
