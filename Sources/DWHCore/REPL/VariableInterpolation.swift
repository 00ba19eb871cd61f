/// psql's variables in a statement the REPL runs: `:NAME` becomes the value as it is,
/// `:'NAME'` the value as a quoted literal and `:"NAME"` as a quoted name, each quoted by
/// libpq. Only in code: never inside a string, a comment, a quoted name or a dollar-quoted
/// body (`SQLScanner` says where those are). `::` is a cast, and a name that is not set
/// stays as it was written, as in psql.
struct VariableInterpolation {
    let variables: [String: String]
    /// libpq's quoting, for `:'NAME'` and `:"NAME"`.
    let literal: (String) throws -> String
    let identifier: (String) throws -> String

    func interpolate(_ sql: String) throws -> String {
        guard !variables.isEmpty, sql.contains(":") else { return sql }
        let scanner = SQLScanner(sql)
        var output = ""
        var index = 0
        while index < scanner.spans.count {
            let span = scanner.spans[index]
            index += 1
            guard span.isCode else {
                output += scanner.text(of: span)
                continue
            }
            var code = Array(scanner.text(of: span).unicodeScalars)
            // `:'NAME'` and `:"NAME"`: the code ends with the colon, the next span is the name.
            var quoted: String?
            if code.last == ":", !(code.count >= 2 && code[code.count - 2] == ":"), index < scanner.spans.count {
                let next = scanner.spans[index]
                if let name = Self.quotedName(scanner.text(of: next), kind: next.kind), let value = variables[name] {
                    quoted = next.kind == .quotedName ? try identifier(value) : try literal(value)
                    code.removeLast()
                    index += 1
                }
            }
            output += replacingNames(in: code)
            if let quoted { output += quoted }
        }
        return output
    }

    /// `:NAME` in a run of code, where NAME is set; `::` left alone.
    private func replacingNames(in code: [Unicode.Scalar]) -> String {
        var output = String.UnicodeScalarView()
        var position = 0
        while position < code.count {
            let scalar = code[position]
            guard scalar == ":" else {
                output.append(scalar)
                position += 1
                continue
            }
            if position + 1 < code.count, code[position + 1] == ":" {
                output.append(contentsOf: "::".unicodeScalars)
                position += 2
                continue
            }
            var end = position + 1
            while end < code.count, Self.isNamePart(code[end]) { end += 1 }
            let name = String(String.UnicodeScalarView(code[(position + 1)..<end]))
            if !name.isEmpty, let value = variables[name] {
                output.append(contentsOf: value.unicodeScalars)
            } else {
                output.append(contentsOf: code[position..<end])
            }
            position = end
        }
        return String(output)
    }

    /// NAME from `'NAME'` or `"NAME"` when it is a plain variable name.
    private static func quotedName(_ text: String, kind: SQLSpan.Kind) -> String? {
        guard kind == .string || kind == .quotedName, text.count >= 2 else { return nil }
        let name = String(text.dropFirst().dropLast())
        guard !name.isEmpty, name.unicodeScalars.allSatisfy(isNamePart) else { return nil }
        return name
    }

    /// psql's variable names: letters (any non-ASCII too), digits and `_`.
    static func isNamePart(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_" || scalar.value >= 0x80
    }
}
