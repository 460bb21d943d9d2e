import CZlib

#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads the rows of a Parquet file (as Hugging Face datasets, FineWeb and DataTrove's
/// ParquetWriter write them) as JSON objects, one a row, so that they go through the same
/// path as JSON lines (`text_field`, `id_field`, metadata).
///
/// What it reads: the top-level columns of flat schemas (neither lists nor structs) of types
/// BOOLEAN, INT32, INT64, FLOAT, DOUBLE and BYTE_ARRAY (strings), in data pages v1 and
/// v2, PLAIN and dictionary encoded, uncompressed or compressed with Snappy, gzip or zstd
/// (zstd through the `zstd` program, one page at a time). Other columns are left out (their
/// names are in ``skippedColumns``); another codec or encoding in a column that is read is
/// an error naming it. Memory: the footer, and one page and dictionary per column.
final class ParquetReader {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    enum PhysicalType: Int {
        case boolean = 0, int32 = 1, int64 = 2, int96 = 3, float = 4, double = 5, byteArray = 6, fixedLenByteArray = 7
    }

    struct Column {
        var name: String
        var type: PhysicalType
        /// 1 when the column is optional (a definition level per value), else 0.
        var maxDefinition: Int
        var meaning: Meaning = .plain
    }

    /// What an integer column means, from its logical (or converted) type: dates and
    /// timestamps are written as ISO 8601 strings, as pyarrow's `to_pylist` would show them.
    enum Meaning: Equatable {
        case plain
        /// Days since 1970-01-01.
        case date
        /// Units since 1970-01-01T00:00:00 (`perSecond` of them a second; 9 digits for nanoseconds).
        case timestamp(perSecond: Int64, digits: Int, utc: Bool)
    }

    static func meaning(of element: Thrift.Value, type: PhysicalType) -> Meaning {
        guard type == .int32 || type == .int64 else { return .plain }
        if let logical = element[10] {
            if logical[6] != nil { return .date }
            if let t = logical[8] {
                let utc = t[1]?.bool ?? false
                if t[2]?[1] != nil { return .timestamp(perSecond: 1000, digits: 3, utc: utc) }
                if t[2]?[2] != nil { return .timestamp(perSecond: 1_000_000, digits: 6, utc: utc) }
                if t[2]?[3] != nil { return .timestamp(perSecond: 1_000_000_000, digits: 9, utc: utc) }
            }
        }
        switch element[6]?.int {
        case 6: return .date
        case 9: return .timestamp(perSecond: 1000, digits: 3, utc: true)
        case 10: return .timestamp(perSecond: 1_000_000, digits: 6, utc: true)
        default: return .plain
        }
    }

    struct Chunk {
        var codec: Int
        var start: Int
        var end: Int
        var values: Int
    }

    struct RowGroup {
        var rows: Int
        /// One chunk per column of ``columns``.
        var chunks: [Chunk]
    }

    let path: String
    private let fd: Int32
    let size: Int
    private(set) var columns: [Column] = []
    private(set) var skippedColumns: [String] = []
    private(set) var rowGroups: [RowGroup] = []
    /// File bytes read so far (pages and footer), for progress.
    private(set) var bytesRead = 0

