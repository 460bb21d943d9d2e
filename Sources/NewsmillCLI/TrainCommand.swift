import ArgumentParser

/// `newsmill train`: builds the tag stage's models from annotated data.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model (part of speech and lemma from CoNLL-U files, named entities from JSONL).",
        subcommands: [TrainPOSCommand.self, TrainLemmaCommand.self, TrainNERCommand.self, TrainLanguageCommand.self])
}
