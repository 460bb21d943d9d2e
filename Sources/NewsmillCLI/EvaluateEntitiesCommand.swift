import ArgumentParser
import Newsmill

#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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

    @Option(
        name: .customLong("repeat"),
        help: "Run the ner stage this many times per text (for timing; scores the last run).")
    var repeatCount: Int = 1

    @Option(
        name: .customLong("write-predictions"), help: "Write newsmill's entities as JSONL (code-point offsets) here.")
    var writePredictions: String?

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
        let loadStart = ContinuousClock.now
        let ner = try StageRegistry.standard.makeStage(named: "ner", options: StageOptions(options, stageName: "ner"))
        let loadTime = ContinuousClock.now - loadStart
        print(
            "ner stage built (model loaded) in \(loadTime.components.attoseconds / 1_000_000_000_000_000 + loadTime.components.seconds * 1000) ms"
        )
        if let m = (ner as? NERStage)?.recognizer.model {
            print(
                "model weights: \(m.weightCount) non-zero, \(m.denseRowCount) dense rows, "
                    + "\((m.weightBytes + 512 * 1024) / (1024 * 1024)) MB in memory (\(m.weightBytes) bytes)")
        }
        let segment: (any Stage)? =
            goldTokens || StageRegistry.standard.stageType(named: "segment") == nil
            ? nil
            : try StageRegistry.standard.makeStage(named: "segment", options: StageOptions([:], stageName: "segment"))
        let context = StageContext()
        var predictionLines: [UInt8] = []
        var tokens = 0
        var nanoseconds: Int64 = 0
        var cpuNanoseconds: Int64 = 0
        let clock = ContinuousClock()
        for example in examples {
            var document = example.document
            if let segment {
                document.clearAnnotations()
                _ = try segment.process(&document, in: context)
            }
            let start = clock.now
            let cpuStart = Self.threadCPUNanoseconds()
            for _ in 0..<max(1, repeatCount) { _ = try ner.process(&document, in: context) }
            cpuNanoseconds += Self.threadCPUNanoseconds() - cpuStart
            let elapsed = clock.now - start
            nanoseconds += elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
            tokens += document.tokens.count * max(1, repeatCount)
            scorer.add(gold: example.gold, predicted: document.entities, ignore: example.ignore)
            if writePredictions != nil { predictionLines += Self.predictionLine(document) }
        }
        if let writePredictions { try FileSystem.writeAtomically(writePredictions, bytes: predictionLines) }
        let rate = nanoseconds > 0 ? Double(tokens) * 1e9 / Double(nanoseconds) : 0
        let cpuRate = cpuNanoseconds > 0 ? Double(tokens) * 1e9 / Double(cpuNanoseconds) : 0
        print(
            "\(examples.count) texts, \(tokens) tokens tagged (\(segment == nil ? "gold tokens" : "segment stage")); "
                + "ner \(Int(rate)) tokens/s wall, \(Int(cpuRate)) tokens/s of thread CPU time")
        print(scorer.report())
    }

    /// CPU time of the calling thread, in nanoseconds.
    static func threadCPUNanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// `{"id": ..., "text": ..., "ents": [...]}` with code-point offsets, plus a newline.
    static func predictionLine(_ document: Document) -> [UInt8] {
        var codePointAt: [Int] = []
        var cp = 0
        for b in document.text.utf8 {
            codePointAt.append(cp)
            if b & 0xC0 != 0x80 { cp += 1 }
        }
        codePointAt.append(cp)
        let ents = document.entities.map { e in
            JSONValue.object([
                JSONMember("start", .int(codePointAt[Int(e.start)])),
                JSONMember("end", .int(codePointAt[Int(e.end)])),
                JSONMember("label", .string(e.label.name)),
            ])
        }
        let record = JSONValue.object([
            JSONMember("id", .string(document.id)), JSONMember("text", .string(document.text)),
            JSONMember("ents", .array(ents)),
        ])
        var writer = JSONWriter(capacity: 1024)
        writer.value(record)
        writer.raw(0x0A)
        return writer.bytes
    }
}