    init(path: String) throws(Failure) {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(description: "cannot open: \(FileSystem.errorText(errno))") }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            close(fd)
            throw Failure(description: "cannot read: \(FileSystem.errorText(errno))")
        }
        size = Int(st.st_size)
        do {
            try readFooter()
        } catch {
            close(fd)
            throw error
        }
    }

    deinit { close(fd) }

    func read(at offset: Int, count: Int) throws(Failure) -> [UInt8] {
        guard offset >= 0, count >= 0, offset + count <= size else {
            throw Failure(description: "a page or the footer points past the end of the file (cut short?)")
        }
        if count == 0 { return [] }
        var buffer = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = buffer.withUnsafeMutableBytes { b -> Int in
                guard let base = b.baseAddress else { return 0 }
                return pread(fd, base + done, count - done, off_t(offset + done))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "read failed: \(FileSystem.errorText(errno))")
            }
            if n == 0 { throw Failure(description: "the file ends early (cut short?)") }
            done += n
        }
        bytesRead += count
        return buffer
    }

    private func readFooter() throws(Failure) {
        let magic = Array("PAR1".utf8)
        guard size >= 12 else { throw Failure(description: "not a Parquet file (too short)") }
        guard try read(at: 0, count: 4) == magic else {
            throw Failure(description: "not a Parquet file (no PAR1 at its start)")
        }
        let tail = try read(at: size - 8, count: 8)
        guard Array(tail[4..<8]) == magic else {
            throw Failure(description: "no PAR1 at the end of the file: cut short, or still being written")
        }
        let length = Int(tail[0]) | Int(tail[1]) << 8 | Int(tail[2]) << 16 | Int(tail[3]) << 24
        guard length > 0, length <= size - 12 else { throw Failure(description: "bad footer length \(length)") }
        let footer = try read(at: size - 8 - length, count: length)
        let meta: Thrift.Value
        do {
            meta = try footer.withUnsafeBufferPointer { b throws(Thrift.Malformed) in
                var at = 0
                return try Thrift.readStruct(b, offset: &at)
            }
        } catch {
            throw Failure(description: "malformed footer: \(error)")
        }
        try readSchema(meta[2]?.list ?? [])
        for group in meta[4]?.list ?? [] {
            let rows = Int(group[3]?.int ?? 0)
            guard rows >= 0 else { throw Failure(description: "a row group has \(rows) rows") }
            var chunks = [Chunk?](repeating: nil, count: columns.count)
            for chunk in group[1]?.list ?? [] {
                guard let m = chunk[3], let name = m[3]?.list?.compactMap(\.string), name.count == 1,
                    let index = columns.firstIndex(where: { $0.name == name[0] })
                else { continue }
                let dataStart = Int(m[9]?.int ?? 0)
                let dictionaryStart = m[11]?.int.map(Int.init)
                let start = dictionaryStart.map { $0 > 0 ? min($0, dataStart) : dataStart } ?? dataStart
                let compressed = Int(m[7]?.int ?? 0)
                chunks[index] = Chunk(
                    codec: Int(m[4]?.int ?? 0), start: start, end: start + compressed, values: Int(m[5]?.int ?? 0))
            }
            let found = chunks.compactMap { $0 }
            guard found.count == columns.count else {
                throw Failure(description: "a row group lacks a column the schema has (or keeps it in another file)")
            }
            rowGroups.append(RowGroup(rows: rows, chunks: found))
        }
    }

    /// The schema is a depth-first list; the root's children are the top-level fields.
    private func readSchema(_ elements: [Thrift.Value]) throws(Failure) {
        guard let root = elements.first else { throw Failure(description: "the footer has no schema") }
        var index = 1
        let topLevel = Int(root[5]?.int ?? 0)
        /// Skips an element and all its descendants.
        func skip() {
            let children = Int(elements[index][5]?.int ?? 0)
            index += 1
            for _ in 0..<children where index < elements.count { skip() }
        }
        for _ in 0..<topLevel {
            guard index < elements.count else { throw Failure(description: "the schema is cut short") }
            let element = elements[index]
            let name = element[4]?.string ?? "?"
            let children = Int(element[5]?.int ?? 0)
            let repetition = element[3]?.int ?? 0
            if children > 0 || repetition == 2 {
                skippedColumns.append(name)
                skip()
                continue
            }
            index += 1
            guard let raw = element[1]?.int, let type = PhysicalType(rawValue: Int(raw)),
                type != .int96 && type != .fixedLenByteArray
            else {
                skippedColumns.append(name)
                continue
            }
            columns.append(
                Column(
                    name: name, type: type, maxDefinition: repetition == 1 ? 1 : 0,
                    meaning: Self.meaning(of: element, type: type)))
        }
    }

    /// Calls `emit` with each row as a JSON object (its columns in schema order; a null
    /// value is left out), and its 1-based number; stops early when `stop` says so.
    func rows(
        emit: (_ json: [UInt8], _ row: Int) -> Void, progress: (Int) -> Void, stop: () -> Bool
    ) throws(Failure) {
        var row = 0
        var reported = 0
        var writer = JSONWriter(capacity: 1 << 16)
        let keys: [[UInt8]] = columns.map { column in
            var w = JSONWriter(capacity: 64)
            w.string(column.name)
            w.raw(UInt8(ascii: ":"))
            return w.bytes
        }
        for group in rowGroups {
            var cursors = [ColumnCursor]()
            for (k, column) in columns.enumerated() {
                cursors.append(ColumnCursor(column: column, chunk: group.chunks[k], file: self))
            }
            for _ in 0..<group.rows {
                if stop() { return }
                row += 1
                writer.reset()
                writer.raw(UInt8(ascii: "{"))
                var first = true
                for k in cursors.indices {
                    let mark = writer.bytes.count
                    if !first { writer.raw(UInt8(ascii: ",")) }
                    writer.bytes.append(contentsOf: keys[k])
                    do {
                        if try cursors[k].next(into: &writer) {
                            first = false
                        } else {
                            writer.bytes.removeSubrange(mark...)
                        }
                    } catch {
                        throw Failure(description: "row \(row), column \(columns[k].name): \(error.description)")
                    }
                }
                writer.raw(UInt8(ascii: "}"))
                emit(writer.bytes, row)
                if bytesRead - reported >= 1 << 20 {
                    progress(bytesRead - reported)
                    reported = bytesRead
                }
            }
        }
        progress(bytesRead - reported)
    }
}

