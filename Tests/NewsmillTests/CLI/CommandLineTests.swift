import Foundation
import Testing

@testable import Newsmill

/// The `newsmill` binary as a real subprocess: commands, outputs and exit codes.
@Suite struct CommandLineTests {
    private func newsmill(_ arguments: [String], environment: [String: String] = [:], directory: String? = nil) throws
        -> TestSupport.Result
    {
        try #require(
            FileManager.default.isExecutableFile(atPath: TestSupport.binary),
            "build the CLI first (make test does): \(TestSupport.binary)")
        return try TestSupport.run([TestSupport.binary] + arguments, environment: environment, directory: directory)
    }

    @Test func runsTheSmokePipelineOverTheSampleCorpus() throws {
        let out = TestSupport.temporaryDirectory()
        let result = try newsmill(
            ["run", "pipelines/smoke.yaml", "--output", out, "--workers", "2"],
            directory: TestSupport.repoRoot)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("8 documents: 8 kept, 0 dropped, 0 failed"))
        // Not a terminal: plain progress lines for cron logs.
        #expect(result.stderr.contains("newsmill: done: files 5/5, documents 8"))
        let count = try TestSupport.python(
            """
            import gzip, json, sys
            print(sum(1 for line in gzip.open(sys.argv[1]) if json.loads(line)["text"]))
            """, [out + "/documents.jsonl.gz"])
        #expect(count == "8\n")
        let report = try JSONParser.parse(try FileSystem.readFile(out + "/report.json"))
        #expect(report["documents"] == .int(8))
        #expect(report["workers"] == .int(2))
    }

    /// The default pipeline (normalize, segment, tag, ner, counts) over the sample corpus:
    /// byte-identical outputs with 1, 2 and 8 workers, and every span checked in Python.
    @Test func theNewsPipelineIsByteIdenticalForAnyWorkerCount() throws {
        let out = TestSupport.temporaryDirectory()
        var outputs: [[UInt8]] = []
        for workers in [1, 2, 8] {
            let dir = out + "/w\(workers)"
            let result = try newsmill(
                ["run", "pipelines/news.yaml", "--output", dir, "--workers", "\(workers)", "--quiet"],
                directory: TestSupport.repoRoot)
            #expect(result.status == 0, "\(result.stderr)")
            outputs.append(
                try FileSystem.readFile(dir + "/documents.jsonl.gz") + FileSystem.readFile(dir + "/aggregates.jsonl"))
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0] == outputs[2])
        let checked = try TestSupport.python(
            """
            import gzip, json, sys
            n = 0
            for line in gzip.open(sys.argv[1], 'rt', encoding='utf-8'):
                d = json.loads(line); t = d["text"]; toks = d["tokens"]; sents = d["sents"]
                assert toks and sents and d["ents"]
                prev = 0
                for k, x in enumerate(toks):
                    assert x["id"] == k and prev <= x["start"] < x["end"] <= len(t)
                    prev = x["end"]
                    assert x["tag"] and x["pos"] and "lemma" in x
                    assert any(s["start"] <= x["start"] and x["end"] <= s["end"] for s in sents), x
                prev = 0
                for s in sents:
                    assert prev <= s["start"] < s["end"] <= len(t); prev = s["end"]
                prev = 0
                for e in d["ents"]:
                    assert prev <= e["start"] < e["end"] <= len(t) and t[e["start"]:e["end"]].strip() == t[e["start"]:e["end"]]
                    prev = e["end"]
                n += 1
            print(n)
            """, [out + "/w2/documents.jsonl.gz"])
        #expect(checked == "8\n")
    }

    /// On a terminal (a real pseudo-terminal from script(1)) progress is a live bar.
    @Test func aTerminalGetsALiveProgressBar() throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "script(1) is missing")
        try #require(FileManager.default.isExecutableFile(atPath: TestSupport.binary))
        let out = TestSupport.temporaryDirectory()
        let command = "\(TestSupport.binary) run pipelines/smoke.yaml --output \(out)/o"
        let result = try TestSupport.run(
            ["/usr/bin/script", "-qec", command, "/dev/null"], directory: TestSupport.repoRoot)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\r[########################] 100%  files 5/5  docs 8"))
        #expect(result.stdout.contains("MB/s read  ETA"))
        #expect(!result.stdout.contains("newsmill: done:"))
    }

    @Test func exitCodeOneWhenSomeInputsFail() throws {
        let dir = TestSupport.temporaryDirectory()
        try TestSupport.write("{\"text\": \"fine\"}\nnot json\n", to: dir + "/in/a.jsonl")
        try TestSupport.write("inputs: [in]\noutput: out\n", to: dir + "/p.yaml")
        let result = try newsmill(["run", dir + "/p.yaml", "--quiet"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("1 problem recorded in \(dir)/out/errors.jsonl"))
        let error = try JSONParser.parse(try FileSystem.readFile(dir + "/out/errors.jsonl"))
        #expect(error["path"] == .string(dir + "/in/a.jsonl"))
        #expect(error["line"] == .int(2))
    }

    @Test func aFolderThatCannotBeReadIsAnErrorLineAndALinkLoopIsWalkedOnce() throws {
        // As root (who reads any folder) the run is made as `nobody` with runuser(1).
        let asNobody = getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser")
        guard getuid() != 0 || asNobody else { return }
        let dir = TestSupport.temporaryDirectory()
        try TestSupport.write("First. Second.", to: dir + "/in/a.txt")
        try TestSupport.write("Hidden away.", to: dir + "/in/locked/b.txt")
        try TestSupport.write("Last one.", to: dir + "/in/z/c.txt")
        #expect(symlink("..", dir + "/in/z/loop") == 0)
        chmod(dir, 0o777)
        chmod(dir + "/in/locked", 0o000)
        defer { chmod(dir + "/in/locked", 0o755) }
        for incremental in [false, true] {
            let out = dir + (incremental ? "/inc" : "/out")
            try TestSupport.write(
                "inputs: [in]\noutput: {directory: \(out), incremental: \(incremental)}\nstages: [segment]\n",
                to: dir + "/p.yaml")
            let result = try TestSupport.run(
                (asNobody ? ["/usr/sbin/runuser", "-u", "nobody", "--"] : [])
                    + [TestSupport.binary, "run", dir + "/p.yaml", "--quiet"])
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stdout.contains("2 documents: 2 kept"), "\(result.stdout)")
            let runs = incremental ? try #require(FileSystem.list(out + "/runs")).map { out + "/runs/" + $0 } : [out]
            let error = try JSONParser.parse(try FileSystem.readFile(try #require(runs.last) + "/errors.jsonl"))
            #expect(error["path"] == .string(dir + "/in/locked"))
            #expect(error["reason"] == .string("cannot read folder: Permission denied"))
        }
    }

    @Test func zstdXzAndBzip2InputsAreReadAndTheirDamageIsReportedAlsoIncrementally() throws {
        let dir = TestSupport.temporaryDirectory()
        _ = try TestSupport.python(
            """
            import bz2, csv, io, json, lzma, os, sys
            d = sys.argv[1]
            os.makedirs(d + "/in", exist_ok=True)
            rows = [{"id": f"p{i}", "text": f"Pile document {i} says Acme Corp rose."} for i in range(50)]
            with open(d + "/p.jsonl", "w") as f:
                f.writelines(json.dumps(r) + "\\n" for r in rows)
            with open(d + "/in/w.txt.xz", "wb") as f:
                f.write(lzma.compress("A wire story.\\nSecond paragraph.\\n".encode()))
            buf = io.StringIO()
            w = csv.writer(buf)
            w.writerow(["id", "text"])
            w.writerows([["c1", "Row one."], ["c2", "Row two, with a comma."]])
            with open(d + "/in/t.csv.bz2", "wb") as f:
                f.write(bz2.compress(buf.getvalue().encode()))
            # Named zstd, holding JSON: an error line, not garbage documents.
            with open(d + "/in/bad.jsonl.zst", "w") as f:
                f.write(json.dumps(rows[0]) + "\\n")
            # Cut short: its first documents are read, then an error line in xz's own words.
            data = lzma.compress("".join(json.dumps({"id": f"x{i}", "text": f"Long {i} " * 40}) + "\\n"
                                         for i in range(3000)).encode())
            with open(d + "/in/cut.jsonl.xz", "wb") as f:
                f.write(data[: len(data) // 2])
            """, [dir])
        let zstd = try TestSupport.run(["zstd", "-q", dir + "/p.jsonl", "-o", dir + "/in/p.jsonl.zst"])
        #expect(zstd.status == 0, "\(zstd.stderr)")
        try TestSupport.write(
            "inputs: [in]\noutput: {directory: out, incremental: true}\nstages: [segment]\n", to: dir + "/p.yaml")
        let first = try newsmill(["run", dir + "/p.yaml", "--quiet"])
        #expect(first.status == 1, "\(first.stderr)")
        let runs = try #require(FileSystem.list(dir + "/out/runs")).map { dir + "/out/runs/" + $0 }
        let errors = try TestSupport.python(
            """
            import json, sys
            for l in open(sys.argv[1]):
                e = json.loads(l)
                print(e["path"].rsplit("/", 1)[1], e["line"], e["reason"])
            """, [try #require(runs.last) + "/errors.jsonl"])
        let lines = errors.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(errors)")
        #expect(lines.first == "bad.jsonl.zst 0 not a zstd file, though its name says so")
        #expect(
            lines.last?.hasPrefix("cut.jsonl.xz ") == true
                && lines.last?.contains("corrupt xz data: xz -d failed (exit status 1): Unexpected end of input")
                    == true,
            "\(errors)")
        let kept = try TestSupport.python(
            """
            import collections, gzip, json, sys
            c = collections.Counter(json.loads(l)["id"].rsplit("/", 1)[-1][0] for l in gzip.open(sys.argv[1]))
            print(c["p"], c["c"], c["w"], 0 < c["x"] < 3000)
            """, [try #require(runs.last) + "/documents.jsonl.gz"])
        // 50 zstd documents, 2 CSV rows, the xz article (its id is its path, ".../in/w"), some of the cut file.
        #expect(kept == "50 2 1 True\n", "\(kept)")
        // The next night: the compressed inputs are remembered (none is read again).
        let second = try newsmill(["run", dir + "/p.yaml"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("0 new inputs, 5 unchanged"), "\(second.stderr)")
    }

    @Test func filesWhoseNamesSayNoFormatAreCountedAndNamedNotSkippedSilently() throws {
        let dir = TestSupport.temporaryDirectory()
        try TestSupport.write("An article.", to: dir + "/in/a.txt")
        for name in ["p1.arrow", "p2.ARROW", "sub/p3.arrow", "MANIFEST.json", "README", ".hidden"] {
            try TestSupport.write("x", to: dir + "/in/" + name)
        }
        try TestSupport.write("inputs: [in]\noutput: out\nstages: [segment]\n", to: dir + "/p.yaml")
        let result = try newsmill(["run", dir + "/p.yaml"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "5 files in the inputs not read, their names saying no input format (.arrow 3, no suffix 1, .json 1)"),
            "\(result.stderr)")
        let report = try JSONParser.parse(try FileSystem.readFile(dir + "/out/report.json"))
        #expect(report["counters"]?["input.files_not_read"] == .int(5))
        #expect(report["kept"] == .int(1))
        let dry = try newsmill(["run", dir + "/p.yaml", "--dry-run"])
        #expect(
            dry.stdout.contains("not read (their names say no input format): 5 files (.arrow 3, no suffix 1, .json 1)"),
            "\(dry.stdout)")
    }

    @Test func jsonLinesPipedToStandardInputAreReadAsAFileOfThemWouldBe() throws {
        let dir = TestSupport.temporaryDirectory()
        let lines = (1...3000).map {
            #"{"id": "s\#($0)", "text": "Line \#($0) came down the pipe; Acme rose 5 pct.", "n": \#($0)}"#
        }
        let text = lines.joined(separator: "\n") + "\n"
        try TestSupport.write(text, to: dir + "/in/a.jsonl")
        try TestSupport.write("inputs: [in]\nstages: [segment]\n", to: dir + "/p.yaml")
        let piped = try TestSupport.run(
            [TestSupport.binary, "run", dir + "/p.yaml", "--input", "-", "--output", dir + "/piped", "--quiet"],
            input: text)
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stdout.contains("3000 documents: 3000 kept"), "\(piped.stdout)")
        let file = try newsmill(["run", dir + "/p.yaml", "--output", dir + "/file", "--quiet"])
        #expect(file.status == 0, "\(file.stderr)")
        let same = try TestSupport.python(
            """
            import gzip, json, sys
            def docs(path):
                out = []
                for l in gzip.open(path):
                    d = json.loads(l)
                    out.append((d.pop("source")["line"], d))
                return out
            a, b = docs(sys.argv[1]), docs(sys.argv[2])
            print(len(a), a == b)
            """, [dir + "/piped/documents.jsonl.gz", dir + "/file/documents.jsonl.gz"])
        #expect(same == "3000 True\n")
        // gzip on the pipe is inflated (two members, as `cat a.gz b.gz` makes).
        let gzipped = try TestSupport.run([
            "/bin/bash", "-c",
            "(head -n 1000 \"$1/in/a.jsonl\" | gzip -c; tail -n 2000 \"$1/in/a.jsonl\" | gzip -c) | \"$2\" run \"$1/p.yaml\" --input - --output \"$1/gz\" --quiet",
            "bash", dir, TestSupport.binary,
        ])
        #expect(gzipped.status == 0, "\(gzipped.stderr)")
        let sameAgain = try TestSupport.python(
            """
            import gzip, sys
            a = [l.split(b'"source"')[0] + l.split(b'"meta"')[1] for l in gzip.open(sys.argv[1])]
            b = [l.split(b'"source"')[0] + l.split(b'"meta"')[1] for l in gzip.open(sys.argv[2])]
            print(len(a), a == b)
            """, [dir + "/gz/documents.jsonl.gz", dir + "/file/documents.jsonl.gz"])
        #expect(sameAgain == "3000 True\n")
        // An incremental pipeline cannot remember a stream: a usage error, before anything is read.
        try TestSupport.write("inputs: [in]\noutput: {directory: inc, incremental: true}\n", to: dir + "/q.yaml")
        // (A short input: the refused run never reads it, and a long one would fill the pipe.)
        let incremental = try TestSupport.run(
            [TestSupport.binary, "run", dir + "/q.yaml", "--input", "-", "--quiet"], input: lines[0] + "\n")
        #expect(incremental.status == 64)
        #expect(incremental.stderr.contains("--input - (standard input) cannot be read by an incremental pipeline"))
    }

    @Test func exitCodes73And74WhenTheOutputCannotBeMadeOrWritten() throws {
        let dir = TestSupport.temporaryDirectory()
        try TestSupport.write(
            (1...2000).map { "Sentence number \($0) is here." }.joined(separator: "\n"), to: dir + "/in/a.txt")
        try TestSupport.write("a file", to: dir + "/file")
        try TestSupport.write("inputs: [in]\nstages: [segment]\n", to: dir + "/p.yaml")
        // An output folder below a file cannot be made: not "try again later" (75).
        let below = try newsmill(["run", dir + "/p.yaml", "--output", dir + "/file/out", "--quiet"])
        #expect(below.status == 73, "\(below.stderr)")
        #expect(below.stderr.contains(dir + "/file/out"), "\(below.stderr)")
        // A write that fails part-way (a file size limit, as a full disk would): the run did
        // not finish, so no report is left behind.
        let limited = try TestSupport.run(
            [
                "/bin/bash", "-c", "trap '' XFSZ; ulimit -f 8; exec \"$0\" \"$@\"", TestSupport.binary, "run",
                dir + "/p.yaml",
                "--output", dir + "/out", "--quiet",
            ])
        #expect(limited.status == 74, "\(limited.stderr)")
        #expect(limited.stderr.contains("error: "), "\(limited.stderr)")
        #expect(FileSystem.status(dir + "/out/report.json") == nil)
    }

    @Test func adversarialTextGivesValidUTF8AndConsistentSpans() throws {
        // Random mixes of what real feeds carry (emoji, CJK, combining marks, markup, URLs,
        // abbreviations, long runs): every output line must be strict UTF-8 JSON whose
        // tokens, sentences and entities are in order, inside the text and on token bounds.
        let dir = TestSupport.temporaryDirectory()
        _ = try TestSupport.python(
            #"""
            import json, random, sys
            rnd = random.Random(7)
            pieces = ["Mr.", "U.S.", "$1.5 billion", "5 pct", "e.g.", "...", "\u2014", '"Quoted."', "(paren)",
                      "don't", "O'Neil", "\U0001F642", "\U0001F44D\U0001F3FD", "\u4e2d\u6587", "\u0627\u0644",
                      "\uff26\uff35", "\ufb01", "\u00e9", "e\u0301", "\u200b", "\u00ad", "\u2028", "\t", "\n",
                      "http://example.com/a?b=c&d=e", "#tag", "3.14", "1,000,000", "10:30", "a.m.", "Jan. 5",
                      "NEW YORK, March 3 -", "&amp;", "<b>bold</b>", "&#x1F600;", "\ufffd", "A" * 300, "x" * 3000,
                      "ALL CAPS", "?!", "Inc.", "No.", "vs.", "\\", "caf\u00e9s", "na\u00efve", "Z\u00fcrich"]
            common = ["the", "company", "said", "profit", "rose", "Smith", "Paris", "in", "of", ".", ",", "and"]
            with open(sys.argv[1], "w") as f:
                for i in range(600):
                    words = [rnd.choice(pieces) if rnd.random() < 0.5 else rnd.choice(common)
                             for _ in range(rnd.randint(0, 60))]
                    f.write(json.dumps({"id": f"d{i}", "text": " ".join(words)}, ensure_ascii=i % 2 == 0) + "\n")
            """#, [dir + "/f.jsonl"])
        let run = try newsmill(
            ["run", "pipelines/news.yaml", "--input", dir + "/f.jsonl", "--output", dir + "/out", "--quiet"],
            directory: TestSupport.repoRoot)
        #expect(run.status == 0, "\(run.stderr)")
        let verdict = try TestSupport.python(
            #"""
            import gzip, json, sys
            raw = gzip.open(sys.argv[1]).read()
            problems, n = [], 0
            for line in raw.split(b"\n"):
                if not line:
                    continue
                d = json.loads(line.decode("utf-8"))  # strict: invalid UTF-8 raises
                n += 1
                t, toks = d["text"], d.get("tokens", [])
                prev = 0
                for k in toks:
                    if not (prev <= k["start"] < k["end"] <= len(t)) or (t[k["start"]:k["end"]].isspace() != (k["pos"] == "SPACE")):
                        problems.append((d["id"], "token", k))
                    prev = k["end"]
                prev = 0
                for s in d.get("sents", []):
                    if not (prev <= s["start"] < s["end"] <= len(t)):
                        problems.append((d["id"], "sentence", s))
                    prev = s["end"]
                starts, ends = {k["start"] for k in toks}, {k["end"] for k in toks}
                for e in d.get("ents", []):
                    if e["start"] not in starts or e["end"] not in ends:
                        problems.append((d["id"], "entity", e))
            print(n, len(problems), problems[:3])
            """#, [dir + "/out/documents.jsonl.gz"])
        #expect(verdict.hasPrefix("600 0 "), "\(verdict)")
    }

    @Test func limitWritesTheFirstDocumentsOfAFullRun() throws {
        let out = TestSupport.temporaryDirectory()
        let full = try newsmill(
            ["run", "pipelines/segment.yaml", "--output", out + "/full", "--workers", "2", "--quiet"],
            directory: TestSupport.repoRoot)
        #expect(full.status == 0, "\(full.stderr)")
        // 3 stops inside the first article files, 6 inside the JSONL shards after them.
        for n in [3, 6] {
            let sample = try newsmill(
                ["run", "pipelines/segment.yaml", "--output", out + "/s\(n)", "--limit", "\(n)", "--quiet"],
                directory: TestSupport.repoRoot)
            #expect(sample.status == 0, "\(sample.stderr)")
            #expect(sample.stdout.contains("\(n) documents: \(n) kept"), "\(sample.stdout)")
            let all = try TestSupport.gunzip(out + "/full/documents.jsonl.gz").split(separator: "\n")
            let head = try TestSupport.gunzip(out + "/s\(n)/documents.jsonl.gz").split(separator: "\n")
            #expect(head == Array(all.prefix(n)))
        }
        let dir = TestSupport.temporaryDirectory()
        try TestSupport.write("inputs: [in]\noutput: {directory: out, incremental: true}\n", to: dir + "/p.yaml")
        let incremental = try newsmill(["run", dir + "/p.yaml", "--limit", "5"])
        #expect(incremental.status == 64)
        #expect(incremental.stderr.contains("--limit cannot be used with an incremental pipeline"))
    }

    @Test func aStoppedRunRemovesItsTemporaryFilesAndKeepsThePreviousOutputs() throws {
        let dir = TestSupport.temporaryDirectory()
        for i in 1...40 { try TestSupport.write("Document number \(i).", to: dir + "/in/\(1000 + i).txt") }
        try TestSupport.write("inputs: [in]\noutput: out\nstages: [segment]\n", to: dir + "/fast.yaml")
        let first = try newsmill(["run", dir + "/fast.yaml", "--quiet"])
        #expect(first.status == 0, "\(first.stderr)")
        let previous = try FileSystem.readFile(dir + "/out/documents.jsonl.gz")
        // A slow stage (0.1 s a document), stopped as Slurm and Kubernetes stop jobs.
        try TestSupport.write(
            "inputs: [in]\noutput: out\nstages:\n  - exec: {command: \"while read -r l; do sleep 0.1; "
                + "printf '%s\\\\n' \\\"$l\\\"; done\"}\n  - segment\n",
            to: dir + "/slow.yaml")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestSupport.binary)
        process.arguments = ["run", dir + "/slow.yaml", "--quiet", "--workers", "1"]
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        func temporaries() -> [String] { (FileSystem.list(dir + "/out") ?? []).filter { $0.contains(".tmp-") } }
        var waited = 0
        while temporaries().isEmpty && waited < 200 {
            usleep(50_000)
            waited += 1
        }
        #expect(!temporaries().isEmpty, "the run never started writing")
        usleep(300_000)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationReason == .exit && process.terminationStatus == 143, "\(message)")
        #expect(message.contains("stopped by signal 15"), "\(message)")
        #expect(temporaries().isEmpty)
        #expect(!(FileSystem.list(dir + "/out") ?? []).contains(where: { $0.hasPrefix(".newsmill-scratch") }))
        #expect(try FileSystem.readFile(dir + "/out/documents.jsonl.gz") == previous)

        // An incremental run stopped the same way leaves no run folder behind.
        let slow = try String(contentsOfFile: dir + "/slow.yaml", encoding: .utf8)
        try TestSupport.write(
            slow.replacingOccurrences(of: "output: out", with: "output: {directory: inc, incremental: true}"),
            to: dir + "/inc.yaml")
        // Started as `nohup` starts it (SIGHUP ignored): SIGHUP must not stop it.
        let second = Process()
        second.executableURL = URL(fileURLWithPath: "/bin/bash")
        second.arguments = [
            "-c", "trap '' HUP; exec \"$0\" \"$@\"", TestSupport.binary, "run", dir + "/inc.yaml", "--quiet",
            "--workers", "1",
        ]
        second.standardError = FileHandle.nullDevice
        second.standardOutput = FileHandle.nullDevice
        try second.run()
        waited = 0
        while (FileSystem.list(dir + "/inc/runs") ?? []).isEmpty && waited < 200 {
            usleep(50_000)
            waited += 1
        }
        usleep(300_000)
        kill(second.processIdentifier, SIGHUP)
        usleep(300_000)
        #expect(second.isRunning, "SIGHUP stopped a run that was started with SIGHUP ignored")
        kill(second.processIdentifier, SIGTERM)
        second.waitUntilExit()
        #expect(second.terminationStatus == 143)
        #expect(FileSystem.list(dir + "/inc/runs") == [])
        #expect(FileSystem.list(dir + "/inc") == [".lock", "runs"])
    }

    @Test func aMergeRefusesAShardGivenTwiceAndWarnsOfMissingShards() throws {
        let out = TestSupport.temporaryDirectory()
        let run = try newsmill(
            ["run", "pipelines/smoke.yaml", "--shard", "0/2", "--output", out + "/s0", "--quiet"],
            directory: TestSupport.repoRoot)
        #expect(run.status == 0 || run.status == 1, "\(run.stderr)")
        let twice = try newsmill(["merge", "--output", out + "/m", out + "/s0", out + "/s0/."])
        #expect(twice.status == 64, "\(twice.stderr)")
        #expect(twice.stderr.contains("is given twice"), "\(twice.stderr)")
        let half = try newsmill(["merge", "--output", out + "/m", out + "/s0"])
        #expect(half.status == 0, "\(half.stderr)")
        #expect(half.stderr.contains("warning: 1 of 2 shards are not in this merge (1/2)"), "\(half.stderr)")
    }

    @Test func exitCode78ForAnInvalidPipelineWithFileLineAndSuggestion() throws {
        let dir = TestSupport.temporaryDirectory()
        try TestSupport.write("inputs: [in]\naggregates:\n  - cuonts\n", to: dir + "/bad.yaml")
        for command in ["run", "validate"] {
            let result = try newsmill([command, dir + "/bad.yaml"])
            #expect(result.status == 78)
            #expect(result.stderr.contains("\(dir)/bad.yaml:3:5: unknown stage 'cuonts'; did you mean 'counts'?"))
        }
    }

    @Test func exitCode64ForBadArguments() throws {
        #expect(
            try newsmill(["run", "pipelines/smoke.yaml", "--workers", "0"], directory: TestSupport.repoRoot).status
                == 64)
        #expect(
            try newsmill(["run", "pipelines/smoke.yaml", "--shard", "3/3"], directory: TestSupport.repoRoot).status
                == 64)
        #expect(try newsmill(["frobnicate"]).status == 64)
    }

    @Test func exitCode75WhenAnotherRunHoldsTheLock() throws {
        let dir = TestSupport.temporaryDirectory()
        try TestSupport.write("{\"text\": \"x\"}\n", to: dir + "/in/a.jsonl")
        try TestSupport.write("inputs: [in]\noutput: out\n", to: dir + "/p.yaml")
        try FileManager.default.createDirectory(atPath: dir + "/out", withIntermediateDirectories: true)
        // A real second process holds the lock with flock(1).
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = [dir + "/out/.lock", "sleep", "5"]
        try holder.run()
        defer { holder.terminate() }
        usleep(300_000)
        let result = try newsmill(["run", dir + "/p.yaml", "--quiet"])
        #expect(result.status == 75)
        #expect(result.stderr.contains("another newsmill run holds the lock"))
    }

    /// A filter drops documents with their reasons counted; nothing is lost: kept +
    /// dropped + failed is every document read.
    @Test func filteredDocumentsAreCountedByReason() throws {
        let dir = TestSupport.temporaryDirectory()
        var lines: [String] = []
        for i in 0..<30 {
            let text =
                i % 3 == 0
                ? "Too short."
                : i % 5 == 0
                    ? "Click here to subscribe to our newsletter today, it is free."
                    : "Grain prices rose sharply in Chicago on Tuesday as traders bought wheat."
            lines.append(
                String(
                    decoding: try JSONSerialization.data(withJSONObject: ["text": text, "id": "d\(i)"]), as: UTF8.self))
        }
        lines.append("{not json")
        try TestSupport.write(lines.joined(separator: "\n") + "\n", to: dir + "/in/a.jsonl")
        try TestSupport.write(
            "inputs: [in]\noutput: {directory: out, compression: none}\nstages:\n  - filter:\n      min_words: 5\n"
                + "      exclude: [click here]\n  - segment\n", to: dir + "/p.yaml")
        let result = try newsmill(["run", dir + "/p.yaml", "--quiet"])
        #expect(result.status == 1, "\(result.stderr)")  // the malformed line
        let report = try JSONParser.parse(try FileSystem.readFile(dir + "/out/report.json"))
        #expect(report["documents"] == .int(31))
        #expect(report["kept"] == .int(16) && report["dropped"] == .int(14) && report["failed"] == .int(1))
        #expect(
            report["dropped_by_reason"]
                == .object([
                    JSONMember("filter: fewer than 5 words", .int(10)),
                    JSONMember("filter: matches exclude pattern 'click here'", .int(4)),
                ]))
        let kept = String(decoding: try FileSystem.readFile(dir + "/out/documents.jsonl"), as: UTF8.self)
        #expect(kept.split(separator: "\n").count == 16 && !kept.contains("Click here") && !kept.contains("Too short"))
    }

    /// The language stage with the shipped model, from a pipeline file; and `train language`.
    @Test func languageFilterAndTraining() throws {
        let dir = TestSupport.temporaryDirectory()
        let texts = [
            "Grain prices rose sharply in Chicago on Tuesday as traders bought wheat and corn.",
            "Die Getreidepreise sind am Dienstag in Chicago stark gestiegen, weil Händler Weizen kauften.",
            "Les prix des céréales ont fortement augmenté mardi à Chicago, les négociants achetant du blé.",
            "Los precios de los cereales subieron con fuerza el martes en Chicago por las compras de trigo.",
        ]
        let lines = try texts.map {
            String(decoding: try JSONSerialization.data(withJSONObject: ["text": $0]), as: UTF8.self)
        }
        try TestSupport.write(lines.joined(separator: "\n") + "\n", to: dir + "/in/a.jsonl")
        try TestSupport.write(
            "inputs: [in]\noutput: {directory: out, compression: none}\nstages:\n  - language:\n"
                + "      languages: [en, de]\n", to: dir + "/p.yaml")
        let result = try newsmill(
            ["run", dir + "/p.yaml", "--quiet"], environment: ["NEWSMILL_MODELS": TestSupport.repoRoot + "/models"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONParser.parse(try FileSystem.readFile(dir + "/out/report.json"))
        #expect(report["kept"] == .int(2))
        #expect(
            report["dropped_by_reason"]
                == .object([JSONMember("language: es", .int(1)), JSONMember("language: fr", .int(1))]))
        let kept = String(decoding: try FileSystem.readFile(dir + "/out/documents.jsonl"), as: UTF8.self)
        #expect(kept.contains("\"language\":\"en\"") && kept.contains("\"language\":\"de\""))
        // Training: two tiny languages give a model; one file is a usage error naming the folder.
        try TestSupport.write("the cat sat on the mat\nwhere is the station\n", to: dir + "/data/en.txt")
        try TestSupport.write("die katze sitzt auf der matte\nwo ist der bahnhof\n", to: dir + "/data/de.txt")
        let trained = try newsmill(["train", "language", "--data", dir + "/data", "--output", dir + "/l.nmm"])
        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(try LanguageModel.load(path: dir + "/l.nmm").languages == ["de", "en"])
        FileSystem.remove(dir + "/data/de.txt")
        let one = try newsmill(["train", "language", "--data", dir + "/data", "--output", dir + "/m.nmm"])
        #expect(one.status == 64 && one.stderr.contains(dir + "/data"), "\(one.stderr)")
    }

    /// Entity, pair, lemma and n-gram counts (keys with a separator byte) survive shard
    /// partials and `merge`: two shards merged equal one run.
    @Test func entityAggregatesMergeAcrossShards() throws {
        let out = TestSupport.temporaryDirectory()
        let whole = try newsmill(
            ["run", "pipelines/entities.yaml", "--output", out + "/whole", "--quiet"], directory: TestSupport.repoRoot)
        #expect(whole.status == 0, "\(whole.stderr)")
        for index in 0..<2 {
            let shard = try newsmill(
                ["run", "pipelines/entities.yaml", "--output", out + "/s\(index)", "--shard", "\(index)/2", "--quiet"],
                directory: TestSupport.repoRoot)
            #expect(shard.status == 0, "\(shard.stderr)")
        }
        let merged = try newsmill(["merge", "--output", out + "/all", out + "/s0", out + "/s1"])
        #expect(merged.status == 0, "\(merged.stderr)")
        let expected = try FileSystem.readFile(out + "/whole/aggregates.jsonl")
        #expect(try FileSystem.readFile(out + "/all/aggregates.jsonl") == expected)
        #expect(String(decoding: expected, as: UTF8.self).contains("\"field\":\"pair\""))
    }

    /// Every shipped pipeline file is valid (models found, options known).
    @Test func everyShippedPipelineIsValid() throws {
        let names = try #require(FileSystem.list(TestSupport.repoRoot + "/pipelines")).filter { $0.hasSuffix(".yaml") }
        #expect(names.contains("entities.yaml") && names.contains("news.yaml"))
        for name in names {
            let result = try newsmill(["validate", "pipelines/" + name], directory: TestSupport.repoRoot)
            #expect(result.status == 0, "\(name): \(result.stderr)")
        }
    }

    @Test func validateAndStagesAndDryRun() throws {
        let validate = try newsmill(["validate", "pipelines/smoke.yaml"], directory: TestSupport.repoRoot)
        #expect(validate.status == 0)
        #expect(validate.stdout.contains("valid"))
        let stages = try newsmill(["stages"])
        #expect(stages.status == 0)
        #expect(stages.stdout.contains("exec:"))
        #expect(stages.stdout.contains("top_k"))
        let dry = try newsmill(["run", "pipelines/smoke.yaml", "--dry-run"], directory: TestSupport.repoRoot)
        #expect(dry.status == 0)
        #expect(dry.stdout.contains("would read 5 files"))
    }

    /// `--dry-run` of an incremental pipeline lists what the next run would read: every
    /// input first, then only the new ones; it changes nothing in the output folder.
    @Test func dryRunOfAnIncrementalPipelineListsWhatTheNextRunReads() throws {
        let dir = TestSupport.temporaryDirectory()
        for name in ["a", "b"] {
            try TestSupport.write("Article \(name). It has two sentences.\n", to: dir + "/in/\(name).txt")
        }
        try TestSupport.write(
            """
            name: nightly-dry
            inputs: [in]
            output: {directory: out, incremental: true}
            stages: [normalize]
            aggregates: [counts]
            """, to: dir + "/p.yaml")
        let first = try newsmill(["run", dir + "/p.yaml", "--dry-run"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("incremental (first incremental run: every input); would read 2 files"))
        #expect(first.stdout.contains("/in/a.txt") && first.stdout.contains("/in/b.txt"))
        #expect(FileSystem.status(dir + "/out") == nil, "a dry run writes nothing")
        let run = try newsmill(["run", dir + "/p.yaml", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        try TestSupport.write("Article c. New tonight.\n", to: dir + "/in/c.txt")
        let stateBefore = try FileSystem.readFile(dir + "/out/.newsmill-state.json")
        let second = try newsmill(["run", dir + "/p.yaml", "--dry-run"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("incremental (1 new inputs, 2 unchanged); would read 1 files"))
        #expect(second.stdout.contains("/in/c.txt") && !second.stdout.contains("/in/a.txt"))
        #expect(try FileSystem.readFile(dir + "/out/.newsmill-state.json") == stateBefore)
    }

    /// Training data a model cannot be learned from is a usage error (64) that names the
    /// files and says why; nothing is written.
    @Test func trainingOnNothingIsAUsageError() throws {
        let dir = TestSupport.temporaryDirectory()
        try TestSupport.write("\n", to: dir + "/empty.conllu")
        try TestSupport.write("\n", to: dir + "/empty.jsonl")
        // Penn tags only (UPOS `_`): silver words add to gold data, they cannot stand alone.
        try TestSupport.write(
            "1\tGrain\t_\t_\tNN\t_\t_\t_\t_\t_\n2\trose\t_\t_\tVBD\t_\t_\t_\t_\t_\n\n", to: dir + "/silver.conllu")
        try TestSupport.write(
            "1\tGrain\t_\tNOUN\tNN\t_\t_\t_\t_\t_\n2\trose\t_\tVERB\tVBD\t_\t_\t_\t_\t_\n\n", to: dir + "/gold.conllu")
        try TestSupport.write("grain\tn,v\nrose n\n", to: dir + "/lexical.tsv")
        let cases: [([String], String)] = [
            (["train", "pos", "--train", dir + "/empty.conllu"], "hold no words"),
            (["train", "pos", "--train", dir + "/silver.conllu"], "with a gold UPOS"),
            (["train", "lemma", "--train", dir + "/empty.conllu"], "hold no words"),
            (["train", "ner", "--train", dir + "/empty.jsonl"], "hold no tokens"),
            // Dictionary classes: a malformed line is named, a missing file too.
            (
                ["train", "pos", "--train", dir + "/gold.conllu", "--lexical", dir + "/lexical.tsv"],
                "lexical.tsv:2: expected `form<TAB>class`"
            ),
            (["train", "pos", "--train", dir + "/gold.conllu", "--lexical", dir + "/none.tsv"], "none.tsv"),
        ]
        for (arguments, reason) in cases {
            let result = try newsmill(arguments + ["--output", dir + "/model.nmm"])
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(reason) && result.stderr.contains(dir), "\(arguments): \(result.stderr)")
            #expect(FileSystem.status(dir + "/model.nmm") == nil)
        }
    }

    @Test func slurmArrayVariablesSelectTheShard() throws {
        let out = TestSupport.temporaryDirectory()
        var total = 0
        for index in 0..<2 {
            let result = try newsmill(
                ["run", "pipelines/smoke.yaml", "--output", out + "/s\(index)", "--quiet"],
                environment: ["SLURM_ARRAY_TASK_ID": "\(index)", "SLURM_ARRAY_TASK_COUNT": "2"],
                directory: TestSupport.repoRoot)
            #expect(result.status == 0, "\(result.stderr)")
            let report = try JSONParser.parse(try FileSystem.readFile(out + "/s\(index)/report.json"))
            #expect(report["shard"] == .string("\(index)/2"))
            total += report["files"]?.intValue ?? 0
        }
        #expect(total == 5)
        let merged = try newsmill(["merge", "--output", out + "/all", out + "/s0", out + "/s1"])
        #expect(merged.status == 0, "\(merged.stderr)")
        let report = try JSONParser.parse(try FileSystem.readFile(out + "/all/report.json"))
        #expect(report["documents"] == .int(8))
    }

    /// Runs pipelines/smoke.yaml as shards 0/2 and 1/2 into `out/s0` and `out/s1`.
    func runSmokeShards(into out: String) throws {
        for index in 0..<2 {
            let result = try newsmill(
                [
                    "run", "pipelines/smoke.yaml", "--output", out + "/s\(index)", "--quiet",
                    "--shard", "\(index)/2",
                ], directory: TestSupport.repoRoot)
            #expect(result.status == 0, "\(result.stderr)")
        }
    }

    @Test func aMergeOfADamagedShardNamesTheFileAndWritesNothing() throws {
        let out = TestSupport.temporaryDirectory()
        try runSmokeShards(into: out)
        let partial = out + "/s1/aggregates.partial.json"
        let bytes = try FileSystem.readFile(partial)
        try TestSupport.write(bytes: Array(bytes.prefix(bytes.count - 10)), to: partial)
        let merged = try newsmill(["merge", "--output", out + "/all", out + "/s0", out + "/s1"])
        #expect(merged.status != 0)
        #expect(merged.stderr.contains(partial + ": not valid JSON at byte"), "\(merged.stderr)")
        // Nothing half-written, no scratch folder left behind (only the merge's lock file).
        #expect(FileSystem.list(out + "/all") == [".lock"])
    }

    /// A document whose JSON is several times a worker's flush size is compressed in pieces
    /// while it is encoded: the gzip output (read by the real gzip) is the uncompressed run's.
    @Test func aHugeDocumentIsCompressedInPiecesWithTheSameOutput() throws {
        let dir = TestSupport.temporaryDirectory()
        var text = ""
        for i in 0..<70_000 { text += i % 25 == 24 ? "Prices rose \(i) pct. " : "Grain w\(i) " }
        let record = try JSONSerialization.data(withJSONObject: ["text": text, "id": "huge"])
        try TestSupport.write(
            String(decoding: record, as: UTF8.self) + "\n{\"text\": \"A small one.\"}\n", to: dir + "/in/a.jsonl")
        for compression in ["gzip", "none"] {
            try TestSupport.write(
                "inputs: [in]\noutput: {directory: out-\(compression), compression: \(compression)}\n"
                    + "stages: [normalize, segment, tag, ner]\n", to: dir + "/\(compression).yaml")
            let result = try newsmill(["run", dir + "/\(compression).yaml", "--quiet"])
            #expect(result.status == 0, "\(result.stderr)")
        }
        let unzipped = try TestSupport.run(["gzip", "-dc", dir + "/out-gzip/documents.jsonl.gz"])
        #expect(unzipped.status == 0, "\(unzipped.stderr)")
        let plain = try FileSystem.readFile(dir + "/out-none/documents.jsonl")
        #expect(plain.count > 2 * Worker.flushBytes)
        #expect(Array(unzipped.stdout.utf8) == plain)
    }

    @Test func aMergeWaitsForNoOneAndSweepsWhatAKilledMergeLeft() throws {
        let out = TestSupport.temporaryDirectory()
        try runSmokeShards(into: out)
        let merge = ["merge", "--output", out + "/all", out + "/s0", out + "/s1"]
        // A shard still held by a run (a real second process holds its lock with flock(1)),
        // then the output held: exit 75 naming the directory, nothing merged.
        for held in [out + "/s1", out + "/all"] {
            try FileManager.default.createDirectory(atPath: held, withIntermediateDirectories: true)
            // (Python, not flock(1): flock's `sleep` child would keep the lock after flock ends.)
            let holder = Process()
            holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            holder.arguments = [
                "python3", "-c",
                "import fcntl, sys, time; f = open(sys.argv[1], 'a'); fcntl.flock(f, fcntl.LOCK_EX); "
                    + "print('locked', flush=True); time.sleep(60)", held + "/.lock",
            ]
            let ready = Pipe()
            holder.standardOutput = ready
            try holder.run()
            _ = ready.fileHandleForReading.availableData  // blocks until it holds the lock
            let result = try newsmill(merge)
            kill(holder.processIdentifier, SIGKILL)  // children of the test runner may have SIGTERM blocked
            holder.waitUntilExit()
            #expect(result.status == 75, "\(held): \(result.stderr)")
            #expect(result.stderr.contains(held + ": another newsmill run or merge holds the lock"), "\(result.stderr)")
            #expect(FileSystem.status(out + "/all/report.json") == nil)
        }
        // Shards the user cannot write (no lock file can be made there) are merged all the
        // same. As root (which writes anywhere), the merge runs as `nobody` with runuser(1).
        FileSystem.remove(out + "/s0/.lock")
        FileSystem.remove(out + "/s1/.lock")
        try FileSystem.makeDirectories(out + "/ro")
        chmod(out + "/ro", 0o777)
        chmod(out + "/s0", 0o555)
        chmod(out + "/s1", 0o555)
        let asNobody = getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser")
        if getuid() != 0 || asNobody {
            let command =
                (asNobody ? ["/usr/sbin/runuser", "-u", "nobody", "--"] : [])
                + [TestSupport.binary, "merge", "--output", out + "/ro", out + "/s0", out + "/s1"]
            let readOnly = try TestSupport.run(command)
            #expect(readOnly.status == 0, "\(readOnly.stderr)")
            #expect(FileSystem.status(out + "/ro/report.json") != nil && FileSystem.status(out + "/s0/.lock") == nil)
        }
        chmod(out + "/s0", 0o755)
        chmod(out + "/s1", 0o755)
        // The output may not be one of the shards (here through a different spelling).
        let same = try newsmill(["merge", "--output", out + "/s1/../s0", out + "/s0", out + "/s1"])
        #expect(same.status == 64, "\(same.stderr)")
        #expect(same.stderr.contains("is also a shard"), "\(same.stderr)")
        // What a killed merge left (a temporary output and a scratch folder of a process that
        // no longer exists) is removed by the next merge, which then succeeds.
        let dead = 999_999_999
        try TestSupport.write("half", to: out + "/all/.documents.jsonl.gz.tmp-\(dead)")
        try TestSupport.write("x", to: out + "/all/.newsmill-scratch-\(dead)/run-1")
        let result = try newsmill(merge)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            FileSystem.list(out + "/all") == [
                ".lock", "aggregates.jsonl", "aggregates.partial.json", "documents.jsonl.gz", "errors.jsonl",
                "report.json",
            ])
    }
}
