/// Splits text into tokens in the style of the UD English treebanks, the Penn Treebank
/// and spaCy's English tokenizer.
///
/// Whitespace separates chunks; each chunk loses opening punctuation from its front and
/// closing punctuation, clitics ("n't", "'s", "'re", ...) and non-abbreviation periods
/// from its back, and what is left is split at infixes (hyphens, dashes, slashes between
/// words, ellipses). URLs, e-mail addresses, handles, hashtags and emoticons stay whole;
/// numbers keep their commas, decimals and colons; abbreviations keep their period.
///
/// Works on UTF-8 bytes and appends byte-offset ``Token``s; it allocates nothing per token.
struct Tokenizer: Sendable {
    let abbreviations: Abbreviations
    /// Split hyphenated words ("fetal - tissue"), as the UD English treebanks do.
    let splitHyphens: Bool
    /// Words split at a fixed byte offset ("gonna" -> "gon" + "na"); folded case.
    private let fixedSplits: ByteStringTable
    /// Case-sensitive fixed splits.
    private let exactFixedSplits: ByteStringTable
    /// Prefixes after which a hyphen does not split ("e-mail", "non-profit"); folded case.
    private let hyphenPrefixes: ByteStringTable
    /// Units split from a preceding number ("35mm" -> "35" + "mm"); folded case.
    private let units: ByteStringTable
    /// Emoticons kept whole.
    private let emoticons: ByteStringTable
    /// Letters that stay on a number ("5th", "1990s"); folded case.
    private let ordinalSuffixes: ByteStringTable
    /// Apostrophe-initial words kept whole ("'em", "'90s" is handled separately).
    private let apostropheWords: ByteStringTable

    /// Words split at a fixed offset, as the UD English treebanks split them (including
    /// web spellings without the apostrophe: "dont" -> "do" + "nt").
    static let fixedSplitWords: [(String, UInt8)] = [
        ("gonna", 3), ("gotta", 3), ("wanna", 3), ("outta", 3), ("cannot", 3), ("lemme", 3),
        ("gimme", 3), ("dont", 2), ("didnt", 3), ("doesnt", 4), ("isnt", 2), ("wasnt", 3), ("cant", 2),
        ("wont", 2), ("couldnt", 5), ("wouldnt", 5), ("shouldnt", 6), ("arent", 3), ("werent", 4),
        ("havent", 4), ("hasnt", 3), ("hadnt", 3), ("aint", 2), ("thats", 4),
    ]

    /// Fixed splits that apply only in exactly this spelling ("im" -> "i" + "m", but "IM"
    /// and Jony "Ive" stay whole).
    static let exactFixedSplitWords: [(String, UInt8)] = [("im", 1), ("Im", 1), ("ive", 1)]

    /// Bound prefixes whose hyphen the UD English treebanks keep ("e-mail", "non-profit").
    static let hyphenPrefixWords = [
        "e", "non", "re", "anti", "mid", "pre", "co", "pro", "cross", "post", "over", "semi", "counter",
        "multi", "ex", "sub", "mini", "un", "inter", "socio", "psycho", "mis", "intra", "micro", "macro",
        "neo", "ultra", "bi", "tri", "hyper", "meta", "quasi", "trans", "infra", "extra", "mega",
    ]

    /// Units split from a number before them ("35mm", "5pm"); other letters after a number
    /// split too, except ordinal and plural endings ("5th", "1990s").
    static let unitWords = [
        "mm", "cm", "km", "kg", "mg", "ml", "mph", "kph", "kmh", "lb", "lbs", "oz", "ft", "gb", "mb",
        "tb", "kb", "ghz", "mhz", "khz", "hz", "kw", "mw", "gw", "kwh", "mwh", "am", "pm", "bn", "mln",
        "bln", "hrs", "hr", "min", "mins", "sec", "secs", "yrs", "yr", "sq",
    ]

    /// Emoticons kept as one token.
    static let emoticonList = [
        ":)", ":-)", ";)", ";-)", ":(", ":-(", ":D", ":-D", ":P", ":-P", ":p", ":-p", "=)", "=(", "(:",
        ":/", ":-/", ":o", ":O", ":-O", "xD", "XD", "<3", "</3", ":'(", "^_^", "^^", "-_-", ":))",
        ":((", ";D", ":]", ":[", ":|", ":-|", ":*", ";P", ";p", "o_O", "O_o", "o.O",
    ]