/// The values of one column chunk, page after page.
struct ColumnCursor {
    let column: ParquetReader.Column
    let chunk: ParquetReader.Chunk
    unowned let file: ParquetReader
    private var next = 0
    /// The decoded page: values (nil for null) over `page` and `dictionary` bytes.
    private var cells: [Cell] = []
    private var cell = 0
    private var page: [UInt8] = []
    private var dictionary: [Cell] = []
    private var dictionaryBytes: [UInt8] = []

    enum Cell {
        case null
        case bytes(start: Int32, count: Int32, dictionary: Bool)
        case int(Int64)
        case double(Double)
        case bool(Bool)
    }

    init(column: ParquetReader.Column, chunk: ParquetReader.Chunk, file: ParquetReader) {
        self.column = column
        self.chunk = chunk
        self.file = file
        next = chunk.start
    }

    /// Writes the next value; false for a null (nothing written).
    mutating func next(into writer: inout JSONWriter) throws(ParquetReader.Failure) -> Bool {
        while cell >= cells.count {
            try readPage()
        }
        defer { cell += 1 }
        switch cells[cell] {
        case .null: return false
        case .int(let v):
            switch column.meaning {
            case .plain: writer.int(Int(v))
            case .date: writer.string(ColumnCursor.isoDate(days: v))
            case .timestamp(let perSecond, let digits, let utc):
                writer.string(ColumnCursor.isoTimestamp(v, perSecond: perSecond, digits: digits, utc: utc))
            }
        case .double(let v):
            if v.isFinite {
                writer.bytes.append(contentsOf: "\(v)".utf8)
            } else {
                writer.raw("null")
            }
        case .bool(let v):
            writer.raw(v ? "true" : "false")
        case .bytes(let start, let count, let inDictionary):
            let bytes = inDictionary ? dictionaryBytes : page
            bytes.withUnsafeBufferPointer { b in
                let s = UnsafeBufferPointer(rebasing: b[Int(start)..<Int(start) + Int(count)])
                var ascii = true
                for x in s where x >= 0x80 {
                    ascii = false
                    break
                }
                if ascii {
                    writer.string(utf8: s)
                } else {
                    // Invalid UTF-8 becomes U+FFFD, as a JSON line's would.
                    writer.string(String(decoding: s, as: UTF8.self))
                }
            }
        }
        return true
    }

