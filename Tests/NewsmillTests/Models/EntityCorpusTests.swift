import Testing

@testable import Newsmill

@Suite struct EntityCorpusTests {
    @Test func convertsCodePointOffsetsToBytes() throws {
        // "Łódź" is 4 code points and 7 UTF-8 bytes.
        let line =
            #"{"id": "x", "text": "Łódź is in Poland. Yes.", "tokens": [[0,4],[5,7],[8,10],[11,17],[17,18],[19,22],[22,23]], "sents": [[0,18],[19,23]], "ents": [{"start": 0, "end": 4, "label": "GPE"}, {"start": 11, "end": 17, "label": "GPE"}, {"start": 0, "end": 2, "label": "NOT_A_LABEL"}], "ignore": [[19, 22]]}"#
        let ex = try EntityCorpus.parse(line: Array(line.utf8), location: SourceLocation(path: "t.jsonl", line: 1))
        let doc = ex.document
        #expect(doc.tokens.count == 7)
        #expect(doc.string(of: doc.tokens[0].span) == "Łódź")
        #expect(doc.string(of: doc.tokens[3].span) == "Poland")
        #expect(doc.tokens.map(\.sentence) == [0, 0, 0, 0, 0, 1, 1])
        #expect(ex.gold.map { doc.string(of: $0.span) } == ["Łódź", "Poland"])
        #expect(ex.gold.allSatisfy { $0.label == .gpe })
        #expect(ex.ignore.map { doc.string(of: $0) } == ["Yes"])
    }

    @Test func badOffsetsNameTheLine() {
        let line = #"{"text": "abc", "tokens": [[0, 9]]}"#
        #expect {
            try EntityCorpus.parse(line: Array(line.utf8), location: SourceLocation(path: "t.jsonl", line: 7))
        } throws: { error in
            "\(error)".hasPrefix("t.jsonl:7:")
        }
    }
}
