import Foundation
import Testing

@testable import Newsmill

/// Incremental (nightly) runs: only new and changed inputs, cumulative aggregates equal to
/// a fresh run, and a killed run that leaves the previous state intact.
@Suite struct RunStateTests {
    private func pipeline(_ dir: String, output: String, incremental: Bool, stages: String = "[test-whitespace]")
        throws -> PipelineConfig
    {
        try PipelineConfig.parse(
            """
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
        _ = try Runner(config: try pipeline(dir, output: out, incremental: false), options: RunOptions(workers: 2))
            .run()
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
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: 3600)], ofItemAtPath: touched)
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
                let words = (0..<40).map { _ in "w\(rng.next() % 5_000) \u{e9}\(rng.next() % 9)" }.joined(
                    separator: " ")
                guard documents.contains(k) else { continue }
                counts.add(
                    Document(
                        id: "d\(k)", source: SourceLocation(path: "p", line: k), text: words,
                        metadata: [JSONMember("date", .string("d\(k % 4)"))]))
            }
            result.append(AggregateSlot(name: options["name"] ?? "counts", partial: counts))
        }
        return result
    }

    /// Inputs with their records, written to a planned-inputs file as a plan would.
    private func plannedInputs(_ files: [(String, RunState.FileRecord)], in dir: String) throws -> String {
        let path = dir + "/planned-\(UUID().uuidString.prefix(6))"
        let writer = try PlannedInputs.Writer(path: path)
        for (name, record) in files {
            try writer.append(
                InputFile(
                    path: name, format: .txt, gzip: false, size: record.size, modified: record.modified,
                    key: FileSystem.baseName(of: name)), record: record, status: .unchanged)
        }
        try writer.finish()
        return path
    }

    /// Every record of a state file, in the file's order, and what else the reader found.
    private func records(_ path: String) throws -> (
        files: [String], records: [RunState.FileRecord], fingerprint: String?,
        names: [String]?
    ) {
        let reader = try RunState.Reader(path: path)
        var files: [String] = []
        var records: [RunState.FileRecord] = []
        while let entry = try reader.next() {
            files.append(entry.path)
            records.append(entry.record)
        }
        return (files, records, reader.fingerprint, reader.aggregateNames)
    }

    @Test func theStateIsWrittenAndReadAsAStreamInTheSameFormat() throws {
        let dir = TestSupport.temporaryDirectory()
        let path = dir + "/" + RunState.fileName
        let stored = try slots(documents: 0..<200)
        let files = [
            ("c/a.txt", RunState.FileRecord(size: 10, modified: 1_700_000_000_123_456_789, hash: "1f")),
            ("c/\u{e9}\"q\".txt", RunState.FileRecord(size: 0, modified: -5, hash: "")),
        ]
        try RunState.save(
            path: path, fingerprint: "abc123", inputs: PlannedInputs.Reader(path: plannedInputs(files, in: dir)),
            aggregates: stored)

        // Byte for byte what the whole-value encoding (before streaming) wrote: states of
        // either version load in the other.
        var old = JSONWriter()
        old.value(
            .object([
                JSONMember("format", .int(1)),
                JSONMember("pipeline", .string("abc123")),
                JSONMember(
                    "files",
                    .object(
                        files.sorted { $0.0 < $1.0 }.map { key, r in
                            JSONMember(key, .array([.int(r.size), .int(r.modified), .string(r.hash)]))
                        })),
                JSONMember("aggregates", .object(stored.map { JSONMember($0.name, $0.partial.encodePartial()) })),
            ]))
        old.raw(UInt8(ascii: "\n"))
        #expect(try FileSystem.readFile(path) == old.bytes)

        let loaded = try records(path)
        #expect(loaded.fingerprint == "abc123")
        #expect(loaded.files == files.map(\.0))
        #expect(loaded.records == files.map(\.1))
        #expect(loaded.names == ["counts", "dated"])

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
        (
            "{\"format\":2,\"pipeline\":\"x\",\"files\":{},\"aggregates\":{},\"more\":[]}",
            "state format 2 is not one this newsmill reads"
        ),
        (
            "{\"format\":1,\"pipeline\":\"x\",\"files\":{\"a\":[1,2,\"h\"]},\"aggregates\":{\"counts\":{\"\":{\"docu",
            "not valid JSON at byte"
        ),
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
        let error = #expect(throws: RunError.self) {
            _ = try Runner(config: config, options: RunOptions(workers: 1)).run()
        }
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
        let error = #expect(throws: RunError.self) {
            _ = try Runner(config: config, options: RunOptions(workers: 1)).run()
        }
        #expect(error?.message.contains("is malformed") == true, "\(error?.message ?? "")")
        #expect(try FileSystem.readFile(path) == Array(text.utf8))
    }

    /// A state as the previous version wrote it: the whole value encoded at once, its files
    /// in Swift's `String` order (not bytewise for paths that are not in Unicode NFC).
    private func rewriteAsTheOldVersion(_ path: String) throws {
        guard case .object(let members) = try JSONParser.parse(try FileSystem.readFile(path)) else {
            Issue.record("not an object")
            return
        }
        var old = JSONWriter()
        old.value(
            .object(
                members.map { (member: JSONMember) -> JSONMember in
                    guard member.key == "files", case .object(let files) = member.value else { return member }
                    return JSONMember("files", .object(files.sorted { $0.key < $1.key }))
                }))
        old.raw(UInt8(ascii: "\n"))
        try TestSupport.write(bytes: old.bytes, to: path)
    }

    @Test func thePlanJoinsTheStateWithDiscoveryWithoutHoldingEitherList() throws {
        let dir = TestSupport.temporaryDirectory()
        for name in ["added", "changed", "same", "touched"] {
            try TestSupport.write("\(name) text\n", to: dir + "/c/\(name).txt")
        }
        func entry(_ name: String, size: Int? = nil, modified: Int? = nil, hash: String? = nil) throws -> String {
            let path = dir + "/c/" + name
            let st = try #require(FileSystem.status(path))
            return
                "\"\(path)\":[\(size ?? st.size),\(modified ?? st.modified),\"\(hash ?? RunState.contentHash(path) ?? "")\"]"
        }
        try TestSupport.write("another text\n", to: dir + "/c/gone.txt")
        let gone = try entry("gone.txt")
        FileSystem.remove(dir + "/c/gone.txt")
        // "same" keeps a hash no file has: an unchanged input is not hashed again.
        let state = dir + "/state.json"
        try TestSupport.write(
            """
            {"format":1,"pipeline":"p","files":{\(try entry("changed.txt", size: 3, hash: "0")),\(gone),\
            \(try entry("same.txt", hash: "not-hashed")),\(try entry("touched.txt", modified: 5))},\
            "aggregates":{"counts":{}}}
            """, to: state)
        let plannedPath = dir + "/planned"
        let writer = try PlannedInputs.Writer(path: plannedPath)
        var inputs = InputFileStream(patterns: [dir + "/c"])
        let plan = try RunState.plan(statePath: state, inputs: &inputs, into: writer)
        try writer.finish()
        #expect(
            plan
                == RunState.Plan(
                    hadState: true, fingerprint: "p", aggregateNames: ["counts"], new: 1, changed: 1,
                    unchanged: 2, deleted: 1, newBytes: 11, bytes: 11 + 13 + 10 + 13, ordered: true))

        let reader = try PlannedInputs.Reader(path: plannedPath)
        var seen: [(String, PlannedInputs.Status, String)] = []
        while try reader.next() {
            let st = try #require(FileSystem.status(reader.file.path))
            #expect(reader.record.size == st.size && reader.record.modified == st.modified)
            #expect(reader.file.key == FileSystem.baseName(of: reader.file.path))
            seen.append((FileSystem.baseName(of: reader.file.path), reader.status, reader.record.hash))
        }
        let hash = { (name: String) in RunState.contentHash(dir + "/c/" + name) ?? "" }
        #expect(seen.map(\.0) == ["added.txt", "changed.txt", "same.txt", "touched.txt"])
        #expect(seen.map(\.1) == [.new, .changed, .unchanged, .unchanged])
        #expect(seen.map(\.2) == [hash("added.txt"), hash("changed.txt"), "not-hashed", hash("touched.txt")])

        // Only the new inputs, for an incremental run.
        let onlyNew = try PlannedInputs.Reader(path: plannedPath, only: [.new])
        #expect(onlyNew.nextFile()?.path == dir + "/c/added.txt")
        #expect(onlyNew.nextFile() == nil)
        #expect(onlyNew.failure == nil)
    }

    @Test func manyInputsAddedChangedAndRemovedStayEqualToAFreshRun() throws {
        let dir = TestSupport.temporaryDirectory()
        // Names whose bytewise order is not the order of a naive sort of folder listings
        // (`a-b` < `a.b` < `a/x` < `a0`), in several folders.
        let folders = ["a", "a-b", "a.b", "a0", "z/deep/er"]
        var names: [String] = []
        for folder in folders {
            for k in 0..<240 { names.append("\(folder)/\(k % 7 == 0 ? "x" : "d")\(k).txt") }
            names.append("\(folder).txt")
        }
        for (k, name) in names.enumerated() { try TestSupport.write(article(k), to: dir + "/c/" + name) }
        let root = dir + "/nightly"
        let config = try pipeline(dir, output: root, incremental: true)
        let first = try Runner(config: config, options: RunOptions(workers: 2)).run()
        #expect(first.files == names.count)
        #expect(try FileSystem.readFile(root + "/aggregates.jsonl") == fresh(dir))

        // The state holds every input once, in discovery's order.
        let discovered = InputDiscovery.discover([dir + "/c"]).files.map(\.path)
        #expect(discovered.count == names.count)
        #expect(try records(root + "/" + RunState.fileName).files == discovered)

        // Added (between and after existing paths): only those are processed.
        let added = ["a/d1000.txt", "a-a.txt", "a0/0.txt", "b/new.txt", "zz.txt"]
        for (k, name) in added.enumerated() { try TestSupport.write(article(5_000 + k), to: dir + "/c/" + name) }
        let second = try Runner(config: config, options: RunOptions(workers: 2)).run()
        #expect(second.files == added.count)
        #expect(second.filesSkipped == names.count)
        #expect(second.documents == added.count)
        #expect(try FileSystem.readFile(root + "/aggregates.jsonl") == fresh(dir))
        #expect(
            try records(root + "/" + RunState.fileName).files == InputDiscovery.discover([dir + "/c"]).files.map(\.path)
        )

        // Nothing new: nothing processed.
        let idle = try Runner(config: config, options: RunOptions(workers: 2)).run()
        #expect(idle.files == 0)
        #expect(idle.filesSkipped == names.count + added.count)
        #expect(try FileSystem.readFile(root + "/aggregates.jsonl") == fresh(dir))

        // Changed, then removed: every input again, equal to a fresh run.
        try TestSupport.write("Rewritten with other words.\n", to: dir + "/c/a.b/d5.txt")
        let changed = try Runner(config: config, options: RunOptions(workers: 2)).run()
        #expect(changed.files == names.count + added.count)
        #expect(changed.filesSkipped == 0)
        #expect(try FileSystem.readFile(root + "/aggregates.jsonl") == fresh(dir))
        try FileManager.default.removeItem(atPath: dir + "/c/a0/d1.txt")
        let removed = try Runner(config: config, options: RunOptions(workers: 2)).run()
        #expect(removed.files == names.count + added.count - 1)
        #expect(try FileSystem.readFile(root + "/aggregates.jsonl") == fresh(dir))
        let after = try records(root + "/" + RunState.fileName)
        #expect(after.files == InputDiscovery.discover([dir + "/c"]).files.map(\.path))
        #expect(after.records.allSatisfy { !$0.hash.isEmpty })
    }

    @Test func aStateThePreviousVersionWroteLoads() throws {
        let dir = TestSupport.temporaryDirectory()
        for k in 0..<3 { try TestSupport.write(article(k), to: dir + "/c/a\(k).txt") }
        let root = dir + "/nightly"
        let config = try pipeline(dir, output: root, incremental: true)
        _ = try Runner(config: config, options: RunOptions(workers: 2)).run()
        let path = root + "/" + RunState.fileName
        let written = try FileSystem.readFile(path)
        try rewriteAsTheOldVersion(path)
        // ASCII paths: the same order, so the same bytes.
        #expect(try FileSystem.readFile(path) == written)
        try TestSupport.write(article(3), to: dir + "/c/a3.txt")
        let second = try Runner(config: config, options: RunOptions(workers: 2)).run()
        #expect(second.files == 1)
        #expect(second.filesSkipped == 3)
        #expect(try FileSystem.readFile(root + "/aggregates.jsonl") == fresh(dir))
    }

    @Test func aStateWithPathsOutOfBytewiseOrderMeansAFullRunThenIncrementalAgain() throws {
        let dir = TestSupport.temporaryDirectory()
        // "a" + combining acute (NFD) sorts after "b" as a Swift String (compared in NFC:
        // U+00E1 > "b") but before it bytewise (0x61 < 0x62): the previous version wrote
        // such paths out of discovery's order.
        let decomposed = "a\u{301}.txt"
        #expect("b.txt" < decomposed)
        try TestSupport.write(article(0), to: dir + "/c/" + decomposed)
        try TestSupport.write(article(1), to: dir + "/c/b.txt")
        try #require(FileSystem.list(dir + "/c")?.first.map { Array($0.utf8) } == Array(decomposed.utf8))
        let root = dir + "/nightly"
        let config = try pipeline(dir, output: root, incremental: true)
        _ = try Runner(config: config, options: RunOptions(workers: 2)).run()
        let path = root + "/" + RunState.fileName
        #expect(
            try records(path).files.map { Array($0.utf8) } == [
                Array((dir + "/c/" + decomposed).utf8),
                Array((dir + "/c/b.txt").utf8),
            ])
        try rewriteAsTheOldVersion(path)
        #expect(try records(path).files.map { FileSystem.baseName(of: $0) } == ["b.txt", decomposed])

        // The join cannot trust that order: every input again, never a file twice.
        try TestSupport.write(article(2), to: dir + "/c/c.txt")
        let second = try Runner(config: config, options: RunOptions(workers: 2)).run()
        #expect(second.files == 3)
        #expect(second.filesSkipped == 0)
        #expect(try FileSystem.readFile(root + "/aggregates.jsonl") == fresh(dir))
        // The state is now in bytewise order: incremental again.
        try TestSupport.write(article(3), to: dir + "/c/d.txt")
        let third = try Runner(config: config, options: RunOptions(workers: 2)).run()
        #expect(third.files == 1)
        #expect(third.filesSkipped == 3)
        #expect(try FileSystem.readFile(root + "/aggregates.jsonl") == fresh(dir))
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
            try PipelineConfig.parse(
                """
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
        #expect(
            try FileSystem.readFile(root + "/aggregates.jsonl") == FileSystem.readFile(dir + "/fresh/aggregates.jsonl"))
        #expect(
            try FileSystem.readFile(root + "/" + Runner.partialsFileName)
                == FileSystem.readFile(dir + "/fresh/" + Runner.partialsFileName))
        #expect(FileSystem.list(second.outputDirectory)?.contains { $0.hasPrefix(".newsmill-scratch") } == false)
    }

    @Test func aKilledRunLeavesThePreviousStateAndTheNextRunCompletesTheWork() throws {
        let dir = TestSupport.temporaryDirectory()
        try #require(FileManager.default.isExecutableFile(atPath: TestSupport.binary))
        for k in 0..<3 { try TestSupport.write(article(k), to: dir + "/c/a\(k).txt") }
        // A slow stage, so the run can be killed in the middle.
        try TestSupport.write(
            """
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
        // Killed once it is writing its run's outputs (the slow stage holds it there).
        func started() -> Bool {
            (FileSystem.list(dir + "/nightly/runs") ?? []).contains { run in
                FileSystem.status(dir + "/nightly/runs/\(run)/.errors.jsonl.tmp-\(process.processIdentifier)") != nil
            }
        }
        for _ in 0..<200 where !started() { usleep(100_000) }
        usleep(300_000)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(try FileSystem.readFile(statePath) == stateBefore)
        #expect(try FileSystem.readFile(dir + "/nightly/aggregates.jsonl") == aggregatesBefore)

        // What the killed run left: its plan's scratch folder, its run folder's temporary
        // outputs; a kill during the save would leave the state's temporary file too.
        let pid = process.processIdentifier
        func leftovers() -> [String] {
            var found: [String] = []
            for folder in [dir + "/nightly"]
                + (FileSystem.list(dir + "/nightly/runs") ?? []).map({ dir + "/nightly/runs/" + $0 })
            {
                for name in FileSystem.list(folder) ?? [] where RunLock.staleOwner(name) != nil { found.append(name) }
            }
            return found.sorted()
        }
        #expect(
            leftovers() == [".documents.jsonl.gz.tmp-\(pid)", ".errors.jsonl.tmp-\(pid)", ".newsmill-scratch-\(pid)"])
        try TestSupport.write("{\"format\":1,\"pipe", to: dir + "/nightly/.\(RunState.fileName).tmp-\(pid)")
        try TestSupport.write("keep me", to: dir + "/nightly/notes.tmp-\(pid)")
        #expect(FileSystem.list(dir + "/nightly/runs")?.count == 2)

        // The next run (without the slow document) does the work the killed one did not,
        // and removes what the killed one left (it holds the lock).
        try TestSupport.write("A quick article arrives.\n", to: dir + "/c/b-late.txt")
        let next = try TestSupport.run([TestSupport.binary, "run", dir + "/p.yaml"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr.contains("removed 5 files and folders left by an interrupted run"), "\(next.stderr)")
        #expect(leftovers() == [])
        #expect(FileSystem.status(dir + "/nightly/notes.tmp-\(pid)") != nil)
        // The killed run's folder held only temporaries: it is gone; the two finished runs stay.
        #expect(FileSystem.list(dir + "/nightly/runs")?.count == 2)
        let report = try JSONParser.parse(try FileSystem.readFile(dir + "/nightly/report.json"))
        #expect(report["files"] == .int(2))
        let freshRun = try TestSupport.run([
            TestSupport.binary, "run", dir + "/p.yaml", "--quiet", "--output", dir + "/fresh",
        ])
        #expect(freshRun.status == 0)
        // --output replaces the root; the fresh root's first run processes everything.
        #expect(
            try FileSystem.readFile(dir + "/nightly/aggregates.jsonl")
                == FileSystem.readFile(dir + "/fresh/aggregates.jsonl"))
    }
}
