/// Detects hard-wrapped text (wire copy broken near 70 columns) and rejoins its lines
/// into paragraphs; runs before ``Layout`` so that blank lines and indentation, which mark
/// paragraphs in such copy, are still there.
///
/// Detection, per document: at least three non-blank lines; of the lines followed by
/// another non-blank line (the lines a wrapper would have broken; when some lines are
/// indented and others not, not counting those followed by an indented line, which starts
/// a paragraph), at least half are `minWidth...maxWidth` characters long or end in a word
/// and a hyphen before a lower-case line; at most two lines are longer than `maxWidth + 5`;
/// and at least a fifth of those breaks continue in lower case or with a digit (a list of
/// headlines or a poem does not). Text written one paragraph a line is untouched: its
/// lines are mostly longer than `maxWidth`.
///
/// Rejoining: blank lines, and an indented line when not all lines are indented, always
/// end a paragraph; a line ending in a word and a hyphen always continues; a headline in
/// capitals above a line in lower case ends. Otherwise, with `W` the longest wrapped line,
/// a line continues into the next when the next line's first word would not have fitted
/// on it (`length + 1 + word > W`, the sign of a wrapped line) unless it ends a sentence
/// ('.', '!', '?', ':', or a closing quote after one) well short of `W`; a line that is
/// not full continues only when it does not end a sentence and the next line starts in
/// lower case (so table rows and short lines keep their breaks).
///
/// Hyphenation across a break ("inter-" + "national"), a letter, '-', then a lower-case
/// letter on the next line: in `auto` mode the document decides first: if it also has
/// "inter-national" elsewhere the hyphen is kept, if it has "international" it is dropped.
/// Otherwise the hyphen is kept when the first part is a common compound-forming word
/// ("well-", "self-", "non-", "so-", "first-", "high-", number words; see
/// ``compoundFirstParts``),
/// starts with a capital ("Anglo-"), or holds a digit or another hyphen ("1986-", "state-
/// owned-"), and dropped otherwise (a typesetter's break inside one word). `keep` always
/// keeps the hyphen and `join` always drops it.
enum HardWrap {
    /// How to treat a hyphen at the end of a wrapped line.
    enum Dehyphenate: String, Sendable, CaseIterable {
        case auto, keep, join
    }

    /// Detection and rejoining settings.
    struct Options: Sendable, Equatable {
        var minWidth = 55
        var maxWidth = 80
        var dehyphenate = Dehyphenate.auto
    }

    /// What a rejoin did.
    struct Result: Equatable {
        var joined = 0
        var dehyphenated = 0
        var keptHyphens = 0
    }

    /// First parts of compounds that keep their hyphen at a line break.
    static let compoundFirstParts: Set<String> = [
        "well", "ill", "self", "all", "half", "non", "anti", "ex", "multi", "cross", "long", "short", "high", "low",
        "full", "mid", "semi", "vice", "so", "first", "second", "third", "fourth", "one", "two", "three", "four",
        "five", "six", "seven", "eight", "nine", "ten", "year", "old", "new", "top", "record", "far", "near", "best",
        "worst", "part", "wide", "state", "government", "quarter", "term", "time", "last", "next", "large", "small",
        "middle", "front", "back", "left", "right", "north", "south", "east", "west", "hard", "soft", "open", "pay",
        "e", "x", "t", "u",
    ]

    /// Counts over the breaks between two non-blank lines.
    private struct Breaks {
        var count = 0
        /// The line before was of wrapped length, or ended in a word and a hyphen with the
        /// next line in lower case ("inter-" / "national").
        var wrapped = 0
        /// The next line starts in lower case or with a digit.
        var lower = 0
    }

    private struct Stats {
        var lines = 0
        var indented = 0
        var long = 0
        var width = 0
        var all = Breaks()
        /// Breaks whose next line is not indented (used when indentation marks paragraphs).
        var flush = Breaks()
    }

