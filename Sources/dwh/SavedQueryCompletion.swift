import ArgumentParser
import DWHCore

/// Shell completion for the commands that take a saved query: its name, and its
/// parameters for `--param`, read from the catalog of the folder the shell is in (a
/// catalog that cannot be read completes nothing rather than printing an error).
enum SavedQueryCompletion {
    static let names = CompletionKind.custom { _, _, _ in
        (try? QueryCatalog.locate())?.completionNames ?? []
    }

    static let parameters = CompletionKind.custom { words, current, _ in
        (try? QueryCatalog.locate())?.parameterCompletions(words: words, current: current) ?? []
    }
}
