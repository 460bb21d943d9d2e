import Foundation

/// Combines the output directories of shards into one result equal to a single-machine
/// run: documents and errors in input order (by source path, then line), aggregate
/// partials merged exactly, report counts summed.
public struct ShardMerger: Sendable {
    public var registry: StageRegistry

    public init(registry: StageRegistry = .standard) { self.registry = registry }

    /// A problem with a shard directory.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// Checks that the shards belong together before anything is written: the same
    /// pipeline (name and stages) and, when they were run as shards, one shard
    /// count and no index twice. Returns warnings (shards missing from the count).
    func checkShards(_ shardDirectories: [String]) throws -> [String] {
        struct Seen {
            var dir: String
            var name: String
            var stages: [String]
            var shard: Shard?
        }
        var seen: [Seen] = []
        for dir in shardDirectories {
            let path = dir + "/report.json"
            let r: JSONValue
            do {
                r = try JSONParser.parse(try FileSystem.readFile(path))
            } catch {
                throw Failure("\(path): not a readable report (\(error))")
            }
            let stages = (r["stages"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
            let shard = r["shard"]?.stringValue.flatMap(Shard.init)
            let here = Seen(
                dir: dir, name: r["name"]?.stringValue ?? "", stages: stages, shard: shard)
            // (Not the pipeline file's fingerprint: per-shard copies of one pipeline that
            // differ only in their output folder are common.)
            if let first = seen.first, first.name != here.name || first.stages != here.stages {
                func describe(_ s: Seen) -> String {
                    "\(s.dir) ran '\(s.name)' (\(s.stages.isEmpty ? "no stages" : s.stages.joined(separator: " -> ")))"
                }
                throw Failure("the shards ran different pipelines: \(describe(first)); \(describe(here))")
            }
            if let shard, let other = seen.first(where: { $0.shard != nil }), let otherShard = other.shard {
                guard otherShard.count == shard.count else {
                    throw Failure(
                        "\(other.dir) is shard \(otherShard) but \(dir) is shard \(shard): "
                            + "shards of different splits cover the inputs unevenly")
                }
            }
            if let shard, let twin = seen.first(where: { $0.shard == shard }) {
                throw Failure("\(twin.dir) and \(dir) are both shard \(shard)")
            }
            seen.append(here)
        }
        guard let count = seen.compactMap(\.shard).first?.count else { return [] }
        let present = Set(seen.compactMap { $0.shard?.index })
        let missing = (0..<count).filter { !present.contains($0) }
        guard !missing.isEmpty else { return [] }
        let listed =
            missing.prefix(10).map { "\($0)/\(count)" }.joined(separator: ", ") + (missing.count > 10 ? ", ..." : "")
        return [
            "\(missing.count) of \(count) shards are not in this merge (\(listed)): "
                + "the result covers only the inputs of the shards given"
        ]
    }

    /// Merges `shardDirectories` into `output`; returns the merged report. `warn` hears of
    /// shards missing from their count (the merge goes on).
    public func merge(
        _ shardDirectories: [String], into output: String, warn: (String) -> Void = { _ in }
    ) throws -> RunReport {
        // Which documents file do the shards have?
        var documentsName = "documents.jsonl.gz"
        if let first = shardDirectories.first, FileSystem.status(first + "/documents.jsonl.gz") == nil,
            FileSystem.status(first + "/documents.jsonl") != nil
        {
            documentsName = "documents.jsonl"
        }
        for dir in shardDirectories {
            for name in [documentsName, "errors.jsonl", "report.json", Runner.partialsFileName]
            where FileSystem.status(dir + "/" + name) == nil {
                throw Failure("\(dir): not a finished shard output (no \(name))")
            }
        }
        for warning in try checkShards(shardDirectories) { warn(warning) }
        try FileSystem.makeDirectories(output)
        // `dedup` runs within each shard: say how many copies two shards both kept.
        let keyFiles = shardDirectories.map { $0 + "/" + KeySet.fileName }.filter { FileSystem.status($0) != nil }
        if !keyFiles.isEmpty {
            var union = KeySet()
            var repeated = 0
            for path in keyFiles {
                // Exact keys only (low bit 0): a near copy's band keys say nothing of their number.
                try KeySet(path: path).forEach { if !union.insert($0) && $0 & 1 == 0 { repeated += 1 } }
            }
            if repeated > 0 {
                warn(
                    "\(repeated) document\(repeated == 1 ? " was" : "s were") kept by more than one shard: 'dedup' "
                        + "drops copies within a shard, so the others stay in the merged documents and aggregates")
            }
            try union.write(to: output + "/" + KeySet.fileName)
        }
        let gzip = documentsName.hasSuffix(".gz")
        let documentsOut = try OutputFile(finalPath: output + "/" + documentsName)
        try mergeLines(shardDirectories.map { $0 + "/" + documentsName }, gzip: gzip, into: documentsOut)
        let errorsOut = try OutputFile(finalPath: output + "/errors.jsonl")
        try mergeLines(shardDirectories.map { $0 + "/errors.jsonl" }, gzip: false, into: errorsOut)

        // Aggregates: each shard's partials are read term by term into one partial per
        // aggregate, whose tables spill to a scratch folder in the output beyond their budget.
        let scratch = AggregateScratch.beside(output, partials: 1)
        defer { scratch.removeAll() }
        var slots: [AggregateSlot] = []
        for dir in shardDirectories {
            try mergePartials(dir + "/" + Runner.partialsFileName, into: &slots, scratch: scratch)
        }

        // Reports.
        var report = RunReport()
        report.outputDirectory = output
        var workers = 0
        for dir in shardDirectories {
            let path = dir + "/report.json"
            let r = try JSONParser.parse(try FileSystem.readFile(path))
            func int(_ key: String) -> Int { r[key]?.intValue ?? 0 }
            report.pipeline = r["pipeline"]?.stringValue ?? report.pipeline
            report.name = r["name"]?.stringValue ?? report.name
            report.fingerprint = r["pipeline_fingerprint"]?.stringValue ?? report.fingerprint
            report.startedAt = report.startedAt.isEmpty ? (r["started"]?.stringValue ?? "") : report.startedAt
            report.files += int("files")
            report.filesSkipped += int("files_skipped")
            report.documents += int("documents")
            report.kept += int("kept")
            report.failed += int("failed")
            report.fileFailures += int("file_failures")
            report.bytesIn += int("bytes_in")
            report.textBytesIn += int("text_bytes_in")
            report.sentences += int("sentences")
            report.tokens += int("tokens")
            report.words += int("words")
            report.entities += int("entities")
            workers += int("workers")
            for member in r["dropped_by_reason"]?.objectValue ?? [] {
                report.dropped[member.key, default: 0] += member.value.intValue ?? 0
            }
            for member in r["counters"]?.objectValue ?? [] {
                report.counters[member.key, default: 0] += member.value.intValue ?? 0
            }
            for (k, stage) in (r["stages"]?.arrayValue ?? []).enumerated() {
                if report.stageNames.count <= k {
                    report.stageNames.append(stage["name"]?.stringValue ?? "?")
                    report.stageNanoseconds.append(0)
                }
                if case .number(let s)? = stage["seconds"], let secs = Double(s) {
                    report.stageNanoseconds[k] += UInt64(secs * 1e9)
                }
            }
            if case .number(let s)? = r["seconds"], let secs = Double(s) { report.seconds = max(report.seconds, secs) }
        }
        report.workers = workers
        report.bytesOut = FileSystem.status(documentsOut.temporaryPath)?.size ?? 0
        try documentsOut.commit()
        try errorsOut.commit()
        try Runner.writeAggregates(slots, to: output)
        try Runner.writePartials(slots, to: output)
        var writer = JSONWriter(capacity: 4096)
        var json = report.json()
        if case .object(var members) = json {
            members.append(JSONMember("merged_shards", .array(shardDirectories.map { .string($0) })))
            json = .object(members)
        }
        writer.value(json)
        writer.raw(UInt8(ascii: "\n"))
        try FileSystem.writeAtomically(output + "/report.json", bytes: writer.bytes)
        return report
    }

    /// Adds the partials of one shard's `aggregates.partial.json` to `slots` (a new slot for
    /// a name not seen yet), reading the file as a stream:
    /// `{"format":1,"aggregates":[{"name":..,"type":..,"options":..,"partial":..},..]}`, where
    /// each aggregate's name and type come before its partial (as ``Runner`` writes them).
    func mergePartials(_ path: String, into slots: inout [AggregateSlot], scratch: AggregateScratch) throws {
        let reader = try JSONStreamReader(path: path)
        var sawAggregates = false
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "format":
                let format = try reader.readValue()
                guard format == .int(1) else {
                    throw Failure(
                        "\(path): partial format \(format.jsonText) is not one this newsmill reads (1): "
                            + "merge with the newsmill version that ran the shards, or run the shards again with this one"
                    )
                }
            case "aggregates":
                sawAggregates = true
                try reader.beginArray()
                var k = 0
                while try reader.nextElement() {
                    try mergeAggregate(k, from: reader, path: path, into: &slots, scratch: scratch)
                    k += 1
                }
            default:
                try reader.skipValue()
            }
        }
        try reader.expectEnd()
        guard sawAggregates else { throw Failure("\(path): no 'aggregates' list") }
    }

