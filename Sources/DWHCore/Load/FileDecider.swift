import Foundation

/// What one table's load does with each file it finds, and, once the walk is over, what
/// became of the recorded files it did not find where they were. A file is known by its
/// identity (size and bytes, `FileIdentity`), not by its path:
///
/// - the same bytes at the recorded path: unchanged, even if touched (the new time is recorded);
/// - other bytes at a recorded path: the new bytes load, and the old file's rows go, unless
///   its bytes turn up under another path, where they moved;
/// - bytes recorded under another path: not loaded again; the record moves to the new path
///   if the old one is gone from the source (or holds other bytes now), else it is a copy;
/// - the same bytes twice in one run: the first (in path order) loads, the others are copies;
/// - a recorded file under the source that is not found at all, and whose bytes are nowhere:
///   gone. Its rows stay, said each time, until `dwh load --prune` removes them.
///
/// Any sequence of loads therefore keeps the rows one load of the files as they are now
/// keeps. A pipe (no size) and an empty file have no identity worth comparing: a pipe
/// loads each time, an empty file is known by its path only.
final class FileDecider {
    let table: StagingTable
    /// The recorded paths this source owns: those under it, or it itself; nil for none.
    let root: String?
    /// The manifest's files by identity, built when a file first needs it: a run that finds
    /// nothing new (most runs, for the songs) never holds it.
    private var index: IdentityIndex?
    private let makeIndex: () throws -> IdentityIndex
    /// The bytes this run loads so far, and where: memory grows by an identity per file, and
    /// the paths wait on disk for a copy in the same run to ask for one.
    private let loadedThisRun = FirstPaths()
    /// Recorded file id → the first file found with its bytes under another path.
    private var claims: [Int: SourceFile] = [:]
    /// Files not loaded as the same bytes as a recorded file (by id) that another file claimed.
    private var copiesOf: [(path: String, fileID: Int)] = []
    private var copiesInRun: [(path: String, of: String)] = []
    private var displaced: [Int: ManifestEntry] = [:]
    private var unseen: [Int: ManifestEntry] = [:]
    private var touched: [(fileID: Int, file: SourceFile)] = []

    init(table: StagingTable, root: String?, index: @escaping () throws -> IdentityIndex) {
        self.table = table
        self.root = root
        makeIndex = index
    }

    /// A recorded file the walk went past without finding it at its path.
    func passed(_ entry: ManifestEntry) {
        guard owns(entry.path) else { return }
        unseen[entry.fileID] = entry
    }

