import Foundation
import Testing

@testable import Newsmill

@Suite struct RunnerTests {
    /// A small corpus with every input format, non-ASCII text and a multi-member shard.
    static func makeCorpus(in dir: String) throws {
        try TestSupport.write("Première ligne: café ☕ and “quotes”.\nSecond paragraph here.\n", to: dir + "/c/a.txt")
        try TestSupport.gzip(dir + "/c/a.txt")
        try FileManager.default.removeItem(atPath: dir + "/c/a.txt")
        try TestSupport.write("Plain text article.\nWith two lines.\n", to: dir + "/c/sub/b.txt")
        _ = try TestSupport.python(
            """
            import gzip, json, sys
            rows = [{"id": f"d{i}", "text": f"Document {i} says hello 世界 {i % 7}.\\nNext line {i}.", "date": f"2024-01-{i % 3 + 1:02d}", "n": i}
                    for i in range(120)]
            with open(sys.argv[1], 'wb') as f:
                for start in range(0, 120, 40):
                    f.write(gzip.compress(''.join(json.dumps(r, ensure_ascii=False) + '\\n' for r in rows[start:start+40]).encode(), mtime=0))
            with open(sys.argv[2], 'w') as f:
                for r in rows[:5]:
                    f.write(json.dumps(r) + '\\n')
            """, [dir + "/c/shard.jsonl.gz", dir + "/c/sub/plain.jsonl"])
    }

    static func config(
        _ dir: String, output: String, stages: String = "[test-whitespace]",
        extra: String = ""
    ) throws -> PipelineConfig {
        try PipelineConfig.parse(
            """
            inputs: [\(dir)/c]
            output: {directory: \(output), level: 1}
            batch: {documents: 7}
            stages: \(stages)
            aggregates:
              - counts: {top_k: 50}
              - counts: {name: by-date, group_by: date, top_k: 3}
            \(extra)
            """, path: dir + "/p.yaml", registry: .testing)
    }

    @Test func aSmallTermBudgetSpillsAndWritesTheSameOutputs() throws {
        let dir = TestSupport.temporaryDirectory()
        // About 60 000 distinct terms: more than 1 MB of term tables.
        var rng = SplitMix(seed: 11)
        var lines = ""
        for k in 0..<600 {
            let words = (0..<150).map { _ in "w\(rng.next() % 80_000)" }.joined(separator: " ")
            lines += "{\"id\": \"d\(k)\", \"text\": \"\(words) the end\", \"date\": \"2024-0\(k % 3 + 1)\"}\n"
        }
        try TestSupport.write(lines, to: dir + "/c/many.jsonl")
        var outputs: [[UInt8]] = []
        for memory in [64, 1] {
            let out = dir + "/out\(memory)"
            let config = try PipelineConfig.parse(
                """
                inputs: [\(dir)/c]
                output: {directory: \(out), level: 1}
                batch: {documents: 50}
                stages: []
                aggregates:
                  - counts: {top_k: 20, memory_mb: \(memory)}
                  - counts: {name: all, top_k: 0, group_by: date, memory_mb: \(memory)}
                """, path: dir + "/p.yaml", registry: .testing)
            _ = try Runner(config: config, options: RunOptions(workers: 2)).run()
            // The partial states (their options differ by memory_mb).
            let partials = try JSONParser.parse(try FileSystem.readFile(out + "/" + Runner.partialsFileName))
            var states = JSONWriter()
            for item in partials["aggregates"]?.arrayValue ?? [] { states.value(item["partial"] ?? .null) }
            outputs.append(try FileSystem.readFile(out + "/aggregates.jsonl") + states.bytes)
            // The scratch folder is gone.
            #expect(FileSystem.list(out)?.contains { $0.hasPrefix(".newsmill-scratch") } == false)
        }
        let same = outputs[0] == outputs[1]
        #expect(same)
        #expect(outputs[0].count > 1_000_000)
        // Every term of the top_k 0 aggregate is written (one line each).
        let text = String(decoding: try FileSystem.readFile(dir + "/out1/aggregates.jsonl"), as: UTF8.self)
        let distinct = text.split(separator: "\n").filter {
            $0.contains("\"distinct_terms\"") && $0.contains("\"all\"")
        }
        .compactMap { try? JSONParser.parse(String($0))["count"]?.intValue }.reduce(0, +)
        let termLines = text.split(separator: "\n").filter { $0.contains("\"all\"") && $0.contains("\"term\"") }
        #expect(distinct > 40_000)
        #expect(termLines.count == distinct)
    }

