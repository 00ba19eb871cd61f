import Foundation

extension REPL {
    /// Runs a backslash command; false for `\q`.
    func runMeta(_ line: String) -> Bool {
        let command: MetaCommand
        do { command = try MetaCommand.parse(line) } catch {
            fail("\(error)")
            return true
        }
        switch command {
        case .quit:
            return false
        case .help:
            showHelp()
        case .saved:
            listSaved()
        case .run(let name, let assignments):
            runSaved(name, assignments)
        case .catalog(let command):
            runCatalog(command)
        case .sqlHelp(let topic):
            sqlHelp(topic)
        case .connect(let database, let user):
            reconnect(database: database, user: user)
        case .timing(let chosen):
            setTiming(chosen)
        case .pager(let chosen):
            setPager(chosen)
        case .expanded(let chosen):
            setExpanded(chosen)
        case .format(let chosen):
            setFormat(chosen)
        case .chart:
            chartLast()
        case .export(let path, nil):
            exportKept(to: path)
        case .export(let path, let query?):
            export(query, to: path)
        case .include(let path):
            include(path)
        case .connectionInfo:
            showConnectionInfo()
        case .edit:
            edit()
        case .output(let path):
            setOutput(path)
        case .go(let path, let expanded):
            go(to: path, expanded: expanded)
        case .watch(let seconds):
            watch(every: seconds)
        case .set(let name, let value):
            setVariable(name, value)
        case .unset(let name):
            unsetVariable(name)
        case .pset(let option, let value):
            pset(option, value)
        case .save(let name):
            save(name)
        case .show(let name):
            show(name)
        case .editQuery(let name):
            editQuery(name)
        case .copy(let text):
            copy(text)
        }
        return true
    }

    /// `\?`: every backslash command with its one line.
    private func showHelp() {
        say(MetaCommand.catalog.map { "  \($0.command.padding(toLength: 10, withPad: " ", startingAt: 0)) \($0.summary)" }
            .joined(separator: "\n"))
    }

    /// `\conninfo`: where the session is connected, as whom, and to what server.
    private func showConnectionInfo() {
        say("connected to database \(connection.database) as user \(connection.user) on \(connection.host):\(connection.port)"
            + " (\(session.dialect.rawValue), server \(connection.parameterStatus("server_version") ?? "?"))")
    }

    private func chartLast() {
        guard lastRequest != nil else { return fail("\(MetaCommandError.nothingToRepeat("\\chart"))") }
        guard let lastTable else {
            return fail("\\chart draws results of up to \(RowWriter.widthSample) rows; the last one had more")
        }
        do {
            let width = Terminal.width()
            write(TerminalChart.render(try BarChart(table: lastTable, labelWidth: max(12, width / 3)), width: width))
        } catch {
            fail("\(error)")
        }
    }

    /// `\export FILE`: the rows the last result showed, from where they were kept; nothing
    /// runs again.
    private func exportKept(to path: String) {
        guard let kept = keptResult else { return fail("\(MetaCommandError.nothingToRepeat("\\export"))") }
        guard kept.isWhole else {
            let refusal = MetaCommandError.notKept(statement: kept.statement, reason: kept.missingReason ?? "",
                                                   changesData: !QueryText.onlyReads(kept.statement))
            return fail(refusal.description)
        }
        do {
            try AtomicFile.write(path) { try kept.copy(to: $0) }
            say("wrote \(Self.rows(kept.rowCount)) to \(path)")
        } catch {
            fail("\(error)")
        }
    }

    /// `\export FILE QUERY`: runs the query into the file (through UNLOAD on Redshift).
    private func export(_ query: String, to path: String) {
        guard ensureConnected() else { return }
        let request = QueryRequest(sql: query, format: .csv, outputPath: path)
        do {
            let outcome = try QueryRunner.run(request, on: connection, dialect: session.dialect, standardOutput: output,
                                              unload: options.unload)
            say("wrote \(Self.rows(outcome.rows ?? 0)) to \(path)")
        } catch {
            fail(QueryText.report(error, sql: query))
        }
    }

    /// "1 row", "2 rows".
    static func rows(_ count: Int) -> String { count == 1 ? "1 row" : "\(count) rows" }

    private func include(_ path: String) {
        let text: String
        do { text = try SourceText.read(path) } catch { return fail("\(error)") }
        let outer = buffer
        buffer = StatementBuffer()
        defer { buffer = outer }
        for line in TextLines.split(text) {
            let before = errors
            guard process(String(line)) else { return }
            if errors > before && !options.continueOnError && !options.interactive { return }
        }
        runUnterminated()
    }

    private func edit() {
        let start = buffer.isEmpty ? (lastStatement ?? "") : buffer.pending
        do {
            let edited = try ExternalEditor.edit(start)
            buffer.clear()
            say(edited.trimmingWhitespace())
            for line in edited.split(separator: "\n", omittingEmptySubsequences: false) { _ = process(String(line)) }
        } catch {
            fail("\(error)")
        }
    }
}
