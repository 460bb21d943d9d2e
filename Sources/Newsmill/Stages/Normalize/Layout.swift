/// The layout and typography pass: one scan over the bytes with a class table.
///
/// - Invisible characters removed: C0 controls other than tab and line breaks, DEL, C1
///   controls, zero-width space (U+200B), word joiner and invisible operators
///   (U+2060...U+2064), byte-order mark (U+FEFF, anywhere), soft hyphen (U+00AD),
///   directional marks and embeddings (U+200E, U+200F, U+202A...U+202E, U+2066...U+2069),
///   U+180E; zero-width (non-)joiners (U+200C, U+200D) only next to ASCII or a line edge, so
///   that emoji sequences and Indic or Persian spellings keep them.
/// - Whitespace: a run of spaces, tabs, Unicode spaces (when `spaces` is on) and invisible
///   characters becomes one space; a run holding a line break (LF, CR, CRLF, VT, FF, NEL,
///   U+2028, U+2029) becomes one "\n", so lines are trimmed and blank lines dropped (one
///   paragraph a line); leading and trailing whitespace of the text is removed.
/// - Typography (each optional): curly single and double quotes to ' and "; hyphen and
///   en-dash variants and the minus sign to "-", em dash and horizontal bar to "--";
///   "…" to "...".
enum Layout {
    /// Which parts of the pass are on.
    struct Options: Sendable, Equatable {
        var invisible = true
        var whitespace = true
        var spaces = true
        var quotes = false
        var dashes = false
        var ellipsis = false
    }

    // Byte classes.
    private static let plain: UInt8 = 0
    private static let space: UInt8 = 1
    private static let tab: UInt8 = 2
    private static let newline: UInt8 = 3
    private static let control: UInt8 = 4
    private static let special: UInt8 = 5

