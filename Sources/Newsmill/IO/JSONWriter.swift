/// A streaming JSON writer that appends UTF-8 bytes to a reusable buffer.
///
/// Output is compact (no spaces), keys are written in the order given, and strings are
/// escaped as RFC 8259 requires: `"` `\\` and control characters; everything else,
/// non-ASCII included, is written as raw UTF-8. Python's `json.loads` reads it.
public struct JSONWriter: Sendable {
    /// The bytes written so far.
    public var bytes: [UInt8]

    public init(capacity: Int = 1 << 16) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Empties the buffer, keeping its capacity.
    public mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    @inline(__always) public mutating func raw(_ byte: UInt8) { bytes.append(byte) }

    @inline(__always) public mutating func raw(_ literal: StaticString) {
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Writes a decimal integer.
    public mutating func int(_ value: Int) {
        if value >= 0 && value < 10 {
            bytes.append(UInt8(truncatingIfNeeded: value) &+ 0x30)
            return
        }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            guard let p = buffer.baseAddress else { return }
            let n = JSONWriter.writeDecimal(value.magnitude, to: p)
            bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        }
    }

    /// "00", "01", ... "99": two digits per division.
    private static let digitPairs: StaticString = """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899
        """

    /// Writes the decimal digits of `value` at `p` (room for 20 bytes) and returns how
    /// many; the hot paths (token offsets) write into a buffer reserved for many numbers.
    @inline(__always)
    static func writeDecimal(_ value: UInt, to p: UnsafeMutablePointer<UInt8>) -> Int {
        var count = 1
        var probe = value
        while probe >= 100 {
            probe /= 100
            count += 2
        }
        if probe >= 10 { count += 1 }
        let pairs = digitPairs.utf8Start
        var v = value
        var k = count
        while v >= 100 {
            let r = Int(truncatingIfNeeded: v % 100) &* 2
            v /= 100
            k -= 2
            p[k] = pairs[r]
            p[k + 1] = pairs[r + 1]
        }
        if v >= 10 {
            let r = Int(truncatingIfNeeded: v) &* 2
            p[0] = pairs[r]
            p[1] = pairs[r + 1]
        } else {
            p[0] = UInt8(truncatingIfNeeded: v) &+ 0x30
        }
        return count
    }

    /// Writes a floating-point number with a fixed number of decimals.
    public mutating func double(_ value: Double, decimals: Int = 3) {
        guard value.isFinite else {
            raw("null")
            return
        }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (value * scale).rounded()
        let negative = scaled < 0
        let magnitude = Int(abs(scaled))
        if negative { raw(UInt8(ascii: "-")) }
        let whole = magnitude / Int(scale)
        var frac = magnitude % Int(scale)
        int(whole)
        guard decimals > 0 else { return }
        raw(UInt8(ascii: "."))
        var digits = [UInt8](repeating: 0x30, count: decimals)
        for k in stride(from: decimals - 1, through: 0, by: -1) {
            digits[k] = UInt8(frac % 10) + 0x30
            frac /= 10
        }
        bytes.append(contentsOf: digits)
    }

    /// Writes a JSON string from a String.
    public mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { string(utf8: $0) }
    }

    /// Writes a JSON string from UTF-8 bytes (which must be valid UTF-8).
    public mutating func string(utf8 source: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        var i = 0
        let n = source.count
        while i < n {
            let b = source[i]
            if b >= 0x20 && b != 0x22 && b != 0x5C {
                i += 1
                continue
            }
            if runStart < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart..<i])) }
            switch b {
            case 0x22: raw("\\\"")
            case 0x5C: raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0x08: raw("\\b")
            case 0x0C: raw("\\f")
            default:
                raw("\\u00")
                bytes.append(JSONWriter.hex(b >> 4))
                bytes.append(JSONWriter.hex(b & 0xF))
            }
            i += 1
            runStart = i
        }
        if runStart < n { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart..<n])) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Writes a JSON string from a byte collection.
    public mutating func string<Bytes: Collection>(bytes source: Bytes) where Bytes.Element == UInt8 {
        if let done: Void = source.withContiguousStorageIfAvailable({ string(utf8: $0) }) {
            return done
        }
        let copy = Array(source)
        copy.withUnsafeBufferPointer { string(utf8: $0) }
    }

    /// The lower-case hex digit of a value 0...15.
    @inline(__always) static func hex(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x57 + nibble
    }

    /// Writes any JSON value.
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: raw("null")
        case .bool(let b): if b { raw("true") } else { raw("false") }
        case .number(let n): string(raw: n)
        case .string(let s): string(s)
        case .array(let items):
            raw(UInt8(ascii: "["))
            for (k, item) in items.enumerated() {
                if k > 0 { raw(UInt8(ascii: ",")) }
                self.value(item)
            }
            raw(UInt8(ascii: "]"))
        case .object(let members):
            raw(UInt8(ascii: "{"))
            for (k, member) in members.enumerated() {
                if k > 0 { raw(UInt8(ascii: ",")) }
                string(member.key)
                raw(UInt8(ascii: ":"))
                self.value(member.value)
            }
            raw(UInt8(ascii: "}"))
        }
    }

    private mutating func string(raw text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// Writes `"key":`.
    @inline(__always) public mutating func key(_ literal: StaticString) {
        raw(UInt8(ascii: "\""))
        raw(literal)
        raw("\":")
    }
}

extension JSONValue {
    /// The compact JSON text of this value.
    public var jsonText: String {
        var writer = JSONWriter(capacity: 256)
        writer.value(self)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
