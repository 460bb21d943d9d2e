import Testing

@testable import Newsmill

@Suite struct LemmatizerTests {
    // UD English conventions, checked in en_ewt/en_gum train: went/VBD -> go, mice/NNS -> mouse,
    // better/JJR -> good, better/RBR -> well, n't -> not, ca/MD -> can, me -> I.
    static let cases: [(form: String, xpos: String, upos: String, lemma: String)] = [
        ("went", "VBD", "VERB", "go"),
        ("mice", "NNS", "NOUN", "mouse"),
        ("better", "JJR", "ADJ", "good"),
        ("better", "RBR", "ADV", "well"),
        ("worse", "JJR", "ADJ", "bad"),
        ("children", "NNS", "NOUN", "child"),
        ("was", "VBD", "AUX", "be"),
        ("n't", "RB", "PART", "not"),
        ("ca", "MD", "AUX", "can"),
        ("me", "PRP", "PRON", "I"),
        ("I", "PRP", "PRON", "I"),
        ("The", "DT", "DET", "the"),
        ("running", "VBG", "VERB", "run"),
        ("studies", "VBZ", "VERB", "study"),
        ("Americans", "NNPS", "PROPN", "American"),
        ("London", "NNP", "PROPN", "London"),
        ("Cats", "NNS", "NOUN", "cat"),
        // Unseen words go through suffix rules.
        ("blorfed", "VBD", "VERB", "blorf"),
        ("zindles", "NNS", "NOUN", "zindle"),
        ("42", "CD", "NUM", "42"),
        // Rule classes, on forms of the train splits: NNP-tagged adjectives keep their case,
        // lower-case proper nouns take their known capital, numbers drop digit-group commas.
        ("National", "NNP", "ADJ", "National"),
        ("Supreme", "NNP", "ADJ", "Supreme"),
        ("canada", "NNP", "PROPN", "Canada"),
        ("christmas", "NNP", "PROPN", "Christmas"),
        ("2,000", "CD", "NUM", "2000"),
        // ... and on unseen forms.
        ("3,456,789", "CD", "NUM", "3456789"),
        ("Argentinian", "JJ", "ADJ", "argentinian"),
        ("dissatisfied", "VBN", "VERB", "dissatisfy"),
        ("blorfied", "VBD", "VERB", "blorfy"),
    ]

    @Test(arguments: LemmatizerTests.cases)
    func shippedLemmatizer(_ c: (form: String, xpos: String, upos: String, lemma: String)) throws {
        let lemmatizer = try #require(TaggerTestData.shippedLemmatizer)
        #expect(lemmatizer.lemma(of: c.form, xpos: c.xpos, upos: c.upos) == c.lemma)
    }

    @Test func aLemmaIsAlwaysValidUTF8WhateverTheTag() throws {
        // A tag's default rule strips bytes it did not match ("s" of NNS, "ed" of VBD);
        // on a form ending in a multi-byte character it used to cut the character in two.
        let lemmatizer = try #require(TaggerTestData.shippedLemmatizer)
        let forms = ["é", "cafés", "naïve", "🙂", "👍🏽", "中文", "Zürich", "ﬁ", "e\u{301}", "–", "€", "Ελλάδα"]
        var checked = 0
        for form in forms {
            for xpos in ["NNS", "NNPS", "VBD", "VBN", "VBG", "VBZ", "JJR", "JJS", "RBR", "NN", "NNP", "CD"] {
                var out: [UInt8] = []
                Array(form.utf8).withUnsafeBufferPointer {
                    lemmatizer.lemmatize($0, xpos: PennTag.id(xpos) ?? 0, upos: UPOS.id("NOUN") ?? 0, into: &out)
                }
                #expect(String(validating: out, as: UTF8.self) != nil, "\(form)/\(xpos) -> \(out)")
                checked += 1
            }
        }
        #expect(checked == 144)
        #expect(lemmatizer.lemma(of: "é", xpos: "NNS", upos: "NOUN") == "é")
    }

    @Test func fileRoundTripIsByteStable() throws {
        let lemmatizer = try #require(TaggerTestData.shippedLemmatizer)
        let bytes = lemmatizer.modelFile().encoded()
        let again = try Lemmatizer(file: try ModelFile(bytes: bytes, path: "x"), path: "x")
        #expect(again.modelFile().encoded() == bytes)
        #expect(again.lemma(of: "went", xpos: "VBD", upos: "VERB") == "go")
    }

    @Test func hotPathConstantsMatchTheTagSets() {
        #expect(Lemmatizer.properNoun == UPOS.id("PROPN"))
        #expect(Lemmatizer.nnp == PennTag.id("NNP"))
        #expect(Lemmatizer.nnps == PennTag.id("NNPS"))
    }

    @Test func refusesAModelOfOtherRuleSemantics() throws {
        let lemmatizer = try #require(TaggerTestData.shippedLemmatizer)
        var file = lemmatizer.modelFile()
        var metadata = lemmatizer.metadata
        metadata["rules"] = nil
        file.sections = file.sections.map {
            $0.0 == Lemmatizer.sectionMeta ? ($0.0, ModelMetadata.encode(metadata)) : $0
        }
        #expect {
            try Lemmatizer(file: try ModelFile(bytes: file.encoded(), path: "old.nmm"), path: "old.nmm")
        } throws: { error in
            "\(error)".contains("retrain")
        }
    }

    static let digitGroups: [(String, Bool)] = [
        ("1,100", true), ("12,345,678", true), ("1,234.5", true), ("999,999.25", true),
        ("1100", false), ("12,34", false), ("1,2345", false), ("1234,567", false), (",100", false),
        ("1,100.", false), ("1.5,000", false), ("1,000a", false), ("", false),
    ]

    @Test(arguments: LemmatizerTests.digitGroups)
    func digitGroupNumbers(_ c: (String, Bool)) {
        #expect(Lemmatizer.isDigitGroupNumber(Array(c.0.utf8)) == c.1)
    }
}