    private func owns(_ path: String) -> Bool {
        guard let root else { return false }
        return path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    /// What to do with `file`, found at the path of `previous` (if recorded), whose bytes
    /// have `identity` (nil for a pipe).
    func decide(_ file: SourceFile, identity: FileIdentity?, previous: ManifestEntry?) throws -> PlannedFile.Action {
        if let previous {
            unseen[previous.fileID] = nil
            if let identity, previous.table == table.name, FileIdentity(previous) == identity {
                guard file.modifiedMicros != previous.modifiedMicros else { return .skipUnchanged(previous: previous) }
                touched.append((previous.fileID, file))
                return .skipTouched(previous: previous)
            }
            displaced[previous.fileID] = previous
        }
        let fresh: PlannedFile.Action = previous.map { .reload(previous: $0) } ?? .loadNew
        guard let identity, identity.size > 0 else { return fresh }
        if let first = try loadedThisRun.path(of: identity) {
            copiesInRun.append((file.path, first))
            return .skipCopy(of: first)
        }
        if index == nil { index = try makeIndex() }
        let known = index?.fileIDs(for: identity).filter { $0 != previous?.fileID } ?? []
        if let first = known.first {
            if let free = known.first(where: { claims[$0] == nil }) {
                claims[free] = file
            } else {
                copiesOf.append((file.path, first))
            }
            return .skipKnown(fileID: first)
        }
        try loadedThisRun.add(identity, path: file.path)
        return fresh
    }

    /// Settles the records the walk did not find: moved, replaced or gone. `manifest` gives
    /// the paths of the claimed records found where they were (the claimant is a copy) or
    /// recorded outside the source, where `exists` says whether the path still holds a file
    /// (if it does, the file found here is a copy).
    func finish(manifest: SpoolFile?, exists: (String) -> Bool) throws -> LoadOutcome {
        var outcome = LoadOutcome()
        var elsewhere: [Int: ManifestEntry] = [:]
        let wanted = Set(claims.keys.filter { unseen[$0] == nil && displaced[$0] == nil }).union(copiesOf.map(\.fileID))
        if let manifest, !wanted.isEmpty {
            var cursor = try ManifestCursor(spool: manifest)
            try cursor.forEach { if wanted.contains($0.fileID) { elsewhere[$0.fileID] = $0 } }
        }
        var whereNow: [Int: String] = [:]
        for (fileID, file) in claims.sorted(by: { $0.key < $1.key }) {
            if let entry = unseen.removeValue(forKey: fileID) ?? displaced.removeValue(forKey: fileID) {
                outcome.moved.append(.init(entry: entry, to: file))
                whereNow[fileID] = file.path
            } else if let entry = elsewhere[fileID], !owns(entry.path), !entry.path.hasPrefix("s3://"), !exists(entry.path) {
                // Recorded outside this source, and no longer there.
                outcome.moved.append(.init(entry: entry, to: file))
                whereNow[fileID] = file.path
            } else {
                outcome.copies.append(.init(path: file.path, of: elsewhere[fileID]?.path ?? "file id \(fileID)"))
                whereNow[fileID] = elsewhere[fileID]?.path
            }
        }
        for copy in copiesOf {
            outcome.copies.append(.init(path: copy.path, of: whereNow[copy.fileID] ?? elsewhere[copy.fileID]?.path ?? "file id \(copy.fileID)"))
        }
        outcome.copies += copiesInRun.map { .init(path: $0.path, of: $0.of) }
        outcome.replaced = displaced.keys.sorted()
        outcome.gone = unseen.values.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        outcome.touched = touched.map { .init(fileID: $0.fileID, file: $0.file) }
        return outcome
    }
}

/// The path of the first file a run loads with each identity. The index in memory holds an
/// offset; the paths are spooled and read back only when the same bytes turn up again.
private final class FirstPaths {
    private var offsets: [FileIdentity: Int64] = [:]
    private var spool: SpoolFile?
    private let pending = ByteBuffer(capacity: 1 << 16)
    private var spooled: Int64 { spool?.size ?? 0 }

    func add(_ identity: FileIdentity, path: String) throws {
        offsets[identity] = spooled + Int64(pending.count)
        var path = path
        path.withUTF8 { bytes in
            pending.append(bigEndian: UInt32(bytes.count))
            pending.append(bytes)
        }
        guard pending.count >= 1 << 15 else { return }
        if spool == nil { spool = try SpoolFile() }
        try spool?.write(pending)
    }

    func path(of identity: FileIdentity) throws -> String? {
        guard let offset = offsets[identity] else { return nil }
        let record: (Int64, Int) throws -> [UInt8] = { [self] at, count in
            guard at >= spooled else { return try spool?.read(at: at, count: count) ?? [] }
            let start = Int(at - spooled)
            return Array(pending.bytes[start..<start + count])
        }
        let length = try record(offset, 4).reduce(0) { $0 << 8 | Int($1) }
        return String(decoding: try record(offset + 4, length), as: UTF8.self)
    }
}

/// What a load found about files it did not load: the bookkeeping it writes (moves, new
/// times, rows to replace) and what it tells the user (copies, files gone).
public struct LoadOutcome: Equatable, Sendable {
    public struct Move: Equatable, Sendable {
        public var entry: ManifestEntry
        public var to: SourceFile
    }

    public struct Copy: Equatable, Sendable, CustomStringConvertible {
        public var path: String
        public var of: String
        public var description: String {
            "\(path): the same bytes as \(of), which is loaded; a copy is not loaded twice"
        }
    }

    public struct Touch: Equatable, Sendable {
        public var fileID: Int
        public var file: SourceFile
    }

    /// Recorded files found under another path, with the same bytes: their rows stay theirs.
    public var moved: [Move] = []
    /// Files not loaded because their bytes are loaded under another path that still has them.
    public var copies: [Copy] = []
    /// Recorded files whose path now holds other bytes (loaded in their place).
    public var replaced: [Int] = []
    /// Recorded files under the source that are nowhere now; their rows stay unless pruned.
    public var gone: [ManifestEntry] = []
    /// Recorded files with the same bytes and a new modification time.
    public var touched: [Touch] = []

    public init() {}

    static func + (lhs: LoadOutcome, rhs: LoadOutcome) -> LoadOutcome {
        var sum = lhs
        sum.moved += rhs.moved
        sum.copies += rhs.copies
        sum.replaced += rhs.replaced
        sum.gone += rhs.gone
        sum.touched += rhs.touched
        return sum
    }
}
