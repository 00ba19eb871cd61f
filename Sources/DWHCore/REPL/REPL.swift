import Foundation
import LineEditor
import Postgres

/// `dwh repl`: reads statements and meta-commands, runs them on one session, shows the
/// results. With a terminal it edits lines with libedit (history, Ctrl-R, completion);
/// without one it reads standard input and stops at the first error unless told to go on.
public final class REPL {
    public struct Options: Sendable {
        public var continueOnError = false
        /// Where history is kept between sessions (`DWH_HISTORY`, else `~/.dwh_history`).
        public var historyFile: String?
        /// Read through the line editor (a terminal) rather than plain standard input.
        public var interactive: Bool
        /// On Redshift, where `\export` has the cluster UNLOAD to S3 (`RedshiftExport`).
        public var unload: RedshiftExport.Settings?
        /// `--yes`: what would ask for confirmation (a DELETE without WHERE, replacing a
        /// saved query) goes ahead.
        public var assumeYes = false

        public init(interactive: Bool, historyFile: String?, continueOnError: Bool = false) {
            self.interactive = interactive
            self.historyFile = historyFile
            self.continueOnError = continueOnError
        }
    }

    let session: Session
    let options: Options
    /// The saved queries; read again when their folder changes (`refreshCatalog`).
    var catalog: QueryCatalog?
    var catalogSignature: [String]
    /// The terminal: messages, and results unless `\o` sends them elsewhere.
    let standardOutput = BufferedOutput.standardOutput()
    /// Where results go: standard output, or the file `\o` names.
    var output: BufferedOutput
    var outputPath: String?
    var buffer = StatementBuffer()
    var format = OutputFormat.table
    var timing = false
    var expanded = ExpandedDisplay.off
    /// How NULL shows in tables (`\pset null`).
    var nullText = TableRenderer.nullText
    /// `\set` variables, interpolated as `:NAME`, `:'NAME'` and `:"NAME"`.
    var variables: [String: String] = [:]
    /// Whether long results go through the pager (on a terminal only).
    var pager = true
    /// The last query that returned rows, for `\export`, `\chart` and `\e`.
    var lastRequest: QueryRequest?
    var lastTable: ResultTable?
    var lastStatement: String?
    /// The rows of the last result, for `\export`.
    var keptResult: KeptResult?
    var completionColumns: [String: [String]]?
    var completionKnowledge: CompletionKnowledge?
    var errors = 0
    var editor: LineEditor?

    public init(session: Session, catalog: QueryCatalog?, options: Options) {
        self.session = session
        self.catalog = catalog
        self.options = options
        output = standardOutput
        catalogSignature = catalog.map { REPL.signature(of: $0.directory) } ?? []
        // As psql does: a notice ("table … does not exist, skipping") is shown on stderr.
        // Control characters in a notice or an error show escaped, never reach the terminal raw.
        // The session begins with client_min_messages = warning; showNotices resets it.
        session.showNotices { FileHandle.standardError.write(Data((VisibleText.message($0) + "\n").utf8)) }
    }

    var connection: Connection { session.connection }

    /// Runs until `\q`, end of input, or (without a terminal) the first error; returns
    /// the exit status.
    public func run() -> Int32 {
        if options.interactive {
            let editor = LineEditor(programName: "dwh", prompt: prompt, historyFile: options.historyFile)
            editor.completer = { [unowned self] line, after in
                refreshCatalog()
                return makeCompleter().complete(line, statement: buffer.pending, after: after)
            }
            self.editor = editor
            say("dwh repl on \(connection.database) (\(session.dialect.rawValue)); \\? for help, \\q to quit")
        }
        defer { editor?.saveHistory() }
        while true {
            switch readInput(prompt: prompt) {
            case .endOfFile:
                if options.interactive { say("") } else { runUnterminated() }
                return errors > 0 && !options.interactive ? 1 : 0
            case .interrupted:
                buffer.clear()
            case .line(let line):
                let keepGoing = process(line)
                if !keepGoing { return errors > 0 && !options.interactive ? 1 : 0 }
                if errors > 0 && !options.interactive && !options.continueOnError { return 1 }
            }
        }
    }

    /// The next line: from the editor at a terminal (with `prompt`), else from standard input.
    func readInput(prompt: String) -> LineEditor.Input {
        guard let editor else { return Swift.readLine(strippingNewline: true).map(LineEditor.Input.line) ?? .endOfFile }
        editor.prompt = prompt
        return editor.readLine()
    }

    /// Handles one line of input; false when the session should end.
    func process(_ line: String) -> Bool {
        // As in psql, a backslash line is a command even inside an unfinished statement
        // (`\e` then edits that statement).
        if line.trimmingWhitespace().hasPrefix("\\") {
            editor?.addHistory(line)
            return runMeta(line)
        }
        // `SELECT 1 \\gx`: the SQL joins the statement, then the command runs.
        if let (sql, command) = buffer.splittingMetaCommand(line) {
            guard process(sql) else { return false }
            return runMeta(command)
        }
        for statement in buffer.append(line: line) {
            editor?.addHistory(statement)
            lastStatement = statement
            run(statement)
            if errors > 0 && !options.interactive && !options.continueOnError { break }
        }
        return true
    }

