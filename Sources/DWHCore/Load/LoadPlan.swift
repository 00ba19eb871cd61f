/// A file the manifest says is in staging.
public struct ManifestEntry: Equatable, Sendable {
    public var fileID: Int
    public var table: String
    public var path: String
    public var size: Int64
    public var modifiedMicros: Int64
    public var rows: Int
    public var loadedAt: String
    /// The ETag recorded for an S3 object; nil for local files.
    public var etag: String?

    public init(fileID: Int, table: String, path: String, size: Int64, modifiedMicros: Int64,
                rows: Int, loadedAt: String, etag: String? = nil) {
        self.etag = etag
        self.fileID = fileID
        self.table = table
        self.path = path
        self.size = size
        self.modifiedMicros = modifiedMicros
        self.rows = rows
        self.loadedAt = loadedAt
    }
}

/// What a load will do with each file it found, decided before anything is read:
/// `--dry-run` prints it, tests compare it.
public struct LoadPlan: Equatable, Sendable {
    public enum Action: Equatable, Sendable {
        /// Not in the manifest.
        case loadNew
        /// In the manifest with another size or modification time: its old rows go.
        /// (Boxed, `indirect`: a plan can hold a million items.)
        indirect case reload(previous: ManifestEntry)
        /// In the manifest as it is now.
        indirect case skipUnchanged(previous: ManifestEntry)
    }

    public struct Item: Equatable, Sendable {
        public var table: StagingTable
        public var file: SourceFile
        public var action: Action
        /// The id its rows will carry (nil when skipped).
        public var fileID: Int?
    }

    public var fullRefresh: Bool
    public var items: [Item]

    public var toLoad: [Item] { items.filter { $0.fileID != nil } }
    public var replaced: [ManifestEntry] {
        items.compactMap { if case .reload(let previous) = $0.action { previous } else { nil } }
    }

    /// Compares what the sources hold with the manifest. With `fullRefresh` the manifest is
    /// ignored (staging and manifest are emptied first) and every file loads as new.
    public static func make(files: [(table: StagingTable, files: [SourceFile])], manifest: [ManifestEntry],
                            fullRefresh: Bool) -> LoadPlan {
        let known = fullRefresh ? [:] : Dictionary(manifest.map { ($0.path, $0) }, uniquingKeysWith: { $1 })
        var nextID = fullRefresh ? 1 : (manifest.map(\.fileID).max() ?? 0) + 1
        var items: [Item] = []
        for (table, list) in files {
            for file in list {
                let action: Action
                if let previous = known[file.path] {
                    let same = file.isUnchanged(since: previous)
                        && previous.table == table.name
                    action = same ? .skipUnchanged(previous: previous) : .reload(previous: previous)
                } else {
                    action = .loadNew
                }
                var fileID: Int?
                if case .skipUnchanged = action {} else {
                    fileID = nextID
                    nextID += 1
                }
                items.append(Item(table: table, file: file, action: action, fileID: fileID))
            }
        }
        return LoadPlan(fullRefresh: fullRefresh, items: items)
    }

    /// The plan as `dwh load --dry-run` prints it: one line per file, then a count.
    public var description: String {
        var lines: [String] = []
        if fullRefresh { lines.append("full refresh: staging tables and manifest emptied first") }
        for item in items {
            let what: String
            switch item.action {
            case .loadNew: what = "load      new"
            case .reload(let previous):
                what = "reload    changed since loaded at \(previous.loadedAt) "
                    + "(size \(previous.size) → \(item.file.size)); its \(previous.rows) old rows are replaced"
            case .skipUnchanged(let previous):
                what = "skip      unchanged since loaded at \(previous.loadedAt) (\(previous.rows) rows)"
            }
            lines.append("\(item.table.name)  \(item.file.path)  \(what)")
        }
        let loads = toLoad.count
        lines.append("\(loads) file\(loads == 1 ? "" : "s") to load, \(items.count - loads) skipped")
        return lines.joined(separator: "\n")
    }
}