    /// Whether the text looks hard-wrapped; returns its wrap width (the longest line of
    /// typical length), or nil. With `force`, returns the width whatever the text looks
    /// like. `ascii` says the text has no multi-byte characters (lengths are then bytes).
    static func detect(_ p: UnsafeBufferPointer<UInt8>, options: Options, force: Bool = false, ascii: Bool = false)
        -> Int?
    {
        var stats = Stats()
        let n = p.count
        let longLimit = options.maxWidth + 5
        var i = 0
        var previousLength = 0  // of the previous line when it was not blank, else 0
        var previousHyphen = false  // the previous line ended in a letter and '-'
        while i < n {
            let j = UTF8Bytes.find(0x0A, in: p, from: i)
            var contentStart = i
            while contentStart < j && (p[contentStart] == 0x20 || p[contentStart] == 0x09) { contentStart += 1 }
            var end = j
            while end > contentStart && (p[end - 1] == 0x20 || p[end - 1] == 0x09 || p[end - 1] == 0x0D) { end -= 1 }
            var length = end - contentStart
            if !ascii && length >= options.minWidth && length <= 4 * longLimit {
                // Characters, not bytes; counting stops once the line is long anyway.
                var count = 0
                var k = contentStart
                while k < end && count <= longLimit {
                    if p[k] & 0xC0 != 0x80 { count += 1 }
                    k += 1
                }
                length = count
            }
            if length > 0 {
                stats.lines += 1
                let indented = contentStart > i
                if indented { stats.indented += 1 }
                if length > longLimit {
                    stats.long += 1
                    // Wrapped copy has (almost) no long lines: stop early on prose.
                    if stats.long > 2 && !force { return nil }
                } else {
                    stats.width = max(stats.width, length)
                }
                if previousLength > 0 {
                    // A break inside a block of lines: the previous line did not end it.
                    let first = p[contentStart]
                    let lower = first &- 0x61 < 26 || first &- 0x30 < 10
                    let inBand = previousLength >= options.minWidth && previousLength <= options.maxWidth
                    let wrapped = inBand || (previousHyphen && first &- 0x61 < 26)
                    stats.all.count += 1
                    stats.all.wrapped += wrapped ? 1 : 0
                    stats.all.lower += lower ? 1 : 0
                    if !indented {
                        stats.flush.count += 1
                        stats.flush.wrapped += wrapped ? 1 : 0
                        stats.flush.lower += lower ? 1 : 0
                    }
                }
                previousHyphen = end - contentStart >= 2 && p[end - 1] == 0x2D && isLetter(p[end - 2])
            }
            previousLength = length
            i = j + 1
        }
        if force { return stats.width > 0 ? stats.width : nil }
        // When some lines are indented and others not, an indented line starts a
        // paragraph: the break before it says nothing about wrapping.
        let breaks = stats.indented > 0 && stats.indented < stats.lines ? stats.flush : stats.all
        guard stats.lines >= 3,
            breaks.count > 0,
            breaks.wrapped * 2 >= breaks.count,
            stats.long <= 2,
            breaks.lower * 5 >= breaks.count
        else { return nil }
        return stats.width
    }

    struct Line {
        var start: Int
        var end: Int  // trimmed content
        var length: Int  // scalars
        var indented: Bool
        var blankBefore: Bool
    }

    /// Rejoins wrapped lines; returns what it did (output in `buffer` when `joined > 0`).
    static func rejoin(_ p: UnsafeBufferPointer<UInt8>, width: Int, options: Options, into buffer: inout [UInt8])
        -> Result
    {
        var lines: [Line] = []
        let n = p.count
        var i = 0
        var blank = false
        var indentedCount = 0
        while i < n {
            var j = i
            while j < n && (p[j] == 0x20 || p[j] == 0x09) { j += 1 }
            let contentStart = j
            while j < n && p[j] != 0x0A { j += 1 }
            var end = j
            while end > contentStart && (p[end - 1] == 0x20 || p[end - 1] == 0x09 || p[end - 1] == 0x0D) { end -= 1 }
            if end > contentStart {
                let line = Line(
                    start: contentStart, end: end, length: UTF8Bytes.scalarCount(p, contentStart, end),
                    indented: contentStart > i, blankBefore: blank && !lines.isEmpty)
                if line.indented { indentedCount += 1 }
                lines.append(line)
                blank = false
            } else {
                blank = true
            }
            i = j + 1
        }
        let indentMarksParagraphs = indentedCount > 0 && indentedCount < lines.count
        var writer = LazyWriter(input: p, reusing: buffer)
        buffer = []
        var result = Result()
        for k in 0..<max(0, lines.count - 1) {
            let line = lines[k]
            let next = lines[k + 1]
            if next.blankBefore || (indentMarksParagraphs && next.indented) { continue }
            let nextWord = firstWordLength(p, next)
            let full = line.length + 1 + nextWord > width
            let endsSentence = endsSentence(p, line)
            let startsLower = p[next.start] &- 0x61 < 26
            let join: Bool
            let lastByte = p[line.end - 1]
            let beforeLast = line.end - line.start >= 2 ? p[line.end - 2] : 0x20
            if lastByte == 0x2D && (isLetter(beforeLast) || beforeLast &- 0x30 < 10)
                && (isLetter(p[next.start]) || p[next.start] &- 0x30 < 10)
            {
                join = true  // a word broken at a hyphen never ends a paragraph
            } else if isHeadline(p, line) && !isHeadline(p, next) {
                join = false  // a headline in capitals above the body
            } else if full {
                join = !(endsSentence && line.length < width - 20)
            } else {
                join = !endsSentence && startsLower
            }
            guard join else { continue }
            result.joined += 1
            let last = p[line.end - 1]
            let beforeHyphen = line.end - line.start >= 2 ? p[line.end - 2] : 0x20
            if last == 0x2D && (isLetter(beforeHyphen) || beforeHyphen &- 0x30 < 10)
                && (isLetter(p[next.start]) || p[next.start] &- 0x30 < 10)
            {
                let decide = startsLower && isLetter(beforeHyphen)
                if !decide || keepsHyphen(p, line: line, next: next, mode: options.dehyphenate) {
                    writer.remove(line.end, next.start)
                    result.keptHyphens += 1
                } else {
                    writer.remove(line.end - 1, next.start)
                    result.dehyphenated += 1
                }
            } else {
                writer.replace(line.end, next.start, with: 0x20)
            }
        }
        _ = writer.finish()
        buffer = writer.out
        if !writer.changed { result.joined = 0 }
        return result
    }

