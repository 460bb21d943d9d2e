import Testing

@testable import Newsmill

/// A plain whitespace tokenizer with one sentence per line: a real (if naive) segmenter,
/// so that raw-text scoring is tested without the segment stage.
private struct WhitespaceSegmentStage: Stage {
    static let name = "whitespace-segment"
    static let optionSpecs: [OptionSpec] = []
    init() {}
    init(options: StageOptions) throws(ConfigError) {}

    func process(_ document: inout Document, in context: StageContext) throws -> Verdict {
        var start: Int?
        var tokens: [Token] = []
        for (i, b) in (Array(document.text.utf8) + [0x20]).enumerated() {
            if b == 0x20 {
                if let s = start { tokens.append(Token(s..<i)) }
                start = nil
            } else if start == nil {
                start = i
            }
        }
        document.tokens = tokens
        return .keep
    }
}

@Suite struct TaggerEvaluatorTests {
    static let gold = """
        # newdoc id = d
        # text = I don't know.
        1\tI\tI\tPRON\tPRP\t_\t0\troot\t_\t_
        2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_
        2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\t_
        3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_
        4\tknow\tknow\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No
        5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_

        # text = Cats sleep .
        1\tCats\tcat\tNOUN\tNNS\t_\t2\tnsubj\t_\t_
        2\tsleep\tsleep\tVERB\tVBP\t_\t0\troot\t_\t_
        3\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_

        """

