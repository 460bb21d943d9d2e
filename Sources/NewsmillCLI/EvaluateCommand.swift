import ArgumentParser

/// `newsmill evaluate`: scores models and pipelines against gold data, like `spacy evaluate`.
/// `newsmill evaluate --gold FILE.conllu` runs the default subcommand, `tags`.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score models and pipelines against gold data.",
        subcommands: [EvaluateTagsCommand.self, EvaluateEntitiesCommand.self],
        defaultSubcommand: EvaluateTagsCommand.self)
}
