// dwh-rsload-bench: the incremental Redshift load on its PostgreSQL rendering, against
// moto_server with signature checking on, side by side in one run:
//   history: one new object on a prefix of N objects loaded already;
//   alone:   the same object on a prefix that holds only the objects loaded before it.
// Each round adds one new object to both. Prints the best of the rounds, their ratio (goal
// <= 1.5), and what each run sent: S3 requests by action, manifest bytes, SQL statements.
//
//   dwh-rsload-bench <moto endpoint> <admin database url> <sparkify data dir> <migrations dir> [objects] [rounds]
//
// The moto server must be fresh (auth not yet on): this sets up its user and turns auth on.
// The prefixes are one level deep (`history/`, `alone/`): moto's signature check refuses a
// listing whose prefix holds a `/`.
import DWHCore
import Foundation
import Postgres
import RedshiftEmulation

struct Failure: Error, CustomStringConvertible { let description: String }

let arguments = CommandLine.arguments
guard arguments.count >= 5 else {
    FileHandle.standardError.write(Data("usage: dwh-rsload-bench <moto endpoint> <admin database url> <data dir> <migrations dir> [objects] [rounds]\n".utf8))
    exit(64)
}
let endpoint = arguments[1], admin = arguments[2], data = arguments[3], migrations = arguments[4]
let objectCount = arguments.count > 5 ? Int(arguments[5]) ?? 1000 : 1000
let rounds = arguments.count > 6 ? Int(arguments[6]) ?? 3 : 3

func settings(_ key: String, _ secret: String) -> AWSSettings {
    AWSSettings(credentials: AWSCredentials(accessKeyID: key, secretAccessKey: secret, source: "bench user"),
                region: "us-west-2", endpointOverride: endpoint)
}

