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

    /// Silver sentences with only a Penn tag (UPOS `_`): the word's class is latent, the
    /// best-scoring class with that tag. They teach tags but make no classes of their own.
    @Test func wordsWithOnlyAPennTagTrainTheTagAndMakeNoClasses() throws {
        let gold = try TaggerTestData.sentences("en_gum-ccby-train.conllu", count: 250)
        var silverText = ""
        for k in 0..<40 {
            let subject = ["He", "She", "It", "Everyone"][k % 4]
            let object = ["the cat", "a report", "the market", "it"][k % 4].split(separator: " ")
            var words = [(subject, "PRP"), ("sat", "VBD"), ("zorpity", "IN")]
            for w in object { words.append((String(w), w == "it" ? "PRP" : w == "the" || w == "a" ? "DT" : "NN")) }
            words.append((".", "."))
            silverText += "# sent_id = silver-\(k)\n"
            for (i, (form, tag)) in words.enumerated() {
                silverText += "\(i + 1)\t\(form)\t_\t_\t\(tag)\t_\t_\t_\t_\t_\n"
            }
            silverText += "\n"
        }
        let silver = try CoNLLUReader.parse(silverText)
        #expect(silver.count == 40)
        var lines: [String] = []
        let goldOnly = POSTrainer(options: Self.options(epochs: 3)).train(train: gold).model
        let mixed = POSTrainer(options: Self.options(epochs: 3)).train(train: gold + silver) { lines.append($0) }.model
        let silverWords = silver.reduce(0) { $0 + $1.words.count }
        #expect(lines.contains { $0.hasPrefix("\(silverWords) words with a Penn tag only") }, "\(lines)")
        // Same classes: the silver pairs (VBZ, _) and (PRP, _) made none.
        #expect(mixed.classCount == goldOnly.classCount)
        #expect(mixed.classXPOS == goldOnly.classXPOS && mixed.classUPOS == goldOnly.classUPOS)
        // The unseen preposition is learned from the silver Penn tags; its UPOS is one the
        // gold data pairs with IN (whichever scores best: the class is latent).
        let sentence = ["She", "sat", "zorpity", "the", "market", "."]
        let tagged = mixed.tags(for: sentence)
        #expect(tagged[2].tag == "IN")
        #expect(["ADP", "SCONJ"].contains(tagged[2].pos), "\(tagged[2])")
        #expect(goldOnly.tags(for: sentence)[2].tag != "IN")
    }

    /// Dictionary classes (`--lexical`) reach the model: a small model given, for words it
    /// never saw, what a dictionary says they can be, tags unseen words better. The
    /// "dictionary" here is made from other EWT sentences (form -> the UPOS set seen there),
    /// standing in for WordNet and the word list, which CI machines may not have.
    @Test func dictionaryClassesHelpOnUnseenWords() throws {
        let all = try CoNLLUReader.read(path: TaggerTestData.ud("en_ewt-ud-train.conllu"))
        let train = Array(all.prefix(400))
        let dev = try TaggerTestData.sentences("en_ewt-ud-dev.conllu", count: 300)
        var classes: [String: Set<String>] = [:]
        for sentence in all.dropFirst(400) {
            for word in sentence.words { classes[word.form.lowercased(), default: []].insert(word.upos) }
        }
        let entries = classes.keys.sorted().map {
            POSTrainer.LexicalEntry(
                form: Array($0.utf8), label: Array(classes[$0, default: []].sorted().joined(separator: ",").utf8))
        }
        var lines: [String] = []
        let plain = POSTrainer(options: Self.options(epochs: 2)).train(train: train).model
        let (withDictionary, file) = POSTrainer(options: Self.options(epochs: 2)).train(
            train: train, lexical: entries
        ) { lines.append($0) }
        #expect(lines.contains { $0.hasPrefix("dictionary classes: \(entries.count) forms") }, "\(lines)")
        let before = TaggedCorpus(dev).accuracy(of: plain).upos
        let after = TaggedCorpus(dev).accuracy(of: withDictionary).upos
        #expect(after > before + 0.02, "UPOS \(before) -> \(after)")
        // The classes are stored in the file: the reloaded model tags the same.
        let reloaded = try POSModel(file: try ModelFile(bytes: file.encoded(), path: "t"), path: "t")
        #expect(TaggedCorpus(dev).accuracy(of: reloaded).upos == after)
    }

    /// A malformed line of a dictionary-class file is named by path and line.
    @Test func malformedDictionaryClassLinesAreNamed() throws {
        let good = try POSTrainer.readLexical(Array("# comment\nrun\tn,v\r\n\nParis\tn,C\n".utf8), path: "d.tsv")
        #expect(good.map { String(decoding: $0.form, as: UTF8.self) } == ["run", "Paris"])
        #expect(good.map { String(decoding: $0.label, as: UTF8.self) } == ["n,v", "n,C"])
        #expect(
            throws: ConfigError.invalid(
                SourceLocation(path: "d.tsv", line: 2), detail: "expected `form<TAB>class` (dictionary classes)")
        ) {
            _ = try POSTrainer.readLexical(Array("run\tn\nwalk v\n".utf8), path: "d.tsv")
        }
        #expect(throws: ConfigError.self) {
            _ = try POSTrainer.readLexical(Array("run\t\n".utf8), path: "d.tsv")
        }
    }

    /// Training data the perceptron cannot learn from is named before training starts (the
    /// CLI reports it and exits), not found by a crash.
    @Test func dataWithoutTwoGoldClassesIsAProblem() throws {
        #expect(POSTrainer.problem(with: []) == "the training files hold no words")
        let silverOnly = try CoNLLUReader.parse(
            "1\tHello\t_\t_\tUH\t_\t_\t_\t_\t_\n2\tthere\t_\t_\tRB\t_\t_\t_\t_\t_\n\n")
        #expect(POSTrainer.problem(with: silverOnly)?.contains("they have 0") == true)
        let oneClass = try CoNLLUReader.parse("1\tHello\t_\tINTJ\tUH\t_\t_\t_\t_\t_\n\n")
        #expect(POSTrainer.problem(with: oneClass)?.contains("they have 1") == true)
        #expect(POSTrainer.problem(with: try TaggerTestData.sentences("en_gum-ccby-train.conllu", count: 20)) == nil)
    }
}
