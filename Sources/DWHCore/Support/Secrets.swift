import Foundation

/// Generating and hiding secrets.
public enum Secrets {
    /// 32 characters from a URL- and passfile-safe alphabet, from the system's CSPRNG.
    public static func randomPassword() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<32).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// What a secret looks like in output: its length hidden too.
    public static let mask = "********"

    /// Removes the password from a `postgresql://user:password@host/...` URL and from
    /// `password=...` keywords.
    public static func redactConnectionString(_ text: String) -> String {
        var result = text
        if let regex = try? NSRegularExpression(pattern: #"(postgres(?:ql)?://[^:/@\s]*):[^@\s]*@"#) {
            result = regex.stringByReplacingMatches(in: result, range: NSRange(result.startIndex..., in: result),
                                                    withTemplate: "$1:\(mask)@")
        }
        if let regex = try? NSRegularExpression(pattern: #"(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]*)"#, options: [.caseInsensitive]) {
            result = regex.stringByReplacingMatches(in: result, range: NSRange(result.startIndex..., in: result),
                                                    withTemplate: "$1\(mask)")
        }
        return result
    }
}

/// A small, stable (across runs and machines) hash for naming things.
enum StableHash {
    static func fnv1a(_ text: String) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return hash
    }
}
