/// Measures the segmenter against CoNLL-U gold data (the UD English treebanks).
///
/// Tokens: each sentence's `# text` is tokenized and compared with the gold syntactic
/// words by byte offsets. A multiword token's parts ("don't" = "do" + "n't") get
/// offsets by finding each part in the surface form in turn. Sentences: the sentences
/// of each paragraph (`# newpar`, or the document) are joined with spaces, paragraphs
/// with line breaks, and predicted sentence spans are compared with the gold ones.
public enum TokenizationEvaluation {
    /// Precision, recall and F1 counts.
    public struct Score: Sendable, Equatable, CustomStringConvertible {
        public var gold = 0
        public var predicted = 0
        public var matched = 0
        /// An empty score.
        public init() {}
        public var precision: Double { predicted == 0 ? 0 : Double(matched) / Double(predicted) }
        public var recall: Double { gold == 0 ? 0 : Double(matched) / Double(gold) }
        public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
        public var description: String {
            func pct(_ x: Double) -> String { String(Double(Int(x * 100_000)) / 1000) }
            return
                "P \(pct(precision))  R \(pct(recall))  F1 \(pct(f1))  (gold \(gold), predicted \(predicted), matched \(matched))"
        }
    }

    /// One gold sentence: its text and gold word spans (UTF-8 byte offsets into `text`).
    public struct GoldSentence: Sendable {
        public var text: String
        public var words: [Span]
        public var startsDocument: Bool
        public var startsParagraph: Bool
    }

    /// A sentence whose tokens differ from gold: the text, gold and predicted token strings.
    public struct Mismatch: Sendable {
        public var text: String
        public var gold: [String]
        public var predicted: [String]
    }

