import Foundation

/// `\saved`, `\run`, `\save`, `\show` and `\edit`: the saved queries listed, run, written,
/// read and edited from the REPL, and the catalog read again whenever its folder changes,
/// with no restart.
extension REPL {
    /// `\saved`: each saved query with its description and parameters.
    func listSaved() {
        refreshCatalog()
        let queries = catalog?.queries ?? []
        let width = queries.map(\.name.count).max() ?? 0
        for query in queries {
            let parameters = query.parameters.map(\.signature).joined(separator: ", ")
            say("  " + query.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + query.description
                + (parameters.isEmpty ? "" : "  [\(parameters)]"))
        }
    }

    /// `\run NAME key=value …`: the saved query with its parameters bound.
    func runSaved(_ name: String, _ assignments: [String]) {
        do {
            let query = try savedQuery(name)
            let values = try query.bind(QueryParameter.assignments(assignments))
            lastStatement = query.sql + ";"
            execute(query.sql, parameters: values, source: query.source)
        } catch {
            fail("\(error)")
        }
    }

    /// `\save NAME`: the last statement as `queries/NAME.sql`, with a header; an existing
    /// file is replaced only when the person says so.
    func save(_ name: String) {
        guard name.range(of: #"^[a-z][a-z0-9_]*$"#, options: .regularExpression) != nil else {
            return fail("\\save: a saved query's name is lower_snake_case, got \"\(name)\"")
        }
        guard let statement = lastStatement else { return fail("\(MetaCommandError.nothingToRepeat("\\save"))") }
        let directory = catalog?.directory ?? "queries"
        let path = directory + "/" + name + ".sql"
        var body = QueryText.stripped(statement, keepingStart: false)
        body += ";\n"
        let text = "-- name: \(name)\n-- description: saved from the REPL on \(UTCDate.formatter("yyyy-MM-dd").string(from: Date()))\n" + body
        do {
            _ = try SavedQuery(text: text, file: path)
            if FileManager.default.fileExists(atPath: path) {
                guard confirm("\(path) exists: replace it?") else { return say("\(path) left as it was") }
            }
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try AtomicFile.write(path) { try $0.write(text) }
            refreshCatalog(force: true)
            say("saved \(path); \\run \(name) runs it")
        } catch {
            fail("\(error)")
        }
    }

    /// `\show NAME`: the saved query's file as it is.
    func show(_ name: String) {
        do {
            let query = try savedQuery(name)
            let text = try SourceText.read(query.file)
            write(text.hasSuffix("\n") ? text : text + "\n")
        } catch {
            fail("\(error)")
        }
    }

    /// `\edit NAME`: `$EDITOR` on the file itself, then the catalog is read again; a file
    /// left broken is named with its error, and the catalog keeps what it had.
    func editQuery(_ name: String) {
        do {
            let query = try savedQuery(name)
            try ExternalEditor.open(query.file)
            refreshCatalog(force: true)
        } catch {
            fail("\(error)")
        }
    }

    private func savedQuery(_ name: String) throws -> SavedQuery {
        refreshCatalog()
        guard let catalog else { throw QueryError.noDirectory(searched: ProjectSearch.places(for: "queries")) }
        return try catalog.query(named: name)
    }

    /// Reads the catalog again if a file in its folder was added, removed or changed
    /// (`force`: in any case). A broken file is reported once, and the old catalog stays.
    func refreshCatalog(force: Bool = false) {
        let directory = catalog?.directory ?? "queries"
        let signature = Self.signature(of: directory)
        guard force || signature != catalogSignature else { return }
        catalogSignature = signature
        guard FileManager.default.fileExists(atPath: directory) else { return }
        do {
            catalog = try QueryCatalog(directory: directory)
            completionColumns = nil
        } catch {
            fail("saved queries not reloaded: \(error)")
        }
    }

    /// The folder's `*.sql` files with their sizes and modification times.
    static func signature(of directory: String) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".sql") }.sorted().map { file in
            var status = stat()
            guard stat(directory + "/" + file, &status) == 0 else { return file }
            return "\(file) \(status.st_size) \(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)"
        }
    }

    /// Asks on the terminal; from a pipe the answer is no, unless `--yes` or
    /// `\set confirm off` said yes beforehand.
    func confirm(_ question: String) -> Bool {
        if options.assumeYes || variables["confirm"]?.lowercased() == "off" { return true }
        guard let editor else {
            say("\(question) not without a terminal (dwh repl --yes, or \\set confirm off, says yes)")
            return false
        }
        editor.prompt = question + " [y/N] "
        guard case .line(let answer) = editor.readLine() else { return false }
        return ["y", "yes"].contains(answer.trimmingWhitespace().lowercased())
    }
}
