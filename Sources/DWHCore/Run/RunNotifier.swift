import Curl
import Foundation

/// Tells someone that a run failed: `--on-failure CMD` / `[RUN] ON_FAILURE` runs a shell
/// command with `DWH_RUN_DATE`, `DWH_RUN_STATUS`, `DWH_RUN_EXIT` and `DWH_RUN_ERROR` set,
/// and `[RUN] WEBHOOK` receives a JSON POST (Slack shows its `text`). Neither carries a
/// secret: the error is redacted, and the command's environment has no password, key or
/// token in it. A notifier that fails is a warning: it never changes the run's exit status.
public struct RunNotifier {
    public let settings: RunSettings
    let warn: (String) -> Void

    public init(settings: RunSettings, warn: @escaping (String) -> Void) {
        self.settings = settings
        self.warn = warn
    }

    /// The webhook's body: what failed, and a line for people.
    public static func payload(day: RunDay?, exitCode: Int32, error: String, attempt: RunAttempt?) -> [UInt8] {
        let date = day?.description ?? ""
        let seconds = attempt.map { $0.steps.reduce(0) { $0 + $1.seconds } } ?? 0
        let rows = attempt.map { $0.steps.reduce(0) { $0 + $1.rows } } ?? 0
        let firstLine = error.split(separator: "\n").first.map(String.init) ?? error
        let body: [String: Any] = [
            "date": date, "status": "failed", "exit_code": Int(exitCode), "error": error,
            "attempt": attempt?.attempt ?? 0, "seconds": (seconds * 1000).rounded() / 1000, "rows": rows,
            "host": ProcessInfo.processInfo.hostName,
            "text": "dwh run\(date.isEmpty ? "" : " " + date) failed (exit \(exitCode)): \(firstLine)",
        ]
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Array(data)
    }

    public func failed(day: RunDay?, exitCode: Int32, error: String, attempt: RunAttempt?) {
        if let command = settings.onFailure {
            var environment = Secrets.childEnvironment()
            environment["DWH_RUN_DATE"] = day?.description ?? ""
            environment["DWH_RUN_STATUS"] = "failed"
            environment["DWH_RUN_EXIT"] = String(exitCode)
            environment["DWH_RUN_ERROR"] = error
            do {
                let output = try Shell.run("/bin/sh", ["-c", command], environment: environment)
                for line in (output.stdout + output.stderr).split(separator: "\n") { warn("on-failure: \(line)") }
                if !output.succeeded { warn("the --on-failure command exited \(output.status)") }
            } catch {
                warn("the --on-failure command could not start: \(error)")
            }
        }
        if let webhook = settings.webhook {
            let place = URL(string: webhook)?.host ?? "the webhook"
            let request = HTTPRequest(method: "POST", url: webhook, headers: [HTTPHeader("Content-Type", "application/json")],
                                      body: Self.payload(day: day, exitCode: exitCode, error: error, attempt: attempt),
                                      connectTimeout: 10, timeout: 10, stallTimeout: 10)
            do {
                let response = try HTTPClient().perform(request)
                if !(200..<300).contains(response.status) { warn("the webhook at \(place) answered HTTP \(response.status)") }
            } catch {
                // The URL is left out: a Slack webhook's path is its secret.
                warn("the webhook at \(place) did not answer: " + (error as? HTTPError).map { "\($0)".replacingOccurrences(of: webhook, with: place) }.orDefault("\(error)"))
            }
        }
    }
}

private extension Optional where Wrapped == String {
    func orDefault(_ fallback: String) -> String { self ?? fallback }
}
