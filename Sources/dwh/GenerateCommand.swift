import ArgumentParser
import DWHCore
import Foundation

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write synthetic Sparkify song files and event logs, in the real layout and shapes.",
        discussion: "The same seed gives byte-identical files. A share of plays (--match-ratio) names a generated song by title, artist and length, so the transform finds it."
    )

    @Option(help: "Song files to write.") var songs: Int = 1000
    @Option(help: "Events to write, spread over the 30 days of November 2018.") var events: Int = 10000
    @Option(name: .customLong("out"), help: ArgumentHelp("Folder to write song_data/ and log_data/ into.", valueName: "dir"))
    var output: String
    @Option(help: "Seed for the generator.") var seed: UInt64 = 42
    @Option(name: .customLong("match-ratio"), help: "Share of plays that match a generated song (0…1).")
    var matchRatio: Double = 0.3

    func run() throws {
        let started = Date()
        let generator = try SyntheticDataGenerator(options: GeneratorOptions(
            songs: songs, events: events, output: output, seed: seed, matchRatio: matchRatio))
        let summary = try generator.run()
        let seconds = Date().timeIntervalSince(started)
        print("wrote \(Plural.count(summary.songFiles, "song file")) and \(Plural.count(summary.events, "event")) in \(Plural.count(summary.eventFiles, "log file")) "
            + "(\(summary.bytes / 1_000_000) MB) to \(output) in \(String(format: "%.1f", seconds)) s")
    }
}
