import Foundation
import Postgres

/// One section of a report after its query ran: the rows and the chart drawn from them,
/// or what went wrong (the server's message with its caret, or why the chart could not
/// be drawn; the rows are still shown then).
public struct ReportSection: Equatable, Sendable {
    public var plan: ReportPlan.Section
    public var table: ResultTable?
    public var chart: ChartLayout?
    public var error: String?
    public var milliseconds: Double

    public init(plan: ReportPlan.Section, table: ResultTable?, chart: ChartLayout? = nil, error: String? = nil,
                milliseconds: Double = 0) {
        self.plan = plan
        self.table = table
        self.chart = chart
        self.error = error
        self.milliseconds = milliseconds
    }

    /// The rows with their chart, or the chart's error beside them.
    public init(plan: ReportPlan.Section, table: ResultTable, milliseconds: Double) {
        self.init(plan: plan, table: table, chart: nil, milliseconds: milliseconds)
        do {
            guard plan.chart != .none else { return }
            let model = try BarChart(table: table, labelColumn: plan.labelColumn, valueColumn: plan.valueColumn)
            chart = try ChartLayout.make(plan.chart, chart: model)
        } catch {
            self.error = "the \(plan.chart.rawValue) chart cannot be drawn: \(error)"
        }
    }
}

/// Runs a report's queries and writes its files.
public enum ReportRunner {
    /// Runs every section in order, all in one snapshot (`ConsistentRead`): a load that
    /// commits during the report is in every section or in none. A failing query becomes a
    /// failed section, or, with `failFast`, stops the run with `ReportError.sectionFailed`.
    /// Ctrl-C cancels the running statement on the server.
    public static func run(_ plan: ReportPlan, on connection: Connection, dialect: Dialect = .postgres,
                           failFast: Bool = false) throws -> [ReportSection] {
        try ConsistentRead.run(connection, dialect: dialect) { read in
            try run(plan, read: read, on: connection, failFast: failFast)
        }
    }

    private static func run(_ plan: ReportPlan, read: ConsistentRead, on connection: Connection,
                            failFast: Bool) throws -> [ReportSection] {
        var sections: [ReportSection] = []
        for section in plan.sections {
            let started = DispatchTime.now().uptimeNanoseconds
            let sql = section.query.sql
            let outcome: ReportSection
            do {
                let result = try read.attempt {
                    try Interrupts.shared.cancelling(connection) {
                        section.values.isEmpty ? try connection.execute(sql) : try connection.execute(sql, section.values.map { Optional($0) })
                    }
                }
                let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
                outcome = ReportSection(plan: section, table: ResultTable(result), milliseconds: milliseconds)
            } catch let error as PostgresError {
                outcome = ReportSection(plan: section, table: nil, error: QueryText.report(error, sql: sql, source: section.query.source))
            }
            if failFast, let error = outcome.error { throw ReportError.sectionFailed(id: section.id, message: error) }
            sections.append(outcome)
        }
        return sections
    }

    /// Writes each section's rows as `DIRECTORY/ID.csv` (created if missing), then the
    /// report; every file atomically.
    public static func write(_ document: ReportDocument, to path: String, csvDirectory: String? = nil) throws {
        if let csvDirectory {
            try FileManager.default.createDirectory(atPath: csvDirectory, withIntermediateDirectories: true)
            for section in document.sections {
                guard let table = section.table else { continue }
                try AtomicFile.write(csvDirectory + "/" + section.plan.id + ".csv") { try $0.write(CSVEncoder.document(table)) }
            }
        }
        try AtomicFile.write(path) { try $0.write(document.html) }
    }
}
