/// The header row of a CSV or TSV file: its column names and separator.
final class TableHeader: Sendable {
    let columns: [String]
    let separator: UInt8

    init(columns: [String], separator: UInt8) {
        self.columns = columns
        self.separator = separator
    }

    /// The fields of one row, as RFC 4180 reads them: separated by ``separator``; a field
    /// that starts with `"` runs to the next `"` not doubled (`""` is a quote), and may hold
    /// separators and line breaks. Nil when a quoted field is followed by something other
    /// than a separator (`"a"b`): the row is malformed.
    static func fields(_ row: UnsafeBufferPointer<UInt8>, separator: UInt8) -> [[UInt8]]? {
        var fields: [[UInt8]] = []
        var k = 0
        let n = row.count
        while true {
            var field: [UInt8] = []
            if k < n && row[k] == 0x22 {
                k += 1
                while true {
                    guard k < n else { return nil }  // unterminated (the reader joins lines until it is not)
                    if row[k] == 0x22 {
                        if k + 1 < n && row[k + 1] == 0x22 {
                            field.append(0x22)
                            k += 2
                            continue
                        }
                        k += 1
                        break
                    }
                    field.append(row[k])
                    k += 1
                }
                guard k == n || row[k] == separator else { return nil }
            } else {
                let start = k
                while k < n && row[k] != separator { k += 1 }
                field.append(contentsOf: UnsafeBufferPointer(rebasing: row[start..<k]))
            }
            fields.append(field)
            if k == n { return fields }
            k += 1  // the separator: another field follows, maybe empty
        }
    }

    /// Whether a row is still inside a quoted field after `line`, one physical line of it;
    /// `startingInQuotes`: the line continues a quoted field of the line before.
    static func endsInQuotes(_ line: UnsafeBufferPointer<UInt8>, separator: UInt8, startingInQuotes: Bool) -> Bool {
        var inQuotes = startingInQuotes
        var fieldStart = !startingInQuotes
        var k = 0
        let n = line.count
        while k < n {
            let b = line[k]
            if inQuotes {
                if b == 0x22 {
                    if k + 1 < n && line[k + 1] == 0x22 {
                        k += 2
                        continue
                    }
                    inQuotes = false
                }
            } else {
                if fieldStart && b == 0x22 { inQuotes = true }
                fieldStart = b == separator
            }
            k += 1
        }
        return inQuotes
    }
}
