import ArgumentParser
import Foundation
import Logging
import Newsmill

/// `newsmill run PIPELINE`: runs a pipeline over its inputs.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline over its inputs and write documents, aggregates, errors and a report.",
        discussion: """
            Exit codes: 0 everything processed; 1 finished, but some inputs failed (see errors.jsonl); \
            64 bad arguments; 73 the output directory cannot be created; 74 writing the output failed; \
            75 another run holds the output's lock; 78 the pipeline file is invalid.
            """)

    @Argument(help: "The pipeline file (YAML or JSON).")
    var pipeline: String

    @Option(
        name: .customLong("input"),
        help: "A file, folder or glob to read instead of the pipeline's inputs (repeatable).")
    var inputs: [String] = []

    @Option(help: "The output directory instead of the pipeline's.")
    var output: String?

    @Option(help: "Worker threads (default: the pipeline's, else SLURM_CPUS_PER_TASK, else the core count).")
    var workers: Int?

    @Option(
        help:
            "Process only shard I of N (0-based), e.g. 2/8. Default: from SLURM_ARRAY_TASK_ID/COUNT or JOB_COMPLETION_INDEX."
    )
    var shard: String?

    @Option(help: "Process only the first N documents in input order (a sample to try a pipeline on).")
    var limit: Int?

    @Flag(help: "Validate and list the inputs without processing them.")
    var dryRun = false

    @Flag(help: "No progress on stderr.")
    var quiet = false

    func validate() throws {
        if let workers, workers < 1 || workers > 1024 {
            throw ValidationError("--workers must be from 1 to 1024 (got \(workers))")
        }
        if let limit, limit < 1 {
            throw ValidationError("--limit must be at least 1 (got \(limit))")
        }
        if let shard, Shard(shard) == nil {
            throw ValidationError("--shard must be I/N with 0 <= I < N (got '\(shard)')")
        }
    }

    func run() throws {
        var config: PipelineConfig
        do {
            config = try PipelineConfig.load(path: pipeline, registry: CommandEnvironment.registry)
        } catch {
            printError("error: \(error)")
            throw ExitCode(ExitStatus.config)
        }
        if !inputs.isEmpty { config.inputs = inputs.map { InputSpec(pattern: $0) } }
        if config.output.incremental && inputs.contains(InputFile.standardInput) {
            printError(
                "error: --input - (standard input) cannot be read by an incremental pipeline: it has no name or "
                    + "content to remember; write the stream to a file, or use a non-incremental pipeline")
            throw ExitCode(ExitStatus.usage)
        }
        if let output { config.output.directory = output }
        let shard: Shard?
        do {
            shard = try self.shard.flatMap(Shard.init) ?? ShardEnvironment.fromEnvironment()
        } catch {
            printError("error: \(error)")
            throw ExitCode(ExitStatus.usage)
        }
        let workerCount = workers ?? config.workers ?? RunOptions.defaultWorkers
        var options = RunOptions(workers: workerCount, shard: shard)
        if let limit {
            guard !config.output.incremental else {
                printError(
                    "error: --limit cannot be used with an incremental pipeline (its run state would record "
                        + "half-read inputs as done); write the sample to another output with a non-incremental pipeline"
                )
                throw ExitCode(ExitStatus.usage)
            }
            options.limit = limit
        }
        var logger = Logger(label: "newsmill")
        logger.logLevel = quiet ? .error : .info
        options.logger = logger

        let runner = Runner(config: config, options: options)
        if dryRun {
            let (files, problems) = runner.inputs()
            for problem in problems { printError("warning: \(problem)") }
            func summary(_ count: Int, _ bytes: Int, _ note: String) -> String {
                "\(pipeline): valid; \(note)would read \(count) files (\(ProgressPrinter.formatBytes(bytes)))"
                    + (shard.map { " in shard \($0)" } ?? "") + " with \(workerCount) workers"
                    + " through \(config.stageNames.joined(separator: " -> ")) into \(config.output.directory)"
            }
            if config.output.incremental {
                // What the next run would read: the state decides (new inputs only, or all).
                var paths: [String] = []
                let preview: (note: String, files: Int, bytes: Int)
                do {
                    preview = try runner.previewIncremental { paths.append($0.path) }
                } catch {
                    printError("error: \(error)")
                    throw ExitCode(ExitStatus.someInputsFailed)
                }
                print(summary(preview.files, preview.bytes, "incremental (\(preview.note)); "))
                for path in paths { print("  \(path)") }
                return
            }
            // Two walks, so that the count comes first without holding the list.
            let (count, bytes) = files.totals()
            print(summary(count, bytes, ""))
            var stream = files
            while let file = stream.next() {
                print("  \(file.path)")
                for problem in stream.takeWalkProblems() { printError("warning: \(problem)") }
            }
            let unread = stream.unread
            if !unread.isEmpty {
                let kinds = InputFileStream.describe(unread: unread)
                print("not read (their names say no input format): \(unread.values.reduce(0, +)) files (\(kinds))")
            }
            return
        }

        let lock: RunLock?
        do {
            lock = try RunLock(directory: config.output.directory)
        } catch {
            // Not "try again later": the output directory itself cannot be made.
            printError("error: \(error)")
            throw ExitCode(ExitStatus.cannotCreate)
        }
        guard let lock else {
            printError(
                "error: \(config.output.directory): another newsmill run holds the lock (\(config.output.directory)/.lock); try again later"
            )
            throw ExitCode(ExitStatus.tempFail)
        }
        defer { lock.release() }
        SignalCleanup.install(directories: [config.output.directory])
        // What runs killed before they finished left behind (temporary outputs and states,
        // scratch folders); the previous state itself is intact.
        let swept = lock.sweepStaleFiles()
        if !swept.isEmpty {
            let shown = swept.prefix(5).joined(separator: ", ") + (swept.count > 5 ? ", ..." : "")
            logger.info("removed \(swept.count) files and folders left by an interrupted run: \(shown)")
        }

        if !quiet {
            let printer = ProgressPrinter()
            options.progress = { printer.show($0) }
        }
        let report: RunReport
        do {
            report = try Runner(config: config, options: options).run()
        } catch {
            // The output could not be written: the run did not finish (the previous output
            // and run state are intact).
            printError("error: \(error)")
            throw ExitCode(ExitStatus.ioError)
        }
        let mb = Double(report.textBytesIn) / 1_000_000
        let rate = report.seconds > 0 ? mb / report.seconds : 0
        print(
            "newsmill: \(report.files) files, \(report.documents) documents: \(report.kept) kept, "
                + "\(report.droppedTotal) dropped, \(report.failed) failed"
                + (report.fileFailures > 0
                    ? ", \(report.fileFailures) file error\(report.fileFailures == 1 ? "" : "s")" : "")
                + String(
                    format: "; %.2f s, %.1f MB/s of text; output in %@", report.seconds, rate, report.outputDirectory))
        if report.errorCount > 0 {
            printError(
                "newsmill: \(report.errorCount) problem\(report.errorCount == 1 ? "" : "s") recorded in \(report.outputDirectory)/errors.jsonl"
            )
            throw ExitCode(ExitStatus.someInputsFailed)
        }
    }
}

