import Foundation
import TestSupport
import XCTest

/// ARCHITECTURE.md stays true to the tree: every path it names in backticks exists, and
/// every folder of `Sources/` and `Sources/DWHCore/` has its line in the map of rooms.
final class ArchitectureTests: XCTestCase {
    let root = DWHBinary.packageRoot

    func document() throws -> String {
        try String(contentsOfFile: root + "/ARCHITECTURE.md", encoding: .utf8)
    }

    func testEveryPathTheMapNamesExists() throws {
        let tokens = ArchitectureMap.pathTokens(in: try document())
        XCTAssertGreaterThan(tokens.count, 50, "the map names the files it describes")
        XCTAssertEqual(ArchitectureMap.missing(tokens, root: root), [], "named in ARCHITECTURE.md but not in the repository")
    }

    func testEveryFolderOfTheLibraryHasALine() throws {
        let named = Set(ArchitectureMap.pathTokens(in: try document()).map(ArchitectureMap.folderName))
        let folders = try ArchitectureMap.folders(under: "Sources/DWHCore", root: root)
            + (try ArchitectureMap.folders(under: "Sources", root: root, recursive: false))
        XCTAssertGreaterThan(folders.count, 30)
        XCTAssertEqual(folders.filter { !named.contains($0) }, [], "folders ARCHITECTURE.md does not name")
    }

    /// The checks themselves: a wrong path and an unnamed folder are caught.
    func testAMissingPathIsReported() throws {
        let text = "Read `Sources/DWHCore/Load/LoadJob.swift`, `queries/*.sql`, `Sources/Nowhere/Gone.swift`, "
            + "`migrations/9999_none.sql`, `checks/*.txt`, `s3://bucket/key` and `.sql`; run `dwh export top_artists -o x.csv`."
        let tokens = ArchitectureMap.pathTokens(in: text)
        XCTAssertEqual(tokens, ["Sources/DWHCore/Load/LoadJob.swift", "queries/*.sql", "Sources/Nowhere/Gone.swift",
                                "migrations/9999_none.sql", "checks/*.txt"])
        XCTAssertEqual(ArchitectureMap.missing(tokens, root: root),
                       ["Sources/Nowhere/Gone.swift", "migrations/9999_none.sql", "checks/*.txt"])
    }

    func testAFolderIsNamedWithOrWithoutItsSlash() {
        XCTAssertEqual(ArchitectureMap.folderName("Sources/DWHCore/Load/"), "Sources/DWHCore/Load")
        XCTAssertEqual(ArchitectureMap.folderName("Sources/DWHCore/Load"), "Sources/DWHCore/Load")
    }
}

/// How the test reads ARCHITECTURE.md.
enum ArchitectureMap {
    /// The backticked tokens that look like paths: no space, not a URL, and with a `/` or
    /// a name ending in `.swift`, `.sql` or `.md` (a bare `.sql` is an extension, not a file).
    static func pathTokens(in text: String) -> [String] {
        var tokens: [String] = []
        var inside = false, current = ""
        for character in text {
            if character == "`" {
                if inside, looksLikePath(current) { tokens.append(current) }
                inside.toggle()
                current = ""
            } else if inside {
                if character == "\n" { inside = false } else { current.append(character) }
            }
        }
        return tokens
    }

    static func looksLikePath(_ token: String) -> Bool {
        guard !token.isEmpty, !token.contains(where: \.isWhitespace), !token.contains("://") else { return false }
        return token.contains("/") || [".swift", ".sql", ".md"].contains { token.hasSuffix($0) && token != $0 }
    }

    /// The tokens with nothing at that path under `root`. A `*` in the last component is a
    /// pattern (`queries/*.sql`) that must match at least one file.
    static func missing(_ tokens: [String], root: String) -> [String] {
        tokens.filter { token in
            guard token.contains("*") else { return !FileManager.default.fileExists(atPath: root + "/" + token) }
            let slash = token.lastIndex(of: "/")
            let folder = slash.map { String(token[..<$0]) } ?? "."
            let pattern = slash.map { String(token[token.index(after: $0)...]) } ?? token
            let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: root + "/" + folder)) ?? []
            return !names.contains { name in
                parts.count == 2 && name.hasPrefix(parts[0]) && name.hasSuffix(parts[1])
                    && name.count >= parts[0].count + parts[1].count
            }
        }
    }

    static func folderName(_ token: String) -> String {
        token.hasSuffix("/") ? String(token.dropLast()) : token
    }

    /// The folders under `folder` (itself included when recursive), repository-relative.
    static func folders(under folder: String, root: String, recursive: Bool = true) throws -> [String] {
        var found: [String] = recursive ? [folder] : []
        for name in try FileManager.default.contentsOfDirectory(atPath: root + "/" + folder).sorted() {
            var isFolder: ObjCBool = false
            let path = folder + "/" + name
            guard FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isFolder), isFolder.boolValue else {
                continue
            }
            found += recursive ? try folders(under: path, root: root) : [path]
        }
        return found
    }
}
