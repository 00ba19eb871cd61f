import DWHCore
import Foundation
import TestSupport
import XCTest

/// Every fuzz target on every seed of `fuzz/corpus/` and on inputs that once broke a parser:
/// they return, whatever the bytes. (A crash that `make fuzz` finds goes in here too.)
final class FuzzSeedTests: XCTestCase {
    /// The project's folders `make fuzz` gives a target besides its own, from `fuzz/seeds`.
    func seedFolders(_ target: String) throws -> [String] {
        let text = try String(contentsOfFile: DWHBinary.packageRoot + "/fuzz/seeds", encoding: .utf8)
        let line = text.split(separator: "\n").first { $0.hasPrefix(target + ":") }
        return line.map { $0.dropFirst(target.count + 1).split(separator: " ").map(String.init) } ?? []
    }

    func testEveryTargetTakesItsSeeds() throws {
        let root = DWHBinary.packageRoot
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: root + "/fuzz/corpus")), Set(Fuzzing.targets.keys))
        XCTAssertEqual(try seedFolders("migration"), ["migrations", "Sources/DWHCore/Resources/Transform"])
        XCTAssertEqual(try seedFolders("scanner"), ["migrations", "queries", "Sources/DWHCore/Resources/Transform"])
        for (name, target) in Fuzzing.targets {
            for folder in ["fuzz/corpus/" + name] + (try seedFolders(name)) {
                let seeds = try FileManager.default.contentsOfDirectory(atPath: root + "/" + folder)
                XCTAssertFalse(seeds.isEmpty, folder)
                for seed in seeds { target(Array(try Data(contentsOf: URL(fileURLWithPath: root + "/" + folder + "/" + seed)))) }
            }
        }
    }

    func testInputsThatOnceBrokeAParser() {
        let inputs: [[UInt8]] = [
            [], [0x00], [0xFF, 0xFE], Array("\r\n".utf8), Array("\u{FEFF}".utf8), Array("$".utf8), Array("$$".utf8),
            Array("-- migrate:up\n$a$".utf8), Array("[".utf8), Array("[]".utf8), Array("=".utf8), Array("{".utf8),
            Array("\u{01}{\"ts\":1}x\n{".utf8), Array("-- name:\n-- param: x int = \n".utf8), Array("a | ".utf8),
            Array("/*".utf8), Array("E'".utf8), Array("$a$$".utf8), Array("'\n;".utf8),
            // make fuzz, migration target: an escape string ending in a backslash (SQLSplitter read past the end).
            Array("-- migrate:up transaction:false\nSELECT E'xt\\".utf8),
            // make fuzz, saved-query target: a parameter line with nothing before its `=`.
            Array("-- name: odd\r\n-- param: =\r\nSELECT $1;".utf8),
            // make fuzz, saved-query target: a default timestamp with a combining character.
            Array("-- name: odd\n-- param: since timestamp = 2018-11-01 08:00-\u{351}x\nSELECT $1;".utf8),
        ]
        for input in inputs {
            for target in Fuzzing.targets.values { target(input) }
        }
    }
}
