import ArgumentParser
import Foundation
import Newsmill

/// `newsmill train lemma`: learns the lemmatizer's suffix rules and exceptions.
struct TrainLemmaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lemma",
        abstract: "Train the lemmatizer (suffix rules by Penn tag plus exceptions) from CoNLL-U files.",
        discussion: """
            Deterministic: the same files and options give a byte-identical model.
            Example:
              newsmill train lemma --train en_ewt-ud-train.conllu --train en_gum-ccby-train.conllu \\
                --dev en_ewt-ud-dev.conllu --dev en_gum-ccby-dev.conllu --output models/en-lemma.nmm
            """)

    @OptionGroup var files: CoNLLUTrainingFiles

    @Option(help: "Longest suffix (bytes) a rule is keyed by.")
    var maxSuffix: Int = 6

    @Option(help: "Word types a (tag, suffix) key needs before it gets a rule.")
    var minRuleTypes: Int = 2

    @Option(help: "Forms seen this often are stored whole (same lemmas, one lookup instead of the rules; 0: off).")
    var lexiconMinCount: Int = 2

    func validate() throws {
        guard (0...32).contains(maxSuffix) else { throw ValidationError("--max-suffix must be from 0 to 32") }
    }

    func run() throws {
        let (train, dev) = try files.load()
        guard train.contains(where: { !$0.words.isEmpty }) else {
            throw ValidationError(
                "cannot train on \(files.trainFiles.joined(separator: ", ")): the training files hold no words")
        }
        var options = LemmatizerTrainer.Options()
        options.maxSuffix = maxSuffix
        options.minRuleTypes = minRuleTypes
        options.lexiconMinCount = lexiconMinCount
        let metadata = [
            "trained_on": files.trainedOn,
            "tool": "newsmill train lemma",
        ]
        let (_, file) = LemmatizerTrainer(options: options).train(train: train, dev: dev, metadata: metadata) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        try file.write(to: files.output)
        print("wrote \(files.output)")
    }
}
