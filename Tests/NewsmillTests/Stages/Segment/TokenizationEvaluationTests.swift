import Testing

@testable import Newsmill

@Suite struct SegmentTokenizationEvaluationTests {
    /// A small CoNLL-U document written for this test (two paragraphs, a multiword token).
    static let sample = """
        # newdoc id = test-doc
        # newpar id = p1
        # sent_id = 1
        # text = I don't know.
        1\tI\tI\tPRON\tPRP\t_\t3\tnsubj\t_\t_
        2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_
        2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\t_
        3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_
        4\tknow\tknow\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No
        5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_

        # sent_id = 2
        # text = It's gonna rain.
        1-2\tIt's\t_\t_\t_\t_\t_\t_\t_\t_
        1\tIt\tit\tPRON\tPRP\t_\t3\tnsubj\t_\t_
        2\t's\tbe\tAUX\tVBZ\t_\t3\taux\t_\t_
        3-4\tgonna\t_\t_\t_\t_\t_\t_\t_\t_
        3\tgon\tgo\tVERB\tVBG\t_\t0\troot\t_\t_
        4\tna\tto\tPART\tTO\t_\t5\tmark\t_\t_
        5\train\train\tVERB\tVB\t_\t3\txcomp\t_\tSpaceAfter=No
        6\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_

        # newpar id = p2
        # sent_id = 3
        # text = Well-known facts
        1\tWell\twell\tADV\tRB\t_\t3\tadvmod\t_\tSpaceAfter=No
        2\t-\t-\tPUNCT\tHYPH\t_\t3\tpunct\t_\tSpaceAfter=No
        3\tknown\tknow\tVERB\tVBN\t_\t4\tamod\t_\t_
        4\tfacts\tfact\tNOUN\tNNS\t_\t0\troot\t_\t_

        """

    @Test func parsesWordsWithOffsetsIncludingMultiwordParts() {
        let sentences = TokenizationEvaluation.parse(conllu: Self.sample)
        #expect(sentences.count == 3)
        #expect(sentences[0].text == "I don't know.")
        #expect(sentences[0].words == [Span(0..<1), Span(2..<4), Span(4..<7), Span(8..<12), Span(12..<13)])
        #expect(
            sentences[1].words == [Span(0..<2), Span(2..<4), Span(5..<8), Span(8..<10), Span(11..<15), Span(15..<16)])
        #expect(sentences[0].startsDocument && sentences[0].startsParagraph)
        #expect(!sentences[1].startsParagraph)
        #expect(sentences[2].startsParagraph && !sentences[2].startsDocument)
    }

    @Test func scoresTheSegmenterOnTheSample() {
        let sentences = TokenizationEvaluation.parse(conllu: Self.sample)
        let (score, mismatches) = TokenizationEvaluation.tokenScore(of: Segmenter(), on: sentences, maxMismatches: 5)
        #expect(score.gold == 15)
        #expect(score.matched == 15)
        #expect(score.f1 == 1)
        #expect(mismatches.isEmpty)
        let unsplit = TokenizationEvaluation.tokenScore(of: Segmenter(splitHyphens: false), on: sentences).score
        #expect(unsplit.matched == 12)
        #expect(unsplit.f1 < 1)
        let sentenceScore = TokenizationEvaluation.sentenceScore(of: Segmenter(), on: sentences)
        #expect(sentenceScore.gold == 3)
        #expect(sentenceScore.matched == 3)
    }

    @Test(
        .enabled(if: SegmentTestData.sharedDataAvailable, "needs ../shared/data/ud"),
        arguments: ["en_ewt-ud-dev.conllu", "en_gum-ccby-dev.conllu"])
    func udDevSampleScoresAboveFloor(file: String) throws {
        let text = try SegmentTestData.read("ud/\(file)")
        let sentences = Array(TokenizationEvaluation.parse(conllu: text).prefix(300))
        #expect(sentences.count == 300)
        let score = TokenizationEvaluation.tokenScore(of: Segmenter(), on: sentences).score
        #expect(score.f1 >= 0.985, "token F1 \(score)")
    }
}
