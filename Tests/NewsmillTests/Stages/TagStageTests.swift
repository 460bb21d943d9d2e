import Testing

@testable import Newsmill

@Suite struct TagStageTests {
    static func options(lemmas: Bool = true) -> StageOptions {
        StageOptions(
            [
                "model": TaggerTestData.posModelPath, "lemma_model": TaggerTestData.lemmaModelPath,
                "lemmas": lemmas ? "true" : "false",
            ], stageName: "tag")
    }

    /// A document with whitespace tokens; `|` starts a new sentence.
    static func document(_ text: String) -> Document {
        var doc = Document(id: "t", source: SourceLocation(path: "t", line: 1), text: text)
        var sentence: Int32 = 0
        var start: Int?
        for (i, b) in (Array(text.utf8) + [0x20]).enumerated() {
            if b == 0x20 {
                if let s = start {
                    if text.utf8[text.utf8.index(text.utf8.startIndex, offsetBy: s)] == UInt8(ascii: "|") {
                        sentence += 1
                    } else {
                        var t = Token(s..<i)
                        t.sentence = sentence
                        doc.tokens.append(t)
                    }
                }
                start = nil
            } else if start == nil {
                start = i
            }
        }
        return doc
    }

    @Test func aStraightDoubleQuoteFacesTheWayItsSpacesSay() throws {
        func direction(_ text: String, at offset: Int, predicted: String) -> String {
            let bytes = Array(text.utf8)
            let tag = bytes.withUnsafeBufferPointer {
                TagStage.quoteDirection(
                    text: $0, start: offset, end: offset + 1, predicted: PennTag.id(predicted) ?? 0)
            }
            return PennTag.names[Int(tag)]
        }
        // From the Reuters articles the model got wrong.
        let said = #"He said Frank Carlucci "will wait until that report is out."#
        #expect(direction(said, at: 23, predicted: "''") == "``")
        let worked = #"at least the economy worked," a leading bank economist said."#
        #expect(direction(worked, at: 28, predicted: "``") == "''")
        let rates = #"far below the market rates." Ducommun said"#
        #expect(direction(rates, at: 27, predicted: "``") == "''")
        #expect(direction(#"("Yes")"#, at: 1, predicted: "''") == "``")
        #expect(direction(#"("Yes")"#, at: 5, predicted: "``") == "''")
        #expect(direction(#"""#, at: 0, predicted: "''") == "''")  // alone: the model decides
        #expect(direction(#"a " b"#, at: 2, predicted: "``") == "``")  // spaces on both sides too
    }

    @Test func isRegisteredAndListsItsOptions() throws {
        #expect(StageRegistry.standard.stageNames.contains("tag"))
        #expect(TagStage.optionSpecs.map(\.name) == ["model", "lemmas", "lemma_model"])
        let stage = try StageRegistry.standard.makeStage(named: "tag", options: Self.options())
        #expect(stage is TagStage)
    }

    @Test func tagsAndLemmatizesEachSentence() throws {
        let stage = try TagStage(options: Self.options())
        var doc = Self.document("The children went home . | She has better mice .")
        let context = StageContext()
        #expect(try stage.process(&doc, in: context) == .keep)
        let tags = doc.tokens.map { PennTag.names[Int($0.tag)] }
        let pos = doc.tokens.map { UPOS.names[Int($0.pos)] }
        let lemmas = doc.tokens.indices.map { doc.lemma(ofToken: $0) ?? "-" }
        #expect(tags == ["DT", "NNS", "VBD", "RB", ".", "PRP", "VBZ", "JJR", "NNS", "."])
        #expect(pos == ["DET", "NOUN", "VERB", "ADV", "PUNCT", "PRON", "VERB", "ADJ", "NOUN", "PUNCT"])
        #expect(lemmas == ["the", "child", "go", "home", ".", "she", "have", "good", "mouse", "."])
        // Lemmas equal to the form are not copied.
        #expect(doc.tokens[3].lemmaLength == Token.lemmaIsForm)
        #expect(context.counters["tag.tokens"] == 10)
    }

    @Test func memoizedLemmasAreTheLemmatizersForEveryToken() throws {
        // Ambiguous words come back with different tags across documents and sentences;
        // each token's lemma must still be the lemmatizer's for its own tags.
        let stage = try TagStage(options: Self.options())
        let lemmatizer = try #require(stage.lemmatizer)
        let context = StageContext()
        let sentences = [
            "I saw the saw . | He left the leaves on the left .",
            "She can can the cans . | Better results were better .",
            "They found a record and record it . | The lead singer will lead .",
            "Leaves fall . | He leaves . | The saw is old . | We saw it .",
        ]
        for round in 0..<3 {
            for text in sentences {
                var doc = Self.document(round == 1 ? text.uppercased() : text)
                _ = try stage.process(&doc, in: context)
                for (i, token) in doc.tokens.enumerated() {
                    let form = doc.string(of: token.span)
                    let expected = lemmatizer.lemma(
                        of: form, xpos: PennTag.names[Int(token.tag)], upos: UPOS.names[Int(token.pos)])
                    #expect(doc.lemma(ofToken: i) == expected, "\(form) in \(text)")
                }
            }
        }
    }

