import Foundation

/// Removes boilerplate lines (copyright notices, "Read more", share prompts, bylines…)
/// from text that ``Layout`` has already made one trimmed paragraph a line.
///
/// Only lines of at most `maxLength` bytes are candidates: boilerplate is short, and long
/// paragraphs cost nothing. Patterns, matched ASCII-case-insensitively:
/// - `prefix:TEXT` (or plain `TEXT`): the line starts with TEXT, after any leading
///   bullets or arrows ("• ", "» ", "> ", "* ", "- ");
/// - `contains:TEXT`: the line contains TEXT;
/// - `line:TEXT`: the whole line is TEXT, give or take final punctuation;
/// - `regex:PATTERN`: an ICU regular expression (NSRegularExpression, case-insensitive)
///   searched in the line; slower, but still run on candidate lines only.
/// TEXT that ends (or starts, for `contains:`) with a letter or digit must end (start) at
/// a word boundary, so "share on" does not match "Shares on Wall Street".
/// The built-in defaults (``defaultPatterns``) add two rules: a line starting with
/// "Copyright" or "(c)" is removed only when it also holds a year, "©" or "reserved"; and
/// a byline ("By Jane Doe and John Smith, Reuters") is removed.
struct Boilerplate: Sendable {
    enum Kind: Sendable, Equatable {
        case prefix, contains, line, copyright, byline
    }

    /// One pattern.
    struct Pattern: Sendable {
        var kind: Kind
        var text: [UInt8]
        var regex: RegexBox?
    }

    /// NSRegularExpression is immutable and documented thread-safe once built.
    final class RegexBox: @unchecked Sendable {
        let regex: NSRegularExpression
        init(_ regex: NSRegularExpression) { self.regex = regex }
    }

    /// The defaults for news sites and wires.
    static let defaultPatterns: [String] = [
        "contains:©", "contains:all rights reserved", "contains:do not reproduce", "contains:may not be reproduced",
        "contains:may not be published, broadcast, rewritten or redistributed", "contains:sign up for our",
        "contains:subscribe to our newsletter", "contains:click here to", "contains:follow us on",
        "contains:comments are closed",
        "read more", "read also", "also read", "related:", "related articles", "related stories", "related coverage",
        "recommended:", "follow us", "like us on facebook", "share this", "share on", "share:", "click here",
        "sign up", "subscribe to", "subscribe now", "leave a comment", "join the conversation", "sponsored content",
        "reporting by", "additional reporting by", "editing by", "writing by", "(reporting by",
        "(additional reporting by", "(editing by", "(writing by", "our standards:", "contains:scroll to continue",
        "line:reuter", "line:reuters", "line:advertisement", "line:share", "line:tweet", "line:email", "line:print",
        "line:comments", "line:skip to content", "line:all rights reserved",
    ]

    var maxLength: Int
    /// All literal patterns' lower-cased bytes, back to back; pattern `k` is
    /// `bytes[start[k] ..< start[k] + length[k]]`.
    private var bytes: [UInt8] = []
    private var start: [Int32] = []
    private var length: [Int32] = []
    private var kind: [Kind] = []
    /// Line-start patterns (prefix, line, copyright) by first byte: head of a chain.
    private var lineStartHead: [Int16]
    /// `contains` patterns by their first two bytes: head of a chain (length-1 patterns
    /// by their byte, in the `b, 0` slot).
    private var containsHead: [Int16]
    /// One bit per `containsHead` slot that has a chain (8 KB: stays in cache).
    private var containsBits: [UInt64]
    private var next: [Int16] = []
    private var containsCount = 0
    /// A 65,536-bit filter of the hashed first four bytes of every `contains` pattern: a
    /// line none of whose four-byte windows hashes to a set bit cannot contain one
    /// (checked branch-free).
    private var gramBits: [UInt64]
    /// `contains` patterns shorter than four bytes ("©"), by index, and the bytes they
    /// can start with (both cases of a letter): found with memchr, then checked exactly.
    private var shortPatterns: [Int] = []
    private var shortFirstBytes: [UInt8] = []
    private var regexes: [RegexBox] = []

