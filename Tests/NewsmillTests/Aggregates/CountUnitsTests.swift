import Testing

@testable import Newsmill

/// The units the `counts` aggregate counts besides terms: lemmas, entities by label,
/// n-grams within sentences, and pairs of entities in one sentence.
@Suite struct CountUnitsTests {
    /// A document with whitespace tokens, `|` between sentences, lemmas after `/`
    /// ("went/go") and entities in brackets (`[New York]GPE`, one token a word).
    static func document(_ source: String, id: String = "d") -> Document {
        var text = ""
        var tokens: [Token] = []
        var lemmas: [(Int, String)] = []
        var entities: [Entity] = []
        var sentences: [Span] = []
        var sentence: Int32 = 0
        var sentenceStart = 0
        var entityStart: Int?
        for word in source.split(separator: " ") {
            if word == "|" {
                sentences.append(Span(sentenceStart..<text.utf8.count))
                sentence += 1
                continue
            }
            var w = String(word)
            if w.hasPrefix("[") {
                w.removeFirst()
                entityStart = text.utf8.count + (text.isEmpty ? 0 : 1)
            }
            var label: String?
            if let close = w.firstIndex(of: "]") {
                label = String(w[w.index(after: close)...])
                w = String(w[..<close])
            }
            var lemma: String?
            if let slash = w.firstIndex(of: "/") {
                lemma = String(w[w.index(after: slash)...])
                w = String(w[..<slash])
            }
            if !text.isEmpty { text += " " }
            if tokens.last?.sentence != sentence { sentenceStart = text.utf8.count }
            let start = text.utf8.count
            text += w
            var token = Token(start..<text.utf8.count)
            token.sentence = sentence
            tokens.append(token)
            if let lemma { lemmas.append((tokens.count - 1, lemma)) }
            if let label, let s = entityStart, let l = EntityLabel(name: label) {
                entities.append(Entity(start: Int32(s), end: Int32(text.utf8.count), label: l))
                entityStart = nil
            }
        }
        sentences.append(Span(sentenceStart..<text.utf8.count))
        var doc = Document(id: id, source: SourceLocation(path: "p", line: 1), text: text)
        doc.tokens = tokens
        doc.sentences = sentences
        doc.entities = entities
        for (i, lemma) in lemmas { doc.setLemma(ofToken: i, to: Array(lemma.utf8)) }
        return doc
    }

    static func records(_ options: [String: String], _ documents: [Document]) throws -> [AggregateRecord] {
        var counts = try CountsAggregator(options: StageOptions(options))
        for d in documents { counts.add(d) }
        return counts.records()
    }

    static func counted(_ records: [AggregateRecord], field: String) -> [String] {
        records.filter { $0.extra.first == JSONMember("field", .string(field)) }.map { r in
            let label = r.extra.first { $0.key == "label" || $0.key == "labels" }.map { " \($0.value.jsonText)" } ?? ""
            let docs = r.extra.first { $0.key == "docs" }?.value.intValue ?? -1
            return "\(r.key.jsonText)\(label) \(r.count)/\(docs)"
        }
    }

