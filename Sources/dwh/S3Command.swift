import ArgumentParser
import DWHCore
import Foundation

struct S3Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "s3",
        abstract: "Look at raw data in S3 before loading it.",
        subcommands: [List.self, Cat.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List objects under s3://bucket/prefix.")

        @Argument(help: ArgumentHelp("Where to look.", valueName: "s3://bucket/prefix")) var url: String
        @Flag(name: .long, help: "List every object below the prefix, not just one level.") var recursive = false
        @Option(name: .customLong("page-size"), help: ArgumentHelp("Keys per ListObjectsV2 call.", visibility: .hidden))
        var pageSize = 1000
        @OptionGroup var aws: AWSOptionGroup

        func run() throws {
            let location = try S3Location(parsing: url)
            let client = try aws.client(config: aws.loadConfig())
            try S3Peek.list(client, location, recursive: recursive, pageSize: pageSize) { print($0) }
        }
    }

    struct Cat: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print an object (streamed), or its first lines.")

        @Argument(help: ArgumentHelp("The object.", valueName: "s3://bucket/key")) var url: String
        @Option(name: .long, help: "Stop after this many lines.") var lines: Int?
        @OptionGroup var aws: AWSOptionGroup

        func run() throws {
            let location = try S3Location(parsing: url)
            let client = try aws.client(config: aws.loadConfig())
            // Chunks arrive as libcurl receives them (about 16 KiB each): written as they come.
            try S3Peek.cat(client, location, lines: lines) { FileHandle.standardOutput.write(Data($0)) }
        }
    }
}
