/// Feature extraction for the part-of-speech tagger, on UTF-8 bytes with no allocation.
///
/// Each token gets ``attributeCount`` 64-bit attribute hashes (exact form, normalized form,
/// prefixes, suffixes, shapes), computed once per sentence into a padded buffer (two
/// pseudo-tokens before and after). A feature is a template id mixed with one or two
/// attributes or previously predicted tags (``FeatureHash/feature(_:_:)``).
enum POSFeatures {
    /// Bumped whenever templates or hashing change; stored in model files and checked on load.
    static let version = 6
    /// Attributes per token.
    static let attributeCount = 15
    /// Features per token (upper bound of what ``extract`` writes).
    static let maxFeatures = 56
    /// Pseudo-tokens of padding on each side.
    static let padding = 2

    // Attribute slots.
    static let exact = 0
    static let norm = 1
    static let prefix1 = 2  // 2...5 = prefixes of 1...4 bytes
    static let suffix1 = 6  // 6...9 = suffixes of 1...4 bytes
    static let shape = 10
    static let shortShape = 11
    /// The word's ambiguity class: the set of classes it had in training (from the lexicon).
    static let ambiguity = 12
    /// The ambiguity class of the exact (cased) form.
    static let exactAmbiguity = 13
    /// The word's dictionary class: what general dictionaries (WordNet, a word list) say
    /// its lower-cased form can be (`newsmill train pos --lexical`), from the lexicon.
    static let lexical = 14

    /// The lexicon key of an exact form (distinct from the normalized form's key).
    @inline(__always)
    static func exactLexiconKey(_ exactHash: UInt64) -> UInt64 { (exactHash ^ 0x5bd1_e995_7c3a_9d21) | 1 }

    /// The lexicon key of a normalized form's dictionary class.
    @inline(__always)
    static func lexicalKey(_ normHash: UInt64) -> UInt64 { (normHash ^ 0x9e6c_63d0_676a_9a99) | 1 }

    /// The attribute of a dictionary class id (`UInt32.max` = in no dictionary).
    @inline(__always)
    static func lexicalHash(_ id: UInt32) -> UInt64 { FeatureHash.mix(UInt64(id) &+ 0x4c1d_7f3e_2b59_a6c8) }

    /// The ambiguity and dictionary attributes of a token whose other attributes are in `out`.
    @inline(__always)
    static func lookUp(lexicon: HashIndex.View, out: UnsafeMutablePointer<UInt64>) {
        out[ambiguity] = ambiguityHash(lexicon.find(out[norm]))
        out[exactAmbiguity] = ambiguityHash(lexicon.find(exactLexiconKey(out[exact])))
        out[lexical] = lexicalHash(lexicon.find(lexicalKey(out[norm])))
    }

    /// The attribute of an ambiguity class id (`UInt32.max` = not in the lexicon).
    @inline(__always)
    static func ambiguityHash(_ id: UInt32) -> UInt64 { FeatureHash.mix(UInt64(id) &+ 0x0a4b_1c2d_3e4f_5061) }

    static let startHash = FeatureHash.fnv1a(Array("-START-".utf8))
    static let endHash = FeatureHash.fnv1a(Array("-END-".utf8))

    /// The hash standing for a predicted class (`-1` and `-2` are the sentence-start tags).
    @inline(__always)
    static func tagHash(_ tag: Int) -> UInt64 { FeatureHash.mix(UInt64(bitPattern: Int64(tag &+ 1_000_003))) }

    /// Computes the attributes of `count` tokens (byte ranges `starts[i]..<ends[i]` of `text`)
    /// into `attributes`, which must hold `(count + 2 * padding) * attributeCount` values.
    static func prepare(
        text: UnsafeBufferPointer<UInt8>, starts: UnsafePointer<Int32>, ends: UnsafePointer<Int32>, count: Int,
        lexicon: HashIndex.View, attributes: UnsafeMutablePointer<UInt64>
    ) {
        for p in 0..<padding {
            fillPad(attributes + p * attributeCount, startHash &+ UInt64(p))
            fillPad(attributes + (count + padding + p) * attributeCount, endHash &+ UInt64(p))
        }
        for i in 0..<count {
            let start = Int(starts[i])
            let end = Int(ends[i])
            let out = attributes + (i + padding) * attributeCount
            computeToken(text: text, start: start, end: end, out: out)
            lookUp(lexicon: lexicon, out: out)
        }
    }

    static func fillPad(_ out: UnsafeMutablePointer<UInt64>, _ value: UInt64) {
        for k in 0..<attributeCount { out[k] = FeatureHash.mix(value &+ UInt64(k)) }
    }

    @inline(__always)
    private static func lower(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b }

    @inline(__always)
    private static func shapeByte(_ b: UInt8) -> UInt8 {
        if b >= 0x41 && b <= 0x5A { return UInt8(ascii: "X") }
        if b >= 0x61 && b <= 0x7A { return UInt8(ascii: "x") }
        if b >= 0x30 && b <= 0x39 { return UInt8(ascii: "d") }
        if b >= 0x80 { return UInt8(ascii: "u") }
        return b
    }

