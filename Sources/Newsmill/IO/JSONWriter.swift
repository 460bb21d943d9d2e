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
        var v = value.magnitude
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[n] = UInt8(truncatingIfNeeded: v % 10) &+ 0x30
                v /= 10
                n += 1
            } while v > 0
            while n > 0 {
                n -= 1
                bytes.append(d[n])
            }
        }
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
