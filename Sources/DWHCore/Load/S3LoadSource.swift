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
    /// order, the order the loader wants.
    public func forEachFile(skipped: (SkippedEntry) -> Void, _ body: (SourceFile) throws -> Void) throws {
        let client = try AWSClient(settings: settings)
        let folder = root.key.hasSuffix("/") ? String(root.key.dropLast()) : root.key
        var found = false
        try client.listObjects(S3Location(bucket: root.bucket, key: folder)) { page in
            for object in page.objects where object.key.hasSuffix(".json") {
                guard folder.isEmpty || object.key == folder || object.key.hasPrefix(folder + "/") else { continue }
                found = true
                try body(SourceFile(path: "s3://\(root.bucket)/\(object.key)", size: object.size,
                                    modifiedMicros: Self.micros(object.lastModified), etag: object.etag))
            }
        }
        guard found else { throw LoadError.sourceMissing(path: location) }
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
        S3ObjectStream(settings: settings, location: try S3Location(parsing: file.path))
    }
}