    /// Words that begin with an apostrophe and stay whole.
    static let apostropheWordList = [
        "'s", "'re", "'ve", "'ll", "'d", "'m", "'em", "'cause", "'til", "'n", "'tis", "'twas", "'n'",
        "’s", "’re", "’ve", "’ll", "’d", "’m", "’em", "’cause", "’til", "’n", "’tis", "’twas", "’n’",
    ]

    init(abbreviations: Abbreviations, splitHyphens: Bool = true) {
        self.abbreviations = abbreviations
        self.splitHyphens = splitHyphens
        fixedSplits = ByteStringTable(Self.fixedSplitWords.map { ($0.0, $0.1) }, foldingCase: true)
        exactFixedSplits = ByteStringTable(Self.exactFixedSplitWords.map { ($0.0, $0.1) }, foldingCase: false)
        hyphenPrefixes = ByteStringTable(Self.hyphenPrefixWords.map { ($0, 1) }, foldingCase: true)
        units = ByteStringTable(Self.unitWords.map { ($0, 1) }, foldingCase: true)
        emoticons = ByteStringTable(Self.emoticonList.map { ($0, 1) }, foldingCase: false)
        ordinalSuffixes = ByteStringTable(
            ["th", "st", "nd", "rd", "s", "d", "ths", "sts", "nds", "rds", "doc", "pdf", "txt"].map { ($0, 1) },
            foldingCase: true)
        apostropheWords = ByteStringTable(Self.apostropheWordList.map { ($0, 1) }, foldingCase: true)
    }

