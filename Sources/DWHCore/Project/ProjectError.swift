/// What can stop `dwh init`; and the advice a command gives when it runs outside a project.
public enum ProjectError: Error, CustomStringConvertible, Equatable {
    /// Files already there (or files where its folders go); nothing was written.
    case wouldOverwrite(paths: [String])
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .wouldOverwrite(let paths) where paths.count == 1:
            return "\(paths[0]) is already there, and dwh init never overwrites a file: nothing was written. "
                + "Move it away, or start the project in a new folder (dwh init DIR)"
        case .wouldOverwrite(let paths):
            return "\(paths.count) of the files dwh init writes are already there, and it never overwrites one: "
                + "nothing was written. Move them away, or start the project in a new folder (dwh init DIR):\n  "
                + paths.joined(separator: "\n  ")
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        }
    }

    /// The advice that ends every "not found" error of a command run outside a project.
    public static let initHint = "to start a project here, run `dwh init`"
}
