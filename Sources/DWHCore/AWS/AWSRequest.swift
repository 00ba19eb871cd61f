import Curl
import Foundation

/// Builds the HTTP requests dwh sends: plain values, so tests can check them without a network.
public enum AWSRequest {
    /// A Query-protocol call (IAM, STS, Redshift, EC2): a form-encoded POST of `Action`,
    /// `Version` and the parameters.
    public static func query(_ service: AWSService, action: String, parameters: [(String, String)],
                             settings: AWSSettings) -> HTTPRequest {
        let fields = [("Action", action), ("Version", service.apiVersion)] + parameters
        let body = fields.map { "\(formEncode($0.0))=\(formEncode($0.1))" }.joined(separator: "&")
        var headers = [HTTPHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")]
        if let token = settings.credentials.sessionToken { headers.append(HTTPHeader("x-amz-security-token", token)) }
        return HTTPRequest(method: "POST", url: service.endpoint(region: settings.region, override: settings.endpointOverride) + "/",
                           headers: headers, body: Array(body.utf8), signing: signing(service, settings))
    }

    /// An S3 call in path style (`endpoint/bucket/key?query`). The query is sorted and
    /// encoded as SigV4 canonicalises it, because libcurl 7.88 signs it as given.
    public static func s3(method: String, bucket: String, key: String = "", query: [(String, String)] = [],
                          body: [UInt8] = [], contentType: String? = nil, settings: AWSSettings) -> HTTPRequest {
        var url = AWSService.s3.endpoint(region: settings.region, override: settings.endpointOverride)
            + "/" + encode(bucket)
        if !key.isEmpty { url += "/" + encode(key, keepSlash: true) }
        if !query.isEmpty {
            url += "?" + query.map { (encode($0.0), encode($0.1)) }.sorted { $0 < $1 }
                .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        }
        // libcurl 7.88 does not add x-amz-content-sha256, which S3 requires; with no SHA-256
        // at hand for bodies, they go as UNSIGNED-PAYLOAD (TLS protects them in transit).
        let payloadHash = body.isEmpty ? emptyPayloadSHA256 : "UNSIGNED-PAYLOAD"
        var headers = [HTTPHeader("x-amz-content-sha256", payloadHash)]
        if let contentType { headers.append(HTTPHeader("Content-Type", contentType)) }
        if let token = settings.credentials.sessionToken { headers.append(HTTPHeader("x-amz-security-token", token)) }
        return HTTPRequest(method: method, url: url, headers: headers, body: body, signing: signing(.s3, settings))
    }

    /// SHA-256 of no bytes, the payload hash of every bodiless request.
    static let emptyPayloadSHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    static func signing(_ service: AWSService, _ settings: AWSSettings) -> AWSSigning {
        AWSSigning(accessKeyID: settings.credentials.accessKeyID, secretAccessKey: settings.credentials.secretAccessKey,
                   region: service.signingRegion(settings.region), service: service.rawValue)
    }

    /// `application/x-www-form-urlencoded`: `encode` with spaces as `+`, byte for byte what
    /// Python's `urlencode` writes (so emulators that re-encode the form see the same body).
    static func formEncode(_ text: String) -> String {
        encode(text).replacingOccurrences(of: "%20", with: "+")
    }

    /// Percent-encodes all but the unreserved characters (`A-Z a-z 0-9 - _ . ~`), as SigV4
    /// requires; `/` is kept only in object keys.
    public static func encode(_ text: String, keepSlash: Bool = false) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                 UInt8(ascii: "."), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepSlash:
                result.append("/")
            default:
                result += String(format: "%%%02X", byte)
            }
        }
        return result
    }
}
