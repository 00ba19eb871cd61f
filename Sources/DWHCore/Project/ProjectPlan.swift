import Foundation

/// What `dwh init` will write, decided before anything is written: the Sparkify schema in
/// `migrations/`, the saved queries and `report.txt` in `queries/`, an example check in
/// `checks/`, a `dwh.cfg` from the
/// example and a `.gitignore`. All of it is built into the binary, so an installed `dwh`
/// starts a project in any folder.
///
/// A plan whose files (or folders) are already there is refused as a whole: `dwh init`
/// either writes every file or none, and never replaces a file a user may have edited.
public struct ProjectPlan: Equatable, Sendable {
    /// One file to write, by its path inside the project folder.
    public struct File: Equatable, Sendable {
        public let path: String
        public let contents: Data
        /// The permissions it is created with (less the umask): 0600 for `dwh.cfg`, which
        /// will hold passwords and AWS keys.
        public let mode: mode_t

        public init(path: String, contents: Data, mode: mode_t = 0o644) {
            self.path = path
            self.contents = contents
            self.mode = mode
        }
    }

    /// The project folder as given (`.` for the current one).
    public let directory: String
    /// The files to write, sorted by path.
    public let files: [File]
    /// The files, and the folders on their way, that are already there as something that
    /// cannot be kept (a file where a file goes, a file where a folder goes), as `path(for:)`
    /// prints them. Non-empty means `write()` refuses.
    public let conflicts: [String]

    /// The plan for `directory` with the starter project's files (tests give others).
    public init(directory: String, files: [File] = ProjectPlan.starterFiles()) {
        self.directory = directory
        self.files = files.sorted { $0.path < $1.path }
        var folders: Set<String> = [""]
        for file in files {
            var parts = file.path.split(separator: "/").dropLast()
            while !parts.isEmpty {
                folders.insert(parts.joined(separator: "/"))
                parts = parts.dropLast()
            }
        }
        let manager = FileManager.default
        var conflicts: [String] = []
        for folder in folders.sorted() {
            var isFolder: ObjCBool = false
            if manager.fileExists(atPath: Self.join(directory, folder), isDirectory: &isFolder), !isFolder.boolValue {
                conflicts.append(Self.join(directory, folder))
            }
        }
        for file in self.files where Self.exists(Self.join(directory, file.path)) {
            conflicts.append(Self.join(directory, file.path))
        }
        self.conflicts = conflicts
    }

    /// Every file of the starter project, from the copy built into dwh.
    public static func starterFiles() -> [File] {
        var files = [File(path: ".gitignore", contents: Data(gitignore.utf8))]
        for name in EmbeddedResource.names(under: "project/") {
            guard let contents = EmbeddedResource.data(name) else { continue }
            let path = String(name.dropFirst("project/".count))
            files.append(path == "dwh.cfg.example"
                ? File(path: "dwh.cfg", contents: contents, mode: 0o600)
                : File(path: path, contents: contents))
        }
        return files
    }

    /// The local database lives in `.dwh/`; `dwh.cfg` holds secrets.
    static let gitignore = """
        # The local PostgreSQL that dwh runs (dwh db), and the settings, which hold secrets.
        .dwh/
        dwh.cfg

        """

    /// A file's path as the user reads it: inside the folder they named.
    public func path(for file: File) -> String {
        Self.join(directory, file.path)
    }

    /// What to type next, from the folder `dwh init` ran in: `cd DIR && dwh db start && dwh migrate`.
    public var nextStep: String {
        let plain = directory.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "/._-+".unicodeScalars.contains($0)) }
        let folder = plain ? directory : "'" + directory.replacingOccurrences(of: "'", with: "'\\''") + "'"
        return (directory == "." ? "" : "cd \(folder) && ") + "dwh db start && dwh migrate"
    }

    /// Creates the folders and writes every file, each created new (`O_EXCL`: never over
    /// one that appeared since the plan was made). Returns the paths written.
    public func write() throws -> [String] {
        guard conflicts.isEmpty else { throw ProjectError.wouldOverwrite(paths: conflicts) }
        var written: [String] = []
        for file in files {
            let path = path(for: file)
            let folder = (path as NSString).deletingLastPathComponent
            do {
                try FileManager.default.createDirectory(atPath: folder.isEmpty ? "." : folder, withIntermediateDirectories: true)
            } catch {
                throw ProjectError.cannotWrite(path: folder, reason: (error as NSError).localizedDescription)
            }
            try Self.create(path, contents: file.contents, mode: file.mode)
            written.append(path)
        }
        return written
    }

    private static func create(_ path: String, contents: Data, mode: mode_t) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            if errno == EEXIST { throw ProjectError.wouldOverwrite(paths: [path]) }
            throw ProjectError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        let failed = contents.withUnsafeBytes { bytes -> Bool in
            var offset = 0
            while offset < bytes.count {
                let count = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return true }
                offset += count
            }
            return false
        }
        if failed { throw ProjectError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
    }

    /// Whether anything (a file, a folder, a dangling link) is at `path`.
    private static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    /// `folder/relative`, without a leading `./` for the current folder.
    static func join(_ folder: String, _ relative: String) -> String {
        if relative.isEmpty { return folder }
        if folder == "." || folder.isEmpty { return relative }
        return folder.hasSuffix("/") ? folder + relative : folder + "/" + relative
    }
}
