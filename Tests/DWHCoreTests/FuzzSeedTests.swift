import DWHCore
import Foundation
import TestSupport
import XCTest

/// Every fuzz target on every seed of `fuzz/corpus/` and on inputs that once broke a parser:
/// they return, whatever the bytes. (A crash that `make fuzz` finds goes in here too.)
final class FuzzSeedTests: XCTestCase {
    func testEveryTargetTakesItsSeeds() throws {
        let corpus = DWHBinary.packageRoot + "/fuzz/corpus"
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: corpus)), Set(Fuzzing.targets.keys))
        for (name, target) in Fuzzing.targets {
            let seeds = try FileManager.default.contentsOfDirectory(atPath: corpus + "/" + name)
            XCTAssertFalse(seeds.isEmpty, name)
            for seed in seeds { target(Array(try Data(contentsOf: URL(fileURLWithPath: corpus + "/" + name + "/" + seed)))) }
        }
    }

    func testInputsThatOnceBrokeAParser() {
        let inputs: [[UInt8]] = [
            [], [0x00], [0xFF, 0xFE], Array("\r\n".utf8), Array("\u{FEFF}".utf8), Array("$".utf8), Array("$$".utf8),
            Array("-- migrate:up\n$a$".utf8), Array("[".utf8), Array("[]".utf8), Array("=".utf8), Array("{".utf8),
            Array("\u{01}{\"ts\":1}x\n{".utf8), Array("-- name:\n-- param: x int = \n".utf8), Array("a | ".utf8),
        ]
        for input in inputs {
            for target in Fuzzing.targets.values { target(input) }
        }
    }
}
