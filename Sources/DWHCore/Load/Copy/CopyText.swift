import Foundation
import Postgres

/// COPY text format for the rows built from Swift strings (manifest, errors).
enum CopyText {
    static func append(_ fields: [String?], to out: ByteBuffer) {
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(0x09) }
            guard var field else { out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "N")); continue }
            field.withUTF8 { bytes in
                for byte in bytes {
                    switch byte {
                    case 0x5C: out.append(0x5C); out.append(0x5C)
                    case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
                    case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
                    case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
                    case 0x00: out.append(0x3F)
                    default: out.append(byte)
                    }
                }
            }
        }
        out.append(0x0A)
    }

    /// The fields of one line of COPY text, unescaped (NULL reads as empty).
    static func fields(_ line: ArraySlice<UInt8>) -> [String] {
        var fields: [String] = []
        var current: [UInt8] = []
        var escaped = false
        for byte in line {
            if escaped {
                switch byte {
                case UInt8(ascii: "t"): current.append(0x09)
                case UInt8(ascii: "n"): current.append(0x0A)
                case UInt8(ascii: "r"): current.append(0x0D)
                case UInt8(ascii: "N"): break
                default: current.append(byte)
                }
                escaped = false
            } else if byte == 0x5C {
                escaped = true
            } else if byte == 0x09 {
                fields.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            } else {
                current.append(byte)
            }
        }
        fields.append(String(decoding: current, as: UTF8.self))
        return fields
    }

    /// Streams `rows` into the COPY `sql` starts.
    static func copy<Row>(_ rows: [Row], _ sql: String, into connection: Connection, fields: (Row) -> [String?]) throws {
        guard !rows.isEmpty else { return }
        let out = ByteBuffer()
        try connection.copyIn(sql) { writer in
            for row in rows {
                append(fields(row), to: out)
                if out.count >= 1 << 18 { try writer.write(out.bytes); out.removeAll() }
            }
            try writer.write(out.bytes)
        }
    }
}
