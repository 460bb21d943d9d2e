import ArgumentParser
import Foundation
import Newsmill

/// `newsmill train language`: the language identifier of the `language` stage.
struct TrainLanguageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "language",
        abstract: "Train the language identifier from one file of sentences per language (CODE.txt).",
        discussion: """
            Each file is named by its ISO 639-1 code (en.txt, de.txt, ...) and holds one sentence a
            line. Every --dev-every-th line is held out and scored (sentence accuracy per
            language); the others train. Deterministic: the same files give a byte-identical model.
            Example:
              newsmill train language --data ../shared/data/langid --output models/langid.nmm
            """)

    @Option(help: "The folder of CODE.txt files.")
    var data: String

    @Option(help: "Hold out every N-th line of each file for the dev score (0: train on all).")
    var devEvery: Int = 10

    @Option(help: "Where to write the model.")
    var output: String

    func run() throws {
        guard let names = FileSystem.list(data)?.filter({ $0.hasSuffix(".txt") }), names.count >= 2 else {
            throw ValidationError("\(data): needs at least two CODE.txt files of sentences")
        }
        var train: [LanguageTrainer.Sample] = []
        var dev: [LanguageTrainer.Sample] = []
        for name in names {
            let code = String(name.dropLast(4))
            let text = String(decoding: try FileSystem.readFile(data + "/" + name), as: UTF8.self)
            let lines = text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
            var t: [String] = []
            var d: [String] = []
            for (k, line) in lines.enumerated() {
                if devEvery > 0 && k % devEvery == devEvery - 1 { d.append(line) } else { t.append(line) }
            }
            guard !t.isEmpty else { throw ValidationError("\(data)/\(name): no sentences") }
            train.append(.init(language: code, sentences: t))
            dev.append(.init(language: code, sentences: d))
            printError("\(code): \(t.count) training sentences, \(d.count) dev")
        }
        let model = LanguageTrainer.train(train)
        var right = 0
        var total = 0
        for sample in dev.sorted(by: { $0.language < $1.language }) where !sample.sentences.isEmpty {
            var good = 0
            for s in sample.sentences where model.identify(s)?.language == sample.language { good += 1 }
            right += good
            total += sample.sentences.count
            printError(
                "dev \(sample.language): \(String(format: "%.2f", 100 * Double(good) / Double(sample.sentences.count)))% of \(sample.sentences.count)"
            )
        }
        if total > 0 {
            printError("dev: \(String(format: "%.2f", 100 * Double(right) / Double(total)))% of \(total) sentences")
        }
        try model.write(to: output)
        printError("wrote \(output)")
    }
}
