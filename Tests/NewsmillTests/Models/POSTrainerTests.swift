import Testing

@testable import Newsmill

@Suite(.enabled(if: TaggerTestData.udAvailable, Comment(rawValue: TaggerTestData.skipMessage)))
struct POSTrainerTests {
    static func options(epochs: Int) -> POSTrainer.Options {
        var options = POSTrainer.Options()
        options.epochs = epochs
        options.lexiconFolds = 2
        options.seed = 3
        return options
    }

    @Test func smallTrainingRunReachesAnAccuracyFloor() throws {
        let train = try TaggerTestData.sentences("en_ewt-ud-train.conllu", count: 800)
        let dev = try TaggerTestData.sentences("en_ewt-ud-dev.conllu", count: 200)
        var lines: [String] = []
        let (model, file) = POSTrainer(options: Self.options(epochs: 3)).train(
            train: train, dev: [("dev", dev)], metadata: ["note": "test"]
        ) { lines.append($0) }
        // Progress and per-epoch dev accuracy are reported.
        #expect(lines.filter { $0.hasPrefix("epoch ") }.count == 3)
        #expect(lines.contains { $0.hasPrefix("epoch 3/3") && $0.contains("dev: tag ") })
        let (xpos, upos) = TaggedCorpus(dev).accuracy(of: model)
        #expect(upos > 0.80, "UPOS \(upos)")
        #expect(xpos > 0.78, "Penn tag \(xpos)")
        // The returned model is the stored one: reloading the file scores the same.
        let reloaded = try POSModel(file: try ModelFile(bytes: file.encoded(), path: "t"), path: "t")
        #expect(TaggedCorpus(dev).accuracy(of: reloaded) == (xpos, upos))
        #expect(reloaded.metadata["note"] == "test")
        #expect(reloaded.metadata["seed"] == "3")
    }

    @Test func trainingIsDeterministic() throws {
        let train = try TaggerTestData.sentences("en_gum-ccby-train.conllu", count: 250)
        let a = POSTrainer(options: Self.options(epochs: 2)).train(train: train).file.encoded()
        let b = POSTrainer(options: Self.options(epochs: 2)).train(train: train).file.encoded()
        #expect(a == b)
        var other = Self.options(epochs: 2)
        other.seed = 4
        let c = POSTrainer(options: other).train(train: train).file.encoded()
        #expect(a != c)
    }
}
