import Testing

@testable import Newsmill

@Suite(.enabled(if: TaggerTestData.udAvailable, Comment(rawValue: TaggerTestData.skipMessage)))
struct LemmatizerTrainerTests {
    @Test func learnsRulesAndExceptionsFromASlice() throws {
        let train = try TaggerTestData.sentences("en_ewt-ud-train.conllu", count: 3000)
        let dev = try TaggerTestData.sentences("en_ewt-ud-dev.conllu", count: 300)
        var lines: [String] = []
        let (lemmatizer, file) = LemmatizerTrainer().train(train: train, dev: [("dev", dev)]) { lines.append($0) }
        #expect(lines.contains { $0.contains("dev: lemma ") })
        #expect(LemmatizerTrainer.accuracy(of: lemmatizer, on: dev) > 0.95)
        #expect(lemmatizer.exceptionCount > 100)
        #expect(lemmatizer.lemma(of: "went", xpos: "VBD", upos: "VERB") == "go")
        // Deterministic.
        let again = LemmatizerTrainer().train(train: train).file
        #expect(again.encoded() == file.encoded())
    }

    @Test func tinyHandMadeData() throws {
        let text = """
            1\tcats\tcat\tNOUN\tNNS\t_\t0\troot\t_\t_
            2\tdogs\tdog\tNOUN\tNNS\t_\t1\tdep\t_\t_
            3\tgeese\tgoose\tNOUN\tNNS\t_\t1\tdep\t_\t_
            4\tParis\tParis\tPROPN\tNNP\t_\t1\tdep\t_\t_

            """
        let lemmatizer = LemmatizerTrainer().train(train: try CoNLLUReader.parse(text)).lemmatizer
        #expect(lemmatizer.lemma(of: "rats", xpos: "NNS", upos: "NOUN") == "rat")
        #expect(lemmatizer.lemma(of: "Geese", xpos: "NNS", upos: "NOUN") == "goose")
        #expect(lemmatizer.lemma(of: "Paris", xpos: "NNP", upos: "PROPN") == "Paris")
    }

    @Test func frequentFormsStoredWholeChangeNoLemma() throws {
        let train = try TaggerTestData.sentences("en_ewt-ud-train.conllu", count: 1000)
        let dev = try TaggerTestData.sentences("en_ewt-ud-dev.conllu", count: 200)
        var rulesOnly = LemmatizerTrainer.Options()
        rulesOnly.lexiconMinCount = 0
        let plain = LemmatizerTrainer(options: rulesOnly).train(train: train).lemmatizer
        let stored = LemmatizerTrainer().train(train: train).lemmatizer
        #expect(stored.exceptionCount > plain.exceptionCount + 500)
        for word in (train.prefix(200) + dev).flatMap(\.words) {
            #expect(
                stored.lemma(of: word.form, xpos: word.xpos, upos: word.upos)
                    == plain.lemma(of: word.form, xpos: word.xpos, upos: word.upos), "\(word.form) \(word.xpos)")
        }
    }
}

/// The rule classes of ``LemmatizerTrainer``, each learned from a few real words of the UD
/// English train splits (en_ewt-ud-train, en_gum-ccby-train; CC BY-SA 4.0, see models/README.md).
@Suite struct LemmatizerRuleClassTests {
    /// One CoNLL-U sentence of (form, lemma, UPOS, Penn tag) words.
    static func train(_ words: [(String, String, String, String)], options: LemmatizerTrainer.Options = .init())
        throws -> Lemmatizer
    {
        var text = ""
        for (i, w) in words.enumerated() {
            text += "\(i + 1)\t\(w.0)\t\(w.1)\t\(w.2)\t\(w.3)\t_\t\(i == 0 ? 0 : 1)\t\(i == 0 ? "root" : "dep")\t_\t_\n"
        }
        return LemmatizerTrainer(options: options).train(train: try CoNLLUReader.parse(text + "\n")).lemmatizer
    }

    static let someAdjectives = [
        ("big", "big", "ADJ", "JJ"), ("new", "new", "ADJ", "JJ"), ("good", "good", "ADJ", "JJ"),
    ]

    /// UD English keeps the case of NNP-tagged adjectives and verbs (EWT *National*/ADJ/NNP, GUM
    /// *Rolling* → *Roll*/VERB/NNP): the case comes from the Penn tag, not only from PROPN.
    @Test func nnpTaggedAdjectivesAndVerbsKeepCase() throws {
        let lemmatizer = try Self.train([
            ("National", "National", "ADJ", "NNP"), ("Islamic", "Islamic", "ADJ", "NNP"),
            ("Supreme", "Supreme", "ADJ", "NNP"), ("Rolling", "Roll", "VERB", "NNP"),
            ("Deemed", "Deem", "VERB", "NNP"), ("London", "London", "PROPN", "NNP"),
        ])
        #expect(lemmatizer.lemma(of: "National", xpos: "NNP", upos: "ADJ") == "National")
        #expect(lemmatizer.lemma(of: "Rolling", xpos: "NNP", upos: "VERB") == "Roll")
        // Unseen: the NNP rules keep the form, case included.
        #expect(lemmatizer.lemma(of: "Federal", xpos: "NNP", upos: "ADJ") == "Federal")
        #expect(lemmatizer.lemma(of: "federal", xpos: "JJ", upos: "ADJ") == "federal")
    }

