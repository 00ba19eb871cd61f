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