    /// A sentence longer than the tagger's window (a table or list without full stops) is
    /// tagged window by window; its tags are the reference decoder's and each lemma the
    /// lemmatizer's for its token (lemmas are memoized by cache entry, whose ids are per window).
    @Test func aSentenceLongerThanAWindowGetsTheReferenceTagsAndLemmas() throws {
        let stage = try TagStage(options: Self.options())
        let lemmatizer = try #require(stage.lemmatizer)
        let pattern = "I saw the saw and he left the leaves on the left , children went home with mice"
            .split(separator: " ")
        let words = (0..<(3 * POSWordCache.window + 7)).map { i in
            i % 19 == 18 ? "w\(i)x" : String(pattern[i % pattern.count])
        }
        var doc = Self.document(words.joined(separator: " "))
        let context = StageContext()
        _ = try stage.process(&doc, in: context)
        #expect(doc.tokens.count == words.count)
        let reference = POSScratch()
        for (i, token) in doc.tokens.enumerated() { reference.setToken(i, start: token.start, end: token.end) }
        doc.text.withUTF8 { stage.tagger.tagReference(text: $0, count: words.count, scratch: reference) }
        for (i, token) in doc.tokens.enumerated() {
            let c = reference.predictedClass(i)
            #expect(token.tag == stage.tagger.classXPOS[c] && token.pos == stage.tagger.classUPOS[c], "token \(i)")
            let expected = lemmatizer.lemma(
                of: words[i], xpos: PennTag.names[Int(token.tag)], upos: UPOS.names[Int(token.pos)])
            #expect(doc.lemma(ofToken: i) == expected, "token \(i): \(words[i])")
        }
    }

    @Test func lemmasCanBeTurnedOff() throws {
        let stage = try TagStage(options: Self.options(lemmas: false))
        #expect(stage.lemmatizer == nil)
        var doc = Self.document("Dogs bark .")
        _ = try stage.process(&doc, in: StageContext())
        #expect(doc.tokens.allSatisfy { $0.tag != 0 && $0.pos != 0 && $0.lemmaLength == Token.noLemma })
    }

    @Test func reusedScratchGivesTheSameTagsAndEmptyDocumentsPass() throws {
        let stage = try TagStage(options: Self.options())
        let context = StageContext()
        var long = Self.document(String(repeating: "the quick brown fox jumps over the lazy dog . ", count: 40))
        _ = try stage.process(&long, in: context)
        var short = Self.document("the quick brown fox jumps over the lazy dog .")
        _ = try stage.process(&short, in: context)
        #expect(short.tokens.map(\.tag) == Array(long.tokens.prefix(10)).map(\.tag))
        var empty = Document(id: "e", source: SourceLocation(path: "e", line: 1), text: "")
        #expect(try stage.process(&empty, in: context) == .keep)
    }

    @Test func aTokenSpanOutsideTheTextIsEmptiedNotACrash() throws {
        let stage = try TagStage(options: Self.options())
        var doc = Self.document("Dogs bark .")
        doc.tokens.append(Token(start: 8, end: 400))
        doc.tokens.append(Token(start: 5, end: 3))
        _ = try stage.process(&doc, in: StageContext())
        #expect(doc.tokens[3].span == Span(start: 0, end: 0))
        #expect(doc.tokens[4].span == Span(start: 0, end: 0))
        #expect(doc.tokens[0].tag == PennTag.id("NNS"))
    }

    @Test func aMissingModelIsAConfigErrorNamingThePath() {
        let options = StageOptions(["model": "/nonexistent/en-pos.nmm"], stageName: "tag")
        #expect {
            _ = try TagStage(options: options)
        } throws: { error in
            guard let e = error as? ConfigError, case .invalidOption(let key, let value, _, _) = e else { return false }
            return key == "model" && value == "/nonexistent/en-pos.nmm"
        }
    }

    @Test func rejectsABadLemmasValue() {
        let options = StageOptions(
            ["model": TaggerTestData.posModelPath, "lemmas": "maybe"], stageName: "tag")
        #expect(throws: ConfigError.self) { _ = try TagStage(options: options) }
    }
}
