import CZlib

/// An error reading a model file.
public struct ModelFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var detail: String

    public init(path: String, detail: String) {
        self.path = path
        self.detail = detail
    }

    public var description: String { "\(path): \(detail)" }
}

/// The `.nmm` file format of ``NERModel``.
///
/// Little-endian. Header: the magic `NEWSMNER`, format version (UInt32), flags (UInt32,
/// 0), body length (UInt64); then the body as one gzip member. Body: info string
/// (UInt32 length + UTF-8); labels (UInt32 count + one byte each, ``EntityLabel`` raw
/// values); row bits (UInt32); the weights as sparse rows (version 2): the number of
/// non-zero weights (UInt32), one count byte per row, one Float32 scale per non-empty
/// row, then the tag byte of every non-zero weight and after them its signed byte `q`
/// (weight = q × the row's scale), row after row, tags ascending; gazetteer (UInt32
/// count, then per entry UInt16 phrase length + phrase + UInt8 label length + label
/// name); the tag dictionary of non-starting words, then the lowercase vocabulary (each
/// UInt32 count + sorted UInt64 word hashes).
///
/// Version 1 files (dense rows: per row a Float32 scale and one signed byte per tag,
/// padded to a multiple of 8) still load, to the same weights.
extension NERModel {
    static let magic: [UInt8] = Array("NEWSMNER".utf8)
    /// The format version this build writes.
    public static let formatVersion: UInt32 = 2
    /// The oldest format version this build reads.
    public static let oldestFormatVersion: UInt32 = 1

