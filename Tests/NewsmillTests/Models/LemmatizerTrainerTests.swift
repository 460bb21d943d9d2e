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
}
