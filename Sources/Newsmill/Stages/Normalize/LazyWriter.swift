#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Builds the output of one text pass lazily: the output is the input with some byte
/// ranges replaced, and nothing is copied until the first replacement. A pass that
/// replaces nothing leaves ``changed`` false and its output buffer untouched, so text
/// that is already clean costs one read and no allocation.
struct LazyWriter {
    let input: UnsafeBufferPointer<UInt8>
    /// The output so far (valid only when ``changed``); reuses the caller's capacity.
    var out: [UInt8]
    /// Input bytes from here on are not yet in `out`.
    private(set) var pending = 0
    private(set) var changed = false

    init(input: UnsafeBufferPointer<UInt8>, reusing buffer: [UInt8]) {
        self.input = input
        self.out = buffer
        self.out.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    private mutating func begin(upTo lower: Int) {
        if !changed {
            changed = true
            out.reserveCapacity(input.count + 16)
        }
        if lower > pending {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: input[pending..<lower]))
        }
    }

    /// Drops input bytes `lower..<upper`.
    @inline(__always)
    mutating func remove(_ lower: Int, _ upper: Int) {
        begin(upTo: lower)
        pending = upper
    }

    /// Replaces input bytes `lower..<upper` with one byte.
    @inline(__always)
    mutating func replace(_ lower: Int, _ upper: Int, with byte: UInt8) {
        begin(upTo: lower)
        out.append(byte)
        pending = upper
    }

    /// Replaces input bytes `lower..<upper` with `bytes`.
    @inline(__always)
    mutating func replace<C: Collection>(_ lower: Int, _ upper: Int, with bytes: C) where C.Element == UInt8 {
        begin(upTo: lower)
        out.append(contentsOf: bytes)
        pending = upper
    }

    /// Replaces input bytes `lower..<upper` with the UTF-8 encoding of `scalar`.
    @inline(__always)
    mutating func replace(_ lower: Int, _ upper: Int, withScalar scalar: UInt32) {
        begin(upTo: lower)
        UTF8Bytes.append(scalar, to: &out)
        pending = upper
    }

    /// Copies the unchanged tail; returns the output, or nil when nothing changed.
    mutating func finish() -> Bool {
        guard changed else { return false }
        if pending < input.count {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: input[pending..<input.count]))
        }
        pending = input.count
        return true
    }
}

/// Small UTF-8 helpers for byte-level passes.
enum UTF8Bytes {
    /// Appends the UTF-8 encoding of `scalar` (invalid scalars become U+FFFD).
    @inline(__always)
    static func append(_ scalar: UInt32, to out: inout [UInt8]) {
        var s = scalar
        if s > 0x10FFFF || (0xD800...0xDFFF).contains(s) { s = 0xFFFD }
        if s < 0x80 {
            out.append(UInt8(s))
        } else if s < 0x800 {
            out.append(UInt8(0xC0 | (s >> 6)))
            out.append(UInt8(0x80 | (s & 0x3F)))
        } else if s < 0x10000 {
            out.append(UInt8(0xE0 | (s >> 12)))
            out.append(UInt8(0x80 | ((s >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (s & 0x3F)))
        } else {
            out.append(UInt8(0xF0 | (s >> 18)))
            out.append(UInt8(0x80 | ((s >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((s >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (s & 0x3F)))
        }
    }

    /// Decodes the scalar starting at `i` of valid UTF-8; returns it and its length.
    @inline(__always)
    static func decode(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> (scalar: UInt32, length: Int) {
        let b0 = UInt32(p[i])
        if b0 < 0x80 { return (b0, 1) }
        let n = p.count
        if b0 < 0xE0 {
            guard i + 1 < n else { return (0xFFFD, 1) }
            return (((b0 & 0x1F) << 6) | (UInt32(p[i + 1]) & 0x3F), 2)
        }
        if b0 < 0xF0 {
            guard i + 2 < n else { return (0xFFFD, n - i) }
            return (((b0 & 0x0F) << 12) | ((UInt32(p[i + 1]) & 0x3F) << 6) | (UInt32(p[i + 2]) & 0x3F), 3)
        }
        guard i + 3 < n else { return (0xFFFD, n - i) }
        return (
            ((b0 & 0x07) << 18) | ((UInt32(p[i + 1]) & 0x3F) << 12) | ((UInt32(p[i + 2]) & 0x3F) << 6)
                | (UInt32(p[i + 3]) & 0x3F), 4
        )
    }

    /// The number of Unicode scalars in a byte range of valid UTF-8.
    @inline(__always)
    static func scalarCount(_ p: UnsafeBufferPointer<UInt8>, _ lower: Int, _ upper: Int) -> Int {
        var count = 0
        var i = lower
        while i < upper {
            if p[i] & 0xC0 != 0x80 { count += 1 }
            i += 1
        }
        return count
    }

    /// The index of the first `byte` at or after `start` (memchr), or `p.count`.
    @inline(__always)
    static func find(_ byte: UInt8, in p: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard start < p.count, let base = p.baseAddress else { return p.count }
        guard let hit = memchr(base + start, Int32(byte), p.count - start) else { return p.count }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    /// The index of the first byte from 0x80 up at or after `start`, or `p.count`
    /// (eight bytes at a time).
    @inline(__always)
    static func skipASCII(_ p: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = start
        let n = p.count
        if let base = p.baseAddress {
            let raw = UnsafeRawPointer(base)
            while i + 8 <= n && raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
            }
        }
        while i < n && p[i] < 0x80 { i += 1 }
        return i
    }

    /// Whether `b` is an ASCII letter or digit.
    @inline(__always)
    static func isAlnum(_ b: UInt8) -> Bool {
        (b | 0x20) &- 0x61 < 26 || b &- 0x30 < 10
    }

    /// ASCII lower-casing of one byte.
    @inline(__always)
    static func lower(_ b: UInt8) -> UInt8 {
        b &- 0x41 < 26 ? b | 0x20 : b
    }
}
