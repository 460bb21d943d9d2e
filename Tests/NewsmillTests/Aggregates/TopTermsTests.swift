import Testing

@testable import Newsmill

@Suite struct TopTermsTests {
    @Test(arguments: [0, 1, 3, 50, 500])
    func keepsTheBestByCountThenDocumentsThenKey(_ k: Int) {
        var rng = SplitMix(seed: UInt64(k + 1))
        var all: [TopTerms.Entry] = []
        var top = TopTerms(k: k)
        for n in 0..<300 {
            // Few distinct counts, so that ties on count and documents are common.
            let entry = TopTerms.Entry(
                key: Array("k\(n % 97)-\(n)".utf8), count: Int(rng.next() % 5),
                documents: Int(rng.next() % 3))
            all.append(entry)
            entry.key.withUnsafeBufferPointer { top.offer($0, count: entry.count, documents: entry.documents) }
        }
        let sorted = all.sorted {
            if $0.count != $1.count { return $0.count > $1.count }
            if $0.documents != $1.documents { return $0.documents > $1.documents }
            return $0.key.lexicographicallyPrecedes($1.key)
        }
        let expected = k == 0 ? sorted : Array(sorted.prefix(k))
        #expect(top.sorted().map(\.key) == expected.map(\.key))
    }
}
