@testable import DWHCore
import TestSupport
import XCTest

/// The plan `dwh cluster up` follows, decided from settings and what exists.
final class ClusterPlanTests: XCTestCase {
    var settings: ClusterSettings!

    override func setUpWithError() throws {
        settings = try ClusterSettings(config: ConfigFile(path: "dwh.cfg", text: """
            [DWH]
            CLUSTER_IDENTIFIER=dwhCluster
            NUM_NODES=4
            DB_PASSWORD=Secret123
            """))
    }

    func cluster(status: String) -> RedshiftCluster {
        RedshiftCluster(XMLNode(name: "Cluster", text: "", children: [
            XMLNode(name: "ClusterIdentifier", text: "dwhCluster", children: []),
            XMLNode(name: "ClusterStatus", text: status, children: []),
            XMLNode(name: "Endpoint", text: "", children: [XMLNode(name: "Address", text: "h", children: []),
                                                           XMLNode(name: "Port", text: "5439", children: [])]),
            XMLNode(name: "VpcSecurityGroups", text: "", children: [XMLNode(name: "VpcSecurityGroup", text: "", children: [
                XMLNode(name: "VpcSecurityGroupId", text: "sg-cluster", children: [])])]),
        ]))
    }

    func testNothingExistsSoEverythingIsCreated() throws {
        let plan = try ClusterPlan.make(settings: settings, observed: ClusterObservation(defaultSecurityGroup: "sg-default"),
                                        cidr: "203.0.113.9/32", configPath: "dwh.cfg", connect: true)
        XCTAssertEqual(plan.steps, [
            .createRole(name: "dwhRole"),
            .attachPolicy(role: "dwhRole", policy: "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"),
            .createCluster(identifier: "dwhCluster", nodes: 4, nodeType: "dc2.large", database: "dwh", user: "dwhuser", port: 5439,
                           securityGroup: "sg-default"),
            .waitUntilAvailable(identifier: "dwhCluster"),
            .authorizeIngress(IngressRule(groupID: "sg-default", port: 5439, cidr: "203.0.113.9/32", description: "dwh-dwhCluster")),
            .writeConfig(path: "dwh.cfg"),
            .testConnection,
        ])
    }

    func testEverythingExistsSoEverythingIsReused() throws {
        let rule = IngressRule(groupID: "sg-cluster", port: 5439, cidr: "203.0.113.9/32", description: nil)
        let observed = ClusterObservation(roleARN: "arn:aws:iam::1:role/dwhRole", attachedPolicies: [IAMPolicyDocument.s3ReadOnly],
                                          cluster: cluster(status: "available"), ingress: [rule])
        let plan = try ClusterPlan.make(settings: settings, observed: observed, cidr: "203.0.113.9/32", configPath: "dwh.cfg", connect: false)
        XCTAssertEqual(plan.steps, [
            .reuseRole(name: "dwhRole", arn: "arn:aws:iam::1:role/dwhRole"),
            .policyAttached(role: "dwhRole", policy: IAMPolicyDocument.s3ReadOnly),
            .reuseCluster(identifier: "dwhCluster", status: "available"),
            .ingressExists(rule),
            .writeConfig(path: "dwh.cfg"),
        ])
        XCTAssertEqual(plan.steps.filter(\.changes), [.writeConfig(path: "dwh.cfg")])
    }

    func testACreatingClusterIsWaitedForAndADeletingOneStopsThePlan() throws {
        let creating = try ClusterPlan.make(settings: settings, observed: ClusterObservation(cluster: cluster(status: "creating")),
                                            cidr: "203.0.113.9/32", configPath: "dwh.cfg", connect: false)
        XCTAssertTrue(creating.steps.contains(.waitUntilAvailable(identifier: "dwhCluster")))
        XCTAssertThrowsError(try ClusterPlan.make(settings: settings, observed: ClusterObservation(cluster: cluster(status: "deleting")),
                                                  cidr: "203.0.113.9/32", configPath: "dwh.cfg", connect: false)) {
            XCTAssertTrue("\($0)".contains("cluster dwhCluster is deleting"), "\($0)")
        }
        XCTAssertThrowsError(try ClusterPlan.make(settings: settings, observed: ClusterObservation(), cidr: "203.0.113.9/32",
                                                  configPath: "dwh.cfg", connect: false)) {
            XCTAssertTrue("\($0)".contains("no default VPC"), "\($0)")
        }
    }

    func testRenderedPlanHasMarkersAndTheDatedPrice() throws {
        let plan = try ClusterPlan.make(settings: settings, observed: ClusterObservation(defaultSecurityGroup: "sg-default"),
                                        cidr: "203.0.113.9/32", configPath: "dwh.cfg", connect: true)
        let prices = try PriceTable.bundled()
        let text = plan.render(prices: prices, region: "eu-west-1")
        XCTAssertTrue(text.contains("+ create cluster dwhCluster: 4 × dc2.large"), text)
        XCTAssertTrue(text.contains("> wait until cluster dwhCluster is available"), text)
        XCTAssertTrue(text.contains("estimated cost: 1.00 USD per hour (4 × dc2.large on demand, prices of \(prices.asOf) in us-west-2); eu-west-1 may differ"), text)
        XCTAssertFalse(text.contains("Secret123"))
    }

    func testSettingsDefaultsAndBadValuesNameTheLine() throws {
        let defaults = try ClusterSettings(config: ConfigFile(path: "dwh.cfg", text: "[DWH]\n"))
        XCTAssertEqual(defaults.identifier, "dwhCluster")
        XCTAssertThrowsError(try defaults.spec(configPath: "dwh.cfg")) { XCTAssertTrue("\($0)".contains("DB_PASSWORD"), "\($0)") }

        let single = try ClusterSettings(config: ConfigFile(path: "dwh.cfg", text: "[DWH]\nCLUSTER_TYPE=single-node\nNUM_NODES=4\n"))
        XCTAssertEqual(single.numberOfNodes, 1)

        XCTAssertThrowsError(try ClusterSettings(config: ConfigFile(path: "dwh.cfg", text: "# c\n[DWH]\nNUM_NODES=four\n"))) {
            XCTAssertEqual("\($0)", "dwh.cfg:3: [DWH] NUM_NODES = four is not usable; expected a whole number from 1 to 128")
        }
        XCTAssertThrowsError(try ClusterSettings(config: ConfigFile(path: "dwh.cfg", text: "[DWH]\nCLUSTER_TYPE=huge\n")))
        XCTAssertEqual(try PublicAddress.validateCIDR("10.0.0.1/32"), "10.0.0.1/32")
        for bad in ["10.0.0.1", "10.0.0.256/32", "10.0.0.1/33", "a.b.c.d/1"] {
            XCTAssertThrowsError(try PublicAddress.validateCIDR(bad), bad)
        }
    }
}
