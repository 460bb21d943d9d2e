import Foundation
import Testing

@testable import Newsmill

@Suite struct CountsAggregatorTests {
    private func document(_ text: String, date: String? = nil) -> Document {
        Document(
            id: "x", source: SourceLocation(path: "p", line: 1), text: text,
            metadata: date.map { [JSONMember("date", .string($0))] } ?? [])
    }

    @Test func mergedPartialsEqualOnePass() throws {
        let texts = (0..<200).map { "The cat \($0 % 7) sat on the Mat. the END \($0 % 3)" }
        var whole = try CountsAggregator(options: StageOptions(["top_k": "0"]))
        var a = try CountsAggregator(options: StageOptions(["top_k": "0"]))
        var b = a
        for (k, t) in texts.enumerated() {
            whole.add(document(t))
            if k % 3 == 0 { a.add(document(t)) } else { b.add(document(t)) }
        }
        a.merge(b)
        #expect(a.records() == whole.records())
        let the = whole.records().first { $0.key == .string("the") }
        #expect(the?.count == 600)
        #expect(the?.extra.contains(JSONMember("docs", .int(200))) == true)
    }

    @Test func partialsRoundTripThroughJSON() throws {
        var counts = try CountsAggregator(options: StageOptions(["group_by": "date"]))
        counts.add(document("alpha beta beta", date: "d1"))
        counts.add(document("ünïcode beta", date: "d2"))
        let text = counts.encodePartial().jsonText
        var loaded = try CountsAggregator(options: StageOptions(["group_by": "date"]))
        try loaded.decodePartial(try JSONParser.parse(text))
        #expect(loaded.records() == counts.records())
        #expect(loaded.encodePartial().jsonText == text)
    }

    @Test func topKOrdersByCountThenDocumentsThenTerm() throws {
        var counts = try CountsAggregator(options: StageOptions(["top_k": "3"]))
        counts.add(document("b a c c"))
        counts.add(document("a b d"))
        let terms = counts.records().filter { $0.extra.first == JSONMember("field", .string("term")) }
        #expect(terms.map(\.key) == [.string("a"), .string("b"), .string("c")])
    }

    /// Documents mixing frequent and rare words, in five date groups.
    private func corpus(_ n: Int) -> [Document] {
        var rng = SplitMix(seed: 7)
        return (0..<n).map { k in
            let words = (0..<(20 + Int(rng.next() % 30))).map { _ -> String in
                let r = rng.next() % 1000
                return r < 500 ? "W\(r % 20)" : "t\(rng.next() % 3000) ü\(r % 7)"
            }
            return document(words.joined(separator: " ") + " Ünï", date: "d\(k % 5)")
        }
    }

    private func spilling(_ options: [String: String], budget: Int, in directory: String) throws -> CountsAggregator {
        var counts = try CountsAggregator(options: StageOptions(options))
        counts.budgetOverride = budget
        counts.prepare(AggregateScratch(directory: directory, partials: 1))
        return counts
    }

    private func streamedPartial(_ counts: CountsAggregator) throws -> String {
        var output = JSONFileWriter(file: nil)
        try counts.writePartial(into: &output)
        return String(decoding: output.writer.bytes, as: UTF8.self)
    }

    @Test(
        arguments: [
            ["top_k": "0"], ["top_k": "5"], ["top_k": "7", "min_count": "3", "group_by": "date"],
            ["top_k": "0", "group_by": "date", "lowercase": "false"],
        ], [1, 20_000])
    func aTinyBudgetSpillsRunsAndGivesTheSameResult(_ options: [String: String], budget: Int) throws {
        let scratch = TestSupport.temporaryDirectory() + "/scratch"
        var memory = try CountsAggregator(options: StageOptions(options))
        var spilled = try spilling(options, budget: budget, in: scratch)
        for document in corpus(300) {
            memory.add(document)
            spilled.add(document)
        }
        #expect(!spilled.runs.isEmpty)
        #expect(spilled.runs.count < 2 * TermRunSet.fanIn)
        #expect(memory.runs.isEmpty)
        #expect(spilled.records() == memory.records())
        let text = memory.encodePartial().jsonText
        #expect(spilled.encodePartial().jsonText == text)
        #expect(try streamedPartial(spilled) == text)
        #expect(try streamedPartial(memory) == text)
        var streamedRecords: [AggregateRecord] = []
        try spilled.forEachRecord { streamedRecords.append($0) }
        #expect(streamedRecords == memory.records())
        AggregateScratch(directory: scratch, partials: 1).removeAll()
        #expect(FileSystem.status(scratch) == nil)
    }

