import Foundation
import Postgres

extension RunJob {
    /// Runs one day's steps as attempts until one succeeds, fails for good, or the
    /// transient retries are spent; nil on success, else the error that ends the run.
    func runDay(_ day: RunPlan.Day) -> Error? {
        var tries = 0
        while true {
            tries += 1
            let started = Date()
            var attempt: RunAttempt
            do {
                guard let session else { throw RunError.unreachable(attempts: tries, reason: "no connection") }
                attempt = try Ledger(connection: session.connection).start(day.day, host: host, version: options.version)
            } catch {
                guard TransientFault.isTransient(error), tries <= options.settings.retries else { return error }
                if let failure = retry(after: error, tries: tries, day: day.day) { return failure }
                continue
            }
            lastAttempt = attempt
            say("\(day.day): attempt \(attempt.attempt)")
            do {
                for step in day.steps {
                    let record = try perform(step, day: day.day)
                    attempt.steps.append(record)
                    say(Self.line(record))
                    try session.map { try Ledger(connection: $0.connection).progress(attempt) }
                    try lock?.beat()
                    switch step {
                    case .held(let until, let checks):
                        hold(attempt, until: until, checks: checks, started: started)
                        return nil
                    case .transform: checkHeldDays()
                    default: break
                    }
                }
                attempt.status = .succeeded
                attempt.exitCode = Int(RunExit.done)
                attempt.finishedAt = Ledger.timestamp(Date())
                try session.map { try Ledger(connection: $0.connection).finish(attempt) }
                lastAttempt = attempt
                let rows = attempt.steps.reduce(0) { $0 + $1.rows }
                say(String(format: "%@: succeeded in %.1f s (attempt %d, %d rows)", day.day.description,
                           Date().timeIntervalSince(started), attempt.attempt, rows))
                return nil
            } catch {
                let name = day.steps.dropFirst(attempt.steps.count).first?.name ?? "finish"
                let text = redact("\(error)")
                attempt.steps.append(RunAttempt.Step(step: name, seconds: stepSeconds, rows: 0, detail: "failed", error: text))
                attempt.status = .failed
                attempt.exitCode = Int(RunError.exitCode(for: error))
                attempt.error = "\(name): \(text)"
                attempt.finishedAt = Ledger.timestamp(Date())
                lastAttempt = attempt
                say(Self.line(attempt.steps[attempt.steps.count - 1]))
                let transient = TransientFault.isTransient(error)
                // On a lost connection the attempt is recorded once a new one is open.
                let recorded = (try? session.map { try Ledger(connection: $0.connection).finish(attempt) }) != nil
                guard transient, tries <= options.settings.retries else {
                    if !recorded, let session = try? reopenForLedger() { try? Ledger(connection: session.connection).finish(attempt) }
                    return transient ? RunError.unreachable(attempts: tries, reason: "\(name): \(text)") : RunError.step(name: name, error: error)
                }
                if let failure = retry(after: error, tries: tries, day: day.day) { return failure }
                if !recorded { try? session.map { try Ledger(connection: $0.connection).finish(attempt) } }
            }
        }
    }

    /// Waits, then opens a new session and takes the lock again; nil when it worked, else
    /// the error that ends the run (the lock taken by another run meanwhile, or the server
    /// still unreachable when the retries are spent).
    func retry(after error: Error, tries: Int, day: RunDay) -> Error? {
        var tries = tries
        while true {
            let delay = options.settings.retryDelay
            warn(String(format: "%@: transient failure (%@); attempt %d of %d in %.0f s", day.description,
                        redact("\(error)").split(separator: "\n").first.map(String.init) ?? "", tries + 1,
                        options.settings.retries + 1, delay))
            Thread.sleep(forTimeInterval: delay)
            do {
                try connect(waiting: false)
                return nil
            } catch let failure as RunError {
                return failure
            } catch {
                guard TransientFault.isTransient(error) else { return error }
                tries += 1
                if tries > options.settings.retries {
                    return RunError.unreachable(attempts: tries, reason: redact("\(error)"))
                }
            }
        }
    }

    /// A session to record a failed attempt on, when the job's own was lost.
    private func reopenForLedger() throws -> Session {
        var retarget = target
        if let embedded = target.embedded, let port = embedded.port {
            retarget.conninfo = embedded.url(port: port)
            retarget.embedded = nil
        }
        return try Session(target: retarget)
    }

    /// `  load       1 file: staging_events +7898 (0.4 s)`
    static func line(_ step: RunAttempt.Step) -> String {
        let name = step.step.padding(toLength: 10, withPad: " ", startingAt: 0)
        if let error = step.error {
            return "  \(name) FAILED: " + error.replacingOccurrences(of: "\n", with: "\n    ")
        }
        return String(format: "  %@ %@ (%.2f s, %d rows)", name, step.detail, step.seconds, step.rows)
    }
}
