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
    /// What AWS reports of the safety choices (moto reports none of them): encryption, public
    /// access, and the Secrets Manager secret that holds a managed master password (its ARN
    /// only: dwh never reads the secret).
    public var encrypted: Bool?
    public var publiclyAccessible: Bool?
    public var masterPasswordSecretARN: String?

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
        encrypted = node.string("Encrypted").flatMap { Bool($0.lowercased()) }
        publiclyAccessible = node.string("PubliclyAccessible").flatMap { Bool($0.lowercased()) }
        masterPasswordSecretARN = node.string("MasterPasswordSecretArn")
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
    public var password: Password
    public var port: Int
    public var publiclyAccessible: Bool

    /// Who holds the master password.
    public enum Password: Sendable, Equatable {
        /// From dwh.cfg; sent to CreateCluster only.
        case given(String)
        /// Made by dwh (`MasterPassword`), as dwh.cfg names none; sent to CreateCluster, then
        /// shown once.
        case generated(String)
        /// Secrets Manager (`ManageMasterPassword=true`); dwh never sees it.
        case managed
    }

    /// The CreateCluster parameters, in the order they are sent; `Encrypted` is always true.
    public func parameters(roleARN: String, securityGroupID: String) -> [(String, String)] {
        var parameters: [(String, String)] = [
            ("ClusterIdentifier", identifier), ("ClusterType", clusterType),
            ("NodeType", nodeType), ("DBName", databaseName), ("MasterUsername", masterUsername),
        ]
        switch password {
        case .given(let secret), .generated(let secret): parameters.append(("MasterUserPassword", secret))
        case .managed: parameters.append(("ManageMasterPassword", "true"))
        }
        parameters += [
            ("Port", String(port)), ("IamRoles.IamRoleArn.1", roleARN), ("Encrypted", "true"),
            ("PubliclyAccessible", String(publiclyAccessible)), ("VpcSecurityGroupIds.VpcSecurityGroupId.1", securityGroupID),
        ]
        if clusterType == "multi-node" { parameters.append(("NumberOfNodes", String(numberOfNodes))) }
        return parameters
    }
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
        let document = try query(.redshift, "CreateCluster", spec.parameters(roleARN: roleARN, securityGroupID: securityGroupID))
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