    private func mergeAggregate(
        _ k: Int, from reader: JSONStreamReader, path: String,
        into slots: inout [AggregateSlot], scratch: AggregateScratch
    ) throws {
        var name: String?
        var type: String?
        var options: JSONValue = .object([])
        var sawPartial = false
        try reader.beginObject()
        while let field = try reader.nextKey() {
            switch field {
            case "name": name = try reader.readValue().stringValue
            case "type": type = try reader.readValue().stringValue
            case "options": options = try reader.readValue()
            case "partial":
                guard let name, let type else {
                    throw Failure("\(path): aggregate \(k) is malformed ('name' and 'type' must come before 'partial')")
                }
                sawPartial = true
                let index: Int
                if let existing = slots.firstIndex(where: { $0.name == name }) {
                    guard slots[existing].typeName == type, slots[existing].options == options else {
                        throw Failure(
                            "\(path): aggregate '\(name)' differs from the other shards' (different pipelines?)")
                    }
                    index = existing
                } else {
                    var aggregate = try registry.makeAggregate(
                        named: type,
                        options: StageOptions(json: options, stageName: type))
                    aggregate.prepare(scratch)
                    slots.append(AggregateSlot(name: name, partial: aggregate, options: options))
                    index = slots.count - 1
                }
                do {
                    try slots[index].partial.mergePartial(from: reader)
                } catch let failure as PartialFormatError {
                    throw Failure("\(path): \(failure)")
                }
            default:
                try reader.skipValue()
            }
        }
        guard sawPartial else { throw Failure("\(path): aggregate \(k) is malformed (no 'partial')") }
    }

