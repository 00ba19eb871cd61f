@testable import DWHCore
import XCTest

/// The display-name repair on exact strings: names encoded twice or three times come back
/// as meant, and names that are not such a mistake stay exactly as logged.
final class NameRepairTests: XCTestCase {
    /// `text` as UTF-8 read as Latin-1, `times` times over.
    func latin1Mojibake(_ text: String, times: Int) -> String {
        var result = text
        for _ in 0..<times { result = String(result.utf8.map { Character(Unicode.Scalar($0)) }) }
        return result
    }

    func testNamesEncodedTwiceOrThreeTimesAreRepaired() {
        // As the Sparkify logs have them: "Bj\u00c3\u0083\u00c2\u00b6rk".
        XCTAssertEqual(NameRepair.repair("Bj\u{C3}\u{83}\u{C2}\u{B6}rk"), "Björk")
        XCTAssertEqual(NameRepair.repair("BjÃ¶rk"), "Björk")
        XCTAssertEqual(NameRepair.repair("Beyonc\u{C3}\u{83}\u{C2}\u{A9}"), "Beyoncé")
        XCTAssertEqual(NameRepair.repair("A Qu\u{C3}\u{83}\u{C2}\u{A9} Niegas El Delirio (Malague\u{C3}\u{83}\u{C2}\u{B1}a)"),
                       "A Qué Niegas El Delirio (Malagueña)")
        XCTAssertEqual(NameRepair.repair(latin1Mojibake("Sigur Rós", times: 3)), "Sigur Rós")
        XCTAssertEqual(NameRepair.repair(latin1Mojibake("坂本龍一", times: 2)), "坂本龍一")
        // Read as Windows-1252: the en dash's bytes E2 80 93 are "â€“".
        XCTAssertEqual(NameRepair.repair("Jay\u{E2}\u{20AC}\u{201C}Z"), "Jay–Z")
        XCTAssertEqual(NameRepair.repair("Caf\u{C3}\u{A9} \u{E2}\u{20AC}\u{201C} Tacuba"), "Café – Tacuba")
    }

    func testNamesThatAreNotSuchAMistakeStayAsLogged() {
        for name in ["SÃO PAULO", "Ã", "João Gilberto", "Björk", "Beyoncé", "Mötley Crüe", "坂本龍一", "Coldplay", "",
                     // Part repaired, part right: not one mistake made over the whole name.
                     "Björk & BjÃ¶rk",
                     // A C1 control character beside a Windows-1252 one: the two readings mixed.
                     "\u{C3}\u{83}\u{20AC}",
                     // Undoing would leave a control character (U+0085) in the name.
                     "Â\u{85}"] {
            XCTAssertNil(NameRepair.repair(name), name)
        }
    }
}