    /// A line with letters but no lower-case ASCII letter ("BAHIA COCOA REVIEW").
    private static func isHeadline(_ p: UnsafeBufferPointer<UInt8>, _ line: Line) -> Bool {
        var letters = 0
        for k in line.start..<line.end {
            let b = p[k]
            if b &- 0x61 < 26 { return false }
            if b &- 0x41 < 26 { letters += 1 }
        }
        return letters >= 2
    }

    @inline(__always)
    private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 || b >= 0x80 }

    private static func firstWordLength(_ p: UnsafeBufferPointer<UInt8>, _ line: Line) -> Int {
        var j = line.start
        while j < line.end && p[j] != 0x20 && p[j] != 0x09 { j += 1 }
        return UTF8Bytes.scalarCount(p, line.start, j)
    }

    private static func endsSentence(_ p: UnsafeBufferPointer<UInt8>, _ line: Line) -> Bool {
        var j = line.end - 1
        // Skip closing quotes and brackets (ASCII and the curly closing quotes).
        while j > line.start {
            let b = p[j]
            if b == 0x22 || b == 0x27 || b == 0x29 || b == 0x5D {
                j -= 1
            } else if j >= line.start + 2 && p[j - 2] == 0xE2 && p[j - 1] == 0x80 && (b == 0x99 || b == 0x9D) {
                j -= 3
            } else {
                break
            }
        }
        guard j >= line.start else { return false }
        let b = p[j]
        return b == 0x2E || b == 0x21 || b == 0x3F || b == 0x3A
    }

    /// Decides whether "A-" + "B" keeps its hyphen (see the type's documentation).
    static func keepsHyphen(_ p: UnsafeBufferPointer<UInt8>, line: Line, next: Line, mode: Dehyphenate) -> Bool {
        switch mode {
        case .keep: return true
        case .join: return false
        case .auto: break
        }
        // First part: back from the hyphen to a space.
        var a = line.end - 1
        while a > line.start && p[a - 1] != 0x20 { a -= 1 }
        let first = UnsafeBufferPointer(rebasing: p[a..<(line.end - 1)])
        var b = next.start
        while b < next.end && isLetter(p[b]) { b += 1 }
        let second = UnsafeBufferPointer(rebasing: p[next.start..<b])
        // The document's own usage.
        let hyphenated = Array(first) + [0x2D] + Array(second)
        let closed = Array(first) + Array(second)
        if contains(p, hyphenated, excluding: line.end - 1) { return true }
        if contains(p, closed, excluding: -1) { return false }
        guard let f0 = first.first else { return true }
        if f0 &- 0x41 < 26 { return true }
        for c in first where c &- 0x30 < 10 || c == 0x2D { return true }
        let word = String(decoding: first.map(UTF8Bytes.lower), as: UTF8.self)
        return compoundFirstParts.contains(word)
    }

    /// Whether `needle` occurs in `p` as a whole word (case-insensitively), other than at
    /// the break whose hyphen is at `excluding`.
    private static func contains(_ p: UnsafeBufferPointer<UInt8>, _ needle: [UInt8], excluding: Int) -> Bool {
        let m = needle.count
        guard m > 0, m <= p.count else { return false }
        let first = UTF8Bytes.lower(needle[0])
        var i = 0
        while i + m <= p.count {
            if UTF8Bytes.lower(p[i]) == first && (i == 0 || !isLetter(p[i - 1]))
                && (i + m == p.count || !isLetter(p[i + m]))
            {
                var k = 1
                while k < m && UTF8Bytes.lower(p[i + k]) == UTF8Bytes.lower(needle[k]) { k += 1 }
                if k == m && !(excluding >= i && excluding < i + m) { return true }
            }
            i += 1
        }
        return false
    }
}
