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

/// A failure below HTTP: no connection, a timeout, a broken transfer.
public enum HTTPError: Error, CustomStringConvertible {
    case transport(url: String, code: Int, message: String)
    case couldNotStart(String)

    public var description: String {
        switch self {
        case .transport(let url, _, let message): "\(url): \(message)"
        case .couldNotStart(let reason): "could not start libcurl: \(reason)"
        }
    }

    /// Whether trying again may help: a connection refused, reset or cut short, or a
    /// timeout. A name that does not resolve, a TLS handshake or certificate that fails,
    /// a malformed URL fail the same way the next time, and are reported at once.
    public var isTransient: Bool {
        guard case .transport(_, let code, _) = self else { return false }
        return Self.transientCodes.contains(code)
    }

    static let transientCodes: Set<Int> = Set([
        CURLE_COULDNT_CONNECT, CURLE_PARTIAL_FILE, CURLE_OPERATION_TIMEDOUT, CURLE_GOT_NOTHING,
        CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_HTTP2, CURLE_HTTP2_STREAM,
    ].map { Int($0.rawValue) })
}
