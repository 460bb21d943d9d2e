import Testing

@testable import Newsmill

@Suite struct SegmentSegmenterTests {
    @Test func segmentReplacesPreviousResultsAndReusesBuffers() {
        let segmenter = Segmenter()
        var tokens: [Token] = [Token(start: 0, end: 1)]
        var sentences: [Span] = [Span(start: 0, end: 1)]
        var scratch: [Int32] = []
        var text = "One two. Three."
        text.withUTF8 { segmenter.segment($0, tokens: &tokens, sentences: &sentences, scratch: &scratch) }
        #expect(tokens.count == 5)
        #expect(sentences == [Span(start: 0, end: 8), Span(start: 9, end: 15)])
        #expect(scratch.isEmpty)
    }

    @Test func stringHelpersAgreeWithSpans() {
        let segmenter = Segmenter()
        #expect(segmenter.tokenStrings("Don't stop.") == ["Do", "n't", "stop", "."])
        #expect(segmenter.sentenceStrings("Don't stop. Go on.") == ["Don't stop.", "Go on."])
    }
}
