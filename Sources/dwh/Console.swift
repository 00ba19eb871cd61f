import Foundation
import DWHCore

/// Writing to the terminal: stdout for results, stderr for warnings and progress.
enum Console {
    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
    }

    static func info(_ message: String) {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }
}

/// From here on Ctrl-C, SIGTERM or SIGHUP cancels the session's work on the server and
/// ends dwh with 128 + the signal, saying `outcome`. Call after the session is open: a
/// server dwh starts must not inherit the blocked signals.
func stopOnSignal(_ session: Session, _ outcome: String) {
    Interrupts.shared.install()
    Interrupts.shared.cancelOnSignal(session.connection, notice: "dwh: \(outcome)")
}
