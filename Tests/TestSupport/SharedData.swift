import Foundation

/// The real Sparkify files the tests read: `../shared/data/sparkify` beside the checkout,
/// or `DWH_SHARED_DATA`.
public enum SharedData {
    public static var path: String {
        ProcessInfo.processInfo.environment["DWH_SHARED_DATA"]
            ?? URL(fileURLWithPath: DWHBinary.packageRoot + "/../shared/data/sparkify").standardizedFileURL.path
    }
}

/// One event line with the given JSON text for some keys; the rest are realistic.
public func event(_ overrides: [String: String] = [:]) -> String {
    var fields: [(String, String)] = [
        ("artist", "\"Manowar\""), ("auth", "\"Logged In\""), ("firstName", "\"Jacob\""), ("gender", "\"M\""),
        ("itemInSession", "0"), ("lastName", "\"Klein\""), ("length", "247.562"), ("level", "\"paid\""),
        ("location", "\"Tampa, FL\""), ("method", "\"PUT\""), ("page", "\"NextSong\""),
        ("registration", "1540558108796.0"), ("sessionId", "1049"), ("song", "\"Shell Shock\""), ("status", "200"),
        ("ts", "1543540121796"), ("userAgent", "\"Mozilla\""), ("userId", "\"73\""),
    ]
    fields = fields.map { ($0.0, overrides[$0.0] ?? $0.1) }.filter { $0.1 != "<missing>" }
    return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
}
