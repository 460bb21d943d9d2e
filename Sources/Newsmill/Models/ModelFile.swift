/// The container format of newsmill model files (`.nmm`).
///
/// Layout, all integers little-endian:
///
///     magic     8 bytes  "NMMODEL\0"
///     version   u32      container version (1)
///     kind      u32      1 = part-of-speech tagger, 2 = lemmatizer
///     sections  u32      number of sections
///     reserved  u32
///     then per section: tag (4 ASCII bytes), reserved u32, length u64, payload,
///     zero padding to a multiple of 8 bytes.
///
/// A file is read with one `read` loop and parsed without copying payloads twice.
public struct ModelFile: Sendable {
    /// The file magic.
    public static let magic: [UInt8] = Array("NMMODEL".utf8) + [0]
    /// The container version this build reads and writes.
    public static let version: UInt32 = 1

    /// What a model file holds.
    public enum Kind: UInt32, Sendable {
        case partOfSpeech = 1
        case lemmatizer = 2
        case language = 3
    }

    /// The model's kind.
    public var kind: Kind
    /// Sections by tag, in file order.
    public var sections: [(tag: String, payload: [UInt8])]

    /// An empty model file of a kind.
    public init(kind: Kind) {
        self.kind = kind
        self.sections = []
    }

    /// The payload of a section, or an error naming the missing tag.
    public func section(_ tag: String, path: String) throws(ModelFormatError) -> [UInt8] {
        guard let found = sections.first(where: { $0.tag == tag }) else {
            throw .missingSection(path: path, tag: tag)
        }
        return found.payload
    }

    /// Serializes the file.
    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.bytes.append(contentsOf: ModelFile.magic)
        w.u32(ModelFile.version)
        w.u32(kind.rawValue)
        w.u32(UInt32(sections.count))
        w.u32(0)
        for section in sections {
            var tag = Array(section.tag.utf8.prefix(4))
            while tag.count < 4 { tag.append(0x20) }
            w.bytes.append(contentsOf: tag)
            w.u32(0)
            w.u64(UInt64(section.payload.count))
            w.bytes.append(contentsOf: section.payload)
            while w.bytes.count % 8 != 0 { w.bytes.append(0) }
        }
        return w.bytes
    }

    /// Parses a file's bytes; `path` is used in error messages.
    public init(bytes: [UInt8], path: String) throws(ModelFormatError) {
        var r = ByteReader(bytes, path: path)
        guard bytes.count >= 24, Array(bytes[0..<8]) == ModelFile.magic else { throw .notAModel(path: path) }
        r.offset = 8
        let version = try r.u32()
        guard version == ModelFile.version else {
            throw .unsupportedVersion(path: path, found: version, supported: ModelFile.version)
        }
        let rawKind = try r.u32()
        guard let kind = Kind(rawValue: rawKind) else {
            throw .corrupt(path: path, detail: "unknown model kind \(rawKind)")
        }
        self.kind = kind
        let count = try r.u32()
        _ = try r.u32()
        var sections: [(tag: String, payload: [UInt8])] = []
        for _ in 0..<count {
            let tagBytes = try r.bytes(4)
            let tag = String(decoding: tagBytes, as: UTF8.self).trimmingSuffixSpaces()
            _ = try r.u32()
            let length = try r.u64()
            guard length <= UInt64(bytes.count - r.offset) else { throw .truncated(path: path) }
            let payload = try r.bytes(Int(length))
            sections.append((tag, payload))
            while r.offset % 8 != 0 && r.offset < bytes.count { r.offset += 1 }
        }
        self.sections = sections
    }

    /// Reads and parses a file.
    public static func load(path: String) throws(ModelFormatError) -> ModelFile {
        let bytes: [UInt8]
        do { bytes = try FileSystem.readFile(path) } catch { throw .cannotRead(path: path, detail: error.detail) }
        return try ModelFile(bytes: bytes, path: path)
    }

    /// Writes the file atomically.
    public func write(to path: String) throws(ModelFormatError) {
        do { try FileSystem.writeAtomically(path, bytes: encoded()) } catch {
            throw .cannotWrite(path: path, detail: error.detail)
        }
    }
}

extension String {
    fileprivate func trimmingSuffixSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}