    /// Builds the matcher; throws for the first pattern that cannot be used.
    init(patterns specs: [String], defaults: Bool, maxLength: Int) throws(BoilerplateError) {
        var patterns: [Pattern] = []
        if defaults {
            patterns.append(Pattern(kind: .copyright, text: Array("copyright".utf8), regex: nil))
            patterns.append(Pattern(kind: .copyright, text: Array("(c)".utf8), regex: nil))
            patterns.append(Pattern(kind: .byline, text: Array("by ".utf8), regex: nil))
        }
        for spec in (defaults ? Self.defaultPatterns : []) + specs {
            patterns.append(try Self.parse(spec))
        }
        guard patterns.count < Int(Int16.max) else {
            throw BoilerplateError(pattern: specs.last ?? "", detail: "too many patterns")
        }
        self.maxLength = maxLength
        lineStartHead = [Int16](repeating: -1, count: 256)
        containsHead = [Int16](repeating: -1, count: 65536)
        containsBits = [UInt64](repeating: 0, count: 1024)
        gramBits = [UInt64](repeating: 0, count: 1024)
        for pattern in patterns {
            if let box = pattern.regex {
                regexes.append(box)
                continue
            }
            let k = Int16(start.count)
            start.append(Int32(bytes.count))
            length.append(Int32(pattern.text.count))
            kind.append(pattern.kind)
            bytes.append(contentsOf: pattern.text)
            if pattern.kind == .contains {
                let slot = Int(pattern.text[0]) << 8 | Int(pattern.text.count > 1 ? pattern.text[1] : 0)
                containsCount += 1
                if pattern.text.count < 4 {
                    shortPatterns.append(Int(k))
                    let first = pattern.text[0]
                    for byte in [first, first &- 0x61 < 26 ? first - 0x20 : first] where !shortFirstBytes.contains(byte)
                    {
                        shortFirstBytes.append(byte)
                    }
                } else {
                    let t = pattern.text
                    let word = UInt32(t[0]) | UInt32(t[1]) << 8 | UInt32(t[2]) << 16 | UInt32(t[3]) << 24
                    let h = Self.gramHash(word)
                    gramBits[h >> 6] |= 1 << UInt64(h & 63)
                }
                next.append(containsHead[slot])
                containsHead[slot] = k
                containsBits[slot >> 6] |= 1 << UInt64(slot & 63)
            } else {
                let slot = Int(pattern.text[0])
                next.append(lineStartHead[slot])
                lineStartHead[slot] = k
            }
        }
    }

    /// A pattern that could not be used.
    struct BoilerplateError: Error, Equatable {
        var pattern: String
        var detail: String
    }

    static func parse(_ spec: String) throws(BoilerplateError) -> Pattern {
        func lowered(_ s: Substring) -> [UInt8] { s.utf8.map(UTF8Bytes.lower) }
        if spec.hasPrefix("regex:") {
            let source = String(spec.dropFirst(6))
            do {
                let regex = try NSRegularExpression(pattern: source, options: [.caseInsensitive])
                return Pattern(kind: .contains, text: [], regex: RegexBox(regex))
            } catch {
                throw BoilerplateError(pattern: spec, detail: "not a valid regular expression")
            }
        }
        let kinds: [(String, Kind)] = [("prefix:", .prefix), ("contains:", .contains), ("line:", .line)]
        for (tag, kind) in kinds where spec.hasPrefix(tag) {
            let text = lowered(spec.dropFirst(tag.count))
            guard !text.isEmpty else { throw BoilerplateError(pattern: spec, detail: "empty pattern") }
            return Pattern(kind: kind, text: text, regex: nil)
        }
        let text = lowered(spec[...])
        guard !text.isEmpty else { throw BoilerplateError(pattern: spec, detail: "empty pattern") }
        return Pattern(kind: .prefix, text: text, regex: nil)
    }

    /// Removes matching lines; returns how many (output in `buffer` when more than 0).
    func apply(_ p: UnsafeBufferPointer<UInt8>, into buffer: inout [UInt8]) -> Int {
        var writer = LazyWriter(input: p, reusing: buffer)
        buffer = []
        let n = p.count
        var removed = 0
        var start = 0
        while start < n {
            let end = UTF8Bytes.find(0x0A, in: p, from: start)
            if end - start <= maxLength && end > start && matches(UnsafeBufferPointer(rebasing: p[start..<end])) {
                writer.remove(start, min(n, end + 1))
                removed += 1
            }
            start = end + 1
        }
        if writer.finish() && writer.out.last == 0x0A {
            writer.out.removeLast()
        }
        buffer = writer.out
        return removed
    }

