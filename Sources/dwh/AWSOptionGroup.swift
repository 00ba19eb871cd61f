import ArgumentParser
import DWHCore
import Foundation

/// Options shared by the commands that call AWS.
struct AWSOptionGroup: ParsableArguments {
    @Option(name: .customLong("config"), help: ArgumentHelp("The settings file.", valueName: "path"))
    var configPath: String = "dwh.cfg"

    @Option(name: .customLong("endpoint-url"),
            help: ArgumentHelp("Send every AWS call to this URL (as the AWS CLI; beats AWS_ENDPOINT_URL).", valueName: "url"))
    var endpointURL: String?

    @Flag(name: .long, help: "Log each AWS request (method, URL, action, status, time; never keys or bodies) to stderr.")
    var verbose = false

    /// The settings file (nil when absent), its warnings printed as every command prints them.
    func loadConfig() throws -> ConfigFile? {
        try CommandContext.announced(configPath: configPath).config
    }

    func client(config: ConfigFile?) throws -> AWSClient {
        let settings = try AWSSettings.resolve(endpointFlag: endpointURL, config: config)
        return try AWSClient(settings: settings, log: verbose ? { Console.info($0) } : nil)
    }
}
