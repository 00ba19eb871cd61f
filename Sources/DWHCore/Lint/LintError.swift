/// A rule file dwh ships that cannot be used: a packaging bug, named so it can be fixed.
public enum LintError: Error, CustomStringConvertible, Equatable {
    case badRuleFile(path: String, reason: String)
    case badRule(path: String, id: String, reason: String)

    public var description: String {
        switch self {
        case .badRuleFile(let path, let reason):
            return "Resources/\(path) does not read as a lint rule file: \(reason) (a bug in this build of dwh)"
        case .badRule(let path, let id, let reason):
            return "Resources/\(path): rule \(id): \(reason) (a bug in this build of dwh)"
        }
    }
}
