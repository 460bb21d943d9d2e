/// Tokenizer plus sentence splitter: the work of the segment stage, usable without a
/// ``Document`` (tests, evaluation, benchmarks).
public struct Segmenter: Sendable {
    let tokenizer: Tokenizer
    let splitter: SentenceSplitter

    /// A segmenter with the given options (defaults suit news).
    public init(
        extraAbbreviations: [String] = [], extraTitles: [String] = [], splitHyphens: Bool = true,
        paragraphBreaks: Bool = true, maxSentenceLength: Int = 0
    ) {
        let abbreviations = Abbreviations(extraGeneral: extraAbbreviations, extraTitles: extraTitles)
        tokenizer = Tokenizer(abbreviations: abbreviations, splitHyphens: splitHyphens)
        splitter = SentenceSplitter(
            abbreviations: abbreviations, paragraphBreaks: paragraphBreaks, maxSentenceLength: maxSentenceLength)
    }

    /// Replaces `tokens` and `sentences` with those of `text`.
    public func segment(
        _ text: UnsafeBufferPointer<UInt8>, tokens: inout [Token], sentences: inout [Span], scratch: inout [Int32]
    ) {
        tokens.removeAll(keepingCapacity: true)
        sentences.removeAll(keepingCapacity: true)
        tokenizer.tokenize(text, into: &tokens, scratch: &scratch)
        splitter.split(text, tokens: &tokens, sentences: &sentences)
    }

    /// Tokens only (no sentence indices).
    public func tokenize(_ text: UnsafeBufferPointer<UInt8>, into tokens: inout [Token], scratch: inout [Int32]) {
        tokenizer.tokenize(text, into: &tokens, scratch: &scratch)
    }

    /// Segments a string (allocates; for tests and tools).
    public func segment(_ text: String) -> (tokens: [Token], sentences: [Span]) {
        var copy = text
        var tokens: [Token] = []
        var sentences: [Span] = []
        var scratch: [Int32] = []
        copy.withUTF8 { segment($0, tokens: &tokens, sentences: &sentences, scratch: &scratch) }
        return (tokens, sentences)
    }

    /// The token strings of a text (allocates; for tests and tools).
    public func tokenStrings(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        return segment(text).tokens.map {
            String(decoding: bytes[Int($0.start)..<Int($0.end)], as: UTF8.self)
        }
    }

    /// The sentence strings of a text (allocates; for tests and tools).
    public func sentenceStrings(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        return segment(text).sentences.map {
            String(decoding: bytes[Int($0.start)..<Int($0.end)], as: UTF8.self)
        }
    }
}
