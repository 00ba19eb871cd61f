import Foundation

/// An HTTP server on 127.0.0.1 that answers every request with `status` and keeps the
/// requests it received, for tests of what dwh POSTs (the run webhook). It listens until
/// the test process ends.
public final class TinyHTTPServer: @unchecked Sendable {
    // @unchecked Sendable: `received` is read and written with `lock` held.
    public let port: Int
    private let socket: Int32
    private let lock = NSLock()
    private var received: [String] = []

    public init(status: Int = 200) throws {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.socket = socket
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(socket, pointer, length) == 0, listen(socket, 8) == 0 else { return -1 }
                return getsockname(socket, pointer, &length)
            }
        }
        guard socket >= 0, bound == 0 else { throw TestFailure(message: "cannot listen on 127.0.0.1: \(String(cString: strerror(errno)))") }
        port = Int(UInt16(bigEndian: address.sin_port))
        let listening = socket
        Thread.detachNewThread { [self] in
            while true {
                let client = accept(listening, nil, nil)
                guard client >= 0 else { return }
                let request = Self.read(client)
                lock.withLock { received.append(request) }
                let answer = "HTTP/1.1 \(status) X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                _ = answer.withCString { send(client, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                close(client)
            }
        }
    }

    /// A port of 127.0.0.1 where nothing listens (bound a moment, then given back).
    public static func unusedPort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 ? getsockname(socket, $0, &length) : -1 }
        }
        guard bound == 0 else { throw TestFailure(message: "cannot bind 127.0.0.1") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Every request so far, headers and body, as text.
    public var requests: [String] { lock.withLock { received } }

    /// Reads the headers, then as many body bytes as Content-Length says.
    private static func read(_ client: Int32) -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(client, &buffer, buffer.count, 0)
            if count <= 0 { break }
            bytes += buffer[0..<count]
            let text = String(decoding: bytes, as: UTF8.self)
            guard let end = text.range(of: "\r\n\r\n") else { continue }
            let headers = text[..<end.lowerBound].lowercased()
            let length = headers.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            if bytes.count - text.utf8.distance(from: text.utf8.startIndex, to: end.upperBound.samePosition(in: text.utf8)!) >= length { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
