/// A trained named-entity model: an averaged perceptron over BILOU tags with hashed
/// features, a gazetteer and a tag dictionary of words that are never inside a name.
///
/// Immutable once built, so one instance is shared by every worker of a pipeline.
/// Tag ids: 0 is O; for label slot `s` (index into ``labels``), B = 1+4s, I = 2+4s,
/// L = 3+4s, U = 4+4s.
public final class NERModel: Sendable {
    /// The labels the model predicts, in slot order.
    public let labels: [EntityLabel]
    /// log2 of the number of weight rows.
    let rowBits: Int
    /// Number of tags (1 + 4 × labels).
    let tagCount: Int
    /// Floats per row: `tagCount` rounded up to a multiple of 8.
    let stride: Int
    /// `rows × stride` weights.
    let weights: [Float]
    let gazetteer: EntityGazetteer
    /// Lowercase hashes of frequent words that (almost) never start an entity in training:
    /// tagged O without scoring when lower-case, outside an entity and not covered by a
    /// pattern or gazetteer entry.
    let outside: EntityHashTable
    /// Lowercase hashes of words seen in lower case in training (capitalized, they are
    /// likely sentence-initial common words).
    let vocabulary: EntityHashTable
    /// Free-form provenance written by the trainer.
    public let info: String

    init(labels: [EntityLabel], rowBits: Int, weights: [Float], gazetteer: EntityGazetteer,
         outside: EntityHashTable, vocabulary: EntityHashTable = EntityHashTable([]), info: String)
    {
        self.labels = labels
        self.rowBits = rowBits
        self.tagCount = 1 + 4 * labels.count
        self.stride = (tagCount + 7) / 8 * 8
        precondition(weights.count == (1 << rowBits) * stride, "weight table has the wrong size")
        self.weights = weights
        self.gazetteer = gazetteer
        self.outside = outside
        self.vocabulary = vocabulary
        self.info = info
    }

    var rowMask: UInt32 { UInt32((1 << rowBits) - 1) }

    /// Whether tag `tag` may follow tag `prev` (0 at a sentence start), and may stand at
    /// a sentence's last token when `last`.
    @inline(__always)
    static func allowed(_ tag: Int, after prev: Int, last: Bool) -> Bool {
        let open = prev != 0 && (prev - 1) & 3 < 2  // prev is B or I
        if tag == 0 { return !open }
        let position = (tag - 1) & 3
        if open {
            let sameSlot = (tag - 1) >> 2 == (prev - 1) >> 2
            return sameSlot && (position == 2 || (position == 1 && !last))
        }
        return position == 3 || (position == 0 && !last)
    }

    /// Adds the rows of `features` into `scores` (length `stride`).
    @inline(__always)
    func score(_ rows: UnsafePointer<UInt32>, _ count: Int, into scores: UnsafeMutablePointer<Float>) {
        weights.withUnsafeBufferPointer { w in
            guard let base = w.baseAddress else { return }
            NERModel.accumulate(base, stride: stride, rows, count, into: scores)
        }
    }

    @inline(__always)
    static func accumulate(_ base: UnsafePointer<Float>, stride: Int, _ rows: UnsafePointer<UInt32>, _ count: Int,
                           into scores: UnsafeMutablePointer<Float>)
    {
        let raw = UnsafeMutableRawPointer(scores)
        var k = 0
        while k < stride {
            var acc = SIMD8<Float>(repeating: 0)
            for f in 0..<count {
                let p = UnsafeRawPointer(base + Int(rows[f]) * stride + k)
                acc += p.loadUnaligned(as: SIMD8<Float>.self)
            }
            raw.storeBytes(of: acc, toByteOffset: k * 4, as: SIMD8<Float>.self)
            k += 8
        }
    }

    /// Tags the prepared tokens of `scratch` greedily; leaves tag ids in `scratch.tags`.
    func decode(_ s: EntityScratch) {
        if s.scores.count < stride { s.scores = .init(repeating: 0, count: stride) }
        if s.rows.count < EntityFeatures.maxCount { s.rows = .init(repeating: 0, count: EntityFeatures.maxCount) }
        let mask = rowMask
        let b = s.buffers
        let count = s.count
        let tagCount = self.tagCount, stride = self.stride
        let capitalized = EntityTokenClass.capitalized.rawValue
        var prev = 0, prev2 = 0
        weights.withUnsafeBufferPointer { w in
            s.rows.withUnsafeMutableBufferPointer { rowBuf in
                s.scores.withUnsafeMutableBufferPointer { scoreBuf in
                    guard let base = w.baseAddress, let rows = rowBuf.baseAddress, let scores = scoreBuf.baseAddress else { return }
                    for i in 0..<count {
                        if Int(b.sentenceStart[i]) == i { prev = 0; prev2 = 0 }
                        let last = Int(b.sentenceEnd[i]) == i + 1
                        var best = 0
                        let open = prev != 0 && (prev - 1) & 3 < 2
                        if open || b.pattern[i] != 0 || b.gazetteer[i] != 0 || b.classes[i] & capitalized != 0
                            || outside.value(for: b.lower[i]) == 0
                        {
                            let n = EntityFeatures.extract(b, i, prev: prev, prev2: prev2, mask: mask, into: rows)
                            NERModel.accumulate(base, stride: stride, rows, n, into: scores)
                            var bestScore = -Float.infinity
                            for t in 0..<tagCount where NERModel.allowed(t, after: prev, last: last) {
                                if scores[t] > bestScore { bestScore = scores[t]; best = t }
                            }
                        }
                        b.tags[i] = UInt8(best)
                        b.record(i, tag: best)
                        prev2 = prev
                        prev = best
                    }
                }
            }
        }
    }

    /// Turns the tags in `scratch.tags` into token spans (appended to `scratch.spans`).
    func spans(from s: EntityScratch) {
        s.spans.removeAll(keepingCapacity: true)
        var open = -1
        let tags = s.buffers.tags
        for i in 0..<s.count {
            let t = Int(tags[i])
            if t == 0 { open = -1; continue }
            let position = (t - 1) & 3
            let label = labels[(t - 1) >> 2]
            switch position {
            case 0: open = i
            case 2:
                if open >= 0 { s.spans.append(EntityTokenSpan(start: Int32(open), end: Int32(i + 1), label: label)) }
                open = -1
            case 3:
                s.spans.append(EntityTokenSpan(start: Int32(i), end: Int32(i + 1), label: label))
                open = -1
            default: break
            }
        }
    }
}
