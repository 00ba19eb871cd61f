import DWHCore
import Foundation
import TestSupport
import XCTest

/// Debian's headless Chromium (installed by `.ci/install-deps`), for screenshots and for
/// measuring what a report looks like in a real browser.
struct Chromium {
    static let path = "/usr/bin/chromium"
    /// A profile of its own, so runs never share state with each other or a person.
    let profile = NSTemporaryDirectory() + "dwh-chromium-\(UInt32.random(in: 0...UInt32.max))"

    func run(_ arguments: [String]) throws -> ProcessOutput {
        guard FileManager.default.isExecutableFile(atPath: Self.path) else {
            throw TestFailure(message: "\(Self.path) is missing: run .ci/install-deps")
        }
        return try Shell.run(Self.path, ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                         "--hide-scrollbars", "--user-data-dir=\(profile)"] + arguments)
    }

    /// A PNG of `page` in a window `width` pixels wide; returns the PNG's width.
    func screenshot(_ page: String, width: Int, to png: String) throws -> Int {
        let output = try run(["--screenshot=\(png)", "--window-size=\(width),2000", URL(fileURLWithPath: page).absoluteString])
        guard output.succeeded, let data = FileManager.default.contents(atPath: png), data.count > 24 else {
            throw TestFailure(message: "no screenshot: \(output.stderr)")
        }
        return data[16..<20].reduce(0) { $0 << 8 | Int($1) }
    }

    /// Shows `report` in an iframe `width` pixels wide (Chromium's window is never narrower
    /// than 500 px) with `Tests/Fixtures/report_layout_check.js` added beside it, and
    /// returns the verdict that script wrote into the DOM.
    func measure(report: String, width: Int, extraStyle: String = "") throws -> [String: Any] {
        let script = try String(contentsOfFile: DWHBinary.packageRoot + "/Tests/Fixtures/report_layout_check.js", encoding: .utf8)
        let shown = report.replacingOccurrences(of: "</style>", with: extraStyle + "</style>")
        let page = """
            <!DOCTYPE html><html><head><meta charset="utf-8"/><style>body{margin:0}iframe{border:0;display:block}</style></head>
            <body><iframe id="report" style="width:\(width)px;height:2000px" srcdoc="\(HTML.escape(shown))"></iframe>
            <pre id="verdict">pending</pre><script>\(script)</script></body></html>
            """
        try FileManager.default.createDirectory(atPath: profile, withIntermediateDirectories: true)
        let file = profile + "/check-\(width).html"
        try page.write(toFile: file, atomically: true, encoding: .utf8)
        let output = try run(["--virtual-time-budget=5000", "--window-size=\(max(1280, width + 40)),2000", "--dump-dom",
                              URL(fileURLWithPath: file).absoluteString])
        guard let start = output.stdout.range(of: "<pre id=\"verdict\">"),
              let end = output.stdout.range(of: "</pre>", range: start.upperBound..<output.stdout.endIndex) else {
            throw TestFailure(message: "no verdict in the DOM: \(output.stderr.suffix(2000))")
        }
        let json = String(output.stdout[start.upperBound..<end.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&nbsp;", with: "\u{A0}").replacingOccurrences(of: "&amp;", with: "&")
        guard let verdict = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw TestFailure(message: "verdict is not a JSON object: \(json.prefix(500))")
        }
        return verdict
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: profile)
    }
}