/// moto's user for the bench, then auth on: from here every request is signature-checked.
func benchUser() throws -> AWSSettings {
    let setup = try AWSClient(settings: settings("AKIASETUPSETUPSETUP0", "setup"))
    try setup.query(.iam, "CreateUser", [("UserName", "dwh-bench")])
    let key = try setup.query(.iam, "CreateAccessKey", [("UserName", "dwh-bench")])
    try setup.query(.iam, "PutUserPolicy", [
        ("UserName", "dwh-bench"), ("PolicyName", "dwh-bench-s3"),
        ("PolicyDocument", #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":"*"}]}"#),
    ])
    let reset = Process()
    reset.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    reset.arguments = ["python3", "-c", """
        import urllib.request
        request = urllib.request.Request("\(endpoint)/moto-api/reset-auth", data=b"0", headers={"Content-Type": "text/plain"})
        urllib.request.urlopen(request).read()
        """]
    try reset.run()
    reset.waitUntilExit()
    guard reset.terminationStatus == 0 else { throw Failure(description: "could not switch on moto's auth") }
    return settings(key.string("CreateAccessKeyResult", "AccessKey", "AccessKeyId") ?? "",
                    key.string("CreateAccessKeyResult", "AccessKey", "SecretAccessKey") ?? "")
}

/// Real Sparkify events, dealt out into small objects: every day file's lines, in turn.
func eventLines() throws -> [Substring] {
    let folder = data + "/log_data/2018/11"
    let days = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") }.sorted()
    return try days.flatMap { try String(contentsOfFile: folder + "/" + $0, encoding: .utf8).split(separator: "\n") }
}

/// What one load sent: S3 requests by action, manifest bytes, SQL statements, and the time
/// spent waiting for S3's answers, by action (from the client's `← … in N ms` lines).
final class Traffic: @unchecked Sendable {
    var requests: [String: Int] = [:]
    var waited: [String: Double] = [:]
    var statements = 0
    /// Seconds from each event to the next, by what it began: a statement (`SQL` and its first
    /// word), a request (`S3 wait`), or dwh reading an answer (`after S3`).
    var phases: [String: Double] = [:]
    private var phase: (label: String, since: UInt64)?
    static let verbose = ProcessInfo.processInfo.environment["BENCH_VERBOSE"] != nil
    let started = DispatchTime.now().uptimeNanoseconds
    func count(_ line: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        if Self.verbose { print(String(format: "  %6.1f ms %@", Double(now - started) / 1e6, line)) }
        let words = line.split(separator: " ")
        close(at: now)
        let label = line.hasPrefix("SQL ") ? "SQL " + (words.dropFirst().first ?? "")
            : line.hasPrefix("→ ") ? "S3 wait " + (words.last ?? "") : "after S3 " + (words.count > 3 ? words[3] : "")
        phase = (label, now)
        if line.hasPrefix("← "), words.count >= 6, words[words.count - 1] == "ms", let millis = Double(words[words.count - 2]) {
            waited[String(words[3]), default: 0] += millis / 1000
        }
        guard line.hasPrefix("→ ") else { return }
        let action = String(words.last ?? "")
        requests[action, default: 0] += 1
    }
    func close(at now: UInt64 = DispatchTime.now().uptimeNanoseconds) {
        if let phase { phases[phase.label, default: 0] += Double(now - phase.since) / 1e9 }
        phase = nil
    }
    /// The largest phases, in milliseconds.
    var largest: String {
        phases.sorted { $0.value > $1.value }.prefix(6).map { String(format: "%@ %.1f", $0.key, $0.value * 1000) }
            .joined(separator: ", ")
    }
    /// The seconds spent waiting for the listing's answers.
    var listing: Double { waited["ListObjectsV2"] ?? 0 }
    /// The seconds spent waiting for S3 at all.
    var s3: Double { waited.values.reduce(0, +) }
    var summary: String { requests.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") }
}

struct Warehouse {
    let name: String
    let connection: Connection
    let emulation: RedshiftCopyEmulation
    let load: RedshiftLoad
    let incremental: RedshiftLoad.Incremental

    init(_ name: String, prefix: String, bucket: String, aws: AWSSettings, client: AWSClient) throws {
        self.name = name
        let base = try Connection(admin)
        _ = try base.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        _ = try base.execute("CREATE DATABASE \(name)")
        var components = URLComponents(string: admin)!
        components.path = "/" + name
        connection = try Connection(components.string!)
        emulation = try RedshiftCopyEmulation.warehouse(on: connection, migrations: migrations, client: client)
        load = RedshiftLoad(RedshiftLoad.Settings(
            logData: "s3://\(bucket)/\(prefix)", songData: "s3://\(bucket)/song_data",
            logJSONPath: "s3://\(bucket)/log_json_path.json", iamRole: "arn:aws:iam::123456789012:role/dwhRole",
            region: "us-west-2", maxErrors: 0))
        incremental = RedshiftLoad.Incremental(aws: aws, manifestFolder: "s3://\(bucket)/staging/\(name)/")
    }

    /// One load of the events prefix (or of `events`, one key, as a day of `dwh run` copies
    /// its day); its seconds, plans and traffic.
    func run(events: String? = nil) throws -> (seconds: Double, plans: [RedshiftLoadPlan], traffic: Traffic) {
        var settings = load.settings
        if let events { settings.logData = events }
        let load = RedshiftLoad(settings)
        let traffic = Traffic()
        var incremental = incremental
        incremental.log = { traffic.count($0) }
        let emulation = emulation
        let start = DispatchTime.now().uptimeNanoseconds
        let plans = try load.runIncremental(on: connection, incremental, songs: false) { sql in
            traffic.statements += 1
            traffic.count("SQL " + (sql.split(separator: "\n").first { !$0.hasPrefix("--") }.map { String($0.prefix(60)) } ?? ""))
            return emulation.rewrite(sql)
        }
        traffic.close()
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, plans, traffic)
    }
}

let aws = try benchUser()
let client = try AWSClient(settings: aws)
let bucket = "dwh-rsload-bench"
try client.createBucket(bucket)
try client.putObject(S3Location(bucket: bucket, key: "log_json_path.json"),
                     body: Array(try Data(contentsOf: URL(fileURLWithPath: data + "/log_json_path.json"))))
let lines = try eventLines()
let perObject = 8
func object(_ index: Int) -> [UInt8] {
    let start = (index * perObject) % max(1, lines.count - perObject)
    return Array((lines[start..<start + perObject].joined(separator: "\n") + "\n").utf8)
}
func key(_ prefix: String, _ index: Int) -> String { String(format: "%@/part-%05d.json", prefix, index) }

print("putting \(objectCount) objects of \(perObject) real events each under history/ …")
for index in 0..<objectCount {
    try client.putObject(S3Location(bucket: bucket, key: key("history", index)), body: object(index))
}
let history = try Warehouse("rsbench_history", prefix: "history", bucket: bucket, aws: aws, client: client)
let alone = try Warehouse("rsbench_alone", prefix: "alone", bucket: bucket, aws: aws, client: client)
let first = try history.run()
print(String(format: "set-up: the first load of %d objects: %.2f s, %d COPY, S3: %@", objectCount, first.seconds,
             first.plans.reduce(0) { $0 + $1.copies.count }, first.traffic.summary))

var best = (history: Double.infinity, alone: Double.infinity)
var bestWithoutListing = (history: Double.infinity, alone: Double.infinity)
var bestWithoutS3 = (history: Double.infinity, alone: Double.infinity)
for round in 1...rounds {
    let index = objectCount + round
    for prefix in ["history", "alone"] {
        try client.putObject(S3Location(bucket: bucket, key: key(prefix, index)), body: object(index))
    }
    for warehouse in [history, alone] {
        let (seconds, plans, traffic) = try warehouse.run()
        let plan = plans[0]
        guard plan.new.count == 1, plan.copies.count == 1 else {
            throw Failure(description: "\(warehouse.name): expected one new object, got \(plan.new.count)")
        }
        let manifestBytes = plan.copies.reduce(0) { $0 + $1.manifest.json.count }
        print(String(format: "round %d, %@: %.3f s (waiting for S3's listing %.3f s, for its other answers %.3f s); "
                     + "%d listed, 1 copied; S3: %@; manifest %d bytes; %d SQL statements",
                     round, warehouse.name == history.name ? "history" : "alone  ", seconds, traffic.listing,
                     traffic.s3 - traffic.listing, plan.unchanged + plan.new.count + plan.changed.count, traffic.summary,
                     manifestBytes, traffic.statements))
        if round == rounds { print("  the last round's largest parts (ms): " + traffic.largest) }
        if warehouse.name == history.name {
            best.history = min(best.history, seconds)
            bestWithoutListing.history = min(bestWithoutListing.history, seconds - traffic.listing)
            bestWithoutS3.history = min(bestWithoutS3.history, seconds - traffic.s3)
        } else {
            best.alone = min(best.alone, seconds)
            bestWithoutListing.alone = min(bestWithoutListing.alone, seconds - traffic.listing)
            bestWithoutS3.alone = min(bestWithoutS3.alone, seconds - traffic.s3)
        }
    }
}
print(String(format: "one new object on %d loaded: %.3f s; alone: %.3f s; ratio %.2f (goal <= 1.5)",
             objectCount, best.history, best.alone, best.history / best.alone))
print(String(format: "the same without the wait for S3's listing: %.3f s; alone: %.3f s; ratio %.2f",
             bestWithoutListing.history, bestWithoutListing.alone, bestWithoutListing.history / bestWithoutListing.alone))
print(String(format: "the same without any wait for S3 (dwh and the database alone): %.3f s; alone: %.3f s; ratio %.2f",
             bestWithoutS3.history, bestWithoutS3.alone, bestWithoutS3.history / bestWithoutS3.alone))

// A day of `dwh run` names its key, so only that key is listed, however many objects the
// prefix holds. Its keys sit at the bucket's root: moto's signature check refuses a listing
// whose prefix holds a `/`.
var bestDay = (history: Double.infinity, alone: Double.infinity)
for round in 1...rounds {
    for warehouse in [history, alone] {
        let day = "\(warehouse.name == history.name ? "history" : "alone")-day-\(round).json"
        try client.putObject(S3Location(bucket: bucket, key: day), body: object(objectCount + rounds + round))
        let (seconds, plans, traffic) = try warehouse.run(events: "s3://\(bucket)/\(day)")
        guard plans[0].new.count == 1, plans[0].copies.count == 1 else {
            throw Failure(description: "\(warehouse.name): expected the day's object alone, got \(plans[0].new.count)")
        }
        if round == rounds {
            print(String(format: "a day's key, round %d, %@: %.3f s; S3: %@; %d SQL statements; largest parts (ms): %@",
                         round, warehouse.name == history.name ? "history" : "alone  ", seconds, traffic.summary, traffic.statements,
                         traffic.largest))
        }
        if warehouse.name == history.name { bestDay.history = min(bestDay.history, seconds) } else { bestDay.alone = min(bestDay.alone, seconds) }
    }
}
print(String(format: "a day's key (dwh run) on %d loaded: %.3f s; alone: %.3f s; ratio %.2f",
             objectCount, bestDay.history, bestDay.alone, bestDay.history / bestDay.alone))

// Staging traceability's cost: an object of the first load's copy group changes, so the
// group's rows go, the changed object is copied alone and the group's other members together;
// the same object changed again, now a group of its own, is copied alone.
for (label, version) in [("in the first load's group", 1), ("again, now a group of its own", 2)] {
    // Two objects' events: a size no single object has, so each version differs from the last.
    try client.putObject(S3Location(bucket: bucket, key: key("history", 0)), body: object(version) + object(version + 1))
    let (seconds, plans, traffic) = try history.run()
    let plan = plans[0]
    print(String(format: "one changed object %@: %.3f s; %d copied (%d changed) in %d COPY; S3: %@; %d SQL statements",
                 label, seconds, plan.new.count + plan.changed.count, plan.changed.count, plan.copies.count,
                 traffic.summary, traffic.statements))
}