    /// Parses CoNLL-U text. Sentences without a `# text` comment are skipped.
    public static func parse(conllu: String) -> [GoldSentence] {
        var result: [GoldSentence] = []
        var text: String?
        var forms: [(form: String, parts: [String])] = []
        var pendingMultiword: (last: Int, form: String, parts: [String])?
        var newDocument = false
        var newParagraph = false

        func finish() {
            defer {
                text = nil
                forms = []
                pendingMultiword = nil
                newDocument = false
                newParagraph = false
            }
            guard let text else { return }
            let bytes = Array(text.utf8)
            var words: [Span] = []
            var position = 0
            for (form, parts) in forms {
                let formBytes = Array(form.utf8)
                guard let found = find(formBytes, in: bytes, from: position) else { continue }
                position = found + formBytes.count
                if parts.count <= 1 {
                    words.append(Span(found..<position))
                    continue
                }
                // Give each part offsets inside the surface form.
                var cursor = found
                for (k, part) in parts.enumerated() {
                    let partBytes = Array(part.utf8)
                    let remainingParts = parts.count - k - 1
                    if let at = find(partBytes, in: bytes[..<position], from: cursor, foldCase: true), at == cursor {
                        let end = k == parts.count - 1 ? position : at + partBytes.count
                        words.append(Span(at..<end))
                        cursor = end
                    } else {
                        let end =
                            remainingParts == 0
                            ? position : min(position - remainingParts, cursor + max(1, partBytes.count))
                        words.append(Span(cursor..<max(cursor, end)))
                        cursor = max(cursor, end)
                    }
                }
            }
            result.append(
                GoldSentence(text: text, words: words, startsDocument: newDocument, startsParagraph: newParagraph))
        }

        for line in conllu.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty {
                finish()
                continue
            }
            if line.hasPrefix("#") {
                if line.hasPrefix("# text = ") {
                    text = String(line.dropFirst(9))
                } else if line.hasPrefix("# newdoc") {
                    newDocument = true
                    newParagraph = true
                } else if line.hasPrefix("# newpar") {
                    newParagraph = true
                }
                continue
            }
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard columns.count >= 2 else { continue }
            let id = columns[0]
            if id.contains(".") { continue }
            if let dash = id.firstIndex(of: "-") {
                guard let last = Int(id[id.index(after: dash)...]) else { continue }
                pendingMultiword = (last, String(columns[1]), [])
                continue
            }
            guard let number = Int(id) else { continue }
            if var multiword = pendingMultiword {
                multiword.parts.append(String(columns[1]))
                if number >= multiword.last {
                    forms.append((multiword.form, multiword.parts))
                    pendingMultiword = nil
                } else {
                    pendingMultiword = multiword
                }
                continue
            }
            forms.append((String(columns[1]), []))
        }
        finish()
        return result
    }

    private static func find<C: RandomAccessCollection>(
        _ needle: [UInt8], in haystack: C, from start: Int, foldCase: Bool = false
    ) -> Int? where C.Element == UInt8, C.Index == Int {
        guard !needle.isEmpty, haystack.endIndex - start >= needle.count, start >= haystack.startIndex else {
            return nil
        }
        var i = start
        while i + needle.count <= haystack.endIndex {
            var k = 0
            while k < needle.count {
                let a = haystack[i + k]
                let b = needle[k]
                if a != b && !(foldCase && ByteStringTable.lower(a) == ByteStringTable.lower(b)) { break }
                k += 1
            }
            if k == needle.count { return i }
            i += 1
        }
        return nil
    }

    /// Token precision, recall and F1 of `segmenter` on `sentences`; collects up to
    /// `maxMismatches` differing sentences.
    public static func tokenScore(
        of segmenter: Segmenter, on sentences: [GoldSentence], maxMismatches: Int = 0
    ) -> (score: Score, mismatches: [Mismatch]) {
        var score = Score()
        var mismatches: [Mismatch] = []
        var tokens: [Token] = []
        var scratch: [Int32] = []
        for sentence in sentences {
            var text = sentence.text
            tokens.removeAll(keepingCapacity: true)
            text.withUTF8 { segmenter.tokenize($0, into: &tokens, scratch: &scratch) }
            let predicted = Set(tokens.map { Span(start: $0.start, end: $0.end) })
            let gold = Set(sentence.words)
            score.gold += sentence.words.count
            score.predicted += tokens.count
            let matched = gold.intersection(predicted).count
            score.matched += matched
            if mismatches.count < maxMismatches && (matched != tokens.count || matched != sentence.words.count) {
                let bytes = Array(sentence.text.utf8)
                func strings(_ spans: [Span]) -> [String] {
                    spans.map { String(decoding: bytes[Int($0.start)..<Int($0.end)], as: UTF8.self) }
                }
                mismatches.append(
                    Mismatch(
                        text: sentence.text, gold: strings(sentence.words),
                        predicted: strings(tokens.map { Span(start: $0.start, end: $0.end) })))
            }
        }
        return (score, mismatches)
    }

    /// Sentence-boundary score: paragraphs rebuilt by joining gold sentences with spaces
    /// (paragraphs with line breaks, one text a document), predicted spans vs gold spans.
    public static func sentenceScore(of segmenter: Segmenter, on sentences: [GoldSentence]) -> Score {
        sentenceScore(of: segmenter, on: sentences, maxMismatches: 0).score
    }

    /// Sentence-boundary score plus up to `maxMismatches` sentences that only gold has
    /// and that only the segmenter produced.
    public static func sentenceScore(of segmenter: Segmenter, on sentences: [GoldSentence], maxMismatches: Int)
        -> (score: Score, goldOnly: [String], predictedOnly: [String])
    {
        var goldOnly: [String] = []
        var predictedOnly: [String] = []
        var score = Score()
        var document = ""
        var goldSpans: [Span] = []
        func flush() {
            guard !goldSpans.isEmpty else { return }
            let predicted = segmenter.segment(document).sentences
            score.gold += goldSpans.count
            score.predicted += predicted.count
            let goldSet = Set(goldSpans)
            let predictedSet = Set(predicted)
            score.matched += goldSet.intersection(predictedSet).count
            if goldOnly.count < maxMismatches || predictedOnly.count < maxMismatches {
                let bytes = Array(document.utf8)
                func string(_ span: Span) -> String {
                    String(decoding: bytes[Int(span.start)..<Int(span.end)], as: UTF8.self)
                }
                for span in goldSpans where !predictedSet.contains(span) && goldOnly.count < maxMismatches {
                    goldOnly.append(string(span))
                }
                for span in predicted where !goldSet.contains(span) && predictedOnly.count < maxMismatches {
                    predictedOnly.append(string(span))
                }
            }
            document = ""
            goldSpans = []
        }
        for sentence in sentences {
            if sentence.startsDocument { flush() }
            if !document.isEmpty { document += sentence.startsParagraph ? "\n" : " " }
            let trimmed = sentence.text.trimmingCharacters(in: " ")
            let start = document.utf8.count
            document += trimmed
            goldSpans.append(Span(start..<document.utf8.count))
        }
        flush()
        return (score, goldOnly, predictedOnly)
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}
