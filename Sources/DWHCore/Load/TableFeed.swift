import Foundation

/// One staging table's share of a load, on its own thread: walks the source, decides each
/// file against the manifest, reads and converts the files it loads into binary COPY rows,
/// and hands them on, either to the COPY running on the loader's thread (`queue`) or to a
/// spool file the loader sends once the first table's COPY is done. Each loaded file's
/// manifest row goes to a spool file too. Nothing it holds grows with the number of files
/// but the ids of replaced files.
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
    /// The file ids of changed files, whose old rows the load removes.
    private(set) var replaced: [Int] = []
    private(set) var failure: Error?
    private let done = DispatchSemaphore(value: 0)
    private var joined = false

    init(table: StagingTable, source: LoadSource, output: Output, context: Context) throws {
        self.table = table
        self.source = source
        self.output = output
        self.context = context
        manifestRows = try SpoolFile()
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
        let send: (ByteBuffer) throws -> Void = { [output] buffer in
            switch output {
            case .queue(let queue): try queue.put(buffer)
            case .spool(let spool): try spool.write(buffer)
            }
        }
        let readAhead = ReadAhead(source: source)
        defer { readAhead.stop() }
        /// Loads the files of a batch the read-ahead threads are done with, in order.
        func load(_ batch: ReadAhead.Batch) throws {
            for (file, contents) in zip(batch.files, readAhead.contents(of: batch)) {
                try run.checkRunning()
                let fileID = run.allocateFileID()
                let stream = try contents.get().map(MemoryStream.init) ?? opener.open(file)
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
        var batch = ReadAhead.Batch()
        var reading: [ReadAhead.Batch] = []
        try source.forEachFile(skipped: run.skip) { file in
            try run.checkRunning()
            guard file.path.utf8.count <= ManifestRow.maxPathBytes else {
                throw LoadError.pathTooLong(path: file.path, limit: ManifestRow.maxPathBytes)
            }
            let planned = PlannedFile(table: table, file: file, previous: try cursor.entry(for: file.path))
            switch planned.action {
            case .skipUnchanged:
                filesSkipped += 1
                run.fileSkipped(bytes: max(file.size, 0))
                return
            case .reload(let previous):
                replaced.append(previous.fileID)
            case .loadNew:
                break
            }
            guard readAhead.add(file, to: batch) else { return }
            readAhead.submit(batch)
            reading.append(batch)
            batch = ReadAhead.Batch()
            if reading.count > readAhead.maxBatches { try load(reading.removeFirst()) }
        }
        if !batch.files.isEmpty {
            readAhead.submit(batch)
            reading.append(batch)
        }
        for batch in reading { try load(batch) }
        if out.count > 0 { try send(out) }
        try manifestRows.write(manifestOut)
    }
}
