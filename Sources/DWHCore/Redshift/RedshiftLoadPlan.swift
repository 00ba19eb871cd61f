import Foundation

/// What an incremental Redshift load does with one staging table, decided before anything
/// is sent, from the prefix's listing and the manifest `dwh_loaded_files`: an object is
/// known by its key, size and ETag, as a local file is by its path and bytes.
///
/// - an object recorded with the same size and ETag: unchanged, not copied;
/// - a key recorded with another size or ETag: changed; its old rows go and it is copied again;
/// - a key not recorded: new.
///
/// Staging rows name their copy group (file_id): COPY has no per-row source column, so the
/// rows of one COPY are given one file id afterwards (`tagFileID`, the first of its objects),
/// and a change replaces a whole group. The new objects load in one COPY through one
/// manifest, so that the cluster's slices read them in parallel. When objects changed, each
/// changed one gets a COPY of its own (a later change to it replaces it alone), and the
/// unchanged members of the groups it replaced, whose rows went with it, are copied again
/// together in one more COPY: at most two COPYs more than the changed objects, however
/// large the groups.
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
        var siblings: [Replacement] = []
        for (file, previous) in same {
            if groups.contains(Self.group(of: previous)) { siblings.append(Replacement(file: file, previous: previous)) } else { unchanged += 1 }
        }
        replacedRowGroups = groups.sorted()
        // Each changed object alone, then the siblings together, then the new ones together.
        let batches = changed.map { [$0.file] } + [siblings.map(\.file), new].filter { !$0.isEmpty }
        changed += siblings
        var nextID = firstFileID
        for files in batches {
            let numbered = files.enumerated().map { (fileID: nextID + $0.offset, file: $0.element) }
            // A run that only adds has one COPY, named after its table; otherwise each is named by its first id.
            let name = groups.isEmpty ? table : "\(table)-\(nextID)"
            copies.append(Copy(files: numbered, manifest: RedshiftCopyManifest(
                urls: numbered.map(\.file.path), location: RedshiftCopyManifest.location(folder: folder, runID: runID, table: name)),
                tagFileID: nextID))
            nextID += files.count
        }
    }

    /// `content_hash` of an S3 object's manifest row (its ETag is its identity): the file id
    /// its rows carry, the first of the COPY it came in.
    public static func groupTag(_ fileID: Int) -> String { "copy group \(fileID)" }

    static func group(of entry: ManifestEntry) -> Int {
        entry.contentHash.hasPrefix("copy group ") ? Int(entry.contentHash.dropFirst("copy group ".count)) ?? entry.fileID : entry.fileID
    }

    /// The file ids of the listed objects whose manifest rows go before the copies. The load
    /// forgets its replaced groups whole: a member no longer listed goes with them.
    public var replacedFileIDs: [Int] { changed.map(\.previous.fileID).sorted() }

    /// The number of file ids the plan gives.
    public var fileCount: Int { copies.reduce(0) { $0 + $1.files.count } }

    /// Whether the load adds or removes rows of the table (and so may need its statistics renewed).
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
