import Dispatch
import Foundation
import Logging
import Synchronization

/// Settings of one run that do not come from the pipeline file.
public struct RunOptions: Sendable {
    /// Worker threads.
    public var workers: Int
    /// Only this shard of the inputs.
    public var shard: Shard?
    /// Only the first this many records (documents, and lines that fail) in input order:
    /// a sample to try a pipeline on. Incremental runs do not take it (their state would
    /// record half-read inputs as done).
    public var limit: Int?
    /// Called about four times a second from a background thread, and once at the end.
    public var progress: (@Sendable (RunProgress) -> Void)?
    public var logger: Logger

    public init(workers: Int, shard: Shard? = nil, logger: Logger = Logger(label: "newsmill")) {
        self.workers = max(1, workers)
        self.shard = shard
        self.logger = logger
    }

    /// The default worker count: SLURM_CPUS_PER_TASK when set, else the active cores.
    public static var defaultWorkers: Int {
        if let text = ProcessInfo.processInfo.environment["SLURM_CPUS_PER_TASK"], let n = Int(text), n > 0 {
            return n
        }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }
}

/// A snapshot of a run's progress.
public struct RunProgress: Sendable {
    public var filesDone: Int
    /// The files of the run; 0 until ``totalsKnown`` (a streamed run counts them meanwhile).
    public var filesTotal: Int
    public var documents: Int
    public var bytesRead: Int
    /// The bytes of the run's files; 0 until ``totalsKnown``.
    public var bytesTotal: Int
    /// Whether `filesTotal` and `bytesTotal` are known yet.
    public var totalsKnown = true
    public var seconds: Double
    public var finished: Bool
}

/// A failure that stops a run (the output cannot be written); input problems never do.
public struct RunError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Runs a pipeline over its inputs: discovery, a reader thread cutting batches, a pool of
/// workers running the stages, an ordered writer, aggregates merged at the end, and
/// outputs renamed into place.
public struct Runner: Sendable {
    public var config: PipelineConfig
    public var options: RunOptions

    public init(config: PipelineConfig, options: RunOptions) {
        self.config = config
        self.options = options
    }

    /// The inputs this run would read (after the shard filter), and discovery problems, as
    /// one list (it holds every file; ``inputs()`` streams them).
    public func plan() -> (files: [InputFile], problems: [InputDiscovery.Problem]) {
        var (stream, problems) = inputs()
        var files: [InputFile] = []
        while let file = stream.next() { files.append(file) }
        return (files, problems + stream.takeWalkProblems())
    }

    /// The inputs this run would read (after the shard filter), one at a time in input
    /// order, and the discovery problems (known at once).
    public func inputs() -> (files: InputFileStream, problems: [InputDiscovery.Problem]) {
        let stream = InputFileStream(
            patterns: config.inputs.map(\.pattern), shard: options.shard, excluding: [config.output.directory])
        var problems = stream.problems
        if config.inputs.isEmpty {
            problems.append(InputDiscovery.Problem(pattern: config.path, reason: "no inputs given"))
        }
        return (stream, problems)
    }

    /// What an incremental run does with its plan: only the new inputs (true), or every
    /// input again, and the note that says why.
    static func decide(_ plan: RunState.Plan, fingerprint: String) -> (onlyNew: Bool, note: String) {
        if !plan.hadState { return (false, "first incremental run: every input") }
        if plan.fingerprint != fingerprint { return (false, "the pipeline changed: every input again") }
        if !plan.ordered {
            // Some inputs may not have met their records (a state an older version wrote,
            // with paths not in Unicode NFC): processing everything is always right.
            return (false, "the state's inputs are not in path order (an older newsmill wrote it): every input again")
        }
        if plan.changed > 0 || plan.deleted > 0 {
            // Aggregates are sums over inputs; an input that changed or went away cannot
            // be taken out of them, so the whole corpus is processed again.
            return (false, "\(plan.changed) inputs changed, \(plan.deleted) removed: every input again")
        }
        return (true, "\(plan.new) new inputs, \(plan.unchanged) unchanged")
    }