    @Test func spilledPartialsMergeAndRoundTripExactly() throws {
        let scratch = TestSupport.temporaryDirectory() + "/scratch"
        defer { AggregateScratch(directory: scratch, partials: 1).removeAll() }
        let options = ["top_k": "0", "group_by": "date"]
        var whole = try CountsAggregator(options: StageOptions(options))
        var a = try spilling(options, budget: 30_000, in: scratch)
        var b = try spilling(options, budget: 30_000, in: scratch)
        var c = try CountsAggregator(options: StageOptions(options))  // never spills
        for (k, document) in corpus(240).enumerated() {
            whole.add(document)
            switch k % 3 {
            case 0: a.add(document)
            case 1: b.add(document)
            default: c.add(document)
            }
        }
        #expect(!a.runs.isEmpty && !b.runs.isEmpty)
        // Runs merged into a partial that was never prepared still count (it never spills,
        // so it never merges runs away from under `a` and `b`).
        var unprepared = try CountsAggregator(options: StageOptions(options))
        unprepared.merge(a)
        unprepared.merge(b)
        unprepared.merge(c)
        #expect(!unprepared.runs.isEmpty)
        #expect(unprepared.records() == whole.records())
        a.merge(b)
        a.merge(c)
        #expect(a.records() == whole.records())
        let text = whole.encodePartial().jsonText
        #expect(try streamedPartial(a) == text)
        // A loaded partial larger than the budget is spilled.
        var loaded = try spilling(options, budget: 30_000, in: scratch)
        try loaded.decodePartial(try JSONParser.parse(text))
        #expect(!loaded.runs.isEmpty)
        #expect(loaded.records() == whole.records())
        #expect(try streamedPartial(loaded) == text)
    }

    /// Writes a partial's text to a file, as a run writes aggregates.partial.json.
    private func partialFile(_ counts: CountsAggregator, in directory: String, _ name: String) throws -> String {
        let path = directory + "/" + name + ".json"
        try FileSystem.makeDirectories(directory)
        let file = try OutputFile(finalPath: path)
        var output = JSONFileWriter(file: file)
        try counts.writePartial(into: &output)
        try output.flush()
        try file.commit()
        return path
    }

    @Test(arguments: [nil, 20_000])
    func storedPartialsMergeTermByTermWithinTheBudget(_ budget: Int?) throws {
        let dir = TestSupport.temporaryDirectory()
        let scratch = dir + "/scratch"
        defer { AggregateScratch(directory: scratch, partials: 1).removeAll() }
        let options = ["top_k": "0", "group_by": "date"]
        var whole = try CountsAggregator(options: StageOptions(options))
        var a = try CountsAggregator(options: StageOptions(options))
        var b = a
        var live = try spilling(options, budget: 1 << 30, in: scratch)  // documents added after loading
        for (k, document) in corpus(240).enumerated() {
            whole.add(document)
            switch k % 3 {
            case 0: a.add(document)
            case 1: b.add(document)
            default: live.add(document)
            }
        }
        let pathA = try partialFile(a, in: dir, "a")
        let pathB = try partialFile(b, in: dir, "b")
        var loaded = try CountsAggregator(options: StageOptions(options))
        if let budget { loaded = try spilling(options, budget: budget, in: scratch) }
        try loaded.mergePartial(from: JSONStreamReader(path: pathA, bufferSize: 100))
        try loaded.mergePartial(from: JSONStreamReader(path: pathB))
        #expect(loaded.runs.isEmpty == (budget == nil))
        loaded.merge(live)
        #expect(loaded.records() == whole.records())
        #expect(try streamedPartial(loaded) == whole.encodePartial().jsonText)
        // The default (a whole value through decodePartial, then merge) gives the same.
        var viaValue = try CountsAggregator(options: StageOptions(options))
        try viaValue.decodePartial(try JSONParser.parse(try FileSystem.readFile(pathA)))
        var other = try CountsAggregator(options: StageOptions(options))
        try other.decodePartial(try JSONParser.parse(try FileSystem.readFile(pathB)))
        viaValue.merge(other)
        viaValue.merge(live)
        #expect(viaValue.records() == loaded.records())
    }

    @Test(arguments: [
        #"{"d1": {"documents": 1, "sentences": 1, "tokens": 1, "terms": [["a", 1]]}}"#,
        #"{"d1": {"documents": 1, "sentences": 1, "tokens": 1}}"#,
        #"{"d1": {"documents": 1, "sentences": 1, "terms": []}}"#,
        #"{"d1": {"documents": 1, "sentences": 1, "tokens": 1, "terms": [["a", 1, 1, 1]]}}"#,
    ])
    func aMalformedStoredPartialIsRejected(_ text: String) throws {
        let path = TestSupport.temporaryDirectory() + "/partial.json"
        try TestSupport.write(text, to: path)
        var counts = try CountsAggregator(options: StageOptions([:]))
        let error = #expect(throws: PartialFormatError.self) {
            try counts.mergePartial(from: JSONStreamReader(path: path))
        }
        #expect(error?.description.contains("group 'd1' is malformed") == true)
    }

    @Test func aStoredPartialThatIsNotJSONNamesTheFileAndByte() throws {
        let path = TestSupport.temporaryDirectory() + "/partial.json"
        try TestSupport.write(
            #"{"d1": {"documents": 1, "sentences": 1, "tokens": 1, "terms": [["a", 1, 1], ["b""#, to: path)
        var counts = try CountsAggregator(options: StageOptions([:]))
        let error = #expect(throws: IOFailure.self) { try counts.mergePartial(from: JSONStreamReader(path: path)) }
        #expect(error?.path == path)
        #expect(error?.detail.contains("not valid JSON at byte") == true)
    }

    @Test func withoutAScratchFolderNothingSpills() throws {
        var counts = try CountsAggregator(options: StageOptions([:]))
        counts.budgetOverride = 1
        for document in corpus(20) { counts.add(document) }
        #expect(counts.runs.isEmpty)
        #expect(counts.records().count == 4 + 100)
    }

    @Test func rejectsABadPartial() throws {
        var counts = try CountsAggregator(options: StageOptions([:]))
        #expect(throws: PartialFormatError.self) { try counts.decodePartial(.array([])) }
    }
}
