import Foundation

/// A Redshift cluster as DescribeClusters reports it.
public struct RedshiftCluster: Sendable, Equatable, Codable {
    public var identifier: String
    public var status: String
    public var nodeType: String
    public var numberOfNodes: Int
    public var databaseName: String?
    public var masterUsername: String?
    public var host: String?
    public var port: Int?
    public var securityGroupIDs: [String]
    public var roleARNs: [String]

    init(_ node: XMLNode) {
        identifier = node.string("ClusterIdentifier") ?? ""
        status = node.string("ClusterStatus") ?? "unknown"
        nodeType = node.string("NodeType") ?? ""
        numberOfNodes = node.string("NumberOfNodes").flatMap(Int.init) ?? 1
        databaseName = node.string("DBName")
        masterUsername = node.string("MasterUsername")
        host = node.string("Endpoint", "Address")
        port = node.string("Endpoint", "Port").flatMap(Int.init)
        securityGroupIDs = node.child("VpcSecurityGroups")?.descendants("VpcSecurityGroupId").map(\.text) ?? []
        roleARNs = node.child("IamRoles")?.descendants("IamRoleArn").map(\.text) ?? []
    }
}

/// What CreateCluster needs.
public struct ClusterSpec: Sendable, Equatable {
    public var identifier: String
    public var clusterType: String
    public var nodeType: String
    public var numberOfNodes: Int
    public var databaseName: String
    public var masterUsername: String
    public var masterPassword: String
    public var port: Int
}

extension AWSClient {
    /// The cluster, or nil when it does not exist (or is already gone).
    public func cluster(_ identifier: String) throws -> RedshiftCluster? {
        do {
            let document = try query(.redshift, "DescribeClusters", [("ClusterIdentifier", identifier)])
            return document.descendants("Cluster").first.map(RedshiftCluster.init)
        } catch let error as AWSError where error.code == "ClusterNotFound" {
            return nil
        }
    }

    public func createCluster(_ spec: ClusterSpec, roleARN: String, securityGroupID: String) throws -> RedshiftCluster {
        var parameters: [(String, String)] = [
            ("ClusterIdentifier", spec.identifier), ("ClusterType", spec.clusterType),
            ("NodeType", spec.nodeType), ("DBName", spec.databaseName),
            ("MasterUsername", spec.masterUsername), ("MasterUserPassword", spec.masterPassword),
            ("Port", String(spec.port)), ("IamRoles.IamRoleArn.1", roleARN),
            ("PubliclyAccessible", "true"), ("VpcSecurityGroupIds.VpcSecurityGroupId.1", securityGroupID),
        ]
        if spec.clusterType == "multi-node" { parameters.append(("NumberOfNodes", String(spec.numberOfNodes))) }
        let document = try query(.redshift, "CreateCluster", parameters)
        guard let node = document.descendants("Cluster").first else {
            throw AWSError.unreadableResponse(service: "redshift", action: "CreateCluster", status: 200)
        }
        return RedshiftCluster(node)
    }

    /// Starts deleting the cluster, with a final snapshot when a name is given.
    public func deleteCluster(_ identifier: String, finalSnapshot: String?) throws {
        var parameters = [("ClusterIdentifier", identifier)]
        if let finalSnapshot {
            parameters.append(("FinalClusterSnapshotIdentifier", finalSnapshot))
            parameters.append(("SkipFinalClusterSnapshot", "false"))
        } else {
            parameters.append(("SkipFinalClusterSnapshot", "true"))
        }
        try query(.redshift, "DeleteCluster", parameters)
    }
}

extension AWSClient {
    /// A temporary database user and password from `redshift:GetClusterCredentials`. The
    /// response is read here and never logged: `--verbose` shows only the call.
    public func clusterCredentials(_ auth: ClusterAuth) throws -> ClusterCredentials {
        let document = try query(.redshift, "GetClusterCredentials", auth.parameters)
        guard let user = document.descendants("DbUser").first?.text,
              let password = document.descendants("DbPassword").first?.text,
              let expiration = document.descendants("Expiration").first.flatMap({ ClusterCredentials.date($0.text) }) else {
            throw AWSError.unreadableResponse(service: "redshift", action: "GetClusterCredentials", status: 200)
        }
        return ClusterCredentials(user: user, password: password, expiration: expiration)
    }
}
