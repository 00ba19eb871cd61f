import Foundation

/// What `dwh s3 ls` and `dwh s3 cat` show, as the classic notebook did to peek at the data.
public enum S3Peek {
    /// One listing line per object (`date time size key`) and per folder (`PRE name/`), as
    /// the AWS CLI prints them; recursive listings show full keys.
    public static func list(_ client: AWSClient, _ location: S3Location, recursive: Bool, pageSize: Int = 1000,
                            line: (String) -> Void) throws {
        try client.listObjects(location, delimiter: recursive ? nil : "/", pageSize: pageSize) { page in
            let base = recursive ? "" : String(location.key[..<(location.key.lastIndex(of: "/").map { location.key.index(after: $0) } ?? location.key.startIndex)])
            for prefix in page.commonPrefixes {
                line(String(repeating: " ", count: 26) + " PRE " + prefix.dropFirst(base.count))
            }
            for object in page.objects {
                let when = object.lastModified.prefix(19).replacingOccurrences(of: "T", with: " ")
                let size = String(object.size)
                line("\(when) \(String(repeating: " ", count: max(0, 10 - size.count)))\(size) \(object.key.dropFirst(base.count))")
            }
        }
    }

    /// Streams an object to `write`, stopping after `lines` lines when given.
    public static func cat(_ client: AWSClient, _ location: S3Location, lines limit: Int?,
                           write: @escaping (UnsafeRawBufferPointer) -> Void) throws {
        var seen = 0
        do {
            try client.getObject(location) { chunk in
                guard let limit else { return write(chunk) }
                for (index, byte) in chunk.enumerated() where byte == UInt8(ascii: "\n") {
                    seen += 1
                    if seen == limit {
                        write(UnsafeRawBufferPointer(rebasing: chunk[..<(index + 1)]))
                        throw Enough()
                    }
                }
                write(chunk)
            }
        } catch is Enough {
            return
        }
    }

    private struct Enough: Error {}
}
