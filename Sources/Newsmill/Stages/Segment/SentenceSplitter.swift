/// Groups tokens into sentences.
///
/// Works over the tokens the ``Tokenizer`` produced: a final mark (".", "!", "?", runs
/// of them, four-dot ellipses) ends a sentence together with the quotes and brackets
/// attached to it when the next token can open a sentence (a capital, a digit, an opening
/// quote). Abbreviations end a sentence only when a typical sentence-opening word follows
/// ("Co. It"), titles never do ("Mr."), number abbreviations not before a digit ("No. 5").
/// A line break always ends a sentence (unless `paragraphBreaks` is off, when only a
/// blank line does); list bullets and numbered or lettered list items start one.
struct SentenceSplitter: Sendable {
    let abbreviations: Abbreviations
    /// Whether every line break ends a sentence (otherwise only blank lines do).
    let paragraphBreaks: Bool
    /// Sentences longer than this many tokens are cut (0: no limit).
    let maxSentenceLength: Int

    init(abbreviations: Abbreviations, paragraphBreaks: Bool = true, maxSentenceLength: Int = 0) {
        self.abbreviations = abbreviations
        self.paragraphBreaks = paragraphBreaks
        self.maxSentenceLength = maxSentenceLength
    }

    /// List-marker styles: "1." "1)" "1.)" "a." "a)".
    private enum MarkerStyle: Equatable { case digitPeriod, digitParen, digitPeriodParen, letterPeriod, letterParen }

    private struct Marker {
        var value: Int
        var style: MarkerStyle
        var last: Int
    }

    /// Sets each token's `sentence` and appends the sentence spans.
    func split(_ b: UnsafeBufferPointer<UInt8>, tokens: inout [Token], sentences: inout [Span]) {
        let count = tokens.count
        guard count > 0 else { return }
        tokens.withUnsafeMutableBufferPointer { t in
            var state = State(sentences: sentences)
            var sentenceStart = 0
            var lastMarker: Marker?
            var i = 0
            while i < count {
                let gapStart = Int(t[i &- 1 < 0 ? 0 : i &- 1].end)
                let gapEnd = Int(t[i].start)
                // Fast path: a single space between tokens is not a paragraph break.
                let paragraph =
                    i > 0 && gapEnd > gapStart
                    && (gapEnd - gapStart == 1
                        ? b[gapStart] != 0x20 && breaksParagraph(b, gapStart, gapEnd)
                        : breaksParagraph(b, gapStart, gapEnd))
                if paragraph {
                    if sentenceStart < i { state.close(sentenceStart, i - 1, t, b, newParagraph: true) }
                    state.paragraphStartSentence = state.sentences.count
                    sentenceStart = i
                    lastMarker = nil
                } else if maxSentenceLength > 0 && i - sentenceStart >= maxSentenceLength {
                    state.close(sentenceStart, i - 1, t, b, newParagraph: false)
                    sentenceStart = i
                }
                let firstByte = b[Int(t[i].start)]
                let tokenLength = t[i].end - t[i].start
                let mayBeMarker =
                    TextScanning.isDigitByte(firstByte)
                    || (firstByte &- 0x61 < 26
                        && (tokenLength == 1 || (tokenLength == 2 && b[Int(t[i].start) + 1] == 0x2E)))
                if mayBeMarker, let marker = listMarker(b, t, i) {
                    let atStart =
                        i == sentenceStart
                        || (i == sentenceStart + 1 && isBullet(b, t[sentenceStart]))
                    if atStart {
                        lastMarker = marker
                        i = marker.last + 1
                        continue
                    }
                    if let previous = lastMarker, previous.style == marker.style, previous.value + 1 == marker.value {
                        state.close(sentenceStart, i - 1, t, b, newParagraph: false)
                        sentenceStart = i
                        lastMarker = marker
                        i = marker.last + 1
                        continue
                    }
                }
                if firstByte >= 0xE2 && i > sentenceStart && isBullet(b, t[i]) && t[i - 1].end < t[i].start {
                    state.close(sentenceStart, i - 1, t, b, newParagraph: false)
                    sentenceStart = i
                    i += 1
                    continue
                }
                // Only tokens ending in '.', '!', '?' or '…' can end a sentence.
                let lastByte = b[Int(t[i].end) - 1]
                if lastByte != 0x2E && lastByte != 0x21 && lastByte != 0x3F && lastByte != 0xA6 {
                    i += 1
                    continue
                }
                let (boundary, last) = examine(b, t, i)
                if boundary {
                    state.close(sentenceStart, last, t, b, newParagraph: false)
                    sentenceStart = last + 1
                }
                i = last + 1
            }
            if sentenceStart < count { state.close(sentenceStart, count - 1, t, b, newParagraph: false) }
            sentences = state.sentences
        }
    }

