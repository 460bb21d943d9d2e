import Testing

@testable import Newsmill

@Suite struct HashIndexTests {
    @Test func insertsFindsAndGrows() {
        var index = HashIndex(capacity: 2)
        for k in 1...5000 as ClosedRange<UInt64> { index.insert(FeatureHash.mix(k) | 1, UInt32(k)) }
        #expect(index.count == 5000)
        for k in 1...5000 as ClosedRange<UInt64> { #expect(index.find(FeatureHash.mix(k) | 1) == UInt32(k)) }
        #expect(index.find(12345) == nil)
        index.insert(FeatureHash.mix(7) | 1, 99)
        #expect(index.find(FeatureHash.mix(7) | 1) == 99)
        #expect(index.count == 5000)
        index.withView { view in
            #expect(view.find(FeatureHash.mix(9) | 1) == 9)
            #expect(view.find(3) == UInt32.max)
        }
    }

    /// The bulk builder (model loading) gives the index that inserting one by one does,
    /// a later duplicate replacing an earlier value, and refuses a zero key.
    @Test func bulkBuildEqualsInserting() throws {
        var keys = (1...3000 as ClosedRange<UInt64>).map { FeatureHash.mix($0) | 1 }
        var values = (1...3000 as ClosedRange<UInt32>).map { $0 }
        keys.append(keys[10])
        values.append(77)
        let bulk = try #require(HashIndex(keys: keys, values: values))
        var inserted = HashIndex(capacity: keys.count)
        for (k, v) in zip(keys, values) { inserted.insert(k, v) }
        #expect(bulk.count == 3000 && inserted.count == 3000)
        #expect(bulk.keys == inserted.keys && bulk.values == inserted.values)
        #expect(bulk.find(keys[10]) == 77)
        #expect(HashIndex(keys: [5, 0, 9], values: [1, 2, 3]) == nil)
    }

    @Test func countsWithIncrement() {
        var index = HashIndex(capacity: 4)
        for _ in 0..<3 { index.increment(11) }
        index.increment(13)
        #expect(index.find(11) == 3)
        #expect(index.find(13) == 1)
    }

    @Test func hashesAreStableAcrossProcesses() {
        // FNV-1a reference values; model files depend on them never changing.
        #expect(FeatureHash.fnv1a(Array("".utf8)) == 0xcbf2_9ce4_8422_2325)
        #expect(FeatureHash.fnv1a(Array("a".utf8)) == 0xaf63_dc4c_8601_ec8c)
        #expect(FeatureHash.fnv1a(Array("foobar".utf8)) == 0x8594_4171_f739_67e8)
        var g1 = SeededGenerator(seed: 7)
        var g2 = SeededGenerator(seed: 7)
        var a = Array(0..<50)
        var b = Array(0..<50)
        g1.shuffle(&a)
        g2.shuffle(&b)
        #expect(a == b)
        #expect(a != Array(0..<50))
        #expect(a.sorted() == Array(0..<50))
    }
}
