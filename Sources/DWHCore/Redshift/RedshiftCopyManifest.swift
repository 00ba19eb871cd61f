import Foundation

/// A COPY manifest (`{"entries":[{"url":…,"mandatory":true}]}`): the objects one Redshift
/// COPY reads, each once. A key listed twice in a manifest is loaded twice, so the entries
/// are deduplicated by URL (in the order first given). `mandatory` makes Redshift fail the
/// COPY when an object vanished between the listing and the COPY, instead of loading less.
public struct RedshiftCopyManifest: Equatable, Sendable {
    /// The objects, each once, in the order first given.
    public let urls: [String]
    /// Where dwh writes the manifest (and removes it after the COPY).
    public let location: String

    public init(urls: [String], location: String) {
        var seen = Set<String>()
        self.urls = urls.filter { seen.insert($0).inserted }
        self.location = location
    }

    private struct Body: Encodable {
        struct Entry: Encodable {
            var url: String
            var mandatory: Bool
        }

        var entries: [Entry]
    }

    /// The manifest's JSON, as Redshift reads it.
    public var json: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding strings and booleans cannot fail.
        return Array((try? encoder.encode(Body(entries: urls.map { .init(url: $0, mandatory: true) }))) ?? Data())
    }

    /// The folder COPY manifests are written to: `[S3] STAGING_PREFIX`, else a
    /// `_dwh_copy_manifests/` folder next to `[S3] UNLOAD_PREFIX`; nil when neither is set.
    public static func folder(config: ConfigFile?) -> String? {
        if let staging = config?.value("S3", "STAGING_PREFIX")?.value, !staging.isEmpty {
            return staging.hasSuffix("/") ? staging : staging + "/"
        }
        guard let unload = config?.value("S3", "UNLOAD_PREFIX")?.value, !unload.isEmpty else { return nil }
        let trimmed = unload.hasSuffix("/") ? String(unload.dropLast()) : unload
        return trimmed + "_dwh_copy_manifests/"
    }

    /// `<folder><run id>/<table>.manifest`: one run's manifests never meet another's.
    public static func location(folder: String, runID: String, table: String) -> String {
        folder + runID + "/" + table + ".manifest"
    }
}
