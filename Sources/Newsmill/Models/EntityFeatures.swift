/// Per-token working storage of the recognizer, as raw pointers so the inner loops run
/// without bounds or exclusivity checks. Owned by ``EntityScratch``, which frees it.
struct EntityTokenBuffers {
    var capacity = 0
    var word: UnsafeMutablePointer<UInt64>
    var lower: UnsafeMutablePointer<UInt64>
    var shape: UnsafeMutablePointer<UInt64>
    var prefix: UnsafeMutablePointer<UInt64>
    var suffix: UnsafeMutablePointer<UInt64>
    var classes: UnsafeMutablePointer<UInt32>
    /// ASCII capital letters << 32 | ASCII lower-case letters of the token.
    var letters: UnsafeMutablePointer<UInt64>
    var sentenceStart: UnsafeMutablePointer<Int32>
    var sentenceEnd: UnsafeMutablePointer<Int32>
    /// Gazetteer BILOU tag id, cue bits, pattern BILOU tag id, flags, common-word flag, tag.
    var gazetteer: UnsafeMutablePointer<UInt8>
    var cue: UnsafeMutablePointer<UInt8>
    var pattern: UnsafeMutablePointer<UInt8>
    var flags: UnsafeMutablePointer<UInt8>
    var common: UnsafeMutablePointer<UInt8>
    var tags: UnsafeMutablePointer<UInt8>
    /// Prediction history: capitalized word hash -> 1 + label slot it last got (1 = O).
    var historyKeys: UnsafeMutablePointer<UInt64>
    var historyValues: UnsafeMutablePointer<UInt8>
    /// Slots in use for the current document, less one (a power of two, at most `historyCapacity`).
    var historyMask = 0
    var historyCapacity = 0

    init(capacity c: Int) {
        capacity = c
        word = .allocate(capacity: c); lower = .allocate(capacity: c); shape = .allocate(capacity: c)
        prefix = .allocate(capacity: c); suffix = .allocate(capacity: c)
        classes = .allocate(capacity: c)
        letters = .allocate(capacity: c)
        sentenceStart = .allocate(capacity: c); sentenceEnd = .allocate(capacity: c)
        gazetteer = .allocate(capacity: c); cue = .allocate(capacity: c); pattern = .allocate(capacity: c)
        flags = .allocate(capacity: c); common = .allocate(capacity: c); tags = .allocate(capacity: c)
        var h = 64
        while h < 2 * c { h <<= 1 }
        historyKeys = .allocate(capacity: h)
        historyValues = .allocate(capacity: h)
        historyMask = h - 1
        historyCapacity = h
    }

    func deallocate() {
        word.deallocate(); lower.deallocate(); shape.deallocate(); prefix.deallocate(); suffix.deallocate()
        classes.deallocate(); letters.deallocate(); sentenceStart.deallocate(); sentenceEnd.deallocate()
        gazetteer.deallocate(); cue.deallocate(); pattern.deallocate(); flags.deallocate(); common.deallocate()
        tags.deallocate(); historyKeys.deallocate(); historyValues.deallocate()
    }

    /// Forgets the prediction history and sizes it for a document of `tokens` tokens
    /// (at least twice as many slots), so a short document clears a short table.
    mutating func resetHistory(tokens: Int) {
        var h = 64
        while h < 2 * tokens { h <<= 1 }
        h = min(h, historyCapacity)
        historyMask = h - 1
        historyKeys.update(repeating: 0, count: h)
    }

    /// What the word of token `i` was last tagged in this document (0: never seen).
    @inline(__always)
    func history(_ i: Int) -> UInt8 {
        guard classes[i] & EntityTokenClass.capitalized.rawValue != 0 else { return 0 }
        let key = word[i] | 1
        var slot = Int(truncatingIfNeeded: key >> 9) & historyMask
        while true {
            let k = historyKeys[slot]
            if k == key { return historyValues[slot] }
            if k == 0 { return 0 }
            slot = (slot + 1) & historyMask
        }
    }

