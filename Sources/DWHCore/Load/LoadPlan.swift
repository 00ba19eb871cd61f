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
    /// The digest of the bytes loaded (`ContentHasher`, 16 hex digits).
    public var contentHash: String

    public init(fileID: Int, table: String, path: String, size: Int64, modifiedMicros: Int64,
                rows: Int, loadedAt: String, etag: String? = nil, contentHash: String = "") {
        self.etag = etag
        self.contentHash = contentHash
        self.fileID = fileID
        self.table = table
        self.path = path
        self.size = size
        self.modifiedMicros = modifiedMicros
        self.rows = rows
        self.loadedAt = loadedAt
    }
}

/// What a load does with one file it found, decided against the manifest (by `FileDecider`)
/// once its bytes are hashed, or, for an S3 object, from its listed ETag: `--dry-run`
/// prints it, tests compare it.
public struct PlannedFile: Equatable, Sendable {
    public enum Action: Equatable, Sendable {
        /// Not in the manifest.
        case loadNew
        /// At a recorded path that now holds other bytes (or is recorded for another table):
        /// its old rows go, unless they turn up under another path.
        case reload(previous: ManifestEntry)
        /// At its recorded path with the bytes recorded.
        case skipUnchanged(previous: ManifestEntry)
        /// At its recorded path with the bytes recorded and another modification time.
        case skipTouched(previous: ManifestEntry)
        /// Bytes recorded under another path (file id): moved here, or a copy.
        case skipKnown(fileID: Int)
        /// The same bytes as a file this run loads (the path given).
        case skipCopy(of: String)
    }

    public var table: StagingTable
    public var file: SourceFile
    public var action: Action

    public init(table: StagingTable, file: SourceFile, action: Action) {
        self.table = table
        self.file = file
        self.action = action
    }

    public var loads: Bool { action.loads }

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
        case .skipTouched(let previous):
            what = "skip      the same bytes as loaded at \(previous.loadedAt), touched since (\(Plural.count(previous.rows, "row")))"
        case .skipKnown(let fileID):
            what = "skip      the same bytes as file \(fileID), loaded under another path (moved or copied)"
        case .skipCopy(let first):
            what = "skip      the same bytes as \(first), which this run loads"
        }
        return "\(table.name)  \(file.path)  \(what)"
    }
}

extension PlannedFile.Action {
    public var loads: Bool {
        switch self {
        case .loadNew, .reload: true
        case .skipUnchanged, .skipTouched, .skipKnown, .skipCopy: false
        }
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
    /// The furthest path asked for: entries passed beyond it are reported to `onPassed`.
    private var furthest: String?
    /// Called once with each entry the cursor goes past without its path being asked for
    /// (in a sorted walk: the recorded files the walk did not find).
    public var onPassed: ((ManifestEntry) -> Void)?

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
            report(entry)
            current = try next()
        }
        if furthest.map({ $0.utf8.lexicographicallyPrecedes(path.utf8) }) ?? true { furthest = path }
        return current?.path == path ? current : nil
    }

    /// Reports the entries after the last path asked for: the walk is over.
    public mutating func drain() throws {
        if isEmpty { return }
        if !started {
            current = try next()
            started = true
        }
        if let entry = current, entry.path == lastAsked { current = try next() }
        while let entry = current {
            report(entry)
            current = try next()
        }
    }

    private func report(_ entry: ManifestEntry) {
        guard let onPassed else { return }
        if let furthest, !furthest.utf8.lexicographicallyPrecedes(entry.path.utf8) { return }
        onPassed(entry)
    }

    /// Every entry, from the top (the cursor is left at its end).
    public mutating func forEach(_ body: (ManifestEntry) throws -> Void) throws {
        next = try restart()
        while let entry = try next() { try body(entry) }
        started = true
        current = nil
    }
}
