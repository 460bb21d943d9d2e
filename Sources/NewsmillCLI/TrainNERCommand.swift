import ArgumentParser
import Newsmill

/// `newsmill train ner`: trains the named-entity model from entity JSONL files.
struct TrainNERCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ner",
        abstract: "Train the named-entity model from entity JSONL files.",
        discussion: """
            Each line: {"text": ..., "tokens": [[start, end], ...], "sents": [[start, end], ...], \
            "ents": [{"start": s, "end": e, "label": "ORG"}, ...]} with code-point offsets \
            (scripts/ner/build_data.py writes them). Deterministic for a given seed; prints \
            per-epoch dev precision, recall and F1.
            """)

    @Option(name: .customLong("train"), help: "Training JSONL file (repeatable).")
    var trainFiles: [String] = []

    @Option(name: .customLong("dev"), help: "Dev JSONL file scored on all labels after each epoch (repeatable).")
    var devFiles: [String] = []

    @Option(name: .customLong("dev-names"), help: "Dev JSONL file scored on name labels only (repeatable).")
    var devNameFiles: [String] = []

    @Option(help: "Gazetteer TSV (phrase<TAB>LABEL) written into the model.")
    var gazetteer: String?

    @Option(name: [.short, .long], help: "Where to write the model.")
    var output: String = "models/en-ner.nmm"

    @Option(help: "Training epochs.")
    var epochs: Int = 12

    @Option(help: "Random seed for the example order.")
    var seed: UInt64 = 1

    @Option(name: .customLong("row-bits"), help: "log2 of the number of hashed weight rows.")
    var rowBits: Int = 17

    @Option(help: "Provenance text stored in the model.")
    var info: String = ""

    mutating func validate() throws {
        if trainFiles.isEmpty { throw ValidationError("give at least one --train file") }
        if !(8...22).contains(rowBits) { throw ValidationError("--row-bits must be 8...22") }
        if epochs < 1 { throw ValidationError("--epochs must be at least 1") }
    }

    func run() throws {
        var examples: [EntityExample] = []
        for path in trainFiles { examples += try EntityCorpus.load(path: path) }
        guard examples.contains(where: { !$0.document.tokens.isEmpty }) else {
            throw ValidationError(
                "cannot train on \(trainFiles.joined(separator: ", ")): the training files hold no tokens")
        }
        var dev: [EntityTrainer.DevSet] = []
        for path in devFiles {
            dev.append(.init(name: FileSystem.baseName(of: path), examples: try EntityCorpus.load(path: path)))
        }
        for path in devNameFiles {
            dev.append(
                .init(
                    name: FileSystem.baseName(of: path) + "(names)", examples: try EntityCorpus.load(path: path),
                    labels: EntityScorerLabels.names))
        }
        var entries: [(phrase: String, label: String)] = []
        if let gazetteer {
            let text = String(decoding: try FileSystem.readFile(gazetteer), as: UTF8.self)
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: "\t")
                if parts.count == 2 { entries.append((String(parts[0]), String(parts[1]))) }
            }
        }
        var cfg = EntityTrainer.Configuration()
        cfg.epochs = epochs
        cfg.seed = seed
        cfg.rowBits = rowBits
        let trainer = EntityTrainer(configuration: cfg, gazetteer: entries)
        let model: NERModel
        do {
            model = try trainer.train(examples: examples, dev: dev, info: info)
        } catch {
            throw ValidationError("cannot build the model: \(error)")
        }
        try model.write(to: output)
        let size = FileSystem.status(output)?.size ?? 0
        print("wrote \(output) (\(size) bytes)")
    }
}
