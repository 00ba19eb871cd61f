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

    /// `text` with the password of `conninfo` hidden wherever it appears, as typed or
    /// percent-decoded: libpq quotes pieces of a URL it cannot parse ("invalid
    /// percent-encoded token: …"), and that piece may be the password.
    public static func redact(_ text: String, passwordOf conninfo: String) -> String {
        var result = redactConnectionString(text)
        for password in passwords(in: conninfo) {
            for form in [password, password.removingPercentEncoding].compactMap({ $0 }) where !form.isEmpty {
                result = result.replacingOccurrences(of: form, with: mask)
            }
        }
        return result
    }

    private static func passwords(in conninfo: String) -> [String] {
        let patterns = [#"postgres(?:ql)?://[^:/@\s]*:([^@\s]*)@"#, #"password\s*=\s*'((?:[^'\\]|\\.)*)'"#,
                        #"password\s*=\s*([^\s'&][^\s&]*)"#]
        return patterns.flatMap { pattern -> [String] in
            guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { return [] }
            return regex.matches(in: conninfo, range: NSRange(conninfo.startIndex..., in: conninfo)).compactMap {
                Range($0.range(at: 1), in: conninfo).map { String(conninfo[$0]) }
            }
        }
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
