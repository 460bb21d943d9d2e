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

    @Test func anUnfinishedShardIsRefused() throws {
        let dir = TestSupport.temporaryDirectory()
        try TestSupport.write("x", to: dir + "/s0/documents.jsonl.gz")
        #expect(throws: ShardMerger.Failure.self) { try ShardMerger().merge([dir + "/s0"], into: dir + "/m") }
    }
}
