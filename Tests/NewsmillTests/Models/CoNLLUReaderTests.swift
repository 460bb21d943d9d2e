import Testing

@testable import Newsmill

@Suite struct CoNLLUReaderTests {
    static let sample = """
        # newdoc id = doc1
        # sent_id = s1
        # text = I don't know, Bob.
        1\tI\tI\tPRON\tPRP\t_\t3\tnsubj\t_\t_
        2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_
        2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\t_
        3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_
        4\tknow\tknow\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No
        5\t,\t,\tPUNCT\t,\t_\t6\tpunct\t_\t_
        6\tBob\tBob\tPROPN\tNNP\t_\t4\tvocative\t_\tSpaceAfter=No
        6.1\tghost\tghost\tNOUN\tNN\t_\t_\t_\t_\t_
        7\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_

        # sent_id = s2
        1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\tSpaceAfter=No
        2\t!\t!\tPUNCT\t.\t_\t1\tpunct\t_\t_

        """

    @Test func readsWordsNotSurfaceTokens() throws {
        let sentences = try CoNLLUReader.parse(CoNLLUReaderTests.sample)
        #expect(sentences.count == 2)
        let s = sentences[0]
        #expect(s.words.map(\.form) == ["I", "do", "n't", "know", ",", "Bob", "."])
        #expect(s.words.map(\.lemma) == ["I", "do", "not", "know", ",", "Bob", "."])
        #expect(s.words.map(\.xpos) == ["PRP", "VBP", "RB", "VB", ",", "NNP", "."])
        #expect(s.tokens.map(\.form) == ["I", "don't", "know", ",", "Bob", "."])
        #expect(s.tokens[1].words == 1..<3)
        #expect(s.words[2].token == 1)
    }

    @Test func readsCommentsAndSpaceAfter() throws {
        let sentences = try CoNLLUReader.parse(CoNLLUReaderTests.sample)
        #expect(sentences[0].text == "I don't know, Bob.")
        #expect(sentences[0].id == "s1")
        #expect(sentences[0].newDocument == "doc1")
        #expect(sentences[1].newDocument == nil)
        #expect(sentences[0].tokens.map(\.spaceAfter) == [true, true, false, true, false, true])
        // Without `# text`, the text is rebuilt from SpaceAfter.
        #expect(sentences[1].text == nil)
        #expect(sentences[1].surfaceText == "Hi!")
    }

    @Test func rejectsMalformedLinesWithTheirLine() {
        #expect(
            throws: CoNLLUError(
                location: SourceLocation(path: "x.conllu", line: 2), detail: "expected 10 tab-separated fields, found 2"
            )
        ) {
            try CoNLLUReader.parse("# text = a\n1\ta\n", path: "x.conllu")
        }
    }

    @Test(.enabled(if: TaggerTestData.udAvailable, Comment(rawValue: TaggerTestData.skipMessage)))
    func readsTheEWTDevFileCounts() throws {
        let sentences = try CoNLLUReader.read(path: TaggerTestData.ud("en_ewt-ud-dev.conllu"))
        // Counts from ../shared/data/ud/SOURCES.md.
        #expect(sentences.count == 2001)
        #expect(sentences.reduce(0) { $0 + $1.words.count } == 25147)
        #expect(sentences.reduce(0) { $0 + $1.tokens.count } == 24787)
    }
}
