import Foundation

/// The answers of the checks that read no interval (the built-in checks of the dimensions, a
/// project check that declares neither run_start nor run_end), kept while nothing writes.
/// Within a batch of `dwh run` every day is checked after the one transform, and such a check
/// answers the same for each: it runs for the first day only. A step that writes (a load, a
/// transform) starts afresh.
public final class StandingAnswers {
    private var results: [String: CheckResult] = [:]

    public init() {}

    /// The answer kept under `key`, else `compute`'s, kept. A check that throws keeps nothing.
    func answer(_ key: String, _ compute: () throws -> CheckResult) rethrows -> CheckResult {
        if let known = results[key] { return known }
        let result = try compute()
        results[key] = result
        return result
    }
}