    private mutating func readPage() throws(ParquetReader.Failure) {
        guard next < chunk.end else { throw .init(description: "fewer values than rows") }
        // The header: a few hundred bytes, more with long statistics.
        var want = min(1 << 16, chunk.end - next)
        var header: Thrift.Value
        var headerLength = 0
        while true {
            let raw = try file.read(at: next, count: want)
            do {
                header = try raw.withUnsafeBufferPointer { b throws(Thrift.Malformed) in
                    var at = 0
                    let value = try Thrift.readStruct(b, offset: &at)
                    headerLength = at
                    return value
                }
                break
            } catch {
                guard want < chunk.end - next, want < 1 << 26 else {
                    throw .init(description: "malformed page header: \(error)")
                }
                want = min(want * 8, chunk.end - next)
            }
        }
        let type = header[1]?.int ?? -1
        let uncompressedSize = Int(header[2]?.int ?? 0)
        let compressedSize = Int(header[3]?.int ?? 0)
        let dataStart = next + headerLength
        guard compressedSize >= 0, uncompressedSize >= 0, dataStart + compressedSize <= chunk.end else {
            throw .init(description: "a page is larger than its column chunk")
        }
        next = dataStart + compressedSize
        switch type {
        case 2:  // dictionary page
            let data = try decompress(try file.read(at: dataStart, count: compressedSize), size: uncompressedSize)
            let count = Int(header[7]?[1]?.int ?? 0)
            dictionaryBytes = data
            dictionary = []
            var at = 0
            try ColumnCursor.plain(
                data, from: &at, count: count, type: column.type, dictionary: true, into: &dictionary)
        case 0:  // data page v1: levels and values, compressed together
            guard let h = header[5] else { throw .init(description: "data page without its header") }
            let values = Int(h[1]?.int ?? 0)
            page = try decompress(try file.read(at: dataStart, count: compressedSize), size: uncompressedSize)
            var at = 0
            var defined: [UInt32] = []
            if column.maxDefinition > 0 {
                guard at + 4 <= page.count else { throw .init(description: "definition levels cut short") }
                let length =
                    Int(page[at]) | Int(page[at + 1]) << 8 | Int(page[at + 2]) << 16 | Int(page[at + 3]) << 24
                at += 4
                guard length >= 0, at + length <= page.count else {
                    throw .init(description: "definition levels cut short")
                }
                try ColumnCursor.hybrid(page, from: at, to: at + length, bitWidth: 1, count: values, into: &defined)
                at += length
            }
            try decodeValues(encoding: Int(h[2]?.int ?? 0), count: values, defined: defined, from: at)
        case 3:  // data page v2: levels uncompressed before the values
            guard let h = header[8] else { throw .init(description: "data page without its header") }
            let values = Int(h[1]?.int ?? 0)
            let definitionLength = Int(h[5]?.int ?? 0)
            let repetitionLength = Int(h[6]?.int ?? 0)
            let compressed = h[7]?.bool ?? true
            let raw = try file.read(at: dataStart, count: compressedSize)
            let levels = repetitionLength + definitionLength
            guard levels >= 0, levels <= raw.count else { throw .init(description: "page levels cut short") }
            var defined: [UInt32] = []
            if column.maxDefinition > 0 {
                try ColumnCursor.hybrid(
                    raw, from: repetitionLength, to: levels, bitWidth: 1, count: values, into: &defined)
            }
            let body = Array(raw[levels...])
            page = compressed ? try decompress(body, size: uncompressedSize - levels) : body
            try decodeValues(encoding: Int(h[4]?.int ?? 0), count: values, defined: defined, from: 0)
        default:
            break  // index pages: skipped
        }
    }

    private mutating func decodeValues(encoding: Int, count: Int, defined: [UInt32], from start: Int)
        throws(ParquetReader.Failure)
    {
        guard count >= 0, count <= 1 << 28, start >= 0 else {
            throw .init(description: "a page says it holds \(count) values")
        }
        let present = defined.isEmpty ? count : defined.reduce(0) { $0 + Int($1) }
        var values: [Cell] = []
        values.reserveCapacity(present)
        switch encoding {
        case 0:
            var at = start
            try ColumnCursor.plain(page, from: &at, count: present, type: column.type, dictionary: false, into: &values)
        case 2, 8:
            guard start < page.count || present == 0 else { throw .init(description: "dictionary indices cut short") }
            if present > 0 {
                let width = Int(page[start])
                var indices: [UInt32] = []
                try ColumnCursor.hybrid(
                    page, from: start + 1, to: page.count, bitWidth: width, count: present, into: &indices)
                for i in indices {
                    guard Int(i) < dictionary.count else { throw .init(description: "dictionary index out of range") }
                    values.append(dictionary[Int(i)])
                }
            }
        case 3 where column.type == .boolean:
            guard start + 4 <= page.count else { throw .init(description: "boolean values cut short") }
            var bits: [UInt32] = []
            try ColumnCursor.hybrid(page, from: start + 4, to: page.count, bitWidth: 1, count: present, into: &bits)
            values = bits.map { .bool($0 != 0) }
        default:
            let names = [
                5: "DELTA_BINARY_PACKED", 6: "DELTA_LENGTH_BYTE_ARRAY", 7: "DELTA_BYTE_ARRAY", 9: "BYTE_STREAM_SPLIT",
            ]
            throw .init(
                description:
                    "values encoded as \(names[encoding] ?? "encoding \(encoding)"), which newsmill does not read "
                    + "(rewrite the file with PLAIN or dictionary encoding, pyarrow's default)")
        }
        guard values.count == present else { throw .init(description: "fewer values than the page says") }
        if defined.isEmpty {
            cells = values
        } else {
            cells = []
            cells.reserveCapacity(count)
            var k = 0
            for d in defined {
                if d != 0 {
                    cells.append(values[k])
                    k += 1
                } else {
                    cells.append(.null)
                }
            }
        }
        cell = 0
    }

