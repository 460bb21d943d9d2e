#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads one JSON value from a file piece by piece, with a buffer of fixed size, so that a
/// large document (a partial state with every term of a corpus) is never whole in memory.
///
/// The caller walks the structure it expects: ``beginObject()`` then ``nextKey()`` until
/// nil, reading each member's value (``readString()``, ``readInt()``, ``readValue()``,
/// ``skipValue()``, or a nested object or array); ``beginArray()`` then ``nextElement()``
/// until false. Strings, numbers and nesting follow ``JSONParser`` (strict RFC 8259, the same
/// escapes and surrogate handling). Errors are ``IOFailure``s naming the file and byte.
public final class JSONStreamReader {
    /// The file being read (errors name it).
    public let path: String
    private var fd: Int32
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    /// File bytes before `buffer[0]`.
    private var consumed = 0
    private var atEnd = false
    /// One flag per open object or array: whether a member or element was read.
    private var containers: [Bool] = []
    /// Reused for strings that are skipped or validated.
    private var scratch: [UInt8] = []

    static let maxDepth = 512

    /// Opens `path`; `bufferSize` is the read size (tests use tiny ones).
    public init(path: String, bufferSize: Int = 1 << 16) throws(IOFailure) {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw IOFailure(path: path, detail: FileSystem.errorText(errno)) }
        buffer = [UInt8](repeating: 0, count: max(1, bufferSize))
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// The byte offset of the next unread byte in the file.
    public var offset: Int { consumed + start }

    private func fail(_ reason: String) -> IOFailure {
        IOFailure(path: path, detail: "not valid JSON at byte \(offset + 1): \(reason)")
    }

    // MARK: Buffer

    /// Makes at least `n` bytes available from `start`; false if the file ends first.
    private func ensure(_ n: Int) throws(IOFailure) -> Bool {
        if end - start >= n { return true }
        consumed += try FileRefill.fill(
            n, fd: fd, path: path, buffer: &buffer, start: &start, end: &end, atEnd: &atEnd)
        return end - start >= n
    }

    @inline(__always)
    private func peek() throws(IOFailure) -> UInt8? {
        if start < end { return buffer[start] }
        return try ensure(1) ? buffer[start] : nil
    }

    /// The next byte that is not whitespace (not consumed), nil at the end of the file.
    private func skipWhitespace() throws(IOFailure) -> UInt8? {
        while let b = try peek() {
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { start += 1 } else { return b }
        }
        return nil
    }

    // MARK: Structure

    /// Reads `{`.
    public func beginObject() throws(IOFailure) {
        guard try skipWhitespace() == UInt8(ascii: "{") else { throw fail("expected an object") }
        try push()
    }

    /// Reads `[`.
    public func beginArray() throws(IOFailure) {
        guard try skipWhitespace() == UInt8(ascii: "[") else { throw fail("expected an array") }
        try push()
    }

    private func push() throws(IOFailure) {
        if containers.count >= Self.maxDepth { throw fail("nesting too deep") }
        start += 1
        containers.append(false)
    }

    /// The next member's key (its value is to be read next), or nil after the closing `}`.
    public func nextKey() throws(IOFailure) -> String? {
        guard let seen = containers.last else { throw fail("no object is open") }
        guard var b = try skipWhitespace() else { throw fail("unterminated object") }
        if b == UInt8(ascii: "}") {
            start += 1
            containers.removeLast()
            return nil
        }
        if seen {
            guard b == UInt8(ascii: ",") else { throw fail("expected ',' or '}' in object") }
            start += 1
            guard let c = try skipWhitespace() else { throw fail("unterminated object") }
            b = c
        }
        guard b == UInt8(ascii: "\"") else { throw fail("expected a string key") }
        let key = try readString()
        guard try skipWhitespace() == UInt8(ascii: ":") else { throw fail("expected ':' after key") }
        start += 1
        containers[containers.count - 1] = true
        return key
    }

    /// Whether another element follows (to be read next); false after the closing `]`.
    public func nextElement() throws(IOFailure) -> Bool {
        guard let seen = containers.last else { throw fail("no array is open") }
        guard let b = try skipWhitespace() else { throw fail("unterminated array") }
        if b == UInt8(ascii: "]") {
            start += 1
            containers.removeLast()
            return false
        }
        if seen {
            guard b == UInt8(ascii: ",") else { throw fail("expected ',' or ']' in array") }
            start += 1
        }
        containers[containers.count - 1] = true
        return true
    }

    /// Checks that nothing but whitespace follows the value.
    public func expectEnd() throws(IOFailure) {
        if try skipWhitespace() != nil { throw fail("unexpected text after the JSON value") }
    }

    // MARK: Values

    /// Reads a string.
    public func readString() throws(IOFailure) -> String {
        try readStringBytes(into: &scratch)
        return String(decoding: scratch, as: UTF8.self)  // validated by readStringBytes
    }

