import Curl
import Foundation

/// Calls AWS APIs over one reused libcurl handle: signs, retries throttling and server errors
/// with exponential backoff and jitter, and turns error documents into `AWSError`.
public final class AWSClient {
    public let settings: AWSSettings
    let http: HTTPClient
    let retry: RetryPolicy
    /// Receives one line per request and response for `--verbose`: method, URL, action,
    /// status and time; never headers or bodies, which hold signatures and passwords.
    let log: ((String) -> Void)?

    public init(settings: AWSSettings, retry: RetryPolicy = RetryPolicy(), log: ((String) -> Void)? = nil) throws {
        self.settings = settings
        self.http = try HTTPClient()
        self.retry = retry
        self.log = log
    }

    /// Calls a Query-protocol action and returns the parsed response document. An error AWS
    /// answers names what the call was about (`resource(of:)`).
    @discardableResult
    public func query(_ service: AWSService, _ action: String, _ parameters: [(String, String)] = []) throws -> XMLNode {
        let request = AWSRequest.query(service, action: action, parameters: parameters, settings: settings)
        let response: HTTPResponse
        do {
            response = try send(request, service: service, action: action)
        } catch let error as AWSError {
            throw Self.resource(of: parameters).map(error.about) ?? error
        }
        guard let document = XMLNode.parse(response.body) else {
            throw AWSError.unreadableResponse(service: service.rawValue, action: action, status: response.status)
        }
        return document
    }

    /// The parameters that name what a Query call is about, and their nouns, in the order an
    /// error gives them. Only these are ever shown: the others may hold a password.
    static let resourceParameters = [
        ("ClusterIdentifier", "cluster"), ("DbUser", "database user"), ("DbName", "database"),
        ("RoleName", "role"), ("PolicyArn", "policy"), ("UserName", "user"),
        ("GroupId", "security group"), ("GroupId.1", "security group"), ("GroupName", "security group"),
    ]

    /// What a Query call is about, from its parameters (`cluster dwhcluster, database user
    /// dwhuser`); nil when it names nothing, as a listing of every VPC.
    static func resource(of parameters: [(String, String)]) -> String? {
        let named = resourceParameters.compactMap { key, noun in
            parameters.first { $0.0 == key }.map { "\(noun) \($0.1)" }
        }
        return named.isEmpty ? nil : named.joined(separator: ", ")
    }

    /// Sends `request`, retrying what may succeed later; a streamed body is retried only
    /// while nothing has been handed to the sink yet.
    func send(_ request: HTTPRequest, service: AWSService, action: String,
              sink: ((UnsafeRawBufferPointer) throws -> Void)? = nil) throws -> HTTPResponse {
        var attempt = 0
        while true {
            let started = Date()
            var delivered = false
            log?("→ \(request.method) \(request.url) \(service.rawValue) \(action)")
            do {
                let response = try http.perform(request, sink: sink.map { sink in { chunk in delivered = true; try sink(chunk) } })
                log?("← \(response.status) \(service.rawValue) \(action) in \(Self.milliseconds(since: started)) ms")
                if (200..<300).contains(response.status) { return response }
                let error = apiError(response, service: service, action: action)
                guard attempt + 1 < retry.attempts, retry.shouldRetry(status: response.status, code: error.code) else { throw error }
            } catch let error as HTTPError {
                log?("← \(service.rawValue) \(action) failed: \(error)")
                guard attempt + 1 < retry.attempts, error.isTransient, !delivered else {
                    throw AWSError.transport(service: service.rawValue, action: action, reason: error.description)
                }
            }
            let pause = retry.delay(attempt: attempt)
            log?("  retrying \(action) in \(Int(pause * 1000)) ms")
            Thread.sleep(forTimeInterval: pause)
            attempt += 1
        }
    }

    func apiError(_ response: HTTPResponse, service: AWSService, action: String) -> AWSError {
        AWSError.from(body: response.body, status: response.status, service: service.rawValue, action: action,
                      credentialSource: settings.credentials.source)
    }

    static func milliseconds(since start: Date) -> Int {
        Int(Date().timeIntervalSince(start) * 1000)
    }
}

/// When and how long to wait before trying a failed call again.
public struct RetryPolicy: Sendable {
    /// Tries in all, the first included.
    public var attempts: Int
    public var baseDelay: Double
    public var maximumDelay: Double

    public init(attempts: Int = 5, baseDelay: Double = 0.2, maximumDelay: Double = 10) {
        self.attempts = attempts
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
    }

    /// Throttling codes, 429 and 5xx may pass; anything else will fail the same way again.
    public func shouldRetry(status: Int, code: String?) -> Bool {
        status == 429 || status >= 500 || code.map { AWSError.throttlingCodes.contains($0) } == true
    }

    /// "Full jitter": a random wait up to base·2^attempt, capped, so clients spread out.
    public func delay(attempt: Int, random: Double = Double.random(in: 0...1)) -> Double {
        let ceiling = min(maximumDelay, baseDelay * pow(2, Double(attempt)))
        return ceiling * random
    }
}
