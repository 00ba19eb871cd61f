import DWHCore
import Foundation
import Postgres
import TestSupport
import XCTest

extension RedshiftLiveTests {
    /// IAM authentication on the real cluster: the URL's password is dropped, `--iam` asks
    /// GetClusterCredentials (the cluster named by the host's first label) and Redshift
    /// must accept the temporary `IAM:` user over TLS. What moto cannot show: that Redshift
    /// takes the password, maps the user and enforces sslmode.
    func testIAMAuthenticationOnRedshift() throws {
        guard let target = Self.target else {
            throw XCTSkip("Redshift live suite not run: set DWH_REDSHIFT_URL, DWH_REDSHIFT_IAM_ROLE and DWH_REDSHIFT_S3")
        }
        var options = try ConnectionOptions(parsing: target.url)
        let password = options["password"]
        options["password"] = nil
        let output = try DWHBinary.expect(0, ["sql", "SELECT current_user", "--format", "csv", "--iam",
                                              "--database-url", options.conninfo, "--config", "/nonexistent/dwh.cfg"],
                                             environment: ["AWS_REGION": target.region])
        XCTAssertTrue(output.stdout.contains("IAM:"), output.stdout)
        if let password, !password.isEmpty {
            XCTAssertFalse((output.stdout + output.stderr).contains(password))
        }
    }
}
