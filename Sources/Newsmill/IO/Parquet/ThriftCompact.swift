/// A reader of Apache Thrift's compact protocol, the encoding of Parquet's footer and page
/// headers, into a small tree of values (the structures are a few kilobytes: no need for
/// generated code). Fields are kept by id; unknown ones are skipped.
enum Thrift {
    indirect enum Value {
        case int(Int64)
        case double(Double)
        case bool(Bool)
        case binary([UInt8])
        case list([Value])
        case structure([Int16: Value])
        case map

        var int: Int64? {
            if case .int(let v) = self { return v }
            return nil
        }
        var binary: [UInt8]? {
            if case .binary(let b) = self { return b }
            return nil
        }
        var string: String? { binary.map { String(decoding: $0, as: UTF8.self) } }
        var list: [Value]? {
            if case .list(let l) = self { return l }
            return nil
        }
        var fields: [Int16: Value]? {
            if case .structure(let f) = self { return f }
            return nil
        }
        var bool: Bool? {
            if case .bool(let b) = self { return b }
            return nil
        }
        subscript(_ id: Int16) -> Value? { fields?[id] }
    }

    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    /// Reads one struct from `bytes` starting at `offset`; `offset` moves past it.
    static func readStruct(_ bytes: UnsafeBufferPointer<UInt8>, offset: inout Int) throws(Malformed) -> Value {
        var reader = Reader(bytes: bytes, at: offset)
        let value = try reader.structure(depth: 0)
        offset = reader.at
        return value
    }

    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var at: Int

        init(bytes: UnsafeBufferPointer<UInt8>, at: Int) {
            self.bytes = bytes
            self.at = at
        }

        mutating func byte() throws(Malformed) -> UInt8 {
            guard at < bytes.count else { throw Malformed(description: "Thrift data ends early") }
            defer { at += 1 }
            return bytes[at]
        }

        mutating func varint() throws(Malformed) -> UInt64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let b = try byte()
                result |= UInt64(b & 0x7F) << shift
                if b & 0x80 == 0 { return result }
                shift += 7
                guard shift < 64 else { throw Malformed(description: "Thrift varint too long") }
            }
        }

        mutating func zigzag() throws(Malformed) -> Int64 {
            let v = try varint()
            return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
        }

        mutating func value(type: UInt8, depth: Int) throws(Malformed) -> Value {
            guard depth < 64 else { throw Malformed(description: "Thrift nesting too deep") }
            switch type {
            case 1: return .bool(true)
            case 2: return .bool(false)
            case 3: return .int(Int64(Int8(bitPattern: try byte())))
            case 4, 5, 6: return .int(try zigzag())
            case 7:
                guard at + 8 <= bytes.count else { throw Malformed(description: "Thrift data ends early") }
                var raw: UInt64 = 0
                for k in 0..<8 { raw |= UInt64(bytes[at + k]) << (8 * UInt64(k)) }
                at += 8
                return .double(Double(bitPattern: raw))
            case 8:
                let length = Int(try varint())
                guard length >= 0, at + length <= bytes.count else {
                    throw Malformed(description: "Thrift string longer than its data")
                }
                defer { at += length }
                return .binary(Array(UnsafeBufferPointer(rebasing: bytes[at..<at + length])))
            case 9, 10:
                let header = try byte()
                var size = Int(header >> 4)
                if size == 15 { size = Int(try varint()) }
                let elementType = header & 0x0F
                guard size >= 0, size <= bytes.count - at + 1 else {
                    throw Malformed(description: "Thrift list too long")
                }
                var items: [Value] = []
                items.reserveCapacity(size)
                for _ in 0..<size {
                    if elementType == 1 || elementType == 2 {
                        items.append(.bool(try byte() == 1))
                    } else {
                        items.append(try value(type: elementType, depth: depth + 1))
                    }
                }
                return .list(items)
            case 11:
                let size = Int(try varint())
                guard size >= 0, size <= bytes.count - at else { throw Malformed(description: "Thrift map too long") }
                if size > 0 {
                    let types = try byte()
                    for _ in 0..<size {
                        _ = try value(type: types >> 4, depth: depth + 1)
                        _ = try value(type: types & 0x0F, depth: depth + 1)
                    }
                }
                return .map
            case 12: return try structure(depth: depth + 1)
            default: throw Malformed(description: "unknown Thrift type \(type)")
            }
        }

        mutating func structure(depth: Int) throws(Malformed) -> Value {
            var fields: [Int16: Value] = [:]
            var lastID: Int16 = 0
            while true {
                let header = try byte()
                let type = header & 0x0F
                if type == 0 { return .structure(fields) }
                let delta = Int16(header >> 4)
                let id: Int16
                if delta == 0 {
                    id = Int16(truncatingIfNeeded: try zigzag())
                } else {
                    id = lastID &+ delta
                }
                lastID = id
                fields[id] = try value(type: type, depth: depth)
            }
        }
    }
}

/// Snappy decompression (the raw format Parquet pages use, without framing).
enum Snappy {
    struct Malformed: Error {}

    static func decompress(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) throws(Malformed) {
        var at = 0
        func varint() throws(Malformed) -> Int {
            var result = 0
            var shift = 0
            while true {
                guard at < input.count, shift < 35 else { throw Malformed() }
                let b = input[at]
                at += 1
                result |= Int(b & 0x7F) << shift
                if b & 0x80 == 0 { return result }
                shift += 7
            }
        }
        let length = try varint()
        guard length <= 1 << 31 else { throw Malformed() }
        // Written in place (appending a slice of the array to itself would copy it each time).
        output = [UInt8](repeating: 0, count: length)
        var done = 0
        try output.withUnsafeMutableBufferPointer { (out) throws(Malformed) in
            while at < input.count {
                let tag = input[at]
                at += 1
                if tag & 3 == 0 {
                    var n = Int(tag >> 2)
                    if n >= 60 {
                        let extra = n - 59
                        guard at + extra <= input.count else { throw Malformed() }
                        n = 0
                        for k in 0..<extra { n |= Int(input[at + k]) << (8 * k) }
                        at += extra
                    }
                    n += 1
                    guard at + n <= input.count, done + n <= length else { throw Malformed() }
                    for k in 0..<n { out[done + k] = input[at + k] }
                    at += n
                    done += n
                    continue
                }
                let n: Int
                let offset: Int
                switch tag & 3 {
                case 1:
                    guard at < input.count else { throw Malformed() }
                    n = 4 + Int((tag >> 2) & 7)
                    offset = Int(tag >> 5) << 8 | Int(input[at])
                    at += 1
                case 2:
                    guard at + 2 <= input.count else { throw Malformed() }
                    n = 1 + Int(tag >> 2)
                    offset = Int(input[at]) | Int(input[at + 1]) << 8
                    at += 2
                default:
                    guard at + 4 <= input.count else { throw Malformed() }
                    n = 1 + Int(tag >> 2)
                    offset =
                        Int(input[at]) | Int(input[at + 1]) << 8 | Int(input[at + 2]) << 16 | Int(input[at + 3]) << 24
                    at += 4
                }
                guard offset > 0, offset <= done, done + n <= length else { throw Malformed() }
                // Byte by byte: a copy may overlap its own output (a run).
                for k in 0..<n { out[done + k] = out[done - offset + k] }
                done += n
            }
        }
        guard done == length else { throw Malformed() }
    }
}
