/// A small, strict JSON parser over UTF-8 bytes (RFC 8259), used for JSONL input lines,
/// aggregate partials and run state. Keeps key order and number spelling.
public struct JSONParser {
    /// Why a line is not valid JSON; `offset` is the byte offset in the line.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var offset: Int
        public var reason: String
        public var description: String { "\(reason) at byte \(offset + 1)" }
    }

    /// Parses one complete JSON value (surrounding whitespace allowed).
    public static func parse<Bytes: Collection>(_ bytes: Bytes) throws(Failure) -> JSONValue
    where Bytes.Element == UInt8 {
        let result: Result<JSONValue, Failure>? = bytes.withContiguousStorageIfAvailable { buffer in
            var parser = Cursor(buffer: buffer)
            return Result { () throws(Failure) -> JSONValue in try parser.parseDocument() }
        }
        if let result { return try result.get() }
        let copy = Array(bytes)
        return try copy.withUnsafeBufferPointer { buffer throws(Failure) -> JSONValue in
            var parser = Cursor(buffer: buffer)
            return try parser.parseDocument()
        }
    }

    /// Parses a string's UTF-8 as one JSON value.
    public static func parse(_ string: String) throws(Failure) -> JSONValue {
        try parse(Array(string.utf8))
    }

    private struct Cursor {
        let buffer: UnsafeBufferPointer<UInt8>
        var i = 0
        var depth = 0

        init(buffer: UnsafeBufferPointer<UInt8>) { self.buffer = buffer }

        mutating func parseDocument() throws(Failure) -> JSONValue {
            skipWhitespace()
            let value = try parseValue()
            skipWhitespace()
            if i != buffer.count { throw fail("unexpected text after the JSON value") }
            return value
        }

        func fail(_ reason: String) -> Failure { Failure(offset: min(i, buffer.count), reason: reason) }

        mutating func skipWhitespace() {
            while i < buffer.count {
                let b = buffer[i]
                if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { i += 1 } else { break }
            }
        }

        mutating func parseValue() throws(Failure) -> JSONValue {
            guard i < buffer.count else { throw fail("unexpected end of line") }
            switch buffer[i] {
            case UInt8(ascii: "{"): return try parseObject()
            case UInt8(ascii: "["): return try parseArray()
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
            case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
            case UInt8(ascii: "n"): try expectLiteral("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
            default: throw fail("unexpected character '\(Unicode.Scalar(buffer[i]))'")
            }
        }

        mutating func expectLiteral(_ literal: StaticString) throws(Failure) {
            let count = literal.utf8CodeUnitCount
            guard i + count <= buffer.count else { throw fail("invalid literal") }
            let p = literal.utf8Start
            for k in 0..<count where buffer[i + k] != p[k] { throw fail("invalid literal") }
            i += count
        }

        mutating func parseNumber() throws(Failure) -> JSONValue {
            let start = i
            if buffer[i] == UInt8(ascii: "-") { i += 1 }
            guard i < buffer.count, isDigit(buffer[i]) else { throw fail("invalid number") }
            if buffer[i] == UInt8(ascii: "0") {
                i += 1
            } else {
                while i < buffer.count, isDigit(buffer[i]) { i += 1 }
            }
            if i < buffer.count, buffer[i] == UInt8(ascii: ".") {
                i += 1
                guard i < buffer.count, isDigit(buffer[i]) else { throw fail("invalid number") }
                while i < buffer.count, isDigit(buffer[i]) { i += 1 }
            }
            if i < buffer.count, buffer[i] == UInt8(ascii: "e") || buffer[i] == UInt8(ascii: "E") {
                i += 1
                if i < buffer.count, buffer[i] == UInt8(ascii: "+") || buffer[i] == UInt8(ascii: "-") { i += 1 }
                guard i < buffer.count, isDigit(buffer[i]) else { throw fail("invalid number") }
                while i < buffer.count, isDigit(buffer[i]) { i += 1 }
            }
            return .number(String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<i]), as: UTF8.self))
        }

        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

        mutating func parseString() throws(Failure) -> String {
            i += 1  // opening quote
            let start = i
            // Fast path: no escapes. ASCII needs no validation: `String(validating:as:)` is not
            // specialized here and looks up generic metadata on every call (10% of reading
            // a run's documents back, with a key or tag string every few bytes).
            var high: UInt8 = 0
            while i < buffer.count {
                let b = buffer[i]
                if b == UInt8(ascii: "\"") {
                    let slice = UnsafeBufferPointer(rebasing: buffer[start..<i])
                    i += 1
                    if high < 0x80 { return String(decoding: slice, as: UTF8.self) }
                    guard let s = String(validating: slice, as: UTF8.self) else {
                        throw Failure(offset: start, reason: "invalid UTF-8 in string")
                    }
                    return s
                }
                high |= b
                if b == UInt8(ascii: "\\") { break }
                if b < 0x20 { throw fail("unescaped control character in string") }
                i += 1
            }
            var bytes = Array(UnsafeBufferPointer(rebasing: buffer[start..<i]))
            while i < buffer.count {
                let b = buffer[i]
                if b == UInt8(ascii: "\"") {
                    i += 1
                    guard let s = String(validating: bytes, as: UTF8.self) else {
                        throw Failure(offset: start, reason: "invalid UTF-8 in string")
                    }
                    return s
                }
                if b < 0x20 { throw fail("unescaped control character in string") }
                if b != UInt8(ascii: "\\") {
                    bytes.append(b)
                    i += 1
                    continue
                }
                i += 1
                guard i < buffer.count else { break }
                let e = buffer[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""): bytes.append(0x22)
                case UInt8(ascii: "\\"): bytes.append(0x5C)
                case UInt8(ascii: "/"): bytes.append(0x2F)
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try parseHex4()
                    if scalar >= 0xD800 && scalar < 0xDC00 {
                        // High surrogate: a low surrogate must follow, else U+FFFD.
                        if i + 1 < buffer.count, buffer[i] == UInt8(ascii: "\\"), buffer[i + 1] == UInt8(ascii: "u") {
                            let save = i
                            i += 2
                            let low = try parseHex4()
                            if low >= 0xDC00 && low < 0xE000 {
                                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                i = save
                                scalar = 0xFFFD
                            }
                        } else {
                            scalar = 0xFFFD
                        }
                    } else if scalar >= 0xDC00 && scalar < 0xE000 {
                        scalar = 0xFFFD
                    }
                    appendUTF8(scalar, to: &bytes)
                default:
                    i -= 1
                    throw fail("invalid escape in string")
                }
            }
            throw fail("unterminated string")
        }

        mutating func parseHex4() throws(Failure) -> UInt32 {
            guard i + 4 <= buffer.count else { throw fail("invalid \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = buffer[i]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                default: throw fail("invalid \\u escape")
                }
                v = v << 4 | d
                i += 1
            }
            return v
        }

        mutating func parseArray() throws(Failure) -> JSONValue {
            depth += 1
            if depth > 512 { throw fail("nesting too deep") }
            defer { depth -= 1 }
            i += 1
            var items: [JSONValue] = []
            skipWhitespace()
            if i < buffer.count, buffer[i] == UInt8(ascii: "]") {
                i += 1
                return .array(items)
            }
            while true {
                skipWhitespace()
                items.append(try parseValue())
                skipWhitespace()
                guard i < buffer.count else { throw fail("unterminated array") }
                if buffer[i] == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                if buffer[i] == UInt8(ascii: "]") {
                    i += 1
                    return .array(items)
                }
                throw fail("expected ',' or ']' in array")
            }
        }

        mutating func parseObject() throws(Failure) -> JSONValue {
            depth += 1
            if depth > 512 { throw fail("nesting too deep") }
            defer { depth -= 1 }
            i += 1
            var members: [JSONMember] = []
            skipWhitespace()
            if i < buffer.count, buffer[i] == UInt8(ascii: "}") {
                i += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard i < buffer.count, buffer[i] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
                let key = try parseString()
                skipWhitespace()
                guard i < buffer.count, buffer[i] == UInt8(ascii: ":") else { throw fail("expected ':' after key") }
                i += 1
                skipWhitespace()
                let value = try parseValue()
                members.append(JSONMember(key, value))
                skipWhitespace()
                guard i < buffer.count else { throw fail("unterminated object") }
                if buffer[i] == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                if buffer[i] == UInt8(ascii: "}") {
                    i += 1
                    return .object(members)
                }
                throw fail("expected ',' or '}' in object")
            }
        }
    }
}

@inline(__always)
func appendUTF8(_ scalar: UInt32, to bytes: inout [UInt8]) {
    switch scalar {
    case 0..<0x80:
        bytes.append(UInt8(scalar))
    case 0x80..<0x800:
        bytes.append(UInt8(0xC0 | (scalar >> 6)))
        bytes.append(UInt8(0x80 | (scalar & 0x3F)))
    case 0x800..<0x10000:
        bytes.append(UInt8(0xE0 | (scalar >> 12)))
        bytes.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
        bytes.append(UInt8(0x80 | (scalar & 0x3F)))
    default:
        bytes.append(UInt8(0xF0 | (scalar >> 18)))
        bytes.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
        bytes.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
        bytes.append(UInt8(0x80 | (scalar & 0x3F)))
    }
}