/// Why a model file could not be read or written.
public enum ModelFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotRead(path: String, detail: String)
    case cannotWrite(path: String, detail: String)
    case notAModel(path: String)
    case unsupportedVersion(path: String, found: UInt32, supported: UInt32)
    case wrongKind(path: String, expected: String)
    case missingSection(path: String, tag: String)
    case truncated(path: String)
    case corrupt(path: String, detail: String)

    /// A message naming the file and saying what to do.
    public var description: String {
        switch self {
        case .cannotRead(let path, let detail): "\(path): cannot read model: \(detail)"
        case .cannotWrite(let path, let detail): "\(path): cannot write model: \(detail)"
        case .notAModel(let path): "\(path): not a newsmill model file (bad magic)"
        case .unsupportedVersion(let path, let found, let supported):
            "\(path): model format version \(found) is not supported (this build reads \(supported)); retrain the model"
        case .wrongKind(let path, let expected): "\(path): not a \(expected) model"
        case .missingSection(let path, let tag): "\(path): model file lacks section '\(tag)'"
        case .truncated(let path): "\(path): model file is truncated"
        case .corrupt(let path, let detail): "\(path): corrupt model file: \(detail)"
        }
    }
}

/// Appends little-endian values to a byte array.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func i16(_ v: Int16) { u16(UInt16(bitPattern: v)) }
    mutating func f32(_ v: Float) { u32(v.bitPattern) }
    /// A length-prefixed (u32) UTF-8 string.
    mutating func string(_ s: String) {
        u32(UInt32(s.utf8.count))
        bytes.append(contentsOf: s.utf8)
    }
    /// A length-prefixed (u32) byte blob.
    mutating func blob(_ b: [UInt8]) {
        u32(UInt32(b.count))
        bytes.append(contentsOf: b)
    }
}

/// Reads little-endian values from a byte array, throwing on truncation.
struct ByteReader {
    let bytes: [UInt8]
    let path: String
    var offset = 0

    init(_ bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    var isAtEnd: Bool { offset >= bytes.count }

    private mutating func fixed<T: FixedWidthInteger>(_: T.Type) throws(ModelFormatError) -> T {
        let size = MemoryLayout<T>.size
        guard offset + size <= bytes.count else { throw .truncated(path: path) }
        let v = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: T.self) }
        offset += size
        return T(littleEndian: v)
    }

    mutating func u8() throws(ModelFormatError) -> UInt8 { try fixed(UInt8.self) }
    mutating func u16() throws(ModelFormatError) -> UInt16 { try fixed(UInt16.self) }
    mutating func u32() throws(ModelFormatError) -> UInt32 { try fixed(UInt32.self) }
    mutating func u64() throws(ModelFormatError) -> UInt64 { try fixed(UInt64.self) }
    mutating func i16() throws(ModelFormatError) -> Int16 { Int16(bitPattern: try u16()) }
    mutating func f32() throws(ModelFormatError) -> Float { Float(bitPattern: try u32()) }

    mutating func bytes(_ n: Int) throws(ModelFormatError) -> [UInt8] {
        guard n >= 0, offset + n <= bytes.count else { throw .truncated(path: path) }
        defer { offset += n }
        return Array(bytes[offset..<offset + n])
    }

    mutating func string() throws(ModelFormatError) -> String {
        let n = Int(try u32())
        return String(decoding: try bytes(n), as: UTF8.self)
    }

    mutating func blob() throws(ModelFormatError) -> [UInt8] { try bytes(Int(try u32())) }

    /// An array of `n` little-endian integers, read in one pass.
    mutating func array<T: FixedWidthInteger>(_: T.Type, count n: Int) throws(ModelFormatError) -> [T] {
        let size = MemoryLayout<T>.size
        guard n >= 0, offset + n * size <= bytes.count else { throw .truncated(path: path) }
        let start = offset
        let result = [T](unsafeUninitializedCapacity: n) { buffer, initialized in
            bytes.withUnsafeBytes { raw in
                for i in 0..<n {
                    buffer[i] = T(littleEndian: raw.loadUnaligned(fromByteOffset: start + i * size, as: T.self))
                }
            }
            initialized = n
        }
        offset += n * size
        return result
    }
}
