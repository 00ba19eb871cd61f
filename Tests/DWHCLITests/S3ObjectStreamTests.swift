import DWHCore
import Foundation
import TestSupport
import XCTest

/// Reading S3 objects as byte streams, against moto_server with signature checking on.
final class S3ObjectStreamTests: XCTestCase {
    func settings(_ moto: MotoServer) -> AWSSettings {
        AWSSettings(credentials: AWSCredentials(accessKeyID: moto.accessKeyID, secretAccessKey: moto.secretAccessKey, source: "test"),
                    region: "us-west-2", endpointOverride: moto.endpoint)
    }

    func readAll(_ stream: S3ObjectStream, bufferSize: Int) throws -> [UInt8] {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: bufferSize)
        while true {
            let count = try buffer.withUnsafeMutableBytes { try stream.read(into: $0) }
            if count == 0 { return result }
            result += buffer[..<count]
        }
    }

    func testAnObjectLargerThanTheBufferArrivesWholeAndInOrder() throws {
        let moto = try MotoServer.start()
        let client = try moto.client()
        try client.createBucket("dwh-stream")
        var generator = SystemRandomNumberGenerator()
        let body = (0..<3_000_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try client.putObject(S3Location(bucket: "dwh-stream", key: "big.bin"), body: body)

        let stream = S3ObjectStream(settings: settings(moto), location: S3Location(bucket: "dwh-stream", key: "big.bin"),
                                    bufferLimit: 64 << 10)
        let read = try readAll(stream, bufferSize: 1000)
        XCTAssertEqual(read.count, body.count)
        XCTAssertTrue(read == body)
    }

    func testAMissingObjectFailsOnReadWithTheAWSCode() throws {
        let moto = try MotoServer.start()
        try moto.client().createBucket("dwh-stream-missing")
        let stream = S3ObjectStream(settings: settings(moto), location: S3Location(bucket: "dwh-stream-missing", key: "none.json"))
        XCTAssertThrowsError(try readAll(stream, bufferSize: 4096)) { error in
            XCTAssertEqual((error as? AWSError)?.code, "NoSuchKey", "\(error)")
        }
    }

    func testAStreamDroppedHalfwayStopsItsDownload() throws {
        let moto = try MotoServer.start()
        let client = try moto.client()
        try client.createBucket("dwh-stream-drop")
        try client.putObject(S3Location(bucket: "dwh-stream-drop", key: "a.bin"), body: [UInt8](repeating: 7, count: 2_000_000))
        var stream: S3ObjectStream? = S3ObjectStream(settings: settings(moto), location: S3Location(bucket: "dwh-stream-drop", key: "a.bin"),
                                                     bufferLimit: 16 << 10)
        var buffer = [UInt8](repeating: 0, count: 100)
        XCTAssertEqual(try buffer.withUnsafeMutableBytes { try stream!.read(into: $0) }, 100)
        stream = nil
        // The server is still usable: the abandoned download did not wedge anything.
        XCTAssertEqual(try client.allObjects(S3Location(bucket: "dwh-stream-drop", key: "")).map(\.key), ["a.bin"])
    }
}
