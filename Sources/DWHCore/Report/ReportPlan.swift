/// What `dwh report` will run, decided before connecting: each section's saved query,
/// the values bound to its parameters (defaults, then the definition's, then `--param`),
/// and its chart. A bad name or value fails here, before any query runs.
public struct ReportPlan: Equatable, Sendable {
    public struct Section: Equatable, Sendable {
        /// Unique in the report: the anchor and the CSV file's name.
        public var id: String
        /// The parameters the definition gives this section, `by = browser`: what tells
        /// two sections of one query apart.
        public var variant: String
        public var query: SavedQuery
        /// Values for `$1`, `$2`, …, checked against their declared types.
        public var values: [String]
        public var chart: ChartLayout.Kind
        public var labelColumn: String?
        public var valueColumn: String?
        /// The heading of the part of the report that starts here, if one does.
        public var part: String?

        public init(id: String, variant: String, query: SavedQuery, values: [String], chart: ChartLayout.Kind,
                    labelColumn: String?, valueColumn: String?, part: String? = nil) {
            self.id = id
            self.variant = variant
            self.query = query
            self.values = values
            self.chart = chart
            self.labelColumn = labelColumn
            self.valueColumn = valueColumn
            self.part = part
        }

        /// `limit = 10, since = 2018-01-01`: every parameter as it will run.
        public var settings: String {
            zip(query.parameters, values).map { "\($0.name) = \($1)" }.joined(separator: ", ")
        }
    }

    public var title: String
    public var sections: [Section]
    /// The `--param since=…` given for the whole report: where its period starts.
    public var since: String?
    /// A `--param NAME=VALUE` that some sections do not take, naming them:
    /// `--param since is not taken by top_listeners, recommend: they cover every play`.
    public var warnings: [String]

    /// - Parameter overrides: `--param` texts: `NAME=VALUE` for every section whose query
    ///   takes NAME, or `QUERY.NAME=VALUE` for that query's sections only.
    public init(definition: ReportDefinition, catalog: QueryCatalog, overrides: [String] = []) throws {
        let assignments = try QueryParameter.assignments(overrides)
        let queries = try definition.entries.map { entry in
            do { return try catalog.query(named: entry.query) } catch let error as QueryError {
                throw ReportError.badEntry(file: definition.file, line: entry.line, reason: error.description)
            }
        }
        for key in assignments.keys.sorted() {
            if let dot = key.firstIndex(of: ".") {
                let name = String(key[..<dot])
                guard queries.contains(where: { $0.name == name }) else {
                    throw ReportError.unknownOverride(key, reason: "the report has no query \(name)")
                }
            } else if !queries.contains(where: { $0.parameters.contains { $0.name == key } }) {
                throw ReportError.unknownOverride(key, reason: "no query in the report takes it")
            }
        }
        let counts = Dictionary(grouping: definition.entries, by: \.query).mapValues(\.count)
        var sections: [Section] = []
        for (entry, query) in zip(definition.entries, queries) {
            var values = Dictionary(entry.parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
            do { _ = try query.bind(values) } catch let error as QueryError {
                throw ReportError.badEntry(file: definition.file, line: entry.line, reason: error.description)
            }
            for (key, value) in assignments where query.parameters.contains(where: { $0.name == key }) {
                values[key] = value
            }
            for (key, value) in assignments where key.hasPrefix(query.name + ".") {
                values[String(key.dropFirst(query.name.count + 1))] = value
            }
            var id = entry.query
            if counts[entry.query, default: 0] > 1 && !entry.parameters.isEmpty {
                id += "-" + entry.parameters.map(\.value).joined(separator: "-")
            }
            id = String(id.map { $0.isLetter || $0.isNumber || "_-.".contains($0) ? $0 : "_" })
            guard !sections.contains(where: { $0.id == id }) else {
                throw ReportError.badEntry(file: definition.file, line: entry.line,
                                           reason: "\(entry.query) is listed twice with the same parameters")
            }
            let variant = entry.parameters.map { "\($0.name) = \($0.value)" }.joined(separator: ", ")
            sections.append(Section(id: id, variant: variant, query: query, values: try query.bind(values), chart: entry.chart,
                                    labelColumn: entry.labelColumn, valueColumn: entry.valueColumn, part: entry.part))
        }
        self.title = definition.title
        self.sections = sections
        since = assignments["since"]
        warnings = assignments.keys.filter { !$0.contains(".") }.sorted().compactMap { key in
            let ignoring = sections.filter { !$0.query.parameters.contains { $0.name == key } }.map(\.id)
            guard !ignoring.isEmpty else { return nil }
            let what = key == "since" ? "they cover every play" : "they run without it"
            return "--param \(key) is not taken by \(ignoring.joined(separator: ", ")): \(what)"
        }
    }

    /// The plan as `--dry-run` prints it: a line per section.
    public var transcript: String {
        var text = "report: \(title)\n"
        for section in sections {
            var chart = section.chart.rawValue
            if let label = section.labelColumn { chart += " label=\(label)" }
            if let value = section.valueColumn { chart += " value=\(value)" }
            let settings = section.settings.isEmpty ? "" : " (\(section.settings))"
            text += "\(section.id): \(section.query.name)\(settings), chart \(chart)\n"
        }
        return text
    }
}
