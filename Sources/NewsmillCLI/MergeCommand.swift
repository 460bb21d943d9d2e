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
        // The merged directory must not be one of its shards: the merge would read files it
        // is replacing.
        let outputKey = FileSystem.realPath(output) ?? output
        if let shard = shards.first(where: { (FileSystem.realPath($0) ?? $0) == outputKey }) {
            printError("error: the output directory \(output) is also a shard (\(shard)); merge into another directory")
            throw ExitCode(ExitStatus.usage)
        }
        // A shard given twice (also through another spelling) would be merged twice.
        var seenShards: [String: String] = [:]
        for shard in shards {
            let key = FileSystem.realPath(shard) ?? shard
            if let first = seenShards[key] {
                printError("error: \(shard) is given twice (also as \(first))")
                throw ExitCode(ExitStatus.usage)
            }
            seenShards[key] = shard
        }
        // Locks: the output's, as a run takes it (no run or merge writes there meanwhile), and
        // each existing shard's, so that a shard still being written is not read half done
        // (and no run starts over a shard while it is read).
        var locks: [RunLock] = []
        defer { for lock in locks { lock.release() } }
        for (dir, what) in [(output, "the output")] + shards.map({ ($0, "shard") }) {
            if what == "shard" && FileSystem.status(dir) == nil { continue }  // the merger says it is missing
            let lock: RunLock?
            do {
                lock = try RunLock(directory: dir)
            } catch {
                // A shard folder this user cannot write (read-only copies, another user's
                // output) cannot hold a lock file; no run of this user writes there either.
                if what == "shard" { continue }
                printError("error: \(error)")
                throw ExitCode(ExitStatus.cannotCreate)
            }
            guard let lock else {
                printError(
                    "error: \(dir): another newsmill run or merge holds the lock of \(what) (\(dir)/.lock); "
                        + "try again when it has finished")
                throw ExitCode(ExitStatus.tempFail)
            }
            locks.append(lock)
        }
        // What a merge killed before it finished left in the output (temporary files, scratch).
        locks[0].sweepStaleFiles()
        SignalCleanup.install(directories: [output])
        do {
            let report = try ShardMerger(registry: CommandEnvironment.registry).merge(
                shards, into: output, warn: { printError("warning: \($0)") })
            print(
                "newsmill: merged \(shards.count) shards: \(report.documents) documents, \(report.kept) kept, "
                    + "\(report.failed) failed; output in \(output)")
        } catch {
            printError("error: \(error)")
            throw ExitCode(ExitStatus.someInputsFailed)
        }
    }
}