    /// Records the tag given to token `i` (capitalized words only).
    @inline(__always)
    func record(_ i: Int, tag: Int) {
        guard classes[i] & EntityTokenClass.capitalized.rawValue != 0 else { return }
        let key = word[i] | 1
        var slot = Int(truncatingIfNeeded: key >> 9) & historyMask
        while historyKeys[slot] != 0 && historyKeys[slot] != key { slot = (slot + 1) & historyMask }
        historyKeys[slot] = key
        historyValues[slot] = tag == 0 ? 1 : UInt8(2 + (tag - 1) >> 2)
    }
}

/// Per-document working memory of the recognizer, reused between documents by one
/// worker (see ``StageContext/scratch(_:make:)``), so tagging allocates nothing per token.
public final class EntityScratch {
    private(set) var buffers = EntityTokenBuffers(capacity: 256)
    var patternSpans: [EntityTokenSpan] = []
    var spans: [EntityTokenSpan] = []
    var count = 0
    /// One token's feature rows, their weight-row heads and its tag scores.
    let featureRows = UnsafeMutablePointer<UInt32>.allocate(capacity: EntityFeatures.maxCount)
    let featureHeads = UnsafeMutablePointer<UInt64>.allocate(capacity: EntityFeatures.maxCount)
    let scores = UnsafeMutablePointer<Float>.allocate(capacity: 256)

    public init() {}

    deinit {
        buffers.deallocate()
        featureRows.deallocate()
        featureHeads.deallocate()
        scores.deallocate()
    }

    static let sentenceInitial: UInt8 = 1
    static let headline: UInt8 = 2

    /// Tag ids of the last tagged document.
    var tags: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: buffers.tags, count: count) }

    /// Fills the per-token arrays for `tokens` over the text `bytes`.
    func prepare(
        bytes p: UnsafeBufferPointer<UInt8>, tokens: UnsafeBufferPointer<Token>, gazetteer gaz: EntityGazetteer,
        vocabulary: EntityHashTable? = nil
    ) {
        let n = tokens.count
        count = n
        if buffers.capacity < n {
            buffers.deallocate()
            buffers = EntityTokenBuffers(capacity: max(n, buffers.capacity * 2))
        }
        buffers.resetHistory(tokens: n)
        let b = buffers
        patternSpans.removeAll(keepingCapacity: true)
        var sStart = 0
        for i in 0..<n {
            let t = tokens[i]
            let lo = max(0, min(Int(t.start), p.count)), hi = max(lo, min(Int(t.end), p.count))
            b.flags[i] = 0
            b.pattern[i] = 0
            if hi == lo {
                b.word[i] = 0x51; b.lower[i] = 0x51; b.shape[i] = 0x51; b.prefix[i] = 0x51; b.suffix[i] = 0x51
                b.classes[i] = 0
                b.common[i] = 0
                b.letters[i] = 0
            } else {
                let h = EntityFeatures.tokenHashes(p, lo, hi)
                let lh = h.lower
                b.word[i] = h.word
                b.lower[i] = lh
                b.shape[i] = h.shape
                b.prefix[i] = h.prefix
                b.suffix[i] = h.suffix
                b.letters[i] = UInt64(h.upper) << 32 | UInt64(h.lowercase)
                let cls = EntityTokenClass.of(p, lo, hi, lowerHash: lh).rawValue
                b.classes[i] = cls
                let capitalized = cls & EntityTokenClass.capitalized.rawValue != 0
                b.common[i] = capitalized && (vocabulary.map { $0.value(for: lh) != 0 } ?? false) ? 1 : 0
            }
            // A sentence also ends at a line break (table rows, headlines, paragraphs).
            var last = i == n - 1 || tokens[i + 1].sentence != t.sentence
            if !last {
                var k = hi
                let next = max(hi, min(Int(tokens[i + 1].start), p.count))
                while k < next && p[k] != 0x0A { k += 1 }
                last = k < next
            }
            if last {
                finishSentence(p: p, tokens: tokens, start: sStart, end: i + 1, gazetteer: gaz)
                sStart = i + 1
            }
        }
    }

    private func finishSentence(
        p: UnsafeBufferPointer<UInt8>, tokens: UnsafeBufferPointer<Token>,
        start: Int, end: Int, gazetteer gaz: EntityGazetteer
    ) {
        let b = buffers
        var upper = 0, lowerCount = 0
        for i in start..<end {
            b.sentenceStart[i] = Int32(start)
            b.sentenceEnd[i] = Int32(end)
            upper += Int(b.letters[i] >> 32)
            lowerCount += Int(b.letters[i] & 0xFFFF_FFFF)
        }
        // The first token that is not an opening quote or bracket counts as sentence-initial.
        var first = start
        while first < end - 1, let c = firstByte(p, tokens[first]),
            c == 0x22 || c == 0x27 || c == 0x28 || c == 0x60 || c == 0xE2
        {
            first += 1
        }
        b.flags[first] |= EntityScratch.sentenceInitial
        if upper >= 4 && upper > 4 * lowerCount {
            for i in start..<end { b.flags[i] |= EntityScratch.headline }
        }
        let before = patternSpans.count
        EntityPatterns.match(
            UnsafeBufferPointer(start: b.classes, count: end), from: start, to: end, into: &patternSpans)
        for s in patternSpans[before...] {
            let length = Int(s.end - s.start)
            for k in Int(s.start)..<Int(s.end) {
                let position: UInt8 = length == 1 ? 3 : (k == Int(s.start) ? 0 : (k == Int(s.end) - 1 ? 2 : 1))
                b.pattern[k] = 1 + (s.label.rawValue - 1) * 4 + position
            }
        }
        gaz.tag(
            lowerHashes: UnsafeBufferPointer(start: b.lower, count: end), from: start, to: end,
            tags: UnsafeMutableBufferPointer(start: b.gazetteer, count: end),
            cues: UnsafeMutableBufferPointer(start: b.cue, count: end))
    }

    private func firstByte(_ p: UnsafeBufferPointer<UInt8>, _ t: Token) -> UInt8? {
        let a = Int(t.start)
        return a >= 0 && a < p.count && t.end > t.start ? p[a] : nil
    }
}

