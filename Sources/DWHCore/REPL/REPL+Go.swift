import Foundation

/// `\g`, `\gx` and `\watch`: running the statement typed so far, or the last one, on
/// request.
extension REPL {
    /// What `\g` runs: the unfinished statement (which it finishes), else the last one.
    func statementToGo(_ command: String) -> String? {
        if !buffer.isEmpty {
            let statement = buffer.pending.trimmingWhitespace()
            buffer.clear()
            editor?.addHistory(statement)
            lastStatement = statement
            return statement
        }
        guard let lastStatement else {
            fail(MetaCommandError.nothingToRun(command).description)
            return nil
        }
        return lastStatement
    }

    /// `\g [FILE]`, `\gx [FILE]`: runs it now, expanded for `\gx`, into FILE if given.
    func go(to path: String?, expanded once: Bool) {
        guard let statement = statementToGo(once ? "\\gx" : "\\g") else { return }
        let saved = (expanded, output, outputPath)
        defer { (expanded, output, outputPath) = saved }
        if once { expanded = .on }
        if let path {
            guard let file = openResultFile(path) else { return }
            (output, outputPath) = (file, path)
        }
        run(statement)
        if path != nil {
            try? output.flush()
            close(output.fileDescriptor)
        }
    }

    /// `\watch SECONDS`: runs it, waits, runs it again, until Ctrl-C or an error; each
    /// result under a line with the time, as psql does.
    func watch(every seconds: Double) {
        guard let statement = statementToGo("\\watch") else { return }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE dd MMM yyyy hh:mm:ss a zzz"
        let interval = seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
        while true {
            write("\(formatter.string(from: Date())) (every \(interval)s)\n\n")
            let before = errors
            let savedPager = pager
            pager = false
            defer { pager = savedPager }
            guard run(statement), errors == before else { return }
            write("\n")
            if Interrupts.shared.sleepUnlessInterrupted(seconds) { return }
        }
    }
}
