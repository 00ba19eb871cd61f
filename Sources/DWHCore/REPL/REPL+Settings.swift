import Foundation

/// `\timing`, `\pager`, `\x`, `\format`, `\pset`, `\set`, `\unset` and `\o`: how results
/// are shown and where they go, with psql's sentences.
extension REPL {
    func setTiming(_ chosen: Bool?) {
        timing = chosen ?? !timing
        say(timing ? "Timing is on." : "Timing is off.")
    }

    func setPager(_ chosen: Bool?) {
        pager = chosen ?? !pager
        say("pager is \(pager ? "on" : "off")")
    }

    func setFormat(_ chosen: OutputFormat?) {
        if let chosen { format = chosen }
        say("output format is \(format.rawValue)")
    }

    func setExpanded(_ chosen: ExpandedDisplay?) {
        // As psql: a toggle from `auto` goes to off.
        expanded = chosen ?? (expanded == .off ? .on : .off)
        say(expanded.sentence)
    }

    /// `\pset OPTION VALUE`, for the options dwh has; `\pset` alone lists them.
    func pset(_ option: String?, _ value: String?) {
        switch option?.lowercased() {
        case nil:
            for line in psetListing() { say(line) }
        case "null"?:
            if let value { nullText = value }
            say("Null display is \"\(nullText)\".")
        case "format"?:
            if let value {
                guard let chosen = OutputFormat(psqlName: value) else {
                    return fail("\\pset: allowed formats are table (aligned), csv, json, markdown")
                }
                format = chosen
            }
            say("Output format is \(format == .table ? "aligned" : format.rawValue).")
        case "expanded"?, "x"?:
            guard let value else { return setExpanded(nil) }
            guard let chosen = ExpandedDisplay(value) else { return fail("\\pset: expanded is on, off or auto") }
            setExpanded(chosen)
        case "pager"?:
            if let value {
                guard let chosen = ExpandedDisplay(value), chosen != .auto else { return fail("\\pset: pager is on or off") }
                pager = chosen == .on
            } else {
                pager.toggle()
            }
            say(pager ? "Pager is used for long output." : "Pager usage is off.")
        case let other?:
            fail("\\pset: unknown option: \(other) (dwh has null, format, expanded and pager)")
        }
    }

    private func psetListing() -> [String] {
        [
            "expanded             \(expanded.rawValue)",
            "format               \(format.rawValue)",
            "null                 '\(nullText)'",
            "pager                \(pager ? "on" : "off")",
        ]
    }

    /// `\set NAME VALUE`; `\set` alone lists the variables, as psql does (`NAME = 'value'`).
    func setVariable(_ name: String?, _ value: String) {
        guard let name else {
            for key in variables.keys.sorted() {
                say("\(key) = '\(variables[key] ?? "")'")
            }
            return
        }
        variables[name] = value
    }

    func unsetVariable(_ name: String) {
        variables[name] = nil
    }

    /// `\o FILE`: results (rows, footers, command tags) go to FILE, created or emptied,
    /// until `\o` alone sends them back to the screen; messages stay on the screen.
    func setOutput(_ path: String?) {
        if outputPath != nil {
            try? output.flush()
            close(output.fileDescriptor)
            output = standardOutput
            outputPath = nil
        }
        guard let path, let file = openResultFile(path) else { return }
        output = file
        outputPath = path
    }

    /// A file for results (`\o FILE`, `\g FILE`), created or emptied as psql does; nil,
    /// said, when it cannot be.
    func openResultFile(_ path: String) -> BufferedOutput? {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            fail("\(path): \(String(cString: strerror(errno)))")
            return nil
        }
        return BufferedOutput(fileDescriptor: descriptor)
    }
}
