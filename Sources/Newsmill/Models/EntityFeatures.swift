/// Per-document working arrays of the recognizer, reused between documents by one
/// worker (see ``StageContext/scratch(_:make:)``), so tagging allocates nothing per token.
public final class EntityScratch {
    var word: [UInt64] = []
    var lower: [UInt64] = []
    var shape: [UInt64] = []
    var prefix: [UInt64] = []
    var suffix: [UInt64] = []
    var classes: [UInt32] = []
    var gazetteer: [UInt8] = []
    var cue: [UInt8] = []
    var pattern: [UInt8] = []
    var flags: [UInt8] = []
    var sentenceStart: [Int32] = []
    var sentenceEnd: [Int32] = []
    var tags: [UInt8] = []
    var patternSpans: [EntityTokenSpan] = []
    var spans: [EntityTokenSpan] = []
    var scores: [Float] = []
    var rows: [UInt32] = []
    var count = 0

    public init() {}

    static let sentenceInitial: UInt8 = 1
    static let headline: UInt8 = 2

    /// Fills the per-token arrays for `tokens` over the text `bytes`.
    func prepare(bytes p: UnsafeBufferPointer<UInt8>, tokens: UnsafeBufferPointer<Token>, gazetteer gaz: EntityGazetteer) {
        let n = tokens.count
        count = n
        if word.count < n {
            let c = max(n, word.count * 2)
            word = .init(repeating: 0, count: c); lower = word; shape = word; prefix = word; suffix = word
            classes = .init(repeating: 0, count: c)
            gazetteer = .init(repeating: 0, count: c); cue = gazetteer; pattern = gazetteer; flags = gazetteer
            tags = gazetteer
            sentenceStart = .init(repeating: 0, count: c); sentenceEnd = sentenceStart
        }
        patternSpans.removeAll(keepingCapacity: true)
        var sStart = 0
        for i in 0..<n {
            let t = tokens[i]
            let a = max(0, min(Int(t.start), p.count)), b = max(a, min(Int(t.end), p.count))
            if b == a {
                word[i] = 0x51; lower[i] = 0x51; shape[i] = 0x51; prefix[i] = 0x51; suffix[i] = 0x51
                classes[i] = 0
                flags[i] = 0
            } else {
                word[i] = EntityHash.bytes(p, a, b)
                let lh = EntityHash.lower(p, a, b)
                lower[i] = lh
                shape[i] = EntityFeatures.shapeHash(p, a, b)
                prefix[i] = EntityHash.lower(p, a, min(b, a + 3))
                suffix[i] = EntityHash.lower(p, max(a, b - 3), b)
                classes[i] = EntityTokenClass.of(p, a, b, lowerHash: lh).rawValue
                flags[i] = 0
            }
            let last = i == n - 1 || tokens[i + 1].sentence != t.sentence
            if last {
                finishSentence(p: p, tokens: tokens, start: sStart, end: i + 1, gazetteer: gaz)
                sStart = i + 1
            }
        }
    }

    private func finishSentence(p: UnsafeBufferPointer<UInt8>, tokens: UnsafeBufferPointer<Token>,
                                start: Int, end: Int, gazetteer gaz: EntityGazetteer)
    {
        var upper = 0, lowerCount = 0
        for i in start..<end {
            sentenceStart[i] = Int32(start)
            sentenceEnd[i] = Int32(end)
            pattern[i] = 0
            let t = tokens[i]
            var k = max(0, Int(t.start))
            let e = min(Int(t.end), p.count)
            while k < e {
                let c = p[k]
                if c &- 0x41 < 26 { upper += 1 } else if c &- 0x61 < 26 { lowerCount += 1 }
                k += 1
            }
        }
        // The first token that is not an opening quote or bracket counts as sentence-initial.
        var first = start
        while first < end - 1, let c = firstByte(p, tokens[first]), c == 0x22 || c == 0x27 || c == 0x28 || c == 0x60 || c == 0xE2 {
            first += 1
        }
        flags[first] |= EntityScratch.sentenceInitial
        if upper >= 4 && upper > 4 * lowerCount {
            for i in start..<end { flags[i] |= EntityScratch.headline }
        }
        let before = patternSpans.count
        classes.withUnsafeBufferPointer { c in
            EntityPatterns.match(c, from: start, to: end, into: &patternSpans)
        }
        for s in patternSpans[before...] {
            let length = Int(s.end - s.start)
            for k in Int(s.start)..<Int(s.end) {
                let position: UInt8 = length == 1 ? 3 : (k == Int(s.start) ? 0 : (k == Int(s.end) - 1 ? 2 : 1))
                pattern[k] = 1 + (s.label.rawValue - 1) * 4 + position
            }
        }
        lower.withUnsafeBufferPointer { lh in
            gazetteer.withUnsafeMutableBufferPointer { g in
                cue.withUnsafeMutableBufferPointer { c in
                    gaz.tag(lowerHashes: lh, from: start, to: end, tags: g, cues: c)
                }
            }
        }
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
    static let maxCount = 40

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
            let c: UInt8
            if b &- 0x41 < 26 { c = 0x58 } else if b &- 0x61 < 26 { c = 0x78 } else if b &- 0x30 < 10 { c = 0x64 }
            else if b >= 0xC0 { c = 0x75 } else if b >= 0x80 { continue } else { c = b }
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

    @inline(__always)
    static func row(_ template: UInt64, _ value: UInt64, _ mask: UInt32) -> UInt32 {
        UInt32(truncatingIfNeeded: EntityHash.mix(value &+ template &* 0xD6E8_FEB8_6659_FD93)) & mask
    }

    static let startWord: UInt64 = 0x5354_4152_5421
    static let endWord: UInt64 = 0x454E_4421

    /// Writes the feature rows of token `i` given the two previous tags; returns how many.
    @inline(__always)
    static func extract(_ s: EntityScratch, _ i: Int, prev: Int, prev2: Int, mask: UInt32,
                        into out: UnsafeMutablePointer<UInt32>) -> Int
    {
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
        return n
    }
}
