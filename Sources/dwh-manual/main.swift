import Foundation

// dwh-manual VERSION_LINE < dump.json > dwh.1: the man page of dwh, from what
// `dwh --experimental-dump-help` prints (the same text as `dwh help`) and the line
// `dwh --version` prints (its date, and the build it documents). Run by `make install`.
let arguments = CommandLine.arguments.dropFirst()
guard arguments.count == 1, let versionLine = arguments.first else {
    FileHandle.standardError.write(Data("usage: dwh --experimental-dump-help | dwh-manual \"$(dwh --version)\" > dwh.1\n".utf8))
    exit(64)
}
do {
    let info = try JSONDecoder().decode(ToolInfo.self, from: FileHandle.standardInput.readDataToEndOfFile())
    guard info.serializationVersion == 0 else {
        FileHandle.standardError.write(Data("dwh-manual: unknown help format \(info.serializationVersion) (expected 0)\n".utf8))
        exit(1)
    }
    print(ManualPage(command: info.command, versionLine: versionLine).render(), terminator: "")
} catch {
    FileHandle.standardError.write(Data("dwh-manual: cannot read the help dump on standard input: \(error)\n".utf8))
    exit(1)
}

/// The parts of argument-parser's `--experimental-dump-help` (serialization version 0)
/// that a manual page shows. Decoded here rather than through ArgumentParserToolInfo,
/// which the argument-parser package does not export as a product.
struct ToolInfo: Decodable {
    var serializationVersion: Int
    var command: CommandInfo
}

struct CommandInfo: Decodable {
    var commandName: String
    var superCommands: [String]?
    var abstract: String?
    var discussion: String?
    var shouldDisplay: Bool?
    var defaultSubcommand: String?
    var subcommands: [CommandInfo]?
    var arguments: [ArgumentInfo]?

    /// `dwh query run`.
    var fullName: String { ((superCommands ?? []) + [commandName]).joined(separator: " ") }
}

struct ArgumentInfo: Decodable {
    enum Kind: String, Decodable { case positional, option, flag }

    struct Name: Decodable {
        var kind: String
        var name: String

        /// `-o`, `--output`.
        var spelled: String { (kind == "short" || kind == "longWithSingleDash" ? "-" : "--") + name }
    }

    var kind: Kind
    var names: [Name]?
    var valueName: String?
    var abstract: String?
    var discussion: String?
    var defaultValue: String?
    var isOptional: Bool
    var isRepeating: Bool
    var shouldDisplay: Bool

    /// argument-parser's own `-h/--help` and `--version`, which every subcommand repeats.
    var isBuiltIn: Bool {
        kind == .flag && (names ?? []).contains { $0.name == "help" || $0.name == "version" }
    }
}
