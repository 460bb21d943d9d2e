import ArgumentParser
import Foundation
import Newsmill

/// `newsmill evaluate tags` (the default): tags, lemmas, tokens and sentences against CoNLL-U.
struct EvaluateTagsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tags",
        abstract: "Score the tag stage (or a pipeline of stages) against gold CoNLL-U files.",
        discussion: """
            Without --pipeline, the tag stage runs on the gold words (tagging and lemmas alone are
            scored). With a pipeline that includes segment, the stages run on the raw '# text' of
            each sentence and token and sentence F1 are scored too; tags and lemmas are scored on
            the tokens whose spans match gold words.
            Examples:
              newsmill evaluate --gold en_ewt-ud-dev.conllu
              newsmill evaluate --gold en_ewt-ud-dev.conllu --pipeline segment --pipeline tag
            """)

    @Option(name: .customLong("gold"), help: "A gold CoNLL-U file (repeatable; each is scored on its own).")
    var goldFiles: [String]

    @Option(help: "Stages to run, in order (repeatable, or comma-separated). Default: tag.")
    var pipeline: [String] = []

    @Option(help: "Part-of-speech model for the tag stage (default: the shipped model).")
    var model: String?

    @Option(help: "Lemmatizer model for the tag stage (default: the shipped model).")
    var lemmaModel: String?

    @Flag(help: "Do not write or score lemmas.")
    var noLemmas = false

    @Option(help: "Also print the N most frequent tag and POS confusions.")
    var confusions: Int = 0

    @Option(
        help: ArgumentHelp(
            "Write every aligned word to this file (tab-separated: form, gold tag, UPOS, lemma, predicted tag, UPOS, lemma, lemma from gold tags).",
            valueName: "file"))
    var dump: String?

    @Option(help: "Score only the first N sentences of each file.")
    var limit: Int?

    func validate() throws {
        guard !goldFiles.isEmpty else { throw ValidationError("give at least one --gold file") }
    }

    func run() throws {
        var names = pipeline.flatMap { $0.split(separator: ",").map(String.init) }
        if names.isEmpty { names = ["tag"] }
        var stages: [any Stage] = []
        let clock = ContinuousClock.now
        for name in names {
            var values: [String: String] = [:]
            if name == TagStage.name {
                if let model { values["model"] = model }
                if let lemmaModel { values["lemma_model"] = lemmaModel }
                if noLemmas { values["lemmas"] = "false" }
            }
            stages.append(
                try StageRegistry.standard.makeStage(named: name, options: StageOptions(values, stageName: name)))
        }
        let loadTime = ContinuousClock.now - clock
        let ms = Double(loadTime.components.seconds) * 1000 + Double(loadTime.components.attoseconds) / 1e15
        print("stages built (models loaded) in \(Int(ms.rounded())) ms")
        var evaluator = TaggerEvaluator(stages: stages, goldTokens: !names.contains("segment"))
        evaluator.keepWords = dump != nil
        var dumped = ""
        for path in goldFiles {
            var sentences = try CoNLLUReader.read(path: path)
            if let limit { sentences = Array(sentences.prefix(limit)) }
            let report = try evaluator.evaluate(sentences)
            print("\(path) (\(names.joined(separator: " + ")))")
            print(report)
            for line in report.words { dumped += line + "\n" }
            if confusions > 0 {
                for (title, table) in [
                    ("TAG", report.tagConfusions), ("POS", report.posConfusions), ("LEMMA", report.lemmaErrors),
                ] {
                    print(
                        title == "LEMMA"
                            ? "LEMMA errors (form, predicted tag: predicted -> gold):"
                            : "\(title) confusions (gold -> predicted):")
                    let top = table.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
                    for (pair, n) in top.prefix(confusions) { print("  \(n)\t\(pair)") }
                }
                print("")
            }
        }
        if let dump { try Data(dumped.utf8).write(to: URL(fileURLWithPath: dump)) }
    }
}
