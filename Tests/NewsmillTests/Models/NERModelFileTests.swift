import Testing

@testable import Newsmill

@Suite struct NERModelFileTests {
    static let stride = 16
    static let rowBits = 8

    /// Dense rows as the trainer leaves them: mostly zeros, a few weights per row,
    /// some rows empty, one row with every tag set.
    static func denseWeights() -> [Float] {
        var rng = SplitMix64(seed: 7)
        var weights = [Float](repeating: 0, count: (1 << rowBits) * stride)
        for r in 0..<(1 << rowBits) {
            for _ in 0..<Int(rng.next() % 6) {
                let tag = Int(rng.next() % 9)
                weights[r * stride + tag] = Float(Int(rng.next() % 2001) - 1000) / 100
            }
        }
        for k in 0..<9 { weights[3 * stride + k] = Float(k) - 4.5 }
        return weights
    }

    /// The model of ``denseWeights()``; rows with at least `denseThreshold` weights are dense.
    static func smallModel(denseThreshold: Int = NERModel.denseThreshold) throws -> NERModel {
        try NERModel(
            labels: [.person, .gpe], rowBits: rowBits, weights: denseWeights(),
            gazetteer: EntityGazetteer(entries: [("New York", "GPE"), ("Inc", "@ORG_SUFFIX")]),
            outside: EntityHashTable([(EntityHash.lower("the"), 1)]), info: "test model",
            denseThreshold: denseThreshold)
    }

    /// The dequantized weights of `model` as dense rows.
    static func dense(_ model: NERModel) -> [Float] {
        var out = [Float](repeating: 0, count: model.rowCount * model.stride)
        for r in 0..<model.rowCount {
            for k in 0..<model.tagCount { out[r * model.stride + k] = model.weight(row: r, tag: k) }
        }
        return out
    }

