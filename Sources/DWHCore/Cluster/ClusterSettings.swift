import Foundation

/// The cluster `dwh cluster up` builds, from `[DWH]` in dwh.cfg, with the classic notebook's
/// defaults for what is left out.
public struct ClusterSettings: Sendable, Equatable {
    public var identifier = "dwhCluster"
    public var clusterType = "multi-node"
    public var nodeType = "dc2.large"
    public var numberOfNodes = 4
    public var databaseName = "dwh"
    public var masterUsername = "dwhuser"
    /// Needed to create the cluster; never printed.
    public var masterPassword: String?
    public var port = 5439
    public var roleName = "dwhRole"
    /// `[DWH] PUBLIC`: true by default, because the tour connects from this machine's address.
    public var publiclyAccessible = true
    /// `[DWH] MANAGE_PASSWORD`: Secrets Manager keeps the master password; dwh never sees it.
    public var managePassword = false

    public init() {}

    /// Reads `[DWH]`; a value that cannot be used is reported with its file and line.
    public init(config: ConfigFile?) throws {
        guard let config else { return }
        func text(_ key: String) -> String? {
            config.value("DWH", key).flatMap { $0.value.isEmpty ? nil : $0.value }
        }
        func number(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
            guard let found = config.value("DWH", key), !found.value.isEmpty else { return nil }
            guard let value = Int(found.value), range.contains(value) else {
                throw ClusterError.badSetting(file: config.path, line: found.line, key: key, value: found.value,
                                              expected: "a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return value
        }
        identifier = text("CLUSTER_IDENTIFIER") ?? identifier
        clusterType = text("CLUSTER_TYPE") ?? clusterType
        nodeType = text("NODE_TYPE") ?? nodeType
        numberOfNodes = try number("NUM_NODES", in: 1...128) ?? numberOfNodes
        databaseName = text("DB_NAME") ?? databaseName
        masterUsername = text("DB_USER") ?? masterUsername
        masterPassword = text("DB_PASSWORD")
        port = try number("PORT", in: 1150...65535) ?? port
        roleName = text("IAM_ROLE_NAME") ?? roleName

        func flag(_ key: String) throws -> Bool? {
            guard let found = config.value("DWH", key), !found.value.isEmpty else { return nil }
            switch found.value.lowercased() {
            case "true": return true
            case "false": return false
            default:
                throw ClusterError.badSetting(file: config.path, line: found.line, key: key, value: found.value,
                                              expected: "true or false")
            }
        }
        publiclyAccessible = try flag("PUBLIC") ?? publiclyAccessible
        managePassword = try flag("MANAGE_PASSWORD") ?? managePassword

        if let found = config.value("DWH", "CLUSTER_TYPE"), !["single-node", "multi-node"].contains(clusterType) {
            throw ClusterError.badSetting(file: config.path, line: found.line, key: "CLUSTER_TYPE", value: clusterType,
                                          expected: "single-node or multi-node")
        }
        if clusterType == "single-node" { numberOfNodes = 1 }
        if clusterType == "multi-node" && numberOfNodes < 2, let found = config.value("DWH", "NUM_NODES") {
            throw ClusterError.badSetting(file: config.path, line: found.line, key: "NUM_NODES", value: found.value,
                                          expected: "at least 2 for a multi-node cluster (or CLUSTER_TYPE=single-node)")
        }
    }

    /// Whether `up` makes the master password: dwh.cfg names none, and Secrets Manager
    /// does not keep it.
    public var generatesPassword: Bool { !managePassword && masterPassword == nil }

    /// What CreateCluster needs; `generated` is the password when `generatesPassword`.
    public func spec(generated: @autoclosure () -> String) -> ClusterSpec {
        let password: ClusterSpec.Password
        if managePassword {
            password = .managed
        } else if let masterPassword {
            password = .given(masterPassword)
        } else {
            password = .generated(generated())
        }
        return ClusterSpec(identifier: identifier, clusterType: clusterType, nodeType: nodeType,
                           numberOfNodes: numberOfNodes, databaseName: databaseName, masterUsername: masterUsername,
                           password: password, port: port, publiclyAccessible: publiclyAccessible)
    }

    /// The safety choices `dwh cluster plan` states: encryption, public access, master password.
    public var choices: [String] {
        var lines = ["encryption: on (Encrypted=true, AWS-managed key)"]
        lines.append(publiclyAccessible
            ? "public access: on ([DWH] PUBLIC, default true: dwh and the tour connect from this machine's address, "
                + "limited to the ingress rule below)"
            : "public access: off ([DWH] PUBLIC = false): reachable only from inside the VPC, "
                + "so the connection test and the tour from this machine will not reach it")
        if managePassword {
            lines.append("master password: managed by Secrets Manager ([DWH] MANAGE_PASSWORD = true); dwh never fetches it "
                + "(connect with [CLUSTER] AUTH = iam)")
        } else if !generatesPassword {
            lines.append("master password: [DWH] DB_PASSWORD from dwh.cfg, sent only to CreateCluster and never printed "
                + "(set MANAGE_PASSWORD = true to let Secrets Manager keep it)")
        } else {
            lines.append("master password: generated by `up` (32 letters and digits), printed once when the cluster is "
                + "created and written to dwh.cfg only with `up --write-password` (or set [DWH] DB_PASSWORD, "
                + "or MANAGE_PASSWORD = true)")
        }
        return lines
    }

    /// Marks the ingress rules dwh adds, so that `down` removes those and no others.
    public var ingressDescription: String { "dwh-\(identifier)" }
}

/// Redshift on-demand prices from the dated table in Resources/aws/redshift-prices.json.
public struct PriceTable: Sendable, Decodable {
    public var asOf: String
    public var source: String
    public var region: String
    public var currency: String
    public var nodeTypes: [String: Double]

    enum CodingKeys: String, CodingKey {
        case asOf = "as_of", source, region, currency, nodeTypes = "node_types"
    }

    public static func bundled() throws -> PriceTable {
        guard let data = EmbeddedResource.data("aws/redshift-prices.json") else { throw CocoaError(.fileNoSuchFile) }
        return try JSONDecoder().decode(PriceTable.self, from: data)
    }

    /// Nodes × hourly node price, or nil for a node type the table does not know.
    public func hourly(nodeType: String, nodes: Int) -> Double? {
        nodeTypes[nodeType].map { $0 * Double(nodes) }
    }
}
