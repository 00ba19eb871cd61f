import Curl
import Foundation

extension AWSClient {
    /// Lists `location` page by page (ListObjectsV2), handing each page over as it arrives.
    /// With a delimiter (`/`), keys below the next `/` are folded into common prefixes.
    public func listObjects(_ location: S3Location, delimiter: String? = nil, pageSize: Int = 1000,
                            page handle: (S3ListPage) throws -> Void) throws {
        var token: String?
        repeat {
            var query = [("list-type", "2"), ("max-keys", String(pageSize))]
            if !location.key.isEmpty { query.append(("prefix", location.key)) }
            if let delimiter { query.append(("delimiter", delimiter)) }
            if let token { query.append(("continuation-token", token)) }
            let request = AWSRequest.s3(method: "GET", bucket: location.bucket, query: query, settings: settings)
            let response = try about(location) { try send(request, service: .s3, action: "ListObjectsV2") }
            guard let document = XMLNode.parse(response.body) else {
                throw AWSError.unreadableResponse(service: "s3", action: "ListObjectsV2", status: response.status)
            }
            let page = S3ListPage(document)
            try handle(page)
            token = page.continuationToken
        } while token != nil
    }

    /// Every object under `location`, across all pages.
    public func allObjects(_ location: S3Location, pageSize: Int = 1000) throws -> [S3Object] {
        var objects: [S3Object] = []
        try listObjects(location, pageSize: pageSize) { objects += $0.objects }
        return objects
    }

    /// Streams an object's bytes to `sink` as they arrive (GetObject), never holding it whole.
    public func getObject(_ location: S3Location, sink: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
        var request = AWSRequest.s3(method: "GET", bucket: location.bucket, key: location.key, settings: settings)
        request.timeout = 0 // large objects: bounded by the stall timeout instead
        _ = try about(location) { try send(request, service: .s3, action: "GetObject", sink: sink) }
    }

    public func putObject(_ location: S3Location, body: [UInt8]) throws {
        let request = AWSRequest.s3(method: "PUT", bucket: location.bucket, key: location.key, body: body,
                                    contentType: "application/octet-stream", settings: settings)
        _ = try about(location) { try send(request, service: .s3, action: "PutObject") }
    }

    public func deleteObject(_ location: S3Location) throws {
        let request = AWSRequest.s3(method: "DELETE", bucket: location.bucket, key: location.key, settings: settings)
        _ = try about(location) { try send(request, service: .s3, action: "DeleteObject") }
    }

    public func createBucket(_ bucket: String) throws {
        let body = settings.region == "us-east-1" ? [] : Array((
            #"<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">"#
            + "<LocationConstraint>\(settings.region)</LocationConstraint></CreateBucketConfiguration>").utf8)
        let request = AWSRequest.s3(method: "PUT", bucket: bucket, body: body, contentType: "application/xml", settings: settings)
        _ = try about(S3Location(bucket: bucket, key: "")) { try send(request, service: .s3, action: "CreateBucket") }
    }

    /// Runs one S3 call; an error AWS answers names the object or prefix it was about.
    private func about<T>(_ location: S3Location, _ call: () throws -> T) throws -> T {
        do {
            return try call()
        } catch let error as AWSError {
            throw error.about(location.key.isEmpty ? "s3://\(location.bucket)" : location.description)
        }
    }
}