    static func computeToken(
        text: UnsafeBufferPointer<UInt8>, start: Int, end: Int, out: UnsafeMutablePointer<UInt64>
    ) {
        var hExact = FeatureHash.offsetBasis
        var hNorm = FeatureHash.offsetBasis
        var hShape = FeatureHash.offsetBasis
        var hShort = FeatureHash.offsetBasis
        var lastShape: UInt8 = 0
        var run = 0
        var prefix = FeatureHash.offsetBasis
        for j in start..<end {
            let b = text[j]
            hExact = FeatureHash.step(hExact, b)
            let l = lower(b)
            let n = (l >= 0x30 && l <= 0x39) ? UInt8(ascii: "0") : l
            hNorm = FeatureHash.step(hNorm, n)
            let k = j - start
            if k < 4 {
                prefix = FeatureHash.step(prefix, l)
                out[prefix1 + k] = prefix
            }
            let s = shapeByte(b)
            if s == lastShape {
                run += 1
            } else {
                run = 1
                lastShape = s
                hShort = FeatureHash.step(hShort, s)
            }
            if run <= 4 { hShape = FeatureHash.step(hShape, s) }
        }
        let length = end - start
        if length < 4 {
            for k in max(length, 0)..<4 { out[prefix1 + k] = prefix &+ 0x5151 }
        }
        out[Self.exact] = hExact
        out[Self.norm] = hNorm
        out[Self.shape] = hShape
        out[Self.shortShape] = hShort
        for k in 0..<4 {
            let n = min(k + 1, length)
            var h = FeatureHash.offsetBasis
            for j in (end - n)..<end { h = FeatureHash.step(h, lower(text[j])) }
            out[suffix1 + k] = n == k + 1 ? h : h &+ 0x5353
        }
    }

    /// Writes the feature hashes of token `i` (0-based in the sentence) given the two
    /// previous predicted classes (`-1`, `-2` at the sentence start); returns how many.
    @inline(__always)
    static func extract(
        attributes: UnsafePointer<UInt64>, index i: Int, previous p1: Int, beforePrevious p2: Int,
        into out: UnsafeMutablePointer<UInt64>
    ) -> Int {
        let a = attributes + (i + padding) * attributeCount
        let m1 = a - attributeCount
        let m2 = a - 2 * attributeCount
        let n1 = a + attributeCount
        let n2 = a + 2 * attributeCount
        let t1 = tagHash(p1)
        let t2 = tagHash(p2)
        var n = 0
        @inline(__always) func put(_ h: UInt64) {
            out[n] = h
            n += 1
        }
        put(FeatureHash.feature(1, 0))
        put(FeatureHash.feature(2, a[exact]))
        put(FeatureHash.feature(3, a[norm]))
        put(FeatureHash.feature(4, a[prefix1]))
        put(FeatureHash.feature(5, a[prefix1 + 1]))
        put(FeatureHash.feature(6, a[prefix1 + 2]))
        put(FeatureHash.feature(7, a[prefix1 + 3]))
        put(FeatureHash.feature(8, a[suffix1]))
        put(FeatureHash.feature(9, a[suffix1 + 1]))
        put(FeatureHash.feature(10, a[suffix1 + 2]))
        put(FeatureHash.feature(11, a[suffix1 + 3]))
        put(FeatureHash.feature(12, a[shape]))
        put(FeatureHash.feature(13, a[shortShape]))
        put(FeatureHash.feature(14, m1[norm]))
        put(FeatureHash.feature(15, m2[norm]))
        put(FeatureHash.feature(16, n1[norm]))
        put(FeatureHash.feature(17, n2[norm]))
        put(FeatureHash.feature(18, m1[suffix1 + 2]))
        put(FeatureHash.feature(19, n1[suffix1 + 2]))
        put(FeatureHash.feature(20, m1[shortShape]))
        put(FeatureHash.feature(21, n1[shortShape]))
        put(FeatureHash.feature(22, t1))
        put(FeatureHash.feature(23, t1, t2))
        put(FeatureHash.feature(24, t1, a[norm]))
        put(FeatureHash.feature(25, t1, a[suffix1 + 2]))
        put(FeatureHash.feature(26, a[norm], n1[norm]))
        put(FeatureHash.feature(27, m1[norm], a[norm]))
        put(FeatureHash.feature(28, t1, n1[norm]))
        put(FeatureHash.feature(29, a[shortShape], i == 0 ? 1 : 0))
        put(FeatureHash.feature(30, n1[suffix1 + 1]))
        put(FeatureHash.feature(31, m1[exact]))
        put(FeatureHash.feature(32, n1[exact]))
        put(FeatureHash.feature(33, t1, n1[suffix1 + 2]))
        put(FeatureHash.feature(34, m1[norm], n1[norm]))
        put(FeatureHash.feature(35, a[ambiguity]))
        put(FeatureHash.feature(36, n1[ambiguity]))
        put(FeatureHash.feature(37, n2[ambiguity]))
        put(FeatureHash.feature(38, t1, n1[ambiguity]))
        put(FeatureHash.feature(39, a[ambiguity], n1[ambiguity]))
        put(FeatureHash.feature(40, t1, a[ambiguity]))
        put(FeatureHash.feature(41, m1[ambiguity], a[ambiguity]))
        put(FeatureHash.feature(42, a[exactAmbiguity]))
        put(FeatureHash.feature(43, n1[exactAmbiguity]))
        put(FeatureHash.feature(44, t2, a[norm]))
        put(FeatureHash.feature(45, a[shortShape], m1[shortShape]))
        // Dictionary classes (template 47, the class with the word's shape, was tried and
        // dropped: it tagged sentence-initial "Revs" of results tables VBZ, like EWT's "Looks").
        put(FeatureHash.feature(46, a[lexical]))
        put(FeatureHash.feature(48, a[lexical], a[ambiguity]))
        put(FeatureHash.feature(49, n1[lexical]))
        put(FeatureHash.feature(50, m1[lexical]))
        return n
    }
}