    /// What an incremental run would do now, without doing it: the note the run would log,
    /// and each input it would read (only the new ones when the state allows), passed to
    /// `visit` in order. Reads the state and hashes new and changed inputs as the run
    /// does; writes only a scratch file in the system's temporary folder.
    public func previewIncremental(_ visit: (InputFile) -> Void) throws(RunError) -> (
        note: String, files: Int, bytes: Int
    ) {
        let statePath = config.output.directory + "/" + RunState.fileName
        let temporary = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        let scratch = AggregateScratch(directory: temporary + "/newsmill-dry-run-\(getpid())", partials: 1)
        defer { scratch.removeAll() }
        do throws(IOFailure) {
            let path = try scratch.newFile("inputs")
            let writer = try PlannedInputs.Writer(path: path)
            var (stream, _) = inputs()
            let plan = try RunState.plan(statePath: statePath, inputs: &stream, into: writer)
            try writer.finish()
            let (onlyNew, note) = Self.decide(plan, fingerprint: config.fingerprint)
            let reader = try PlannedInputs.Reader(path: path, only: onlyNew ? [.new] : nil)
            while let file = reader.nextFile() { visit(file) }
            if let failure = reader.failure { throw failure }
            return (note, onlyNew ? plan.new : plan.inputs, onlyNew ? plan.newBytes : plan.bytes)
        } catch {
            throw RunError("\(error)")
        }
    }

