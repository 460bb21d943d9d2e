/// What a run did: counts, sizes, times. Written as report.json.
public struct RunReport: Sendable {
    public var pipeline = ""
    public var name = ""
    /// A hash of the pipeline file's text (shards of one job share it; merge checks).
    public var fingerprint = ""
    public var outputDirectory = ""
    public var workers = 1
    public var shard: Shard?
    public var files = 0
    /// Input files skipped because an earlier run already processed them unchanged.
    public var filesSkipped = 0
    public var documents = 0
    public var kept = 0
    public var dropped: [String: Int] = [:]
    public var failed = 0
    public var fileFailures = 0
    public var bytesIn = 0
    public var textBytesIn = 0
    public var bytesOut = 0
    public var sentences = 0
    public var tokens = 0
    public var words = 0
    public var entities = 0
    public var stageNames: [String] = []
    public var stageNanoseconds: [UInt64] = []
    public var counters: [String: Int] = [:]
    public var seconds = 0.0
    public var startedAt = ""

    public var droppedTotal: Int { dropped.values.reduce(0, +) }

    /// Problems recorded in errors.jsonl (documents and whole files).
    public var errorCount: Int { failed + fileFailures }

    mutating func add(_ stats: WorkerStats) {
        documents += stats.documents
        kept += stats.kept
        failed += stats.failed
        fileFailures += stats.fileFailures
        textBytesIn += stats.textBytes
        sentences += stats.sentences
        tokens += stats.tokens
        words += stats.words
        entities += stats.entities
        for (reason, n) in stats.dropped { dropped[reason, default: 0] += n }
        for (name, n) in stats.counters { counters[name, default: 0] += n }
        if stageNanoseconds.count < stats.stageNanoseconds.count {
            stageNanoseconds += Array(repeating: 0, count: stats.stageNanoseconds.count - stageNanoseconds.count)
        }
        for (k, ns) in stats.stageNanoseconds.enumerated() { stageNanoseconds[k] += ns }
    }

    /// report.json's content.
    public func json() -> JSONValue {
        let mb = Double(textBytesIn) / 1_000_000
        let secs = max(seconds, 1e-9)
        func number(_ x: Double) -> JSONValue {
            var w = JSONWriter(capacity: 32)
            w.double(x, decimals: 3)
            return .number(String(decoding: w.bytes, as: UTF8.self))
        }
        return .object([
            JSONMember("pipeline", .string(pipeline)),
            JSONMember("name", .string(name)),
            JSONMember("pipeline_fingerprint", .string(fingerprint)),
            JSONMember("output", .string(outputDirectory)),
            JSONMember("started", .string(startedAt)),
            JSONMember("seconds", number(seconds)),
            JSONMember("workers", .int(workers)),
            JSONMember("shard", shard.map { .string($0.description) } ?? .null),
            JSONMember("files", .int(files)),
            JSONMember("files_skipped", .int(filesSkipped)),
            JSONMember("documents", .int(documents)),
            JSONMember("kept", .int(kept)),
            JSONMember("dropped", .int(droppedTotal)),
            JSONMember(
                "dropped_by_reason",
                .object(
                    dropped.sorted(by: { $0.key < $1.key }).map {
                        JSONMember($0.key, .int($0.value))
                    })),
            JSONMember("failed", .int(failed)),
            JSONMember("file_failures", .int(fileFailures)),
            JSONMember("bytes_in", .int(bytesIn)),
            JSONMember("text_bytes_in", .int(textBytesIn)),
            JSONMember("bytes_out", .int(bytesOut)),
            JSONMember("sentences", .int(sentences)),
            JSONMember("tokens", .int(tokens)),
            JSONMember("words", .int(words)),
            JSONMember("entities", .int(entities)),
            JSONMember(
                "stages",
                .array(
                    zip(stageNames, stageNanoseconds).map {
                        .object([JSONMember("name", .string($0.0)), JSONMember("seconds", number(Double($0.1) / 1e9))])
                    })),
            JSONMember(
                "counters",
                .object(
                    counters.sorted(by: { $0.key < $1.key }).map {
                        JSONMember($0.key, .int($0.value))
                    })),
            JSONMember(
                "throughput",
                .object([
                    JSONMember("text_mb_per_s", number(mb / secs)),
                    JSONMember("documents_per_s", number(Double(documents) / secs)),
                    JSONMember("words_per_s", number(Double(words) / secs)),
                ])),
            JSONMember(
                "versions",
                .object([
                    JSONMember("newsmill", .string(NewsmillInfo.version)),
                    JSONMember("output_format", .int(1)),
                    JSONMember("zlib", .string(NewsmillInfo.zlibVersion)),
                    JSONMember("cpu_level", .string(NewsmillInfo.cpuLevel)),
                ])),
        ])
    }
}

/// A worker's running totals, merged into the report at the end.
struct WorkerStats {
    var documents = 0
    var kept = 0
    var failed = 0
    var fileFailures = 0
    var textBytes = 0
    var sentences = 0
    var tokens = 0
    var words = 0
    var entities = 0
    var dropped: [String: Int] = [:]
    var counters: [String: Int] = [:]
    var stageNanoseconds: [UInt64] = []
}

/// Selects a stable part of the inputs: the same file always falls in the same shard.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public init?(index: Int, count: Int) {
        guard count >= 1, index >= 0, index < count else { return nil }
        self.index = index
        self.count = count
    }

    /// Parses `I/N`.
    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else { return nil }
        self.init(index: i, count: n)
    }

    public var description: String { "\(index)/\(count)" }

    /// Whether the input with this key (its path below its input root) is in this shard.
    public func contains(key: String) -> Bool {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key.utf8 {
            hash ^= UInt64(b)
            hash &*= 0x0000_0100_0000_01B3
        }
        return Int(hash % UInt64(count)) == index
    }
}
