import Foundation

/// Writes a file so that readers see either nothing new or the whole of it: the bytes
/// go to a temporary file beside it, which is renamed over the target only when
/// everything was written. On an error, or Ctrl-C, the temporary file is removed.
public enum AtomicFile {
    /// Calls `body` with a buffered writer for `path`; commits when `body` returns.
    public static func write<T>(_ path: String, mode: mode_t = 0o644, _ body: (BufferedOutput) throws -> T) throws -> T {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = (directory.isEmpty ? "." : directory) + "/.\(name).\(getpid()).tmp"
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
}