    @Test func lemmasAreCountedInPlaceOfForms() throws {
        let docs = [
            Self.document("She went/go home | They go home", id: "a"), Self.document("He goes/go", id: "b"),
        ]
        let records = try Self.records(["unit": "lemmas", "top_k": "3"], docs)
        #expect(Self.counted(records, field: "lemma") == ["\"go\" 3/2", "\"home\" 2/1", "\"he\" 1/1"])
        #expect(
            records.contains(
                AggregateRecord(
                    key: .string("distinct_lemmas"), count: 5, extra: [JSONMember("field", .string("total"))])))
    }

    @Test func entitiesAreCountedByLabelWithDocumentFrequency() throws {
        let docs = [
            Self.document("[China]GPE and [China]GPE met [Wang Yi]PERSON | [China]GPE", id: "a"),
            Self.document("[china]PERSON left on [Tuesday]DATE", id: "b"),
        ]
        let all = try Self.records(["unit": "entities", "top_k": "0"], docs)
        #expect(
            Self.counted(all, field: "entity") == [
                "\"China\" \"GPE\" 3/1", "\"Tuesday\" \"DATE\" 1/1", "\"Wang Yi\" \"PERSON\" 1/1",
                "\"china\" \"PERSON\" 1/1",
            ])
        // Case is kept unless asked; labels restrict.
        let names = try Self.records(["unit": "entities", "labels": "PERSON", "lowercase": "true"], docs)
        #expect(Self.counted(names, field: "entity") == ["\"china\" \"PERSON\" 1/1", "\"wang yi\" \"PERSON\" 1/1"])
    }

    @Test func ngramsStayInsideSentences() throws {
        let docs = [Self.document("The cat sat | The cat , ran", id: "a"), Self.document("the cat", id: "b")]
        let bigrams = try Self.records(["unit": "ngrams", "top_k": "0"], docs)
        #expect(Self.counted(bigrams, field: "ngram") == ["\"the cat\" 3/2", "\"cat sat\" 1/1"])
        let withPunctuation = try Self.records(["unit": "ngrams", "n": "3", "punctuation": "true"], docs)
        #expect(
            Self.counted(withPunctuation, field: "ngram") == [
                "\"cat , ran\" 1/1", "\"the cat ,\" 1/1", "\"the cat sat\" 1/1",
            ])
    }

    @Test func pairsAreDistinctEntitiesOfOneSentence() throws {
        let docs = [
            Self.document(
                "[Russia]GPE and [Ukraine]GPE and [Russia]GPE on [Monday]DATE | [Ukraine]GPE and [China]GPE", id: "a"),
            Self.document("[Ukraine]GPE , [Russia]GPE", id: "b"),
        ]
        let pairs = try Self.records(["unit": "cooccurrence", "top_k": "0"], docs)
        #expect(
            Self.counted(pairs, field: "pair") == [
                "[\"Russia\",\"Ukraine\"] [\"GPE\",\"GPE\"] 2/2", "[\"China\",\"Ukraine\"] [\"GPE\",\"GPE\"] 1/1",
            ])
        // All labels, when asked: the date also pairs with both countries of its sentence.
        let all = try Self.records(["unit": "cooccurrence", "labels": "all", "top_k": "0"], docs)
        #expect(Self.counted(all, field: "pair").count == 4)
    }

    /// Entities and pairs go through the same tables as terms: partials merge, spill and
    /// round-trip exactly.
    @Test(arguments: ["entities", "cooccurrence", "ngrams", "lemmas"])
    func unitsMergeSpillAndRoundTripExactly(unit: String) throws {
        let scratch = TestSupport.temporaryDirectory() + "/scratch"
        defer { AggregateScratch(directory: scratch, partials: 1).removeAll() }
        var random = SeededGenerator(seed: 5)
        let labels = ["GPE", "PERSON", "ORG", "DATE"]
        let documents = (0..<300).map { k -> Document in
            let words = (0..<12).map { _ -> String in
                let w = "W\(random.below(400))"
                switch random.below(4) {
                case 0: return "[\(w)]\(labels[random.below(4)])"
                case 1: return "\(w)/l\(random.below(50))"
                case 2: return "|"
                default: return w
                }
            }
            return Self.document("start " + words.joined(separator: " "), id: "d\(k)")
        }
        let options = ["unit": unit, "top_k": "0"]
        var whole = try CountsAggregator(options: StageOptions(options))
        var a = try CountsAggregator(options: StageOptions(options))
        a.budgetOverride = 4_000
        a.prepare(AggregateScratch(directory: scratch, partials: 1))
        var b = try CountsAggregator(options: StageOptions(options))
        for (k, d) in documents.enumerated() {
            whole.add(d)
            if k % 2 == 0 { a.add(d) } else { b.add(d) }
        }
        #expect(!a.runs.isEmpty, "nothing spilled")
        a.merge(b)
        #expect(a.records() == whole.records())
        var loaded = try CountsAggregator(options: StageOptions(options))
        try loaded.decodePartial(try JSONParser.parse(whole.encodePartial().jsonText))
        #expect(loaded.records() == whole.records())
    }

    @Test func badUnitsAndLabelsAreConfigErrors() {
        #expect(throws: ConfigError.self) { try CountsAggregator(options: StageOptions(["unit": "entity"])) }
        #expect(throws: ConfigError.self) { try CountsAggregator(options: StageOptions(["n": "1", "unit": "ngrams"])) }
        #expect(throws: ConfigError.self) {
            try CountsAggregator(options: StageOptions(["unit": "entities", "labels": "[PERSN]"]))
        }
    }
}
