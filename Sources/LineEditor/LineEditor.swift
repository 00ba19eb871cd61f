import CLibEdit
import Foundation

/// An interactive line editor on libedit: prompt, emacs keys, history kept in a file,
/// Ctrl-R search, tab completion through a Swift callback, and Ctrl-C that clears the
/// line instead of killing the program.
///
/// It works in characters, through libedit's wide API (`el_wgets`, `history_w`,
/// `el_wline`): any UTF-8 text is typed, moved over, deleted, searched and kept in
/// history whole, with the widths of CJK and combining marks from the C library. Input is
/// decoded as UTF-8 even when the locale is not (see `dwh_use_utf8_ctype`).
///
/// Only for terminals: a program reading a pipe should read standard input directly.
public final class LineEditor {
    /// What one call to `readLine()` produced.
    public enum Input: Equatable, Sendable {
        /// A line, without its trailing newline (it may hold newlines: a recalled
        /// multi-line history entry comes back whole).
        case line(String)
        /// Ctrl-C at the prompt: the line was abandoned.
        case interrupted
        /// Ctrl-D on an empty line, or the terminal went away.
        case endOfFile
    }

    /// What tab completion should offer for the text before the cursor.
    public struct Completion: Equatable, Sendable {
        /// The partial word under the cursor that a candidate replaces.
        public var word: String
        public var candidates: [String]

        public init(word: String, candidates: [String]) {
            self.word = word
            self.candidates = candidates
        }
    }

    /// Text shown before the cursor; may change between lines (continuation prompts).
    public var prompt: String {
        didSet { setPromptStorage() }
    }

    /// Called on Tab with the text before the cursor and the text after it (what the
    /// statement goes on to say, such as the FROM after a select list being typed).
    public var completer: ((_ before: String, _ after: String) -> Completion)?

    private let editLine: OpaquePointer
    private let history: OpaquePointer
    private let historyFile: String?
    private var promptStorage: UnsafeMutablePointer<wchar_t>?
    private var interrupted = false

    /// Whether typed text is decoded as UTF-8 (false only where the C library has no UTF-8
    /// locale at all).
    public static let decodesUTF8: Bool = dwh_use_utf8_ctype() == 1

    /// - Parameters:
    ///   - programName: the name libedit uses to pick settings from `~/.editrc`.
    ///   - historyFile: where history is loaded from now and saved to by `saveHistory()`.
    public init(programName: String, prompt: String, historyFile: String?, historySize: Int = 1000) {
        self.prompt = prompt
        self.historyFile = historyFile
        // Before el_init: libedit reads the locale's character set when it starts.
        _ = Self.decodesUTF8
        editLine = el_init(programName, dwh_stdin(), dwh_stdout(), dwh_stderr())
        history = history_winit()
        dwh_history_setsize(history, Int32(historySize))
        dwh_history_setunique(history, 1)
        if let historyFile { dwh_history_load(history, historyFile) }

        setPromptStorage()
        dwh_el_set_clientdata(editLine, Unmanaged.passUnretained(self).toOpaque())
        dwh_el_set_editor(editLine, "emacs")
        dwh_el_wset_history(editLine, history)
        dwh_el_wset_prompt(editLine) { editLine in
            LineEditor.owner(of: editLine)?.promptStorage
        }
        dwh_el_add_function(editLine, "dwh-complete", "Complete the word before the cursor") { editLine, _ in
            LineEditor.owner(of: editLine)?.complete() ?? UInt8(CC_ERROR)
        }
        dwh_el_add_function(editLine, "dwh-interrupt", "Abandon the line") { editLine, _ in
            LineEditor.owner(of: editLine)?.interrupted = true
            return UInt8(CC_NEWLINE)
        }
        dwh_el_bind(editLine, "^I", "dwh-complete")
        dwh_el_bind(editLine, "^R", "em-inc-search-prev")
        // Ctrl-C arrives as a key while editing (not as SIGINT), so it can clear the line.
        dwh_el_setty_edit(editLine, "-isig")
        dwh_el_bind(editLine, "^C", "dwh-interrupt")
    }

