import CCurl
import Foundation

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
