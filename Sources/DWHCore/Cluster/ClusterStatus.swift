import Foundation

/// The cluster, role and ingress as they are now, for `dwh cluster status`.
public struct ClusterStatus: Sendable, Codable, Equatable {
    public var clusterIdentifier: String
    public var cluster: RedshiftCluster?
    public var roleName: String
    public var roleARN: String?
    public var rolePolicies: [String]
    public var ingress: [IngressRule]

    /// Three lines (cluster, role, ingress) for `dwh cluster status`, and a fourth of what
    /// AWS reports of encryption, public access and a managed master password.
    public var text: String {
        let clusterLine = cluster.map { cluster in
            "\(cluster.identifier): \(cluster.status), \(cluster.numberOfNodes) × \(cluster.nodeType), "
                + (cluster.host.map { "\($0):\(cluster.port ?? 5439)" } ?? "no endpoint yet")
        } ?? "\(clusterIdentifier): does not exist"
        let roleLine = roleARN.map { "\(roleName): \($0), policies: \(rolePolicies.joined(separator: ", "))" }
            ?? "\(roleName): does not exist"
        let rules = ingress.map { "TCP \($0.port) from \($0.cidr) in \($0.groupID)" }
        var safety: [String] = []
        if let encrypted = cluster?.encrypted { safety.append(encrypted ? "encrypted" : "not encrypted") }
        if let open = cluster?.publiclyAccessible { safety.append(open ? "publicly accessible" : "not publicly accessible") }
        if let secret = cluster?.masterPasswordSecretARN { safety.append("master password in Secrets Manager: \(secret)") }
        return """
            cluster  \(clusterLine)
            role     \(roleLine)
            ingress  \(rules.isEmpty ? "none by dwh" : rules.joined(separator: "; "))
            """ + (safety.isEmpty ? "" : "\nsafety   \(safety.joined(separator: ", "))")
    }
}

extension ClusterProvisioner {
    public func status() throws -> ClusterStatus {
        let observed = try observe()
        return ClusterStatus(clusterIdentifier: settings.identifier, cluster: observed.cluster, roleName: settings.roleName,
                             roleARN: observed.roleARN, rolePolicies: observed.attachedPolicies,
                             ingress: observed.ingress.filter { $0.description == settings.ingressDescription })
    }
}
