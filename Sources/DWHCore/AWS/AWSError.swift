import Foundation

/// Everything that goes wrong talking to AWS, as the sentence the user reads, with the code
/// AWS gave and the next step. Never holds a key or a secret.
public enum AWSError: Error, CustomStringConvertible {
    case noCredentials
    case incompleteCredentials(source: String, missing: String)
    case unknownProfile(String)
    case badEndpoint(String)
    /// AWS answered with an error document; `resource` is what the call was about, where
    /// one object or bucket is (`s3://bucket/key`).
    case api(service: String, action: String, status: Int, code: String, message: String, credentialSource: String,
             resource: String? = nil)
    /// No usable answer: connection refused, timeout, or a body that is not XML.
    case transport(service: String, action: String, reason: String)
    case unreadableResponse(service: String, action: String, status: Int)
    case badS3URL(String)

    public var description: String {
        switch self {
        case .noCredentials:
            return "no AWS credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                + "configure a profile with `aws configure` (AWS_PROFILE picks one), or fill [AWS] KEY and SECRET in dwh.cfg"
        case .incompleteCredentials(let source, let missing):
            return "the AWS credentials in \(source) lack \(missing); add it or remove the access key there"
        case .unknownProfile(let name):
            return "the AWS profile \(name) (from AWS_PROFILE) is in neither ~/.aws/credentials nor ~/.aws/config; "
                + "check the name or run `aws configure --profile \(name)`"
        case .badEndpoint(let endpoint):
            return "the endpoint URL \(endpoint) is not an http:// or https:// URL with a host"
        case .api(let service, let action, let status, let code, let message, let source, let resource):
            let advice = AWSError.advice(code: code, service: service, action: action, credentialSource: source)
            let detail = message.isEmpty ? "" : ": \(message)"
            return "AWS \(service) \(action)\(resource.map { " on \($0)" } ?? "") failed with \(code) (HTTP \(status))\(detail)"
                + (advice.map { "\n\($0)" } ?? "")
        case .transport(let service, let action, let reason):
            return "could not reach AWS \(service) for \(action): \(reason)\n"
                + "check the network, the region and any --endpoint-url / AWS_ENDPOINT_URL"
        case .unreadableResponse(let service, let action, let status):
            return "AWS \(service) \(action) answered HTTP \(status) with a body that is not an AWS XML document; "
                + "is --endpoint-url / AWS_ENDPOINT_URL pointing at an AWS API?"
        case .badS3URL(let text):
            return "\(text) is not an S3 URL; write s3://bucket or s3://bucket/prefix"
        }
    }

    /// Reads `<Error><Code>…` from any of the AWS error document shapes (S3's bare `<Error>`,
    /// the Query APIs' `<ErrorResponse>`, EC2's `<Response><Errors>`).
    static func from(body: [UInt8], status: Int, service: String, action: String, credentialSource: String) -> AWSError {
        let document = XMLNode.parse(body)
        let error = document.flatMap { $0.name == "Error" ? $0 : $0.descendants("Error").first }
        return .api(service: service, action: action, status: status, code: error?.string("Code") ?? "HTTP\(status)",
                    message: error?.string("Message") ?? "", credentialSource: credentialSource)
    }

    /// The AWS error code, when AWS gave one.
    public var code: String? {
        if case .api(_, _, _, let code, _, _, _) = self { return code }
        return nil
    }

    /// The same error, naming the resource the call was about (when it does not yet).
    func about(_ resource: String) -> AWSError {
        guard case .api(let service, let action, let status, let code, let message, let source, nil) = self else { return self }
        return .api(service: service, action: action, status: status, code: code, message: message, credentialSource: source,
                    resource: resource)
    }

    /// The sentence without the resource, for an error that names the object itself.
    var descriptionWithoutResource: String {
        guard case .api(let service, let action, let status, let code, let message, let source, _?) = self else { return description }
        return AWSError.api(service: service, action: action, status: status, code: code, message: message,
                            credentialSource: source).description
    }

    static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "RequestLimitExceeded", "SlowDown", "PriorRequestNotComplete",
        "BandwidthLimitExceeded", "RequestThrottled", "EC2ThrottledException",
    ]

    /// The permissions an analyst's own calls need (sign-in, the S3 data, the COPY manifests),
    /// which `dwh cluster policy` grants (ClusterPolicyTests keep the two in step): an
    /// AccessDenied for one of them points there.
    static let analystPermissions: Set<String> = [
        "redshift:GetClusterCredentials", "redshift:CreateClusterUser", "redshift:JoinGroup", "redshift:DescribeClusters",
        "s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject",
    ]

    /// The IAM permission an API call needs: the action's own name, but for S3's calls whose
    /// permission is named otherwise (a listing needs s3:ListBucket).
    static func iamAction(service: String, action: String) -> String {
        switch (service, action) {
        case ("s3", "ListObjectsV2"), ("s3", "ListObjects"): return "s3:ListBucket"
        case ("s3", "HeadObject"): return "s3:GetObject"
        case ("s3", "HeadBucket"): return "s3:ListBucket"
        default: return "\(service):\(action)"
        }
    }

    /// The next step for the codes a user can do something about.
    static func advice(code: String, service: String, action: String, credentialSource: String) -> String? {
        switch code {
        case "InvalidClientTokenId", "InvalidAccessKeyId", "UnrecognizedClientException":
            return "AWS does not know the access key (or session token): check \(credentialSource) (deleted, expired or mistyped?)"
        case "SignatureDoesNotMatch":
            return "the secret access key does not belong to the access key: check the secret in \(credentialSource)"
        case "AuthFailure":
            return "AWS did not accept the credentials (unknown key or wrong secret): check \(credentialSource)"
        case "ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired":
            return "the session token has expired (or the clock is off): get fresh credentials for \(credentialSource)"
        case "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess":
            let permission = iamAction(service: service, action: action)
            let next = analystPermissions.contains(permission)
                ? "`dwh cluster policy` prints the least-privilege policy that grants it for this project"
                : "attach a policy that allows it"
            return "the credentials from \(credentialSource) may not call \(permission); \(next)"
        case "OptInRequired":
            return "the account is not subscribed to \(service) in this region"
        case "ClusterQuotaExceeded", "NumberOfNodesQuotaExceeded", "NumberOfNodesPerClusterLimitExceeded":
            return "the account's Redshift quota is reached: lower [DWH] NUM_NODES or remove another cluster"
        case "NoSuchBucket":
            return "check the bucket name and the region (AWS_REGION / [AWS] REGION)"
        case "NoSuchKey":
            return "list what is there with `dwh s3 ls`"
        default:
            return throttlingCodes.contains(code) ? "AWS kept throttling the requests; wait a minute and run the command again" : nil
        }
    }
}
