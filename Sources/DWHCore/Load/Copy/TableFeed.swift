import Foundation

/// One staging table's share of a load, on its own thread: walks the source, decides each
/// file against the manifest by its bytes (`FileDecider`), reads and converts the files it
/// loads into binary COPY rows,
/// and hands them on, either to the COPY running on the loader's thread (`queue`) or to a
/// spool file the loader sends once the first table's COPY is done. Each loaded file's
/// manifest row goes to a spool file too. What grows with the number of files is the
/// manifest's identity index (24 bytes a recorded file) and the identities of the files
/// this run loads.
///
/// The second table's spool is what lets a hundred thousand one-object song files (an
/// open, a read and a close each) be read while the server is busy with the event logs,
/// on the one connection and in the one transaction of the load. Small files are read
/// ahead by `ReadAhead`'s threads, several at once.
final class TableFeed: @unchecked Sendable {
    // @unchecked Sendable: the vars are written on the feed's thread only, and read by the
    // loader after `join()`, which waits for that thread to end.
    enum Output {
        case queue(ChunkQueue)
        case spool(SpoolFile)
    }

    struct Context: @unchecked Sendable {
        // @unchecked Sendable: the manifest spool is only read (pread) once made.
        var run: LoadRun
        /// The manifest before the load, sorted by path; nil on a full refresh.
        var manifest: SpoolFile?
        var runID: String
        /// The transaction's time, as a binary timestamp.
        var loadedAtMicros: Int64
    }

    let table: StagingTable
    let source: LoadSource
    let output: Output
    let context: Context
    /// dwh_loaded_files rows, binary COPY tuples.
    let manifestRows: SpoolFile
    private(set) var filesLoaded = 0
    private(set) var filesSkipped = 0
    private(set) var rows = 0
    private(set) var bytesRead: Int64 = 0
    /// What the feed decided file by file; settles the files not found at the end.
    let decider: FileDecider
    private(set) var failure: Error?
    private let done = DispatchSemaphore(value: 0)
    private var joined = false

    init(table: StagingTable, source: LoadSource, output: Output, context: Context) throws {
        self.table = table
        self.source = source
        self.output = output
        self.context = context
        manifestRows = try SpoolFile()
        decider = FileDecider(table: table, root: source.manifestRoot,
                              index: try IdentityIndex(manifest: context.manifest, table: table.name))
        if case .queue(let queue) = output { context.run.watch(queue) }
    }

    func start() {
        let thread = Thread { [self] in
            do {
                try feed()
                if case .queue(let queue) = output { queue.finish() }
            } catch {
                failure = error
                context.run.stop(error)
                if case .queue(let queue) = output { queue.finish(error) }
            }
            done.signal()
        }
        thread.name = "dwh load \(table.name)"
        thread.start()
    }

    /// Waits for the thread to end, calling `waiting` every `interval` seconds meanwhile.
    func join(interval: Double = 0.2, waiting: () -> Void = {}) {
        guard !joined else { return }
        while done.wait(timeout: .now() + interval) == .timedOut { waiting() }
        joined = true
    }

    private func feed() throws {
        let run = context.run
        let opener = source.makeOpener()
        let reader = RecordReader(table: table, format: .binary)
        let out = ByteBuffer(capacity: (1 << 18) + (1 << 16))
        let manifestOut = ByteBuffer(capacity: 1 << 16)
        var cursor = try context.manifest.map(ManifestCursor.init(spool:)) ?? .empty
        cursor.onPassed = { [decider] in decider.passed($0) }
        let send: (ByteBuffer) throws -> Void = { [output] buffer in
            switch output {
            case .queue(let queue): try queue.put(buffer)
            case .spool(let spool): try spool.write(buffer)
            }
        }
        let readAhead = ReadAhead(source: source)
        defer { readAhead.stop() }
        /// Decides, then loads, the files of a batch the read-ahead threads are done with, in
        /// order. An S3 object was decided from its listing (`decided`); a local file is
        /// decided by its bytes, hashed here first.
        func load(_ batch: ReadAhead.Batch, _ found: [Found]) throws {
            for ((file, contents), found) in zip(zip(batch.files, readAhead.contents(of: batch)), found) {
                try run.checkRunning()
                let bytes = try contents.get()
                let action = try found.decided ?? decider.decide(
                    file, identity: try FileIdentity.of(file, bytes: bytes, opener: opener), previous: found.previous)
                guard action.loads else {
                    filesSkipped += 1
                    run.fileSkipped(bytes: max(file.size, 0))
                    continue
                }
                let fileID = run.allocateFileID()
                let stream = try bytes.map(MemoryStream.init) ?? opener.open(file)
                let summary = try reader.read(stream, path: file.path, fileID: fileID, into: out,
                                              flush: send, bad: { try run.record($0) })
                filesLoaded += 1
                rows += summary.rows
                bytesRead += summary.bytes
                run.fileDone(rows: summary.rows, bytes: summary.bytes)
                ManifestRow(fileID: fileID, table: table.name, file: file, summary: summary, runID: context.runID,
                            loadedAtMicros: context.loadedAtMicros).append(to: manifestOut)
                if manifestOut.count >= 1 << 16 { try manifestRows.write(manifestOut) }
            }
        }
        var batch = ReadAhead.Batch(), found: [Found] = []
        var reading: [(ReadAhead.Batch, [Found])] = []
        try source.forEachFile(skipped: run.skip) { file in
            try run.checkRunning()
            guard file.path.utf8.count <= ManifestRow.maxPathBytes else {
                throw LoadError.pathTooLong(path: file.path, limit: ManifestRow.maxPathBytes)
            }
            let previous = try cursor.entry(for: file.path)
            var decided: PlannedFile.Action?
            if let etag = file.etag {
                let action = decider.decide(file, identity: FileIdentity(size: file.size, etag: etag), previous: previous)
                guard action.loads else {
                    filesSkipped += 1
                    run.fileSkipped(bytes: max(file.size, 0))
                    return
                }
                decided = action
            }
            found.append(Found(previous: previous, decided: decided))
            guard readAhead.add(file, to: batch) else { return }
            readAhead.submit(batch)
            reading.append((batch, found))
            batch = ReadAhead.Batch()
            found = []
            if reading.count > readAhead.maxBatches { try load(reading[0].0, reading.removeFirst().1) }
        }
        try cursor.drain()
        if !batch.files.isEmpty {
            readAhead.submit(batch)
            reading.append((batch, found))
        }
        for (batch, found) in reading { try load(batch, found) }
        if out.count > 0 { try send(out) }
        try manifestRows.write(manifestOut)
    }

    /// A file as the walk found it: its manifest entry, and its fate if known before reading.
    private struct Found {
        var previous: ManifestEntry?
        var decided: PlannedFile.Action?
    }
}

extension FileIdentity {
    /// A local file's identity from its bytes (read already, or read here once to hash
    /// them); nil for a pipe, whose bytes can be read only once.
    static func of(_ file: SourceFile, bytes: [UInt8]?, opener: FileOpener) throws -> FileIdentity? {
        var hasher = ContentHasher()
        if let bytes {
            bytes.withUnsafeBytes { hasher.update($0) }
            return FileIdentity(size: Int64(bytes.count), contentHash: hasher.digest)
        }
        guard file.size >= 0 else { return nil }
        let stream = try opener.open(file)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var size: Int64 = 0
        while true {
            let count = try stream.read(into: buffer)
            if count == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            size += Int64(count)
        }
        return FileIdentity(size: size, contentHash: hasher.digest)
    }
}
