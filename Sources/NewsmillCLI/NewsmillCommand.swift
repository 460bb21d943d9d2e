import ArgumentParser
import Newsmill
import Synchronization

/// The `newsmill` command line: run, validate, stages, merge, train, evaluate.
public struct NewsmillCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "newsmill",
        abstract: "A batch pipeline for news corpora: normalize, segment, tag and aggregate, writing JSONL.",
        version: NewsmillInfo.version,
        subcommands: [
            RunCommand.self, ValidateCommand.self, StagesCommand.self, MergeCommand.self, TrainCommand.self,
            EvaluateCommand.self,
        ])

    public init() {}

    /// Runs the command line with `registry` (the built-ins plus whatever the caller added).
    public static func main(registry: StageRegistry) -> Never {
        CommandEnvironment.registry = registry
        self.main()
        exit(withError: nil)
    }
}

/// What the commands share: the registry the entry point was given.
enum CommandEnvironment {
    private static let box = Mutex<StageRegistry>(.standard)
    static var registry: StageRegistry {
        get { box.withLock { $0 } }
        set { box.withLock { $0 = newValue } }
    }
}

/// The exit codes of DESIGN.md (sysexits.h).
enum ExitStatus {
    static let ok: Int32 = 0
    static let someInputsFailed: Int32 = 1
    static let usage: Int32 = 64
    /// The output directory (or its lock file) cannot be created (EX_CANTCREAT).
    static let cannotCreate: Int32 = 73
    /// Writing the output failed part-way (a full disk, a vanished folder: EX_IOERR).
    static let ioError: Int32 = 74
    static let tempFail: Int32 = 75
    static let config: Int32 = 78
}
