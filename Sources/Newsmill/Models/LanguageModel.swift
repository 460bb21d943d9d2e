#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A language identifier: multinomial naive Bayes over hashed character n-grams (1 to 4
/// letters, words padded with spaces, ASCII, Latin-1, Greek and Cyrillic capitals folded,
/// digits and punctuation as word breaks), as in Cavnar and Trenkle's and langid.py's
/// families of models. Trained by ``LanguageTrainer`` from one file of sentences per
/// language; stored as one quantized log-probability a language per hash bucket.
public final class LanguageModel: Sendable {
    /// The shipped model's file name.
    public static let fileName = "langid.nmm"
    /// Hash buckets (a power of two).
    static let bucketBits = 16
    static let buckets = 1 << bucketBits
    /// Longest n-gram.
    static let maxN = 4
    /// Code points read from a text (its start): enough to tell languages apart.
    public static let maxScalars = 1000

    /// ISO 639-1 codes, in model order.
    public let languages: [String]
    /// `weights[bucket * languages.count + l]`: log P(bucket | language l), quantized:
    /// `minLog + weight * step` nats.
    let weights: [UInt8]
    let step: Float

    init(languages: [String], weights: [UInt8], step: Float) {
        self.languages = languages
        self.weights = weights
        self.step = step
    }

    /// The most likely language of `text` and its posterior probability (0-1), or nil when
    /// the text has no letters.
    public func identify(_ text: String) -> (language: String, score: Double)? {
        var copy = text
        return copy.withUTF8 { identify(utf8: $0) }
    }

    /// ``identify(_:)`` over UTF-8 bytes. The languages of `favoured` (indexes into
    /// ``languages``) get `bias` nats a feature added to their log-likelihood: a prior
    /// for the languages a corpus is expected to be in, so that odd texts in them (results
    /// tables, lists of abbreviations) are not taken for a neighbouring language.
    public func identify(
        utf8: UnsafeBufferPointer<UInt8>, favoured: [Int] = [], bias: Double = 0
    ) -> (language: String, score: Double)? {
        let count = languages.count
        var sums = [Int32](repeating: 0, count: count)
        var features = 0
        weights.withUnsafeBufferPointer { w in
            sums.withUnsafeMutableBufferPointer { sums in
                LanguageModel.forEachFeature(utf8) { bucket in
                    features += 1
                    let row = bucket * count
                    for l in 0..<count { sums[l] &+= Int32(w[row + l]) }
                }
            }
        }
        guard features > 0 else { return nil }
        if bias > 0 {
            let bonus = Int32(clamping: Int((bias / Double(step) * Double(features)).rounded()))
            for l in favoured where l >= 0 && l < count { sums[l] &+= bonus }
        }
        var best = 0
        for l in 1..<count where sums[l] > sums[best] { best = l }
        // Posterior: softmax of the log-likelihoods.
        var total = 0.0
        for l in 0..<count { total += exp(Double(step) * Double(sums[l] - sums[best])) }
        return (languages[best], 1 / total)
    }

    /// The lower-cased letter a code point stands for, or 0x20 for a word break.
    @inline(__always)
    static func fold(_ c: UInt32) -> UInt32 {
        switch c {
        case 0x41...0x5A: return c | 0x20
        case 0x61...0x7A: return c
        case 0...0x7F: return 0x20
        case 0xC0...0xDE where c != 0xD7: return c + 0x20
        case 0x391...0x3A9: return c + 0x20
        case 0x410...0x42F: return c + 0x20
        case 0x400...0x40F: return c + 0x50
        case 0x80...0xBF, 0x2000...0x206F, 0x3000...0x303F, 0xFF00...0xFF0F: return 0x20  // punctuation, spaces
        default: return c
        }
    }