    private func decompress(_ data: [UInt8], size: Int) throws(ParquetReader.Failure) -> [UInt8] {
        guard size >= 0, size <= 1 << 30 else { throw .init(description: "a page says it holds \(size) bytes") }
        switch chunk.codec {
        case 0: return data
        case 1:
            var out: [UInt8] = []
            do {
                try data.withUnsafeBufferPointer { b throws(Snappy.Malformed) in try Snappy.decompress(b, into: &out) }
            } catch {
                throw .init(description: "corrupt Snappy page")
            }
            return out
        case 2: return try ColumnCursor.inflate(data, size: size)
        case 6: return try ColumnCursor.unzstd(data, size: size)
        default:
            let names = [3: "LZO", 4: "Brotli", 5: "LZ4 (Hadoop)", 7: "LZ4"]
            throw .init(
                description: "pages compressed with \(names[chunk.codec] ?? "codec \(chunk.codec)"), which newsmill "
                    + "does not read (rewrite the file with snappy, gzip or zstd)")
        }
    }

    // MARK: Dates

    /// `YYYY-MM-DD` of a day count since 1970-01-01 (proleptic Gregorian; H. Hinnant's
    /// civil-from-days).
    static func isoDate(days: Int64) -> String {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ n: Int64, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return (year < 0 ? "-" + pad(-year, 4) : pad(year, 4)) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fff...][Z]`: the fraction only when it is not zero.
    static func isoTimestamp(_ value: Int64, perSecond: Int64, digits: Int, utc: Bool) -> String {
        var seconds = value / perSecond
        var fraction = value % perSecond
        if fraction < 0 {
            fraction += perSecond
            seconds -= 1
        }
        var days = seconds / 86_400
        var time = seconds % 86_400
        if time < 0 {
            time += 86_400
            days -= 1
        }
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        var text = isoDate(days: days) + "T" + two(time / 3600) + ":" + two(time % 3600 / 60) + ":" + two(time % 60)
        if fraction != 0 {
            let f = String(fraction)
            text += "." + String(repeating: "0", count: digits - f.count) + f
        }
        return utc ? text + "Z" : text
    }

    // MARK: Decoders

    static func plain(
        _ data: [UInt8], from at: inout Int, count: Int, type: ParquetReader.PhysicalType, dictionary: Bool,
        into out: inout [Cell]
    ) throws(ParquetReader.Failure) {
        guard count >= 0, count <= data.count * 8 + 8 else {
            throw .init(description: "a page says it holds \(count) values")
        }
        func le(_ n: Int) throws(ParquetReader.Failure) -> UInt64 {
            guard at + n <= data.count else { throw .init(description: "values cut short") }
            var v: UInt64 = 0
            for k in 0..<n { v |= UInt64(data[at + k]) << (8 * UInt64(k)) }
            at += n
            return v
        }
        switch type {
        case .byteArray:
            for _ in 0..<count {
                let length = Int(try le(4))
                guard at + length <= data.count else { throw .init(description: "a string runs past its page") }
                out.append(.bytes(start: Int32(at), count: Int32(length), dictionary: dictionary))
                at += length
            }
        case .int32:
            for _ in 0..<count { out.append(.int(Int64(Int32(truncatingIfNeeded: try le(4))))) }
        case .int64:
            for _ in 0..<count { out.append(.int(Int64(bitPattern: try le(8)))) }
        case .float:
            for _ in 0..<count { out.append(.double(Double(Float(bitPattern: UInt32(try le(4)))))) }
        case .double:
            for _ in 0..<count { out.append(.double(Double(bitPattern: try le(8)))) }
        case .boolean:
            guard at + (count + 7) / 8 <= data.count else { throw .init(description: "values cut short") }
            for k in 0..<count { out.append(.bool(data[at + k / 8] >> (k % 8) & 1 != 0)) }
            at += (count + 7) / 8
        case .int96, .fixedLenByteArray:
            throw .init(description: "unsupported type")
        }
    }

    /// The RLE / bit-packing hybrid (definition levels, dictionary indices, booleans).
    static func hybrid(
        _ data: [UInt8], from start: Int, to end: Int, bitWidth: Int, count: Int, into out: inout [UInt32]
    ) throws(ParquetReader.Failure) {
        out.removeAll(keepingCapacity: true)
        guard count >= 0, count <= 1 << 28 else { throw .init(description: "a page says it holds \(count) values") }
        out.reserveCapacity(count)
        guard bitWidth <= 32 else { throw .init(description: "bad bit width \(bitWidth)") }
        if bitWidth == 0 {
            out = [UInt32](repeating: 0, count: count)
            return
        }
        var at = start
        let byteWidth = (bitWidth + 7) / 8
        let mask: UInt64 = bitWidth == 32 ? 0xFFFF_FFFF : (1 << UInt64(bitWidth)) - 1
        while out.count < count {
            var header = 0
            var shift = 0
            while true {
                guard at < end, shift < 35 else { throw .init(description: "levels or indices cut short") }
                let b = data[at]
                at += 1
                header |= Int(b & 0x7F) << shift
                if b & 0x80 == 0 { break }
                shift += 7
            }
            if header & 1 == 0 {
                let run = header >> 1
                guard at + byteWidth <= end else { throw .init(description: "levels or indices cut short") }
                var value: UInt32 = 0
                for k in 0..<byteWidth { value |= UInt32(data[at + k]) << (8 * UInt32(k)) }
                at += byteWidth
                let n = min(run, count - out.count)
                out.append(contentsOf: repeatElement(value, count: n))
            } else {
                let values = (header >> 1) * 8
                let bytes = (header >> 1) * bitWidth
                guard at + bytes <= end else { throw .init(description: "levels or indices cut short") }
                var bitPosition = 0
                for _ in 0..<values {
                    if out.count == count { break }
                    var v: UInt64 = 0
                    let byte = at + bitPosition / 8
                    let shift = bitPosition % 8
                    var k = 0
                    while k * 8 < bitWidth + shift {
                        if byte + k < at + bytes { v |= UInt64(data[byte + k]) << UInt64(8 * k) }
                        k += 1
                    }
                    out.append(UInt32((v >> UInt64(shift)) & mask))
                    bitPosition += bitWidth
                }
                at += bytes
            }
        }
    }

    /// A gzip (or zlib) page.
    static func inflate(_ data: [UInt8], size: Int) throws(ParquetReader.Failure) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: max(size, 1))
        var stream = z_stream()
        guard newsmill_inflateInit2(&stream, 15 + 32) == Z_OK else { throw .init(description: "cannot start zlib") }
        defer { inflateEnd(&stream) }
        let status: Int32 = data.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = output.baseAddress
                stream.avail_out = uInt(output.count)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == size else {
            throw .init(description: "corrupt gzip page")
        }
        return Array(out[0..<size])
    }

    /// A zstd page: with libzstd when it loads (``Zstd``), else through the `zstd` program.
    static func unzstd(_ data: [UInt8], size: Int) throws(ParquetReader.Failure) -> [UInt8] {
        if let library = Zstd.library {
            do {
                return try Zstd.decompress(data, size: size, with: library)
            } catch {
                throw .init(description: "corrupt zstd page: \(error.message)")
            }
        }
        let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array((directory + "/newsmill-page-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { b -> Int32 in
            guard let base = b.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard fd >= 0 else { throw .init(description: "cannot write a temporary file: \(FileSystem.errorText(errno))") }
        let path = String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(path) }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == data.count else { throw .init(description: "cannot write a temporary file") }
        do {
            let chunks = try ChunkReader(path: path, compression: .zstd)
            var out: [UInt8] = []
            out.reserveCapacity(size)
            while try chunks.next({ out.append(contentsOf: $0) }) {}
            guard out.count == size else { throw ParquetReader.Failure(description: "corrupt zstd page") }
            return out
        } catch let failure as ParquetReader.Failure {
            throw failure
        } catch let error as InputError {
            throw .init(description: "zstd pages: \(error.reason)")
        } catch {
            throw .init(description: "\(error)")
        }
    }
}
