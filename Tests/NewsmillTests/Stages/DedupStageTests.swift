import Foundation
import Testing

@testable import Newsmill

@Suite struct DedupStageTests {
    /// 400 JSONL documents over 4 files: 40 stories, each repeated as is, in capitals with
    /// extra spaces, or with a sentence added; every story has one URL. Prints the ids
    /// Python keeps (first copies in input order) folded, exact, and by URL.
    static let corpus = """
        import json, random, sys
        random.seed(7)
        d = sys.argv[1]
        base = [f"Story number {i} about markets and Tokyo." for i in range(40)]
        docs = []
        for k in range(400):
            i = random.randrange(40)
            t = base[i]
            v = random.randrange(3)
            if v == 1:
                t = '  ' + t.upper().replace(' ', '   ') + '\\n'
            elif v == 2 and random.random() < 0.3:
                t = t + ' Extra.'
            docs.append({'id': f'd{k}', 'text': t, 'url': f'http://x/{i}'})
        for f in range(4):
            with open(f'{d}/f{f}.jsonl', 'w') as out:
                for x in docs[f * 100:(f + 1) * 100]:
                    out.write(json.dumps(x) + '\\n')
        def first(key):
            seen, keep = set(), []
            for x in docs:
                if key(x) not in seen:
                    seen.add(key(x))
                    keep.append(x['id'])
            return ' '.join(keep)
        print(first(lambda x: ' '.join(x['text'].split()).lower()))
        print(first(lambda x: x['text']))
        print(first(lambda x: x['url']))
        """

