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
                              index: { [manifest = context.manifest] in try IdentityIndex(manifest: manifest, table: table.name) })
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

    /// What a feed reads and writes its files with: one of each for the whole walk.
    private struct Tools {
        let opener: FileOpener
        let reader: RecordReader
        /// COPY rows on their way to `send`.
        let out: ByteBuffer
        /// Manifest rows on their way to `manifestRows`.
        let manifestOut: ByteBuffer
        let send: (ByteBuffer) throws -> Void
    }

    private func feed() throws {
        let run = context.run
        let tools = Tools(opener: source.makeOpener(), reader: RecordReader(table: table, format: .binary),
                          out: ByteBuffer(capacity: (1 << 18) + (1 << 16)), manifestOut: ByteBuffer(capacity: 1 << 16),
                          send: { [output] buffer in
                              switch output {
                              case .queue(let queue): try queue.put(buffer)
                              case .spool(let spool): try spool.write(buffer)
                              }
                          })
        var cursor = try context.manifest.map(ManifestCursor.init(spool:)) ?? .empty
        cursor.onPassed = { [decider] in decider.passed($0) }
        let readAhead = ReadAhead(source: source)
        defer { readAhead.stop() }
        /// Loads the files of a batch the read-ahead threads are done with, in order.
        func loadBatch(_ batch: ReadAhead.Batch, _ found: [Found]) throws {
            for ((file, contents), found) in zip(zip(batch.files, readAhead.contents(of: batch)), found) {
                try run.checkRunning()
                try load(file, bytes: try contents.get(), found: found, with: tools)
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
                let action = try decider.decide(file, identity: FileIdentity(size: file.size, etag: etag), previous: previous)
                guard action.loads else { return countSkipped(file) }
                decided = action
            }
            found.append(Found(previous: previous, decided: decided))
            guard readAhead.add(file, to: batch) else { return }
            readAhead.submit(batch)
            reading.append((batch, found))
            batch = ReadAhead.Batch()
            found = []
            if reading.count > readAhead.maxBatches { try loadBatch(reading[0].0, reading.removeFirst().1) }
        }
        try cursor.drain()
        if !batch.files.isEmpty {
            readAhead.submit(batch)
            reading.append((batch, found))
        }
        for (batch, found) in reading { try loadBatch(batch, found) }
        if tools.out.count > 0 { try tools.send(tools.out) }
        try manifestRows.write(tools.manifestOut)
    }

    /// Decides one file, then reads it into COPY rows and a manifest row, or counts it
    /// skipped. An S3 object was decided from its listing (`found.decided`); a local file
    /// is decided by its bytes, hashed here first.
    private func load(_ file: SourceFile, bytes: [UInt8]?, found: Found, with tools: Tools) throws {
        let run = context.run
        let action = try found.decided ?? decider.decide(
            file, identity: try FileIdentity.of(file, bytes: bytes, opener: tools.opener), previous: found.previous)
        guard action.loads else { return countSkipped(file) }
        let fileID = run.allocateFileID()
        let stream = try bytes.map(MemoryStream.init) ?? tools.opener.open(file)
        let summary = try tools.reader.read(stream, path: file.path, fileID: fileID, into: tools.out,
                                            flush: tools.send, bad: { try run.record($0) })
        filesLoaded += 1
        rows += summary.rows
        bytesRead += summary.bytes
        run.fileDone(rows: summary.rows, bytes: summary.bytes)
        ManifestRow(fileID: fileID, table: table.name, file: file, summary: summary, runID: context.runID,
                    loadedAtMicros: context.loadedAtMicros).append(to: tools.manifestOut)
        if tools.manifestOut.count >= 1 << 16 { try manifestRows.write(tools.manifestOut) }
    }

    private func countSkipped(_ file: SourceFile) {
        filesSkipped += 1
        context.run.fileSkipped(bytes: max(file.size, 0))
    }

    /// A file as the walk found it: its manifest entry, and its fate if known before reading.
    private struct Found {
        var previous: ManifestEntry?
        var decided: PlannedFile.Action?
    }
}
