import Foundation

/// A file of SQL with dialect blocks: lines between `-- dwh:postgres` (or `-- dwh:redshift`)
/// and `-- dwh:end` run on that dialect only, every other line on both. Every SQL file dwh
/// ships is read through this type: scripts run whole (the transform steps), and files of
/// named statements, each starting at a `-- name: x` line (the loader's, the tracker's, the
/// checks, the REPL's catalog queries).
///
/// Parsing is strict: a `-- dwh:` line that is not one of those three (a typo such as
/// `-- dwh:redshfit`), a block opened inside another, or one left open is an error naming
/// the file and line, never a comment that lets both variants run.
public struct SQLFile: Sendable, Equatable {
    struct Line: Sendable, Equatable {
        let number: Int
        let text: String
        /// nil when shared by both dialects.
        let dialect: Dialect?
        /// The `-- name:` section the line is in, if any.
        let section: String?
        /// False for a line that starts inside a string, a dollar-quoted body or a block
        /// comment: a `--` at its start is text of that, not a comment.
        var startsInCode = true
    }

    /// The path errors print: `Transform/50_time.sql`.
    public let path: String
    let lines: [Line]

    public init(path: String, contents: String) throws {
        self.path = path
        var parsed: [Line] = []
        var blocks = DialectBlocks()
        var section: String?
        let rawLines = TextLines.split(contents)
        // Lines inside a string, a dollar-quoted body or a block comment hold no directive.
        let startsInCode = SQLScanner.linesStartingInCode(rawLines)
        for (index, raw) in rawLines.enumerated() {
            let number = index + 1
            let isCode = startsInCode[index]
            if isCode, let name = Self.sectionName(raw) {
                if let open = blocks.open {
                    throw SQLFileError.badDirective(path: path, line: number, text: raw,
                                                    reason: "starts a statement inside the block opened on line \(open.line)")
                }
                section = name
                continue
            }
            guard isCode, let directive = DialectBlocks.directive(in: raw), directive.hasPrefix("dwh:") else {
                parsed.append(Line(number: number, text: raw, dialect: blocks.dialect, section: section, startsInCode: isCode))
                continue
            }
            do {
                guard try blocks.apply(directive, line: number) else {
                    throw SQLFileError.badDirective(path: path, line: number, text: raw,
                                                    reason: "is not a directive dwh knows (dwh:postgres, dwh:redshift, dwh:end)")
                }
            } catch let problem as DialectBlocks.Problem {
                throw SQLFileError.badDirective(path: path, line: number, text: raw, reason: problem.reason)
            }
        }
        if let open = blocks.open { throw SQLFileError.unterminatedBlock(path: path, line: open.line) }
        lines = parsed
    }

    /// The SQL that runs on `dialect`, split into statements, each line remembering its
    /// place in the file.
    public func render(for dialect: Dialect) -> RenderedScript {
        let kept = lines.filter { $0.dialect == nil || $0.dialect == dialect }
        return RenderedScript(lines: kept.map(\.text), fileLines: kept.map(\.number))
    }

    /// `x` for a `-- name: x` line.
    static func sectionName(_ line: String) -> String? {
        let trimmed = line.trimmingLeadingSpaces
        guard trimmed.hasPrefix("-- name:") else { return nil }
        return String(String(trimmed.dropFirst("-- name:".count)).trimmingLeadingSpaces.trimmingTrailingSpaces)
    }

    /// The text of a line of the file, for showing it under an error.
    func line(_ number: Int) -> String {
        lines.first { $0.number == number }?.text ?? ""
    }
}
