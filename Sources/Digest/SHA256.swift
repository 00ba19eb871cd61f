import CLibCrypto

/// SHA-256, for migration checksums, computed by OpenSSL's libcrypto: the library libcurl
/// already links on Linux, so it costs no build time (apple/swift-crypto would build
/// BoringSSL from source: 55 s more for a first debug build here).
public enum SHA256 {
    /// The lowercase hex digest of the UTF-8 bytes of `text`.
    public static func hex(_ text: String) -> String {
        hex(Array(text.utf8))
    }

    /// The lowercase hex digest of `bytes`.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in digest(bytes) {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The 32-byte digest of `bytes`.
    public static func digest(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let succeeded = bytes.withUnsafeBytes { input in
            digest.withUnsafeMutableBufferPointer { output in
                EVP_Digest(input.baseAddress, input.count, output.baseAddress, &length, EVP_sha256(), nil)
            }
        }
        // EVP_Digest fails only when out of memory: there is no checksum to give.
        precondition(succeeded == 1 && length == 32, "libcrypto could not compute a SHA-256 digest")
        return digest
    }
}
