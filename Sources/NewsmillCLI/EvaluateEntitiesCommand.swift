import ArgumentParser
import Newsmill

/// `newsmill evaluate entities`: entity precision, recall and F1 by label against gold
/// entity JSONL, like `spacy evaluate`'s ents_p/ents_r/ents_f and ents_per_type.
struct EvaluateEntitiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "entities",
        abstract: "Score named entities against gold entity JSONL (P/R/F1 per label).",
        discussion: """
            Runs the segment and ner stages over each gold text (or, with --gold-tokens or when \
            no segment stage is registered, ner over the gold tokens) and compares spans and \
            labels exactly. With --predictions, scores that JSONL file (same format, same line \
            order) instead, e.g. spaCy's output, with the same scorer.
            """)

    @Argument(help: "Gold entity JSONL file.")
    var gold: String

    @Option(help: "Entity model file (default: the ner stage's default).")
    var model: String?

    @Option(help: "Score this predictions JSONL instead of running newsmill.")
    var predictions: String?

    @Flag(name: .customLong("gold-tokens"), help: "Use the gold file's tokens instead of the segment stage.")
    var goldTokens = false

    @Flag(name: .customLong("no-patterns"), help: "Turn off the rule-pattern fill-in.")
    var noPatterns = false

    @Flag(name: .customLong("names-only"), help: "Score only name labels (not dates, times, amounts, numbers).")
    var namesOnly = false

    @Option(help: "Comma-separated labels to score.")
    var labels: String?

    func run() throws {
        let examples = try EntityCorpus.load(path: gold)
        var labelSet: Set<EntityLabel>? = namesOnly ? EntityScorerLabels.names : nil
        if let labels {
            guard let parsed = EntityScorerLabels.parse(labels.split(separator: ",").map(String.init)) else {
                throw ValidationError("unknown label in --labels \(labels)")
            }
            labelSet = parsed
        }
        var scorer = EntityScorer(labels: labelSet)
        if let predictions {
            let predicted = try EntityCorpus.load(path: predictions)
            guard predicted.count == examples.count else {
                throw ValidationError("\(predictions) has \(predicted.count) lines, \(gold) has \(examples.count)")
            }
            for (g, p) in zip(examples, predicted) {
                scorer.add(gold: g.gold, predicted: p.gold, ignore: g.ignore)
            }
            print("scored \(predictions) against \(gold)")
            print(scorer.report())
            return
        }
        var options: [String: String] = ["patterns": noPatterns ? "false" : "true"]
        if let model { options["model"] = model }
        let ner = try StageRegistry.standard.makeStage(named: "ner", options: StageOptions(options, stageName: "ner"))
        let segment: (any Stage)? = goldTokens || StageRegistry.standard.stageType(named: "segment") == nil
            ? nil : try StageRegistry.standard.makeStage(named: "segment", options: StageOptions([:], stageName: "segment"))
        let context = StageContext()
        var tokens = 0
        var nanoseconds: Int64 = 0
        let clock = ContinuousClock()
        for example in examples {
            var document = example.document
            if let segment {
                document.clearAnnotations()
                _ = try segment.process(&document, in: context)
            }
            let start = clock.now
            _ = try ner.process(&document, in: context)
            let elapsed = clock.now - start
            nanoseconds += elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
            tokens += document.tokens.count
            scorer.add(gold: example.gold, predicted: document.entities, ignore: example.ignore)
        }
        let rate = nanoseconds > 0 ? Double(tokens) * 1e9 / Double(nanoseconds) : 0
        print("\(examples.count) texts, \(tokens) tokens (\(segment == nil ? "gold tokens" : "segment stage")); "
              + "ner \(Int(rate)) tokens/s")
        print(scorer.report())
    }
}
