import Foundation

/// An `s3://bucket/prefix` address.
public struct S3Location: Sendable, Equatable, CustomStringConvertible {
    public var bucket: String
    /// The key, or the key prefix; empty for the whole bucket.
    public var key: String

    public init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }

    public init(parsing text: String) throws {
        guard text.hasPrefix("s3://") else { throw AWSError.badS3URL(text) }
        let rest = text.dropFirst("s3://".count)
        let bucket = rest.prefix { $0 != "/" }
        guard !bucket.isEmpty else { throw AWSError.badS3URL(text) }
        self.bucket = String(bucket)
        self.key = String(rest.dropFirst(bucket.count + 1))
    }

    public var description: String { "s3://\(bucket)/\(key)" }
}

/// One object in a listing.
public struct S3Object: Sendable, Equatable {
    public var key: String
    public var size: Int64
    /// The entity tag without its quotes: changes when the content does.
    public var etag: String
    public var lastModified: String
}

/// One page of ListObjectsV2.
public struct S3ListPage: Sendable, Equatable {
    public var objects: [S3Object]
    /// "Folders" when listing with a delimiter.
    public var commonPrefixes: [String]
    public var continuationToken: String?

    public init(_ document: XMLNode) {
        objects = document.children("Contents").map { node in
            S3Object(key: node.child("Key")?.text ?? "",
                     size: node.string("Size").flatMap { Int64($0) } ?? 0,
                     etag: (node.string("ETag") ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "\"")),
                     lastModified: node.string("LastModified") ?? "")
        }
        commonPrefixes = document.children("CommonPrefixes").compactMap { $0.child("Prefix")?.text }
        continuationToken = document.string("IsTruncated") == "true" ? document.string("NextContinuationToken") : nil
    }
}
