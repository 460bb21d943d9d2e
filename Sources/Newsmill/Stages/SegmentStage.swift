/// Splits a document's text into sentences and tokens (UTF-8 byte spans).
///
/// Tokens follow the UD English treebanks and the Penn Treebank (as spaCy's English
/// tokenizer does): punctuation split off, clitics ("do" + "n't", "Putin" + "'s"),
/// abbreviations keeping their period, numbers, URLs, e-mail addresses, handles and
/// hashtags whole, hyphenated words split (UD style) unless `split_hyphens` is off.
/// Sentences end at final marks with their closing quotes and brackets, not at
/// abbreviations, initials, decimals or list numbers; a line break always ends one.
///
/// Options: `abbreviations` and `title_abbreviations` extend the built-in lists,
/// `split_hyphens`, `paragraph_breaks`, `max_sentence_length`.
public struct SegmentStage: Stage {
    public static let name = "segment"
    public static let summary = "sentences and tokens (UD/Penn Treebank style), as UTF-8 byte spans"
    public static let optionSpecs: [OptionSpec] = [
        OptionSpec(
            "abbreviations", default: "[]",
            "extra abbreviations that keep their period and may end a sentence (\"Gov.\", \"Sept.\")"),
        OptionSpec(
            "title_abbreviations", default: "[]",
            "extra abbreviations that go before a name and never end a sentence (\"Insp.\")"),
        OptionSpec(
            "split_hyphens", default: "true",
            "split hyphenated words into parts and '-' as the UD English treebanks do"),
        OptionSpec(
            "paragraph_breaks", default: "true",
            "every line break ends a sentence; when false only a blank line does"),
        OptionSpec(
            "max_sentence_length", default: "0",
            "cut sentences longer than this many tokens (0: no limit)"),
    ]

    let segmenter: Segmenter

    public init(options: StageOptions) throws(ConfigError) {
        segmenter = Segmenter(
            extraAbbreviations: try options.stringList("abbreviations", default: []),
            extraTitles: try options.stringList("title_abbreviations", default: []),
            splitHyphens: try options.bool("split_hyphens", default: true),
            paragraphBreaks: try options.bool("paragraph_breaks", default: true),
            maxSentenceLength: try options.int("max_sentence_length", default: 0, in: 0...1_000_000))
    }

    /// Per-worker reusable buffer.
    final class Scratch {
        var buffer: [Int32] = []
    }

    public func process(_ document: inout Document, in context: StageContext) throws -> Verdict {
        let scratch = context.scratch(Scratch.self) { Scratch() }
        var tokens = document.tokens
        var sentences = document.sentences
        document.tokens = []
        document.sentences = []
        document.text.withUTF8 { bytes in
            segmenter.segment(bytes, tokens: &tokens, sentences: &sentences, scratch: &scratch.buffer)
        }
        context.count("segment.sentences", sentences.count)
        context.count("segment.tokens", tokens.count)
        document.tokens = tokens
        document.sentences = sentences
        return .keep
    }
}
