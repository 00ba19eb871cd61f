import ArgumentParser
import DWHCore

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Inspect dwh's settings.",
        subcommands: [Show.self]
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the effective settings and where each came from, secrets masked.")

        @OptionGroup var connection: ConnectionOptionGroup

        func run() throws {
            let config = try ConfigFile.load(connection.configPath)
            let target = try connection.target(config: config)
            let settings = EffectiveSettings(target: target, config: config, configPath: connection.configPath)
            let width = settings.settings.map(\.name.count).max() ?? 0
            for setting in settings.settings {
                let padded = setting.name.padding(toLength: width, withPad: " ", startingAt: 0)
                print("\(padded)  \(setting.value)  (\(setting.origin))")
            }
            for warning in settings.warnings { Console.warn(warning) }
        }
    }
}
