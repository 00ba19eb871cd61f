import Curl
import Foundation

/// This machine's public IPv4 address, as AWS sees it, for the ingress rule.
public enum PublicAddress {
    public static let service = "https://checkip.amazonaws.com/"

    public static func cidr() throws -> String {
        let response: HTTPResponse
        do {
            response = try HTTPClient().perform(HTTPRequest(method: "GET", url: service, connectTimeout: 5, timeout: 10))
        } catch {
            throw ClusterError.addressUnknown(reason: "\(error)")
        }
        let text = response.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard response.status == 200, let cidr = try? validateCIDR(text + "/32") else {
            throw ClusterError.addressUnknown(reason: "\(service) answered HTTP \(response.status)")
        }
        return cidr
    }

    /// Checks `a.b.c.d/n`; returns it unchanged.
    public static func validateCIDR(_ text: String) throws -> String {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        let octets = parts.first?.split(separator: ".", omittingEmptySubsequences: false) ?? []
        guard parts.count == 2, let bits = Int(parts[1]), (0...32).contains(bits), octets.count == 4,
              octets.allSatisfy({ Int($0).map { (0...255).contains($0) } == true && $0.count <= 3 }) else {
            throw ClusterError.badCIDR(text)
        }
        return text
    }
}
