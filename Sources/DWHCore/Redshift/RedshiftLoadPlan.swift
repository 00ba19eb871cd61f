import Foundation

/// What an incremental Redshift load does with one staging table, decided before anything
/// is sent, from the prefix's listing and the manifest `dwh_loaded_files`: an object is
/// known by its key, size and ETag, as a local file is by its path and bytes.
///
/// - an object recorded with the same size and ETag: unchanged, not copied;
/// - a key recorded with another size or ETag: changed; its old rows go and it is copied again;
/// - a key not recorded: new.
///
/// Staging rows name their file (file_id): COPY has no per-row source column, so when any
/// object of the table is changed, each object to copy gets a COPY of its own, followed by
/// the UPDATE that gives its rows their file_id (`copies` holds one entry per object). When
/// nothing is replaced, the new objects load in one COPY through one manifest, so that the
/// cluster's slices read them in parallel, and their rows carry the first new file id of
/// the run (`tagFileID`): the batch the transform picks by file id.
public struct RedshiftLoadPlan: Equatable, Sendable {
    public struct Replacement: Equatable, Sendable {
        public var file: SourceFile
        public var previous: ManifestEntry
    }

    /// One COPY: its objects (with the file ids dwh gives them), its manifest, and the
    /// file_id its rows are given afterwards.
    public struct Copy: Equatable, Sendable {
        public var files: [(fileID: Int, file: SourceFile)]
        public var manifest: RedshiftCopyManifest
        public var tagFileID: Int

        public static func == (lhs: Copy, rhs: Copy) -> Bool {
            lhs.manifest == rhs.manifest && lhs.tagFileID == rhs.tagFileID
                && lhs.files.map(\.fileID) == rhs.files.map(\.fileID) && lhs.files.map(\.file) == rhs.files.map(\.file)
        }
    }

    public var table: String
    public var new: [SourceFile] = []
    public var changed: [Replacement] = []
    public var unchanged = 0
    public var copies: [Copy] = []
    /// The file ids that changed objects' old staging rows carry (their copy groups).
    public var replacedRowGroups: [Int] = []

    /// Decides each listed object of `table` against the recorded `entries`; file ids
    /// start at `firstFileID`; manifests go under `folder`, named by `runID`.
    public init(table: String, listed: [SourceFile], recorded: [ManifestEntry], firstFileID: Int, folder: String, runID: String) {
        self.table = table
        let byPath = Dictionary(recorded.filter { $0.table == table }.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        var seen = Set<String>(), same: [(file: SourceFile, previous: ManifestEntry)] = []
        for file in listed where seen.insert(file.path).inserted {
            if let previous = byPath[file.path] {
                if previous.size == file.size, previous.etag != nil, previous.etag == file.etag {
                    same.append((file, previous))
                } else {
                    changed.append(Replacement(file: file, previous: previous))
                }
            } else {
                new.append(file)
            }
        }
        // The rows of objects copied together carry one file id (their group's): an unchanged
        // member of a changed object's group loses its rows with it, so it is copied again.
        let groups = Set(changed.map { Self.group(of: $0.previous) })
        for (file, previous) in same {
            if groups.contains(Self.group(of: previous)) { changed.append(Replacement(file: file, previous: previous)) } else { unchanged += 1 }
        }
        replacedRowGroups = groups.sorted()
        let toCopy = changed.map(\.file) + new
        let numbered = toCopy.enumerated().map { (fileID: firstFileID + $0.offset, file: $0.element) }
        guard !numbered.isEmpty else { return }
        if changed.isEmpty {
            copies = [Copy(files: numbered, manifest: RedshiftCopyManifest(
                urls: numbered.map(\.file.path), location: RedshiftCopyManifest.location(folder: folder, runID: runID, table: table)),
                tagFileID: firstFileID)]
        } else {
            copies = numbered.map { entry in
                Copy(files: [entry], manifest: RedshiftCopyManifest(
                    urls: [entry.file.path],
                    location: RedshiftCopyManifest.location(folder: folder, runID: runID, table: "\(table)-\(entry.fileID)")),
                    tagFileID: entry.fileID)
            }
        }
    }

    /// `content_hash` of an S3 object's manifest row (its ETag is its identity): the file id
    /// its rows carry, the first of the COPY it came in.
    public static func groupTag(_ fileID: Int) -> String { "copy group \(fileID)" }

    static func group(of entry: ManifestEntry) -> Int {
        entry.contentHash.hasPrefix("copy group ") ? Int(entry.contentHash.dropFirst("copy group ".count)) ?? entry.fileID : entry.fileID
    }

    /// The file ids whose manifest rows go before the copies.
    public var replacedFileIDs: [Int] { changed.map(\.previous.fileID).sorted() }

    /// The number of file ids the plan gives.
    public var fileCount: Int { copies.reduce(0) { $0 + $1.files.count } }

    /// Whether the load adds or removes rows of the table: then its statistics are renewed.
    public var changesRows: Bool { !copies.isEmpty || !replacedRowGroups.isEmpty }
}

/// What Redshift says one COPY loaded (`STL_LOAD_COMMITS`: filename, lines_scanned).
public struct RedshiftLoadCommits: Equatable, Sendable {
    public var lines: [String: Int]

    public init(_ rows: [(file: String, lines: Int)]) {
        var lines: [String: Int] = [:]
        for row in rows { lines[row.file, default: 0] += row.lines }
        self.lines = lines
    }

    /// Each object of `copy` was committed, no other was, and the lines scanned add up to
    /// the rows COPY reports (`copied`) plus those it skipped (`skipped`); else the error
    /// that says what differs, and the load keeps nothing.
    public func verify(_ copy: RedshiftLoadPlan.Copy, table: String, copied: Int, skipped: Int) throws {
        let meant = Set(copy.manifest.urls), got = Set(lines.keys)
        let missing = meant.subtracting(got).sorted(), extra = got.subtracting(meant).sorted()
        let scanned = lines.values.reduce(0, +)
        guard missing.isEmpty, extra.isEmpty, scanned == copied + skipped else {
            throw LoadError.loadCommitsDiffer(table: table, missing: missing, unexpected: extra,
                                              scanned: scanned, copied: copied + skipped)
        }
    }
}
