import Foundation

/// Writes a file so that readers see either nothing new or the whole of it: the bytes
/// go to a temporary file beside it, which is renamed over the target only when
/// everything was written. On an error, Ctrl-C, SIGTERM or SIGHUP the temporary file is
/// removed; one left by a run that was killed outright is removed by the next write of
/// the same file. The path `-` is standard output.
///
/// A file that is replaced keeps its permissions and, where dwh may set it, its owner: a
/// 0600 file stays 0600, and access is never widened (the new file is 0600 until it is
/// complete). A symbolic link is written through, its target replaced, the link kept.
public enum AtomicFile {
    /// Calls `body` with a buffered writer for `path`; commits when `body` returns.
    /// `mode` is for a new file (less the umask); a replaced one keeps its own.
    public static func write<T>(_ path: String, mode: mode_t = 0o644, _ body: (BufferedOutput) throws -> T) throws -> T {
        if path == "-" {
            let output = BufferedOutput(fileDescriptor: STDOUT_FILENO)
            let value = try body(output)
            try output.flush()
            return value
        }
        let target = try resolve(path)
        let (directory, name) = try split(target.path)
        removeStale(in: directory, name: name)
        let temporary = directory + "/" + temporaryName(name, pid: getpid())
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw OutputError.cannotCreate(path: path, reason: String(cString: strerror(errno)))
        }
        Interrupts.shared.removeOnInterrupt(temporary)
        defer { Interrupts.shared.forget(temporary) }
        do {
            let output = BufferedOutput(fileDescriptor: descriptor)
            let value = try body(output)
            try output.flush()
            try target.apply(to: descriptor, newFileMode: mode, path: path)
            guard fsync(descriptor) == 0 else {
                throw OutputError.writeFailed(path: path, reason: String(cString: strerror(errno)))
            }
            close(descriptor)
            guard rename(temporary, target.path) == 0 else {
                throw OutputError.writeFailed(path: path, reason: String(cString: strerror(errno)))
            }
            return value
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
    }

    /// Where the bytes go and what the file there must keep.
    struct Target {
        /// The file to replace: the path itself, or the end of the symbolic links it names.
        let path: String
        /// The replaced file's status, nil for a new file.
        let existing: stat?

        /// Gives the complete temporary file the replaced file's owner and permission bits
        /// (set-id bits dropped), or `newFileMode` less the umask. Where the owner cannot be
        /// kept, only the owner keeps access: a group or others never gain it.
        func apply(to descriptor: Int32, newFileMode: mode_t, path: String) throws {
            var mode: mode_t
            if let existing {
                mode = existing.st_mode & 0o777
                if existing.st_uid != geteuid() || existing.st_gid != getegid() {
                    if fchown(descriptor, existing.st_uid, existing.st_gid) != 0 { mode &= 0o700 }
                }
            } else {
                let mask = umask(0)
                umask(mask)
                mode = newFileMode & 0o777 & ~mask
            }
            guard fchmod(descriptor, mode) == 0 else {
                throw OutputError.writeFailed(path: path, reason: String(cString: strerror(errno)))
            }
        }
    }

    /// `path` with its symbolic links followed; a link to nothing is refused, as writing
    /// through it would create a file where the link points.
    static func resolve(_ path: String) throws -> Target {
        var status = stat()
        guard lstat(path, &status) == 0 else { return Target(path: path, existing: nil) }
        guard status.st_mode & S_IFMT == S_IFLNK else { return Target(path: path, existing: status) }
        guard let resolved = realpath(path, nil) else {
            throw OutputError.cannotCreate(path: path, reason: "it is a symbolic link to nothing (\(String(cString: strerror(errno))))")
        }
        defer { free(resolved) }
        let target = String(cString: resolved)
        guard stat(target, &status) == 0 else { return Target(path: target, existing: nil) }
        return Target(path: target, existing: status)
    }

    /// The folder and the file name of a path to write (by hand: Foundation's path
    /// functions trap on a one-character name on Linux).
    static func split(_ path: String) throws -> (directory: String, name: String) {
        guard !path.isEmpty else {
            throw OutputError.cannotCreate(path: "''", reason: "the file name is empty; give a path, or - for standard output")
        }
        var isDirectory: ObjCBool = false
        if path.hasSuffix("/") || (FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue) {
            throw OutputError.cannotCreate(path: path, reason: "it is a folder; give a file name")
        }
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }

    static func temporaryName(_ name: String, pid: pid_t) -> String {
        ".\(name).\(pid).tmp"
    }

    /// Removes temporary files of `name` left by processes that no longer run.
    static func removeStale(in directory: String, name: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        let prefix = ".\(name).", suffix = ".tmp"
        for entry in entries where entry.hasPrefix(prefix) && entry.hasSuffix(suffix) && entry.count > prefix.count + suffix.count {
            let digits = entry.dropFirst(prefix.count).dropLast(suffix.count)
            guard let pid = pid_t(digits), pid > 0, pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            unlink(directory + "/" + entry)
        }
    }
}
