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
