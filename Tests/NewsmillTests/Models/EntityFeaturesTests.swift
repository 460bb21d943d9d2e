import Testing

@testable import Newsmill

@Suite struct EntityFeaturesTests {
    /// The one-pass token hashes equal the separate hashes the features were trained with.
    @Test(arguments: [
        "a", "Ab", "IBM", "Reuters", "U.S.", "1,500.25", "naïve", "Zürich-based", "aaaaaaAAAA9999",
        "--", "\u{0}\u{0}x", "日本", "e\u{301}t\u{E9}", "McDonald's",
    ])
    func onePassHashesEqualTheSeparateOnes(_ token: String) {
        let bytes = Array(token.utf8)
        bytes.withUnsafeBufferPointer { p in
            let n = p.count
            let h = EntityFeatures.tokenHashes(p, 0, n)
            #expect(h.word == EntityHash.bytes(p, 0, n))
            #expect(h.lower == EntityHash.lower(p, 0, n))
            #expect(h.shape == EntityFeatures.shapeHash(p, 0, n))
            #expect(h.prefix == EntityHash.lower(p, 0, min(n, 3)))
            #expect(h.suffix == EntityHash.lower(p, max(0, n - 3), n))
            #expect(h.upper == bytes.filter { $0 &- 0x41 < 26 }.count)
            #expect(h.lowercase == bytes.filter { $0 &- 0x61 < 26 }.count)
        }
    }

    /// The history table sized for each document still finds what a document recorded,
    /// and forgets it at the next document.
    @Test func historyIsPerDocument() {
        let scratch = EntityScratch()
        let doc = EntityTestSupport.document("Smith met Jones .\nSmith left .")
        var tokens = doc.tokens
        let text = Array(doc.text.utf8)
        text.withUnsafeBufferPointer { p in
            tokens.withUnsafeBufferPointer {
                scratch.prepare(bytes: p, tokens: $0, gazetteer: EntityGazetteer(entries: []))
            }
        }
        let b = scratch.buffers
        #expect(b.history(0) == 0)
        b.record(0, tag: 4)  // U of slot 0
        #expect(b.history(4) == 2)  // the second "Smith"
        #expect(b.history(2) == 0)
        tokens.removeLast()
        text.withUnsafeBufferPointer { p in
            tokens.withUnsafeBufferPointer {
                scratch.prepare(bytes: p, tokens: $0, gazetteer: EntityGazetteer(entries: []))
            }
        }
        #expect(scratch.buffers.history(4) == 0)
    }
}
