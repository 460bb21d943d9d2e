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
