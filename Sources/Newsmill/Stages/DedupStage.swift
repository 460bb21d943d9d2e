import Foundation

/// The `dedup` stage: drops every document whose text (or a metadata field, such as the
/// URL) repeats one met earlier in input order, as DataTrove's and Dolma's exact
/// deduplication do. Wire stories reach a news corpus many times over (each outlet that
/// runs one, each crawl that finds it again).
///
/// The first copy in input order is kept, whatever the number of workers: the worker
/// runs the stages before `dedup` on a whole batch, then batches pass a ``DedupGate`` one
/// at a time in input order, and only then run the stages after it. Keys are 64-bit hashes
/// (about one chance in 18 million of a false match among a million documents: the low
/// bit tells exact keys from near ones), kept in memory: 16 bytes a distinct document.
///
/// With `near: true`, a story rewritten a little (a dateline, a sentence, a correction) is
/// a duplicate too: MinHash over 5-word shingles of the folded text, 112 hashes cut into
/// 14 bands of 8 (as DataTrove's MinhashDedup): a document whose band matches a band of a
/// kept one is dropped. Two stories with 80% of their shingles in common match 92 times in
/// 100, with 50% 5 times in 100. 15 keys a kept document (240 bytes).
public struct DedupStage: Stage {
    public static let name = "dedup"
    public static let summary =
        "drop documents whose text (or a metadata field such as url) repeats an earlier one; the first copy is kept"
    public static let optionSpecs = [
        OptionSpec("by", default: "text", "text, or a metadata field (url, title, ...) whose value is the key"),
        OptionSpec(
            "fold", default: "true",
            "compare with ASCII letters lower-cased and runs of whitespace as one space (false: exact bytes)"),
        OptionSpec(
            "near", default: "false",
            "also drop near copies: most 5-word shingles in common (MinHash, 14 bands of 8; by: text only)"),
    ]

    /// `nil`: the text; else the metadata field.
    let field: String?
    let fold: Bool
    let near: Bool

    public init(options: StageOptions) throws(ConfigError) {
        let by = try options.string("by", default: "text")
        field = by == "text" ? nil : by
        fold = try options.bool("fold", default: true)
        near = try options.bool("near", default: false)
        if near && field != nil {
            throw .invalidOption(
                key: "near", value: "true", expected: "false with 'by: \(by)' (near copies are found in the text)",
                at: options.location(of: "near"))
        }
    }

    /// Never called by the engine's workers, which handle this stage at the gate; a
    /// document that reaches it any other way is kept.
    public func process(_ document: inout Document, in context: StageContext) throws -> Verdict { .keep }

    /// The document's keys: its exact key (low bit 0), then with `near` its band keys (low
    /// bit 1). None when it has no text or no such metadata string: such documents are
    /// never duplicates.
    func keys(of document: Document) -> [UInt64] {
        if let field {
            guard case .string(var value)? = document.metadata(field) else { return [] }
            return value.withUTF8 { Self.hash($0, fold: fold) }.map { [$0 & ~1] } ?? []
        }
        var text = document.text
        return text.withUTF8 { bytes in
            guard let exact = Self.hash(bytes, fold: fold) else { return [] }
            return near ? [exact & ~1] + Self.bandKeys(bytes) : [exact & ~1]
        }
    }

    static let shingleWords = 5
    static let bands = 14
    static let rows = 8

    /// Multipliers (odd) and addends of the 112 hash functions, from a fixed seed.
    private static let functions: [(UInt64, UInt64)] = {
        var generator = SeededGenerator(seed: 0x6e65_7773_6d69_6c6c)  // "newsmill"
        return (0..<(bands * rows)).map { _ in (generator.next() | 1, generator.next()) }
    }()

    /// The 14 band keys of the text's MinHash signature over shingles of 5 folded words
    /// (a text of fewer words is one shingle).
    static func bandKeys(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt64] {
        let count = bands * rows
        var minimums = [UInt64](repeating: .max, count: count)
        var window = [UInt64](repeating: 0, count: shingleWords)
        var words = 0
        func addShingle() {
            var s: UInt64 = 0
            let n = min(words, shingleWords)
            for k in 0..<n { s = FeatureHash.mix(s &* FeatureHash.prime ^ window[(words - n + k) % shingleWords]) }
            Self.functions.withUnsafeBufferPointer { f in
                minimums.withUnsafeMutableBufferPointer { m in
                    for i in 0..<count {
                        let v = s &* f[i].0 &+ f[i].1
                        if v < m[i] { m[i] = v }
                    }
                }
            }
        }
        var h = FeatureHash.offsetBasis
        var inWord = false
        for b in bytes {
            if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C || b == 0x0B {
                if inWord {
                    window[words % shingleWords] = h
                    words += 1
                    if words >= shingleWords { addShingle() }
                    h = FeatureHash.offsetBasis
                    inWord = false
                }
                continue
            }
            inWord = true
            h = FeatureHash.step(h, b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
        }
        if inWord {
            window[words % shingleWords] = h
            words += 1
            if words >= shingleWords { addShingle() }
        }
        if words > 0 && words < shingleWords { addShingle() }
        return (0..<bands).map { band in
            var key = FeatureHash.mix(UInt64(band) &+ 0x5bd1_e995)
            for r in 0..<rows { key = FeatureHash.mix(key ^ minimums[band * rows + r]) }
            return key | 1
        }
    }

    /// A 64-bit hash of `bytes` (folded: ASCII letters lower-cased, runs of whitespace one
    /// space, none at the ends), or nil when nothing is left.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, fold: Bool) -> UInt64? {
        var h = FeatureHash.offsetBasis
        var length = 0
        @inline(__always) func step(_ b: UInt8) {
            h = FeatureHash.step(h, b)
            length += 1
        }
        if fold {
            var space = false
            for b in bytes {
                if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C || b == 0x0B {
                    space = length > 0
                    continue
                }
                if space {
                    step(0x20)
                    space = false
                }
                step(b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
            }
        } else {
            for b in bytes { step(b) }
        }
        guard length > 0 else { return nil }
        // FNV-1a spreads poorly in its high bits; finish with a 64-bit mixer (and the length).
        return FeatureHash.mix(h ^ UInt64(length) &* 0x9e37_79b9_7f4a_7c15)
    }
}
