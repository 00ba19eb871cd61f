import Foundation

/// Writes a file so that readers see either nothing new or the whole of it: the bytes
/// go to a temporary file beside it, which is renamed over the target only when
/// everything was written. On an error, Ctrl-C, SIGTERM or SIGHUP the temporary file is
/// removed; one left by a run that was killed outright is removed by the next write of
/// the same file. The path `-` is standard output.
public enum AtomicFile {
    /// Calls `body` with a buffered writer for `path`; commits when `body` returns.
    public static func write<T>(_ path: String, mode: mode_t = 0o644, _ body: (BufferedOutput) throws -> T) throws -> T {
        if path == "-" {
            let output = BufferedOutput(fileDescriptor: STDOUT_FILENO)
            let value = try body(output)
            try output.flush()
            return value
        }
        let (directory, name) = try split(path)
        removeStale(in: directory, name: name)
        let temporary = directory + "/" + temporaryName(name, pid: getpid())
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            throw OutputError.cannotCreate(path: path, reason: String(cString: strerror(errno)))
        }
        Interrupts.shared.removeOnInterrupt(temporary)
        defer { Interrupts.shared.forget(temporary) }
        do {
            let output = BufferedOutput(fileDescriptor: descriptor)
            let value = try body(output)
            try output.flush()
            guard fsync(descriptor) == 0 else {
                throw OutputError.writeFailed(path: path, reason: String(cString: strerror(errno)))
            }
            close(descriptor)
            guard rename(temporary, path) == 0 else {
                throw OutputError.writeFailed(path: path, reason: String(cString: strerror(errno)))
            }
            return value
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
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