    /// The (path, line) a line of documents.jsonl (`"source":{"path":...,"line":N}`) or
    /// errors.jsonl (`"path":...,"line":N`) sorts by, read from the first `"path":"` in
    /// the line without parsing the rest (a document line is mostly its tokens). Nil when
    /// the line is not in that shape or the path has escapes: the caller parses it all.
    static func sortKey(_ line: UnsafeBufferPointer<UInt8>) -> (path: String, number: Int)? {
        let key = pathKey
        let n = line.count
        var i = 0
        search: while i + key.count <= n {
            for j in 0..<key.count where line[i + j] != key[j] {
                i += 1
                continue search
            }
            break
        }
        guard i + key.count <= n else { return nil }
        let start = i + key.count
        var end = start
        while end < n && line[end] != 0x22 {
            if line[end] == 0x5C { return nil }  // an escape: parse it all
            end += 1
        }
        let after = lineKey
        guard end + after.count < n else { return nil }
        for j in 0..<after.count where line[end + 1 + j] != after[j] { return nil }
        var k = end + 1 + after.count
        var number = 0
        let digits = k
        while k < n, line[k] >= 0x30, line[k] <= 0x39, k - digits < 18 {
            number = number * 10 + Int(line[k] - 0x30)
            k += 1
        }
        guard k > digits, k < n, line[k] == 0x2C || line[k] == 0x7D else { return nil }
        return (String(decoding: UnsafeBufferPointer(rebasing: line[start..<end]), as: UTF8.self), number)
    }

