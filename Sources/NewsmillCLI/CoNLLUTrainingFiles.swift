import ArgumentParser
import Foundation
import Newsmill

/// The options every CoNLL-U training command shares: training and dev files and the
/// model to write.
struct CoNLLUTrainingFiles: ParsableArguments {
    @Option(name: .customLong("train"), help: "A CoNLL-U training file (repeatable).")
    var trainFiles: [String] = []

    @Option(name: .customLong("dev"), help: "A CoNLL-U development file to score (repeatable).")
    var devFiles: [String] = []

    @Option(help: "Where to write the model.")
    var output: String

    func validate() throws {
        guard !trainFiles.isEmpty else { throw ValidationError("give at least one --train file") }
    }

    /// The training sentences, and each dev file's name with its sentences.
    func load() throws -> (train: [CoNLLUSentence], dev: [(name: String, sentences: [CoNLLUSentence])]) {
        var train: [CoNLLUSentence] = []
        for path in trainFiles { train += try CoNLLUReader.read(path: path) }
        var dev: [(name: String, sentences: [CoNLLUSentence])] = []
        for path in devFiles {
            dev.append((URL(fileURLWithPath: path).lastPathComponent, try CoNLLUReader.read(path: path)))
        }
        return (train, dev)
    }

    /// The training files' names, for the model's metadata.
    var trainedOn: String { trainFiles.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ",") }
}
