import Foundation

/// Where a command looks for a project's folders (`queries/`, `migrations/`) when no flag
/// or variable names one, so that its error can say exactly where it looked, each place
/// once, and suggest `dwh init`.
public enum ProjectSearch {
    /// `name` in the current folder, then, when `alsoCheckout`, in the checkout the running
    /// binary was built in (a folder with a Package.swift up to four levels above it: a
    /// developer's `.build/debug/dwh` finds its own queries from anywhere; an installed
    /// binary has no such folder). Absolute, normalised (no `//queries`), without repeats.
    public static func places(for name: String, currentDirectory: String = FileManager.default.currentDirectoryPath,
                              executable: String? = runningExecutable(), alsoCheckout: Bool = true) -> [String] {
        var places = [normalise(currentDirectory + "/" + name)]
        if alsoCheckout, let executable, let checkout = checkout(containing: executable) {
            places.append(normalise(checkout + "/" + name))
        }
        var seen: Set<String> = []
        return places.filter { seen.insert($0).inserted }
    }

    /// The first of `places` that is a folder.
    public static func firstFolder(in places: [String]) -> String? {
        places.first { place in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: place, isDirectory: &isFolder) && isFolder.boolValue
        }
    }

    /// The checkout a binary was built in: the nearest folder above it, at most four
    /// levels up (`.build/<triple>/debug/dwh`), that holds a Package.swift.
    static func checkout(containing executable: String) -> String? {
        var folder = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            folder = folder.deletingLastPathComponent()
            if FileManager.default.fileExists(atPath: folder.path + "/Package.swift") { return normalise(folder.path) }
            if folder.path == "/" { break }
        }
        return nil
    }

    /// The running binary's path, from the kernel rather than argv[0] (which is `dwh` when
    /// the shell found it on PATH).
    public static func runningExecutable() -> String? {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        #endif
        return Bundle.main.executablePath
    }

    /// An absolute path without `.`, `..` or doubled slashes (by hand: Foundation keeps
    /// a leading `//`).
    static func normalise(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == ".." { _ = parts.popLast() } else { parts.append(part) }
        }
        return "/" + parts.joined(separator: "/")
    }
}
