import Foundation

/// What `dwh generate` makes.
public struct GeneratorOptions: Equatable, Sendable {
    public var songs: Int
    public var events: Int
    public var output: String
    public var seed: UInt64
    /// The share of NextSong events whose title, artist and length are a generated song's.
    public var matchRatio: Double

    public init(songs: Int, events: Int, output: String, seed: UInt64 = 42, matchRatio: Double = 0.3) {
        self.songs = songs
        self.events = events
        self.output = output
        self.seed = seed
        self.matchRatio = matchRatio
    }
}

public struct GeneratorSummary: Equatable, Sendable {
    public var songFiles = 0
    public var eventFiles = 0
    public var events = 0
    public var bytes: Int64 = 0
}

/// Synthetic Sparkify data in the real layout (`song_data/A/B/C/TR….json`,
/// `log_data/2018/11/2018-11-DD-events.json`), shapes and quirks: one object per song file
/// without a final newline, JSON lines without a final newline, `""` user ids and nulls on
/// logged-out events, quoted user agents, `\/`, double-encoded UTF-8, `.0` registrations.
/// The same options give byte-identical files.
public struct SyntheticDataGenerator {
    public let options: GeneratorOptions
    /// Songs remembered for plays to match; a bound, so memory stays flat for any size.
    static let matchPool = 10_000

    /// The largest sizes asked for: beyond them the counts, not the disk, would overflow.
    static let maxSongs = 100_000_000, maxEvents = 10_000_000_000

    public init(options: GeneratorOptions) throws {
        guard options.songs >= 0, options.events >= 0 else { throw GeneratorError.invalidOption("--songs and --events must not be negative") }
        guard options.songs <= Self.maxSongs, options.events <= Self.maxEvents else {
            throw GeneratorError.invalidOption("--songs can be at most \(Self.maxSongs) and --events at most \(Self.maxEvents)")
        }
        guard (0...1).contains(options.matchRatio) else { throw GeneratorError.invalidOption("--match-ratio must be between 0 and 1") }
        guard options.matchRatio == 0 || options.songs > 0 || options.events == 0 else {
            throw GeneratorError.invalidOption("--match-ratio needs --songs above 0 (or use --match-ratio 0)")
        }
        self.options = options
    }

    /// Bytes on disk the files will take, roughly: a song file fills a 4 KiB block, an
    /// event line takes about 500 bytes.
    var estimatedBytes: Int64 { Int64(options.songs) * 4096 + Int64(options.events) * 500 }

    /// Writes the files. Sizes the disk cannot hold are refused before anything is written;
    /// on a failure part-way, the folders this run created are removed again.
    public func run() throws -> GeneratorSummary {
        let available = Self.freeBytes(near: options.output)
        if let available, estimatedBytes > available {
            throw GeneratorError.notEnoughSpace(path: options.output, needed: estimatedBytes, available: available)
        }
        let manager = FileManager.default
        let created = [options.output, options.output + "/song_data", options.output + "/log_data"]
            .filter { !manager.fileExists(atPath: $0) }
        do {
            var summary = GeneratorSummary()
            let pool = try writeSongs(&summary)
            try writeEvents(pool: pool, &summary)
            return summary
        } catch {
            for folder in created.reversed() { try? manager.removeItem(atPath: folder) }
            throw error
        }
    }

    /// Free bytes on the disk that holds `path` (or its nearest existing parent).
    static func freeBytes(near path: String) -> Int64? {
        var place = path.isEmpty ? "." : path
        while !FileManager.default.fileExists(atPath: place) {
            guard let slash = place.lastIndex(of: "/") else { place = "."; break }
            place = slash == place.startIndex ? "/" : String(place[..<slash])
        }
        var info = statvfs()
        guard statvfs(place, &info) == 0 else { return nil }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }

    /// A song as plays refer to it: JSON text of title and artist, and the duration's text.
    struct SongRef {
        var title: [UInt8]
        var artist: [UInt8]
        var duration: [UInt8]
    }

