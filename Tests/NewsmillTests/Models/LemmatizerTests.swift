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
    ]

    @Test(arguments: LemmatizerTests.cases)
    func shippedLemmatizer(_ c: (form: String, xpos: String, upos: String, lemma: String)) throws {
        let lemmatizer = try #require(TaggerTestData.shippedLemmatizer)
        #expect(lemmatizer.lemma(of: c.form, xpos: c.xpos, upos: c.upos) == c.lemma)
    }

    @Test func fileRoundTripIsByteStable() throws {
        let lemmatizer = try #require(TaggerTestData.shippedLemmatizer)
        let bytes = lemmatizer.modelFile().encoded()
        let again = try Lemmatizer(file: try ModelFile(bytes: bytes, path: "x"), path: "x")
        #expect(again.modelFile().encoded() == bytes)
        #expect(again.lemma(of: "went", xpos: "VBD", upos: "VERB") == "go")
    }
}
