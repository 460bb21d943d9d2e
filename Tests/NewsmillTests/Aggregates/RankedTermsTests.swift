import Testing

@testable import Newsmill

@Suite struct RankedTermsTests {
    @Test(arguments: [1, 20_000, 1 << 30])
    func ranksEveryTermLikeASortWhateverTheBudget(_ budget: Int) throws {
        let scratch = AggregateScratch(directory: TestSupport.temporaryDirectory() + "/scratch", partials: 1)
        defer { scratch.removeAll() }
        var rng = SplitMix(seed: 3)
        var all: [TopTerms.Entry] = []
        var ranked = RankedTerms(budget: budget, scratch: scratch)
        for n in 0..<500 {
            let entry = TopTerms.Entry(
                key: Array("t\(n)é".utf8), count: Int(rng.next() % 6), documents: Int(rng.next() % 3))
            all.append(entry)
            try entry.key.withUnsafeBufferPointer { try ranked.add($0, count: entry.count, documents: entry.documents) }
        }
        var out: [TopTerms.Entry] = []
        try ranked.forEachRanked { out.append($0) }
        let expected = all.sorted {
            if $0.count != $1.count { return $0.count > $1.count }
            if $0.documents != $1.documents { return $0.documents > $1.documents }
            return $0.key.lexicographicallyPrecedes($1.key)
        }
        #expect(out.map(\.key) == expected.map(\.key))
        #expect(out.map(\.count) == expected.map(\.count))
        #expect(out.map(\.documents) == expected.map(\.documents))
        // Spilled runs are removed once read.
        #expect((FileSystem.list(scratch.directory) ?? []).isEmpty)
    }
}
