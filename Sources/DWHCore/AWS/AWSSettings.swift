import Foundation

/// Everything needed to call AWS: credentials, region and, for emulators and private
/// endpoints, one URL that replaces every service's endpoint (as the AWS CLI's
/// `--endpoint-url` / `AWS_ENDPOINT_URL`).
public struct AWSSettings: Sendable {
    public var credentials: AWSCredentials
    public var region: String
    public var endpointOverride: String?

    public init(credentials: AWSCredentials, region: String, endpointOverride: String? = nil) {
        self.credentials = credentials
        self.region = region
        self.endpointOverride = endpointOverride
    }

    /// Resolves the settings from a `--endpoint-url` flag, the environment and `dwh.cfg`.
    public static func resolve(endpointFlag: String?, config: ConfigFile?,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AWSSettings {
        let credentials = try AWSCredentialChain.resolve(environment: environment, config: config)
        let region = AWSCredentialChain.region(environment: environment, config: config)
        var endpoint = endpointFlag.flatMap { $0.isEmpty ? nil : $0 }
        if endpoint == nil, let value = environment["AWS_ENDPOINT_URL"], !value.isEmpty { endpoint = value }
        if let endpoint {
            guard let url = URL(string: endpoint), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                throw AWSError.badEndpoint(endpoint)
            }
        }
        return AWSSettings(credentials: credentials, region: region,
                           endpointOverride: endpoint.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 })
    }
}

/// The AWS services dwh calls, with the API version and endpoint of each.
public enum AWSService: String, Sendable, CaseIterable {
    case iam, sts, redshift, ec2, s3

    /// The `Version` parameter of the Query protocol.
    var apiVersion: String {
        switch self {
        case .iam: "2010-05-08"
        case .sts: "2011-06-15"
        case .redshift: "2012-12-01"
        case .ec2: "2016-11-15"
        case .s3: "2006-03-01"
        }
    }

    /// IAM is global and signed for us-east-1; the others are regional.
    func signingRegion(_ region: String) -> String {
        self == .iam ? "us-east-1" : region
    }

    /// `https://service.region.amazonaws.com` unless an override replaces it.
    func endpoint(region: String, override: String?) -> String {
        if let override { return override }
        switch self {
        case .iam: return "https://iam.amazonaws.com"
        default: return "https://\(rawValue).\(region).amazonaws.com"
        }
    }
}
