import ArgumentParser
import Foundation
import Newsmill

/// `newsmill train pos`: trains the part-of-speech tagger.
struct TrainPOSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pos",
        abstract: "Train the part-of-speech tagger (averaged perceptron) from CoNLL-U files.",
        discussion: """
            Deterministic: the same files, options and seed give a byte-identical model.
            A file given twice counts twice. Words whose UPOS is `_` (silver data with a Penn
            tag only) train their Penn tag alone: their class is the best-scoring one with
            that tag, and they make no classes, lexicon or tag-dictionary entries.
            The shipped model's recipe (PTB conventions, silver news): models/README.md.
            Example:
              newsmill train pos --train en_ewt-ud-train.conllu --train en_gum-ccby-train.conllu \\
                --dev en_ewt-ud-dev.conllu --dev en_gum-ccby-dev.conllu --output models/en-pos.nmm
            """)

    @OptionGroup var files: CoNLLUTrainingFiles

    @Option(help: "Training epochs.")
    var epochs: Int = 10

    @Option(help: "Seed of the per-epoch shuffles.")
    var seed: UInt64 = 1

    @Option(help: "Class set: joint (Penn tag, UPOS) pairs, or xpos (UPOS from a fixed map).")
    var classes: String = "joint"

    @Option(help: "Keep features seen at least this often.")
    var minFeatureCount: Int = 2

    @Option(help: "Drop averaged weights smaller than this when writing the model.")
    var pruneBelow: Float = 0.5

    @Option(help: "Words seen this often with one class this share of the time skip scoring.")
    var dictionaryMinShare: Double = 0.99

    @Option(help: "Words seen at least this often get an ambiguity class.")
    var lexiconMinCount: Int = 3

    @Option(
        help: ArgumentHelp(
            "Dictionary classes of word forms (form<TAB>class lines, from scripts/pos/lexical_classes.py).",
            valueName: "file"))
    var lexical: String?

    func validate() throws {
        guard epochs > 0 else { throw ValidationError("--epochs must be positive") }
        guard POSTrainer.ClassSet(rawValue: classes) != nil else {
            throw ValidationError("--classes must be joint or xpos")
        }
    }

    func run() throws {
        let (train, dev) = try files.load()
        var options = POSTrainer.Options()
        options.epochs = epochs
        options.seed = seed
        options.classes = POSTrainer.ClassSet(rawValue: classes) ?? .joint
        options.minFeatureCount = minFeatureCount
        options.pruneBelow = pruneBelow
        options.dictionaryMinShare = dictionaryMinShare
        options.lexiconMinCount = lexiconMinCount
        var metadata = [
            "trained_on": files.trainedOn,
            "tool": "newsmill train pos",
        ]
        var entries: [POSTrainer.LexicalEntry] = []
        if let lexical {
            do {
                entries = try POSTrainer.readLexical(try FileSystem.readFile(lexical), path: lexical)
            } catch let error as IOFailure {
                throw ValidationError("cannot read --lexical: \(error)")
            } catch let error as ConfigError {
                throw ValidationError(error.description)
            }
            metadata["lexical"] = FileSystem.baseName(of: lexical) + " (\(entries.count) forms)"
        }
        if let problem = POSTrainer.problem(with: train) {
            throw ValidationError("cannot train on \(files.trainFiles.joined(separator: ", ")): \(problem)")
        }
        let (_, file) = POSTrainer(options: options).train(
            train: train, dev: dev, lexical: entries, metadata: metadata
        ) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        try file.write(to: files.output)
        print("wrote \(files.output)")
    }
}