    /// Whether one line (trimmed, no newline) is boilerplate.
    func matches(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        // Skip leading bullets: spaces, '-', '*', '>', '|', and •, », ►, ▶, ■, →.
        var s = 0
        while s < line.count {
            let b = line[s]
            if b == 0x20 || b == 0x2D || b == 0x2A || b == 0x3E || b == 0x7C {
                s += 1
                continue
            }
            if b >= 0x80 {
                let (scalar, length) = UTF8Bytes.decode(line, at: s)
                if scalar == 0x2022 || scalar == 0xBB || scalar == 0x25BA || scalar == 0x25B6 || scalar == 0x25A0
                    || scalar == 0x2192
                {
                    s += length
                    continue
                }
            }
            break
        }
        let body = UnsafeBufferPointer(rebasing: line[s..<line.count])
        guard !body.isEmpty else { return false }
        let found = bytes.withUnsafeBufferPointer { all in
            lineStartMatch(body, all) || shortMatch(body, all)
                || (containsCount > shortPatterns.count && mayContain(body) && containsMatch(body, all))
        }
        if found { return true }
        guard !regexes.isEmpty else { return false }
        let text = String(decoding: line, as: UTF8.self)
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        for box in regexes where box.regex.firstMatch(in: text, options: [], range: range) != nil { return true }
        return false
    }