    @Test func alignsGoldWordsToTheText() throws {
        let docs = TaggerEvaluator.documents(from: try CoNLLUReader.parse(Self.gold))
        #expect(docs.count == 1)
        let doc = docs[0]
        #expect(doc.document.text == "I don't know. Cats sleep .")
        #expect(doc.words.count == 8)
        #expect(
            doc.wordSpans.map { doc.document.string(of: $0) } == ["I", "do", "n't", "know", ".", "Cats", "sleep", "."])
        #expect(doc.wordSentences == [0, 0, 0, 0, 0, 1, 1, 1])
        #expect(doc.sentenceSpans.map { doc.document.string(of: $0) } == ["I don't know.", "Cats sleep ."])
    }

    /// PTB-style token files write quotes and brackets unlike their `# text`; the words are
    /// then placed in the tokens joined, not lost to a failed alignment.
    @Test func alignsWordsWhoseFormsDifferFromTheText() throws {
        let gold = """
            # text = He said "no" (twice).
            1\tHe\the\tPRON\tPRP\t_\t2\tnsubj\t_\t_
            2\tsaid\tsay\tVERB\tVBD\t_\t0\troot\t_\t_
            3\t``\t``\tPUNCT\t``\t_\t4\tpunct\t_\tSpaceAfter=No
            4\tno\tno\tINTJ\tUH\t_\t2\tobj\t_\tSpaceAfter=No
            5\t''\t''\tPUNCT\t''\t_\t4\tpunct\t_\t_
            6\t-LRB-\t-LRB-\tPUNCT\t-LRB-\t_\t7\tpunct\t_\tSpaceAfter=No
            7\ttwice\ttwice\tADV\tRB\t_\t2\tadvmod\t_\tSpaceAfter=No
            8\t-RRB-\t-RRB-\tPUNCT\t-RRB-\t_\t7\tpunct\t_\tSpaceAfter=No
            9\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_

            """
        let docs = TaggerEvaluator.documents(from: try CoNLLUReader.parse(gold))
        let doc = try #require(docs.first)
        #expect(doc.document.text == "He said ``no'' -LRB-twice-RRB-.")
        #expect(
            doc.wordSpans.map { doc.document.string(of: $0) }
                == ["He", "said", "``", "no", "''", "-LRB-", "twice", "-RRB-", "."])
        // A `# text` the tokens do match is still used as it is.
        let plain = TaggerEvaluator.documents(from: try CoNLLUReader.parse(Self.gold))
        #expect(plain.first?.document.text == "I don't know. Cats sleep .")
    }

    @Test func scoresTokensAndSentencesOfARawTextPipeline() throws {
        let evaluator = TaggerEvaluator(stages: [WhitespaceSegmentStage()], goldTokens: false)
        let report = try evaluator.evaluate(try CoNLLUReader.parse(Self.gold))
        // Predicted: I | don't | know. | Cats | sleep | .  (all in sentence 0)
        // Gold:      I | do | n't | know | . | Cats | sleep | .
        let tokens = try #require(report.tokenCounts)
        #expect(tokens.predicted == 6)
        #expect(tokens.gold == 8)
        #expect(tokens.matched == 4)
        let sentences = try #require(report.sentenceCounts)
        #expect(sentences.predicted == 1 && sentences.gold == 2 && sentences.matched == 0)
        #expect(report.alignedWords == 4)
        #expect(report.description.contains("TOK F"))
    }

    @Test func scoresTheShippedModelsOnGoldTokens() throws {
        let stage = TagStage(
            tagger: try #require(TaggerTestData.shippedTagger), lemmatizer: TaggerTestData.shippedLemmatizer)
        let report = try TaggerEvaluator(stages: [stage], goldTokens: true).evaluate(
            try CoNLLUReader.parse(Self.gold))
        #expect(report.goldWords == 8)
        #expect(report.alignedWords == 8)
        #expect(report.uposCorrect >= 7)
        #expect(report.lemmaScored == 8)
        #expect(report.lemmaCorrect >= 7)
        #expect(report.tokenCounts == nil)
        #expect(report.description.contains("POS"))
        #expect(report.description.contains("LEMMA"))
    }

    /// A gold file with only Penn tags (UPOS and LEMMA `_`, as a WSJ token file converted
    /// to CoNLL-U may be) scores the Penn tag alone: no 0% rows for the missing columns.
    @Test func columnsTheGoldLeavesOutAreNotScored() throws {
        let pennOnly = Self.gold.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 10, !f[0].contains("-") else { return String(line) }
            f[2] = "_"
            f[3] = "_"
            return f.joined(separator: "\t")
        }.joined(separator: "\n")
        let stage = TagStage(
            tagger: try #require(TaggerTestData.shippedTagger), lemmatizer: TaggerTestData.shippedLemmatizer)
        let report = try TaggerEvaluator(stages: [stage], goldTokens: true).evaluate(try CoNLLUReader.parse(pennOnly))
        #expect(report.alignedWords == 8)
        #expect(report.xposScored == 8 && report.uposScored == 0 && report.lemmaScored == 0)
        #expect(report.xposCorrect >= 7)
        #expect(report.description.contains("TAG "))
        #expect(!report.description.contains("POS "))
        #expect(!report.description.contains("LEMMA"))
    }

    @Test func keepsEveryWordForErrorAnalysis() throws {
        let stage = TagStage(
            tagger: try #require(TaggerTestData.shippedTagger), lemmatizer: TaggerTestData.shippedLemmatizer)
        var evaluator = TaggerEvaluator(stages: [stage], goldTokens: true)
        #expect(try evaluator.evaluate(try CoNLLUReader.parse(Self.gold)).words.isEmpty)
        evaluator.keepWords = true
        let report = try evaluator.evaluate(try CoNLLUReader.parse(Self.gold))
        #expect(report.words.count == 8)
        let rows = report.words.map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        #expect(rows.allSatisfy { $0.count == 8 })
        // Gold form, tags and lemma first; the lemma from the gold tags last.
        let gold = try CoNLLUReader.parse(Self.gold).flatMap(\.words)
        #expect(rows.map { String($0[0]) } == gold.map(\.form))
        #expect(rows.map { String($0[3]) } == gold.map(\.lemma))
        #expect(rows.filter { $0[7] == $0[3] }.count >= 7)
    }
}
