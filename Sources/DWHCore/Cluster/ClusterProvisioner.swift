import Foundation

/// Builds and removes the warehouse's AWS resources: observes what exists, plans, then acts.
/// Every step checks first, so running `up` again reuses and resumes.
public final class ClusterProvisioner {
    public let client: AWSClient
    public let settings: ClusterSettings
    public var config: ConfigFile
    /// Progress for the user (stderr): one line per step, and the waiting line.
    let progress: (String) -> Void
    /// Seconds between DescribeClusters calls while waiting.
    public var pollInterval: Double = 15
    /// `up --write-password`: a generated master password goes into `[CLUSTER] DB_PASSWORD`.
    public var writePassword = false
    /// The master password `up` made and sent to CreateCluster (`ClusterSettings.generatesPassword`),
    /// for the command to show once; nil when none was made in this run.
    public private(set) var generatedPassword: String?
    /// Called with that password as soon as CreateCluster has taken it, before the wait: a run
    /// stopped later has shown it already.
    public var passwordMade: ((String) -> Void)?

    public init(client: AWSClient, config: ConfigFile, progress: @escaping (String) -> Void) throws {
        self.client = client
        self.config = config
        self.settings = try ClusterSettings(config: config)
        self.progress = progress
    }

    /// Reads the current state; changes nothing.
    public func observe() throws -> ClusterObservation {
        var observed = ClusterObservation()
        observed.roleARN = try client.roleARN(settings.roleName)
        if observed.roleARN != nil { observed.attachedPolicies = try client.attachedPolicies(role: settings.roleName) }
        observed.cluster = try client.cluster(settings.identifier)
        if observed.cluster?.securityGroupIDs.isEmpty ?? true {
            observed.defaultSecurityGroup = try client.defaultSecurityGroup()
        }
        if let group = observed.securityGroup {
            observed.ingress = try client.ingressRules(group: group, port: observed.cluster?.port ?? settings.port)
        }
        return observed
    }

    public func plan(cidr: String, connect: Bool) throws -> ClusterPlan {
        try ClusterPlan.make(settings: settings, observed: observe(), cidr: cidr, configPath: config.path, connect: connect)
    }

    /// Carries out `plan`, step by step, reporting each.
    public func apply(_ plan: ClusterPlan, waitTimeout: Int) throws {
        var roleARN: String?
        var cluster: RedshiftCluster?
        for step in plan.steps {
            progress("\(step.marker) \(step.description)")
            switch step {
            case .createRole(let name):
                roleARN = try client.createRole(name, trustedService: "redshift.amazonaws.com",
                                                description: "Lets Redshift read S3 for dwh")
            case .reuseRole(_, let arn):
                roleARN = arn
            case .attachPolicy(let role, let policy):
                try client.attachPolicy(policy, role: role)
            case .policyAttached:
                break
            case .createCluster(_, _, _, _, _, _, let group):
                let spec = settings.spec(generated: MasterPassword.generate())
                if case .generated(let password) = spec.password { generatedPassword = password }
                cluster = try client.createCluster(spec, roleARN: roleARN ?? "", securityGroupID: group)
                if let generatedPassword { passwordMade?(generatedPassword) }
            case .reuseCluster:
                cluster = try client.cluster(settings.identifier)
            case .waitUntilAvailable(let identifier):
                cluster = try waitUntilAvailable(identifier, timeout: waitTimeout)
            case .authorizeIngress(let rule):
                try client.authorizeIngress(rule)
            case .ingressExists:
                break
            case .writeConfig:
                guard let cluster, let host = cluster.host else { throw ClusterError.noEndpoint(identifier: settings.identifier) }
                try writeConfig(host: host, port: cluster.port ?? settings.port, roleARN: roleARN ?? "")
            case .testConnection:
                try testConnection()
            }
        }
    }

    func waitUntilAvailable(_ identifier: String, timeout: Int) throws -> RedshiftCluster {
        let started = Date()
        var status = "unknown"
        while true {
            if let cluster = try client.cluster(identifier) {
                status = cluster.status
                if status == "available", cluster.host != nil { return cluster }
            } else {
                status = "missing"
            }
            let elapsed = Int(Date().timeIntervalSince(started))
            progress("  cluster \(identifier): \(status) after \(elapsed / 60)m\(String(format: "%02d", elapsed % 60))s")
            guard elapsed < timeout else { throw ClusterError.waitTimedOut(identifier: identifier, status: status, seconds: elapsed) }
            Thread.sleep(forTimeInterval: pollInterval)
        }
    }

    /// Connects as dwh.cfg `[CLUSTER]` now says (ignoring DWH_DATABASE_URL) and runs `SELECT 1`;
    /// with the password made in this run when dwh.cfg does not keep it.
    func testConnection() throws {
        var probe = config
        if let generatedPassword, (probe.value("CLUSTER", "DB_PASSWORD")?.value ?? "").isEmpty {
            probe.set("CLUSTER", "DB_PASSWORD", generatedPassword)
        }
        let session = try Session(target: DatabaseTarget.resolve(flag: nil, config: probe, environment: [:]))
        _ = try session.connection.execute("SELECT 1")
    }

    /// Records where the cluster is in dwh.cfg, keeping comments, order and mode. The
    /// `[CLUSTER]` credentials are filled from `[DWH]` only where they are missing.
    func writeConfig(host: String, port: Int, roleARN: String) throws {
        config.set("CLUSTER", "HOST", host)
        config.set("CLUSTER", "DB_PORT", String(port))
        for (key, value) in [("DB_NAME", settings.databaseName), ("DB_USER", settings.masterUsername),
                             ("DB_PASSWORD", settings.managePassword ? "" : settings.masterPassword
                                 ?? (writePassword ? generatedPassword ?? "" : ""))]
        where (config.value("CLUSTER", key)?.value ?? "").isEmpty && !value.isEmpty {
            config.set("CLUSTER", key, value)
        }
        config.set("IAM_ROLE", "ARN", roleARN)
        try config.save()
    }
}
