import Foundation

/// The IAM calls behind the role Redshift uses to read S3.
extension AWSClient {
    /// The role's ARN, or nil when there is no such role.
    public func roleARN(_ name: String) throws -> String? {
        do {
            return try query(.iam, "GetRole", [("RoleName", name)]).string("GetRoleResult", "Role", "Arn")
        } catch let error as AWSError where error.code == "NoSuchEntity" {
            return nil
        }
    }

    /// Creates a role that the given service (e.g. redshift.amazonaws.com) may assume.
    public func createRole(_ name: String, trustedService: String, description: String) throws -> String {
        let document = try query(.iam, "CreateRole", [
            ("RoleName", name),
            ("AssumeRolePolicyDocument", IAMPolicyDocument.trust(service: trustedService)),
            ("Description", description),
        ])
        guard let arn = document.string("CreateRoleResult", "Role", "Arn") else {
            throw AWSError.unreadableResponse(service: "iam", action: "CreateRole", status: 200)
        }
        return arn
    }

    public func attachedPolicies(role: String) throws -> [String] {
        try query(.iam, "ListAttachedRolePolicies", [("RoleName", role)])
            .descendants("PolicyArn").map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    public func attachPolicy(_ policyARN: String, role: String) throws {
        try query(.iam, "AttachRolePolicy", [("RoleName", role), ("PolicyArn", policyARN)])
    }

    public func detachPolicy(_ policyARN: String, role: String) throws {
        try query(.iam, "DetachRolePolicy", [("RoleName", role), ("PolicyArn", policyARN)])
    }

    public func deleteRole(_ name: String) throws {
        try query(.iam, "DeleteRole", [("RoleName", name)])
    }

    /// The ARN of the caller (STS GetCallerIdentity): a cheap check that the keys work.
    public func callerIdentity() throws -> String {
        try query(.sts, "GetCallerIdentity").string("GetCallerIdentityResult", "Arn") ?? "unknown"
    }
}

/// IAM policy documents, compact (no spaces) so that they survive every form encoder alike.
public enum IAMPolicyDocument {
    public static let s3ReadOnly = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"

    public static func trust(service: String) -> String {
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"\#(service)"},"Action":"sts:AssumeRole"}]}"#
    }
}