    /// Calls `body` with the bucket of every n-gram (n = 1...4) of the first
    /// ``maxScalars`` code points of `utf8`.
    static func forEachFeature(_ utf8: UnsafeBufferPointer<UInt8>, _ body: (Int) -> Void) {
        var window: (UInt32, UInt32, UInt32, UInt32) = (0x20, 0x20, 0x20, 0x20)  // newest first
        var previous: UInt32 = 0x20
        var scalars = 0
        var i = 0
        let n = utf8.count
        func emit(_ c: UInt32) {
            window = (c, window.0, window.1, window.2)
            // n-grams ending here: c; w1 c; w2 w1 c; w3 w2 w1 c (not all spaces).
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for k in 0..<maxN {
                let part =
                    switch k {
                    case 0: window.0
                    case 1: window.1
                    case 2: window.2
                    default: window.3
                    }
                h = (h ^ UInt64(part)) &* 0x100_0000_01b3
                if k == 0 && part == 0x20 { return }  // a gram ending in a space is counted once, as w..' '
                let mixed = (h ^ UInt64(k + 1)) &* 0x9e37_79b9_7f4a_7c15
                body(Int(truncatingIfNeeded: mixed >> 40) & (buckets - 1))
                if k > 0 && part == 0x20 { return }  // a gram starts at most at a word break
            }
        }
        while i < n && scalars < maxScalars {
            let b = utf8[i]
            var c: UInt32
            var length = 1
            if b < 0x80 {
                c = UInt32(b)
            } else if b >= 0xC0 && b < 0xE0 && i + 1 < n {
                c = UInt32(b & 0x1F) << 6 | UInt32(utf8[i + 1] & 0x3F)
                length = 2
            } else if b >= 0xE0 && b < 0xF0 && i + 2 < n {
                c = UInt32(b & 0x0F) << 12 | UInt32(utf8[i + 1] & 0x3F) << 6 | UInt32(utf8[i + 2] & 0x3F)
                length = 3
            } else if b >= 0xF0 && i + 3 < n {
                c =
                    UInt32(b & 0x07) << 18 | UInt32(utf8[i + 1] & 0x3F) << 12 | UInt32(utf8[i + 2] & 0x3F) << 6
                    | UInt32(utf8[i + 3] & 0x3F)
                length = 4
            } else {
                c = 0x20
            }
            i += length
            scalars += 1
            let f = fold(c)
            if f == 0x20 && previous == 0x20 { continue }
            emit(f)
            previous = f
        }
        if previous != 0x20 { emit(0x20) }
    }

    // MARK: File

    static let sectionLanguages = "LANG"
    static let sectionWeights = "WGHT"

    /// Loads a model written by ``write(to:)``.
    public static func load(path: String) throws(ModelFormatError) -> LanguageModel {
        let file = try ModelFile.load(path: path)
        guard file.kind == .language else { throw .wrongKind(path: path, expected: "language identifier") }
        var r = ByteReader(try file.section(sectionLanguages, path: path), path: path)
        let count = Int(try r.u32())
        guard count >= 2, count <= 255 else { throw .corrupt(path: path, detail: "\(count) languages") }
        var languages: [String] = []
        for _ in 0..<count { languages.append(try r.string()) }
        let step = try r.f32()
        let weights = try file.section(sectionWeights, path: path)
        guard weights.count == buckets * count, step > 0 else {
            throw .corrupt(path: path, detail: "weight table of \(weights.count) bytes for \(count) languages")
        }
        return LanguageModel(languages: languages, weights: weights, step: step)
    }

    /// Writes the model.
    public func write(to path: String) throws(ModelFormatError) {
        var file = ModelFile(kind: .language)
        var w = ByteWriter()
        w.u32(UInt32(languages.count))
        for l in languages { w.string(l) }
        w.f32(step)
        file.sections.append((LanguageModel.sectionLanguages, w.bytes))
        file.sections.append((LanguageModel.sectionWeights, weights))
        try file.write(to: path)
    }
}

/// Trains a ``LanguageModel`` from sentences per language.
public enum LanguageTrainer {
    /// Sentences of one language.
    public struct Sample: Sendable {
        public var language: String
        public var sentences: [String]
        public init(language: String, sentences: [String]) {
            self.language = language
            self.sentences = sentences
        }
    }

    /// Naive Bayes with add-`alpha` smoothing; deterministic (languages sorted by code).
    public static func train(_ samples: [Sample], alpha: Double = 0.5) -> LanguageModel {
        let sorted = samples.sorted { $0.language < $1.language }
        let count = sorted.count
        let buckets = LanguageModel.buckets
        var logs = [Double](repeating: 0, count: buckets * count)
        for (l, sample) in sorted.enumerated() {
            var counts = [Double](repeating: 0, count: buckets)
            var total = 0.0
            for sentence in sample.sentences {
                var s = sentence
                s.withUTF8 { utf8 in
                    LanguageModel.forEachFeature(utf8) { bucket in
                        counts[bucket] += 1
                        total += 1
                    }
                }
            }
            let denominator = log(total + alpha * Double(buckets))
            for b in 0..<buckets { logs[b * count + l] = log(counts[b] + alpha) - denominator }
        }
        let minLog = logs.min() ?? 0
        let maxLog = logs.max() ?? 0
        let step = max((maxLog - minLog) / 255, 1e-6)
        let weights = logs.map { UInt8(max(0, min(255, (($0 - minLog) / step).rounded()))) }
        return LanguageModel(languages: sorted.map(\.language), weights: weights, step: Float(step))
    }
}
