import Foundation

/// A rough SQL tokenizer for reading DDL: words (unquoted ones in lower case, quoted ones
/// as written), quoted strings as one token, and single punctuation marks. Comments and
/// whitespace are dropped.
struct SQLTokens {
    let tokens: [String]

    init(_ sql: String) {
        var tokens: [String] = []
        let scalars = Array(sql.unicodeScalars)
        var index = 0
        func isWord(_ scalar: Unicode.Scalar) -> Bool {
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "$"
        }
        func string(_ range: Range<Int>) -> String {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[range])
            return String(view)
        }
        while index < scalars.count {
            let scalar = scalars[index]
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            if scalar.properties.isWhitespace {
                index += 1
            } else if scalar == "-" && next == "-" {
                while index < scalars.count && scalars[index] != "\n" { index += 1 }
            } else if scalar == "/" && next == "*" {
                index += 2
                while index + 1 < scalars.count && !(scalars[index] == "*" && scalars[index + 1] == "/") { index += 1 }
                index += 2
            } else if scalar == "\"" || scalar == "'" {
                var end = index + 1
                while end < scalars.count {
                    if scalars[end] == scalar {
                        if end + 1 < scalars.count && scalars[end + 1] == scalar { end += 2; continue }
                        break
                    }
                    end += 1
                }
                let body = string(index + 1..<min(end, scalars.count)).replacingOccurrences(of: String(scalar) + String(scalar), with: String(scalar))
                tokens.append(scalar == "\"" ? body : "'" + body + "'")
                index = end + 1
            } else if isWord(scalar) {
                var end = index
                while end < scalars.count && isWord(scalars[end]) { end += 1 }
                var word = string(index..<end).lowercased()
                // schema.table stays one name.
                while end + 1 < scalars.count && scalars[end] == "." && isWord(scalars[end + 1]) {
                    var after = end + 1
                    while after < scalars.count && isWord(scalars[after]) { after += 1 }
                    word += "." + string(end + 1..<after).lowercased()
                    end = after
                }
                tokens.append(word)
                index = end
            } else {
                tokens.append(String(scalar))
                index += 1
            }
        }
        self.tokens = tokens
    }
}