    /// Sentence bookkeeping: appends spans, numbers tokens, and folds punctuation-only
    /// fragments into the sentence before them.
    private struct State {
        var sentences: [Span]
        var paragraphStartSentence: Int
        let base: Int

        init(sentences: [Span]) {
            self.sentences = sentences
            self.paragraphStartSentence = sentences.count
            self.base = sentences.count
        }

        mutating func close(
            _ first: Int, _ last: Int, _ t: UnsafeMutableBufferPointer<Token>, _ b: UnsafeBufferPointer<UInt8>,
            newParagraph: Bool
        ) {
            guard last >= first else { return }
            var hasWord = false
            for k in first...last where !hasWord {
                var j = Int(t[k].start)
                let end = Int(t[k].end)
                while j < end {
                    let (v, n) = TextScanning.scalar(b, at: j, end: end)
                    if TextScanning.isWordScalar(v) { hasWord = true; break }
                    j += n
                }
            }
            if !hasWord && sentences.count > paragraphStartSentence {
                let index = sentences.count - 1
                sentences[index].end = t[last].end
                for k in first...last { t[k].sentence = Int32(index - base) }
                return
            }
            let index = Int32(sentences.count - base)
            for k in first...last { t[k].sentence = index }
            sentences.append(Span(start: t[first].start, end: t[last].end))
        }
    }

    // MARK: - Token tests

    @inline(__always)
    private func firstScalar(_ b: UnsafeBufferPointer<UInt8>, _ token: Token) -> UInt32 {
        TextScanning.scalar(b, at: Int(token.start), end: Int(token.end)).value
    }

    private func isBullet(_ b: UnsafeBufferPointer<UInt8>, _ token: Token) -> Bool {
        let (v, n) = TextScanning.scalar(b, at: Int(token.start), end: Int(token.end))
        return n == token.end - token.start && TextScanning.isBullet(v)
    }

    /// Whether the gap between two tokens ends a paragraph.
    private func breaksParagraph(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var lines = 0
        var j = start
        while j < end {
            let byte = b[j]
            if byte == 0x0A {
                lines += 1
            } else if byte == 0x0D {
                if j + 1 >= end || b[j + 1] != 0x0A { lines += 1 }
            } else if byte >= 0x80 {
                let (v, n) = TextScanning.scalar(b, at: j, end: end)
                if v == 0x2028 || v == 0x2029 || v == 0x85 { lines += 1 }
                j += n
                continue
            } else if byte == 0x0B || byte == 0x0C {
                lines += 1
            }
            j += 1
        }
        return paragraphBreaks ? lines >= 1 : lines >= 2
    }

    /// Whether two adjacent tokens touch (no whitespace between them).
    @inline(__always)
    private func touching(_ t: UnsafeMutableBufferPointer<Token>, _ i: Int) -> Bool {
        t[i].start == t[i - 1].end
    }

    /// Whether token `i` is exactly the ASCII byte `byte`.
    @inline(__always)
    private func isByte(_ b: UnsafeBufferPointer<UInt8>, _ token: Token, _ byte: UInt8) -> Bool {
        token.end - token.start == 1 && b[Int(token.start)] == byte
    }

    /// A list marker ("1." "2)" "3.)" "a." "b)") at token `i`, followed by a word.
    private func listMarker(_ b: UnsafeBufferPointer<UInt8>, _ t: UnsafeMutableBufferPointer<Token>, _ i: Int)
        -> Marker?
    {
        let token = t[i]
        let start = Int(token.start)
        let length = Int(token.end - token.start)
        if i > 0 && t[i - 1].end == token.start && !isBullet(b, t[i - 1]) { return nil }
        var value = 0
        var style: MarkerStyle
        var last = i
        let first = b[start]
        if TextScanning.isDigit(UInt32(first)) {
            guard length <= 2 else { return nil }
            for k in start..<(start + length) {
                guard TextScanning.isDigit(UInt32(b[k])) else { return nil }
                value = value * 10 + Int(b[k] - 48)
            }
            guard i + 1 < t.count, touching(t, i + 1) else { return nil }
            if isByte(b, t[i + 1], 0x2E) {
                if i + 2 < t.count && touching(t, i + 2) && isByte(b, t[i + 2], 0x29) {
                    style = .digitPeriodParen
                    last = i + 2
                } else {
                    style = .digitPeriod
                    last = i + 1
                }
            } else if isByte(b, t[i + 1], 0x29) {
                style = .digitParen
                last = i + 1
            } else {
                return nil
            }
        } else if first >= 0x61 && first <= 0x7A {
            value = Int(first) - 0x60
            if length == 2 && b[start + 1] == 0x2E {
                style = .letterPeriod
            } else if length == 1, i + 1 < t.count, touching(t, i + 1), isByte(b, t[i + 1], 0x29) {
                style = .letterParen
                last = i + 1
            } else {
                return nil
            }
        } else {
            return nil
        }
        // A word must follow, after whitespace.
        guard last + 1 < t.count, !touching(t, last + 1) else { return nil }
        let next = firstScalar(b, t[last + 1])
        guard TextScanning.isLetter(next) && !TextScanning.isDigit(next) else { return nil }
        if breaksParagraph(b, Int(t[last].end), Int(t[last + 1].start)) { return nil }
        return Marker(value: value, style: style, last: last)
    }

