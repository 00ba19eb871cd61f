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

/// What a load does with one file it found, decided against the manifest before the file
/// is read: `--dry-run` prints it, tests compare it.
public struct PlannedFile: Equatable, Sendable {
    public enum Action: Equatable, Sendable {
        /// Not in the manifest.
        case loadNew
        /// In the manifest with another size, modification time, ETag or table: its old rows go.
        case reload(previous: ManifestEntry)
        /// In the manifest as it is now.
        case skipUnchanged(previous: ManifestEntry)
    }

    public var table: StagingTable
    public var file: SourceFile
    public var action: Action

    public init(table: StagingTable, file: SourceFile, previous: ManifestEntry?) {
        self.table = table
        self.file = file
        if let previous {
            let same = file.isUnchanged(since: previous) && previous.table == table.name
            action = same ? .skipUnchanged(previous: previous) : .reload(previous: previous)
        } else {
            action = .loadNew
        }
    }

    public var loads: Bool {
        if case .skipUnchanged = action { false } else { true }
    }

    /// The line `dwh load --dry-run` prints for it.
    public var description: String {
        let what: String
        switch action {
        case .loadNew: what = "load      new"
        case .reload(let previous):
            what = "reload    changed since loaded at \(previous.loadedAt) "
                + "(size \(previous.size) → \(file.size)); its \(Plural.count(previous.rows, "old row")) \(previous.rows == 1 ? "is" : "are") replaced"
        case .skipUnchanged(let previous):
            what = "skip      unchanged since loaded at \(previous.loadedAt) (\(Plural.count(previous.rows, "row")))"
        }
        return "\(table.name)  \(file.path)  \(what)"
    }
}

/// The manifest read in step with a source's files: both come sorted by the bytes of their
/// paths, so finding a file's entry is a walk forward, and a million-file manifest is never
/// held in memory. Asked for a path before the last one, it starts again from the top: the
/// answer stays right if a source ever lists out of order, only slower.
public struct ManifestCursor {
    private let restart: () throws -> () throws -> ManifestEntry?
    private var next: () throws -> ManifestEntry?
    private var current: ManifestEntry?
    private var started = false
    private var lastAsked: String?

    /// `entries` gives a fresh reader of the entries, in path byte order, each time it is called.
    public init(entries: @escaping () throws -> () throws -> ManifestEntry?) rethrows {
        restart = entries
        next = try entries()
    }

    /// Entries from an array (sorted here).
    public init(_ entries: [ManifestEntry]) {
        let sorted = entries.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        self.init(entries: {
            var iterator = sorted.makeIterator()
            return { iterator.next() }
        })
    }

    /// An empty manifest (a full refresh): every answer is nil, and costs nothing.
    public static var empty: ManifestCursor {
        var cursor = ManifestCursor([])
        cursor.isEmpty = true
        return cursor
    }

    private var isEmpty = false

    /// The manifest's entry for `path`, if it has one.
    public mutating func entry(for path: String) throws -> ManifestEntry? {
        if isEmpty { return nil }
        if let lastAsked, !lastAsked.utf8.lexicographicallyPrecedes(path.utf8) {
            next = try restart()
            started = false
        }
        lastAsked = path
        if !started {
            current = try next()
            started = true
        }
        while let entry = current, entry.path.utf8.lexicographicallyPrecedes(path.utf8) {
            current = try next()
        }
        return current?.path == path ? current : nil
    }
}
