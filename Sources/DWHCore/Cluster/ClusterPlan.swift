import Foundation

/// What exists on AWS now, as far as the cluster is concerned: the input of every plan.
public struct ClusterObservation: Sendable, Equatable {
    public var roleARN: String?
    public var attachedPolicies: [String]
    public var cluster: RedshiftCluster?
    /// The security group a new cluster goes into (the default VPC's `default` group).
    public var defaultSecurityGroup: String?
    /// Inbound rules on the cluster's port in the group the ingress goes to.
    public var ingress: [IngressRule]

    public init(roleARN: String? = nil, attachedPolicies: [String] = [], cluster: RedshiftCluster? = nil,
                defaultSecurityGroup: String? = nil, ingress: [IngressRule] = []) {
        self.roleARN = roleARN
        self.attachedPolicies = attachedPolicies
        self.cluster = cluster
        self.defaultSecurityGroup = defaultSecurityGroup
        self.ingress = ingress
    }

    /// The group ingress is opened in: the cluster's own, else the one it will be created in.
    public var securityGroup: String? { cluster?.securityGroupIDs.first ?? defaultSecurityGroup }
}

/// One thing `dwh cluster up` does, or finds already done.
public enum ClusterStep: Sendable, Equatable {
    case createRole(name: String)
    case reuseRole(name: String, arn: String)
    case attachPolicy(role: String, policy: String)
    case policyAttached(role: String, policy: String)
    case createCluster(identifier: String, nodes: Int, nodeType: String, database: String, user: String, port: Int,
                       securityGroup: String)
    case reuseCluster(identifier: String, status: String)
    case waitUntilAvailable(identifier: String)
    case authorizeIngress(IngressRule)
    case ingressExists(IngressRule)
    case writeConfig(path: String)
    case testConnection

    /// Whether the step changes something on AWS or on disk.
    public var changes: Bool {
        switch self {
        case .reuseRole, .policyAttached, .reuseCluster, .ingressExists, .waitUntilAvailable, .testConnection: false
        default: true
        }
    }

    /// `+` changes something, `=` finds it done, `>` only waits or checks.
    public var marker: String {
        switch self {
        case .waitUntilAvailable, .testConnection: ">"
        default: changes ? "+" : "="
        }
    }

    public var description: String {
        switch self {
        case .createRole(let name): "create IAM role \(name), assumable by redshift.amazonaws.com"
        case .reuseRole(let name, let arn): "reuse IAM role \(name) (\(arn))"
        case .attachPolicy(let role, let policy): "attach \(policy) to role \(role)"
        case .policyAttached(let role, let policy): "keep \(policy) on role \(role) (already attached)"
        case .createCluster(let id, let nodes, let type, let db, let user, let port, let group):
            "create cluster \(id): \(nodes) × \(type), database \(db), user \(user), port \(port), security group \(group)"
        case .reuseCluster(let id, let status): "reuse cluster \(id) (\(status))"
        case .waitUntilAvailable(let id): "wait until cluster \(id) is available"
        case .authorizeIngress(let rule): "allow TCP \(rule.port) from \(rule.cidr) in security group \(rule.groupID)"
        case .ingressExists(let rule): "keep TCP \(rule.port) from \(rule.cidr) in security group \(rule.groupID) (already allowed)"
        case .writeConfig(let path): "write [CLUSTER] HOST, DB_PORT and [IAM_ROLE] ARN into \(path)"
        case .testConnection: "connect to the cluster and run SELECT 1"
        }
    }
}

/// What `dwh cluster up` would do, decided from the settings and what exists: a plain value
/// that `dwh cluster plan` prints and tests compare.
public struct ClusterPlan: Sendable, Equatable {
    public var steps: [ClusterStep]
    public var settings: ClusterSettings

    public static func make(settings: ClusterSettings, observed: ClusterObservation, cidr: String,
                            configPath: String, connect: Bool) throws -> ClusterPlan {
        var steps: [ClusterStep] = []
        if let arn = observed.roleARN {
            steps.append(.reuseRole(name: settings.roleName, arn: arn))
        } else {
            steps.append(.createRole(name: settings.roleName))
        }
        if observed.attachedPolicies.contains(IAMPolicyDocument.s3ReadOnly) {
            steps.append(.policyAttached(role: settings.roleName, policy: IAMPolicyDocument.s3ReadOnly))
        } else {
            steps.append(.attachPolicy(role: settings.roleName, policy: IAMPolicyDocument.s3ReadOnly))
        }
        guard let group = observed.securityGroup else { throw ClusterError.noDefaultVPC }
        if let cluster = observed.cluster {
            guard !["deleting", "final-snapshot", "hardware-failure", "incompatible-hsm", "incompatible-network",
                    "incompatible-parameters", "incompatible-restore", "storage-full"].contains(cluster.status) else {
                throw ClusterError.clusterBusy(identifier: cluster.identifier, status: cluster.status)
            }
            steps.append(.reuseCluster(identifier: cluster.identifier, status: cluster.status))
        } else {
            steps.append(.createCluster(identifier: settings.identifier, nodes: settings.numberOfNodes,
                                        nodeType: settings.nodeType, database: settings.databaseName,
                                        user: settings.masterUsername, port: settings.port, securityGroup: group))
        }
        if observed.cluster?.status != "available" { steps.append(.waitUntilAvailable(identifier: settings.identifier)) }
        let port = observed.cluster?.port ?? settings.port
        if let existing = observed.ingress.first(where: { $0.cidr == cidr && $0.port == port && $0.groupID == group }) {
            steps.append(.ingressExists(existing))
        } else {
            steps.append(.authorizeIngress(IngressRule(groupID: group, port: port, cidr: cidr,
                                                       description: settings.ingressDescription)))
        }
        steps.append(.writeConfig(path: configPath))
        if connect { steps.append(.testConnection) }
        return ClusterPlan(steps: steps, settings: settings)
    }

    /// The plan as `dwh cluster plan` prints it: `+` changes, `=` keeps, with a price line.
    public func render(prices: PriceTable?, region: String) -> String {
        var lines = steps.map { "\($0.marker) \($0.description)" }
        let creates = steps.contains { if case .createCluster = $0 { true } else { false } }
        lines += settings.choices.map { creates ? "  \($0)" : "  \($0) (applies when the cluster is created)" }
        if let prices, let hourly = prices.hourly(nodeType: settings.nodeType, nodes: settings.numberOfNodes) {
            var line = "estimated cost: \(String(format: "%.2f", hourly)) \(prices.currency) per hour "
                + "(\(settings.numberOfNodes) × \(settings.nodeType) on demand, prices of \(prices.asOf) in \(prices.region))"
            if region != prices.region { line += "; \(region) may differ" }
            lines.append(line)
        } else {
            lines.append("estimated cost: unknown for node type \(settings.nodeType) (not in the price table)")
        }
        return lines.joined(separator: "\n")
    }
}
