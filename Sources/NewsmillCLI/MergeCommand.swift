import ArgumentParser
import Newsmill

/// `newsmill merge --output DIR SHARD_DIR...`: combines shard outputs into one result.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the outputs of shards (documents, errors, aggregates, reports) into one directory.")

    @Option(help: "The merged output directory.")
    var output: String

    @Argument(help: "Shard output directories, in shard order.")
    var shards: [String]

    func validate() throws {
        if shards.isEmpty { throw ValidationError("give at least one shard directory") }
    }

    func run() throws {
        do {
            let report = try ShardMerger(registry: CommandEnvironment.registry).merge(shards, into: output)
            print(
                "newsmill: merged \(shards.count) shards: \(report.documents) documents, \(report.kept) kept, "
                    + "\(report.failed) failed; output in \(output)")
        } catch {
            printError("error: \(error)")
            throw ExitCode(ExitStatus.someInputsFailed)
        }
    }
}