/// The recognizer's feature templates: each feature is a template id mixed with a
/// value hash, reduced to a row of the model's weight table.
enum EntityFeatures {
    /// Upper bound on the number of features of one token.
    static let maxCount = 48

    /// The shape character of a byte: `X` for an ASCII capital, `x` lower case, `d` a digit,
    /// `u` the first byte of any other scalar, nil for a continuation byte (skipped), else
    /// the byte itself. Shared by ``shapeHash(_:_:_:)`` and ``tokenHashes(_:_:_:)``.
    @inline(__always)
    static func shapeClass(_ b: UInt8) -> UInt8? {
        if b &- 0x41 < 26 { return 0x58 }
        if b &- 0x61 < 26 { return 0x78 }
        if b &- 0x30 < 10 { return 0x64 }
        if b >= 0xC0 { return 0x75 }
        if b >= 0x80 { return nil }
        return b
    }

    /// Word shape (`Xxxx`, `dd.d`, `X.X.`), runs capped at four, hashed.
    @inline(__always)
    static func shapeHash(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        var h = EntityHash.offset
        var last: UInt8 = 0
        var run = 0
        var i = start
        while i < end {
            let b = p[i]
            i += 1
            guard let c = shapeClass(b) else { continue }
            if c == last {
                run += 1
                if run >= 4 { continue }
            } else {
                last = c
                run = 0
            }
            h = (h ^ UInt64(c)) &* EntityHash.prime
        }
        return h
    }

    /// The word, lowercase, shape, 3-byte lowercase prefix and suffix hashes of the token
    /// `p[start..<end]` (not empty) in one pass over its bytes: the values of
    /// ``EntityHash/bytes(_:_:_:)``, ``EntityHash/lower(_:_:_:)`` and ``shapeHash(_:_:_:)``;
    /// and its numbers of ASCII capital and lower-case letters.
    @inline(__always)
    static func tokenHashes(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int)
        -> (word: UInt64, lower: UInt64, shape: UInt64, prefix: UInt64, suffix: UInt64, upper: Int, lowercase: Int)
    {
        var upper = 0, lowercase = 0
        var word = EntityHash.offset, lower = word, shape = word, prefix = word
        var last: UInt8 = 0
        var run = 0
        let prefixEnd = min(end, start + 3)
        var i = start
        while i < end {
            let b = p[i]
            i += 1
            word = (word ^ UInt64(b)) &* EntityHash.prime
            lower = (lower ^ UInt64(EntityHash.lowered(b))) &* EntityHash.prime
            if i == prefixEnd { prefix = lower }
            guard let c = shapeClass(b) else { continue }
            if c == 0x58 { upper += 1 } else if c == 0x78 { lowercase += 1 }
            if c == last {
                run += 1
                if run >= 4 { continue }
            } else {
                last = c
                run = 0
            }
            shape = (shape ^ UInt64(c)) &* EntityHash.prime
        }
        let suffix = end - start <= 3 ? lower : EntityHash.lower(p, end - 3, end)
        return (word, lower, shape, prefix, suffix, upper, lowercase)
    }

