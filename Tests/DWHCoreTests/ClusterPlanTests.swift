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

    private func plan(for status: String?) throws -> ClusterPlan {
        try ClusterPlan.make(settings: settings, observed: status.map { ClusterObservation(cluster: cluster(status: $0)) } ?? ClusterObservation(),
                             cidr: "203.0.113.9/32", configPath: "dwh.cfg", connect: false)
    }

    func testACreatingClusterIsWaitedFor() throws {
        XCTAssertTrue(try plan(for: "creating").steps.contains(.waitUntilAvailable(identifier: "dwhCluster")))
    }

    func testADeletingClusterStopsThePlan() {
        XCTAssertThrowsError(try plan(for: "deleting")) {
            XCTAssertTrue("\($0)".contains("cluster dwhCluster is deleting"), "\($0)")
        }
    }

    func testNoClusterAndNoDefaultVPCStopsThePlan() {
        XCTAssertThrowsError(try plan(for: nil)) {
            XCTAssertTrue("\($0)".contains("no default VPC"), "\($0)")
        }
    }

    private func renderedPlan() throws -> (text: String, prices: PriceTable) {
        let plan = try ClusterPlan.make(settings: settings, observed: ClusterObservation(defaultSecurityGroup: "sg-default"),
                                        cidr: "203.0.113.9/32", configPath: "dwh.cfg", connect: true)
        let prices = try PriceTable.bundled()
        return (plan.render(prices: prices, region: "eu-west-1"), prices)
    }

    func testRenderedPlanMarksEachStep() throws {
        let text = try renderedPlan().text
        XCTAssertTrue(text.contains("+ create cluster dwhCluster: 4 × dc2.large"), text)
        XCTAssertTrue(text.contains("> wait until cluster dwhCluster is available"), text)
    }

    func testRenderedPlanGivesTheDatedPrice() throws {
        let (text, prices) = try renderedPlan()
        XCTAssertTrue(text.contains("estimated cost: 1.00 USD per hour (4 × dc2.large on demand, prices of \(prices.asOf) in us-west-2); eu-west-1 may differ"), text)
    }

    func testRenderedPlanHidesThePassword() throws {
        XCTAssertFalse(try renderedPlan().text.contains("Secret123"))
    }

    func testEmptySettingsGiveTheDefaultIdentifier() throws {
        let defaults = try ClusterSettings(config: ConfigFile(path: "dwh.cfg", text: "[DWH]\n"))
        XCTAssertEqual(defaults.identifier, "dwhCluster")
    }

    func testEmptySettingsGiveAGeneratedPassword() throws {
        let defaults = try ClusterSettings(config: ConfigFile(path: "dwh.cfg", text: "[DWH]\n"))
        XCTAssertTrue(defaults.generatesPassword)
        let sent = defaults.spec(generated: "Made1here").parameters(roleARN: "r", securityGroupID: "sg")
        XCTAssertTrue(sent.contains { $0 == ("MasterUserPassword", "Made1here") })
        XCTAssertTrue(try renderedPlan(defaults).contains("master password: generated by `up`"))
    }

    /// Redshift's rules: 8 to 64 characters, an upper-case letter, a lower-case letter and a
    /// digit; none of ' " \\ / @ or space (dwh uses letters and digits alone). Never the same twice.
    func testAGeneratedPasswordKeepsRedshiftsRules() {
        var seen = Set<String>()
        for _ in 0..<200 {
            let password = MasterPassword.generate()
            XCTAssertEqual(password.count, 32)
            XCTAssertTrue(password.contains(where: \.isUppercase) && password.contains(where: \.isLowercase)
                          && password.contains(where: \.isNumber), password)
            XCTAssertTrue(password.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }, password)
            seen.insert(password)
        }
        XCTAssertEqual(seen.count, 200)
        XCTAssertEqual(MasterPassword.generate(length: 3).count, 8, "never shorter than Redshift takes")
    }

    func testASingleNodeClusterHasOneNodeWhateverNumNodesSays() throws {
        let single = try ClusterSettings(config: ConfigFile(path: "dwh.cfg", text: "[DWH]\nCLUSTER_TYPE=single-node\nNUM_NODES=4\n"))
        XCTAssertEqual(single.numberOfNodes, 1)
    }

    func testABadNodeCountNamesTheLine() {
        XCTAssertThrowsError(try ClusterSettings(config: ConfigFile(path: "dwh.cfg", text: "# c\n[DWH]\nNUM_NODES=four\n"))) {
            XCTAssertEqual("\($0)", "dwh.cfg:3: [DWH] NUM_NODES = four is not usable; expected a whole number from 1 to 128")
        }
    }

    func testAnUnknownClusterTypeIsRefused() {
        XCTAssertThrowsError(try ClusterSettings(config: ConfigFile(path: "dwh.cfg", text: "[DWH]\nCLUSTER_TYPE=huge\n")))
    }

    func testOnlyAnAddressWithAPrefixLengthIsACIDR() throws {
        XCTAssertEqual(try PublicAddress.validateCIDR("10.0.0.1/32"), "10.0.0.1/32")
        for bad in ["10.0.0.1", "10.0.0.256/32", "10.0.0.1/33", "a.b.c.d/1"] {
            XCTAssertThrowsError(try PublicAddress.validateCIDR(bad), bad)
        }
    }

    func testCreateClusterIsEncryptedAndPublicByDefaultWithTheGivenPassword() throws {
        let spec = settings.spec(generated: "unused")
        let sent = spec.parameters(roleARN: "arn:aws:iam::1:role/dwhRole", securityGroupID: "sg-default").map { "\($0)=\($1)" }
        XCTAssertEqual(sent, [
            "ClusterIdentifier=dwhCluster", "ClusterType=multi-node", "NodeType=dc2.large", "DBName=dwh",
            "MasterUsername=dwhuser", "MasterUserPassword=Secret123", "Port=5439", "IamRoles.IamRoleArn.1=arn:aws:iam::1:role/dwhRole",
            "Encrypted=true", "PubliclyAccessible=true", "VpcSecurityGroupIds.VpcSecurityGroupId.1=sg-default", "NumberOfNodes=4",
        ])
    }

    private func saferSettings() throws -> ClusterSettings {
        try ClusterSettings(config: ConfigFile(path: "dwh.cfg", text: """
            [DWH]
            PUBLIC = false
            MANAGE_PASSWORD = TRUE
            DB_PASSWORD=Secret123
            """))
    }

    private func renderedPlan(_ settings: ClusterSettings) throws -> String {
        try ClusterPlan.make(settings: settings, observed: ClusterObservation(defaultSecurityGroup: "sg-default"),
                             cidr: "203.0.113.9/32", configPath: "dwh.cfg", connect: false).render(prices: nil, region: "us-west-2")
    }

    func testPublicFalseSendsAClusterThatIsNotPubliclyAccessibleButEncrypted() throws {
        let sent = try saferSettings().spec(generated: "unused").parameters(roleARN: "r", securityGroupID: "sg")
        XCTAssertTrue(sent.contains { $0 == ("PubliclyAccessible", "false") })
        XCTAssertTrue(sent.contains { $0 == ("Encrypted", "true") })
    }

    func testAManagedPasswordIsAskedOfRedshift() throws {
        let sent = try saferSettings().spec(generated: "unused").parameters(roleARN: "r", securityGroupID: "sg")
        XCTAssertTrue(sent.contains { $0 == ("ManageMasterPassword", "true") })
    }

    func testAManagedPasswordSendsNoPassword() throws {
        let sent = try saferSettings().spec(generated: "unused").parameters(roleARN: "r", securityGroupID: "sg")
        XCTAssertFalse(sent.map(\.0).contains("MasterUserPassword"))
        XCTAssertFalse(sent.contains { $0.1.contains("Secret123") })
    }

    func testAManagedPasswordNeedsNoDBPassword() throws {
        let noPassword = try ClusterSettings(config: ConfigFile(path: "dwh.cfg", text: "[DWH]\nMANAGE_PASSWORD=true\n"))
        XCTAssertFalse(noPassword.generatesPassword, "Secrets Manager needs no DB_PASSWORD, and none is made")
        XCTAssertEqual(noPassword.spec(generated: "unused").password, .managed)
    }

    func testThePlanSaysEncryptionIsOn() throws {
        let text = try renderedPlan(saferSettings())
        XCTAssertTrue(text.contains("  encryption: on (Encrypted=true"), text)
    }

    func testThePlanSaysPublicAccessIsOffWhenPublicIsFalse() throws {
        let text = try renderedPlan(saferSettings())
        XCTAssertTrue(text.contains("  public access: off ([DWH] PUBLIC = false)"), text)
    }

    func testThePlanSaysAManagedPasswordIsManaged() throws {
        let text = try renderedPlan(saferSettings())
        XCTAssertTrue(text.contains("  master password: managed by Secrets Manager"), text)
    }

    func testThePlanHidesTheGivenPasswordWhenItIsManaged() throws {
        let text = try renderedPlan(saferSettings())
        XCTAssertFalse(text.contains("Secret123"), text)
    }

    func testThePlanSaysWhereItsDefaultsComeFrom() throws {
        let defaults = try renderedPlan(settings)
        XCTAssertTrue(defaults.contains("  public access: on ([DWH] PUBLIC, default true: dwh and the tour connect"), defaults)
        XCTAssertTrue(defaults.contains("  master password: [DWH] DB_PASSWORD from dwh.cfg"), defaults)
    }

    func testBadPublicOrManagePasswordNamesFileLineAndKey() throws {
        XCTAssertThrowsError(try ClusterSettings(config: ConfigFile(path: "dwh.cfg", text: "[DWH]\n\nPUBLIC=yes\n"))) {
            XCTAssertEqual("\($0)", "dwh.cfg:3: [DWH] PUBLIC = yes is not usable; expected true or false")
        }
        XCTAssertThrowsError(try ClusterSettings(config: ConfigFile(path: "dwh.cfg", text: "[DWH]\nMANAGE_PASSWORD=1\n"))) {
            XCTAssertEqual("\($0)", "dwh.cfg:2: [DWH] MANAGE_PASSWORD = 1 is not usable; expected true or false")
        }
    }
}
