import CCurl
import Foundation

/// One HTTP header, kept in order (AWS signs some of them).
public struct HTTPHeader: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// How libcurl signs a request with AWS Signature Version 4 (`CURLOPT_AWS_SIGV4`).
public struct AWSSigning: Sendable, Equatable {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var region: String
    public var service: String

    public init(accessKeyID: String, secretAccessKey: String, region: String, service: String) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.region = region
        self.service = service
    }

    /// The `provider1:provider2:region:service` string libcurl expects.
    public var curlParameter: String { "aws:amz:\(region):\(service)" }
}

/// A request: what to send, how to sign it and how long to wait.
public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    public var url: String
    public var headers: [HTTPHeader]
    public var body: [UInt8]
    public var signing: AWSSigning?
    /// Seconds to wait for the TCP (and TLS) connection.
    public var connectTimeout: Int
    /// Seconds the whole exchange may take; 0 for streamed downloads, which are bounded by
    /// `stallTimeout` instead.
    public var timeout: Int
    /// Seconds a transfer may go without receiving a byte before it is abandoned.
    public var stallTimeout: Int

    public init(method: String, url: String, headers: [HTTPHeader] = [], body: [UInt8] = [],
                signing: AWSSigning? = nil, connectTimeout: Int = 10, timeout: Int = 60, stallTimeout: Int = 30) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.signing = signing
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.stallTimeout = stallTimeout
    }
}

/// What came back. `body` is empty when the body was streamed to a sink.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [HTTPHeader]
    public var body: [UInt8]

    public init(status: Int, headers: [HTTPHeader], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var text: String { String(decoding: body, as: UTF8.self) }
}