    private func keptIDs(_ path: String) throws -> String {
        try TestSupport.python(
            """
            import gzip, json, sys
            print(' '.join(json.loads(l)['id'] for l in gzip.open(sys.argv[1])))
            """, [path]
        ).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func theFirstCopyInInputOrderIsKeptWhateverTheWorkers() throws {
        let dir = TestSupport.temporaryDirectory()
        try FileSystem.makeDirectories(dir + "/in")
        let expected = try TestSupport.python(Self.corpus, [dir + "/in"]).split(separator: "\n").map(String.init)
        try #require(expected.count == 3)
        for (options, want) in [("", expected[0]), ("{fold: false}", expected[1]), ("{by: url}", expected[2])] {
            var outputs: [[UInt8]] = []
            for workers in [1, 2, 8] {
                let out = dir + "/out-\(outputs.count)-\(options.count)"
                let stage = options.isEmpty ? "dedup" : "{dedup: \(options)}"
                // Batches of 3 documents: duplicates cross batches, files and workers.
                let config = try PipelineConfig.parse(
                    "inputs: [in]\noutput: \(out)\nbatch: {documents: 3}\nstages: [\(stage), segment]\n"
                        + "aggregates: [counts]\n", path: dir + "/p.yaml")
                let report = try Runner(config: config, options: RunOptions(workers: workers)).run()
                let kept = want.split(separator: " ").count
                #expect(report.kept == kept, "\(options), \(workers) workers")
                #expect(report.dropped == ["dedup: duplicate": 400 - kept], "\(options), \(workers) workers")
                #expect(try keptIDs(out + "/documents.jsonl.gz") == want, "\(options), \(workers) workers")
                outputs.append(
                    try FileSystem.readFile(out + "/documents.jsonl.gz")
                        + FileSystem.readFile(out + "/aggregates.jsonl"))
            }
            #expect(outputs[0] == outputs[1] && outputs[0] == outputs[2], "\(options)")
        }
    }

    @Test func anIncrementalRunDropsDuplicatesOfEarlierRunsAndAddsUpToAFreshRun() throws {
        let dir = TestSupport.temporaryDirectory()
        try FileSystem.makeDirectories(dir + "/all")
        let expected = try TestSupport.python(Self.corpus, [dir + "/all"]).split(separator: "\n").map(String.init)
        try FileSystem.makeDirectories(dir + "/in")
        for f in ["f0", "f1"] { try FileSystem.rename(dir + "/all/\(f).jsonl", to: dir + "/in/\(f).jsonl") }
        let text =
            "inputs: [in]\noutput: {directory: out, incremental: true}\nstages: [dedup, segment]\n"
            + "aggregates: [counts]\n"
        let config = try PipelineConfig.parse(text, path: dir + "/p.yaml")
        let first = try Runner(config: config, options: RunOptions(workers: 2)).run()
        for f in ["f2", "f3"] { try FileSystem.rename(dir + "/all/\(f).jsonl", to: dir + "/in/\(f).jsonl") }
        let second = try Runner(config: config, options: RunOptions(workers: 2)).run()
        let kept = expected[0].split(separator: " ").map(String.init)
        #expect(first.kept + second.kept == kept.count)
        #expect(second.filesSkipped == 2)
        // The second night keeps only stories it is the first to see.
        let secondIDs = try keptIDs(second.outputDirectory + "/documents.jsonl.gz").split(separator: " ").map(
            String.init)
        #expect(secondIDs == kept.filter { Int($0.dropFirst())! >= 200 })

        let fresh = try PipelineConfig.parse(
            "inputs: [in]\noutput: fresh\nstages: [dedup, segment]\naggregates: [counts]\n", path: dir + "/p.yaml")
        _ = try Runner(config: fresh, options: RunOptions(workers: 1)).run()
        #expect(
            try String(contentsOfFile: dir + "/out/aggregates.jsonl", encoding: .utf8)
                == String(contentsOfFile: dir + "/fresh/aggregates.jsonl", encoding: .utf8))

        // A damaged key file is an error that says what to do, not a silent restart.
        try TestSupport.write("garbage", to: dir + "/out/" + KeySet.fileName)
        try TestSupport.write("{\"text\": \"One more.\"}\n", to: dir + "/in/f9.jsonl")
        #expect {
            _ = try Runner(config: config, options: RunOptions(workers: 1)).run()
        } throws: { error in
            "\(error)".contains("dedup key file") && "\(error)".contains("delete it")
        }
    }

    @Test func mergeSaysHowManyCopiesTwoShardsBothKept() throws {
        let dir = TestSupport.temporaryDirectory()
        try FileSystem.makeDirectories(dir + "/in")
        let expected = try TestSupport.python(Self.corpus, [dir + "/in"]).split(separator: "\n").map(String.init)
        let config = try PipelineConfig.parse(
            "inputs: [in]\noutput: single\nstages: [dedup]\naggregates: [counts]\n", path: dir + "/p.yaml")
        var shards: [String] = []
        var kept = 0
        for index in 0..<2 {
            var shardConfig = config
            shardConfig.output.directory = dir + "/shard-\(index)"
            var options = RunOptions(workers: 2)
            options.shard = Shard(index: index, count: 2)
            kept += try Runner(config: shardConfig, options: options).run().kept
            shards.append(shardConfig.output.directory)
        }
        var warnings: [String] = []
        let report = try ShardMerger(registry: .standard).merge(shards, into: dir + "/merged") { warnings.append($0) }
        let repeated = kept - expected[0].split(separator: " ").count
        #expect(repeated > 0)
        #expect(report.kept == kept)
        #expect(
            warnings == [
                "\(repeated) documents were kept by more than one shard: 'dedup' drops copies within a shard, so the others stay in the merged documents and aggregates"
            ])
        #expect(try KeySet(path: dir + "/merged/" + KeySet.fileName).count == kept - repeated)
    }

    /// 30 stories of 80 words, then each again with one word changed (about 88% of their
    /// 5-word shingles in common), then 30 more stories of the same vocabulary.
    @Test func nearCopiesAreDroppedWithNearAndOnlyThen() throws {
        let dir = TestSupport.temporaryDirectory()
        try FileSystem.makeDirectories(dir + "/in")
        _ = try TestSupport.python(
            """
            import json, random, sys
            random.seed(11)
            vocabulary = [f'w{k}' for k in range(2000)]
            stories = [[random.choice(vocabulary) for _ in range(80)] for _ in range(60)]
            with open(sys.argv[1] + '/a.jsonl', 'w') as f:
                for k, s in enumerate(stories[:30]):
                    f.write(json.dumps({'id': f'story{k}', 'text': ' '.join(s) + '.'}) + '\\n')
                for k, s in enumerate(stories[:30]):
                    t = list(s)
                    t[40] = 'changed'
                    f.write(json.dumps({'id': f'near{k}', 'text': ' '.join(t) + '.'}) + '\\n')
                for k, s in enumerate(stories[30:]):
                    f.write(json.dumps({'id': f'other{k}', 'text': ' '.join(s) + '.'}) + '\\n')
            """, [dir + "/in"])
        for near in [false, true] {
            let out = dir + "/out-\(near)"
            let config = try PipelineConfig.parse(
                "inputs: [in]\noutput: \(out)\nbatch: {documents: 4}\nstages: [{dedup: {near: \(near)}}]\n",
                path: dir + "/p.yaml")
            _ = try Runner(config: config, options: RunOptions(workers: 2)).run()
            let ids = try keptIDs(out + "/documents.jsonl.gz").split(separator: " ")
            #expect(ids.filter { $0.hasPrefix("story") }.count == 30)
            #expect(ids.filter { $0.hasPrefix("other") }.count == 30)
            let nearKept = ids.filter { $0.hasPrefix("near") }.count
            if near { #expect(nearKept <= 2, "\(nearKept) near copies kept") } else { #expect(nearKept == 30) }
        }
        #expect(throws: ConfigError.self) {
            _ = try PipelineConfig.parse(
                "inputs: [in]\noutput: o\nstages: [{dedup: {by: url, near: true}}]\n", path: dir + "/q.yaml")
        }
    }

    @Test func foldingIgnoresCaseAndSpacingOnly() {
        func key(_ s: String, fold: Bool = true) -> UInt64? {
            var s = s
            return s.withUTF8 { DedupStage.hash($0, fold: fold) }
        }
        #expect(key("Tokyo stocks rose.") == key("  TOKYO   stocks\nrose. \n"))
        #expect(key("Tokyo stocks rose.") != key("Tokyo stocks rose"))
        #expect(key("Tokyo stocks rose.", fold: false) != key("tokyo stocks rose.", fold: false))
        #expect(key(" \n ") == nil)
        #expect(key("") == nil)
    }
}
