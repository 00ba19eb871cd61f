import ArgumentParser
import DWHCore
import Foundation

struct ClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Provision the Redshift cluster (IAM role, cluster, network access) from [DWH] in dwh.cfg.",
        subcommands: [Plan.self, Up.self, Status.self, Down.self, Policy.self]
    )

    /// Where the ingress rule lets connections in from.
    struct IngressOptions: ParsableArguments {
        @Option(help: ArgumentHelp("Allow connections from this IPv4 block (default: this machine's public address /32).",
                                   valueName: "a.b.c.d/n"))
        var cidr: String?
        @Flag(name: .customLong("allow-anywhere"), help: "Allow connections from 0.0.0.0/0 (anyone on the internet).")
        var allowAnywhere = false
        @Flag(name: .customLong("no-connect"), help: "Do not test the database connection at the end.")
        var noConnect = false

        func resolveCIDR() throws -> String {
            if allowAnywhere {
                guard cidr == nil else { throw ValidationError("--cidr and --allow-anywhere exclude each other") }
                Console.warn("the cluster port will be open to the whole internet (0.0.0.0/0); only the password protects it")
                return "0.0.0.0/0"
            }
            if let cidr { return try PublicAddress.validateCIDR(cidr) }
            return try PublicAddress.cidr()
        }
    }

    static func provisioner(_ aws: AWSOptionGroup) throws -> ClusterProvisioner {
        guard let config = try aws.loadConfig() else { throw ClusterError.noConfigFile(path: aws.configPath) }
        return try ClusterProvisioner(client: aws.client(config: config), config: config) { Console.info($0) }
    }

    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show what `up` would create or reuse, and its hourly price; change nothing.")
        @OptionGroup var ingress: IngressOptions
        @OptionGroup var aws: AWSOptionGroup

        func run() throws {
            let provisioner = try ClusterCommand.provisioner(aws)
            let plan = try provisioner.plan(cidr: ingress.resolveCIDR(), connect: !ingress.noConnect)
            print(plan.render(prices: try? PriceTable.bundled(), region: provisioner.client.settings.region))
        }
    }

    struct Up: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create (or resume creating) the IAM role, the cluster and the ingress rule; write them into dwh.cfg.")
        @Option(name: .customLong("wait-timeout"), help: ArgumentHelp("Seconds to wait for the cluster.", valueName: "S"))
        var waitTimeout = 1800
        @Flag(name: .customLong("write-password"),
              help: "Write the master password dwh generates (no [DWH] DB_PASSWORD) into [CLUSTER] DB_PASSWORD.")
        var writePassword = false
        @OptionGroup var ingress: IngressOptions
        @OptionGroup var aws: AWSOptionGroup

        func run() throws {
            let provisioner = try ClusterCommand.provisioner(aws)
            provisioner.writePassword = writePassword
            let path = provisioner.config.path, user = provisioner.settings.masterUsername
            provisioner.passwordMade = { password in
                // The one time it is shown: on stdout, at once, before the wait.
                let note = writePassword ? "  it will be written to [CLUSTER] DB_PASSWORD in \(path)"
                    : "  it is written nowhere: keep it now (in [CLUSTER] DB_PASSWORD, if you like), "
                        + "or connect with [CLUSTER] AUTH = iam"
                FileHandle.standardOutput.write(Data("master password of \(user), generated (shown this once): \(password)\n\(note)\n".utf8))
            }
            let plan = try provisioner.plan(cidr: ingress.resolveCIDR(), connect: !ingress.noConnect)
            try provisioner.apply(plan, waitTimeout: waitTimeout)
            let host = provisioner.config.value("CLUSTER", "HOST")?.value ?? ""
            print("cluster \(provisioner.settings.identifier) is available at \(host); settings written to \(provisioner.config.path)")
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the cluster, role and ingress as they are now.")
        enum Format: String, ExpressibleByArgument { case text, json }
        @Option(help: "text or json.") var format = Format.text
        @OptionGroup var aws: AWSOptionGroup

        func run() throws {
            let status = try ClusterCommand.provisioner(aws).status()
            if format == .json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(status), as: UTF8.self))
                return
            }
            print(status.text)
        }
    }

    struct Down: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete the cluster, its ingress rule and the IAM role (asks first).")
        @Option(name: .customLong("final-snapshot"), help: ArgumentHelp("Take a final snapshot with this name first.", valueName: "name"))
        var finalSnapshot: String?
        @Flag(help: "Do not ask for confirmation.") var yes = false
        @Option(name: .customLong("wait-timeout"), help: ArgumentHelp("Seconds to wait for the deletion.", valueName: "S"))
        var waitTimeout = 1800
        @OptionGroup var aws: AWSOptionGroup

        func run() throws {
            let provisioner = try ClusterCommand.provisioner(aws)
            let steps = try provisioner.teardownPlan(finalSnapshot: finalSnapshot)
            guard !steps.isEmpty else {
                print("nothing left to remove: no cluster \(provisioner.settings.identifier), no role \(provisioner.settings.roleName), no dwh ingress rule")
                return
            }
            if !yes {
                Console.info(steps.map { "- \($0.description)" }.joined(separator: "\n"))
                guard try Console.confirm("Delete all of this?", unattended: ClusterError.notConfirmed) else {
                    print("nothing deleted")
                    return
                }
            }
            try provisioner.teardown(steps, waitTimeout: waitTimeout)
            print("removed cluster \(provisioner.settings.identifier) and role \(provisioner.settings.roleName)")
        }
    }

    struct Policy: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the least-privilege IAM policy for this cluster's user, database and S3 data; change nothing.")
        @Option(help: ArgumentHelp("The 12-digit AWS account (default: from [IAM_ROLE] ARN, else *).", valueName: "id"))
        var account: String?
        @OptionGroup var aws: AWSOptionGroup

        func run() throws {
            guard let config = try aws.loadConfig() else { throw ClusterError.noConfigFile(path: aws.configPath) }
            let region = AWSCredentialChain.region(environment: ProcessInfo.processInfo.environment, config: config)
            print(try ClusterPolicy(config: config, region: region, account: account).json)
        }
    }
}
