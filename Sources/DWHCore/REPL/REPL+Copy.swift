import Foundation

/// `\copy`: the server's COPY with the file on this side, streamed both ways.
extension REPL {
    func copy(_ text: String) {
        guard ensureConnected() else { return }
        do {
            let copy = try ClientCopy.parse(text)
            var request = QueryRequest(sql: copy.sql, outputPath: copy.direction == .to ? copy.file : nil)
            var input: Int32 = -1
            defer { if input >= 0 { close(input) } }
            if copy.direction == .from {
                input = try copy.file.map(openForReading) ?? dataFromInput()
                request.copyInput = input
            }
            let outcome = try QueryRunner.run(request, on: connection, dialect: session.dialect, standardOutput: output)
            if copy.direction == .from || copy.file != nil { write("COPY \(outcome.rows ?? 0)\n") }
        } catch {
            fail(QueryText.report(error, sql: text))
        }
    }

    private func openForReading(_ path: String) throws -> Int32 {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw MetaCommandError.cannotRead(path: path, reason: String(cString: strerror(errno))) }
        return descriptor
    }

    /// `FROM stdin`: the lines that follow in the REPL's input, up to `\.` (or the end), as
    /// psql reads them; held in a spool file (`SpoolFile`), not in memory, written in blocks.
    private func dataFromInput() throws -> Int32 {
        let spool = try SpoolFile()
        if options.interactive {
            say("Enter data to be copied followed by a newline.\nEnd with a backslash and a period on a line by itself, or an EOF signal.")
        }
        var block: [UInt8] = []
        while case .line(let line) = readInput(prompt: ">> "), line != "\\." {
            block.append(contentsOf: line.utf8)
            block.append(UInt8(ascii: "\n"))
            if block.count >= 1 << 16 {
                try block.withUnsafeBytes { try spool.append($0) }
                block.removeAll(keepingCapacity: true)
            }
        }
        try block.withUnsafeBytes { try spool.append($0) }
        return try spool.readingDescriptor()
    }
}
