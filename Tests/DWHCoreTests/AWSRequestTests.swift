import Curl
@testable import DWHCore
import TestSupport
import Foundation
import XCTest

/// How requests are built: no network involved.
final class AWSRequestTests: XCTestCase {
    let settings = AWSSettings(credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI",
                                                           sessionToken: "token/with+chars", source: "test"),
                               region: "eu-west-1")

    func testEncodingKeepsOnlyUnreservedCharacters() {
        XCTAssertEqual(AWSRequest.encode("a b/c~d_e.f-g:h"), "a%20b%2Fc~d_e.f-g%3Ah")
        XCTAssertEqual(AWSRequest.encode("song_data/A/B c.json", keepSlash: true), "song_data/A/B%20c.json")
        XCTAssertEqual(AWSRequest.encode("é"), "%C3%A9")
        XCTAssertEqual(AWSRequest.formEncode("Lets Redshift read"), "Lets+Redshift+read")
    }

    private func describeClusters() -> HTTPRequest {
        AWSRequest.query(.redshift, action: "DescribeClusters", parameters: [("ClusterIdentifier", "dwh cluster")], settings: settings)
    }

    func testQueryRequestIsAFormPostOfTheActionVersionAndParameters() {
        let request = describeClusters()
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.url, "https://redshift.eu-west-1.amazonaws.com/")
        XCTAssertEqual(String(decoding: request.body, as: UTF8.self),
                       "Action=DescribeClusters&Version=2012-12-01&ClusterIdentifier=dwh+cluster")
    }

    func testQueryRequestIsSignedForTheServiceInTheRegionWithTheSessionToken() {
        let request = describeClusters()
        XCTAssertEqual(request.signing?.curlParameter, "aws:amz:eu-west-1:redshift")
        XCTAssertEqual(request.signing?.secretAccessKey, "wJalrXUtnFEMI")
        XCTAssertTrue(request.headers.contains(HTTPHeader("x-amz-security-token", "token/with+chars")))
    }

    func testQueryRequestHasTimeouts() {
        let request = describeClusters()
        XCTAssertGreaterThan(request.timeout, 0)
        XCTAssertGreaterThan(request.connectTimeout, 0)
    }

    private func getRole() -> HTTPRequest {
        AWSRequest.query(.iam, action: "GetRole", parameters: [], settings: settings)
    }

    func testIAMIsGlobal() {
        XCTAssertEqual(getRole().url, "https://iam.amazonaws.com/")
    }

    func testIAMIsSignedForUSEast1() {
        XCTAssertEqual(getRole().signing?.curlParameter, "aws:amz:us-east-1:iam")
    }

    func testEndpointOverrideReplacesEveryService() {
        var local = settings
        local.endpointOverride = "http://127.0.0.1:5000"
        for service in AWSService.allCases where service != .s3 {
            XCTAssertEqual(AWSRequest.query(service, action: "X", parameters: [], settings: local).url, "http://127.0.0.1:5000/")
        }
        XCTAssertEqual(AWSRequest.s3(method: "GET", bucket: "b", key: "k", settings: local).url, "http://127.0.0.1:5000/b/k")
    }

    private func listing() -> HTTPRequest {
        AWSRequest.s3(method: "GET", bucket: "udacity-dend",
                      query: [("prefix", "log_data/2018/"), ("list-type", "2"), ("delimiter", "/")], settings: settings)
    }

    private func upload() -> HTTPRequest {
        AWSRequest.s3(method: "PUT", bucket: "b", key: "song data/a.json", body: [1, 2], settings: settings)
    }

    func testS3QueryIsSortedByNameWithEachValueEncoded() {
        XCTAssertEqual(listing().url, "https://s3.eu-west-1.amazonaws.com/udacity-dend?delimiter=%2F&list-type=2&prefix=log_data%2F2018%2F")
    }

    func testS3RequestIsSignedForS3InTheRegion() {
        XCTAssertEqual(listing().signing?.curlParameter, "aws:amz:eu-west-1:s3")
    }

    func testS3GetSendsTheHashOfTheEmptyPayload() {
        XCTAssertTrue(listing().headers.contains(HTTPHeader("x-amz-content-sha256", AWSRequest.emptyPayloadSHA256)))
    }

    func testS3KeyIsEncodedInThePath() {
        XCTAssertEqual(upload().url, "https://s3.eu-west-1.amazonaws.com/b/song%20data/a.json")
    }

    func testS3PutIsSentAsAnUnsignedPayload() {
        XCTAssertTrue(upload().headers.contains(HTTPHeader("x-amz-content-sha256", "UNSIGNED-PAYLOAD")))
    }

    func testRetryPolicyRetriesOnlyWhatMaySucceed() {
        let policy = RetryPolicy(attempts: 5, baseDelay: 0.2, maximumDelay: 2)
        XCTAssertTrue(policy.shouldRetry(status: 400, code: "Throttling"))
        XCTAssertTrue(policy.shouldRetry(status: 503, code: "SlowDown"))
        XCTAssertTrue(policy.shouldRetry(status: 500, code: nil))
        XCTAssertFalse(policy.shouldRetry(status: 403, code: "SignatureDoesNotMatch"))
        XCTAssertFalse(policy.shouldRetry(status: 404, code: "ClusterNotFound"))
    }

    func testRetryDelayDoublesWithJitterUpToTheMaximum() {
        let policy = RetryPolicy(attempts: 5, baseDelay: 0.2, maximumDelay: 2)
        XCTAssertEqual(policy.delay(attempt: 0, random: 1), 0.2, accuracy: 1e-9)
        XCTAssertEqual(policy.delay(attempt: 3, random: 1), 1.6, accuracy: 1e-9)
        XCTAssertEqual(policy.delay(attempt: 10, random: 1), 2, accuracy: 1e-9)
        XCTAssertEqual(policy.delay(attempt: 3, random: 0.5), 0.8, accuracy: 1e-9)
    }

    /// A refused connection may be a server restarting: it is tried again. A name that
    /// does not resolve fails at once, with no retries.
    func testOnlyTransientTransportFailuresAreRetried() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0 }
        }
        close(listener)  // The port was free a moment ago, and nothing listens on it now.
        let closedPort = Int(UInt16(bigEndian: address.sin_port))

        for (endpoint, expectedAttempts) in [("http://127.0.0.1:\(closedPort)", 3), ("http://dwh-test-host.invalid", 1)] {
            var lines: [String] = []
            let client = try AWSClient(settings: AWSSettings(credentials: settings.credentials, region: "us-east-1", endpointOverride: endpoint),
                                       retry: RetryPolicy(attempts: 3, baseDelay: 0.01, maximumDelay: 0.02), log: { lines.append($0) })
            XCTAssertThrowsError(try client.listObjects(S3Location(bucket: "b", key: "")) { _ in }, endpoint)
            XCTAssertEqual(lines.filter { $0.hasPrefix("→") }.count, expectedAttempts, "\(endpoint):\n\(lines.joined(separator: "\n"))")
        }
        XCTAssertTrue(HTTPError.transport(url: "u", code: 7, message: "refused").isTransient)
        XCTAssertFalse(HTTPError.transport(url: "u", code: 6, message: "could not resolve host").isTransient)
        XCTAssertFalse(HTTPError.transport(url: "u", code: 60, message: "peer certificate").isTransient)
    }

    func testS3LocationParsing() throws {
        XCTAssertEqual(try S3Location(parsing: "s3://udacity-dend/song_data/A"), S3Location(bucket: "udacity-dend", key: "song_data/A"))
        XCTAssertEqual(try S3Location(parsing: "s3://bucket"), S3Location(bucket: "bucket", key: ""))
        XCTAssertThrowsError(try S3Location(parsing: "https://bucket/x"))
        XCTAssertThrowsError(try S3Location(parsing: "s3:///x"))
    }
}