/// The shard a cluster scheduler assigned to this process, from its environment.
enum ShardEnvironment {
    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    /// Slurm array jobs (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT, or MIN/MAX) or
    /// Kubernetes indexed jobs (JOB_COMPLETION_INDEX with NEWSMILL_SHARD_COUNT or
    /// JOB_COMPLETIONS); nil when neither is set.
    static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> Shard? {
        if let idText = env["SLURM_ARRAY_TASK_ID"] {
            guard let id = Int(idText) else {
                throw Invalid(description: "SLURM_ARRAY_TASK_ID is not a number: \(idText)")
            }
            let min = env["SLURM_ARRAY_TASK_MIN"].flatMap(Int.init) ?? 0
            var count = env["SLURM_ARRAY_TASK_COUNT"].flatMap(Int.init)
            if count == nil, let max = env["SLURM_ARRAY_TASK_MAX"].flatMap(Int.init) { count = max - min + 1 }
            guard let count, let shard = Shard(index: id - min, count: count) else {
                throw Invalid(description: "SLURM_ARRAY_TASK_ID=\(idText) does not fit SLURM_ARRAY_TASK_COUNT")
            }
            return shard
        }
        if let idText = env["JOB_COMPLETION_INDEX"] {
            guard let id = Int(idText) else {
                throw Invalid(description: "JOB_COMPLETION_INDEX is not a number: \(idText)")
            }
            guard let count = (env["NEWSMILL_SHARD_COUNT"] ?? env["JOB_COMPLETIONS"]).flatMap(Int.init),
                let shard = Shard(index: id, count: count)
            else {
                throw Invalid(
                    description: "JOB_COMPLETION_INDEX is set but NEWSMILL_SHARD_COUNT (the job's completions) is not")
            }
            return shard
        }
        return nil
    }
}