    /// A statement as typed: its `:variables` filled in, then, at a terminal, a question
    /// first if it would change every row or drop something (`StatementRisk`).
    @discardableResult
    func run(_ statement: String) -> Bool {
        let sql: String
        do {
            sql = try VariableInterpolation(variables: variables, literal: connection.escapeLiteral,
                                            identifier: connection.escapeIdentifier).interpolate(statement)
        } catch {
            fail("\(error)")
            return false
        }
        if options.interactive, let question = StatementRisk.question(for: sql), !confirm(question) {
            say("not run")
            return false
        }
        return execute(sql)
    }

    /// As psql does at the end of a file or pipe (never at a terminal's Ctrl-D): a last
    /// statement without its `;` runs.
    func runUnterminated() {
        guard !buffer.isEmpty else { return }
        let statement = buffer.pending
        buffer.clear()
        lastStatement = statement
        run(statement)
    }

    /// `sparkify postgres=> `; `*` inside a transaction, `!` in a failed one.
    var prompt: String {
        let mark: String
        switch connection.transactionState {
        case .inTransaction: mark = "*"
        case .failed: mark = "!"
        default: mark = ""
        }
        let head = "\(connection.database) \(session.dialect.rawValue)\(mark)"
        return buffer.isEmpty ? head + "=> " : String(repeating: " ", count: head.count) + "-> "
    }

    /// Runs a statement and shows its result, or its error with a caret.
    @discardableResult
    func execute(_ sql: String, parameters: [String] = [], source: SQLSource? = nil, statement: SQLStatement? = nil) -> Bool {
        guard ensureConnected() else { return false }
        // The catalog's own queries (`\d`) are not results to export.
        let kept = statement == nil ? try? KeptResult(statement: sql) : nil
        var request = QueryRequest(sql: sql, parameters: parameters, format: format,
                                   expanded: expanded == .on, streamsCSV: false,
                                   pager: pager && options.interactive && outputPath == nil ? PagerSetting.forStandardOutput() : nil)
        request.autoExpand = expanded == .auto
        request.nullText = nullText
        do {
            let outcome = try QueryRunner.run(request, on: connection, dialect: session.dialect, terminalWidth: Terminal.width(),
                                              standardOutput: output, observer: kept)
            if let status = outcome.commandStatus {
                completionColumns = nil
                // An empty query (only a comment) has nothing to report.
                if status.isEmpty { return true }
                write(status + (timing ? "  (\(TableRenderer.formatMilliseconds(outcome.milliseconds)))" : "") + "\n")
            } else {
                if format == .table { write(TableRenderer.footer(rows: outcome.rows ?? 0, milliseconds: timing ? outcome.milliseconds : nil)) }
                lastRequest = request
                lastTable = outcome.table
                if statement == nil { keptResult = kept }
            }
            return true
        } catch {
            if !connection.isConnected {
                // Not the statement's fault: no caret under it, and nothing is retried.
                let reason = (error as? PostgresError)?.message ?? "\(error)"
                fail("the connection to the server was lost: \(reason.split(separator: "\n").first ?? "")")
                say("reconnecting (the statement was not retried: it may or may not have been applied)")
                _ = ensureConnected()
            } else if let statement, let error = error as? PostgresError, error.kind == .server {
                fail(statement.place(error).description)
            } else {
                fail(QueryText.report(error, sql: sql, source: source))
            }
            return false
        }
    }

    /// Re-establishes a lost connection before a statement, saying so.
    func ensureConnected() -> Bool {
        guard !connection.isConnected else { return true }
        do {
            try connection.reset()
            say("reconnected to \(connection.database) on \(connection.host):\(connection.port)")
            return true
        } catch {
            fail("could not reconnect: \(error); dwh tries again at the next statement")
            return false
        }
    }

    func catalogColumns() -> [String: [String]] {
        if let completionColumns { return completionColumns }
        var columns: [String: [String]] = [:]
        if connection.isConnected, connection.transactionState == .idle,
           let result = try? connection.execute(catalogStatement("columns"), catalogParameters([])) {
            for row in 0..<result.rowCount {
                if let table = result[row, 0], let column = result[row, 1] { columns[table, default: []].append(column) }
            }
        }
        completionColumns = columns
        return columns
    }

    /// One of the REPL's catalog queries (`REPL/catalog.sql`), for this session's dialect.
    func catalogStatement(_ name: String) -> SQLStatement {
        SQLStatements("REPL/catalog.sql", for: session.dialect)[name]
    }

    /// A catalog query's parameters: on Redshift, the schema in use follows `given`.
    func catalogParameters(_ given: [String]) -> [String?] {
        guard session.dialect == .redshift else { return given }
        let schema = try? connection.execute(catalogStatement("schema")).scalar
        return given + [schema ?? "public"]
    }

    /// Runs a catalog query and shows its rows; an error is placed in catalog.sql.
    @discardableResult
    func execute(_ statement: SQLStatement, parameters: [String] = []) -> Bool {
        execute(statement.sql, parameters: catalogParameters(parameters).map { $0 ?? "" }, statement: statement)
    }

    func write(_ text: String) {
        try? output.write(text)
        try? output.flush()
    }

    /// A message for the person: on the terminal (stdout, so it interleaves with results)
    /// even while `\o` sends results to a file.
    func say(_ text: String) {
        try? output.flush()
        try? standardOutput.write(text + "\n")
        try? standardOutput.flush()
    }

    /// An error: counted, and printed on standard error.
    func fail(_ text: String) {
        errors += 1
        try? output.flush()
        try? standardOutput.flush()
        FileHandle.standardError.write(Data((VisibleText.message(text) + "\n").utf8))
    }
}