    /// Reads a string's UTF-8 bytes (escapes decoded, validated) into `target`, replacing
    /// its contents; allocates nothing once `target` is large enough.
    public func readStringBytes(into target: inout [UInt8]) throws(IOFailure) {
        guard try skipWhitespace() == UInt8(ascii: "\"") else { throw fail("expected a string") }
        let stringStart = offset
        start += 1
        target.removeAll(keepingCapacity: true)
        var ascii = true
        while true {
            guard try ensure(1) else { throw fail("unterminated string") }
            var i = start
            while i < end {
                let c = buffer[i]
                if c == 0x22 || c == 0x5C || c < 0x20 { break }
                if c >= 0x80 { ascii = false }
                i += 1
            }
            if i > start {
                target.append(contentsOf: buffer[start..<i])
                start = i
            }
            if i == end { continue }
            let c = buffer[i]
            if c == 0x22 {
                start += 1
                break
            }
            if c < 0x20 { throw fail("unescaped control character in string") }
            // A backslash.
            guard try ensure(2) else { throw fail("unterminated string") }
            let e = buffer[start + 1]
            start += 2
            switch e {
            case UInt8(ascii: "\""): target.append(0x22)
            case UInt8(ascii: "\\"): target.append(0x5C)
            case UInt8(ascii: "/"): target.append(0x2F)
            case UInt8(ascii: "b"): target.append(0x08)
            case UInt8(ascii: "f"): target.append(0x0C)
            case UInt8(ascii: "n"): target.append(0x0A)
            case UInt8(ascii: "r"): target.append(0x0D)
            case UInt8(ascii: "t"): target.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    // High surrogate: a low surrogate must follow, else U+FFFD.
                    // Six bytes at hand, so that reading the escape cannot move the buffer.
                    if try ensure(6), buffer[start] == UInt8(ascii: "\\"), buffer[start + 1] == UInt8(ascii: "u") {
                        start += 2
                        let low = try hex4()
                        if low >= 0xDC00 && low < 0xE000 {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            start -= 6  // read that escape again on its own
                            scalar = 0xFFFD
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    scalar = 0xFFFD
                }
                appendUTF8(scalar, to: &target)
                if scalar >= 0x80 { ascii = false }
            default:
                start -= 1
                throw fail("invalid escape in string")
            }
        }
        if !ascii, String(validating: target, as: UTF8.self) == nil {
            throw IOFailure(path: path, detail: "not valid JSON at byte \(stringStart + 1): invalid UTF-8 in string")
        }
    }

    private func hex4() throws(IOFailure) -> UInt32 {
        guard try ensure(4) else { throw fail("invalid \\u escape") }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = buffer[start + k]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default:
                start += k
                throw fail("invalid \\u escape")
            }
            v = v << 4 | d
        }
        start += 4
        return v
    }

    /// Reads an integer (a JSON number without fraction or exponent that fits an `Int`).
    public func readInt() throws(IOFailure) -> Int {
        guard var b = try skipWhitespace() else { throw fail("expected an integer") }
        let negative = b == UInt8(ascii: "-")
        if negative {
            start += 1
            guard let c = try peek() else { throw fail("invalid number") }
            b = c
        }
        guard b >= 0x30 && b <= 0x39 else { throw fail(negative ? "invalid number" : "expected an integer") }
        var value = 0
        var digits = 0
        while let c = try peek(), c >= 0x30 && c <= 0x39 {
            if digits == 1 && value == 0 { break }  // a leading zero stands alone
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) =
                negative
                ? times.subtractingReportingOverflow(Int(c - 0x30))
                : times.addingReportingOverflow(Int(c - 0x30))
            if o1 || o2 { throw fail("integer too large") }
            value = sum
            digits += 1
            start += 1
        }
        if let c = try peek(),
            c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
                || (c >= 0x30 && c <= 0x39)
        {
            throw fail("expected an integer")
        }
        return value
    }

    /// Reads any value whole (for the small parts of a document).
    public func readValue() throws(IOFailure) -> JSONValue {
        guard let b = try skipWhitespace() else { throw fail("unexpected end of file") }
        switch b {
        case UInt8(ascii: "{"):
            try beginObject()
            var members: [JSONMember] = []
            while let key = try nextKey() { members.append(JSONMember(key, try readValue())) }
            return .object(members)
        case UInt8(ascii: "["):
            try beginArray()
            var items: [JSONValue] = []
            while try nextElement() { items.append(try readValue()) }
            return .array(items)
        case UInt8(ascii: "\""):
            return .string(try readString())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try numberText())
        default:
            throw fail("unexpected character '\(Unicode.Scalar(b))'")
        }
    }

    /// Reads past any value without keeping it (memory: the longest string in it).
    public func skipValue() throws(IOFailure) {
        guard let b = try skipWhitespace() else { throw fail("unexpected end of file") }
        switch b {
        case UInt8(ascii: "{"):
            try beginObject()
            while try nextKey() != nil { try skipValue() }
        case UInt8(ascii: "["):
            try beginArray()
            while try nextElement() { try skipValue() }
        case UInt8(ascii: "\""):
            try readStringBytes(into: &scratch)
        default:
            _ = try readValue()
        }
    }

    private func literal(_ text: StaticString) throws(IOFailure) {
        let n = text.utf8CodeUnitCount
        guard try ensure(n) else { throw fail("invalid literal") }
        let p = text.utf8Start
        for k in 0..<n where buffer[start + k] != p[k] { throw fail("invalid literal") }
        start += n
    }

    /// A number's spelling, checked against JSON's grammar.
    private func numberText() throws(IOFailure) -> String {
        var text: [UInt8] = []
        func digit() throws(IOFailure) -> Bool {
            guard let c = try peek(), c >= 0x30 && c <= 0x39 else { return false }
            text.append(c)
            start += 1
            return true
        }
        func digits() throws(IOFailure) {
            guard try digit() else { throw fail("invalid number") }
            while try digit() {}
        }
        if try peek() == UInt8(ascii: "-") {
            text.append(UInt8(ascii: "-"))
            start += 1
        }
        if try peek() == UInt8(ascii: "0") {
            text.append(UInt8(ascii: "0"))
            start += 1
        } else {
            try digits()
        }
        if try peek() == UInt8(ascii: ".") {
            text.append(UInt8(ascii: "."))
            start += 1
            try digits()
        }
        if let c = try peek(), c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            text.append(c)
            start += 1
            if let s = try peek(), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") {
                text.append(s)
                start += 1
            }
            try digits()
        }
        return String(decoding: text, as: UTF8.self)
    }
}