    /// Runs the pipeline and writes every output. Returns the report.
    public func run() throws(RunError) -> RunReport {
        let started = DispatchTime.now()
        let rootDir = config.output.directory
        var outputDir = rootDir
        // Inputs are streamed in order, never listed.
        let (stream, discovered) = inputs()
        var problems = discovered
        var source = InputSource.stream(stream)

        // Incremental runs: only new and changed inputs; cumulative aggregates. The plan joins
        // the state's records with discovery (both sorted by path) into a scratch file, which
        // is then the run's input list and the new state's records: nothing is kept per input.
        var planned: String?
        // The state whose cumulative partials this run adds to its own (read at the end).
        var previousStatePath: String?
        var skipped = 0
        var incrementalNote = ""
        var knownTotals: (files: Int, bytes: Int)?
        // Files the inputs matched whose names say no format (counted and named at the end).
        let unreadFiles = Mutex<[String: Int]>([:])
        let planScratch = AggregateScratch.beside(rootDir, partials: 1)
        defer { planScratch.removeAll() }
        if config.output.incremental {
            let statePath = rootDir + "/" + RunState.fileName
            let plan: RunState.Plan
            let plannedPath: String
            do {
                plannedPath = try planScratch.newFile("inputs")
                let writer = try PlannedInputs.Writer(path: plannedPath)
                var all = stream
                plan = try RunState.plan(statePath: statePath, inputs: &all, into: writer)
                try writer.finish()
                // Folders that could not be listed: reported with the discovery problems.
                problems += all.takeWalkProblems()
                let unread = all.unread
                unreadFiles.withLock { $0 = unread }
            } catch {
                throw RunError("\(error)")
            }
            let (onlyNew, note) = Self.decide(plan, fingerprint: config.fingerprint)
            incrementalNote = note
            if onlyNew {
                skipped = plan.unchanged
                previousStatePath = statePath
            }
            options.logger.info("incremental run: \(incrementalNote)")
            do {
                source = .planned(try PlannedInputs.Reader(path: plannedPath, only: onlyNew ? [.new] : nil))
            } catch {
                throw RunError("\(error)")
            }
            knownTotals = onlyNew ? (plan.new, plan.newBytes) : (plan.inputs, plan.bytes)
            planned = plannedPath
            outputDir = rootDir + "/runs/" + Self.runStamp(in: rootDir)
        }
        do {
            try FileSystem.makeDirectories(outputDir)
        } catch {
            throw RunError("\(error)")
        }

        // With a `dedup` stage, batches pass one gate in input order (shared by the workers).
        // An incremental run that reads only new inputs starts from the keys of the
        // documents earlier runs kept, so that a story seen last night is a duplicate today.
        let dedupGate: DedupGate?
        let keysPath = rootDir + "/" + KeySet.fileName
        if !config.stages.contains(where: { $0 is DedupStage }) {
            dedupGate = nil
        } else if previousStatePath != nil, FileSystem.status(keysPath) != nil {
            do {
                dedupGate = DedupGate(keys: try KeySet(path: keysPath))
            } catch {
                throw RunError("\(error)")
            }
        } else {
            dedupGate = DedupGate()
        }

        var report = RunReport()
        report.pipeline = config.path
        report.name = config.name
        report.fingerprint = config.fingerprint
        report.outputDirectory = outputDir
        report.workers = options.workers
        report.shard = options.shard
        report.stageNames = config.stageNames
        report.startedAt = Self.timestamp()
        report.filesSkipped = skipped

        let documentsPath = outputDir + "/" + config.output.documentsFileName
        let documentsFile: OutputFile
        let errorsFile: OutputFile
        do {
            documentsFile = try OutputFile(finalPath: documentsPath)
            errorsFile = try OutputFile(finalPath: outputDir + "/errors.jsonl")
        } catch {
            throw RunError("\(error)")
        }

        // Discovery problems go first in errors.jsonl.
        var problemLines = JSONWriter(capacity: 1024)
        for problem in problems {
            Self.writeError(
                path: problem.pattern, line: 0, id: nil, stage: nil, reason: problem.reason,
                into: &problemLines)
        }
        report.fileFailures += problems.count

        let workerCount = options.workers
        let shared = SharedProgress()
        let sink = OrderedSink(
            documents: documentsFile, errors: errorsFile,
            maxInFlight: workerCount * 2 + 2)
        sink.writeErrorsDirectly(problemLines.bytes)
        let queue = BatchQueue()

        // Reader thread: files -> records -> batches, in input order.
        let batchDocs = config.batchDocuments
        let batchBytes = config.batchBytes
        let limit = options.limit
        let readerDone = DispatchSemaphore(value: 0)
        let readerSource = source
        let reader = Thread {
            var source = readerSource
            var items: [BatchItem] = []
            var documents = 0
            var bytes = 0
            var seq = 0
            func flush() {
                guard !items.isEmpty else { return }
                sink.waitForSlot()
                queue.push(Batch(seq: seq, items: items))
                seq += 1
                items = []
                documents = 0
                bytes = 0
            }
            // A folder the walk could not list is an error line in input order.
            func reportUnreadable() {
                for problem in source.takeProblems() {
                    items.append(
                        .record(
                            .failure(location: SourceLocation(path: problem.pattern, line: 0), reason: problem.reason)))
                }
            }
            var records = 0
            while let file = source.next() {
                reportUnreadable()
                shared.bytesListed.add(file.size, ordering: .relaxed)
                if let limit {
                    // A sample: every file is read here, so that records are counted in order.
                    if records >= limit { break }
                    RecordReader.read(
                        file,
                        emit: { record in
                            items.append(.record(record))
                            // A WARC request or image is no document: it does not count.
                            if case .skipped = record {} else { records += 1 }
                            documents += 1
                            bytes += record.byteCount
                            if documents >= batchDocs || bytes >= batchBytes { flush() }
                        }, progress: { shared.bytesRead.add($0, ordering: .relaxed) },
                        stop: { records >= limit })
                    shared.filesDone.add(1, ordering: .relaxed)
                    continue
                }
                if file.size <= Self.smallFileBytes && !file.isStandardInput {
                    // Small files are read (and inflated) by the workers themselves, so that
                    // decompression is spread over every core; the reader only groups them.
                    items.append(.file(file))
                    documents += file.format == .txt ? 1 : max(1, file.size / 512)  // records of ~512 bytes
                    bytes += file.size * (file.compression == .none ? 1 : 3)
                    if documents >= batchDocs || bytes >= batchBytes { flush() }
                    shared.filesDone.add(1, ordering: .relaxed)
                    continue
                }
                // A large file (a JSONL shard) is one stream: read here, cut into batches.
                RecordReader.read(
                    file,
                    emit: { record in
                        items.append(.record(record))
                        documents += 1
                        bytes += record.byteCount
                        if documents >= batchDocs || bytes >= batchBytes { flush() }
                    }, progress: { shared.bytesRead.add($0, ordering: .relaxed) })
                shared.filesDone.add(1, ordering: .relaxed)
            }
            reportUnreadable()
            if case .stream(let stream) = source {
                let unread = stream.unread
                unreadFiles.withLock { $0 = unread }
            }
            flush()
            queue.close()
            readerDone.signal()
        }
        reader.stackSize = 1 << 22
        reader.start()

        // Progress thread.
        let progressDone = Atomic<Bool>(false)
        let progressStopped = DispatchSemaphore(value: 0)
        let progressWake = DispatchSemaphore(value: 0)
        let progressCallback = options.progress
        @Sendable func snapshot(finished: Bool) -> RunProgress {
            let known = finished || shared.totalsKnown.load(ordering: .acquiring)
            var p = RunProgress(
                filesDone: shared.filesDone.load(ordering: .relaxed),
                filesTotal: finished
                    ? shared.filesDone.load(ordering: .relaxed)
                    : shared.filesTotal.load(ordering: .relaxed),
                documents: shared.documents.load(ordering: .relaxed),
                bytesRead: shared.bytesRead.load(ordering: .relaxed),
                bytesTotal: finished
                    ? shared.bytesListed.load(ordering: .relaxed)
                    : shared.bytesTotal.load(ordering: .relaxed),
                seconds: Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9,
                finished: finished)
            p.totalsKnown = known
            return p
        }
        if let progressCallback {
            // The totals for the bar and its ETA: a plan knows them; a stream is counted by a
            // second walk beside the run (stat calls only, nothing kept).
            switch source {
            case .planned, .finished:
                shared.filesTotal.store(knownTotals?.files ?? 0, ordering: .relaxed)
                shared.bytesTotal.store(knownTotals?.bytes ?? 0, ordering: .relaxed)
                shared.totalsKnown.store(true, ordering: .releasing)
            case .stream(let stream):
                let counter = Thread {
                    var stream = stream
                    var files = 0
                    var bytes = 0
                    while !progressDone.load(ordering: .relaxed), let file = stream.next() {
                        files += 1
                        bytes += file.size
                    }
                    shared.filesTotal.store(files, ordering: .relaxed)
                    shared.bytesTotal.store(bytes, ordering: .relaxed)
                    shared.totalsKnown.store(true, ordering: .releasing)
                }
                counter.stackSize = 1 << 22
                counter.start()
            }
            let thread = Thread {
                while !progressDone.load(ordering: .acquiring) {
                    _ = progressWake.wait(timeout: .now() + .milliseconds(250))
                    if progressDone.load(ordering: .acquiring) { break }
                    progressCallback(snapshot(finished: false))
                }
                progressStopped.signal()
            }
            thread.start()
        } else {
            progressStopped.signal()
        }

        // Workers. Aggregates that spill keep their runs in a scratch folder beside the outputs.
        let results = Mutex<[WorkerResult?]>(Array(repeating: nil, count: workerCount))
        let scratch = AggregateScratch.beside(outputDir, partials: workerCount)
        defer { scratch.removeAll() }
        var prepared = config
        for k in prepared.aggregates.indices { prepared.aggregates[k].partial.prepare(scratch) }
        let pipeline = prepared
        let logger = options.logger
        DispatchQueue.concurrentPerform(iterations: workerCount) { index in
            var worker = Worker(config: pipeline, logger: logger, dedupGate: dedupGate)
            while let batch = queue.pop() {
                let output = worker.process(batch, progress: { shared.bytesRead.add($0, ordering: .relaxed) })
                shared.documents.add(output.documents, ordering: .relaxed)
                sink.submit(output)
            }
            let result = worker.finish()
            results.withLock { $0[index] = result }
        }
        readerDone.wait()
        progressDone.store(true, ordering: .releasing)
        progressWake.signal()
        progressStopped.wait()

        if let failure = sink.failure { throw RunError("\(failure)") }
        if case .planned(let inputs) = source, let failure = inputs.failure {
            // Inputs that were never read must not be recorded as processed.
            throw RunError("\(failure)")
        }

        // Merge worker partials and stats in worker order (sums: the order does not change them).
        // Each worker's partial is let go as soon as it is merged.
        var aggregates = pipeline.aggregates
        var workerResults = results.withLock { all in
            let taken = all
            all = []
            return taken
        }
        for index in workerResults.indices {
            guard var result = workerResults[index] else { continue }
            workerResults[index] = nil
            report.add(result.stats)
            for k in aggregates.indices {
                aggregates[k].merge(result.aggregates[k])
                result.aggregates[k] = config.aggregates[k]  // an empty partial in its place
            }
        }
        // An incremental run adds the partials of the inputs it skipped, read from the state
        // term by term (they spill like the run's own tables).
        if let previousStatePath {
            do {
                try RunState.mergeAggregates(path: previousStatePath, into: &aggregates)
            } catch let failure as IOFailure {
                throw RunError("\(failure)")
            } catch {
                throw RunError("\(previousStatePath): \(error)")
            }
        }

        do {
            if sink.documentBytesWritten == 0 && config.output.compression == .gzip {
                // An empty but valid gzip file.
                try documentsFile.write(GzipCompressor(level: config.output.level).compress([]))
            }
            report.bytesOut = sink.documentBytesWritten
            try documentsFile.commit()
            try errorsFile.commit()
            try Self.writeAggregates(aggregates, to: rootDir)
            try Self.writePartials(aggregates, to: rootDir)
            if planned == nil {
                // The keys kept, for `newsmill merge` to find copies kept by two shards.
                try dedupGate?.seen.write(to: rootDir + "/" + KeySet.fileName)
            }
            report.files = shared.filesDone.load(ordering: .relaxed)
            report.bytesIn = shared.bytesListed.load(ordering: .relaxed)
            let unread = unreadFiles.withLock { $0 }
            if !unread.isEmpty {
                // Not errors (a README, a MANIFEST.json beside the articles), but a folder of
                // .parquet or .json files should not look like an empty corpus.
                let total = unread.values.reduce(0, +)
                report.counters["input.files_not_read", default: 0] += total
                let kinds = InputFileStream.describe(unread: unread, limit: 6)
                let files = total == 1 ? "1 file" : "\(total) files"
                let message =
                    "\(files) in the inputs not read, their names saying no input format (\(kinds)); "
                    + "newsmill reads \(InputFormat.knownNames)"
                options.logger.warning("\(message)")
            }
            report.seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
            var reportWriter = JSONWriter(capacity: 4096)
            reportWriter.value(report.json())
            reportWriter.raw(UInt8(ascii: "\n"))
            try FileSystem.writeAtomically(outputDir + "/report.json", bytes: reportWriter.bytes)
            if let planned {
                if outputDir != rootDir {
                    try FileSystem.writeAtomically(rootDir + "/report.json", bytes: reportWriter.bytes)
                }
                // Last: a run killed before this line leaves the previous state as it was.
                let records = try PlannedInputs.Reader(path: planned)
                try RunState.save(
                    path: rootDir + "/" + RunState.fileName, fingerprint: config.fingerprint,
                    inputs: records, aggregates: aggregates)
                // After the state: a run killed between the two keeps the earlier keys, so
                // at worst a few of its documents are not recognised as duplicates later;
                // keys saved first would make the next run drop this run's inputs again.
                try dedupGate?.seen.write(to: rootDir + "/" + KeySet.fileName)
            }
        } catch {
            throw RunError("\(error)")
        }
        progressCallback?(snapshot(finished: true))
        return report
    }

