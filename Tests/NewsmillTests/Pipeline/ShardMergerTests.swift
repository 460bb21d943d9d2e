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
        #expect(try TestSupport.gunzip(dir + "/merged/documents.jsonl.gz")
            == TestSupport.gunzip(dir + "/single/documents.jsonl.gz"))
        #expect(try FileSystem.readFile(dir + "/merged/aggregates.jsonl") == FileSystem.readFile(dir + "/single/aggregates.jsonl"))
        #expect(try FileSystem.readFile(dir + "/merged/errors.jsonl") == FileSystem.readFile(dir + "/single/errors.jsonl"))
    }

    @Test func shardsWithLargeVocabulariesMergeThroughSpilledRuns() throws {
        let dir = TestSupport.temporaryDirectory()
        var rng = SplitMix(seed: 5)
        for file in 0..<6 {
            var lines = ""
            for k in 0..<100 {
                let words = (0..<150).map { _ in "w\(rng.next() % 60_000)" }.joined(separator: " ")
                lines += "{\"id\": \"d\(file)-\(k)\", \"text\": \"\(words)\", \"date\": \"d\(k % 4)\"}\n"
            }
            try TestSupport.write(lines, to: dir + "/c/f\(file).jsonl")
        }
        let config = try PipelineConfig.parse("""
            inputs: [\(dir)/c]
            output: {directory: \(dir)/single, level: 1}
            stages: []
            aggregates:
              - counts: {name: all, top_k: 0, group_by: date, memory_mb: 1}
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
        _ = try ShardMerger(registry: .testing).merge(shardDirs, into: dir + "/merged")
        let same = try FileSystem.readFile(dir + "/merged/aggregates.jsonl") == FileSystem.readFile(dir + "/single/aggregates.jsonl")
        #expect(same)
        let samePartial = try FileSystem.readFile(dir + "/merged/" + Runner.partialsFileName)
            == FileSystem.readFile(dir + "/single/" + Runner.partialsFileName)
        #expect(samePartial)
        #expect(FileSystem.list(dir + "/merged")?.contains { $0.hasPrefix(".newsmill-scratch") } == false)
    }

    @Test func anUnfinishedShardIsRefused() throws {
        let dir = TestSupport.temporaryDirectory()
        try TestSupport.write("x", to: dir + "/s0/documents.jsonl.gz")
        #expect(throws: ShardMerger.Failure.self) { try ShardMerger().merge([dir + "/s0"], into: dir + "/m") }
    }
}
