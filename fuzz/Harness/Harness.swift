// The libFuzzer harness of `make fuzz`: one binary for every target, named by
// DWH_FUZZ_TARGET (records, config, migration, saved-query, report, scanner). The parsers are driven
// through DWHCore's `Fuzzing` entry points; this file only hands the bytes over.
//
// Built with -DDWH_FUZZING and -sanitize=fuzzer,address, the entry point hands control to
// libFuzzer's driver. In an ordinary build it is a plain program that replays inputs:
// `dwh-fuzz TARGET FILE…`.
import DWHCore
import Foundation

nonisolated(unsafe) private var chosen: (@Sendable ([UInt8]) -> Void)?

private func target(_ name: String) -> @Sendable ([UInt8]) -> Void {
    guard let target = Fuzzing.targets[name] else {
        fatalError("the fuzz target must be one of \(Fuzzing.targets.keys.sorted().joined(separator: ", ")), not '\(name)'")
    }
    return target
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if chosen == nil { chosen = target(ProcessInfo.processInfo.environment["DWH_FUZZ_TARGET"] ?? "") }
    chosen?(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

#if DWH_FUZZING
// SwiftPM links an executable with its entry point renamed to `dwh_fuzz_main`; built for
// fuzzing, that entry point hands control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(_ argc: UnsafeMutablePointer<CInt>,
                       _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                       _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("dwh_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runDriver(&count, &arguments) { data, size in fuzzOne(data, size) }
}
#else
@main
enum Replay {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first else {
            FileHandle.standardError.write(Data("usage: dwh-fuzz TARGET FILE…\n".utf8))
            exit(64)
        }
        let run = target(name)
        for path in arguments.dropFirst() { run(Array(try Data(contentsOf: URL(fileURLWithPath: path)))) }
    }
}
#endif
