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

    /// A URL's password: from `scheme://user:` to the last `@` before the host, so that a
    /// password holding `@ : / ? #` is covered whole (a URL holds no raw space).
    static let urlPassword = #"(postgres(?:ql)?://[^:/@\s]*):(?:\S*)@(?=[^@\s]*(?:[\s'"]|$))"#

    /// Whether a `postgresql://user:password@host/…` URL has a password that libpq would
    /// cut short, reading as libpq does: the user part ends at the first `@`, and a `/`
    /// before any `@` ends the host part. A raw `@` in the password leaves another `@` in
    /// the host part; a raw `/` leaves an `@` after the `/`. libpq then takes part of the
    /// password for the host, port or database, and shows it.
    public static func hasAmbiguousPassword(_ url: String) -> Bool {
        guard url.lowercased().hasPrefix("postgres"), let scheme = url.range(of: "://") else { return false }
        let rest = url[scheme.upperBound...]
        let beforeQuery = rest.prefix { $0 != "?" }
        guard let stop = beforeQuery.firstIndex(where: { $0 == "@" || $0 == "/" }) else { return false }
        guard rest[..<stop].contains(":") else { return false }
        if rest[stop] == "@" {
            let host = rest[rest.index(after: stop)...].prefix { $0 != "/" && $0 != "?" }
            return host.contains("@")
        }
        return beforeQuery[stop...].contains("@")
    }

    /// Removes the password from a `postgresql://user:password@host/...` URL and from
    /// `password=...` keywords.
    public static func redactConnectionString(_ text: String) -> String {
        var result = text
        if let regex = try? NSRegularExpression(pattern: urlPassword) {
            result = regex.stringByReplacingMatches(in: result, range: NSRange(result.startIndex..., in: result),
                                                    withTemplate: "$1:\(mask)@")
        }
        if let regex = try? NSRegularExpression(pattern: #"(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]*)"#, options: [.caseInsensitive]) {
            result = regex.stringByReplacingMatches(in: result, range: NSRange(result.startIndex..., in: result),
                                                    withTemplate: "$1\(mask)")
        }
        return result
    }

    /// `text` with the password of `conninfo` hidden wherever it appears, as typed,
    /// percent-decoded or percent-encoded: libpq quotes pieces of a URL it cannot parse
    /// ("invalid percent-encoded token: …"), and that piece may be the password. Only whole
    /// occurrences are hidden, not one inside a longer word, so the text around stays legible.
    public static func redact(_ text: String, passwordOf conninfo: String) -> String {
        var result = redactConnectionString(text)
        for password in passwords(in: conninfo) {
            let encoded = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)
            for form in Set([password, password.removingPercentEncoding, encoded].compactMap({ $0 })) where !form.isEmpty {
                result = replacingWhole(form, in: result)
            }
        }
        return result
    }

    /// Replaces each occurrence of `secret` in `text` that no letter or digit touches.
    static func replacingWhole(_ secret: String, in text: String) -> String {
        let pattern = #"(?<![\p{L}\p{N}])"# + NSRegularExpression.escapedPattern(for: secret) + #"(?![\p{L}\p{N}])"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return text }
        return regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text),
                                              withTemplate: NSRegularExpression.escapedTemplate(for: mask))
    }

    private static func passwords(in conninfo: String) -> [String] {
        // The conninfo is one URL: its password runs to the last `@`, spaces and all.
        let patterns = [#"^\s*postgres(?:ql)?://[^:/@\s]*:(.*)@[^@]*$"#,
                        #"password\s*=\s*'((?:[^'\\]|\\.)*)'"#, #"password\s*=\s*([^\s'&][^\s&]*)"#]
        return patterns.flatMap { pattern -> [String] in
            guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { return [] }
            return regex.matches(in: conninfo, range: NSRange(conninfo.startIndex..., in: conninfo)).compactMap {
                Range($0.range(at: 1), in: conninfo).map { String(conninfo[$0]) }
            }
        }
    }
}

extension Secrets {
    /// The environment for a program dwh starts on the user's behalf (`--on-failure`):
    /// the given one without any variable whose name looks like it holds a secret
    /// (`PGPASSWORD`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, …) or whose value is a
    /// connection string with a password in it (`DWH_DATABASE_URL=postgresql://u:pw@…`).
    public static func childEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        environment.filter { key, value in
            key == "PWD" || key == "OLDPWD"
                || (!isSecretName(key) && redactConnectionString(value) == value)
        }
    }

    /// Whether a name (a dwh.cfg key, an environment variable) looks like it holds a
    /// secret, in any case, misspelled by a letter or two (`DB_PASSWROD`), or shaped like
    /// one (`API_TOKEN`, `aws_secret_access_key`): `ConfigSchema.isSecret` asks it.
    static func isSecretName(_ name: String) -> Bool {
        let words = name.uppercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
        return words.contains { word in
            ["PASS", "PWD", "SECRET", "TOKEN", "KEY", "CREDENTIAL"].contains { word.contains($0) }
                || (word.count >= 4 && ["PASSWORD", "SECRET", "TOKEN"].contains {
                    EditDistance.between(word, $0) <= (word.count >= 6 ? 2 : 1)
                })
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
