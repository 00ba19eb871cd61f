import Foundation

/// An AWS access key pair (and session token), with where it was found for error messages.
/// `description` never shows the key or the secret.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// Where the keys came from, e.g. "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY".
    public var source: String

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, source: String) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.source = source
    }

    public var description: String { "AWS credentials from \(source)" }
}

/// The AWS CLI's shared files: `~/.aws/credentials` and `~/.aws/config` (or the files named
/// by `AWS_SHARED_CREDENTIALS_FILE` and `AWS_CONFIG_FILE`), read for one profile.
struct AWSProfile {
    var name: String
    var explicitlyChosen: Bool
    var credentialsFile: ConfigFile?
    var configFile: ConfigFile?

    init(environment: [String: String]) {
        let home = environment["HOME"] ?? NSHomeDirectory()
        name = environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        explicitlyChosen = environment["AWS_PROFILE"]?.isEmpty == false
        credentialsFile = try? ConfigFile.load(environment["AWS_SHARED_CREDENTIALS_FILE"] ?? home + "/.aws/credentials", configparser: false)
        configFile = try? ConfigFile.load(environment["AWS_CONFIG_FILE"] ?? home + "/.aws/config", configparser: false)
    }

    /// `[name]` in the credentials file, then `[profile name]` (or `[default]`) in the config file.
    func value(_ key: String) -> (value: String, file: String)? {
        if let file = credentialsFile, let found = file.value(name, key)?.value, !found.isEmpty {
            return (found, file.path)
        }
        let section = name == "default" ? "default" : "profile \(name)"
        if let file = configFile, let found = file.value(section, key)?.value, !found.isEmpty {
            return (found, file.path)
        }
        return nil
    }

    var exists: Bool {
        let section = name == "default" ? "default" : "profile \(name)"
        let inCredentials = credentialsFile?.lines.contains { if case .section(name, _) = $0 { true } else { false } } ?? false
        let inConfig = configFile?.lines.contains { if case .section(section, _) = $0 { true } else { false } } ?? false
        return inCredentials || inConfig
    }
}

/// Finds credentials the way the AWS CLI does, first found wins: the environment, then the
/// profile `AWS_PROFILE` (default `default`), then `[AWS] KEY`/`SECRET` in `dwh.cfg`.
public enum AWSCredentialChain {
    public static func resolve(environment: [String: String], config: ConfigFile?) throws -> AWSCredentials {
        if let key = environment["AWS_ACCESS_KEY_ID"], !key.isEmpty {
            guard let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty else {
                throw AWSError.incompleteCredentials(source: "the environment", missing: "AWS_SECRET_ACCESS_KEY")
            }
            let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token,
                                  source: "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY" + (token == nil ? "" : "/AWS_SESSION_TOKEN"))
        }
        let profile = AWSProfile(environment: environment)
        if let key = profile.value("aws_access_key_id") {
            guard let secret = profile.value("aws_secret_access_key") else {
                throw AWSError.incompleteCredentials(source: "profile \(profile.name) in \(key.file)", missing: "aws_secret_access_key")
            }
            return AWSCredentials(accessKeyID: key.value, secretAccessKey: secret.value,
                                  sessionToken: profile.value("aws_session_token")?.value,
                                  source: "profile \(profile.name) in \(key.file)")
        }
        if profile.explicitlyChosen && !profile.exists {
            throw AWSError.unknownProfile(profile.name)
        }
        if let config, let key = config.value("AWS", "KEY")?.value, !key.isEmpty {
            guard let secret = config.value("AWS", "SECRET")?.value, !secret.isEmpty else {
                throw AWSError.incompleteCredentials(source: "\(config.path) [AWS]", missing: "SECRET")
            }
            return AWSCredentials(accessKeyID: key, secretAccessKey: secret, source: "\(config.path) [AWS]")
        }
        throw AWSError.noCredentials
    }

    /// The region: `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, `dwh.cfg`
    /// `[AWS] REGION`, else us-west-2 (where the Sparkify data lives).
    public static func region(environment: [String: String], config: ConfigFile?) -> String {
        for name in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
            if let value = environment[name], !value.isEmpty { return value }
        }
        if let value = AWSProfile(environment: environment).value("region")?.value { return value }
        if let value = config?.value("AWS", "REGION")?.value, !value.isEmpty { return value }
        return "us-west-2"
    }
}
