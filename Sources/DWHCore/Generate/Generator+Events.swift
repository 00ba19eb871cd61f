import Foundation

extension SyntheticDataGenerator {
    /// A user's fixed fields as ready-made JSON fragments (each event repeats them).
    struct UserFragments {
        var nameAndGender: [UInt8]
        var lastName: [UInt8]
        var location: [UInt8]
        var registration: [UInt8]
        var userAgent: [UInt8]
        var userID: [UInt8]
        var paid: Bool
    }

    static let days = 30
    /// 2018-11-01T00:00:00Z in epoch milliseconds: the real logs cover November 2018.
    static let firstDayMillis = 1_541_030_400_000

    func makeUsers() -> [UserFragments] {
        let count = max(100, options.events / 1000)
        return (1...count).map { id in
            var random = SplitMix64(seed: options.seed &* 0x3000_0005 &+ UInt64(id))
            let gender = random.chance(0.5) ? "F" : "M"
            let registration = Self.firstDayMillis - 5_000_000_000 + random.below(4_000_000_000)
            return UserFragments(
                nameAndGender: Array("\"firstName\":\"\(random.pick(GeneratorVocabulary.firstNames))\",\"gender\":\"\(gender)\"".utf8),
                lastName: Array("\"lastName\":\"\(random.pick(GeneratorVocabulary.lastNames))\"".utf8),
                location: Array("\"location\":\"\(random.pick(GeneratorVocabulary.locations))\"".utf8),
                registration: Array("\"registration\":\(registration).0".utf8),
                userAgent: Array("\"userAgent\":\"\(random.pick(GeneratorVocabulary.userAgents))\"".utf8),
                userID: Array("\"userId\":\"\(id)\"".utf8),
                paid: random.chance(0.25))
        }
    }

    func writeEvents(pool: [SongRef], _ summary: inout GeneratorSummary) throws {
        guard options.events > 0 else { return }
        let folder = "\(options.output)/log_data/2018/11"
        try createFolder(folder)
        let users = makeUsers()
        let out = ByteBuffer(capacity: 1 << 21)
        for day in 1...Self.days {
            let count = options.events / Self.days + (day <= options.events % Self.days ? 1 : 0)
            guard count > 0 else { continue }
            let path = "\(folder)/2018-11-\(day < 10 ? "0" : "")\(day)-events.json"
            let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard descriptor >= 0 else { throw GeneratorError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
            defer { close(descriptor) }
            var random = SplitMix64(seed: options.seed &* 0x4000_0007 &+ UInt64(day))
            var written = 0, session = 0
            while written < count {
                session += 1
                let sessionID = day * 100_000 + session
                let length = min(count - written, 1 + random.below(30))
                let user: UserFragments? = random.chance(0.04) ? nil : users[random.below(users.count)]
                let paid = user.map { $0.paid != random.chance(0.05) } ?? random.chance(0.5)
                var ts = Self.firstDayMillis + (day - 1) * 86_400_000 + random.below(80_000_000)
                for item in 0..<length {
                    if written > 0 { out.append(0x0A) }
                    appendEvent(user: user, paid: paid, item: item, sessionID: sessionID, ts: ts,
                                pool: pool, random: &random, into: out)
                    written += 1
                    ts += 30_000 + random.below(300_000)
                    if out.count >= 1 << 20 { summary.bytes += Int64(out.count); try drain(out, descriptor, path) }
                }
            }
            summary.bytes += Int64(out.count)
            try drain(out, descriptor, path)
            summary.eventFiles += 1
            summary.events += written
        }
    }

    private func drain(_ out: ByteBuffer, _ descriptor: Int32, _ path: String) throws {
        do { try out.drain(to: descriptor) } catch { throw GeneratorError.cannotWrite(path: path, reason: "\(error)") }
    }

    /// One event line in the real key order; logged-out events have nulls and `""` user id.
    private func appendEvent(user: UserFragments?, paid: Bool, item: Int, sessionID: Int, ts: Int,
                             pool: [SongRef], random: inout SplitMix64, into out: ByteBuffer) {
        let play = user != nil && random.chance(0.82)
        let other = random.pick(GeneratorVocabulary.otherPages)
        var song: SongRef?
        if play {
            if !pool.isEmpty && random.chance(options.matchRatio) {
                song = random.pick(pool)
            } else {
                song = SongRef(title: Array(Self.title(&random).utf8),
                               artist: Array(Self.artistName(&random, escapedNames: GeneratorVocabulary.eventNames).utf8),
                               duration: Self.decimal(random.below(50_000_000) + 6_000_000, places: 5))
            }
        }
        out.append("{\"artist\":")
        appendQuoted(song?.artist, into: out)
        out.append(user == nil ? ",\"auth\":\"Logged Out\"," : ",\"auth\":\"Logged In\",")
        out.append(user?.nameAndGender ?? Array("\"firstName\":null,\"gender\":null".utf8))
        out.append(",\"itemInSession\":")
        out.append(decimal: item)
        out.append(0x2C)
        out.append(user?.lastName ?? Array("\"lastName\":null".utf8))
        out.append(",\"length\":")
        if let song { out.append(song.duration) } else { out.append("null") }
        out.append(paid ? ",\"level\":\"paid\"," : ",\"level\":\"free\",")
        out.append(user?.location ?? Array("\"location\":null".utf8))
        out.append(play ? ",\"method\":\"PUT\",\"page\":\"NextSong\"," : ",\"method\":\"\(other.method)\",\"page\":\"\(other.page)\",")
        out.append(user?.registration ?? Array("\"registration\":null".utf8))
        out.append(",\"sessionId\":")
        out.append(decimal: sessionID)
        out.append(",\"song\":")
        appendQuoted(song?.title, into: out)
        out.append(",\"status\":")
        out.append(decimal: play ? 200 : other.status)
        out.append(",\"ts\":")
        out.append(decimal: ts)
        out.append(0x2C)
        out.append(user?.userAgent ?? Array("\"userAgent\":null".utf8))
        out.append(0x2C)
        out.append(user?.userID ?? Array("\"userId\":\"\"".utf8))
        out.append(0x7D)
    }

    private func appendQuoted(_ text: [UInt8]?, into out: ByteBuffer) {
        guard let text else { out.append("null"); return }
        out.append(0x22)
        out.append(text)
        out.append(0x22)
    }
}