    @Test func outputsAreByteIdenticalForOneTwoAndEightWorkers() throws {
        let dir = TestSupport.temporaryDirectory()
        try Self.makeCorpus(in: dir)
        var outputs: [[String: [UInt8]]] = []
        for workers in [1, 2, 8] {
            let out = dir + "/out\(workers)"
            let report = try Runner(config: try Self.config(dir, output: out), options: RunOptions(workers: workers))
                .run()
            #expect(report.documents == 127)
            #expect(report.kept == 127)
            var files: [String: [UInt8]] = [:]
            for name in ["documents.jsonl.gz", "aggregates.jsonl", "errors.jsonl", Runner.partialsFileName] {
                files[name] = try FileSystem.readFile(out + "/" + name)
            }
            outputs.append(files)
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0] == outputs[2])
    }

    @Test func everyDocumentLineIsValidAndSpansAreExact() throws {
        let dir = TestSupport.temporaryDirectory()
        try Self.makeCorpus(in: dir)
        let out = dir + "/out"
        _ = try Runner(config: try Self.config(dir, output: out), options: RunOptions(workers: 2)).run()
        // Python checks every span with text[start:end], order, bounds and coverage.
        let result = try TestSupport.python(
            """
            import gzip, json, sys
            n = 0
            for line in gzip.open(sys.argv[1], 'rt', encoding='utf-8'):
                d = json.loads(line)
                t = d["text"]
                toks = d["tokens"]; sents = d["sents"]
                prev = 0
                for k, tok in enumerate(toks):
                    assert tok["id"] == k
                    assert prev <= tok["start"] < tok["end"] <= len(t), (tok, len(t))
                    prev = tok["end"]
                    if not t[tok["start"]:tok["end"]].isspace():
                        assert not any(c.isspace() for c in t[tok["start"]:tok["end"]])
                        assert any(s["start"] <= tok["start"] and tok["end"] <= s["end"] for s in sents), tok
                for s in sents:
                    assert 0 <= s["start"] < s["end"] <= len(t)
                words = [t[x["start"]:x["end"]] for x in toks if not t[x["start"]:x["end"]].isspace()]
                assert words == t.split(), (words, t.split())
                n += 1
            print(n)
            """, [out + "/documents.jsonl.gz"])
        #expect(result.trimmingCharacters(in: .whitespacesAndNewlines) == "127")
    }

    @Test func documentsComeOutInInputOrderWithMetadata() throws {
        let dir = TestSupport.temporaryDirectory()
        try Self.makeCorpus(in: dir)
        let out = dir + "/out"
        _ = try Runner(config: try Self.config(dir, output: out), options: RunOptions(workers: 2)).run()
        let lines = try TestSupport.gunzip(out + "/documents.jsonl.gz").split(separator: "\n")
        let first = try JSONParser.parse(String(lines[0]))
        #expect(first["id"] == .string(dir + "/c/a"))
        #expect(first["text"] == .string("Première ligne: café ☕ and “quotes”.\nSecond paragraph here.\n"))
        let shard = try JSONParser.parse(String(lines[1]))
        #expect(shard["id"] == .string("d0"))
        #expect(shard["meta"] == .object([JSONMember("date", .string("2024-01-01")), JSONMember("n", .int(0))]))
        #expect(shard["source"]?["line"] == .int(1))
        let ids = lines.compactMap { try? JSONParser.parse(String($0))["id"]?.stringValue }
        #expect(Array(ids[1...120]) == (0..<120).map { "d\($0)" })
        #expect(ids[121] == dir + "/c/sub/b")
        #expect(ids[122] == "d0")
    }

    @Test func badInputIsReportedWithFileAndLineAndTheRestIsProcessed() throws {
        let dir = TestSupport.temporaryDirectory()
        try Self.makeCorpus(in: dir)
        // A malformed JSONL line, a record without text, invalid UTF-8 in JSON, a truncated gzip.
        var bad = Array("{\"id\": \"ok1\", \"text\": \"fine\"}\n{\"id\": \"broken\", \"text\": \n".utf8)
        bad += Array("{\"id\": \"notext\"}\n{\"text\": \"caf".utf8) + [0xE9] + Array("\"}\n{\"text\": \"last\"}\n".utf8)
        try TestSupport.write(bytes: bad, to: dir + "/c/bad.jsonl")
        try TestSupport.write((1...30000).map { "line \($0)" }.joined(separator: "\n"), to: dir + "/c/t.txt")
        try TestSupport.gzip(dir + "/c/t.txt")
        try FileManager.default.removeItem(atPath: dir + "/c/t.txt")
        var gz = try FileSystem.readFile(dir + "/c/t.txt.gz")
        gz.removeLast(gz.count / 2)
        try TestSupport.write(bytes: gz, to: dir + "/c/t.txt.gz")
        try TestSupport.write(bytes: [0x41, 0x42], to: dir + "/c/fake.jsonl.gz")

        let out = dir + "/out"
        let report = try Runner(config: try Self.config(dir, output: out), options: RunOptions(workers: 2)).run()
        #expect(report.kept == 127 + 2)
        #expect(report.failed == 3)
        #expect(report.fileFailures == 2)
        let errors = try String(contentsOfFile: out + "/errors.jsonl", encoding: .utf8).split(separator: "\n")
            .map { try JSONParser.parse(String($0)) }
        #expect(errors.count == 5)
        let byLine = errors.map {
            "\(FileSystem.baseName(of: $0["path"]?.stringValue ?? "")):\($0["line"]?.intValue ?? -1)"
        }
        #expect(Array(byLine.prefix(4)) == ["bad.jsonl:2", "bad.jsonl:3", "bad.jsonl:4", "fake.jsonl.gz:0"])
        #expect(byLine[4].hasPrefix("t.txt.gz:") && (errors[4]["line"]?.intValue ?? 0) > 1)
        #expect(errors[0]["reason"]?.stringValue?.hasPrefix("malformed JSON") == true)
        #expect(errors[1]["reason"] == .string("missing text field 'text'"))
        #expect(errors[2]["reason"]?.stringValue?.contains("invalid UTF-8") == true)
        #expect(errors[3]["reason"] == .string("not a gzip file, though its name ends in .gz"))
        #expect(errors[4]["reason"]?.stringValue?.contains("truncated") == true)
    }

    /// A Latin-1 file or folder name (not UTF-8) cannot be opened through a Swift string:
    /// it is a line in errors.jsonl, not a file missing without a word.
    @Test func namesThatAreNotUTF8AreReportedNotSkipped() throws {
        let dir = TestSupport.temporaryDirectory()
        try FileSystem.makeDirectories(dir + "/c")
        _ = try TestSupport.python(
            """
            import os, sys
            d = os.fsencode(sys.argv[1])
            open(d + b'/caf\\xe9.txt', 'w').write('Latin-1 name.')
            os.mkdir(d + b'/d\\xe9p')
            open(d + b'/d\\xe9p/x.txt', 'w').write('Inside.')
            open(d + b'/junk\\xe9.pdf', 'w').write('Not an input.')
            open(d + b'/fine.txt', 'w').write('A fine name.')
            """, [dir + "/c"])
        let out = dir + "/out"
        let report = try Runner(config: try Self.config(dir, output: out), options: RunOptions(workers: 1)).run()
        #expect(report.kept == 1)
        #expect(report.fileFailures == 2)
        let errors = try String(contentsOfFile: out + "/errors.jsonl", encoding: .utf8).split(separator: "\n")
            .map { try JSONParser.parse(String($0)) }
        #expect(Set(errors.compactMap { $0["path"]?.stringValue }) == [dir + "/c/caf\\xE9.txt", dir + "/c/d\\xE9p"])
        #expect(errors.allSatisfy { $0["reason"]?.stringValue?.contains("not valid UTF-8") == true })
    }

    @Test func aRunNeverReadsItsOwnOutputFolder() throws {
        // inputs: [.] with the output below it (or the input folder itself): the second run
        // used to read the first run's documents.jsonl.gz, aggregates.jsonl and errors.jsonl.
        for (pattern, output) in [(".", "data/out"), ("**/*.*", "data/out"), (".", "."), ("**/*.*", ".")] {
            let dir = TestSupport.temporaryDirectory()
            try TestSupport.write("One article. Two sentences.", to: dir + "/a.txt")
            try TestSupport.write("{\"text\": \"A record.\"}\n", to: dir + "/deeper/b.jsonl")
            try FileSystem.makeDirectories(dir + "/data")
            for round in 1...2 {
                let config = try PipelineConfig.parse(
                    "inputs: ['\(pattern)']\noutput: \(output)\nstages: [segment]\n", path: dir + "/p.yaml")
                let report = try Runner(config: config, options: RunOptions(workers: 1)).run()
                #expect(report.files == 2, "\(pattern) -> \(output), run \(round)")
                #expect(report.kept == 2, "\(pattern) -> \(output), run \(round)")
            }
        }
    }

    @Test func aByteOrderMarkBeforeTheFirstJSONLRecordIsSkipped() throws {
        let dir = TestSupport.temporaryDirectory()
        let body = Array("{\"id\": \"a\", \"text\": \"First.\"}\r\n{\"id\": \"b\", \"text\": \"Second.\"}\r\n".utf8)
        try TestSupport.write(bytes: [0xEF, 0xBB, 0xBF] + body, to: dir + "/c/bom.jsonl")
        let out = dir + "/out"
        let report = try Runner(config: try Self.config(dir, output: out), options: RunOptions(workers: 1)).run()
        #expect(report.kept == 2)
        #expect(report.failed == 0)
        let ids = try TestSupport.python(
            """
            import gzip, json, sys
            print(' '.join(json.loads(l)['id'] for l in gzip.open(sys.argv[1])))
            """, [out + "/documents.jsonl.gz"])
        #expect(ids.trimmingCharacters(in: .whitespacesAndNewlines) == "a b")
    }

    @Test func invalidUTF8TextIsDecodedAsWindows1252AndFlagged() throws {
        let dir = TestSupport.temporaryDirectory()
        try TestSupport.write(
            bytes: Array("Caf".utf8) + [0xE9, 0x20, 0x93, 0x71, 0x94] + Array("\n".utf8),
            to: dir + "/c/w.txt")
        let out = dir + "/out"
        let report = try Runner(config: try Self.config(dir, output: out), options: RunOptions(workers: 1)).run()
        #expect(report.kept == 1)
        #expect(report.counters["input.decoded_windows_1252"] == 1)
        let line = try JSONParser.parse(try TestSupport.gunzip(out + "/documents.jsonl.gz"))
        #expect(line["text"] == .string("Café “q”\n"))
        #expect(line["meta"]?["encoding"] == .string("windows-1252"))

        let strict = try Self.config(dir, output: dir + "/strict", extra: "input: {invalid_utf8: error}")
        let strictReport = try Runner(config: strict, options: RunOptions(workers: 1)).run()
        #expect(strictReport.failed == 1)
        let error = try JSONParser.parse(try String(contentsOfFile: dir + "/strict/errors.jsonl", encoding: .utf8))
        #expect(error["reason"] == .string("invalid UTF-8 at line 1"))
    }

    @Test func utf16AndUTF32ArticlesAreDecodedAndUTF16JSONLinesAreOneClearError() throws {
        let dir = TestSupport.temporaryDirectory()
        try FileSystem.makeDirectories(dir + "/c")
        // Files as Python's codecs write them (Notepad's "Unicode" and PowerShell's `>` are
        // UTF-16 LE with a byte order mark), some gzip-compressed.
        _ = try TestSupport.python(
            """
            import gzip, sys
            d = sys.argv[1]
            t = 'Москва — столица. Café «déjà vu» 😀.\\nSecond line.\\n'
            open(d + '/le.txt', 'wb').write(t.encode('utf-16'))
            open(d + '/be.txt', 'wb').write(b'\\xfe\\xff' + t.encode('utf-16-be'))
            gzip.open(d + '/nomark.txt.gz', 'wb').write('Plain text, no mark. Москва.\\n'.encode('utf-16-le'))
            open(d + '/u32.txt', 'wb').write(t.encode('utf-32'))
            open(d + '/u8bom.txt', 'wb').write(b'\\xef\\xbb\\xbf' + t.encode('utf-8'))
            open(d + '/ps.jsonl', 'wb').write('{"id": "x", "text": "a"}\\r\\n{"id": "y", "text": "b"}\\r\\n'.encode('utf-16'))
            """, [dir + "/c"])
        let out = dir + "/out"
        let report = try Runner(config: try Self.config(dir, output: out), options: RunOptions(workers: 2)).run()
        #expect(report.kept == 5)
        #expect(report.counters["input.decoded_utf16_or_utf32"] == 4)
        #expect(report.counters["input.decoded_windows_1252"] == nil)
        let expected = "Москва — столица. Café «déjà vu» 😀.\nSecond line.\n"
        let got = try TestSupport.python(
            """
            import gzip, json, sys
            for l in gzip.open(sys.argv[1]):
                d = json.loads(l)
                print(d['id'].rsplit('/', 1)[1], d['meta'].get('encoding', '-'), json.dumps(d['text'], ensure_ascii=False))
            """, [out + "/documents.jsonl.gz"])
        let lines = got.split(separator: "\n").map(String.init)
        let quoted = try String(decoding: JSONEncoder().encode(expected), as: UTF8.self)
        #expect(lines.contains("be utf-16be \(quoted)"))
        #expect(lines.contains("le utf-16le \(quoted)"))
        #expect(lines.contains("u32 utf-32le \(quoted)"))
        #expect(lines.contains("u8bom - \(quoted)"))
        #expect(lines.contains(#"nomark utf-16le "Plain text, no mark. Москва.\n""#))
        let error = try JSONParser.parse(try String(contentsOfFile: out + "/errors.jsonl", encoding: .utf8))
        #expect(error["path"] == .string(dir + "/c/ps.jsonl"))
        #expect(error["line"] == .number("1"))
        #expect(error["reason"]?.stringValue?.hasPrefix("UTF-16 text") == true)
    }

    @Test func wideEncodingsAreRecognisedOnlyWhenTheBytesSaySo() {
        #expect(TextDecoding.wideEncoding(of: Array("Plain ASCII text".utf8)) == nil)
        #expect(TextDecoding.wideEncoding(of: [0x41, 0x00]) == nil)  // too short to tell
        #expect(TextDecoding.wideEncoding(of: [0x41, 0x00, 0x42, 0x00])?.order == .littleEndian)
        #expect(TextDecoding.wideEncoding(of: [0x00, 0x41, 0x00, 0x42])?.order == .bigEndian)
        // A stray NUL in 8-bit text is not UTF-16.
        #expect(TextDecoding.wideEncoding(of: Array("A\u{0}BCDEFGH".utf8)) == nil)
        #expect(
            TextDecoding.decodeWide([0xFF, 0xFE, 0x3D, 0xD8, 0x41, 0x00], order: .littleEndian, bomLength: 2)
                == "\u{FFFD}A")
    }

    @Test func droppedDocumentsAreCountedByReason() throws {
        let dir = TestSupport.temporaryDirectory()
        try Self.makeCorpus(in: dir)
        let config = try Self.config(
            dir, output: dir + "/out", stages: "[test-whitespace, {test-drop: {word: 'hello 世界 3'}}]")
        let report = try Runner(config: config, options: RunOptions(workers: 2)).run()
        #expect(report.dropped == ["test-drop: contains hello 世界 3": 18])
        #expect(report.kept + report.droppedTotal == report.documents)
        #expect(report.counters["test.documents"] == 127)
    }

    @Test func titleLinesGoToMetadata() throws {
        let dir = TestSupport.temporaryDirectory()
        try TestSupport.write("BIG HEADLINE HERE\nBody text.\n", to: dir + "/c/h.txt")
        let config = try Self.config(dir, output: dir + "/out", extra: "input: {title_line: true}")
        _ = try Runner(config: config, options: RunOptions(workers: 1)).run()
        let line = try JSONParser.parse(try TestSupport.gunzip(dir + "/out/documents.jsonl.gz"))
        #expect(line["meta"]?["title"] == .string("BIG HEADLINE HERE"))
        #expect(line["text"] == .string("Body text.\n"))
    }

    @Test func shardsPartitionTheInputsStably() throws {
        let dir = TestSupport.temporaryDirectory()
        for k in 0..<40 { try TestSupport.write("doc \(k)\n", to: dir + "/c/f\(k).txt") }
        var seen: [String] = []
        for index in 0..<3 {
            var options = RunOptions(workers: 1)
            options.shard = Shard(index: index, count: 3)
            let (files, _) = Runner(config: try Self.config(dir, output: dir + "/o"), options: options).plan()
            #expect(!files.isEmpty)
            seen += files.map(\.key)
        }
        #expect(seen.sorted() == (0..<40).map { "f\($0).txt" }.sorted())
        // The same file lands in the same shard wherever the corpus lives.
        let moved = TestSupport.temporaryDirectory() + "/elsewhere/deeper"
        try FileManager.default.createDirectory(
            atPath: FileSystem.directory(of: moved), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: dir + "/c", toPath: moved)
        var options = RunOptions(workers: 1)
        options.shard = Shard(index: 1, count: 3)
        let here = Runner(config: try Self.config(dir, output: dir + "/o"), options: options).plan().files.map(\.key)
        var movedConfig = try Self.config(dir, output: dir + "/o")
        movedConfig.inputs = [InputSpec(pattern: moved)]
        let there = Runner(config: movedConfig, options: options).plan().files.map(\.key)
        #expect(!here.isEmpty && here == there)
    }
}
