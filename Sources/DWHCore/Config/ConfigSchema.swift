import Foundation

/// The sections and keys `dwh.cfg` may hold, compatible with the classic Sparkify file.
public enum ConfigSchema {
    public static let sections: [String: [String]] = [
        "CLUSTER": ["HOST", "DB_NAME", "DB_USER", "DB_PASSWORD", "DB_PORT",
                    // AUTH = iam (ClusterAuth); WORKGROUP is refused with a sentence, not a warning.
                    "AUTH", "CLUSTER_IDENTIFIER", "DURATION_SECONDS", "AUTO_CREATE", "DB_GROUPS", "WORKGROUP"],
        "IAM_ROLE": ["ARN"],
        "S3": ["LOG_DATA", "LOG_JSONPATH", "SONG_DATA", "UNLOAD_PREFIX", "STAGING_PREFIX"],
        "AWS": ["KEY", "SECRET", "REGION"],
        "DWH": ["CLUSTER_TYPE", "NUM_NODES", "NODE_TYPE", "CLUSTER_IDENTIFIER", "DB_NAME",
                "DB_USER", "DB_PASSWORD", "PORT", "IAM_ROLE_NAME", "PUBLIC", "MANAGE_PASSWORD"],
        // `dwh run`, the daily job (RunSettings).
        "RUN": ["EVENTS", "SONGS", "START_DATE", "END_DATE", "REPORT", "EXPORTS", "RETRIES", "RETRY_DELAY",
                "ON_FAILURE", "WEBHOOK", "LOCK_TIMEOUT"],
    ]

    /// Whether a key's value is never shown: any key that looks like it holds a secret, in
    /// any section or none, known or not, in any case, misspelled by a letter or two
    /// (`DB_PASSWROD`), or shaped like one (`API_TOKEN`, `aws_secret_access_key`).
    public static func isSecret(section: String, key: String) -> Bool {
        Secrets.isSecretName(key)
    }

    /// Warnings for sections and keys the schema does not know, each with the closest
    /// known name when one is near.
    public static func warnings(for file: ConfigFile) -> [String] {
        var warnings: [String] = []
        var section = ""
        var seen: [String: Int] = [:]
        for (index, line) in file.lines.enumerated() {
            switch line {
            case .section(let name, _):
                section = name.uppercased()
                if let first = seen[section] {
                    warnings.append("\(file.path):\(index + 1): section [\(name)] again (first on line \(first)); "
                        + "where a key is in both, the later value wins")
                }
                seen[section] = seen[section] ?? index + 1
                if sections[section] == nil && section != "DEFAULT" {
                    warnings.append("\(file.path):\(index + 1): unknown section [\(name)]"
                        + suggestion(name.uppercased(), among: Array(sections.keys)))
                }
            case .entry(let key, _, _):
                // [DEFAULT] may give any key a section knows.
                let keys = section == "DEFAULT" ? sections.values.flatMap { $0 } : sections[section]
                guard let keys else { continue }
                if !keys.contains(key.uppercased()) {
                    warnings.append("\(file.path):\(index + 1): unknown key \(key) in [\(section)]"
                        + suggestion(key.uppercased(), among: keys))
                }
            case .other: break
            }
        }
        return warnings
    }

    static func suggestion(_ word: String, among candidates: [String]) -> String {
        let best = candidates.map { ($0, EditDistance.between(word, $0)) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= max(2, word.count / 3) else { return "" }
        return "; did you mean \(best.0)?"
    }

    /// A warning when a file holding secrets can be read by group or others, as ssh gives.
    public static func permissionWarning(for file: ConfigFile) -> String? {
        let holdsSecret = file.entries.contains { isSecret(section: $0.section, key: $0.key) && !$0.value.isEmpty }
        guard holdsSecret,
              let mode = try? FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int,
              mode & 0o077 != 0 else { return nil }
        return "\(file.path) holds secrets and is readable by others (mode \(String(mode, radix: 8))); run `chmod 600 \(file.path)`"
    }
}
