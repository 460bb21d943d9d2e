/// A trained named-entity model: an averaged perceptron over BILOU tags with hashed
/// features, a gazetteer and a tag dictionary of words that are never inside a name.
///
/// Weights are Int8 with one Float32 scale per hashed row, as the model file stores
/// them. In memory a row is either sparse (most rows: a perceptron row only learns the
/// tags its feature was right or wrong about, 5.6 of 73 on average, and 28% of the rows
/// are empty) or, when it has at least ``denseThreshold`` non-zero weights (the few
/// frequent features: they are most of the lookups), dense Float32. Either way its
/// lanes are split in two halves: the tags allowed outside an entity (O, then B and U
/// of each label) and the tags allowed inside one (I and L of each label). Outside an
/// entity only the first half is summed; inside one only the I and L of the open label.
/// The table takes about 4 MB instead of 42 MB of dense Float32 rows.
///
/// Scores are summed feature by feature as `Float(q) × scale` (precomputed for dense
/// rows): for every tag the same Float32 additions in the same order as over dense rows
/// dequantized from the same file, less additions of zero, so decoding gives bit-for-bit
/// the tags it gave with dense rows.
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
    /// Floats per score vector of the trainer's dense rows: `tagCount` rounded up to a multiple of 8.
    let stride: Int
    /// Lanes of the outside half of a row (O, B0, U0, B1, U1, ..., padded): 1 + 2 × 18 labels fit.
    static let closedLanes = 40
    /// Floats per dense row: the outside half, then the inside half (I0, L0, I1, L1, ..., padded).
    static let denseStride = 80
    /// The most labels a model can have.
    static let maxLabels = 18
    /// The most non-zero weights a model can have (entry and dense-row indexes are 21 bits).
    public static let maxWeights = 1 << 21
    /// One word per row. Sparse (bit 0 clear): `scale.bitPattern << 32 | start << 11 |
    /// insideCount << 6 | outsideCount << 1`, its entries `entries[start...]`, outside
    /// lanes first. Dense (bit 0 set): `scale.bitPattern << 32 | index << 11 | 1`, its
    /// Float32 weights `dense[index × denseStride...]`. An empty row is 0.
    let heads: [UInt64]
    /// Weights of the sparse rows: `lane | UInt16(bitPattern: q) << 8` with the signed
    /// byte `q`; the weight is `Float(q) × scale` of the row.
    let entries: [UInt16]
    /// The dense rows, dequantized.
    let dense: [Float]
    /// Number of non-zero weights.
    public let weightCount: Int
    /// Number of rows kept dense.
    public let denseRowCount: Int
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

    /// Rows with at least this many non-zero weights are kept dense (at most 31).
    public static let denseThreshold = 12

    /// A model over rows collected by a ``RowBuilder``.
    init(
        labels: [EntityLabel], rowBits: Int, rows: RowBuilder, gazetteer: EntityGazetteer,
        outside: EntityHashTable, vocabulary: EntityHashTable, info: String
    ) {
        self.labels = labels
        self.rowBits = rowBits
        self.tagCount = 1 + 4 * labels.count
        self.stride = (tagCount + 7) / 8 * 8
        precondition(labels.count <= NERModel.maxLabels, "too many labels")
        precondition(
            rows.heads.count == 1 << rowBits && rows.labelCount == labels.count, "weight table has the wrong size")
        self.heads = rows.heads
        // Never empty, so decoding always has base addresses (no head refers to the pads).
        self.entries = rows.entries.isEmpty ? [0] : rows.entries
        self.dense = rows.dense.isEmpty ? [Float](repeating: 0, count: NERModel.denseStride) : rows.dense
        self.weightCount = rows.weightCount
        self.denseRowCount = rows.dense.count / NERModel.denseStride
        self.gazetteer = gazetteer
        self.outside = outside
        self.vocabulary = vocabulary
        self.info = info
    }

    /// A model over dense Float32 rows (`weights[row × stride + tag]`, the trainer's
    /// layout), quantized row by row: scale = largest magnitude / 127, values rounded.
    convenience init(
        labels: [EntityLabel], rowBits: Int, weights: [Float], gazetteer: EntityGazetteer,
        outside: EntityHashTable, vocabulary: EntityHashTable = EntityHashTable([]), info: String,
        denseThreshold: Int = NERModel.denseThreshold
    ) throws(NERModelCapacityError) {
        let tagCount = 1 + 4 * labels.count
        let stride = (tagCount + 7) / 8 * 8
        precondition(weights.count == (1 << rowBits) * stride, "weight table has the wrong size")
        var builder = NERModel.RowBuilder(labelCount: labels.count, rows: 1 << rowBits, denseThreshold: denseThreshold)
        var q = [Int8](repeating: 0, count: tagCount)
        var nonZeroTotal = 0
        weights.withUnsafeBufferPointer { w in
            for r in 0..<(1 << rowBits) {
                var maxAbs: Float = 0
                for k in 0..<stride { maxAbs = max(maxAbs, abs(w[r * stride + k])) }
                let scale = maxAbs / 127
                var nonZero = 0
                for k in 0..<tagCount {
                    q[k] = scale == 0 ? 0 : Int8(max(-127, min(127, (w[r * stride + k] / scale).rounded())))
                    if q[k] != 0 { nonZero += 1 }
                }
                if scale != 0 { nonZeroTotal += nonZero }
                // Past the limit, stop building: the caller gets an error, not a model.
                guard nonZeroTotal < NERModel.maxWeights else { return }
                q.withUnsafeBufferPointer { builder.add(scale: scale, values: $0) }
            }
        }
        guard nonZeroTotal < NERModel.maxWeights else {
            throw NERModelCapacityError(rowBits: rowBits)
        }
        self.init(
            labels: labels, rowBits: rowBits, rows: builder, gazetteer: gazetteer,
            outside: outside, vocabulary: vocabulary, info: info)
    }

    /// Lays out quantized rows (a scale and one Int8 per tag) as ``heads``, ``entries``
    /// and ``dense``.
    struct RowBuilder {
        let labelCount: Int
        let denseThreshold: Int
        var heads: [UInt64] = []
        var entries: [UInt16] = []
        var dense: [Float] = []
        var weightCount = 0

        init(labelCount: Int, rows: Int, weights: Int = 0, denseThreshold: Int = NERModel.denseThreshold) {
            self.labelCount = labelCount
            self.denseThreshold = max(1, min(31, denseThreshold))
            heads.reserveCapacity(rows)
            entries.reserveCapacity(weights)
        }

        /// The half (inside: I or L) and lane of tag `tag`.
        @inline(__always)
        static func lane(ofTag tag: Int) -> (inside: Bool, lane: Int) {
            if tag == 0 { return (false, 0) }
            let slot = (tag - 1) >> 2
            switch (tag - 1) & 3 {
            case 0: return (false, 1 + 2 * slot)
            case 1: return (true, 2 * slot)
            case 2: return (true, 2 * slot + 1)
            default: return (false, 2 + 2 * slot)
            }
        }

        /// The tag of `lane` in the outside (`inside` false) or inside half.
        @inline(__always)
        static func tag(ofLane lane: Int, inside: Bool) -> Int {
            let slot = (lane - (inside ? 0 : 1)) >> 1
            if inside { return 1 + 4 * slot + 1 + (lane & 1) }
            if lane == 0 { return 0 }
            return 1 + 4 * slot + ((lane - 1) & 1 == 0 ? 0 : 3)
        }

        /// Appends the next row: `values[tag]` for every tag (length 1 + 4 × labels).
        mutating func add(scale: Float, values: UnsafeBufferPointer<Int8>) {
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, values.count)) { tags in
                var n = 0
                if scale != 0 {
                    for (tag, q) in values.enumerated() where q != 0 {
                        tags[n] = UInt8(truncatingIfNeeded: tag)
                        n += 1
                    }
                }
                add(scale: scale, count: n) {
                    Int(tags[$0])
                } q: {
                    values[Int(tags[$0])]
                }
            }
        }

        /// Appends the next row: its `count` non-zero weights, the `k`th of them `q(k)` for
        /// tag `tag(k)`, tags ascending.
        @inline(__always)
        mutating func add(scale: Float, count nonZero: Int, tag: (Int) -> Int, q: (Int) -> Int8) {
            guard nonZero > 0 && scale != 0 else { heads.append(0); return }
            weightCount += nonZero
            // Dense rows hold Float(q) × scale, from which q is recovered exactly only for
            // a normal scale.
            precondition(weightCount < NERModel.maxWeights, "too many non-zero weights")
            if nonZero >= denseThreshold && scale.isNormal {
                let index = dense.count / NERModel.denseStride
                dense.append(contentsOf: repeatElement(0, count: NERModel.denseStride))
                let base = index * NERModel.denseStride
                for k in 0..<nonZero {
                    let (inside, lane) = RowBuilder.lane(ofTag: tag(k))
                    dense[base + (inside ? NERModel.closedLanes : 0) + lane] = Float(q(k)) * scale
                }
                heads.append(UInt64(scale.bitPattern) << 32 | UInt64(index) << 11 | 1)
                return
            }
            // Tags ascending give lanes ascending within each half: outside lanes first.
            let start = entries.count
            for k in 0..<nonZero {
                let (inside, lane) = RowBuilder.lane(ofTag: tag(k))
                if !inside { entries.append(UInt16(lane) | UInt16(UInt8(bitPattern: q(k))) << 8) }
            }
            let outsideCount = entries.count - start
            for k in 0..<nonZero {
                let (inside, lane) = RowBuilder.lane(ofTag: tag(k))
                if inside { entries.append(UInt16(lane) | UInt16(UInt8(bitPattern: q(k))) << 8) }
            }
            let insideCount = entries.count - start - outsideCount
            heads.append(
                UInt64(scale.bitPattern) << 32 | UInt64(start) << 11 | UInt64(insideCount) << 6
                    | UInt64(outsideCount) << 1)
        }
    }

    var rowMask: UInt32 { UInt32((1 << rowBits) - 1) }

    /// Number of weight rows.
    var rowCount: Int { heads.count }
    /// Bytes the weight table takes in memory.
    public var weightBytes: Int { heads.count * 8 + entries.count * 2 + dense.count * 4 }

    /// The row's scale and its non-zero (tag, q) pairs, tags ascending (as the file stores them).
    func quantizedRow(_ row: Int) -> (scale: Float, values: [(tag: Int, q: Int8)]) {
        let head = heads[row]
        let scale = Float(bitPattern: UInt32(truncatingIfNeeded: head >> 32))
        var out: [(tag: Int, q: Int8)] = []
        if head & 1 != 0 {
            let base = (Int(truncatingIfNeeded: head >> 11) & 0x1F_FFFF) * NERModel.denseStride
            for tag in 0..<tagCount {
                let (inside, lane) = RowBuilder.lane(ofTag: tag)
                let w = dense[base + (inside ? NERModel.closedLanes : 0) + lane]
                if w != 0 { out.append((tag, Int8((w / scale).rounded()))) }
            }
            return (scale, out)
        }
        let start = Int(truncatingIfNeeded: head >> 11) & 0x1F_FFFF
        let outsideCount = Int(truncatingIfNeeded: head >> 1) & 31,
            insideCount = Int(truncatingIfNeeded: head >> 6) & 31
        for k in start..<start + outsideCount + insideCount {
            let lane = Int(entries[k] & 0xFF)
            out.append(
                (
                    RowBuilder.tag(ofLane: lane, inside: k >= start + outsideCount),
                    Int8(truncatingIfNeeded: entries[k] >> 8)
                ))
        }
        out.sort { $0.tag < $1.tag }
        return (scale, out)
    }

    /// The (dequantized) weight of `tag` in `row`.
    func weight(row: Int, tag: Int) -> Float {
        let (scale, values) = quantizedRow(row)
        for v in values where v.tag == tag { return Float(v.q) * scale }
        return 0
    }

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

    /// Adds dense Float32 rows (the trainer's layout) of `rows[0..<count]` into `scores`
    /// (length `stride`, overwritten).
    @inline(__always)
    static func accumulate(
        _ base: UnsafePointer<Float>, stride: Int, _ rows: UnsafePointer<UInt32>, _ count: Int,
        into scores: UnsafeMutablePointer<Float>
    ) {
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

    /// Read-only views of the weight arrays for one decoding pass.
    struct Tables {
        let heads: UnsafePointer<UInt64>
        let entries: UnsafePointer<UInt16>
        let dense: UnsafePointer<Float>
        let labelCount: Int

        /// The best tag after `prev` (the lowest id on ties) for the features whose rows
        /// are `rows[0..<count]`: the tag the plain arg-max over the allowed tags of the
        /// summed dense rows gives. `found` and `scores` are scratch space.
        @inline(__always)
        func best(
            _ rows: UnsafePointer<UInt32>, _ count: Int, after prev: Int, last: Bool,
            found: UnsafeMutablePointer<UInt64>, scores: UnsafeMutablePointer<Float>
        ) -> Int {
            // Load every head first, so the cache misses overlap.
            for f in 0..<count { found[f] = heads[Int(rows[f])] }
            if prev != 0 && (prev - 1) & 3 < 2 {
                // Inside an entity: only I and L of its label are allowed.
                let inside = prev - ((prev - 1) & 3) + 1
                if last { return inside + 1 }
                let (i, l) = insideScores(count, slot: (prev - 1) >> 2, found: found)
                return l > i ? inside + 1 : inside
            }
            // Outside: the first lane holding the largest score among O, the B (not at
            // a sentence's last token) and the U lanes; lanes are in tag order.
            let sums = outsideSums(count, found: found, scratch: scores)
            // Lanes not allowed get -inf added (sums are never -0, so + 0 changes nothing).
            let bias = last ? biasAtLast : biasLanes
            let x0 = sums.0 + bias.0, x1 = sums.1 + bias.1, x2 = sums.2 + bias.2, x3 = sums.3 + bias.3,
                x4 = sums.4 + bias.4
            let m8 = Tables.max(Tables.max(Tables.max(x0, x1), Tables.max(x2, x3)), x4)
            let m4 = Tables.max(m8.lowHalf, m8.highHalf)
            let top = Swift.max(Swift.max(m4[0], m4[1]), Swift.max(m4[2], m4[3]))
            // The first lane holding it (most often lane 0, O).
            let out = UnsafeMutableRawPointer(scores)
            out.storeBytes(of: x0, as: SIMD8<Float>.self)
            out.storeBytes(of: x1, toByteOffset: 32, as: SIMD8<Float>.self)
            out.storeBytes(of: x2, toByteOffset: 64, as: SIMD8<Float>.self)
            out.storeBytes(of: x3, toByteOffset: 96, as: SIMD8<Float>.self)
            out.storeBytes(of: x4, toByteOffset: 128, as: SIMD8<Float>.self)
            var lane = 0
            while lane < NERModel.closedLanes - 1 && scores[lane] < top { lane += 1 }
            return RowBuilder.tag(ofLane: lane, inside: false)
        }

        /// The lane-wise larger of `a` and `b` (no NaNs here). Concrete types: the
        /// generic SIMD comparisons are not vectorized.
        @inline(__always)
        static func max(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
            a.replacing(with: b, where: a .< b)
        }

        @inline(__always)
        static func max(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD4<Float> {
            a.replacing(with: b, where: a .< b)
        }

        typealias Lanes<T: SIMDScalar> = (SIMD8<T>, SIMD8<T>, SIMD8<T>, SIMD8<T>, SIMD8<T>)

        /// 0 on the outside lanes of the model's labels, -inf elsewhere; and the same for a
        /// sentence's last token, where B is not allowed.
        let biasLanes: Lanes<Float>
        let biasAtLast: Lanes<Float>

        init(heads: UnsafePointer<UInt64>, entries: UnsafePointer<UInt16>, dense: UnsafePointer<Float>, labelCount: Int)
        {
            self.heads = heads
            self.entries = entries
            self.dense = dense
            self.labelCount = labelCount
            let used = 1 + 2 * labelCount
            func bias(_ k: Int, atLast: Bool) -> SIMD8<Float> {
                var v = SIMD8<Float>(repeating: 0)
                for j in 0..<8 {
                    let lane = 8 * k + j
                    if lane >= used || (atLast && lane & 1 == 1) { v[j] = -.infinity }
                }
                return v
            }
            biasLanes = (
                bias(0, atLast: false), bias(1, atLast: false), bias(2, atLast: false), bias(3, atLast: false),
                bias(4, atLast: false)
            )
            biasAtLast = (
                bias(0, atLast: true), bias(1, atLast: true), bias(2, atLast: true), bias(3, atLast: true),
                bias(4, atLast: true)
            )
        }

        /// Writes the sums of ``outsideSums(_:found:scratch:)`` to `scores`.
        func outsideScores(_ count: Int, found: UnsafePointer<UInt64>, into scores: UnsafeMutablePointer<Float>) {
            let sums = outsideSums(count, found: found, scratch: scores)
            let out = UnsafeMutableRawPointer(scores)
            out.storeBytes(of: sums.0, as: SIMD8<Float>.self)
            out.storeBytes(of: sums.1, toByteOffset: 32, as: SIMD8<Float>.self)
            out.storeBytes(of: sums.2, toByteOffset: 64, as: SIMD8<Float>.self)
            out.storeBytes(of: sums.3, toByteOffset: 96, as: SIMD8<Float>.self)
            out.storeBytes(of: sums.4, toByteOffset: 128, as: SIMD8<Float>.self)
        }

        /// Sums the outside halves (``NERModel/closedLanes`` lanes) of the rows whose heads
        /// are `found[0..<count]`, feature by feature: dense rows in registers, which are
        /// written to `scratch` and read back around each sparse row's additions.
        @inline(__always)
        func outsideSums(_ count: Int, found: UnsafePointer<UInt64>, scratch scores: UnsafeMutablePointer<Float>)
            -> Lanes<Float>
        {
            let out = UnsafeMutableRawPointer(scores)
            var a0 = SIMD8<Float>(repeating: 0), a1 = a0, a2 = a0, a3 = a0, a4 = a0
            for f in 0..<count {
                let head = found[f]
                let index = Int(truncatingIfNeeded: head >> 11) & 0x1F_FFFF
                if head & 1 != 0 {
                    let w = UnsafeRawPointer(dense + index &* NERModel.denseStride)
                    a0 += w.loadUnaligned(as: SIMD8<Float>.self)
                    a1 += w.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
                    a2 += w.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
                    a3 += w.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self)
                    a4 += w.loadUnaligned(fromByteOffset: 128, as: SIMD8<Float>.self)
                } else if head & 0x3E != 0 {
                    out.storeBytes(of: a0, as: SIMD8<Float>.self)
                    out.storeBytes(of: a1, toByteOffset: 32, as: SIMD8<Float>.self)
                    out.storeBytes(of: a2, toByteOffset: 64, as: SIMD8<Float>.self)
                    out.storeBytes(of: a3, toByteOffset: 96, as: SIMD8<Float>.self)
                    out.storeBytes(of: a4, toByteOffset: 128, as: SIMD8<Float>.self)
                    let scale = Float(bitPattern: UInt32(truncatingIfNeeded: head >> 32))
                    var e = entries + index
                    let end = e + (Int(truncatingIfNeeded: head >> 1) & 31)
                    while e < end {
                        let v = e.pointee
                        scores[Int(v & 0xFF)] += Float(Int8(truncatingIfNeeded: v >> 8)) * scale
                        e += 1
                    }
                    a0 = out.loadUnaligned(as: SIMD8<Float>.self)
                    a1 = out.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
                    a2 = out.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
                    a3 = out.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self)
                    a4 = out.loadUnaligned(fromByteOffset: 128, as: SIMD8<Float>.self)
                }
            }
            return (a0, a1, a2, a3, a4)
        }

        /// The I and L scores of label slot `slot` over the rows whose heads are `found[0..<count]`.
        @inline(__always)
        func insideScores(_ count: Int, slot: Int, found: UnsafePointer<UInt64>) -> (Float, Float) {
            var i: Float = 0, l: Float = 0
            let laneI = 2 * slot
            for f in 0..<count {
                let head = found[f]
                let index = Int(truncatingIfNeeded: head >> 11) & 0x1F_FFFF
                if head & 1 != 0 {
                    let w = dense + index &* NERModel.denseStride + NERModel.closedLanes + laneI
                    i += w[0]
                    l += w[1]
                } else {
                    let scale = Float(bitPattern: UInt32(truncatingIfNeeded: head >> 32))
                    var e = entries + index + (Int(truncatingIfNeeded: head >> 1) & 31)
                    let end = e + (Int(truncatingIfNeeded: head >> 6) & 31)
                    while e < end {
                        let v = e.pointee
                        let lane = Int(v & 0xFF)
                        if lane == laneI {
                            i += Float(Int8(truncatingIfNeeded: v >> 8)) * scale
                        } else if lane == laneI + 1 {
                            l += Float(Int8(truncatingIfNeeded: v >> 8)) * scale
                        }
                        e += 1
                    }
                }
            }
            return (i, l)
        }
    }

    /// Runs `body` with read-only views of the weight tables.
    @inline(__always)
    func withTables(_ body: (Tables) -> Void) {
        heads.withUnsafeBufferPointer { h in
            entries.withUnsafeBufferPointer { e in
                dense.withUnsafeBufferPointer { d in
                    // None is empty (see init), so the base addresses exist.
                    guard let hp = h.baseAddress, let ep = e.baseAddress, let dp = d.baseAddress else { return }
                    body(
                        Tables(
                            heads: hp, entries: ep, dense: dp,
                            labelCount: labels.count))
                }
            }
        }
    }

    /// The best tag after `prev` for one token's feature rows (see ``Tables/best``).
    func best(_ rows: UnsafePointer<UInt32>, _ count: Int, after prev: Int, last: Bool) -> Int {
        let found = UnsafeMutablePointer<UInt64>.allocate(capacity: max(1, count))
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: NERModel.closedLanes)
        defer { found.deallocate(); scores.deallocate() }
        var tag = 0
        withTables { tag = $0.best(rows, count, after: prev, last: last, found: found, scores: scores) }
        return tag
    }

    /// Tags the prepared tokens of `scratch` greedily; leaves tag ids in `scratch.tags`.
    func decode(_ s: EntityScratch) {
        let mask = rowMask
        let b = s.buffers
        let count = s.count
        let capitalized = EntityTokenClass.capitalized.rawValue
        let rows = s.featureRows, found = s.featureHeads, scores = s.scores
        var prev = 0, prev2 = 0
        withTables { tables in
            for i in 0..<count {
                if Int(b.sentenceStart[i]) == i { prev = 0; prev2 = 0 }
                let last = Int(b.sentenceEnd[i]) == i + 1
                var best = 0
                let open = prev != 0 && (prev - 1) & 3 < 2
                if open || b.pattern[i] != 0 || b.gazetteer[i] != 0 || b.classes[i] & capitalized != 0
                    || outside.value(for: b.lower[i]) == 0
                {
                    let n = EntityFeatures.extract(b, i, prev: prev, prev2: prev2, mask: mask, into: rows)
                    best = tables.best(rows, n, after: prev, last: last, found: found, scores: scores)
                }
                b.tags[i] = UInt8(best)
                b.record(i, tag: best)
                prev2 = prev
                prev = best
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

/// A trained entity model with more non-zero weights than the model format holds
/// (``NERModel/maxWeights``).
public struct NERModelCapacityError: Error, Sendable, CustomStringConvertible {
    /// The size of the weight table that overflowed (`--row-bits`).
    public var rowBits: Int

    public var description: String {
        "the entity model has more than \(NERModel.maxWeights) non-zero weights (the most a model file holds) "
            + "with --row-bits \(rowBits); train with fewer --row-bits, fewer --epochs or less training data"
    }
}
