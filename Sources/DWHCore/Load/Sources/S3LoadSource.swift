import Foundation

/// Raw files in S3 for `dwh load`: the `*.json` objects under an `s3://bucket/prefix`, listed
/// with ListObjectsV2 and streamed with GetObject through the same reader and COPY path as
/// local files.
public struct S3LoadSource: LoadSource {
    public let location: String
    let root: S3Location
    let settings: AWSSettings

    public init(url: String, settings: AWSSettings) throws {
        location = url
        root = try S3Location(parsing: url)
        self.settings = settings
    }

    /// An object key ending in `.json` is one file; anything else is a folder. The prefix is
    /// sent without its last `/` and matched here, so `s3://b/log_data` never picks up
    /// `log_data_old/`. Pages are handed on as they arrive; S3 lists keys in UTF-8 byte
    /// order, the order the loader wants. A compressed `*.json.gz` object is reported as not
    /// read; a prefix with objects but no `*.json` one says what it holds.
    public func forEachFile(skipped: (SkippedEntry) -> Void, _ body: (SourceFile) throws -> Void) throws {
        let client = try AWSClient(settings: settings)
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

    public func makeOpener() -> FileOpener { S3FileOpener(settings: settings) }

    /// `s3://bucket/prefix` without its last `/`: the keys the listing keeps.
    public var manifestRoot: String? {
        let folder = root.key.hasSuffix("/") ? String(root.key.dropLast()) : root.key
        return folder.isEmpty ? "s3://\(root.bucket)" : "s3://\(root.bucket)/\(folder)"
    }

    /// `2019-04-11T20:22:12.000Z` as microseconds since the epoch (0 when unreadable).
    static func micros(_ timestamp: String) -> Int64 {
        // Foundation's date parsing traps on some non-ASCII text; a timestamp is ASCII.
        guard timestamp.unicodeScalars.allSatisfy(\.isASCII) else { return 0 }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let date = formatter.date(from: timestamp) ?? ISO8601DateFormatter().date(from: timestamp)
        return Int64(((date?.timeIntervalSince1970 ?? 0) * 1_000_000).rounded())
    }
}

extension S3ObjectStream: ByteStream {}

/// Opens S3 objects as streams of GetObject.
final class S3FileOpener: FileOpener {
    let settings: AWSSettings

    init(settings: AWSSettings) {
        self.settings = settings
    }

    func open(_ file: SourceFile) throws -> ByteStream {
        S3FileStream(S3ObjectStream(settings: settings, location: try S3Location(parsing: file.path)), url: file.path)
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
            throw LoadError.unreadable(path: url, reason: error.description)
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
