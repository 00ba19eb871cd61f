import Foundation
import DWHCore

/// Writing to the terminal: stdout for results, stderr for warnings and progress. What
/// goes to stderr here shows its control characters escaped (`VisibleText.message`): a
/// message may quote data or a server's text.
enum Console {
    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("warning: \(VisibleText.message(message))\n".utf8))
    }

    static func info(_ message: String) {
        FileHandle.standardError.write(Data("\(VisibleText.message(message))\n".utf8))
    }

    /// Asks `question` on the terminal (the prompt on stderr, so stdout stays the
    /// command's report) and returns whether the answer was yes. Without a terminal to
    /// answer from, `unattended` is thrown: it names the flag that skips the question.
    static func confirm(_ question: String, unattended: Error) throws -> Bool {
        guard isatty(STDIN_FILENO) == 1 else { throw unattended }
        FileHandle.standardError.write(Data("\(question) [y/N] ".utf8))
        guard let answer = readLine() else { return false }
        return ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    }
}

/// From here on Ctrl-C, SIGTERM or SIGHUP cancels the session's work on the server and
/// ends dwh with 128 + the signal, saying `outcome`. Call after the session is open: a
/// server dwh starts must not inherit the blocked signals.
func stopOnSignal(_ session: Session, _ outcome: String) {
    Interrupts.shared.install()
    Interrupts.shared.cancelOnSignal(session.connection, notice: "dwh: \(outcome)")
}
