import Foundation

/// The report as one self-contained HTML page: the title with the database and the time
/// of the run, a list of sections, then per section its description, parameters, chart
/// (inline SVG) and table, or its error. No script and no external reference; the
/// stylesheet (`Resources/report/report.css`) is inlined. Every piece of data is escaped,
/// and the markup is well-formed XML too, so a strict parser can check it.
public struct ReportDocument: Sendable {
    public var title: String
    /// Where the queries ran, without secrets: `dwh@127.0.0.1:5432/dwh`.
    public var database: String
    public var generatedAt: Date
    public var sections: [ReportSection]
    /// The period, totals and matched share stated under the title.
    public var summary: ReportSummary?
    /// The plan's warnings (a `--param` some sections do not take), shown under the summary.
    public var warnings: [String]

    public init(title: String, database: String, generatedAt: Date, sections: [ReportSection],
                summary: ReportSummary? = nil, warnings: [String] = []) {
        self.title = title
        self.database = database
        self.generatedAt = generatedAt
        self.sections = sections
        self.summary = summary
        self.warnings = warnings
    }

    public var failedSections: [ReportSection] { sections.filter { $0.error != nil } }

    public var html: String {
        let failed = failedSections.count
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>\(HTML.escape(title))</title>
            <style>
            \(Self.stylesheet)</style>
            </head>
            <body>
            <header>
            <h1>\(HTML.escape(title))</h1>
            <p class="meta">Database <strong>\(HTML.escape(database))</strong> · run \(HTML.escape(Self.timestamp(generatedAt))) · \
            \(sections.count) section\(sections.count == 1 ? "" : "s")\(failed > 0 ? ", <strong class=\"failed\">\(failed) failed</strong>" : "")</p>
            \(Self.render(summary, warnings: warnings))<nav aria-label="Sections"><ol>\n
            """
        for section in sections {
            let mark = section.error == nil ? "" : " <span class=\"failed\">(failed)</span>"
            page += "<li><a href=\"#\(HTML.escape(section.plan.id))\">\(HTML.escape(Self.heading(section.plan)))</a>\(mark)</li>\n"
        }
        page += "</ol></nav>\n</header>\n<main>\n"
        for section in sections {
            if let part = section.plan.part {
                page += "<h2 class=\"part\" id=\"part-\(HTML.escape(section.plan.id))\">\(HTML.escape(part))</h2>\n"
            }
            page += Self.render(section)
        }
        return page + "</main>\n</body>\n</html>\n"
    }

    static func render(_ section: ReportSection) -> String {
        let id = HTML.escape(section.plan.id)
        let query = section.plan.query
        var facts = [section.plan.settings].filter { !$0.isEmpty }
        if let table = section.table {
            facts.append(table.rows.count == 1 ? "1 row" : "\(table.rows.count) rows")
            facts.append(TableRenderer.formatMilliseconds(section.milliseconds))
        }
        var html = "<section class=\"query\(section.error == nil ? "" : " failed")\" id=\"\(id)\" aria-labelledby=\"\(id)-heading\">\n"
        html += "<h2 id=\"\(id)-heading\">\(HTML.escape(heading(section.plan)))</h2>\n"
        if !query.description.isEmpty { html += "<p class=\"description\">\(HTML.escape(query.description))</p>\n" }
        html += "<p class=\"facts\">\(HTML.escape(facts.joined(separator: " · ")))</p>\n"
        if let error = section.error {
            html += "<div class=\"error\" role=\"alert\"><p>This section failed:</p><pre>\(HTML.escape(error))</pre></div>\n"
        }
        if let table = section.table {
            html += "<div class=\"content\">\n"
            if let chart = section.chart { html += "<figure class=\"figure\">\n\(chart.svg(id: section.plan.id))\n</figure>\n" }
            html += table.rows.isEmpty ? "<p class=\"empty\">No rows.</p>\n" : Self.table(table)
            html += "</div>\n"
        }
        return html + "</section>\n"
    }

    /// The section's heading: the query's `-- title:` (else its name), then the parameters
    /// that tell it from the other sections of the same query.
    static func heading(_ plan: ReportPlan.Section) -> String {
        let name = plan.query.title ?? plan.query.name
        return plan.variant.isEmpty ? name : "\(name) (\(plan.variant))"
    }

    /// The summary as a list of facts, then the warnings.
    static func render(_ summary: ReportSummary?, warnings: [String]) -> String {
        var html = ""
        if let summary {
            html += "<dl class=\"summary\" aria-label=\"Summary\">\n"
            for fact in summary.facts {
                html += "<div><dt>\(HTML.escape(fact.label))</dt><dd>\(HTML.escape(fact.value))</dd></div>\n"
            }
            html += "</dl>\n<p class=\"note\">\(HTML.escape(ReportSummary.matchedNote))</p>\n"
        }
        for warning in warnings { html += "<p class=\"warning\" role=\"note\">\(HTML.escape(warning))</p>\n" }
        return html
    }

    /// The rows as an HTML table: numbers right-aligned, NULL shown as `∅` (class `null`).
    static func table(_ table: ResultTable) -> String {
        let numeric = table.columns.map(\.isNumeric)
        var html = "<div class=\"table-wrap\"><table>\n<thead><tr>"
        for column in table.columns {
            html += "<th\(column.isNumeric ? " class=\"num\"" : "") scope=\"col\">\(HTML.escape(column.name))</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            html += "<tr>"
            for (index, value) in row.enumerated() {
                if let value {
                    html += "<td\(numeric[index] ? " class=\"num\"" : "")>\(HTML.escape(value))</td>"
                } else {
                    html += "<td class=\"null\">\(TableRenderer.nullText)</td>"
                }
            }
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table></div>\n"
    }

    static func timestamp(_ date: Date) -> String {
        UTCDate.formatter("yyyy-MM-dd HH:mm:ss 'UTC'").string(from: date)
    }

    static let stylesheet = EmbeddedResource.text("report/report.css")
}