    private static let byteClass: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 256)
        for b in 0..<0x20 { t[b] = control }
        t[0x7F] = control
        t[0x20] = space
        t[0x09] = tab
        for b in [0x0A, 0x0B, 0x0C, 0x0D] { t[b] = newline }
        for b in [0xC2, 0xE1, 0xE2, 0xE3, 0xEF] { t[b] = special }
        return t
    }()

    // What a character is to the pass.
    private enum Role {
        case plain, space, newline, invisible, replace
    }

    /// Runs the pass; returns whether the text changed (output in `buffer`).
    static func apply(_ p: UnsafeBufferPointer<UInt8>, options: Options, into buffer: inout [UInt8]) -> Bool {
        var writer = LazyWriter(input: p, reusing: buffer)
        buffer = []
        byteClass.withUnsafeBufferPointer { table in
            run(p, table, options, &writer)
        }
        let changed = writer.finish()
        buffer = writer.out
        return changed
    }

    /// Removes spaces and line breaks at the start and end only (for text whose byte scan
    /// found nothing else for the pass to do).
    static func trimEdges(_ p: UnsafeBufferPointer<UInt8>, into buffer: inout [UInt8]) -> Bool {
        var lower = 0
        var upper = p.count
        while lower < upper && (p[lower] == 0x20 || p[lower] == 0x0A) { lower += 1 }
        while upper > lower && (p[upper - 1] == 0x20 || p[upper - 1] == 0x0A) { upper -= 1 }
        guard lower > 0 || upper < p.count else { return false }
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: p[lower..<upper]))
        return true
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Whether the eight bytes at `i` can be passed over: printable ASCII only, no two
    /// spaces together (nor with the byte before), and no space at the text's ends.
    @inline(__always)
    private static func quiet(_ raw: UnsafeRawPointer, _ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        // A byte below 0x20 or from 0x7F up.
        let low = (x &- 0x20 &* ones) & ~x
        if (x | low | (x &+ ones)) & highs != 0 { return false }
        let y = x ^ (0x20 &* ones)
        let spaces = ~(((y & ~highs) &+ ~highs) | y) & highs  // 0x80 in each space byte, exactly
        guard spaces != 0 else { return true }
        let before: UInt64 = i > 0 && p[i - 1] == 0x20 ? 0x80 : 0
        if spaces & ((spaces << 8) | before) != 0 { return false }
        if i == 0 && spaces & 0x80 != 0 { return false }
        if i + 8 == p.count && spaces >> 56 != 0 { return false }
        return true
    }

    @inline(__always)
    private static func run(
        _ p: UnsafeBufferPointer<UInt8>, _ table: UnsafeBufferPointer<UInt8>, _ options: Options,
        _ writer: inout LazyWriter
    ) {
        let n = p.count
        var i = 0
        var replacement: StaticString = ""
        guard let raw = UnsafeRawPointer(p.baseAddress) else { return }
        while i < n {
            // Eight quiet bytes at a time (most of any text).
            while i + 8 <= n && quiet(raw, p, i) { i += 8 }
            guard i < n else { break }
            let b = p[i]
            let c = table[Int(b)]
            if c == plain {
                i += 1
                continue
            }
            // A single space between two visible characters.
            if c == space && i > 0 && i + 1 < n && table[Int(p[i + 1])] == plain && p[i - 1] != 0x20 {
                i += 2
                continue
            }
            let (role, length) = self.role(p, at: i, c, options, &replacement)
            switch role {
            case .plain:
                i += length
            case .replace:
                writer.replace(
                    i, i + length,
                    with: UnsafeBufferPointer(
                        start: replacement.utf8Start,
                        count: replacement.utf8CodeUnitCount))
                i += length
            case .space, .newline, .invisible:
                guard options.whitespace else {
                    if role == .invisible {
                        writer.remove(i, i + length)
                    } else if role == .space && !(length == 1 && b == 0x20) {
                        writer.replace(i, i + length, with: 0x20)
                    } else if role == .newline && !(length == 1 && b == 0x0A) {
                        if b == 0x0D && i + 1 < n && p[i + 1] == 0x0A {
                            writer.replace(i, i + 2, with: 0x0A)
                            i += 2
                            continue
                        }
                        writer.replace(i, i + length, with: 0x0A)
                    }
                    i += length
                    continue
                }
                var hasSpace = role == .space
                var hasNewline = role == .newline
                var j = i + length
                // A space just before the run was passed over with its quiet word: take it
                // into the run (never before what the writer has already used).
                while i > writer.pending && p[i - 1] == 0x20 {
                    i -= 1
                    hasSpace = true
                }
                while j < n {
                    let cj = table[Int(p[j])]
                    if cj == plain { break }
                    let (rj, lj) = self.role(p, at: j, cj, options, &replacement)
                    if rj == .space {
                        hasSpace = true
                    } else if rj == .newline {
                        hasNewline = true
                    } else if rj != .invisible {
                        break
                    }
                    j += lj
                }
                if i == 0 || j == n {
                    writer.remove(i, j)
                } else if hasNewline {
                    if !(j - i == 1 && p[i] == 0x0A) { writer.replace(i, j, with: 0x0A) }
                } else if hasSpace {
                    if !(j - i == 1 && p[i] == 0x20) { writer.replace(i, j, with: 0x20) }
                } else {
                    writer.remove(i, j)
                }
                i = j
            }
        }
    }

    /// A non-ASCII character that is neither a space, a line break nor invisible.
    private static func isVisibleNonASCII(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0...0xA0, 0xAD, 0x1680, 0x180E, 0x2000...0x200F, 0x2028...0x202F, 0x205F...0x206F, 0x3000, 0xFEFF:
            return false
        default:
            return true
        }
    }

    /// The role of the character at `i` (byte class `c`) and its length in bytes.
    @inline(__always)
    private static func role(
        _ p: UnsafeBufferPointer<UInt8>, at i: Int, _ c: UInt8, _ options: Options,
        _ replacement: inout StaticString
    ) -> (Role, Int) {
        switch c {
        case plain: return (.plain, 1)
        case space, tab: return (.space, 1)
        case newline: return (.newline, 1)
        case control: return (options.invisible ? .invisible : .plain, 1)
        default: break
        }
        let (scalar, length) = UTF8Bytes.decode(p, at: i)
        switch scalar {
        case 0x85:
            return (.newline, length)
        case 0x80...0x9F, 0xAD, 0x200B, 0x200E, 0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF,
            0x180E:
            return (options.invisible ? .invisible : .plain, length)
        case 0x200C, 0x200D:
            guard options.invisible else { return (.plain, length) }
            // Kept only between two visible non-ASCII characters (emoji, Indic, Persian).
            guard i > 0, i + length < p.count else { return (.invisible, length) }
            var k = i - 1
            while k > 0 && p[k] & 0xC0 == 0x80 { k -= 1 }
            let before = UTF8Bytes.decode(p, at: k).scalar
            let after = UTF8Bytes.decode(p, at: i + length).scalar
            return (isVisibleNonASCII(before) && isVisibleNonASCII(after) ? .plain : .invisible, length)
        case 0xA0, 0x1680, 0x2000...0x200A, 0x202F, 0x205F, 0x3000:
            return (options.spaces ? .space : .plain, length)
        case 0x2028, 0x2029:
            return (.newline, length)
        case 0x2018, 0x2019, 0x201A, 0x201B:
            guard options.quotes else { return (.plain, length) }
            replacement = "'"
            return (.replace, length)
        case 0x201C, 0x201D, 0x201E, 0x201F:
            guard options.quotes else { return (.plain, length) }
            replacement = "\""
            return (.replace, length)
        case 0x2010, 0x2011, 0x2012, 0x2013, 0x2212:
            guard options.dashes else { return (.plain, length) }
            replacement = "-"
            return (.replace, length)
        case 0x2014, 0x2015:
            guard options.dashes else { return (.plain, length) }
            replacement = "--"
            return (.replace, length)
        case 0x2026:
            guard options.ellipsis else { return (.plain, length) }
            replacement = "..."
            return (.replace, length)
        default:
            return (.plain, length)
        }
    }
}
