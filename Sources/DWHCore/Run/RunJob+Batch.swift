import Foundation

/// A run's days as one batch (`RunPlan.Step.held`): each day is loaded on its own attempt,
/// which stays `running` in the ledger; the batch's last day transforms once for them all
/// (a rebuild's bulk path into an empty warehouse), then checks each held day on its own
/// interval and finishes its attempt. A day that fails before the batch's transform still
/// gets the days held before it transformed and checked.
///
/// A run killed meanwhile leaves the held attempts running: the next run marks them
/// abandoned and runs those days again (their files are loaded already, so only the
/// transform and the checks remain).
extension RunJob {
    /// A day whose load is done, waiting for the batch's transform.
    struct HeldDay {
        var attempt: RunAttempt
        var checks: [String]
        let started: Date
    }

    /// How a held day ended, once the batch's transform took it in.
    struct CompletedDay {
        let attempt: RunAttempt
        /// Why it failed; nil when it succeeded.
        let error: Error?
    }

    /// Keeps `attempt`, whose steps so far are saved, to finish after `until`'s transform;
    /// meanwhile it stays running.
    func hold(_ attempt: RunAttempt, until: RunDay, checks: [String], started: Date) {
        held.append(HeldDay(attempt: attempt, checks: checks, started: started))
        say("\(attempt.date): loaded; its checks follow \(until)'s transform")
    }

    /// After the transform that took the held days in: checks each on its own day and
    /// finishes its attempt, succeeded or failed. Never throws: each day's outcome is kept
    /// for the run (`completed`). Once the run is being stopped, the days not yet checked
    /// stay running for the next run.
    func checkHeldDays() {
        defer { held = [] }
        for entry in held {
            guard !Interrupts.shared.isEnding else { return }
            check(entry)
        }
    }

    /// Checks one held day and finishes its attempt. A transient fault fails the attempt,
    /// and while retries are left a new attempt of the day runs the checks again: its load
    /// and the batch's transform are done, and checks only read.
    private func check(_ entry: HeldDay) {
        var entry = entry, tries = 0
        while true {
            tries += 1
            let started = Date()
            do {
                let record = try perform(.checks(user: entry.checks), day: entry.attempt.date)
                entry.attempt.steps.append(record)
                say("\(entry.attempt.date): " + Self.line(record).dropFirst(2))
                return finishHeld(&entry, error: nil)
            } catch {
                let text = redact("\(error)")
                entry.attempt.steps.append(RunAttempt.Step(step: "checks", seconds: Date().timeIntervalSince(started), rows: 0,
                                                           detail: "failed", error: text))
                let transient = TransientFault.isTransient(error)
                guard transient, tries <= options.settings.retries else {
                    return finishHeld(&entry, error: transient ? RunError.unreachable(attempts: tries, reason: "checks: \(text)")
                                                               : RunError.step(name: "checks", error: error))
                }
                if let failure = retry(after: error, tries: tries, day: entry.attempt.date) {
                    return finishHeld(&entry, error: failure)
                }
                do {
                    entry = try again(entry, after: error)
                } catch {
                    return finishHeld(&entry, error: error)
                }
            }
        }
    }

    /// Records `entry`'s attempt as failed by `error`, on the session a retry opened, and
    /// starts the day's next attempt, held for its checks. The day's attempt that runs the
    /// batch's transform stays `lastAttempt`, which a retry's connection leaves running.
    private func again(_ entry: HeldDay, after error: Error) throws -> HeldDay {
        var failed = entry.attempt
        failed.status = .failed
        failed.exitCode = Int(RunError.exitCode(for: error))
        failed.error = "checks: " + redact("\(error)")
        failed.finishedAt = Ledger.timestamp(Date())
        guard let session else { throw RunError.unreachable(attempts: 1, reason: "no connection") }
        let ledger = Ledger(connection: session.connection)
        try ledger.finish(failed)
        let next = try ledger.start(failed.date, host: host, version: options.version)
        // Held, so that another retry's connection leaves it running.
        if let index = held.firstIndex(where: { $0.attempt.runID == failed.runID }) { held[index].attempt = next }
        say("\(next.date): attempt \(next.attempt), its checks again (its load and the transform are done)")
        return HeldDay(attempt: next, checks: entry.checks, started: Date())
    }

    /// When a day fails with days held before it: the batch's transform for them, then
    /// their checks; a failed transform fails them all. Nothing is done once the run is
    /// being stopped (Ctrl-C, SIGTERM): the held attempts stay running for the next run.
    func completeHeldDays(after failed: RunDay, rebuild: Bool) {
        guard !held.isEmpty, !Interrupts.shared.isEnding else { return }
        do {
            let record = try perform(.transform(rebuild: rebuild), day: failed)
            say("transform of the \(Plural.count(held.count, "day")) held before \(failed): " + Self.line(record).dropFirst(2))
            for index in held.indices {
                held[index].attempt.steps[held[index].attempt.steps.count - 1].detail =
                    "after \(failed) failed: " + record.detail
            }
            checkHeldDays()
        } catch {
            let text = redact("\(error)")
            for var entry in held {
                entry.attempt.steps.append(RunAttempt.Step(step: "transform", seconds: stepSeconds, rows: 0, detail: "failed", error: text))
                finishHeld(&entry, error: RunError.step(name: "transform", error: error))
            }
            held = []
        }
    }

    private func finishHeld(_ entry: inout HeldDay, error: Error?) {
        entry.attempt.status = error == nil ? .succeeded : .failed
        entry.attempt.exitCode = Int(error.map { RunError.exitCode(for: $0) } ?? RunExit.done)
        entry.attempt.error = error.map { redact("\($0)") }
        entry.attempt.finishedAt = Ledger.timestamp(Date())
        do {
            try session.map { try Ledger(connection: $0.connection).finish(entry.attempt) }
        } catch {
            warn("\(entry.attempt.date): its attempt could not be recorded as \(entry.attempt.status.rawValue): " + redact("\(error)"))
        }
        let rows = entry.attempt.steps.reduce(0) { $0 + $1.rows }
        say(String(format: "%@: %@ in %.1f s (attempt %d, %d rows)", entry.attempt.date.description,
                   error == nil ? "succeeded" : "FAILED", Date().timeIntervalSince(entry.started), entry.attempt.attempt, rows))
        completed.append(CompletedDay(attempt: entry.attempt, error: error))
    }
}