    private func writeSongs(_ summary: inout GeneratorSummary) throws -> [SongRef] {
        var pool: [SongRef] = []
        let out = ByteBuffer(capacity: 4096)
        var createdFolders = Set<String>()
        for index in 0..<options.songs {
            var random = SplitMix64(seed: options.seed &* 0x1000_0001 &+ UInt64(index))
            let trackID = Self.identifier("TR", index: index, random: &random)
            let folder = "\(options.output)/song_data/\(trackID.dropFirst(2).prefix(3).map(String.init).joined(separator: "/"))"
            if createdFolders.insert(folder).inserted {
                try createFolder(folder)
            }
            let artistIndex = random.below(max(1, options.songs * 2 / 3))
            var artistRandom = SplitMix64(seed: options.seed &* 0x2000_0003 &+ UInt64(artistIndex))
            let artistID = Self.identifier("AR", index: artistIndex, random: &artistRandom)
            let artistName = Array(Self.artistName(&artistRandom, escapedNames: GeneratorVocabulary.songNames).utf8)
            let location = artistRandom.pick(GeneratorVocabulary.artistLocations)
            let hasPlace = artistRandom.chance(0.4)
            let song = SongRef(title: Array(Self.title(&random).utf8), artist: artistName,
                               duration: Self.decimal(random.below(50_000_000) + 6_000_000, places: 5))
            out.append("{\"num_songs\": 1, \"artist_id\": \"\(artistID)\", \"artist_latitude\": ")
            if hasPlace { out.append(Self.decimal(artistRandom.below(9_000_000) - 4_500_000, places: 5)) } else { out.append("null") }
            out.append(", \"artist_longitude\": ")
            if hasPlace { out.append(Self.decimal(artistRandom.below(18_000_000) - 9_000_000, places: 5)) } else { out.append("null") }
            out.append(", \"artist_location\": \"\(location)\", \"artist_name\": \"")
            out.append(song.artist)
            out.append("\", \"song_id\": \"\(Self.identifier("SO", index: index, random: &random))\", \"title\": \"")
            out.append(song.title)
            out.append("\", \"duration\": ")
            out.append(song.duration)
            out.append(", \"year\": \(random.chance(0.4) ? 0 : 1960 + random.below(60))}")
            summary.bytes += Int64(out.count)
            try write(out, to: "\(folder)/\(trackID).json")
            summary.songFiles += 1
            if pool.count < Self.matchPool { pool.append(song) }
        }
        return pool
    }

    /// `prefix` + 16 characters: three letters, the index in base 36, random filler.
    static func identifier(_ prefix: String, index: Int, random: inout SplitMix64) -> String {
        var characters = Array(prefix.utf8)
        characters.append(UInt8(ascii: "A"))
        characters.append(UInt8(ascii: "A") + UInt8(index % 26))
        characters.append(UInt8(ascii: "A") + UInt8((index / 26) % 26))
        var digits = Array(String(index, radix: 36, uppercase: true).utf8)
        digits.insert(contentsOf: Array(repeating: UInt8(ascii: "0"), count: max(0, 7 - digits.count)), at: 0)
        characters += digits
        while characters.count < prefix.utf8.count + 16 { characters.append(random.pick(GeneratorVocabulary.idAlphabet)) }
        return String(decoding: characters, as: UTF8.self)
    }

    static func title(_ random: inout SplitMix64) -> String {
        let words = (0...random.below(3)).map { _ in random.pick(GeneratorVocabulary.words) }
        return words.joined(separator: " ") + random.pick(GeneratorVocabulary.titleSuffixes)
    }

    static func artistName(_ random: inout SplitMix64, escapedNames: [String]) -> String {
        if random.chance(0.05) { return random.pick(escapedNames) }
        let word = random.pick(GeneratorVocabulary.words) + " " + random.pick(GeneratorVocabulary.lastNames)
        return random.pick(GeneratorVocabulary.artistForms).replacingOccurrences(of: "%", with: word)
    }

    /// `value / 10^places` written with exactly `places` decimals, without floating point.
    static func decimal(_ value: Int, places: Int) -> [UInt8] {
        var scale = 1
        for _ in 0..<places { scale *= 10 }
        let fraction = String(value.magnitude % UInt(scale))
        let text = (value < 0 ? "-" : "") + String(value.magnitude / UInt(scale)) + "."
            + String(repeating: "0", count: places - fraction.count) + fraction
        return Array(text.utf8)
    }

    func createFolder(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw GeneratorError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }

    /// Writes `buffer` as the whole of `path`, replacing any old file, and empties it.
    func write(_ buffer: ByteBuffer, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw GeneratorError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        do { try buffer.drain(to: descriptor) } catch {
            throw GeneratorError.cannotWrite(path: path, reason: "\(error)")
        }
    }
}
