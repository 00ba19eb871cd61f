extension SQLScanner {
    /// `sql` with each parameter in code (`$1`, not `'$1'`, `"$1"` or a `$1` in a comment)
    /// replaced by `value(1)` where that gives one; a cast after it (`$1::int`) stays.
    static func replacingParameters(in sql: String, _ value: (Int) -> String?) -> String {
        SQLScanner(sql).replacingCode { code in
            replacing(in: code, opener: "$", name: { ("0"..."9").contains($0) }, closer: nil) { digits in
                Int(digits).flatMap(value)
            }
        }
    }

    /// `sql` with each `{name}` placeholder in code replaced by `values[name]` where there is
    /// one, in a single pass: a value that holds `{other}` is not filled again.
    static func fillingPlaceholders(in sql: String, _ values: [String: String]) -> String {
        SQLScanner(sql).replacingCode { code in
            replacing(in: code, opener: "{", name: { isIdentifierPart($0) && $0 != "$" }, closer: "}") { values[$0] }
        }
    }

    /// `code` with each `opener name closer` replaced by `value(name)`, where that gives
    /// one and the opener does not continue a name (`a$1` is a name, not a parameter).
    private static func replacing(in code: String, opener: Unicode.Scalar, name isNamePart: (Unicode.Scalar) -> Bool,
                                  closer: Unicode.Scalar?, _ value: (String) -> String?) -> String {
        let scalars = Array(code.unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if scalars[index] == opener, !(index > 0 && isIdentifierPart(scalars[index - 1])) {
                var end = index + 1
                while end < scalars.count && isNamePart(scalars[end]) { end += 1 }
                let closed = closer.map { end < scalars.count && scalars[end] == $0 } ?? true
                if end > index + 1, closed, let replacement = value(string(scalars[(index + 1)..<end])) {
                    output.append(contentsOf: replacement.unicodeScalars)
                    index = end + (closer == nil ? 0 : 1)
                    continue
                }
            }
            output.append(scalars[index])
            index += 1
        }
        return String(output)
    }
}
