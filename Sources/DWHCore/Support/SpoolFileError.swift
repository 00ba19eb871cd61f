/// A `SpoolFile` that cannot be made, written or read back (a load's manifest and COPY
/// rows, the REPL's kept result, a generated file's rows).
public enum SpoolFileError: Error, CustomStringConvertible, Equatable {
    case temporaryFile(folder: String, reason: String)

    public var description: String {
        switch self {
        case .temporaryFile(let folder, let reason):
            "temporary file in \(folder) (set TMPDIR to use another folder): \(reason)"
        }
    }
}
