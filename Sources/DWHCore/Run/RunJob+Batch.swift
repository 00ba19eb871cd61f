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
        for var entry in held {
            guard !Interrupts.shared.isEnding else { return }
            let started = Date()
            do {
                let record = try perform(.checks(user: entry.checks), day: entry.attempt.date)
                entry.attempt.steps.append(record)
                say("\(entry.attempt.date): " + Self.line(record).dropFirst(2))
                finishHeld(&entry, error: nil)
            } catch {
                entry.attempt.steps.append(RunAttempt.Step(step: "checks", seconds: Date().timeIntervalSince(started), rows: 0,
                                                           detail: "failed", error: redact("\(error)")))
                finishHeld(&entry, error: RunError.step(name: "checks", error: error))
            }
        }
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
        lastAttempt = entry.attempt
        let rows = entry.attempt.steps.reduce(0) { $0 + $1.rows }
        say(String(format: "%@: %@ in %.1f s (attempt %d, %d rows)", entry.attempt.date.description,
                   error == nil ? "succeeded" : "FAILED", Date().timeIntervalSince(entry.started), entry.attempt.attempt, rows))
        completed.append(CompletedDay(attempt: entry.attempt, error: error))
    }
}