    /// Whether token `n` can open a sentence: a capital letter, a digit, an opening quote
    /// or bracket before such a token, a bullet, a symbol.
    private func opensSentence(_ b: UnsafeBufferPointer<UInt8>, _ t: UnsafeMutableBufferPointer<Token>, _ n: Int)
        -> Bool
    {
        let v = firstScalar(b, t[n])
        if TextScanning.isDigit(v) { return true }
        if TextScanning.isLetter(v) { return !TextScanning.isLower(v) }
        switch v {
        case 0x22, 0x27, 0x60, 0x201C, 0x2018, 0xAB, 0x28, 0x5B, 0x2039, 0x201E, 0xBF, 0xA1:
            // An opening quote or bracket: look at what it opens.
            if n + 1 < t.count && t[n + 1].start == t[n].end {
                return opensSentence(b, t, n + 1)
            }
            return true
        case 0x2C, 0x3B, 0x3A, 0x29, 0x5D, 0x7D, 0x2E, 0x21, 0x3F, 0x201D, 0x2019, 0xBB, 0x25, 0x2026:
            return false
        default:
            return true
        }
    }

    /// Extends `j` over touching closers and final marks ("!?", `."`, `.)`).
    private func extendOverClosers(_ b: UnsafeBufferPointer<UInt8>, _ t: UnsafeMutableBufferPointer<Token>, _ j: Int)
        -> Int
    {
        var j = j
        while j + 1 < t.count && touching(t, j + 1) {
            let token = t[j + 1]
            let (v, n) = TextScanning.scalar(b, at: Int(token.start), end: Int(token.end))
            let single = n == token.end - token.start
            if single && (TextScanning.isCloser(v) || v == 0x2E || v == 0x21 || v == 0x3F) {
                j += 1
            } else if b[Int(token.start)] == 0x21 || b[Int(token.start)] == 0x3F {
                j += 1
            } else {
                break
            }
        }
        return j
    }

    /// Decides whether a sentence ends at or after token `i`; returns the last token
    /// examined (the sentence's last token when `boundary`).
    private func examine(_ b: UnsafeBufferPointer<UInt8>, _ t: UnsafeMutableBufferPointer<Token>, _ i: Int)
        -> (boundary: Bool, last: Int)
    {
        let token = t[i]
        let start = Int(token.start)
        let end = Int(token.end)
        let length = end - start
        let last = b[end - 1]
        let count = t.count
        // Quick exit: tokens that cannot end a sentence.
        if last != 0x2E && last != 0x21 && last != 0x3F && last != 0xA6 { return (false, i) }

        if last == 0x21 || last == 0x3F {
            // "!" "?" and runs of them.
            var allMarks = true
            for k in start..<end where b[k] != 0x21 && b[k] != 0x3F && b[k] != 0x2E { allMarks = false }
            guard allMarks else { return (false, i) }
            return decideStrong(b, t, i)
        }
        if last == 0xA6 {
            // "…" (possibly after "...")
            guard length >= 3, b[end - 2] == 0x80, b[end - 3] == 0xE2 else { return (false, i) }
            return decideEllipsis(b, t, i)
        }
        // Ends in "."
        if length == 1 {
            // A lone period: maybe part of a spaced ellipsis ". . .".
            var runEnd = i
            while runEnd + 1 < count && isByte(b, t[runEnd + 1], 0x2E)
                && onlySpacesBetween(b, Int(t[runEnd].end), Int(t[runEnd + 1].start))
            {
                runEnd += 1
            }
            let dots = runEnd - i + 1
            if dots >= 3 {
                let attached = i > 0 && touching(t, i)
                if dots == 3 { return (false, runEnd) }
                if dots == 4 && attached {
                    let j = extendOverClosers(b, t, runEnd)
                    if j + 1 < count && opensSentence(b, t, j + 1)
                        && !breaksParagraph(b, Int(t[j].end), Int(t[j + 1].start))
                    {
                        return (true, i)
                    }
                    return (false, j)
                }
                return decideStrong(b, t, runEnd)
            }
            return decideStrong(b, t, i)
        }
        // "...." and longer: strong; "..." an ellipsis.
        var dots = 0
        for k in start..<end where b[k] == 0x2E { dots += 1 }
        if dots == length {
            if dots >= 4 { return decideStrong(b, t, i) }
            if dots == 3 { return decideEllipsis(b, t, i) }
            return decideStrong(b, t, i)
        }
        if b[end - 2] == 0xA6 {
            return decideStrong(b, t, i)  // "…."
        }
        // An abbreviation that kept its period.
        return decideAbbreviation(b, t, i)
    }

