#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Scores a pipeline of stages against gold CoNLL-U, as `spacy evaluate` does: token and
/// sentence F1 (when the pipeline segments raw text), UPOS, Penn tag and lemma accuracy.
public struct TaggerEvaluator: Sendable {
    /// Scores of one evaluation.
    public struct Report: Sendable, CustomStringConvertible {
        /// Gold words.
        public var goldWords = 0
        /// Gold words whose span a predicted token matches exactly (all of them with gold tokens).
        public var alignedWords = 0
        /// Aligned words with the right UPOS.
        public var uposCorrect = 0
        /// Aligned words with the right Penn tag.
        public var xposCorrect = 0
        /// Aligned words with the right lemma.
        public var lemmaCorrect = 0
        /// Aligned words that got a lemma, and whose gold lemma is given (not `_`).
        public var lemmaScored = 0
        /// Aligned words whose gold Penn tag is given (not `_`: a file may leave it out).
        public var xposScored = 0
        /// Aligned words whose gold UPOS is given (not `_`).
        public var uposScored = 0
        /// Token spans: predicted, gold, matching (nil with gold tokens).
        public var tokenCounts: (predicted: Int, gold: Int, matched: Int)?
        /// Sentence spans: predicted, gold, matching (nil with gold tokens).
        public var sentenceCounts: (predicted: Int, gold: Int, matched: Int)?
        /// Penn tag confusions, "gold -> predicted", with counts.
        public var tagConfusions: [String: Int] = [:]
        /// UPOS confusions, "gold -> predicted", with counts.
        public var posConfusions: [String: Int] = [:]
        /// Lemma errors, "form TAG: predicted -> gold", with counts.
        public var lemmaErrors: [String: Int] = [:]
        /// CPU seconds (of this thread) spent inside the stages: robust to other load on the machine.
        public var seconds = 0.0
        /// One tab-separated line per aligned word when ``TaggerEvaluator/keepWords`` is set:
        /// form, gold Penn tag, gold UPOS, gold lemma, predicted Penn tag, predicted UPOS,
        /// predicted lemma, and the lemma the tag stage's lemmatizer gives from the gold tags
        /// (`_` without one), for error analysis.
        public var words: [String] = []

        /// UPOS accuracy over aligned words with a gold UPOS.
        public var uposAccuracy: Double { ratio(uposCorrect, uposScored) }
        /// Penn tag accuracy over aligned words with a gold Penn tag.
        public var xposAccuracy: Double { ratio(xposCorrect, xposScored) }
        /// Lemma accuracy over aligned words with a lemma.
        public var lemmaAccuracy: Double { ratio(lemmaCorrect, lemmaScored) }
        /// Gold words per CPU second of the stages.
        public var wordsPerSecond: Double { seconds > 0 ? Double(goldWords) / seconds : 0 }

        func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }

        static func f1(_ counts: (predicted: Int, gold: Int, matched: Int)) -> (p: Double, r: Double, f: Double) {
            let p = counts.predicted == 0 ? 0 : Double(counts.matched) / Double(counts.predicted)
            let r = counts.gold == 0 ? 0 : Double(counts.matched) / Double(counts.gold)
            return (p, r, p + r == 0 ? 0 : 2 * p * r / (p + r))
        }

