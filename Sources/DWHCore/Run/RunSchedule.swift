import Foundation

/// `dwh run --print-schedule cron|systemd`: what to install so that the job runs every
/// day for this project's folder. The job itself is the same either way; the scheduler
/// only needs to start it, and read its exit status (`RunExit`).
///
/// - cron: one crontab line, at 02:15 UTC-ish (the machine's time), output appended to
///   `.dwh/run.log`.
/// - systemd: a oneshot service and a daily timer with `Persistent=true` (a day missed
///   while the machine was off runs at boot). 75 (try later) restarts the service after a
///   pause; 65 (data) and 78 (configuration) do not, since they fail the same way again.
public struct RunSchedule: Equatable, Sendable {
    public enum Kind: String, Sendable {
        case cron, systemd
    }

    public let kind: Kind
    public let text: String

    public init(kind: String, folder: String, executable: String, config: String) throws {
        guard let parsed = Kind(rawValue: kind) else {
            throw RunError.config(key: "--print-schedule", reason: "\"\(kind)\" is neither cron nor systemd")
        }
        self.kind = parsed
        let command = [Self.quoted(executable), "run", "--config", Self.quoted(config)].joined(separator: " ")
        switch parsed {
        case .cron:
            // `%` ends a crontab command: none may stand unescaped.
            let line = "cd \(Self.quoted(folder)) && \(command) >> .dwh/run.log 2>&1"
            text = """
                # dwh run every day at 02:15 for \(folder) (crontab -e, then paste this line).
                # Exit 75 (input not there yet, lock held) is simply retried by the next day's run.
                15 2 * * * \(line.replacingOccurrences(of: "%", with: "\\%"))

                """
        case .systemd:
            text = """
                ### dwh-run.service (in ~/.config/systemd/user/ or /etc/systemd/system/)
                [Unit]
                Description=dwh run: the Sparkify daily job in \(folder.replacingOccurrences(of: "%", with: "%%"))
                Wants=network-online.target
                After=network-online.target

                [Service]
                Type=oneshot
                WorkingDirectory=\(Self.systemdPath(folder))
                ExecStart=\(Self.systemdPath(executable)) run --config \(Self.systemdPath(config))
                # 0: done or nothing to do. 75 (temporary) is a failure that is tried again after
                # RestartSec; 65 (a data check) and 78 (configuration) fail the same way again.
                SuccessExitStatus=0
                Restart=on-failure
                RestartSec=15min
                RestartPreventExitStatus=65 78

                ### dwh-run.timer
                [Unit]
                Description=dwh run every day for \(folder.replacingOccurrences(of: "%", with: "%%"))

                [Timer]
                OnCalendar=*-*-* 02:15:00
                Persistent=true
                RandomizedDelaySec=5min

                [Install]
                WantedBy=timers.target

                """
        }
    }

    /// The files of a systemd schedule by name, as `### NAME` headers split them.
    public var files: [(name: String, text: String)] {
        var files: [(name: String, text: String)] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("### ") {
                files.append((String(line.dropFirst(4).split(separator: " ").first ?? ""), ""))
            } else if !files.isEmpty {
                files[files.count - 1].text += line + "\n"
            }
        }
        return files
    }

    static func quoted(_ text: String) -> String {
        text.allSatisfy({ $0.isLetter || $0.isNumber || "/._-".contains($0) }) ? text
            : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// A path in a unit file: spaces and specifiers escaped.
    static func systemdPath(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "%", with: "%%")
        return escaped.contains(" ") ? "\"" + escaped + "\"" : escaped
    }
}