    /// A new folder name under `root/runs/` for this run: its UTC start time.
    static func runStamp(in root: String) -> String {
        var t = time(nil)
        var parts = tm()
        gmtime_r(&t, &parts)
        let stamp = String(
            format: "%04d%02d%02dT%02d%02d%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        var name = stamp
        var k = 2
        while FileSystem.status(root + "/runs/" + name) != nil {
            name = "\(stamp)-\(k)"
            k += 1
        }
        return name
    }

    /// Files up to this size (on disk) are read by the workers; larger ones by the reader.
    static let smallFileBytes = 256 << 10

    /// Writes aggregates.jsonl, record by record.
    static func writeAggregates(_ aggregates: [AggregateSlot], to directory: String) throws {
        let file = try OutputFile(finalPath: directory + "/aggregates.jsonl")
        var output = JSONFileWriter(file: file)
        for slot in aggregates {
            try slot.partial.forEachRecord { record in
                output.writer.raw("{\"aggregate\":")
                output.writer.string(slot.name)
                output.writer.raw(",\"key\":")
                output.writer.value(record.key)
                output.writer.raw(",\"count\":")
                output.writer.int(record.count)
                for member in record.extra {
                    output.writer.raw(UInt8(ascii: ","))
                    output.writer.string(member.key)
                    output.writer.raw(UInt8(ascii: ":"))
                    output.writer.value(member.value)
                }
                output.writer.raw("}\n")
                try output.flushIfFull()
            }
        }
        try output.flush()
        try file.commit()
    }

    /// The file holding the aggregates' partial states (for `newsmill merge`).
    public static let partialsFileName = "aggregates.partial.json"

    /// Writes `{"format":1,"aggregates":[{"name":..,"type":..,"options":..,"partial":..},..]}`,
    /// each partial streamed by its aggregate.
    static func writePartials(_ aggregates: [AggregateSlot], to directory: String) throws {
        let file = try OutputFile(finalPath: directory + "/" + partialsFileName)
        var output = JSONFileWriter(file: file)
        output.writer.raw("{\"format\":1,\"aggregates\":[")
        for (k, slot) in aggregates.enumerated() {
            if k > 0 { output.writer.raw(UInt8(ascii: ",")) }
            output.writer.raw("{\"name\":")
            output.writer.string(slot.name)
            output.writer.raw(",\"type\":")
            output.writer.string(slot.typeName)
            output.writer.raw(",\"options\":")
            output.writer.value(slot.options)
            output.writer.raw(",\"partial\":")
            try slot.partial.writePartial(into: &output)
            output.writer.raw(UInt8(ascii: "}"))
            try output.flushIfFull()
        }
        output.writer.raw("]}\n")
        try output.flush()
        try file.commit()
    }

    static func writeError(
        path: String, line: Int, id: String?, stage: String?, reason: String,
        into writer: inout JSONWriter
    ) {
        writer.raw("{\"path\":")
        writer.string(path)
        writer.raw(",\"line\":")
        writer.int(line)
        if let id {
            writer.raw(",\"id\":")
            writer.string(id)
        }
        if let stage {
            writer.raw(",\"stage\":")
            writer.string(stage)
        }
        writer.raw(",\"reason\":")
        writer.string(reason)
        writer.raw("}\n")
    }

    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }
}

