import Foundation

/// What stops `dwh cluster` commands, as sentences with the next step.
public enum ClusterError: Error, CustomStringConvertible {
    case noConfigFile(path: String)
    case badSetting(file: String, line: Int, key: String, value: String, expected: String)
    case noDefaultVPC
    case clusterBusy(identifier: String, status: String)
    case noEndpoint(identifier: String)
    case waitTimedOut(identifier: String, status: String, seconds: Int)
    case addressUnknown(reason: String)
    case badCIDR(String)
    case notConfirmed

    public var description: String {
        switch self {
        case .noConfigFile(let path):
            return "\(path) does not exist; copy dwh.cfg.example to \(path) and fill [DWH]"
        case .badSetting(let file, let line, let key, let value, let expected):
            return "\(file):\(line): [DWH] \(key) = \(value) is not usable; expected \(expected)"
        case .noDefaultVPC:
            return "the account has no default VPC in this region, so there is no security group to open; "
                + "create one with `aws ec2 create-default-vpc` or pick another region"
        case .clusterBusy(let identifier, let status):
            return "cluster \(identifier) is \(status); wait until that finishes (`dwh cluster status`) and run the command again"
        case .noEndpoint(let identifier):
            return "cluster \(identifier) is available but has no endpoint; check it in the AWS console"
        case .waitTimedOut(let identifier, let status, let seconds):
            return "cluster \(identifier) is still \(status) after \(seconds) s; run the command again to keep waiting "
                + "(it resumes), or raise --wait-timeout"
        case .addressUnknown(let reason):
            return "could not find this machine's public address (\(reason)); pass it with --cidr A.B.C.D/32"
        case .badCIDR(let text):
            return "\(text) is not an IPv4 CIDR block like 203.0.113.7/32"
        case .notConfirmed:
            return "not deleting anything: there is no terminal to ask for confirmation; run again with --yes to confirm"
        }
    }
}