    deinit {
        el_end(editLine)
        history_wend(history)
        promptStorage?.deallocate()
    }

    /// Reads one line with editing; blocks until Enter, Ctrl-C or Ctrl-D.
    public func readLine() -> Input {
        interrupted = false
        var count: Int32 = 0
        let raw = el_wgets(editLine, &count)
        if interrupted {
            fputs("^C\n", dwh_stdout())
            fflush(dwh_stdout())
            return .interrupted
        }
        guard let raw, count > 0 else { return .endOfFile }
        var line = Self.string(raw, count: Int(count))
        if line.hasSuffix("\n") { line.removeLast() }
        return .line(line)
    }

    /// Adds an entry (a whole statement, newlines and all) to the history.
    public func addHistory(_ entry: String) {
        Self.withWide(entry) { _ = dwh_history_enter(history, $0) }
    }

    /// Writes the history to the file given at creation; errors are ignored, as a
    /// shell does: losing history must not lose the session.
    ///
    /// Only a regular file (or a new one) is written: libedit makes the file mode 0600,
    /// which on `/dev/null` would break every other program on the machine.
    public func saveHistory() {
        guard let historyFile else { return }
        var status = stat()
        if stat(historyFile, &status) == 0 && (status.st_mode & S_IFMT) != S_IFREG { return }
        dwh_history_save(history, historyFile)
    }

    private static func owner(of editLine: OpaquePointer?) -> LineEditor? {
        guard let editLine, let data = dwh_el_get_clientdata(editLine) else { return nil }
        return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue()
    }

    private func setPromptStorage() {
        promptStorage?.deallocate()
        let scalars = Self.wide(prompt)
        let storage = UnsafeMutablePointer<wchar_t>.allocate(capacity: scalars.count)
        storage.initialize(from: scalars, count: scalars.count)
        promptStorage = storage
    }

    private func complete() -> UInt8 {
        guard let completer, let info = el_wline(editLine)?.pointee, let buffer = info.buffer, let cursor = info.cursor else {
            return UInt8(CC_ERROR)
        }
        let before = Self.string(buffer, count: cursor - buffer)
        let after = info.lastchar.map { Self.string(cursor, count: $0 - cursor) } ?? ""
        let completion = completer(before, after)
        let candidates = completion.candidates
        guard !candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        let common = Self.commonPrefix(candidates)
        if candidates.count == 1 || common.count > completion.word.count {
            // libedit counts characters (wide ones); Swift's count is of grapheme clusters.
            el_deletestr(editLine, Int32(completion.word.unicodeScalars.count))
            // A space closes a word, except where one follows already or the word goes on
            // (`limit=`, a folder's `data/`).
            let closes = candidates.count == 1 && !common.hasSuffix("=") && !common.hasSuffix("/")
                && after.first?.isWhitespace != true
            let suffix = closes ? " " : ""
            Self.withWide(common + suffix) { _ = el_winsertstr(editLine, $0) }
            return UInt8(CC_REFRESH)
        }
        var listing = "\n"
        for candidate in candidates { listing += candidate + "\n" }
        fputs(listing, dwh_stdout())
        fflush(dwh_stdout())
        return UInt8(CC_REDISPLAY)
    }

    /// Text as libedit's characters: on Linux a wchar_t holds one Unicode scalar.
    static func wide(_ text: String) -> [wchar_t] {
        text.unicodeScalars.map { wchar_t(bitPattern: $0.value) } + [0]
    }

    static func withWide<T>(_ text: String, _ body: (UnsafePointer<wchar_t>) -> T) -> T {
        wide(text).withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    /// `count` wide characters as a String; a value that is no Unicode scalar (libedit
    /// never makes one from UTF-8) becomes U+FFFD rather than a trap.
    static func string(_ characters: UnsafePointer<wchar_t>, count: Int) -> String {
        var scalars = String.UnicodeScalarView()
        for index in 0..<max(0, count) {
            scalars.append(Unicode.Scalar(UInt32(bitPattern: characters[index])) ?? "\u{FFFD}")
        }
        return String(scalars)
    }

    static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first else { return "" }
        for word in words.dropFirst() {
            while !word.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}
