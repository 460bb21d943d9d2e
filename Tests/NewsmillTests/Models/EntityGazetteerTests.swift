import Testing

@testable import Newsmill

@Suite struct EntityGazetteerTests {
    @Test func tagsLongestPhraseAndCues() {
        let gaz = EntityGazetteer(
            tsv: "New York\tGPE\nNew York City\tGPE\nYork\tGPE\nChinese\tNORP\nInc\t@ORG_SUFFIX\nbogus\tNOPE\n")
        #expect(gaz.entries.count == 5)
        let doc = EntityTestSupport.document("Chinese firms in New York City and York like Acme Inc")
        let scratch = EntityScratch()
        let tokens = doc.tokens
        var text = doc.text
        text.withUTF8 { b in tokens.withUnsafeBufferPointer { scratch.prepare(bytes: b, tokens: $0, gazetteer: gaz) } }
        let gpe = EntityLabel.gpe.rawValue, norp = EntityLabel.norp.rawValue
        func tag(_ label: UInt8, _ position: UInt8) -> UInt8 { 1 + (label - 1) * 4 + position }
        // Chinese firms in New York City and York like Acme Inc
        #expect(
            Array(UnsafeBufferPointer(start: scratch.buffers.gazetteer, count: 11)) == [
                tag(norp, 3), 0, 0, tag(gpe, 0), tag(gpe, 1), tag(gpe, 2), 0, tag(gpe, 3), 0, 0, 0,
            ])
        #expect(scratch.buffers.cue[10] == 1)  // orgSuffix is the first cue bit
        #expect(scratch.buffers.cue[9] == 0)
    }
}
