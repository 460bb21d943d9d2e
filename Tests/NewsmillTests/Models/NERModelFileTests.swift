import Testing
@testable import Newsmill

@Suite struct NERModelFileTests {
    static func smallModel() -> NERModel {
        let labels: [EntityLabel] = [.person, .gpe]
        let stride = 16
        var rng = SplitMix64(seed: 7)
        let weights = (0..<(1 << 8) * stride).map { _ in Float(Int(rng.next() % 2001) - 1000) / 100 }
        return NERModel(labels: labels, rowBits: 8, weights: weights,
                        gazetteer: EntityGazetteer(entries: [("New York", "GPE"), ("Inc", "@ORG_SUFFIX")]),
                        outside: EntityHashTable([(EntityHash.lower("the"), 1)]), info: "test model")
    }

    @Test func roundTripKeepsEverythingWithinQuantization() throws {
        let model = Self.smallModel()
        let bytes = model.serialized()
        #expect(Array(bytes[0..<8]) == Array("NEWSMNER".utf8))
        let loaded = try NERModel.load(bytes: bytes)
        #expect(loaded.labels == model.labels)
        #expect(loaded.info == "test model")
        #expect(loaded.rowBits == 8)
        #expect(loaded.gazetteer == model.gazetteer)
        #expect(loaded.outside == model.outside)
        #expect(loaded.weights.count == model.weights.count)
        // Int8 with a per-row scale: error at most half a step of the row's largest weight.
        var worst: Float = 0
        for r in 0..<(1 << 8) {
            let row = model.weights[r * 16..<(r + 1) * 16]
            let step = (row.map { abs($0) }.max() ?? 0) / 127
            for k in 0..<16 where step > 0 {
                worst = max(worst, abs(loaded.weights[r * 16 + k] - model.weights[r * 16 + k]) / step)
            }
        }
        #expect(worst <= 0.5001)
        // Serializing the loaded model again gives the same bytes.
        #expect(loaded.serialized() == bytes)
    }

    @Test func rejectsBadMagicVersionAndTruncation() {
        var bytes = Self.smallModel().serialized()
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
}