    /// A version 1 file (dense Int8 rows) of the same model, as earlier builds wrote it.
    static func versionOneBytes(_ dense: [Float], labels: [EntityLabel]) -> [UInt8] {
        var body: [UInt8] = []
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { body.append(contentsOf: $0) } }
        u32(0)
        u32(UInt32(labels.count))
        for l in labels { body.append(l.rawValue) }
        u32(UInt32(rowBits))
        for r in 0..<(1 << rowBits) {
            var maxAbs: Float = 0
            for k in 0..<stride { maxAbs = max(maxAbs, abs(dense[r * stride + k])) }
            let scale = maxAbs / 127
            u32(scale.bitPattern)
            for k in 0..<stride {
                let q = scale == 0 ? 0 : (dense[r * stride + k] / scale).rounded()
                body.append(UInt8(bitPattern: Int8(max(-127, min(127, q)))))
            }
        }
        u32(0)  // gazetteer
        u32(0)  // outside words
        u32(0)  // vocabulary
        var out = Array("NEWSMNER".utf8)
        withUnsafeBytes(of: UInt32(1).littleEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(0)) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt64(body.count).littleEndian) { out.append(contentsOf: $0) }
        GzipCompressor(level: 1).compress(body, into: &out)
        return out
    }

    @Test(arguments: [NERModel.denseThreshold, 4])
    func quantizesEachRowWithinHalfAStep(denseThreshold: Int) throws {
        let weights = Self.denseWeights()
        let model = try Self.smallModel(denseThreshold: denseThreshold)
        #expect((model.denseRowCount > 0) == (denseThreshold == 4))
        #expect(model.weightCount > 0 && model.weightCount < weights.filter { $0 != 0 }.count + 1)
        var worst: Float = 0
        for r in 0..<(1 << Self.rowBits) {
            let row = weights[r * Self.stride..<(r + 1) * Self.stride]
            let step = (row.map { abs($0) }.max() ?? 0) / 127
            for k in 0..<9 {
                let w = model.weight(row: r, tag: k)
                if step == 0 {
                    #expect(w == 0)
                } else {
                    worst = max(worst, abs(w - weights[r * Self.stride + k]) / step)
                }
            }
        }
        #expect(worst <= 0.5001)
        #expect(abs(model.weight(row: 3, tag: 0) + 4.5) < 0.02)
    }

    @Test(arguments: [NERModel.denseThreshold, 4])
    func roundTripIsExact(denseThreshold: Int) throws {
        let model = try Self.smallModel(denseThreshold: denseThreshold)
        let bytes = model.serialized()
        #expect(Array(bytes[0..<8]) == Array("NEWSMNER".utf8))
        #expect(bytes[8] == 2)
        let loaded = try NERModel.load(bytes: bytes)
        #expect(loaded.labels == model.labels)
        #expect(loaded.info == "test model")
        #expect(loaded.rowBits == 8)
        #expect(loaded.gazetteer == model.gazetteer)
        #expect(loaded.outside == model.outside)
        #expect(Self.dense(loaded) == Self.dense(model))
        #expect(loaded.weightCount == model.weightCount)
        #expect(loaded.serialized() == bytes)
    }

    @Test func readsVersionOneFilesToTheSameWeights() throws {
        let model = try Self.smallModel()
        let old = try NERModel.load(bytes: Self.versionOneBytes(Self.denseWeights(), labels: model.labels))
        #expect(old.heads == model.heads)
        #expect(old.entries == model.entries)
        #expect(old.dense == model.dense)
    }

    /// Sparse and dense rows add the same Float32 values in the same order as dense rows
    /// of all the dequantized weights: every allowed tag's score is bit-for-bit equal, and
    /// the best tag is the plain arg-max over the allowed tags (lowest id on ties).
    @Test(arguments: [NERModel.denseThreshold, 4])
    func scoresEqualDenseScores(denseThreshold: Int) throws {
        let model = try Self.smallModel(denseThreshold: denseThreshold)
        let dense = Self.dense(model)
        var rng = SplitMix64(seed: 11)
        var rows = [UInt32](repeating: 0, count: 40)
        var expected = [Float](repeating: .nan, count: model.stride)
        var lanes = [Float](repeating: .nan, count: NERModel.closedLanes)
        var found = [UInt64](repeating: 0, count: 40)
        for trial in 0..<300 {
            let n = trial % 40
            for f in 0..<n { rows[f] = UInt32(rng.next() % 8 == 0 ? 3 : rng.next() % 256) }
            rows.withUnsafeBufferPointer { r in
                dense.withUnsafeBufferPointer { d in
                    expected.withUnsafeMutableBufferPointer { e in
                        NERModel.accumulate(
                            d.baseAddress!, stride: model.stride, r.baseAddress!, n, into: e.baseAddress!)
                    }
                }
                model.withTables { t in
                    for f in 0..<n { found[f] = t.heads[Int(r[f])] }
                    found.withUnsafeBufferPointer { fb in
                        lanes.withUnsafeMutableBufferPointer {
                            t.outsideScores(n, found: fb.baseAddress!, into: $0.baseAddress!)
                        }
                        for slot in 0..<model.labels.count {
                            let (i, l) = t.insideScores(n, slot: slot, found: fb.baseAddress!)
                            #expect(
                                i.bitPattern == expected[2 + 4 * slot].bitPattern
                                    && l.bitPattern == expected[3 + 4 * slot].bitPattern)
                        }
                    }
                }
            }
            for tag in 0..<model.tagCount {
                let (inside, lane) = NERModel.RowBuilder.lane(ofTag: tag)
                if !inside { #expect(lanes[lane].bitPattern == expected[tag].bitPattern, "trial \(trial) tag \(tag)") }
            }
            for prev in 0..<model.tagCount {
                for last in [false, true] {
                    var want = 0
                    var bestScore = -Float.infinity
                    for t in 0..<model.tagCount
                    where NERModel.allowed(t, after: prev, last: last) && expected[t] > bestScore {
                        bestScore = expected[t]
                        want = t
                    }
                    let got = rows.withUnsafeBufferPointer { model.best($0.baseAddress!, n, after: prev, last: last) }
                    #expect(got == want, "trial \(trial) prev \(prev) last \(last)")
                }
            }
        }
    }

    @Test func laneMappingRoundTrips() {
        var seen = Set<Int>()
        for tag in 0..<(1 + 4 * NERModel.maxLabels) {
            let (inside, lane) = NERModel.RowBuilder.lane(ofTag: tag)
            #expect(lane < (inside ? NERModel.denseStride - NERModel.closedLanes : NERModel.closedLanes))
            #expect(NERModel.RowBuilder.tag(ofLane: lane, inside: inside) == tag)
            seen.insert(inside ? 100 + lane : lane)
        }
        #expect(seen.count == 1 + 4 * NERModel.maxLabels)
    }

    @Test func rejectsBadMagicVersionAndTruncation() throws {
        var bytes = try Self.smallModel().serialized()
        #expect(throws: ModelFileError.self) { try NERModel.load(bytes: Array("not a model at all, no.".utf8)) }
        #expect(throws: ModelFileError.self) { try NERModel.load(bytes: Array(bytes.prefix(bytes.count - 10))) }
        bytes[8] = 99  // version
        do {
            _ = try NERModel.load(bytes: bytes, path: "m.nmm")
            Issue.record("a wrong version loaded")
        } catch {
            #expect(error.description.hasPrefix("m.nmm: model format version 99"))
        }
    }

    /// A trained table with more non-zero weights than a model file holds is an error that
    /// says what to change, not a crash.
    @Test func tooManyWeightsIsAnErrorNotACrash() throws {
        let rowBits = 18
        let tagCount = 1 + 4 * 2
        let stride = (tagCount + 7) / 8 * 8
        #expect((1 << rowBits) * tagCount > NERModel.maxWeights)
        let weights = [Float](repeating: 0.5, count: (1 << rowBits) * stride)
        #expect(throws: NERModelCapacityError.self) {
            try NERModel(
                labels: [.person, .gpe], rowBits: rowBits, weights: weights,
                gazetteer: EntityGazetteer(entries: []), outside: EntityHashTable([]), info: "too big")
        }
        let message = NERModelCapacityError(rowBits: rowBits).description
        #expect(message.contains("--row-bits 18"))
    }
}
