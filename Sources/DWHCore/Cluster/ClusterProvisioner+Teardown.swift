import Foundation

/// One thing `dwh cluster down` removes.
public enum TeardownStep: Sendable, Equatable {
    case revokeIngress(IngressRule)
    case deleteCluster(identifier: String, finalSnapshot: String?)
    case waitUntilGone(identifier: String)
    case detachPolicy(role: String, policy: String)
    case deleteRole(name: String)
    case clearConfig(path: String, keys: [String])

    public var description: String {
        switch self {
        case .revokeIngress(let rule): "revoke TCP \(rule.port) from \(rule.cidr) in security group \(rule.groupID)"
        case .deleteCluster(let id, let snapshot):
            "delete cluster \(id) " + (snapshot.map { "after a final snapshot \($0)" } ?? "without a final snapshot")
        case .waitUntilGone(let id): "wait until cluster \(id) is gone"
        case .detachPolicy(let role, let policy): "detach \(policy) from role \(role)"
        case .deleteRole(let name): "delete IAM role \(name)"
        case .clearConfig(let path, let keys): "clear \(keys.joined(separator: ", ")) in \(path)"
        }
    }
}

extension ClusterProvisioner {
    /// What `down` would remove: only dwh's own ingress rules, and config values that still
    /// point at what is being removed. Empty when nothing is left.
    public func teardownPlan(finalSnapshot: String?) throws -> [TeardownStep] {
        let observed = try observe()
        var steps: [TeardownStep] = observed.ingress
            .filter { $0.description == settings.ingressDescription }
            .map { .revokeIngress($0) }
        var clearedKeys: [String] = []
        if let cluster = observed.cluster {
            if cluster.status != "deleting" {
                steps.append(.deleteCluster(identifier: cluster.identifier, finalSnapshot: finalSnapshot))
            }
            steps.append(.waitUntilGone(identifier: cluster.identifier))
            if let host = cluster.host, config.value("CLUSTER", "HOST")?.value == host { clearedKeys.append("[CLUSTER] HOST") }
        }
        if let arn = observed.roleARN {
            steps += observed.attachedPolicies.map { .detachPolicy(role: settings.roleName, policy: $0) }
            steps.append(.deleteRole(name: settings.roleName))
            if config.value("IAM_ROLE", "ARN")?.value == arn { clearedKeys.append("[IAM_ROLE] ARN") }
        }
        if !clearedKeys.isEmpty { steps.append(.clearConfig(path: config.path, keys: clearedKeys)) }
        return steps
    }

    public func teardown(_ steps: [TeardownStep], waitTimeout: Int) throws {
        for step in steps {
            progress("- \(step.description)")
            switch step {
            case .revokeIngress(let rule):
                try client.revokeIngress(rule)
            case .deleteCluster(let identifier, let snapshot):
                try client.deleteCluster(identifier, finalSnapshot: snapshot)
            case .waitUntilGone(let identifier):
                try waitUntilGone(identifier, timeout: waitTimeout)
            case .detachPolicy(let role, let policy):
                try client.detachPolicy(policy, role: role)
            case .deleteRole(let name):
                try client.deleteRole(name)
            case .clearConfig(_, let keys):
                if keys.contains("[CLUSTER] HOST") { config.set("CLUSTER", "HOST", "") }
                if keys.contains("[IAM_ROLE] ARN") { config.set("IAM_ROLE", "ARN", "") }
                try config.save()
            }
        }
    }

    func waitUntilGone(_ identifier: String, timeout: Int) throws {
        let started = Date()
        while let cluster = try client.cluster(identifier) {
            let elapsed = Int(Date().timeIntervalSince(started))
            progress("  cluster \(identifier): \(cluster.status) after \(elapsed / 60)m\(String(format: "%02d", elapsed % 60))s")
            guard elapsed < timeout else {
                throw ClusterError.waitTimedOut(identifier: identifier, status: cluster.status, seconds: elapsed)
            }
            Thread.sleep(forTimeInterval: pollInterval)
        }
    }
}