    /// The model's bytes in the `.nmm` format.
    public func serialized() -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(rowCount * 5 + weightCount * 2 + 65536)
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { body.append(contentsOf: $0) } }
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { body.append(contentsOf: $0) } }
        let infoBytes = Array(info.utf8)
        u32(UInt32(infoBytes.count))
        body.append(contentsOf: infoBytes)
        u32(UInt32(labels.count))
        for l in labels { body.append(l.rawValue) }
        u32(UInt32(rowBits))
        let rows = (0..<rowCount).map { quantizedRow($0) }
        u32(UInt32(rows.reduce(0) { $0 + $1.values.count }))
        for row in rows { body.append(UInt8(row.values.count)) }
        for row in rows where !row.values.isEmpty { u32(row.scale.bitPattern) }
        for row in rows { for v in row.values { body.append(UInt8(v.tag)) } }
        for row in rows { for v in row.values { body.append(UInt8(bitPattern: v.q)) } }
        u32(UInt32(gazetteer.entries.count))
        for (phrase, label) in gazetteer.entries {
            let p = Array(phrase.utf8.prefix(65535)), l = Array(label.utf8.prefix(255))
            body.append(UInt8(p.count & 0xFF)); body.append(UInt8(p.count >> 8))
            body.append(contentsOf: p)
            body.append(UInt8(l.count))
            body.append(contentsOf: l)
        }
        for table in [outside, vocabulary] {
            let keys = table.entries.map(\.0).sorted()
            u32(UInt32(keys.count))
            for k in keys { u64(k) }
        }

        var out = NERModel.magic
        withUnsafeBytes(of: NERModel.formatVersion.littleEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(0)) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt64(body.count).littleEndian) { out.append(contentsOf: $0) }
        GzipCompressor(level: 9).compress(body, into: &out)
        return out
    }

    /// Writes the model to `path` (atomically).
    public func write(to path: String) throws(IOFailure) {
        try FileSystem.writeAtomically(path, bytes: serialized())
    }

    /// Reads a model file.
    public static func load(path: String) throws(ModelFileError) -> NERModel {
        let bytes: [UInt8]
        do { bytes = try FileSystem.readFile(path) } catch { throw ModelFileError(path: path, detail: error.detail) }
        return try load(bytes: bytes, path: path)
    }

    /// Reads a model from its bytes; `path` names it in errors.
    public static func load(bytes: [UInt8], path: String = "<model>") throws(ModelFileError) -> NERModel {
        func fail(_ detail: String) -> ModelFileError { ModelFileError(path: path, detail: detail) }
        guard bytes.count >= 24, Array(bytes[0..<8]) == magic else {
            throw fail("not a newsmill entity model (bad magic)")
        }
        var header = ByteCursor(bytes, from: 8)
        guard let version = header.u32(), let _ = header.u32(), let length = header.u64() else {
            throw fail("truncated header")
        }
        guard version >= oldestFormatVersion && version <= formatVersion else {
            throw fail(
                "model format version \(version), but this newsmill reads versions \(oldestFormatVersion)-\(formatVersion); retrain or upgrade"
            )
        }
        guard length < 1 << 31, let body = gunzip(bytes[24...], expected: Int(length)) else {
            throw fail("corrupt compressed body")
        }
        var c = ByteCursor(body, from: 0)
        guard let infoLength = c.u32(), let infoBytes = c.bytes(Int(infoLength)),
            let labelCount = c.u32(), labelCount <= UInt32(NERModel.maxLabels),
            let labelBytes = c.bytes(Int(labelCount)),
            let rowBits32 = c.u32(), rowBits32 >= 4, rowBits32 <= 24
        else { throw fail("corrupt header fields") }
        var labels: [EntityLabel] = []
        for b in labelBytes {
            guard let l = EntityLabel(rawValue: b) else { throw fail("unknown label id \(b)") }
            labels.append(l)
        }
        let rowBits = Int(rowBits32)
        let tagCount = 1 + 4 * labels.count
        let rows = 1 << rowBits
        var builder = RowBuilder(labelCount: labels.count, rows: rows)
        var values = [Int8](repeating: 0, count: tagCount)
        if version == 1 {
            let stride = (tagCount + 7) / 8 * 8
            guard c.remaining >= rows * (stride + 4) else { throw fail("truncated weights") }
            let tooMany: Bool = body.withUnsafeBufferPointer { b in
                values.withUnsafeMutableBufferPointer { q in
                    var o = c.offset
                    for _ in 0..<rows {
                        let scale = Float(
                            bitPattern: UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3])
                                << 24)
                        var nonZero = 0
                        for k in 0..<tagCount {
                            q[k] = Int8(bitPattern: b[o + 4 + k])
                            if q[k] != 0 { nonZero += 1 }
                        }
                        if builder.weightCount + nonZero >= NERModel.maxWeights { return true }
                        builder.add(scale: scale, values: UnsafeBufferPointer(q))
                        o += 4 + stride
                    }
                    return false
                }
            }
            if tooMany { throw fail("more than \(NERModel.maxWeights) non-zero weights") }
            c.offset += rows * (stride + 4)
        } else {
            guard let weightCount32 = c.u32(), weightCount32 < NERModel.maxWeights else {
                throw fail("corrupt weight count, or more than \(NERModel.maxWeights) non-zero weights")
            }
            let weightCount = Int(weightCount32)
            guard c.remaining >= rows + 2 * weightCount else { throw fail("truncated weights") }
            builder = RowBuilder(labelCount: labels.count, rows: rows, weights: weightCount)
            let failure: String? = body.withUnsafeBufferPointer { b in
                let counts = c.offset
                var nonEmpty = 0, total = 0
                for r in 0..<rows where b[counts + r] != 0 {
                    nonEmpty += 1
                    total += Int(b[counts + r])
                }
                guard total == weightCount else { return "weight counts do not add up" }
                guard b.count - counts >= rows + 4 * nonEmpty + 2 * weightCount else { return "truncated weights" }
                var scales = counts + rows
                let tags = scales + 4 * nonEmpty, qs = tags + weightCount
                var start = 0
                for r in 0..<rows {
                    let n = Int(b[counts + r])
                    var scale: Float = 0
                    if n != 0 {
                        let o = scales
                        scale = Float(
                            bitPattern: UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3])
                                << 24)
                        scales += 4
                    }
                    for k in start..<start + n {
                        guard Int(b[tags + k]) < tagCount, k == start || b[tags + k] > b[tags + k - 1] else {
                            return "bad tag in row \(r)"
                        }
                    }
                    let t = tags + start, v = qs + start
                    builder.add(scale: scale, count: n) {
                        Int(b[t + $0])
                    } q: {
                        Int8(bitPattern: b[v + $0])
                    }
                    start += n
                }
                c.offset = qs + weightCount
                return nil
            }
            if let failure { throw fail(failure) }
        }
        guard let gazCount = c.u32() else { throw fail("truncated gazetteer") }
        var entries: [(phrase: String, label: String)] = []
        entries.reserveCapacity(Int(gazCount))
        for _ in 0..<gazCount {
            guard let lo = c.u8(), let hi = c.u8(), let p = c.bytes(Int(lo) | Int(hi) << 8),
                let ll = c.u8(), let l = c.bytes(Int(ll))
            else { throw fail("truncated gazetteer") }
            entries.append((String(decoding: p, as: UTF8.self), String(decoding: l, as: UTF8.self)))
        }
        var tables: [EntityHashTable] = []
        for _ in 0..<2 {
            guard let count = c.u32() else { throw fail("truncated word table") }
            var keys: [(UInt64, UInt32)] = []
            keys.reserveCapacity(Int(min(count, 1 << 24)))
            for _ in 0..<count {
                guard let k = c.u64() else { throw fail("truncated word table") }
                keys.append((k, 1))
            }
            tables.append(EntityHashTable(keys))
        }
        return NERModel(
            labels: labels, rowBits: rowBits, rows: builder,
            gazetteer: EntityGazetteer(entries: entries), outside: tables[0], vocabulary: tables[1],
            info: String(decoding: infoBytes, as: UTF8.self))
    }

    private static func gunzip(_ input: ArraySlice<UInt8>, expected: Int) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: expected)
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        guard newsmill_inflateInit2(stream, 15 + 32) == Z_OK else { return nil }
        defer { inflateEnd(stream) }
        let status: Int32 = input.withUnsafeBufferPointer { inBuf in
            out.withUnsafeMutableBufferPointer { outBuf in
                stream.pointee.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
                stream.pointee.avail_in = uInt(inBuf.count)
                stream.pointee.next_out = outBuf.baseAddress
                stream.pointee.avail_out = uInt(outBuf.count)
                return inflate(stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END, stream.pointee.total_out == expected else { return nil }
        return out
    }
}

/// Reads little-endian values from a byte array, returning nil past the end.
struct ByteCursor {
    let bytes: [UInt8]
    var offset: Int

    init(_ bytes: [UInt8], from offset: Int) {
        self.bytes = bytes
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }

    mutating func u8() -> UInt8? {
        guard offset < bytes.count else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u32() -> UInt32? {
        guard remaining >= 4 else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 { v |= UInt32(bytes[offset + k]) << (8 * k) }
        offset += 4
        return v
    }

    mutating func u64() -> UInt64? {
        guard remaining >= 8 else { return nil }
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(bytes[offset + k]) << (8 * k) }
        offset += 8
        return v
    }

    mutating func bytes(_ n: Int) -> ArraySlice<UInt8>? {
        guard n >= 0, remaining >= n else { return nil }
        defer { offset += n }
        return bytes[offset..<offset + n]
    }
}
