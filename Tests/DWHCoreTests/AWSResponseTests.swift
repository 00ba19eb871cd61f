@testable import DWHCore
import TestSupport
import XCTest

/// Reading AWS's XML answers and turning errors into sentences.
final class AWSResponseTests: XCTestCase {
    func testDescribeClustersIsReadIntoACluster() throws {
        let xml = """
        <DescribeClustersResponse xmlns="http://redshift.amazonaws.com/doc/2012-12-01/"><DescribeClustersResult><Clusters><Cluster>
        <ClusterIdentifier>dwhCluster</ClusterIdentifier><NodeType>dc2.large</NodeType><ClusterStatus>available</ClusterStatus>
        <MasterUsername>dwhuser</MasterUsername><DBName>dwh</DBName>
        <Endpoint><Address>dwhcluster.abc.us-west-2.redshift.amazonaws.com</Address><Port>5439</Port></Endpoint>
        <VpcSecurityGroups><VpcSecurityGroup><VpcSecurityGroupId>sg-123</VpcSecurityGroupId><Status>active</Status></VpcSecurityGroup></VpcSecurityGroups>
        <NumberOfNodes>4</NumberOfNodes>
        <IamRoles><ClusterIamRole><IamRoleArn>arn:aws:iam::1:role/dwhRole</IamRoleArn></ClusterIamRole></IamRoles>
        </Cluster></Clusters></DescribeClustersResult></DescribeClustersResponse>
        """
        let document = try XCTUnwrap(XMLNode.parse(Array(xml.utf8)))
        let cluster = RedshiftCluster(try XCTUnwrap(document.descendants("Cluster").first))
        XCTAssertEqual(cluster.identifier, "dwhCluster")
        XCTAssertEqual(cluster.status, "available")
        XCTAssertEqual(cluster.numberOfNodes, 4)
        XCTAssertEqual(cluster.host, "dwhcluster.abc.us-west-2.redshift.amazonaws.com")
        XCTAssertEqual(cluster.port, 5439)
        XCTAssertEqual(cluster.securityGroupIDs, ["sg-123"])
        XCTAssertEqual(cluster.roleARNs, ["arn:aws:iam::1:role/dwhRole"])
        XCTAssertNil(cluster.encrypted, "not reported, not guessed")
        XCTAssertNil(cluster.masterPasswordSecretARN)
    }

    /// What AWS reports of a cluster made with ManageMasterPassword (moto reports none of it).
    func testAManagedPasswordsSecretEncryptionAndPublicAccessAreShownInStatus() throws {
        let xml = """
        <DescribeClustersResponse><DescribeClustersResult><Clusters><Cluster>
        <ClusterIdentifier>dwhCluster</ClusterIdentifier><NodeType>ra3.xlplus</NodeType><ClusterStatus>available</ClusterStatus>
        <NumberOfNodes>2</NumberOfNodes><Encrypted>true</Encrypted><PubliclyAccessible>false</PubliclyAccessible>
        <MasterPasswordSecretArn>arn:aws:secretsmanager:us-west-2:1:secret:redshift!dwhCluster-dwhuser-AbCdEf</MasterPasswordSecretArn>
        </Cluster></Clusters></DescribeClustersResult></DescribeClustersResponse>
        """
        let cluster = RedshiftCluster(try XCTUnwrap(XMLNode.parse(Array(xml.utf8))?.descendants("Cluster").first))
        XCTAssertEqual(cluster.encrypted, true)
        XCTAssertEqual(cluster.publiclyAccessible, false)
        XCTAssertEqual(cluster.masterPasswordSecretARN, "arn:aws:secretsmanager:us-west-2:1:secret:redshift!dwhCluster-dwhuser-AbCdEf")
        let status = ClusterStatus(clusterIdentifier: "dwhCluster", cluster: cluster, roleName: "dwhRole", roleARN: nil,
                                   rolePolicies: [], ingress: [])
        XCTAssertTrue(status.text.hasSuffix("\nsafety   encrypted, not publicly accessible, master password in Secrets Manager: "
                                            + "arn:aws:secretsmanager:us-west-2:1:secret:redshift!dwhCluster-dwhuser-AbCdEf"), status.text)
        let json = String(decoding: try JSONEncoder().encode(status), as: UTF8.self)
        XCTAssertTrue(json.contains("\"masterPasswordSecretARN\""), json)
    }

