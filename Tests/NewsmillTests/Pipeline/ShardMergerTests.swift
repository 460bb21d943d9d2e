import Foundation
import Testing

@testable import Newsmill

@Suite struct ShardMergerTests {
    @Test func mergedShardsEqualASingleRun() throws {
        let dir = TestSupport.temporaryDirectory()
        try RunnerTests.makeCorpus(in: dir)
        for k in 0..<12 { try TestSupport.write("Extra article \(k) about shards.\n", to: dir + "/c/x/e\(k).txt") }
        let config = try RunnerTests.config(dir, output: dir + "/single")
        _ = try Runner(config: config, options: RunOptions(workers: 2)).run()
        var shardDirs: [String] = []
        for index in 0..<3 {
            var shardConfig = config
            shardConfig.output.directory = dir + "/shard-\(index)"
            var options = RunOptions(workers: 1)
            options.shard = Shard(index: index, count: 3)
            _ = try Runner(config: shardConfig, options: options).run()
            shardDirs.append(shardConfig.output.directory)
        }
        let report = try ShardMerger(registry: .testing).merge(shardDirs, into: dir + "/merged")
        #expect(report.documents == 139)
        #expect(
            try TestSupport.gunzip(dir + "/merged/documents.jsonl.gz")
                == TestSupport.gunzip(dir + "/single/documents.jsonl.gz"))
        #expect(
            try FileSystem.readFile(dir + "/merged/aggregates.jsonl")
                == FileSystem.readFile(dir + "/single/aggregates.jsonl"))
        #expect(
            try FileSystem.readFile(dir + "/merged/errors.jsonl") == FileSystem.readFile(dir + "/single/errors.jsonl"))
    }

    @Test func shardsWithLargeVocabulariesMergeThroughSpilledRuns() throws {
        let dir = TestSupport.temporaryDirectory()
        let (single, shards) = try largeVocabularyShards(dir)
        _ = try ShardMerger(registry: .testing).merge(shards, into: dir + "/merged")
        #expect(
            try FileSystem.readFile(dir + "/merged/aggregates.jsonl")
                == FileSystem.readFile(single + "/aggregates.jsonl"))
        #expect(
            try FileSystem.readFile(dir + "/merged/" + Runner.partialsFileName)
                == FileSystem.readFile(single + "/" + Runner.partialsFileName))
        #expect(FileSystem.list(dir + "/merged")?.contains { $0.hasPrefix(".newsmill-scratch") } == false)
    }

    /// Two shards of a corpus with a large vocabulary (about 60 000 terms), the single run's
    /// output folder, and the shard folders.
    private func largeVocabularyShards(_ dir: String, memoryMB: Int = 1) throws -> (single: String, shards: [String]) {
        var rng = SplitMix(seed: 9)
        for file in 0..<4 {
            var lines = ""
            for k in 0..<100 {
                let words = (0..<150).map { _ in "w\(rng.next() % 60_000)" }.joined(separator: " ")
                lines += "{\"id\": \"d\(file)-\(k)\", \"text\": \"\(words) caf\\u00e9\", \"date\": \"d\(k % 3)\"}\n"
            }
            try TestSupport.write(lines, to: dir + "/c/f\(file).jsonl")
        }
        let config = try PipelineConfig.parse(
            """
            inputs: [\(dir)/c]
            output: {directory: \(dir)/single, compression: none}
            stages: []
            aggregates:
              - counts: {name: all, top_k: 0, group_by: date, memory_mb: \(memoryMB)}
              - counts: {name: top, top_k: 5}
            """, path: dir + "/p.yaml", registry: .testing)
        _ = try Runner(config: config, options: RunOptions(workers: 1)).run()
        var shardDirs: [String] = []
        for index in 0..<2 {
            var shardConfig = config
            shardConfig.output.directory = dir + "/shard-\(index)"
            var options = RunOptions(workers: 1)
            options.shard = Shard(index: index, count: 2)
            _ = try Runner(config: shardConfig, options: options).run()
            shardDirs.append(shardConfig.output.directory)
        }
        return (dir + "/single", shardDirs)
    }

    @Test func shardPartialsAreReadTermByTermAndSpillBeyondTheBudget() throws {
        let dir = TestSupport.temporaryDirectory()
        let (_, shards) = try largeVocabularyShards(dir)
        let scratch = AggregateScratch(directory: dir + "/scratch", partials: 1)
        defer { scratch.removeAll() }
        var slots: [AggregateSlot] = []
        for shard in shards {
            try ShardMerger(registry: .testing).mergePartials(
                shard + "/" + Runner.partialsFileName, into: &slots,
                scratch: scratch)
        }
        #expect(slots.map(\.name) == ["all", "top"])
        // 1 MB of tables for ~60 000 terms in three groups: the loaded terms went to runs.
        let all = try #require(slots.first?.partial as? CountsAggregator)
        #expect(!all.runs.isEmpty)
        let top = try #require(slots.last?.partial as? CountsAggregator)
        #expect(top.runs.isEmpty)  // 32 MB: fits
    }

    @Test func aReformattedPartialMergesTheSame() throws {
        // Any JSON text of the same shape merges, whatever its spacing (here: indented, as
        // a person or another tool might rewrite it).
        let dir = TestSupport.temporaryDirectory()
        let (single, shards) = try largeVocabularyShards(dir, memoryMB: 2)
        for shard in shards {
            let path = shard + "/" + Runner.partialsFileName
            _ = try TestSupport.python(
                """
                import json, sys
                value = json.load(open(sys.argv[1], encoding='utf-8'))
                json.dump(value, open(sys.argv[1], 'w', encoding='utf-8'), indent=1, ensure_ascii=True)
                """, [path])
        }
        _ = try ShardMerger(registry: .testing).merge(shards, into: dir + "/merged")
        #expect(
            try FileSystem.readFile(dir + "/merged/aggregates.jsonl")
                == FileSystem.readFile(single + "/aggregates.jsonl"))
        #expect(
            try FileSystem.readFile(dir + "/merged/" + Runner.partialsFileName)
                == FileSystem.readFile(single + "/" + Runner.partialsFileName))
    }

    @Test func aDamagedOrForeignPartialGivesAClearError() throws {
        let dir = TestSupport.temporaryDirectory()
        try RunnerTests.makeCorpus(in: dir)
        let config = try RunnerTests.config(dir, output: dir + "/s0")
        _ = try Runner(config: config, options: RunOptions(workers: 1)).run()
        let path = dir + "/s0/" + Runner.partialsFileName
        let good = try FileSystem.readFile(path)

        // Cut short (a copy that did not finish).
        try TestSupport.write(bytes: Array(good.prefix(good.count / 2)), to: path)
        var error = #expect(throws: (any Error).self) {
            try ShardMerger(registry: .testing).merge([dir + "/s0"], into: dir + "/m")
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains(path + ": not valid JSON at byte"))

        // Written by a newer newsmill.
        let text = String(decoding: good, as: UTF8.self).replacingOccurrences(
            of: "{\"format\":1,", with: "{\"format\":2,")
        try TestSupport.write(text, to: path)
        error = #expect(throws: ShardMerger.Failure.self) {
            try ShardMerger(registry: .testing).merge([dir + "/s0"], into: dir + "/m")
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains("partial format 2 is not one this newsmill reads"))

        // Shards of another pipeline.
        try TestSupport.write(bytes: good, to: path)
        let other = try RunnerTests.config(dir, output: dir + "/s1", extra: "  - counts: {name: extra, top_k: 1}")
        _ = try Runner(config: other, options: RunOptions(workers: 1)).run()
        let otherText = String(decoding: try FileSystem.readFile(dir + "/s1/" + Runner.partialsFileName), as: UTF8.self)
            .replacingOccurrences(of: "\"top_k\":3", with: "\"top_k\":4")
        try TestSupport.write(otherText, to: dir + "/s1/" + Runner.partialsFileName)
        error = #expect(throws: ShardMerger.Failure.self) {
            try ShardMerger(registry: .testing).merge([dir + "/s0", dir + "/s1"], into: dir + "/m")
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains("aggregate 'by-date' differs from the other shards'"))
    }

    @Test func shardsThatDoNotBelongTogetherAreRefusedBeforeAnythingIsWritten() throws {
        let dir = TestSupport.temporaryDirectory()
        try RunnerTests.makeCorpus(in: dir)
        func shard(_ index: Int, of count: Int, stages: String = "[test-whitespace]") throws -> String {
            var config = try RunnerTests.config(
                dir, output: dir + "/s\(index)of\(count)\(stages.count)", stages: stages)
            config.output.directory = dir + "/s\(index)of\(count)-\(stages.count)"
            var options = RunOptions(workers: 1)
            options.shard = Shard(index: index, count: count)
            _ = try Runner(config: config, options: options).run()
            return config.output.directory
        }
        let a = try shard(0, of: 2), b = try shard(1, of: 2)
        let other = try shard(1, of: 2, stages: "[test-whitespace, test-whitespace]")
        let split3 = try shard(1, of: 3)
        let merger = ShardMerger(registry: .testing)
        for (shards, message) in [
            ([a, other], "the shards ran different pipelines"), ([a, split3], "shards of different splits"),
            ([a, a], "are both shard 0/2"),
        ] {
            do {
                _ = try merger.merge(shards, into: dir + "/m")
                Issue.record("\(shards) merged")
            } catch {
                #expect("\(error)".contains(message), "\(error)")
            }
            #expect(FileSystem.status(dir + "/m") == nil)
        }
        var warnings: [String] = []
        _ = try merger.merge([b], into: dir + "/half", warn: { warnings.append($0) })
        #expect(
            warnings == [
                "1 of 2 shards are not in this merge (0/2): the result covers only the inputs of the shards given"
            ])
        warnings = []
        _ = try merger.merge([b, a], into: dir + "/whole", warn: { warnings.append($0) })
        #expect(warnings.isEmpty)
    }

    @Test func mergeLinesAreOrderedByTheirSourceWithoutAFullParse() {
        func key(_ text: String) -> String? {
            Array(text.utf8).withUnsafeBufferPointer { ShardMerger.sortKey($0) }.map { "\($0.path):\($0.number)" }
        }
        #expect(key(#"{"id":"a","source":{"path":"in/x.txt","line":12},"text":"t"}"#) == "in/x.txt:12")
        #expect(key(#"{"path":"in/é.jsonl","line":3,"reason":"bad"}"#) == "in/é.jsonl:3")
        // An id cannot hide the key (its quotes are escaped); escapes in the path fall back.
        #expect(key(#"{"id":"\"path\":\"z","source":{"path":"in/y.txt","line":1}}"#) == "in/y.txt:1")
        #expect(key(#"{"id":"a","source":{"path":"in/q\"uote.txt","line":1}}"#) == nil)
        #expect(key(#"{"id":"a","text":"no source"}"#) == nil)
    }

    @Test func anUnfinishedShardIsRefused() throws {
        let dir = TestSupport.temporaryDirectory()
        try TestSupport.write("x", to: dir + "/s0/documents.jsonl.gz")
        #expect(throws: ShardMerger.Failure.self) { try ShardMerger().merge([dir + "/s0"], into: dir + "/m") }
    }
}