    private func onlySpacesBetween(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        guard end > start else { return false }
        for k in start..<end where b[k] != 0x20 && b[k] != 0x09 { return false }
        return true
    }

    /// Extends `j` over footnote markers after a final mark: "... in Dulwich. [17]".
    private func extendOverFootnotes(_ b: UnsafeBufferPointer<UInt8>, _ t: UnsafeMutableBufferPointer<Token>, _ j: Int)
        -> Int
    {
        var j = j
        while j + 3 < t.count && isByte(b, t[j + 1], 0x5B) && isByte(b, t[j + 3], 0x5D)
            && touching(t, j + 2) && touching(t, j + 3)
        {
            let number = t[j + 2]
            var digits = true
            for k in Int(number.start)..<Int(number.end) where !TextScanning.isDigitByte(b[k]) { digits = false }
            guard digits && number.end - number.start <= 3 else { break }
            j += 3
        }
        return j
    }

    private func decideStrong(_ b: UnsafeBufferPointer<UInt8>, _ t: UnsafeMutableBufferPointer<Token>, _ i: Int)
        -> (boundary: Bool, last: Int)
    {
        let j = extendOverFootnotes(b, t, extendOverClosers(b, t, i))
        guard j + 1 < t.count else { return (true, j) }
        return (opensSentence(b, t, j + 1), j)
    }

    private func decideEllipsis(_ b: UnsafeBufferPointer<UInt8>, _ t: UnsafeMutableBufferPointer<Token>, _ i: Int)
        -> (boundary: Bool, last: Int)
    {
        // "[...]" marks an omission.
        if i > 0 && touching(t, i) && isByte(b, t[i - 1], 0x5B) { return (false, i) }
        let j = extendOverClosers(b, t, i)
        guard j + 1 < t.count else { return (true, j) }
        if touching(t, j + 1) { return (false, j) }
        let v = firstScalar(b, t[j + 1])
        return (TextScanning.isUpper(v) || TextScanning.isOpeningQuote(v) && opensSentence(b, t, j + 1), j)
    }

    private func decideAbbreviation(_ b: UnsafeBufferPointer<UInt8>, _ t: UnsafeMutableBufferPointer<Token>, _ i: Int)
        -> (boundary: Bool, last: Int)
    {
        let token = t[i]
        let start = Int(token.start)
        let wordEnd = Int(token.end) - 1
        let j = extendOverClosers(b, t, i)
        guard j + 1 < t.count else { return (true, j) }
        let next = t[j + 1]
        let kind = abbreviations.kind(b, start, wordEnd)
        if kind == .title || kind == .never { return (false, j) }
        if j > i { return (opensSentence(b, t, j + 1), j) }
        let nextFirst = firstScalar(b, next)
        let starter = abbreviations.isSentenceStarter(b, Int(next.start), Int(next.end))
        if TextScanning.isDigit(nextFirst) && (kind == .number || wordEnd - start == 1) { return (false, j) }
        if kind == .time {
            if TextScanning.isUpper(UInt32(b[start])) { return (TextScanning.isUpper(nextFirst), j) }
            return (starter, j)
        }
        if kind == .firm {
            let officer = abbreviations.isOfficerTitle(b, Int(next.start), Int(next.end))
            return (starter || TextScanning.isUpper(nextFirst) && !officer, j)
        }
        if wordEnd - start == 1 && TextScanning.isUpper(UInt32(b[start])) {
            // An initial: ends a sentence only as a word after a lower-case word ("you and I. Did").
            guard i > 0 else { return (false, j) }
            let previous = firstScalar(b, t[i - 1])
            return (TextScanning.isLower(previous) && starter, j)
        }
        return (starter, j)
    }
}
