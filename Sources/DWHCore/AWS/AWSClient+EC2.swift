import Foundation

/// One inbound rule of a security group, for a single IPv4 range.
public struct IngressRule: Sendable, Equatable, Codable {
    public var groupID: String
    public var port: Int
    public var cidr: String
    public var description: String?
}

extension AWSClient {
    /// The `default` security group of the account's default VPC, which a cluster created
    /// without other groups uses; nil when the account has no default VPC.
    public func defaultSecurityGroup() throws -> String? {
        let vpcs = try query(.ec2, "DescribeVpcs", [("Filter.1.Name", "isDefault"), ("Filter.1.Value.1", "true")])
        guard let vpc = vpcs.descendants("vpcId").first?.text else { return nil }
        let groups = try query(.ec2, "DescribeSecurityGroups", [
            ("Filter.1.Name", "vpc-id"), ("Filter.1.Value.1", vpc),
            ("Filter.2.Name", "group-name"), ("Filter.2.Value.1", "default"),
        ])
        return groups.child("securityGroupInfo")?.children("item").first?.string("groupId")
    }

    /// The group's inbound TCP rules that cover `port`, one per IPv4 range.
    public func ingressRules(group: String, port: Int) throws -> [IngressRule] {
        let document = try query(.ec2, "DescribeSecurityGroups", [("GroupId.1", group)])
        var rules: [IngressRule] = []
        for groupNode in document.child("securityGroupInfo")?.children("item") ?? [] {
            for permission in groupNode.child("ipPermissions")?.children("item") ?? [] {
                let from = permission.string("fromPort").flatMap(Int.init) ?? 0
                let to = permission.string("toPort").flatMap(Int.init) ?? 65535
                let all = permission.string("ipProtocol") == "-1"
                guard all || (permission.string("ipProtocol") == "tcp" && from <= port && port <= to) else { continue }
                for range in permission.child("ipRanges")?.children("item") ?? [] {
                    guard let cidr = range.string("cidrIp") else { continue }
                    rules.append(IngressRule(groupID: group, port: port, cidr: cidr, description: range.string("description")))
                }
            }
        }
        return rules
    }

    public func authorizeIngress(_ rule: IngressRule) throws {
        try query(.ec2, "AuthorizeSecurityGroupIngress", ingressParameters(rule))
    }

    public func revokeIngress(_ rule: IngressRule) throws {
        try query(.ec2, "RevokeSecurityGroupIngress", ingressParameters(rule))
    }

    private func ingressParameters(_ rule: IngressRule) -> [(String, String)] {
        var parameters = [
            ("GroupId", rule.groupID), ("IpPermissions.1.IpProtocol", "tcp"),
            ("IpPermissions.1.FromPort", String(rule.port)), ("IpPermissions.1.ToPort", String(rule.port)),
            ("IpPermissions.1.IpRanges.1.CidrIp", rule.cidr),
        ]
        if let description = rule.description { parameters.append(("IpPermissions.1.IpRanges.1.Description", description)) }
        return parameters
    }
}
