import DWHCore
import Foundation
import TestSupport
import XCTest

/// A real AWS API emulator (`moto_server`) for the AWS tests: started once per test run on
/// 127.0.0.1 and a free port, with an IAM user whose key is then the only one accepted
/// (signature checking is switched on after set-up). Stopped when the test bundle finishes.
final class MotoServer: NSObject, XCTestObservation, @unchecked Sendable {
    let endpoint: String
    let accessKeyID: String
    let secretAccessKey: String
    private let pid: pid_t
    private let log: String

    nonisolated(unsafe) private static var shared: [Bool: MotoServer] = [:]

    /// The running emulator, started on first use. With `signatureChecks` off, any key
    /// is accepted: only for what moto cannot check (see `testNonRecursiveListing…`).
    static func start(signatureChecks: Bool = true) throws -> MotoServer {
        if let server = shared[signatureChecks] { return server }
        let server = try MotoServer(signatureChecks: signatureChecks)
        shared[signatureChecks] = server
        XCTestObservationCenter.shared.addTestObserver(server)
        return server
    }

    private init(signatureChecks: Bool) throws {
        guard let program = Shell.which("moto_server") else {
            throw MotoError("moto_server is not installed; run .ci/install-deps")
        }
        let port = try MotoServer.freePort()
        endpoint = "http://127.0.0.1:\(port)"
        log = NSTemporaryDirectory() + "dwh-moto-\(port).log"
        var environment = ProcessInfo.processInfo.environment
        environment["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
        pid = try Shell.start(program, ["-H", "127.0.0.1", "-p", String(port)], environment: environment, log: log)

        // Before auth is on, any key is accepted: create the user dwh will sign as.
        let setup = try AWSClient(settings: AWSSettings(
            credentials: AWSCredentials(accessKeyID: "AKIASETUPSETUPSETUP0", secretAccessKey: "setup", source: "test set-up"),
            region: "us-west-2", endpointOverride: endpoint))
        try MotoServer.waitUntilReady(setup, log: log)
        try setup.query(.iam, "CreateUser", [("UserName", "dwh-test")])
        let key = try setup.query(.iam, "CreateAccessKey", [("UserName", "dwh-test")])
        accessKeyID = key.string("CreateAccessKeyResult", "AccessKey", "AccessKeyId") ?? ""
        secretAccessKey = key.string("CreateAccessKeyResult", "AccessKey", "SecretAccessKey") ?? ""
        try setup.query(.iam, "PutUserPolicy", [
            ("UserName", "dwh-test"), ("PolicyName", "dwh-test-all"),
            ("PolicyDocument", #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*","redshift:*","ec2:*","s3:*","sts:*"],"Resource":"*"}]}"#),
        ])
        super.init()
        guard signatureChecks else { return }
        // From now on every request must be signed by a known key with its own secret.
        let reset = try Shell.run(Shell.which("python3") ?? "/usr/bin/python3", ["-c", """
            import urllib.request
            request = urllib.request.Request("\(endpoint)/moto-api/reset-auth", data=b"0", headers={"Content-Type": "text/plain"})
            print(urllib.request.urlopen(request).read().decode())
            """])
        guard reset.succeeded, reset.stdout.contains("ok") else {
            throw MotoError("could not switch on moto's auth: \(reset.stderr)")
        }
    }

    /// Environment for `dwh` signing as the test user against the emulator.
    func environment(secret: String? = nil, key: String? = nil) -> [String: String] {
        ["AWS_ACCESS_KEY_ID": key ?? accessKeyID, "AWS_SECRET_ACCESS_KEY": secret ?? secretAccessKey,
         "AWS_ENDPOINT_URL": endpoint, "AWS_REGION": "us-west-2", "AWS_PROFILE": "",
         "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_CONFIG_FILE": "/nonexistent"]
    }

    /// A client signing as the test user, for set-up in tests (buckets, objects).
    func client() throws -> AWSClient {
        try AWSClient(settings: AWSSettings(
            credentials: AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey, source: "moto test user"),
            region: "us-west-2", endpointOverride: endpoint))
    }

    func testBundleDidFinish(_ testBundle: Bundle) {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        try? FileManager.default.removeItem(atPath: log)
    }

    private static func waitUntilReady(_ client: AWSClient, log: String) throws {
        for _ in 0..<100 {
            if (try? client.callerIdentity()) != nil { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        throw MotoError("moto_server did not answer within 10 s: \(output.suffix(500))")
    }

    private static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw MotoError("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Why the emulator could not be used: a failure, never a skip (the AWS tests must run).
struct MotoError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