    /// Appends the tokens of `text` to `tokens`; `scratch` is a reusable buffer.
    /// Where the run of periods and ellipses (`.`, `…`) that ends at `hi` starts (not before `lo`).
    @inline(__always)
    static func periodRunStart(_ b: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Int {
        var j = hi
        while j > lo {
            if b[j - 1] == 0x2E { j -= 1; continue }
            if j - lo >= 3 && b[j - 1] == 0xA6 && b[j - 2] == 0x80 && b[j - 3] == 0xE2 { j -= 3; continue }
            break
        }
        return j
    }

    /// Where the run of apostrophes (`'`, `‘`, `’`) that ends at `hi` starts (not before `lo`).
    @inline(__always)
    static func apostropheRunStart(_ b: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Int {
        var j = hi
        while j > lo {
            if b[j - 1] == 0x27 { j -= 1; continue }
            if j - 3 >= lo && b[j - 3] == 0xE2 && b[j - 2] == 0x80 && (b[j - 1] == 0x98 || b[j - 1] == 0x99) {
                j -= 3
                continue
            }
            break
        }
        return j
    }

    func tokenize(_ b: UnsafeBufferPointer<UInt8>, into tokens: inout [Token], scratch: inout [Int32]) {
        let end = b.count
        var i = 0
        while i < end {
            let spaceLength = TextScanning.spaceLength(b, at: i, end: end)
            if spaceLength > 0 { i += spaceLength; continue }
            var j = i
            var letters = true
            var hasAt = false
            while j < end {
                let byte = b[j]
                if byte < 0x80 {
                    if TextScanning.isAlphaByte(byte) { j &+= 1; continue }
                    if TextScanning.isSpaceByte(byte) { break }
                    if byte == 0x40 { hasAt = true }
                    letters = false
                    j += 1
                } else {
                    if TextScanning.spaceLength(b, at: j, end: end) > 0 { break }
                    letters = false
                    j += 1
                }
            }
            // Chunks end on scalar boundaries: spaces are checked at every byte and a
            // continuation byte is never a space.
            if letters && !mayBeFixedSplit(b, i, j) {
                tokens.append(Token(start: Int32(i), end: Int32(j)))  // a plain ASCII word
            } else {
                tokenizeChunk(b, i, j, hasAt: hasAt, into: &tokens, scratch: &scratch)
            }
            i = j
        }
    }

    // MARK: - Chunks

    @inline(__always)
    private func emit(_ start: Int, _ end: Int, _ tokens: inout [Token]) {
        if end > start { tokens.append(Token(start: Int32(start), end: Int32(end))) }
    }

    /// Whether an all-letter word might be one split at a fixed offset ("gonna", "cannot").
    @inline(__always)
    private func mayBeFixedSplit(_ b: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Bool {
        let length = hi - lo
        guard length >= 2 && length <= 8 else { return false }
        // Every listed word ends in "na", "ta", "me", "nt", "ot", "ts", "im" or "ve".
        let last = b[hi - 1] | 0x20
        let second = b[hi - 2] | 0x20
        switch (second, last) {
        case (0x6E, 0x61), (0x74, 0x61), (0x6D, 0x65), (0x6E, 0x74), (0x6F, 0x74), (0x74, 0x73), (0x69, 0x6D),
            (0x76, 0x65):
            break
        default:
            return false
        }
        // Folded entries have four letters or more, exact ones two or three.
        return length >= 4 ? fixedSplits.lookup(b, lo, hi) != nil : exactFixedSplits.lookup(b, lo, hi) != nil
    }

    private func tokenizeChunk(
        _ b: UnsafeBufferPointer<UInt8>, _ chunkStart: Int, _ chunkEnd: Int, hasAt: Bool,
        into tokens: inout [Token], scratch: inout [Int32]
    ) {
        var lo = chunkStart
        var hi = chunkEnd
        let base = scratch.count
        while lo < hi {
            if let specialEnd = specialEnd(b, lo, hi, hasAt: hasAt) {
                emit(lo, specialEnd, &tokens)
                emitPunctuation(b, specialEnd, hi, &tokens)
                lo = hi
                break
            }
            if let n = prefixLength(b, lo, hi) {
                emit(lo, lo + n, &tokens)
                lo += n
                continue
            }
            if let n = suffixLength(b, lo, hi, chunkEnd: chunkEnd) {
                scratch.append(Int32(hi - n))
                scratch.append(Int32(hi))
                hi -= n
                continue
            }
            splitInfixes(b, lo, hi, &tokens)
            break
        }
        if scratch.count > base {
            var s = scratch.count
            while s > base {
                s -= 2
                emit(Int(scratch[s]), Int(scratch[s + 1]), &tokens)
            }
            scratch.removeSubrange(base...)
        }
    }

    /// Emits trailing punctuation after a URL or e-mail address, one mark (or run) a token.
    private func emitPunctuation(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ tokens: inout [Token]) {
        var i = start
        while i < end {
            let n = runLength(b, i, end)
            emit(i, i + n, &tokens)
            i += n
        }
    }

    /// Length of a punctuation run starting at `i` that forms one token: "...", "!!", "?!",
    /// "--", "…", or else one scalar with its emoji modifiers.
    @inline(__always)
    private func runLength(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> Int {
        let (c, n) = TextScanning.scalar(b, at: i, end: end)
        var j = i + n
        switch c {
        case 0x21, 0x3F:  // ! ?
            while j < end && (b[j] == 0x21 || b[j] == 0x3F) { j += 1 }
        case 0x2E, 0x2026:  // . …
            while j < end {
                if b[j] == 0x2E { j += 1; continue }
                if j + 2 < end && b[j] == 0xE2 && b[j + 1] == 0x80 && b[j + 2] == 0xA6 { j += 3; continue }
                break
            }
        case 0x2D, 0x3D, 0x2A, 0x5F, 0x7E, 0x23, 0x3C, 0x3E, 0x24, 0x2B:  // - = * _ ~ # < > $ +
            while j < end && b[j] == UInt8(c) { j += 1 }
        case 0x27, 0x2018, 0x2019:  // doubled single quotes: "''", "‘’"
            while j < end {
                if b[j] == 0x27 { j += 1; continue }
                if j + 2 < end && b[j] == 0xE2 && b[j + 1] == 0x80 && (b[j + 2] == 0x98 || b[j + 2] == 0x99) {
                    j += 3
                    continue
                }
                break
            }
        default:
            while j < end {
                let (m, ml) = TextScanning.scalar(b, at: j, end: end)
                if TextScanning.isEmojiModifier(m) { j += ml } else { break }
            }
        }
        return j - i
    }

    // MARK: - Specials

    /// End of a URL, e-mail address, handle, hashtag or emoticon starting at `lo`, if any.
    private func specialEnd(_ b: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int, hasAt: Bool) -> Int? {
        let first = b[lo]
        if TextScanning.isAlphaByte(first) && !hasAt {
            let f = first | 0x20
            guard f == 0x68 || f == 0x77 || f == 0x66 || f == 0x78 else { return nil }  // h w f x
        }
        if hi - lo <= 4 && emoticons.lookup(b, lo, hi) != nil { return hi }
        if hi - lo >= 3, hi - lo <= 4, emoticons.lookup(b, lo, hi - 1) != nil,
            b[hi - 1] == 0x2E || b[hi - 1] == 0x2C || b[hi - 1] == 0x21 || b[hi - 1] == 0x3F
        {
            return hi - 1
        }
        if first == 0x40 || first == 0x23 {  // @handle, #hashtag
            guard lo + 1 < hi else { return nil }
            let (c, _) = TextScanning.scalar(b, at: lo + 1, end: hi)
            if first == 0x23 && !TextScanning.isLetter(c) { return nil }
            if first == 0x40 && !(TextScanning.isLetter(c) || c == 0x5F) { return nil }
            var j = lo + 1
            while j < hi {
                let (v, n) = TextScanning.scalar(b, at: j, end: hi)
                if TextScanning.isWordScalar(v) || v == 0x5F { j += n } else { break }
            }
            // "@user.name" continues as an e-mail-like token only via the e-mail rule below.
            if j < hi && first == 0x40 && b[j] == 0x2E { return nil }
            return j
        }
        let length = hi - lo
        if length >= 7, startsWithURLScheme(b, lo, hi) {
            return trimURL(b, lo, hi)
        }
        // E-mail address: word characters around an '@'.
        if hasAt && length >= 3 {
            var at = -1
            var j = lo
            while j < hi && j - lo <= 64 {  // local parts are at most 64 bytes
                let byte = b[j]
                if byte == 0x40 { at = j; break }
                if byte < 0x80
                    && !(TextScanning.isAlnumByte(UInt8(truncatingIfNeeded: byte))
                        || byte == 0x2E || byte == 0x5F || byte == 0x2D || byte == 0x2B || byte == 0x25)
                {
                    return nil
                }
                j += 1
            }
            if at > lo && at + 1 < hi && (b[at - 1] != 0x2E || (at - 3 > lo && b[at - 2] == 0x2E && b[at - 3] == 0x2E))
            {
                let next = b[at + 1]
                if next < 0x80 && TextScanning.isAlnumByte(UInt8(truncatingIfNeeded: next)) {
                    var e = at + 1
                    while e < hi {
                        let byte = b[e]
                        if byte < 0x80
                            && (TextScanning.isAlnumByte(UInt8(truncatingIfNeeded: byte))
                                || byte == 0x2E || byte == 0x2D || byte == 0x5F)
                        {
                            e += 1
                        } else {
                            break
                        }
                    }
                    while e > at + 1 && (b[e - 1] == 0x2E || b[e - 1] == 0x2D) { e -= 1 }
                    return e
                }
            }
        }
        return nil
    }

    @inline(__always)
    private func startsWith(_ b: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard hi - lo > count else { return false }
        let p = prefix.utf8Start
        for k in 0..<count where ByteStringTable.lower(b[lo + k]) != p[k] { return false }
        return true
    }

    private func startsWithURLScheme(_ b: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Bool {
        let f = b[lo] | 0x20
        if f == 0x68 {
            return startsWith(b, lo, hi, "http://") || startsWith(b, lo, hi, "https://")
        }
        if f == 0x77 { return startsWith(b, lo, hi, "www.") && hi - lo > 5 }
        if f == 0x66 { return startsWith(b, lo, hi, "ftp://") }
        if f == 0x6D { return startsWith(b, lo, hi, "mailto:") }
        return false
    }

    /// A URL's end: trailing sentence punctuation and unbalanced closers are not part of it.
    private func trimURL(_ b: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Int {
        var open = 0
        var close = 0
        for k in lo..<hi {
            if b[k] == 0x28 { open += 1 } else if b[k] == 0x29 { close += 1 }
        }
        var e = hi
        while e > lo + 1 {
            let (c, n) = TextScanning.scalar(b, before: e, start: lo)
            switch c {
            case 0x2E, 0x2C, 0x3B, 0x3A, 0x21, 0x3F, 0x27, 0x22, 0x5D, 0x7D, 0x3E, 0x201D, 0x2019, 0xBB, 0x2026:
                e -= n
            case 0x29 where close > open:
                close -= 1
                e -= n
            default:
                return e
            }
        }
        return e
    }

    // MARK: - Prefixes

    /// Length of an opening token at `lo` to split off, if any.
    private func prefixLength(_ b: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Int? {
        let (c, n) = TextScanning.scalar(b, at: lo, end: hi)
        if n == hi - lo { return nil }
        switch c {
        case 0x28, 0x5B, 0x7B, 0x3C, 0x22, 0x60, 0x2A, 0x24, 0x2C, 0x3B, 0x29, 0x5D, 0x7D, 0x7C, 0x5C, 0x25:
            // ( [ { < " ` * $ , ; ) ] } | \ %
            if c == 0x2A || c == 0x60 || c == 0x3C || c == 0x24 { return runLength(b, lo, hi) }
            return 1
        case 0x21, 0x3F, 0x3D, 0x7E, 0x5F, 0x3E:  // ! ? = ~ _ >
            return runLength(b, lo, hi)
        case 0x23:  // # before a number
            let next = b[lo + 1]
            return TextScanning.isDigit(UInt32(next)) ? 1 : nil
        case 0x2E:  // leading ellipsis; ".5" stays a number
            if b[lo + 1] == 0x2E { return runLength(b, lo, hi) }
            return nil
        case 0x2D:  // "--" runs; a single "-" before a letter
            return runLength(b, lo, hi)
        case 0x3A, 0x40:  // ':' before a word, '@' before a number
            return 1
        case 0x27, 0x2019, 0x2018:  // apostrophe-initial words stay whole
            if apostropheWords.lookup(b, lo, hi) != nil { return nil }
            let run = runLength(b, lo, hi)
            if run > n { return run < hi - lo ? run : nil }
            // "'90s"
            let (next, _) = TextScanning.scalar(b, at: lo + n, end: hi)
            if TextScanning.isDigit(next) && hi - lo - n >= 2 && (b[hi - 1] | 0x20) == 0x73 {
                var allDigits = true
                for k in (lo + n)..<(hi - 1) where !TextScanning.isDigit(UInt32(b[k])) { allDigits = false }
                if allDigits { return nil }
            }
            return n
        default:
            if c >= 0x80 && TextScanning.isPunctuationOrSymbol(c) { return runLength(b, lo, hi) }
            return nil
        }
    }

    // MARK: - Suffixes

    /// Length of a closing token at `hi` to split off, if any.
    private func suffixLength(_ b: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int, chunkEnd: Int) -> Int? {
        let (c, n) = TextScanning.scalar(b, before: hi, start: lo)
        if n == hi - lo { return nil }
        if (c == 0x27 || c == 0x2019) && apostropheWords.lookup(b, lo, hi) != nil { return nil }  // "'n'"
        switch c {
        case 0x21, 0x3F:  // runs of ! ? and periods: "!!", "?!", ".?", "??."
            var j = hi - 1
            while j > lo && (b[j - 1] == 0x21 || b[j - 1] == 0x3F || b[j - 1] == 0x2E) { j -= 1 }
            if j == lo { return nil }
            var dots = 0
            while j + dots < hi && b[j + dots] == 0x2E { dots += 1 }
            if dots >= 3 || (dots == 1 && keepsPeriod(b, lo, j, chunkEnd: chunkEnd, periodAt: j)) {
                return hi - (j + dots)  // "...?" is "..." + "?"; "T.V.?" is "T.V." + "?"
            }
            return hi - j
        case 0x2E:  // .
            if b[hi - 2] == 0x21 || b[hi - 2] == 0x3F {
                var j = hi - 1
                while j > lo && (b[j - 1] == 0x21 || b[j - 1] == 0x3F || b[j - 1] == 0x2E) { j -= 1 }
                return j == lo ? nil : hi - j
            }
            if b[hi - 2] == 0x2E && (hi - 3 < lo || b[hi - 3] != 0x2E)
                && keepsPeriod(b, lo, hi - 2, chunkEnd: chunkEnd, periodAt: hi - 2)
            {
                return 1  // "Inc.." is "Inc." + "."
            }
            if b[hi - 2] == 0x2E || (hi - lo >= 4 && b[hi - 2] == 0xA6 && b[hi - 3] == 0x80 && b[hi - 4] == 0xE2) {
                let j = Tokenizer.periodRunStart(b, lo, hi)
                return j == lo ? nil : hi - j
            }
            return keepsPeriod(b, lo, hi - 1, chunkEnd: chunkEnd, periodAt: hi - 1) ? nil : 1
        case 0x2026:
            let j = Tokenizer.periodRunStart(b, lo, hi)
            return j == lo ? nil : hi - j
        case 0x2C, 0x3B, 0x3A, 0x29, 0x5D, 0x7D, 0x3E, 0x22, 0x25, 0x2A, 0x27, 0x60, 0x23, 0x2B:
            // , ; : ) ] } > " % * ' ` # +
            if c == 0x29, hi - lo >= 2, b[hi - 2] == 0x28 { return nil }  // "(s)" handled by infixes
            if c == 0x29 || c == 0x28 {
                for width in 2...3 where hi - lo > width && emoticons.lookup(b, hi - width, hi) != nil {
                    return width  // "family:)"
                }
            }
            if c == 0x27 {
                let j = Tokenizer.apostropheRunStart(b, lo, hi)
                return j == lo ? nil : hi - j
            }
            if c == 0x2A || c == 0x60 || c == 0x3E || c == 0x2B || c == 0x23 {
                var j = hi - 1
                while j > lo && b[j - 1] == UInt8(c) { j -= 1 }
                return j == lo ? nil : hi - j
            }
            return 1
        case 0x2D:  // trailing "--"
            // A single trailing hyphen stays: "f-", "th-" (cut-off words).
            guard b[hi - 2] == 0x2D else { return nil }
            var j = hi - 1
            while j > lo && b[j - 1] == 0x2D { j -= 1 }
            return j == lo ? nil : hi - j
        default:
            if c >= 0x80 && (TextScanning.isPunctuationOrSymbol(c) || TextScanning.isEmojiModifier(c)) {
                if TextScanning.isEmojiModifier(c) {
                    var j = hi - n
                    while j > lo {
                        let (p, pn) = TextScanning.scalar(b, before: j, start: lo)
                        j -= pn
                        if !TextScanning.isEmojiModifier(p) { break }
                    }
                    return j == lo ? nil : hi - j
                }
                if c == 0x2019 || c == 0x2018 {
                    let j = Tokenizer.apostropheRunStart(b, lo, hi)
                    return j == lo ? nil : hi - j
                }
                return n
            }
            return cliticLength(b, lo, hi)
        }
    }

    /// Length of a final clitic ("n't", "'s", "'re", "'ve", "'ll", "'d", "'m"), if any.
    @inline(__always)
    private func cliticLength(_ b: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Int? {
        let last = b[hi - 1] | 0x20
        guard last == 0x73 || last == 0x74 || last == 0x65 || last == 0x6C || last == 0x64 || last == 0x6D else {
            return nil
        }
        // Position of the apostrophe if the word ends in apostrophe + `letters` letters.
        func apostrophe(before letters: Int) -> (start: Int, length: Int)? {
            let a = hi - letters
            guard a - 1 > lo else { return nil }
            if b[a - 1] == 0x27 { return (a - 1, 1) }
            if a - 3 > lo && b[a - 3] == 0xE2 && b[a - 2] == 0x80 && b[a - 1] == 0x99 { return (a - 3, 3) }
            return nil
        }
        func letterBefore(_ i: Int) -> Bool {
            let (v, _) = TextScanning.scalar(b, before: i, start: lo)
            return TextScanning.isLetter(v)
        }
        if last == 0x74, hi - lo >= 4 {
            // n't
            if let (a, _) = apostrophe(before: 1), a - 1 > lo, (b[a - 1] | 0x20) == 0x6E, letterBefore(a - 1) {
                return hi - (a - 1)
            }
        }
        switch last {
        case 0x73, 0x64, 0x6D:  // 's 'd 'm ("Jr.'s" too)
            if let (a, _) = apostrophe(before: 1), letterBefore(a) || (last == 0x73 && b[a - 1] == 0x2E) {
                return hi - a
            }
        case 0x65:  // 're 've
            let second = b[hi - 2] | 0x20
            if second == 0x72 || second == 0x76, let (a, _) = apostrophe(before: 2), letterBefore(a) { return hi - a }
        case 0x6C:  // 'll
            if (b[hi - 2] | 0x20) == 0x6C, let (a, _) = apostrophe(before: 2), letterBefore(a) { return hi - a }
        default:
            break
        }
        return nil
    }

    /// Whether the period after `b[lo..<end]` belongs to the word (an abbreviation).
    private func keepsPeriod(_ b: UnsafeBufferPointer<UInt8>, _ lo: Int, _ end: Int, chunkEnd: Int, periodAt: Int)
        -> Bool
    {
        guard end > lo else { return false }
        // At the end of a paragraph the period is the sentence's, as in the UD treebanks.
        var after = periodAt + 1
        while after < b.count && (b[after] == 0x20 || b[after] == 0x09) { after += 1 }
        if after == b.count || b[after] == 0x0A || b[after] == 0x0D {
            // ...unless closers were peeled between (rare); keep it simple and split.
            return false
        }
        var lo = lo
        // "R-Ariz.", "D-N.Y.": the part after the last hyphen decides.
        var h = end - 1
        while h > lo && b[h] != 0x2D { h -= 1 }
        if b[h] == 0x2D && h + 1 < end && h > lo { lo = h + 1 }
        if let kind = abbreviations.kind(b, lo, end) {
            if kind != .number { return true }
            return nextNonSpaceIsDigit(b, after: periodAt + 1, chunkEnd: chunkEnd)
        }
        let length = end - lo
        if length == 1 { return TextScanning.isAlphaByte(b[lo]) }
        // Multi-period abbreviations: letter groups of one or two, joined by periods ("U.S", "Ph.D").
        var groups = 0
        var run = 0
        var k = lo
        while k < end {
            let byte = b[k]
            if byte < 0x80 && TextScanning.isAlphaByte(byte) {
                run += 1
                if run > 2 { return false }
            } else if byte == 0x2E {
                if run == 0 { return false }
                groups += 1
                run = 0
            } else {
                return false
            }
            k += 1
        }
        return groups >= 1 && run > 0
    }

    /// Whether the first non-space character after `i` is a digit or '#'.
    private func nextNonSpaceIsDigit(_ b: UnsafeBufferPointer<UInt8>, after i: Int, chunkEnd: Int) -> Bool {
        var j = i
        let end = b.count
        while j < end {
            let byte = b[j]
            if byte == 0x20 || byte == 0x09 { j += 1; continue }
            return TextScanning.isDigit(UInt32(byte)) || byte == 0x23
        }
        return false
    }

    // MARK: - Infixes

    private func splitInfixes(_ b: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int, _ tokens: inout [Token]) {
        if hi - lo > 2 && b[hi - 1] == 0x2E && abbreviations.kind(b, lo, hi - 1) != nil {
            emit(lo, hi, &tokens)  // "N°.", listed abbreviations with symbols
            return
        }
        if let offset = fixedSplits.lookup(b, lo, hi) ?? exactFixedSplits.lookup(b, lo, hi) {
            emit(lo, lo + Int(offset), &tokens)
            emit(lo + Int(offset), hi, &tokens)
            return
        }
        let firstIsDigit = TextScanning.isDigit(UInt32(b[lo]))
        if firstIsDigit, let unitStart = unitSplit(b, lo, hi) {
            emit(lo, unitStart, &tokens)
            emit(unitStart, hi, &tokens)
            return
        }
        var segment = lo
        var i = lo
        while i < hi {
            if TextScanning.isAlnumByte(b[i]) {
                i += 1
                continue
            }
            let (c, n) = TextScanning.scalar(b, at: i, end: hi)
            switch c {
            case 0x2D, 0x2010, 0x2011:  // hyphens
                if c == 0x2D && i + 1 < hi && b[i + 1] == 0x2D {
                    let run = runLength(b, i, hi)
                    emit(segment, i, &tokens)
                    emit(i, i + run, &tokens)
                    i += run
                    segment = i
                    continue
                }
                if !splitHyphens || i == segment || i + n >= hi {
                    i += n
                    continue
                }
                let (prev, _) = TextScanning.scalar(b, before: i, start: lo)
                let (next, _) = TextScanning.scalar(b, at: i + n, end: hi)
                if TextScanning.isDigit(prev) && TextScanning.isDigit(next) && isPhoneNumber(b, segment, hi) {
                    i += n
                    continue
                }
                if hyphenPrefixes.lookup(b, segment, i) != nil && TextScanning.isLetter(next)
                    && !hasSecondHyphen(b, i + n, hi)
                {
                    i += n
                    continue
                }
                emit(segment, i, &tokens)
                emit(i, i + n, &tokens)
                i += n
                segment = i
            case 0x2F:  // slash between words (not numbers, not one-letter forms like "w/o")
                if i == segment || i + 1 >= hi {
                    i += 1
                    continue
                }
                let (prev, _) = TextScanning.scalar(b, before: i, start: lo)
                let (next, _) = TextScanning.scalar(b, at: i + 1, end: hi)
                if TextScanning.isDigit(prev) || TextScanning.isDigit(next) {
                    i += 1
                    continue
                }
                var right = i + 1
                while right < hi {
                    let (v, vn) = TextScanning.scalar(b, at: right, end: hi)
                    if TextScanning.isLetter(v) { right += vn } else { break }
                }
                var left = i
                while left > segment {
                    let (v, vn) = TextScanning.scalar(b, before: left, start: segment)
                    if TextScanning.isLetter(v) { left -= vn } else { break }
                }
                if (i - left >= 2 && right - (i + 1) >= 2)
                    || (i - left == 1 && right - (i + 1) == 1 && TextScanning.isUpper(prev)
                        && TextScanning.isUpper(next))
                {
                    emit(segment, i, &tokens)
                    emit(i, i + 1, &tokens)
                    i += 1
                    segment = i
                } else {
                    i += 1
                }
            case 0x2E:  // "..." inside a word; a final period before a bracket or quote
                if i + 1 < hi && b[i + 1] == 0x2E {
                    let run = runLength(b, i, hi)
                    emit(segment, i, &tokens)
                    emit(i, i + run, &tokens)
                    i += run
                    segment = i
                } else if i > segment && i + 1 < hi
                    && (b[i + 1] == 0x5B || b[i + 1] == 0x28 || b[i + 1] == 0x22)
                    && (b[i - 1] &- 0x61 < 26 || TextScanning.isDigitByte(b[i - 1]))
                {
                    emit(segment, i, &tokens)  // "cited.[3]"
                    emit(i, i + 1, &tokens)
                    i += 1
                    segment = i
                } else {
                    i += 1
                }
            case 0x2C:  // comma, except inside numbers
                let prevDigit = i > lo && TextScanning.isDigit(UInt32(b[i - 1]))
                let nextDigit = i + 1 < hi && TextScanning.isDigit(UInt32(b[i + 1]))
                if prevDigit && nextDigit {
                    i += 1
                } else {
                    emit(segment, i, &tokens)
                    emit(i, i + 1, &tokens)
                    i += 1
                    segment = i
                }
            case 0x3A:  // colon, except in times and ratios ("10:30")
                let prevDigit = i > lo && TextScanning.isDigit(UInt32(b[i - 1]))
                let nextDigit = i + 1 < hi && TextScanning.isDigit(UInt32(b[i + 1]))
                if (prevDigit && nextDigit) || i == segment || i + 1 >= hi {
                    i += 1
                } else {
                    emit(segment, i, &tokens)
                    emit(i, i + 1, &tokens)
                    i += 1
                    segment = i
                }
            case 0x3B, 0x28, 0x29, 0x5B, 0x5D, 0x7B, 0x7D, 0x22, 0x21, 0x3F:
                let run = c == 0x21 || c == 0x3F ? runLength(b, i, hi) : 1
                emit(segment, i, &tokens)
                emit(i, i + run, &tokens)
                i += run
                segment = i
            default:
                if c >= 0x80 && (TextScanning.isPunctuationOrSymbol(c) && c != 0x2019) {
                    let run = runLength(b, i, hi)
                    emit(segment, i, &tokens)
                    emit(i, i + run, &tokens)
                    i += run
                    segment = i
                } else {
                    i += n
                }
            }
        }
        emit(segment, hi, &tokens)
    }

    /// Whether another hyphen follows: prefixes stay attached only in one-hyphen words
    /// ("non-profit", but "non - adult - like", "over - the - counter").
    private func hasSecondHyphen(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ hi: Int) -> Bool {
        var k = start
        while k < hi {
            if b[k] == 0x2D { return true }
            if !TextScanning.isAlphaByte(b[k]) { return false }
            k += 1
        }
        return false
    }

    /// Where a unit starts in "35mm", "5pm", "1.5bn"; nil unless the letters are a known unit.
    private func unitSplit(_ b: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Int? {
        var i = lo
        while i < hi && (TextScanning.isDigit(UInt32(b[i])) || b[i] == 0x2E || b[i] == 0x2C || b[i] == 0x3A) { i += 1 }
        guard i < hi, TextScanning.isDigit(UInt32(b[i - 1])) else { return nil }
        var j = i
        while j < hi && b[j] < 0x80 && TextScanning.isAlphaByte(b[j]) {
            j += 1
        }
        guard j == hi else { return nil }
        if units.lookup(b, i, hi) != nil { return i }
        if hi - i == 1 {
            let letter = b[i]
            // "650k", "$5m", "45p", "$2b"; "3D" and "5G" stay whole.
            return letter == 0x6B || letter == 0x4B || letter == 0x6D || letter == 0x4D || letter == 0x62
                || letter == 0x70 ? i : nil
        }
        return ordinalSuffixes.lookup(b, i, hi) == nil && hi - i >= 2 && hi - i <= 5 ? i : nil
    }

    /// Phone-number-like digit groups kept whole: "853-3242", "212-848-8400", "3-5213".
    private func isPhoneNumber(_ b: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Bool {
        var groups = 0
        var run = 0
        var firstRun = 0
        var k = lo
        guard hi - lo <= 24 else { return false }  // phone numbers are short; keeps this O(1)
        while k < hi {
            let byte = b[k]
            if TextScanning.isDigit(UInt32(byte)) {
                run += 1
            } else if byte == 0x2D && run > 0 {
                if groups == 0 { firstRun = run }
                groups += 1
                if groups == 1 && run > 4 { return false }
                if groups > 1 && run < 3 { return false }
                run = 0
            } else {
                return false
            }
            k += 1
        }
        return run == 4 && (groups >= 2 || firstRun <= 3)
    }
}