    private static let pathKey = Array(#""path":""#.utf8)
    private static let lineKey = Array(#","line":"#.utf8)

    /// The compression level a gzip file's header suggests (its XFL byte): 1, 9 or 6.
    static func gzipLevel(_ path: String) -> Int {
        guard let head = try? FileSystem.readPrefix(path, count: 10), head.count == 10 else { return 6 }
        switch head[8] {
        case 4: return 1
        case 2: return 9
        default: return 6
        }
    }

    /// A k-way merge of JSONL files, each sorted by (source path, line), into one sorted file.
    private func mergeLines(_ paths: [String], gzip: Bool, into file: OutputFile) throws {
        struct Head {
            var line: [UInt8]
            var path: String
            var number: Int
        }
        let readers = try paths.map { LineReader(try ChunkReader(path: $0, gzip: gzip)) }
        func next(_ k: Int) throws -> Head? {
            var result: Head?
            _ = try readers[k].nextLine { bytes in
                let line = Array(bytes)
                if let (path, number) = Self.sortKey(bytes) {
                    result = Head(line: line, path: path, number: number)
                    return
                }
                let value = try? JSONParser.parse(line)
                // Documents carry source.path/line; errors carry path/line.
                let path = value?["source"]?["path"]?.stringValue ?? value?["path"]?.stringValue ?? ""
                let number = value?["source"]?["line"]?.intValue ?? value?["line"]?.intValue ?? 0
                result = Head(line: line, path: path, number: number)
            }
            return result
        }
        var heads: [Head?] = try (0..<readers.count).map(next)
        // The shards' own compression level, as far as the gzip header tells (XFL: 4 for
        // the fastest levels, 2 for the best, 0 for the others): the shipped pipelines
        // write level 1, and merging 16x-the-text JSON at level 6 took longer than the run.
        let compressor = gzip ? GzipCompressor(level: paths.first.map(Self.gzipLevel) ?? 6) : nil
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        // Full 1 MiB buffers are compressed a few at a time on every core (each its own gzip
        // member, written in order): deflate is most of a merge's time.
        let slots = max(1, min(8, ProcessInfo.processInfo.activeProcessorCount))
        var pending: [[UInt8]] = []
        func compressPending() throws {
            guard !pending.isEmpty else { return }
            if let compressor {
                let level = Int(compressor.level)
                let inputs = pending
                var outputs = [[UInt8]](repeating: [], count: inputs.count)
                outputs.withUnsafeMutableBufferPointer { out in
                    nonisolated(unsafe) let out = out
                    DispatchQueue.concurrentPerform(iterations: inputs.count) { i in
                        out[i] = GzipCompressor(level: level).compress(inputs[i])
                    }
                }
                for output in outputs { try file.write(output) }
            } else {
                for bytes in pending { try file.write(bytes) }
            }
            pending.removeAll(keepingCapacity: true)
        }
        func flush() throws {
            guard !buffer.isEmpty else { return }
            pending.append(buffer)
            buffer = []
            buffer.reserveCapacity(1 << 20)
            if pending.count >= slots { try compressPending() }
        }
        var wroteAny = false
        while true {
            var best = -1
            for k in heads.indices {
                guard let h = heads[k] else { continue }
                if best < 0 { best = k; continue }
                guard let b = heads[best] else { continue }
                if h.path.utf8.lexicographicallyPrecedes(b.path.utf8) || (h.path == b.path && h.number < b.number) {
                    best = k
                }
            }
            if best < 0 { break }
            if let h = heads[best] {
                buffer.append(contentsOf: h.line)
                buffer.append(0x0A)
                wroteAny = true
            }
            if buffer.count >= 1 << 20 { try flush() }
            heads[best] = try next(best)
        }
        try flush()
        try compressPending()
        if !wroteAny, let compressor { try file.write(compressor.compress([])) }
    }
}