    /// EWT writes the lemma of a lower-case proper noun with its usual capital (*canada* →
    /// *Canada*, *sunday* → *Sunday*) when that capitalized form is a lemma it knows; a name
    /// that is a lower-case lemma itself (*al*) or unknown stays as written.
    @Test func lowerCaseProperNounsTakeTheirKnownCapital() throws {
        let lemmatizer = try Self.train([
            ("Canada", "Canada", "PROPN", "NNP"), ("Sunday", "Sunday", "PROPN", "NNP"),
            ("Christmas", "Christmas", "PROPN", "NNP"), ("al", "al", "PROPN", "NNP"),
            ("de", "de", "PROPN", "NNP"),
        ])
        #expect(lemmatizer.lemma(of: "canada", xpos: "NNP", upos: "PROPN") == "Canada")
        #expect(lemmatizer.lemma(of: "sunday", xpos: "NNP", upos: "PROPN") == "Sunday")
        #expect(lemmatizer.lemma(of: "al", xpos: "NNP", upos: "PROPN") == "al")
        #expect(lemmatizer.lemma(of: "kerala", xpos: "NNP", upos: "PROPN") == "kerala")
        // Only for proper-noun tags.
        #expect(lemmatizer.lemma(of: "sunday", xpos: "NN", upos: "NOUN") == "sunday")
    }

    /// Numbers lose the commas between digit groups under the tags whose training lemmas
    /// drop them (EWT/GUM *2,000* → *2000* for CD), and only there.
    @Test func digitGroupCommasAreLearnedPerTag() throws {
        let numbers = [
            ("2,000", "2000", "NUM", "CD"), ("5,000", "5000", "NUM", "CD"), ("15,000", "15000", "NUM", "CD"),
            ("1,200", "1200", "NUM", "CD"), ("60,000", "60000", "NUM", "CD"),
        ]
        let lemmatizer = try Self.train(numbers + Self.someAdjectives)
        #expect(lemmatizer.metadata["digit_comma_tags"] == "CD")
        #expect(lemmatizer.lemma(of: "3,456,789", xpos: "CD", upos: "NUM") == "3456789")
        #expect(lemmatizer.lemma(of: "1,234.5", xpos: "CD", upos: "NUM") == "1234.5")
        #expect(lemmatizer.lemma(of: "12,34", xpos: "CD", upos: "NUM") == "12,34")
        #expect(lemmatizer.lemma(of: "3,456", xpos: "NN", upos: "NOUN") == "3,456")
        // A model whose data keeps the commas keeps them.
        let kept = try Self.train(numbers.map { ($0.0, $0.0, $0.2, $0.3) } + Self.someAdjectives)
        #expect(kept.metadata["digit_comma_tags"] == "")
        #expect(kept.lemma(of: "3,456,789", xpos: "CD", upos: "NUM") == "3,456,789")
    }

    /// A type whose lemma shares no prefix with its lower-cased form (*Palestinian*/JJ:
    /// *palestinian* → *Palestinian*) is a whole-word rewrite: it must not become the rule of
    /// its suffix, where it used to turn *Argentinian* into *Palestinian*.
    @Test func wholeWordRewritesDoNotBecomeSuffixRules() throws {
        let lemmatizer = try Self.train(
            [("Palestinian", "Palestinian", "ADJ", "JJ"), ("Egyptian", "Egyptian", "ADJ", "JJ")]
                + Self.someAdjectives)
        #expect(lemmatizer.lemma(of: "Palestinian", xpos: "JJ", upos: "ADJ") == "Palestinian")
        // Lower-cased like any unseen adjective (the case of nationality adjectives is not learned).
        #expect(lemmatizer.lemma(of: "Argentinian", xpos: "JJ", upos: "ADJ") == "argentinian")
    }

    /// Suffix rules still apply to unseen forms, and the empty suffix keeps the tag's default
    /// rule (so an unseen -ed participle is not left whole when an adjective of that form is a
    /// known lemma).
    @Test func suffixRulesStillGeneralize() throws {
        let lemmatizer = try Self.train([
            ("satisfied", "satisfy", "VERB", "VBN"), ("certified", "certify", "VERB", "VBN"),
            ("impressed", "impress", "VERB", "VBN"), ("pressed", "press", "VERB", "VBN"),
            ("addressed", "address", "VERB", "VBN"), ("used", "use", "VERB", "VBN"),
            ("based", "base", "VERB", "VBN"), ("caused", "cause", "VERB", "VBN"), ("put", "put", "VERB", "VBN"),
            ("set", "set", "VERB", "VBN"), ("depressed", "depressed", "ADJ", "JJ"),
        ])
        #expect(lemmatizer.lemma(of: "dissatisfied", xpos: "VBN", upos: "VERB") == "dissatisfy")
        #expect(lemmatizer.lemma(of: "depressed", xpos: "VBN", upos: "VERB") == "depress")
    }
}