/// Counters the progress line reads.
final class SharedProgress: Sendable {
    let filesDone = Atomic<Int>(0)
    let documents = Atomic<Int>(0)
    let bytesRead = Atomic<Int>(0)
    /// The on-disk bytes of the files the reader has taken (report.json's bytes_in).
    let bytesListed = Atomic<Int>(0)
    let filesTotal = Atomic<Int>(0)
    let bytesTotal = Atomic<Int>(0)
    let totalsKnown = Atomic<Bool>(false)
}

/// Where the reader takes its files from: the discovery stream, or the plan of an
/// incremental run (its scratch file, read as it goes).
enum InputSource: Sendable {
    case stream(InputFileStream)
    case planned(PlannedInputs.Reader)
    /// Nothing more (a placeholder while a stream moves on).
    case finished

    /// Takes the next file.
    mutating func next() -> InputFile? {
        switch self {
        case .stream(var stream):
            self = .finished  // so that `stream` is not shared (and copied) while it moves on
            let file = stream.next()
            self = .stream(stream)
            return file
        case .planned(let inputs):
            return inputs.nextFile()
        case .finished:
            return nil
        }
    }

    /// Folders a stream found unreadable since the last call (a plan reported its own
    /// before the run).
    mutating func takeProblems() -> [InputDiscovery.Problem] {
        guard case .stream(var stream) = self else { return [] }
        self = .finished
        let problems = stream.takeWalkProblems()
        self = .stream(stream)
        return problems
    }
}