        /// The scores as a table like `spacy evaluate` prints.
        public var description: String {
            func pct(_ x: Double) -> String {
                let v = (x * 10000).rounded() / 100
                let s = "\(v)"
                return s.contains(".") && s.split(separator: ".")[1].count == 1 ? s + "0" : s
            }
            var rows: [(String, String)] = []
            if let t = tokenCounts {
                let (p, r, f) = Report.f1(t)
                rows += [("TOK P", pct(p)), ("TOK R", pct(r)), ("TOK F", pct(f))]
            }
            // A column the gold file leaves out (all `_`) is not scored.
            if xposScored > 0 { rows.append(("TAG", pct(xposAccuracy))) }
            if uposScored > 0 { rows.append(("POS", pct(uposAccuracy))) }
            if lemmaScored > 0 { rows.append(("LEMMA", pct(lemmaAccuracy))) }
            if let s = sentenceCounts {
                let (p, r, f) = Report.f1(s)
                rows += [("SENT P", pct(p)), ("SENT R", pct(r)), ("SENT F", pct(f))]
            }
            rows.append(("WORDS", "\(goldWords)"))
            if tokenCounts != nil { rows.append(("ALIGNED", "\(alignedWords)")) }
            rows.append(("SPEED", "\(Int(wordsPerSecond.rounded())) words/s (one core, CPU time)"))
            let width = rows.map(\.0.count).max() ?? 0
            var out = "================================== Results ==================================\n\n"
            for (k, v) in rows { out += k + String(repeating: " ", count: width - k.count + 3) + v + "\n" }
            return out
        }
    }

    /// Stages run on each document, in order.
    public var stages: [any Stage]
    /// True: documents carry the gold words as tokens (tagging alone is scored). False: only
    /// the raw `# text` is given and the stages must segment it.
    public var goldTokens: Bool
    /// True: the report lists every aligned word with its gold and predicted analysis (``Report/words``).
    public var keepWords = false
    /// The tag stage's lemmatizer, if a tag stage with lemmas is among the stages.
    var lemmatizer: Lemmatizer? {
        for stage in stages { if let tag = stage as? TagStage, let lemmatizer = tag.lemmatizer { return lemmatizer } }
        return nil
    }

    /// An evaluator running `stages`, on the gold words (`goldTokens`) or on raw text.
    public init(stages: [any Stage], goldTokens: Bool) {
        self.stages = stages
        self.goldTokens = goldTokens
    }

    /// A gold document: the text of its sentences joined by spaces, and each word's byte span.
    struct GoldDocument {
        var document: Document
        var words: [CoNLLUWord] = []
        var wordSpans: [Span] = []
        var wordSentences: [Int32] = []
        var sentenceSpans: [Span] = []
    }

    /// Groups sentences into documents (by `# newdoc`, at most `maxSentences` each).
    static func documents(from sentences: [CoNLLUSentence], maxSentences: Int = 200) -> [GoldDocument] {
        var result: [GoldDocument] = []
        var text: [UInt8] = []
        var current: GoldDocument?
        var count = 0
        func flush() {
            guard var doc = current else { return }
            doc.document.text = String(decoding: text, as: UTF8.self)
            result.append(doc)
            current = nil
            text.removeAll()
            count = 0
        }
        for sentence in sentences {
            if sentence.newDocument != nil || count >= maxSentences { flush() }
            if current == nil {
                current = GoldDocument(
                    document: Document(
                        id: sentence.newDocument ?? sentence.id ?? "doc\(result.count)",
                        source: SourceLocation(path: "<gold>", line: result.count + 1), text: ""))
            }
            if !text.isEmpty { text.append(0x20) }
            let base = text.count
            // The `# text` when every token is found in it in order; else the tokens joined
            // (gold files may write tokens differently from their text, as PTB-style
            // ``quotes`` and -LRB- do).
            var sentenceText = Array(sentence.surfaceText.utf8)
            if sentence.text != nil && !alignsInOrder(sentence.tokens, sentenceText) {
                sentenceText = Array(sentence.joinedTokens.utf8)
            }
            text.append(contentsOf: sentenceText)
            // Align surface tokens to the text, then split multiword tokens into their words.
            var cursor = 0
            var first: Int32?
            var last: Int32 = Int32(base)
            for token in sentence.tokens {
                let form = Array(token.form.utf8)
                var at = cursor
                while at < sentenceText.count && (sentenceText[at] == 0x20 || sentenceText[at] == 0x09) { at += 1 }
                if !sentenceText[at...].starts(with: form) {
                    at = find(form, in: sentenceText, from: cursor) ?? at
                }
                let end = min(at + form.count, sentenceText.count)
                cursor = end
                let words = Array(sentence.words[token.words])
                let joined = words.flatMap { Array($0.form.utf8) }
                var wordStart = at
                for w in words {
                    let length = Array(w.form.utf8).count
                    let span: Span
                    if joined == form {
                        span = Span(start: Int32(base + wordStart), end: Int32(base + wordStart + length))
                        wordStart += length
                    } else {
                        span = Span(start: Int32(base + at), end: Int32(base + end))
                    }
                    let sentenceIndex = Int32(current?.sentenceSpans.count ?? 0)
                    current?.words.append(w)
                    current?.wordSpans.append(span)
                    current?.wordSentences.append(sentenceIndex)
                }
                if first == nil { first = Int32(base + at) }
                last = Int32(base + end)
            }
            current?.sentenceSpans.append(Span(start: first ?? Int32(base), end: last))
            count += 1
        }
        flush()
        return result
    }

    /// True when each token's form follows the previous one in `text`, with only spaces
    /// or tabs between them.
    static func alignsInOrder(_ tokens: [CoNLLUToken], _ text: [UInt8]) -> Bool {
        var cursor = 0
        for token in tokens {
            while cursor < text.count && (text[cursor] == 0x20 || text[cursor] == 0x09) { cursor += 1 }
            let form = Array(token.form.utf8)
            guard text[cursor...].starts(with: form) else { return false }
            cursor += form.count
        }
        return true
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, from <= haystack.count - needle.count else { return nil }
        for i in from...(haystack.count - needle.count) where haystack[i..<(i + needle.count)].elementsEqual(needle) {
            return i
        }
        return nil
    }

    /// CPU time consumed by the calling thread.
    static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Runs the stages over the gold sentences and scores them.
    public func evaluate(_ sentences: [CoNLLUSentence]) throws -> Report {
        var report = Report()
        if !goldTokens {
            report.tokenCounts = (0, 0, 0)
            report.sentenceCounts = (0, 0, 0)
        }
        let context = StageContext()
        for gold in TaggerEvaluator.documents(from: sentences) {
            var document = gold.document
            if goldTokens {
                for (span, sentence) in zip(gold.wordSpans, gold.wordSentences) {
                    var token = Token(start: span.start, end: span.end)
                    token.sentence = sentence
                    document.tokens.append(token)
                }
                document.sentences = gold.sentenceSpans
            }
            let before = TaggerEvaluator.threadCPUSeconds()
            for stage in stages {
                if case .drop = try stage.process(&document, in: context) { break }
            }
            report.seconds += TaggerEvaluator.threadCPUSeconds() - before
            score(gold, document, into: &report)
        }
        return report
    }

    private func score(_ gold: GoldDocument, _ document: Document, into report: inout Report) {
        var predicted: [Span: Int] = [:]
        for (i, t) in document.tokens.enumerated() { predicted[t.span] = i }
        report.goldWords += gold.words.count
        if !goldTokens {
            let goldSpans = Set(gold.wordSpans)
            let predictedSpans = Set(document.tokens.map(\.span))
            report.tokenCounts?.predicted += predictedSpans.count
            report.tokenCounts?.gold += goldSpans.count
            report.tokenCounts?.matched += goldSpans.intersection(predictedSpans).count
            var predictedSentences = Set<Span>()
            var first = 0
            while first < document.tokens.count {
                var last = first
                while last + 1 < document.tokens.count
                    && document.tokens[last + 1].sentence == document.tokens[first].sentence
                {
                    last += 1
                }
                predictedSentences.insert(Span(start: document.tokens[first].start, end: document.tokens[last].end))
                first = last + 1
            }
            let goldSentences = Set(gold.sentenceSpans)
            report.sentenceCounts?.predicted += predictedSentences.count
            report.sentenceCounts?.gold += goldSentences.count
            report.sentenceCounts?.matched += goldSentences.intersection(predictedSentences).count
        }
        for (w, span) in zip(gold.words, gold.wordSpans) {
            guard let i = predicted[span] else { continue }
            let token = document.tokens[i]
            report.alignedWords += 1
            if w.xpos != "_" {
                report.xposScored += 1
                if token.tag == (PennTag.id(w.xpos) ?? 255) {
                    report.xposCorrect += 1
                } else {
                    report.tagConfusions["\(w.xpos) -> \(PennTag.names[Int(token.tag)])", default: 0] += 1
                }
            }
            if w.upos != "_" {
                report.uposScored += 1
                if token.pos == (UPOS.id(w.upos) ?? 255) {
                    report.uposCorrect += 1
                } else {
                    report.posConfusions["\(w.upos) -> \(UPOS.names[Int(token.pos)])", default: 0] += 1
                }
            }
            if keepWords {
                let lemma = token.lemmaLength != Token.noLemma ? document.lemma(ofToken: i) ?? "" : "_"
                let goldTagLemma = lemmatizer?.lemma(of: w.form, xpos: w.xpos, upos: w.upos) ?? "_"
                report.words.append(
                    [
                        w.form, w.xpos, w.upos, w.lemma, PennTag.names[Int(token.tag)], UPOS.names[Int(token.pos)],
                        lemma, goldTagLemma,
                    ].joined(separator: "\t"))
            }
            // `_` is no lemma given, except for the word `_` itself.
            if token.lemmaLength != Token.noLemma && (w.lemma != "_" || w.form == "_") {
                report.lemmaScored += 1
                let lemma = document.lemma(ofToken: i) ?? ""
                if lemma == w.lemma {
                    report.lemmaCorrect += 1
                } else {
                    report.lemmaErrors[
                        "\(w.form) \(PennTag.names[Int(token.tag)]): \(lemma) -> \(w.lemma)", default: 0] += 1
                }
            }
        }
    }
}