    @inline(__always)
    static func row(_ template: UInt64, _ value: UInt64, _ mask: UInt32) -> UInt32 {
        UInt32(truncatingIfNeeded: EntityHash.mix(value &+ template &* 0xD6E8_FEB8_6659_FD93)) & mask
    }

    static let startWord: UInt64 = 0x5354_4152_5421
    static let endWord: UInt64 = 0x454E_4421

    /// Writes the feature rows of token `i` given the two previous tags; returns how many.
    @inline(__always)
    static func extract(
        _ s: EntityTokenBuffers, _ i: Int, prev: Int, prev2: Int, mask: UInt32,
        into out: UnsafeMutablePointer<UInt32>
    ) -> Int {
        let ss = Int(s.sentenceStart[i]), se = Int(s.sentenceEnd[i])
        @inline(__always) func lw(_ k: Int) -> UInt64 { k < ss ? startWord : (k >= se ? endWord : s.lower[k]) }
        @inline(__always) func sh(_ k: Int) -> UInt64 { k < ss ? startWord : (k >= se ? endWord : s.shape[k]) }
        @inline(__always) func gz(_ k: Int) -> UInt64 { k < ss || k >= se ? 255 : UInt64(s.gazetteer[k]) }
        @inline(__always) func pt(_ k: Int) -> UInt64 { k < ss || k >= se ? 255 : UInt64(s.pattern[k]) }
        @inline(__always) func cu(_ k: Int) -> UInt64 { k < ss || k >= se ? 255 : UInt64(s.cue[k]) }
        let w0 = s.lower[i], wm1 = lw(i - 1), wp1 = lw(i + 1)
        let s0 = s.shape[i], sm1 = sh(i - 1), sp1 = sh(i + 1)
        let p1 = UInt64(prev), p2 = UInt64(prev2)
        let flags = UInt64(s.flags[i])
        var n = 0
        @inline(__always) func add(_ t: UInt64, _ v: UInt64) {
            out[n] = row(t, v, mask)
            n += 1
        }
        add(1, 0)
        add(2, s.word[i])
        add(3, w0)
        add(4, s0)
        add(5, s.prefix[i])
        add(6, s.suffix[i])
        add(7, wm1)
        add(8, wp1)
        add(9, lw(i - 2))
        add(10, lw(i + 2))
        add(11, sm1)
        add(12, sp1)
        add(13, p1)
        add(14, p2 << 8 | p1)
        add(15, EntityHash.extend(p1, w0))
        add(16, EntityHash.extend(wm1, w0))
        add(17, EntityHash.extend(w0, wp1))
        add(18, gz(i))
        add(19, gz(i - 1) << 8 | gz(i))
        add(20, gz(i + 1) << 8 | gz(i))
        add(21, pt(i))
        add(22, pt(i - 1) << 8 | pt(i))
        add(23, pt(i + 1) << 8 | pt(i))
        add(24, EntityHash.extend(flags, s0))
        add(25, EntityHash.extend(flags, w0))
        add(26, cu(i + 1) << 8 | cu(i))
        add(27, cu(i + 2) << 8 | cu(i + 1))
        add(28, cu(i - 1) << 8 | cu(i))
        add(29, EntityHash.extend(p1, s0))
        add(30, EntityHash.extend(EntityHash.extend(sm1, s0), sp1))
        add(31, EntityHash.extend(p1, wm1))
        add(32, EntityHash.extend(gz(i), s0))
        add(33, EntityHash.extend(s.suffix[i], p1))
        add(34, EntityHash.extend(pt(i), p1))
        add(35, EntityHash.extend(sp1, s0))
        let history = UInt64(s.history(i))
        add(36, history)
        add(37, UInt64(s.common[i]) << 8 | flags)
        add(38, EntityHash.extend(history, p1))
        return n
    }
}