/// One unit of a batch: a record the reader read, or a small file a worker reads itself.
enum BatchItem: Sendable {
    case record(RawRecord)
    case file(InputFile)
}

struct Batch: Sendable {
    var seq: Int
    var items: [BatchItem]
}

/// What a worker made of one batch: encoded documents and error lines, in order.
struct BatchOutput: Sendable {
    var seq: Int
    var documentBytes: [UInt8]
    var errorBytes: [UInt8]
    var documents: Int
}

struct WorkerResult: Sendable {
    var stats: WorkerStats
    var aggregates: [AggregateSlot]
}

/// A blocking FIFO of batches for the workers.
final class BatchQueue: @unchecked Sendable {
    // All state is guarded by `condition`.
    private let condition = NSCondition()
    private var items: [Batch] = []
    private var head = 0
    private var closed = false

    func push(_ batch: Batch) {
        condition.lock()
        items.append(batch)
        condition.signal()
        condition.unlock()
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    func pop() -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count && !closed { condition.wait() }
        guard head < items.count else { return nil }
        // Taken out, not copied: a popped batch's records must not wait in `items` until
        // the next compaction (up to 64 batches, 16 MB of a JSONL shard's text).
        var batch = Batch(seq: -1, items: [])
        swap(&batch, &items[head])
        head += 1
        if head > 64 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        return batch
    }
}

