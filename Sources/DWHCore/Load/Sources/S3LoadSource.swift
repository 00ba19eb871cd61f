import Foundation

/// Raw files in S3 for `dwh load`: the `*.json` objects under an `s3://bucket/prefix`, listed
/// with ListObjectsV2 and streamed with GetObject through the same reader and COPY path as
/// local files.
public struct S3LoadSource: LoadSource {
    public let location: String
    let root: S3Location
    let settings: AWSSettings
    /// Receives a line per S3 request: the listing's and each object's (`AWSClient`'s log).
    let log: (@Sendable (String) -> Void)?

    public init(url: String, settings: AWSSettings, log: (@Sendable (String) -> Void)? = nil) throws {
        location = url
        root = try S3Location(parsing: url)
        self.settings = settings
        self.log = log
    }

    /// An object key ending in `.json` is one file; anything else is a folder. The prefix is
    /// sent without its last `/` and matched here, so `s3://b/log_data` never picks up
    /// `log_data_old/`. Pages are handed on as they arrive; S3 lists keys in UTF-8 byte
    /// order, the order the loader wants. A compressed `*.json.gz` object is reported as not
    /// read; a prefix with objects but no `*.json` one says what it holds.
    public func forEachFile(skipped: (SkippedEntry) -> Void, _ body: (SourceFile) throws -> Void) throws {
        let client = try AWSClient(settings: settings, log: log)
        let folder = root.key.hasSuffix("/") ? String(root.key.dropLast()) : root.key
        var found = false
        var others = S3PrefixContents()
        try client.listObjects(S3Location(bucket: root.bucket, key: folder)) { page in
            for object in page.objects {
                guard folder.isEmpty || object.key == folder || object.key.hasPrefix(folder + "/") else { continue }
                let url = "s3://\(root.bucket)/\(object.key)"
                guard object.key.hasSuffix(".json") else {
                    others.add(url)
                    if object.key.hasSuffix(".json.gz") { skipped(SkippedEntry(path: url, reason: LocalFileSource.gzipReason)) }
                    continue
                }
                found = true
                try body(SourceFile(path: url, size: object.size, modifiedMicros: Self.micros(object.lastModified), etag: object.etag))
            }
        }
        guard found else {
            if others.count > 0 { throw LoadError.noJSONObjects(location: location, holds: others.summary) }
            throw LoadError.sourceMissing(path: location)
        }
    }

    public func makeOpener() -> FileOpener { S3FileOpener(settings: settings, log: log) }

    /// `s3://bucket/prefix` without its last `/`: the keys the listing keeps.
    public var manifestRoot: String? {
        let folder = root.key.hasSuffix("/") ? String(root.key.dropLast()) : root.key
        return folder.isEmpty ? "s3://\(root.bucket)" : "s3://\(root.bucket)/\(folder)"
    }

    /// `2019-04-11T20:22:12.000Z` (S3's LastModified, always UTC) as microseconds since the
    /// epoch; 0 when it is not that shape. Read by hand: a formatter made per object cost
    /// about 0.1 ms each, most of the time of listing a page of 1,000 keys.
    static func micros(_ timestamp: String) -> Int64 {
        let bytes = Array(timestamp.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for index in range {
                let digit = Int(bytes[index]) - Int(UInt8(ascii: "0"))
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        let separators: [(Int, Character)] = [(4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":")]
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z"),
              separators.allSatisfy({ bytes[$0.0] == $0.1.asciiValue }),
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return 0 }
        var fraction = 0
        if bytes.count > 20 {
            // `.` and 1 or more digits before the Z: the first six are the microseconds.
            guard bytes.count > 21, bytes[19] == UInt8(ascii: "."), number(20..<bytes.count - 1) != nil else { return 0 }
            for index in 20..<26 {
                fraction = fraction * 10 + (index < bytes.count - 1 ? Int(bytes[index]) - Int(UInt8(ascii: "0")) : 0)
            }
        } else if bytes.count != 20 {
            return 0
        }
        let seconds = ((daysSinceEpoch(year: year, month: month, day: day) * 24 + hour) * 60 + minute) * 60 + second
        return Int64(seconds) * 1_000_000 + Int64(fraction)
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar: the years are
    /// counted from March, so that a leap day ends its year.
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let shifted = month <= 2 ? year - 1 : year
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

extension S3ObjectStream: ByteStream {}

/// Opens S3 objects as streams of GetObject.
final class S3FileOpener: FileOpener {
    let settings: AWSSettings
    let log: (@Sendable (String) -> Void)?

    init(settings: AWSSettings, log: (@Sendable (String) -> Void)? = nil) {
        self.settings = settings
        self.log = log
    }

    func open(_ file: SourceFile) throws -> ByteStream {
        S3FileStream(S3ObjectStream(settings: settings, location: try S3Location(parsing: file.path), log: log), url: file.path)
    }
}

/// An object's bytes whose failures name the object: a GET of an object deleted since it
/// was listed says so, with its s3:// URL.
final class S3FileStream: ByteStream {
    private let stream: S3ObjectStream
    private let url: String

    init(_ stream: S3ObjectStream, url: String) {
        self.stream = stream
        self.url = url
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        do {
            return try stream.read(into: buffer)
        } catch let error as AWSError where error.code == "NoSuchKey" {
            throw LoadError.unreadable(path: url, reason: "the object is gone: it was listed, then deleted before it could "
                + "be read (AWS NoSuchKey); nothing of this run was kept, so load again to go on without it")
        } catch let error as AWSError {
            throw LoadError.unreadable(path: url, reason: error.descriptionWithoutResource)
        }
    }
}

/// What a prefix holds besides `*.json` objects, by kind of name, for the error that says
/// why nothing there can be loaded.
struct S3PrefixContents {
    private var byKind: [String: (count: Int, example: String)] = [:]
    private(set) var count = 0

    mutating func add(_ url: String) {
        count += 1
        let name = url.split(separator: "/").last.map(String.init) ?? url
        let kind = name.hasSuffix(".json.gz") ? "*.json.gz"
            : name.contains(".") ? "*." + (name.split(separator: ".").last.map(String.init) ?? "") : "names without a suffix"
        byKind[kind, default: (0, url)].count += 1
    }

    /// `3 *.json.gz (gzip-compressed JSON, which dwh does not read; …) such as s3://…, 1 *.csv such as s3://…`
    var summary: String {
        byKind.sorted { $0.value.count > $1.value.count || ($0.value.count == $1.value.count && $0.key < $1.key) }
            .map { kind, value in
                let what = kind == "*.json.gz" ? " (gzip-compressed JSON, which dwh does not read: decompress them first)" : ""
                return "\(value.count) \(kind)\(what) such as \(value.example)"
            }
            .joined(separator: ", ")
    }
}