    @inline(__always)
    private func text(_ k: Int, _ all: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: all[Int(start[k])..<Int(start[k] + length[k])])
    }

    private func lineStartMatch(_ body: UnsafeBufferPointer<UInt8>, _ all: UnsafeBufferPointer<UInt8>) -> Bool {
        var k = Int(lineStartHead[Int(UTF8Bytes.lower(body[0]))])
        while k >= 0 {
            let t = text(k, all)
            switch kind[k] {
            case .prefix: if hasPrefix(body, t) { return true }
            case .line: if isWholeLine(body, t) { return true }
            case .copyright: if hasPrefix(body, t) && looksLikeNotice(body, all) { return true }
            case .byline: if isByline(body) { return true }
            case .contains: break
            }
            k = Int(next[k])
        }
        return false
    }

    /// Hash of four bytes read little-endian, ASCII letters folded to lower case (other
    /// bytes change too, but the same way in patterns and text).
    @inline(__always)
    private static func gramHash(_ word: UInt32) -> Int {
        Int(((word | 0x2020_2020) &* 0x9E37_79B1) >> 16)
    }

    /// The branch-free pre-check for `contains` patterns of four bytes or more.
    private func mayContain(_ body: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = body.count
        guard n >= 4, let base = body.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        // Word boundaries are left to the exact check: fewer operations a byte here.
        return gramBits.withUnsafeBufferPointer { bits in
            var any: UInt64 = 0
            for i in 0...(n - 4) {
                let h = Self.gramHash(raw.loadUnaligned(fromByteOffset: i, as: UInt32.self))
                any |= bits[h >> 6] >> UInt64(h & 63)
            }
            return any & 1 != 0
        }
    }

    /// `contains` patterns shorter than four bytes, found from their first byte.
    private func shortMatch(_ body: UnsafeBufferPointer<UInt8>, _ all: UnsafeBufferPointer<UInt8>) -> Bool {
        for first in shortFirstBytes {
            var i = UTF8Bytes.find(first, in: body, from: 0)
            while i < body.count {
                for k in shortPatterns where containsAt(body, text(k, all), i) { return true }
                i = UTF8Bytes.find(first, in: body, from: i + 1)
            }
        }
        return false
    }

    private static let alnumTable: [UInt8] = (0..<256).map { UTF8Bytes.isAlnum(UInt8($0)) ? 1 : 0 }

    private func containsMatch(_ body: UnsafeBufferPointer<UInt8>, _ all: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = body.count
        return Self.alnumTable.withUnsafeBufferPointer { alnum in
            containsBits.withUnsafeBufferPointer { bits in
                // Patterns start at a word start or at a byte that is not a letter or digit
                // ("©"); never inside a word, which the inner loop skips.
                @inline(__always) func check(_ i: Int) -> Bool {
                    let b0 = Int(UTF8Bytes.lower(body[i]))
                    let b1 = i + 1 < n ? Int(UTF8Bytes.lower(body[i + 1])) : 0
                    let slot = b0 << 8 | b1
                    if bits[slot >> 6] & (1 << UInt64(slot & 63)) != 0 && chainMatches(slot, body, i, all) {
                        return true
                    }
                    return false
                }
                var i = 0
                if n > 0 && alnum[Int(body[0])] != 0 && check(0) { return true }
                while true {
                    while i < n && alnum[Int(body[i])] != 0 { i += 1 }
                    guard i < n else { return false }
                    if check(i) { return true }
                    i += 1
                    if i < n && alnum[Int(body[i])] != 0 && check(i) { return true }
                }
            }
        }
    }

    private func chainMatches(
        _ slot: Int, _ body: UnsafeBufferPointer<UInt8>, _ i: Int,
        _ all: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        var k = Int(containsHead[slot])
        while k >= 0 {
            if containsAt(body, text(k, all), i) { return true }
            k = Int(next[k])
        }
        return false
    }

    @inline(__always)
    private func wordBoundary(_ s: UnsafeBufferPointer<UInt8>, at i: Int, after last: UInt8) -> Bool {
        guard UTF8Bytes.isAlnum(last), i < s.count else { return true }
        return !UTF8Bytes.isAlnum(s[i])
    }

    private func hasPrefix(_ s: UnsafeBufferPointer<UInt8>, _ t: UnsafeBufferPointer<UInt8>) -> Bool {
        guard t.count <= s.count else { return false }
        for k in 0..<t.count where UTF8Bytes.lower(s[k]) != t[k] { return false }
        return wordBoundary(s, at: t.count, after: t[t.count - 1])
    }

    private func isWholeLine(_ s: UnsafeBufferPointer<UInt8>, _ t: UnsafeBufferPointer<UInt8>) -> Bool {
        guard hasPrefix(s, t) else { return false }
        for k in t.count..<s.count {
            let b = s[k]
            if !(b == 0x2E || b == 0x3A || b == 0x21 || b == 0x20 || b == 0x7C || b == 0x3E) { return false }
        }
        return true
    }

    @inline(__always)
    private func containsAt(_ s: UnsafeBufferPointer<UInt8>, _ t: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let m = t.count
        guard i + m <= s.count, UTF8Bytes.lower(s[i]) == t[0] else { return false }
        if UTF8Bytes.isAlnum(t[0]) && i > 0 && UTF8Bytes.isAlnum(s[i - 1]) { return false }
        var k = 1
        while k < m && UTF8Bytes.lower(s[i + k]) == t[k] { k += 1 }
        return k == m && wordBoundary(s, at: i + m, after: t[m - 1])
    }

    /// A byline: "By" and one to six names, each capitalised, joined by spaces, commas,
    /// "and" or "&", up to 80 bytes, with no final sentence mark ("By Jane Doe",
    /// "By JANE DOE and John Smith, Reuters"; not "By Tuesday the vote was over.").
    private func isByline(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        guard s.count <= 80, s.count > 3, UTF8Bytes.lower(s[0]) == 0x62, UTF8Bytes.lower(s[1]) == 0x79, s[2] == 0x20
        else { return false }
        var names = 0
        var i = 3
        while i < s.count {
            var j = i
            while j < s.count && s[j] != 0x20 { j += 1 }
            let word = UnsafeBufferPointer(rebasing: s[i..<j])
            let bare = word.last == 0x2C ? UnsafeBufferPointer(rebasing: word[0..<(word.count - 1)]) : word
            if bare.elementsEqual("and".utf8) || bare.elementsEqual("&".utf8) {
                // a joiner
            } else if let first = bare.first, first &- 0x41 < 26 || first >= 0xC0 {
                names += 1
                for b in bare where !(UTF8Bytes.isAlnum(b) || b == 0x2E || b == 0x27 || b == 0x2D || b >= 0x80) {
                    return false
                }
            } else {
                return false
            }
            i = j + 1
        }
        guard names >= 1 && names <= 6, let last = s.last else { return false }
        // Initials end in '.', but a sentence does too: allow a final '.' only after a
        // single capital ("By John Q.").
        if last == 0x2E {
            return s.count >= 2 && s[s.count - 2] &- 0x41 < 26 && (s.count < 3 || s[s.count - 3] == 0x20)
        }
        return last != 0x21 && last != 0x3F
    }

    /// A copyright line: it holds a four-digit year, "©" or "reserved".
    private func looksLikeNotice(_ s: UnsafeBufferPointer<UInt8>, _ all: UnsafeBufferPointer<UInt8>) -> Bool {
        var digits = 0
        for i in 0..<s.count {
            let b = s[i]
            if b &- 0x30 < 10 {
                digits += 1
                if digits == 4 { return true }
            } else {
                digits = 0
            }
            if b == 0xC2 && i + 1 < s.count && s[i + 1] == 0xA9 { return true }
            if (b | 0x20) == 0x72 && i + 8 <= s.count {
                var k = 0
                let word: StaticString = "reserved"
                while k < 8 && UTF8Bytes.lower(s[i + k]) == word.utf8Start[k] { k += 1 }
                if k == 8 { return true }
            }
        }
        return false
    }
}
