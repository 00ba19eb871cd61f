import ArgumentParser
import DWHCore
import Foundation

struct TransformCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transform",
        abstract: "Build the star schema (songplays, users, songs, artists, time) from staging.",
        discussion: """
        Only files loaded since the last transform are turned into star rows, and a replaced \
        file's star rows are replaced; every songplay keeps its songplay_id. One transaction: \
        a failure or Ctrl-C leaves the previous state. The first run, --full-refresh and every \
        run on Redshift rebuild everything.
        """
    )

    @Flag(name: .customLong("full-refresh"), help: "Rebuild every star table from all of staging.") var fullRefresh = false
    @Flag(help: "No progress output.") var quiet = false
    @OptionGroup var connection: ConnectionOptionGroup

    func run() throws {
        let session = try connection.context().openSession()
        stopOnSignal(session, "transform stopped: the star schema is as it was")
        _ = try transform(session, TransformOptions(fullRefresh: fullRefresh), quiet: quiet)
    }
}

/// Runs the transform with a progress line on a terminal (after its first second) and says
/// what it did.
func transform(_ session: Session, _ options: TransformOptions, quiet: Bool) throws -> TransformResult {
    let progress = ProgressLine(enabled: !quiet)
    let result = try Transformer(connection: session.connection, dialect: session.dialect).run(options) { step in
        guard step.seconds >= 1 else { return }
        progress.show(String(format: "transform %@: %d rows, %.0f s", step.step, step.rows, step.seconds), at: step.seconds)
    }
    progress.finish()
    let backlog = result.plan.backlog
    let new = backlog.newEventFiles + backlog.newSongFiles
    let files = "\(new) new file\(new == 1 ? "" : "s"), \(backlog.removedEventFiles + backlog.removedSongFiles) replaced"
    print(String(format: "transform: %@ (%@) in %.1f s: %@", result.plan.mode.rawValue, files, result.seconds, result.summary))
    return result
}
