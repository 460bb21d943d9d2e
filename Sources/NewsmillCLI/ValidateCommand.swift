import ArgumentParser
import Newsmill

/// `newsmill validate PIPELINE`: checks a pipeline file without running it.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a pipeline file without running it (exit 78 when it is invalid).")

    @Argument(help: "The pipeline file (YAML or JSON).")
    var pipeline: String

    func run() throws {
        do {
            let config = try PipelineConfig.load(path: pipeline, registry: CommandEnvironment.registry)
            print(
                "\(pipeline): valid: \(config.stageNames.count) stages (\(config.stageNames.joined(separator: ", "))), "
                    + "\(config.aggregates.count) aggregates, output \(config.output.directory)")
        } catch {
            printError("error: \(error)")
            throw ExitCode(ExitStatus.config)
        }
    }
}
