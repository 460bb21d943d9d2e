import Foundation
import Testing

@testable import Newsmill

/// Incremental (nightly) runs: only new and changed inputs, cumulative aggregates equal to
/// a fresh run, and a killed run that leaves the previous state intact.
@Suite struct RunStateTests {
    private func pipeline(_ dir: String, output: String, incremental: Bool, stages: String = "[test-whitespace]")
        throws -> PipelineConfig
    {
        try PipelineConfig.parse("""
            inputs: [\(dir)/c]
            output: {directory: \(output), incremental: \(incremental)}
            stages: \(stages)
            aggregates:
              - counts: {top_k: 0}
              - counts: {name: dated, group_by: date}
            """, path: dir + "/p.yaml", registry: .testing)
    }

    private func article(_ k: Int) -> String {
        "Article \(k) reports \(k % 4) new things.\nWords \(k * 3) and more words.\n"
    }

    private func fresh(_ dir: String) throws -> [UInt8] {
        let out = dir + "/fresh-\(UUID().uuidString.prefix(6))"
        _ = try Runner(config: try pipeline(dir, output: out, incremental: false), options: RunOptions(workers: 2)).run()
        return try FileSystem.readFile(out + "/aggregates.jsonl")
    }

    @Test func onlyNewInputsAreProcessedAndAggregatesStayCumulative() throws {
        let dir = TestSupport.temporaryDirectory()
        for k in 0..<3 { try TestSupport.write(article(k), to: dir + "/c/a\(k).txt") }
        let root = dir + "/nightly"
        let config = try pipeline(dir, output: root, incremental: true)
        let first = try Runner(config: config, options: RunOptions(workers: 2)).run()
        #expect(first.files == 3)
        #expect(try FileSystem.readFile(root + "/aggregates.jsonl") == fresh(dir))

        for k in 3..<5 { try TestSupport.write(article(k), to: dir + "/c/a\(k).txt") }
        let second = try Runner(config: config, options: RunOptions(workers: 2)).run()
        #expect(second.files == 2)
        #expect(second.filesSkipped == 3)
        #expect(second.documents == 2)
        #expect(try FileSystem.readFile(root + "/aggregates.jsonl") == fresh(dir))
        // Each run's documents are in its own folder.
        let runs = FileSystem.list(root + "/runs") ?? []
        #expect(runs.count == 2)
        let lines = try TestSupport.gunzip(second.outputDirectory + "/documents.jsonl.gz").split(separator: "\n")
        #expect(lines.count == 2)

        // Touched but unchanged: skipped. Nothing new: an empty run.
        let touched = dir + "/c/a1.txt"
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 3600)], ofItemAtPath: touched)
        let third = try Runner(config: config, options: RunOptions(workers: 1)).run()
        #expect(third.files == 0)
        #expect(third.filesSkipped == 5)
        #expect(try FileSystem.readFile(root + "/aggregates.jsonl") == fresh(dir))
    }

    @Test func aChangedOrRemovedInputMeansAFullRun() throws {
        let dir = TestSupport.temporaryDirectory()
        for k in 0..<4 { try TestSupport.write(article(k), to: dir + "/c/a\(k).txt") }
        let root = dir + "/nightly"
        let config = try pipeline(dir, output: root, incremental: true)
        _ = try Runner(config: config, options: RunOptions(workers: 2)).run()
        try TestSupport.write("A rewritten article with other words entirely.\n", to: dir + "/c/a2.txt")
        let changed = try Runner(config: config, options: RunOptions(workers: 2)).run()
        #expect(changed.files == 4)
        #expect(try FileSystem.readFile(root + "/aggregates.jsonl") == fresh(dir))
        try FileManager.default.removeItem(atPath: dir + "/c/a0.txt")
        let removed = try Runner(config: config, options: RunOptions(workers: 2)).run()
        #expect(removed.files == 3)
        #expect(try FileSystem.readFile(root + "/aggregates.jsonl") == fresh(dir))
    }

    /// Two counts partials (one grouped) over a few hundred documents with many terms.
    private func slots(documents: Range<Int>, budget: Int? = nil, scratch: String? = nil) throws -> [AggregateSlot] {
        var result: [AggregateSlot] = []
        for options in [["top_k": "0"], ["name": "dated", "group_by": "date", "top_k": "3"]] {
            var counts = try CountsAggregator(options: StageOptions(options))
            counts.budgetOverride = budget
            if let scratch { counts.prepare(AggregateScratch(directory: scratch, partials: 1)) }
            var rng = SplitMix(seed: 3)
            for k in 0..<documents.upperBound {
                let words = (0..<40).map { _ in "w\(rng.next() % 5_000) \u{e9}\(rng.next() % 9)" }.joined(separator: " ")
                guard documents.contains(k) else { continue }
                counts.add(Document(id: "d\(k)", source: SourceLocation(path: "p", line: k), text: words,
                                    metadata: [JSONMember("date", .string("d\(k % 4)"))]))
            }
            result.append(AggregateSlot(name: options["name"] ?? "counts", partial: counts))
        }
        return result
    }

    @Test func theStateIsWrittenAndReadAsAStreamInTheSameFormat() throws {
        let dir = TestSupport.temporaryDirectory()
        let path = dir + "/" + RunState.fileName
        let stored = try slots(documents: 0..<200)
        let files = ["c/a.txt": RunState.FileRecord(size: 10, modified: 1_700_000_000_123_456_789, hash: "1f"),
                     "c/\u{e9}\"q\".txt": RunState.FileRecord(size: 0, modified: -5, hash: "")]
        let state = RunState(pipelineFingerprint: "abc123", files: files)
        try state.save(path: path, aggregates: stored)

        // Byte for byte what the whole-value encoding (before streaming) wrote: states of
        // either version load in the other.
        var old = JSONWriter()
        old.value(.object([
            JSONMember("format", .int(1)),
            JSONMember("pipeline", .string("abc123")),
            JSONMember("files", .object(files.keys.sorted().compactMap { key in
                files[key].map { JSONMember(key, .array([.int($0.size), .int($0.modified), .string($0.hash)])) }
            })),
            JSONMember("aggregates", .object(stored.map { JSONMember($0.name, $0.partial.encodePartial()) })),
        ]))
        old.raw(UInt8(ascii: "\n"))
        #expect(try FileSystem.readFile(path) == old.bytes)

        let loaded = try #require(try RunState.load(path: path))
        #expect(loaded.pipelineFingerprint == "abc123")
        #expect(loaded.files == files)
        #expect(loaded.aggregateNames == ["counts", "dated"])

        // The stored partials add to a run's own, spilling beyond the budget.
        let scratch = dir + "/scratch"
        defer { AggregateScratch(directory: scratch, partials: 1).removeAll() }
        var live = try slots(documents: 200..<300, budget: 20_000, scratch: scratch)
        try RunState.mergeAggregates(path: path, into: &live)
        let whole = try slots(documents: 0..<300)
        for k in live.indices {
            let merged = try #require(live[k].partial as? CountsAggregator)
            #expect(!merged.runs.isEmpty)
            #expect(merged.records() == whole[k].partial.records())
        }
    }

    @Test(arguments: [
        ("{\"format\":2,\"pipeline\":\"x\",\"files\":{},\"aggregates\":{},\"more\":[]}", "state format 2 is not one this newsmill reads"),
        ("{\"format\":1,\"pipeline\":\"x\",\"files\":{\"a\":[1,2,\"h\"]},\"aggregates\":{\"counts\":{\"\":{\"docu", "not valid JSON at byte"),
        ("{\"format\":1,\"pipeline\":\"x\",\"files\":{\"a\":[1,2]},\"aggregates\":{}}", "malformed entry for a"),
        ("[1, 2, 3]", "not valid JSON at byte 1: expected an object"),
        ("{\"something\": \"else\"}", "not a newsmill state file"),
    ])
    func aStateItCannotReadStopsTheRunAndSaysWhatToDo(_ text: String, _ reason: String) throws {
        let dir = TestSupport.temporaryDirectory()
        try TestSupport.write(article(0), to: dir + "/c/a0.txt")
        let root = dir + "/nightly"
        try TestSupport.write(text, to: root + "/" + RunState.fileName)
        let config = try pipeline(dir, output: root, incremental: true)
        let error = #expect(throws: RunError.self) { _ = try Runner(config: config, options: RunOptions(workers: 1)).run() }
        let message = error?.message ?? ""
        #expect(message.contains(reason), "\(message)")
        #expect(message.contains("delete"), "\(message)")
        #expect(try FileSystem.readFile(root + "/" + RunState.fileName) == Array(text.utf8))
    }

    @Test func aDamagedStatePartialStopsTheRunBeforeTheStateChanges() throws {
        // The inputs part reads; the aggregates part (read at the end) does not.
        let dir = TestSupport.temporaryDirectory()
        for k in 0..<3 { try TestSupport.write(article(k), to: dir + "/c/a\(k).txt") }
        let root = dir + "/nightly"
        let config = try pipeline(dir, output: root, incremental: true)
        _ = try Runner(config: config, options: RunOptions(workers: 1)).run()
        let path = root + "/" + RunState.fileName
        let text = String(decoding: try FileSystem.readFile(path), as: UTF8.self)
            .replacingOccurrences(of: "\"tokens\":", with: "\"tokenz\":")
        try TestSupport.write(text, to: path)
        try TestSupport.write(article(3), to: dir + "/c/a3.txt")
        let error = #expect(throws: RunError.self) { _ = try Runner(config: config, options: RunOptions(workers: 1)).run() }
        #expect(error?.message.contains("is malformed") == true, "\(error?.message ?? "")")
        #expect(try FileSystem.readFile(path) == Array(text.utf8))
    }

    @Test func aGrowingCorpusWithASmallBudgetStaysEqualToAFreshRun() throws {
        let dir = TestSupport.temporaryDirectory()
        var rng = SplitMix(seed: 21)
        func batch(_ name: String) throws {
            var lines = ""
            for k in 0..<150 {
                let words = (0..<120).map { _ in "w\(rng.next() % 50_000)" }.joined(separator: " ")
                lines += "{\"id\": \"\(name)-\(k)\", \"text\": \"\(words)\", \"date\": \"d\(k % 3)\"}\n"
            }
            try TestSupport.write(lines, to: dir + "/c/\(name).jsonl")
        }
        func config(_ output: String, incremental: Bool) throws -> PipelineConfig {
            try PipelineConfig.parse("""
                inputs: [\(dir)/c]
                output: {directory: \(output), incremental: \(incremental), compression: none}
                stages: []
                aggregates:
                  - counts: {name: all, top_k: 0, group_by: date, memory_mb: 1}
                """, path: dir + "/p.yaml", registry: .testing)
        }
        try batch("a")
        try batch("b")
        let root = dir + "/nightly"
        _ = try Runner(config: try config(root, incremental: true), options: RunOptions(workers: 2)).run()
        try batch("c")
        let second = try Runner(config: try config(root, incremental: true), options: RunOptions(workers: 2)).run()
        #expect(second.files == 1)
        #expect(second.filesSkipped == 2)
        _ = try Runner(config: try config(dir + "/fresh", incremental: false), options: RunOptions(workers: 2)).run()
        #expect(try FileSystem.readFile(root + "/aggregates.jsonl") == FileSystem.readFile(dir + "/fresh/aggregates.jsonl"))
        #expect(try FileSystem.readFile(root + "/" + Runner.partialsFileName)
            == FileSystem.readFile(dir + "/fresh/" + Runner.partialsFileName))
        #expect(FileSystem.list(second.outputDirectory)?.contains { $0.hasPrefix(".newsmill-scratch") } == false)
    }

    @Test func aKilledRunLeavesThePreviousStateAndTheNextRunCompletesTheWork() throws {
        let dir = TestSupport.temporaryDirectory()
        try #require(FileManager.default.isExecutableFile(atPath: TestSupport.binary))
        for k in 0..<3 { try TestSupport.write(article(k), to: dir + "/c/a\(k).txt") }
        // A slow stage, so the run can be killed in the middle.
        try TestSupport.write("""
            import json, sys, time
            for line in sys.stdin:
                if "slow article" in line: time.sleep(30)
                print(line.strip())
            """, to: dir + "/slow.py")
        let yaml = """
            inputs: [c]
            output: {directory: nightly, incremental: true}
            stages:
              - exec: {command: [python3, slow.py]}
            aggregates: [counts]
            """
        try TestSupport.write(yaml, to: dir + "/p.yaml")
        #expect(try TestSupport.run([TestSupport.binary, "run", dir + "/p.yaml", "--quiet"]).status == 0)
        let statePath = dir + "/nightly/" + RunState.fileName
        let stateBefore = try FileSystem.readFile(statePath)
        let aggregatesBefore = try FileSystem.readFile(dir + "/nightly/aggregates.jsonl")

        try TestSupport.write("A slow article arrives.\n", to: dir + "/c/b-late.txt")
        try TestSupport.write("Another new article.\n", to: dir + "/c/b2.txt")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestSupport.binary)
        process.arguments = ["run", dir + "/p.yaml", "--quiet", "--workers", "1"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(1_500_000)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(try FileSystem.readFile(statePath) == stateBefore)
        #expect(try FileSystem.readFile(dir + "/nightly/aggregates.jsonl") == aggregatesBefore)

        // The next run (without the slow document) does the work the killed one did not.
        try TestSupport.write("A quick article arrives.\n", to: dir + "/c/b-late.txt")
        let next = try TestSupport.run([TestSupport.binary, "run", dir + "/p.yaml", "--quiet"])
        #expect(next.status == 0, "\(next.stderr)")
        let report = try JSONParser.parse(try FileSystem.readFile(dir + "/nightly/report.json"))
        #expect(report["files"] == .int(2))
        let freshRun = try TestSupport.run([TestSupport.binary, "run", dir + "/p.yaml", "--quiet", "--output", dir + "/fresh"])
        #expect(freshRun.status == 0)
        // --output replaces the root; the fresh root's first run processes everything.
        #expect(try FileSystem.readFile(dir + "/nightly/aggregates.jsonl") == FileSystem.readFile(dir + "/fresh/aggregates.jsonl"))
    }
}