    func testListObjectsPageCarriesObjectsPrefixesAndTheNextToken() throws {
        let xml = """
        <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><IsTruncated>true</IsTruncated>
        <Contents><Key>log_data/a b.json</Key><LastModified>2019-04-11T20:22:12.000Z</LastModified><ETag>"abc123"</ETag><Size>7</Size></Contents>
        <CommonPrefixes><Prefix>log_data/2018/</Prefix></CommonPrefixes>
        <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken></ListBucketResult>
        """
        let page = S3ListPage(try XCTUnwrap(XMLNode.parse(Array(xml.utf8))))
        XCTAssertEqual(page.objects, [S3Object(key: "log_data/a b.json", size: 7, etag: "abc123", lastModified: "2019-04-11T20:22:12.000Z")])
        XCTAssertEqual(page.commonPrefixes, ["log_data/2018/"])
        XCTAssertEqual(page.continuationToken, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=")
    }

    func testTheLastListObjectsPageHasNoToken() throws {
        let last = S3ListPage(try XCTUnwrap(XMLNode.parse(Array("<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>".utf8))))
        XCTAssertNil(last.continuationToken)
    }

    func testAQueryAPIErrorGivesTheCodeTheCallAndTheNextStep() {
        let query = #"<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error></ErrorResponse>"#
        let error = AWSError.from(body: Array(query.utf8), status: 403, service: "iam", action: "GetRole",
                                  credentialSource: "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY")
        XCTAssertEqual(error.code, "InvalidClientTokenId")
        XCTAssertTrue(error.description.contains("AWS iam GetRole failed with InvalidClientTokenId (HTTP 403)"), error.description)
        XCTAssertTrue(error.description.contains("AWS does not know the access key (or session token): check AWS_ACCESS_KEY_ID"), error.description)
    }

    /// A Query call's error names what it was about, from the parameters that name things,
    /// never from the others (CreateCluster's carry the master password).
    func testAQueryCallIsNamedOnlyByTheParametersThatNameThings() {
        XCTAssertEqual(AWSClient.resource(of: [("ClusterIdentifier", "dwhcluster"), ("DbUser", "dwhuser"), ("DbName", "dwh"),
                                               ("DurationSeconds", "900")]),
                       "cluster dwhcluster, database user dwhuser, database dwh")
        XCTAssertEqual(AWSClient.resource(of: [("RoleName", "dwhRole"), ("PolicyArn", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")]),
                       "role dwhRole, policy arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
        XCTAssertEqual(AWSClient.resource(of: [("GroupId", "sg-1"), ("IpPermissions.1.FromPort", "5439")]), "security group sg-1")
        XCTAssertEqual(AWSClient.resource(of: [("ClusterIdentifier", "c"), ("MasterUsername", "admin"), ("MasterUserPassword", "Pa55word")]),
                       "cluster c")
        XCTAssertNil(AWSClient.resource(of: [("Filter.1.Name", "isDefault"), ("Filter.1.Value.1", "true")]))
    }

    func testAnErrorOfACallAboutAClusterNamesIt() {
        let error = AWSError.from(body: Array(#"<ErrorResponse><Error><Code>ClusterNotFound</Code><Message>Cluster c not found.</Message></Error></ErrorResponse>"#.utf8),
                                  status: 404, service: "redshift", action: "DescribeClusters", credentialSource: "s")
        XCTAssertTrue(error.about("cluster dwhcluster").description.hasPrefix("AWS redshift DescribeClusters on cluster dwhcluster failed with ClusterNotFound"),
                      error.about("cluster dwhcluster").description)
    }

    func testAnEC2ErrorDocumentGivesTheCode() {
        let ec2 = #"<Response><Errors><Error><Code>AuthFailure</Code><Message>AWS was not able to validate</Message></Error></Errors></Response>"#
        XCTAssertEqual(AWSError.from(body: Array(ec2.utf8), status: 401, service: "ec2", action: "X", credentialSource: "s").code, "AuthFailure")
    }

    func testAnS3ErrorDocumentGivesTheNextStep() {
        let s3 = #"<?xml version="1.0"?><Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>"#
        let bucket = AWSError.from(body: Array(s3.utf8), status: 404, service: "s3", action: "ListObjectsV2", credentialSource: "s")
        XCTAssertTrue(bucket.description.contains("check the bucket name and the region"), bucket.description)
    }

    func testABodyThatIsNotAnErrorDocumentGivesTheHTTPStatusAsTheCode() {
        let html = AWSError.from(body: Array("<html>bad gateway".utf8), status: 502, service: "s3", action: "GetObject", credentialSource: "s")
        XCTAssertEqual(html.code, "HTTP502")
    }

    func testS3TimestampsBecomeTheManifestsMicroseconds() {
        XCTAssertEqual(S3LoadSource.micros("2019-04-11T20:22:12.000Z"), 1_555_014_132_000_000)
        XCTAssertEqual(S3LoadSource.micros("2019-04-11T20:22:12.250Z"), 1_555_014_132_250_000)
        XCTAssertEqual(S3LoadSource.micros("2019-04-11T20:22:12Z"), 1_555_014_132_000_000)
        XCTAssertEqual(S3LoadSource.micros("2019-04-11T20:22:12.123456789Z"), 1_555_014_132_123_456)
    }

    /// Read by hand, checked against Foundation's calendar on leap days, year ends and the
    /// epoch.
    func testS3TimestampsAgreeWithFoundation() {
        let formatter = ISO8601DateFormatter()
        for text in ["1970-01-01T00:00:00Z", "2000-02-29T23:59:59Z", "2018-11-30T12:00:00Z", "2024-02-29T00:00:01Z",
                     "2100-03-01T00:00:00Z", "1969-12-31T23:59:59Z", "2026-12-31T23:59:59Z"] {
            let expected = Int64((formatter.date(from: text)?.timeIntervalSince1970 ?? -1) * 1_000_000)
            XCTAssertEqual(S3LoadSource.micros(text), expected, text)
        }
    }

    /// What is not S3's shape is 0, as before.
    func testTextThatIsNotAnS3TimestampIsZero() {
        for text in ["", "2019-04-11", "2019-04-11 20:22:12Z", "2019-13-11T20:22:12Z", "2019-04-11T20:22:12.Z",
                     "2019-04-11T20:22:12+01:00", "２０１９-04-11T20:22:12Z", "2019-04-11T20:22:1xZ"] {
            XCTAssertEqual(S3LoadSource.micros(text), 0, text)
        }
    }
}
