import CCurl
import Foundation

/// An HTTP client over one libcurl easy handle, reused (with its connections) across calls.
///
/// Not thread-safe: use one client per thread. The handle is freed in `deinit`.
public final class HTTPClient {
    private let handle: UnsafeMutableRawPointer

    /// Creates a client; libcurl's global state is initialised on first use.
    public init() throws {
        try CurlGlobal.ensureInitialized()
        guard let handle = curl_easy_init() else { throw HTTPError.couldNotStart("curl_easy_init failed") }
        self.handle = handle
    }

    deinit {
        curl_easy_cleanup(handle)
    }

    /// Sends `request`. With a `sink`, a successful (2xx) body is handed over in chunks as it
    /// arrives instead of being collected; error bodies are always collected, to be parsed.
    public func perform(_ request: HTTPRequest,
                        sink: ((UnsafeRawBufferPointer) throws -> Void)? = nil) throws -> HTTPResponse {
        curl_easy_reset(handle)
        let exchange = Exchange(handle: handle, sink: sink)
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }

        var options = EasyOptions(handle: handle)
        options.setLimits(of: request)
        options.setMethodAndBody(of: request)
        headerList = options.setHeaders(request.headers)
        options.setSigning(request.signing)
        let context = Unmanaged.passRetained(exchange)
        defer { context.release() }
        options.setCallbacks(context: context.toOpaque())

        if let failure = options.failures.first {
            throw HTTPError.transport(url: request.url, code: Int(failure.rawValue), message: String(cString: curl_easy_strerror(failure)))
        }
        let code = curl_easy_perform(handle)
        if let error = exchange.sinkError { throw error }
        guard code == CURLE_OK else {
            throw HTTPError.transport(url: request.url, code: Int(code.rawValue), message: String(cString: curl_easy_strerror(code)))
        }
        return HTTPResponse(status: exchange.status(), headers: exchange.headers, body: exchange.body)
    }
}

/// The options one request sets on the easy handle; the codes of those libcurl refused are
/// kept, to be thrown before the transfer starts.
private struct EasyOptions {
    let handle: UnsafeMutableRawPointer
    private(set) var failures: [CURLcode] = []

    init(handle: UnsafeMutableRawPointer) { self.handle = handle }

    private mutating func set(_ code: CURLcode) { if code != CURLE_OK { failures.append(code) } }

    /// The URL, the timeouts and the user agent.
    mutating func setLimits(of request: HTTPRequest) {
        set(dwh_curl_setopt_string(handle, CURLOPT_URL, request.url))
        set(dwh_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        set(dwh_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, request.connectTimeout))
        set(dwh_curl_setopt_long(handle, CURLOPT_TIMEOUT, request.timeout))
        set(dwh_curl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1))
        set(dwh_curl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, request.stallTimeout))
        set(dwh_curl_setopt_string(handle, CURLOPT_USERAGENT, "dwh/0.1 libcurl"))
    }

    /// The method, and the body (copied by libcurl) for a request that has one or sends one.
    mutating func setMethodAndBody(of request: HTTPRequest) {
        switch request.method {
        case "GET": set(dwh_curl_setopt_long(handle, CURLOPT_HTTPGET, 1))
        case "HEAD": set(dwh_curl_setopt_long(handle, CURLOPT_NOBODY, 1))
        default: set(dwh_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method))
        }
        guard !request.body.isEmpty || request.method == "POST" || request.method == "PUT" else { return }
        set(dwh_curl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)))
        if request.body.isEmpty {
            set(dwh_curl_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, ""))
        } else {
            request.body.withUnsafeBytes { bytes in
                set(dwh_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress)))
            }
        }
    }

    /// The headers as a list libcurl reads during the transfer: the caller frees it after.
    mutating func setHeaders(_ headers: [HTTPHeader]) -> UnsafeMutablePointer<curl_slist>? {
        var list: UnsafeMutablePointer<curl_slist>?
        // No "Expect:" override here: libcurl 7.88 would sign the empty header it then omits.
        for header in headers {
            list = curl_slist_append(list, "\(header.name): \(header.value)")
        }
        set(dwh_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, list))
        return list
    }

    /// AWS Signature Version 4, computed by libcurl.
    mutating func setSigning(_ signing: AWSSigning?) {
        guard let signing else { return }
        set(dwh_curl_setopt_string(handle, CURLOPT_AWS_SIGV4, signing.curlParameter))
        set(dwh_curl_setopt_string(handle, CURLOPT_USERNAME, signing.accessKeyID))
        set(dwh_curl_setopt_string(handle, CURLOPT_PASSWORD, signing.secretAccessKey))
    }

    /// The body and header callbacks, given the transfer's `Exchange`.
    mutating func setCallbacks(context: UnsafeMutableRawPointer) {
        set(dwh_curl_setopt_callback(handle, CURLOPT_WRITEFUNCTION, curlWriteBody))
        set(dwh_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context))
        set(dwh_curl_setopt_callback(handle, CURLOPT_HEADERFUNCTION, curlWriteHeader))
        set(dwh_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context))
    }
}

/// The state one transfer's callbacks share.
private final class Exchange {
    let handle: UnsafeMutableRawPointer
    let sink: ((UnsafeRawBufferPointer) throws -> Void)?
    var headers: [HTTPHeader] = []
    var body: [UInt8] = []
    var sinkError: Error?

    init(handle: UnsafeMutableRawPointer, sink: ((UnsafeRawBufferPointer) throws -> Void)?) {
        self.handle = handle
        self.sink = sink
    }

    func status() -> Int {
        var code = 0
        _ = dwh_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    func receive(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard let sink, (200..<300).contains(status()) else {
            body.append(contentsOf: chunk)
            return true
        }
        do {
            try sink(chunk)
            return true
        } catch {
            sinkError = error
            return false
        }
    }

    func receiveHeader(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("HTTP/") {
            headers = [] // a new response (after a redirect or 100-continue)
        } else if let colon = trimmed.firstIndex(of: ":") {
            headers.append(HTTPHeader(String(trimmed[..<colon]),
                                      trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
    }
}

private func curlWriteBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    let exchange = Unmanaged<Exchange>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    return exchange.receive(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}

private func curlWriteHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    let exchange = Unmanaged<Exchange>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    exchange.receiveHeader(String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self))
    return length
}

/// `curl_global_init` must run once, before any handle exists.
enum CurlGlobal {
    private static let result: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    static func ensureInitialized() throws {
        guard result == CURLE_OK else { throw HTTPError.couldNotStart(String(cString: curl_easy_strerror(result))) }
    }
}