/// Writes batch outputs in sequence order, holding at most `maxInFlight` batches between
/// the reader and the files (back-pressure keeps memory bounded).
final class OrderedSink: @unchecked Sendable {
    // `state` is guarded by its mutex; the files are written only by the thread that
    // holds `state.writing`, one at a time.
    private struct State {
        var pending: [Int: BatchOutput] = [:]
        var next = 0
        var writing = false
        var failure: IOFailure?
        var documentBytes = 0
    }
    private let state = Mutex(State())
    private let slots: DispatchSemaphore
    private let documents: OutputFile
    private let errors: OutputFile

    init(documents: OutputFile, errors: OutputFile, maxInFlight: Int) {
        self.documents = documents
        self.errors = errors
        slots = DispatchSemaphore(value: maxInFlight)
    }

    func waitForSlot() { slots.wait() }

    var failure: IOFailure? { state.withLock { $0.failure } }
    var documentBytesWritten: Int { state.withLock { $0.documentBytes } }

    func writeErrorsDirectly(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        do { try errors.write(bytes) } catch { state.withLock { $0.failure = error } }
    }

    func submit(_ output: BatchOutput) {
        var ready: [BatchOutput] = []
        let drain: Bool = state.withLock { s in
            s.pending[output.seq] = output
            if s.writing { return false }
            s.writing = true
            return true
        }
        guard drain else { return }
        while true {
            ready.removeAll(keepingCapacity: true)
            let more: Bool = state.withLock { s in
                while let next = s.pending.removeValue(forKey: s.next) {
                    ready.append(next)
                    s.next += 1
                }
                if ready.isEmpty {
                    s.writing = false
                    return false
                }
                return true
            }
            guard more else { return }
            for item in ready {
                do {
                    if !item.documentBytes.isEmpty { try documents.write(item.documentBytes) }
                    if !item.errorBytes.isEmpty { try errors.write(item.errorBytes) }
                    let n = item.documentBytes.count
                    state.withLock { $0.documentBytes += n }
                } catch {
                    state.withLock { $0.failure = error }
                }
                slots.signal()
            }
        }
    }
}
