import Foundation
import Testing

@testable import Newsmill

@Suite struct ExecStageTests {
    @Test func aRealPythonScriptRewritesAndDropsDocuments() throws {
        let dir = TestSupport.temporaryDirectory()
        try TestSupport.write(
            """
            import json, sys
            for line in sys.stdin:
                doc = json.loads(line)
                if "drop me" in doc["text"]:
                    print("null")
                    continue
                text = doc["text"]
                # Mark the first word as an entity, with code-point offsets.
                end = text.index(" ")
                doc["ents"] = [{"start": 0, "end": end, "label": "ORG"}]
                doc["meta"]["words"] = len(text.split())
                print(json.dumps(doc, ensure_ascii=False))
            """, to: dir + "/stage.py")
        try TestSupport.write("Überall café here.\n", to: dir + "/c/a.txt")
        try TestSupport.write("please drop me now\n", to: dir + "/c/b.txt")
        try TestSupport.write("Zürich is nice\n", to: dir + "/c/c.txt")
        let config = try PipelineConfig.parse(
            """
            inputs: [c]
            output: out
            stages:
              - exec: {command: [python3, stage.py], timeout: 30}
            """, path: dir + "/p.yaml")
        let report = try Runner(config: config, options: RunOptions(workers: 2)).run()
        #expect(report.kept == 2)
        #expect(report.dropped == ["exec: dropped by python3": 1])
        let lines = try TestSupport.gunzip(dir + "/out/documents.jsonl.gz").split(separator: "\n")
        let first = try JSONParser.parse(String(lines[0]))
        #expect(
            first["ents"]
                == .array([
                    .object([
                        JSONMember("start", .int(0)), JSONMember("end", .int(7)),
                        JSONMember("label", .string("ORG")),
                    ])
                ]))
        #expect(first["meta"]?["words"] == .int(3))
    }

    /// `cat` gives every document back as it came: the line-break tokens spaCy's form
    /// writes (`_SP`) are not taken back as tokens (they were counted, and tagged again).
    @Test func aDocumentGivenBackUnchangedIsUnchanged() throws {
        let dir = TestSupport.temporaryDirectory()
        try TestSupport.write("First line here.\n\nSecond para, Zürich.\n", to: dir + "/c/a.txt")
        try TestSupport.write("One more\r\nline.  \n", to: dir + "/c/b.txt")
        var outputs: [String] = []
        for exec in ["", ", {exec: {command: [cat]}}"] {
            let out = dir + "/out\(outputs.count)"
            let config = try PipelineConfig.parse(
                "inputs: [c]\noutput: \(out)\nstages: [segment, tag\(exec)]\naggregates: [counts]\n",
                path: dir + "/p.yaml")
            let report = try Runner(config: config, options: RunOptions(workers: 1)).run()
            #expect(report.kept == 2)
            outputs.append(
                try TestSupport.gunzip(out + "/documents.jsonl.gz")
                    + String(contentsOfFile: out + "/aggregates.jsonl", encoding: .utf8))
        }
        #expect(outputs[0].contains(#""tag":"_SP""#))
        #expect(outputs[0] == outputs[1])
    }

    @Test func aFailingCommandIsAnErrorForThatDocumentOnly() throws {
        let dir = TestSupport.temporaryDirectory()
        try TestSupport.write(
            """
            import sys, json
            for line in sys.stdin:
                doc = json.loads(line)
                if "crash" in doc["text"]:
                    sys.exit(3)
                print(json.dumps(doc))
            """, to: dir + "/stage.py")
        try TestSupport.write("one\n", to: dir + "/c/1.txt")
        try TestSupport.write("crash here\n", to: dir + "/c/2.txt")
        try TestSupport.write("three\n", to: dir + "/c/3.txt")
        let config = try PipelineConfig.parse(
            "inputs: [c]\noutput: out\nstages:\n  - exec: {command: [python3, stage.py]}\n",
            path: dir + "/p.yaml")
        let report = try Runner(config: config, options: RunOptions(workers: 1)).run()
        #expect(report.kept == 2)
        #expect(report.failed == 1)
        let error = try JSONParser.parse(try String(contentsOfFile: dir + "/out/errors.jsonl", encoding: .utf8))
        #expect(error["stage"] == .string("exec"))
        #expect(error["reason"]?.stringValue?.contains("exited (status 3)") == true)
    }

    @Test func aCommandStringRunsInTheShellAndAProgramIsFoundWhenThePipelineLoads() throws {
        let dir = TestSupport.temporaryDirectory()
        try TestSupport.write("one two\n", to: dir + "/c/1.txt")
        // One string: /bin/sh -c, so pipes and quoting work as in a terminal.
        let config = try PipelineConfig.parse(
            "inputs: [c]\noutput: out\nstages:\n  - exec: {command: \"sed -u s/one/ONE/ | sed -u s/two/TWO/\", timeout: 20}\n",
            path: dir + "/p.yaml")
        let report = try Runner(config: config, options: RunOptions(workers: 1)).run()
        #expect(report.kept == 1)
        let line = try JSONParser.parse(try TestSupport.gunzip(dir + "/out/documents.jsonl.gz"))
        #expect(line["text"] == .string("ONE TWO\n"))  // through both seds: a shell pipeline
        // A list is run without a shell: its program must exist, which is checked up front.
        do {
            _ = try PipelineConfig.parse(
                "inputs: [c]\nstages:\n  - exec: {command: [no-such-program-here, x]}\n", path: dir + "/q.yaml")
            Issue.record("a missing program was accepted")
        } catch {
            #expect("\(error)".contains("q.yaml:3"), "\(error)")
            #expect("\(error)".contains("no-such-program-here"), "\(error)")
        }
        #expect(ExecStage.findProgram("sh", directory: dir)?.hasSuffix("/sh") == true)
        #expect(ExecStage.findProgram("./missing.sh", directory: dir) == nil)
    }

    @Test func aCommandThatKeepsDyingBeforeAnsweringIsNotRestartedForEveryDocument() throws {
        let dir = TestSupport.temporaryDirectory()
        for i in 1...10 { try TestSupport.write("document \(i)\n", to: dir + "/c/\(i).txt") }
        let config = try PipelineConfig.parse(
            "inputs: [c]\noutput: out\nstages:\n  - exec: {command: \"echo started >> starts.log; exit 4\"}\n",
            path: dir + "/p.yaml")
        let report = try Runner(config: config, options: RunOptions(workers: 1)).run()
        #expect(report.failed == 10)
        let starts = try String(contentsOfFile: dir + "/starts.log", encoding: .utf8)
        #expect(starts.split(separator: "\n").count == ExecStage.startFailuresBeforeGivingUp)
        let errors = try String(contentsOfFile: dir + "/out/errors.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(errors.count == 10)
        // (It may die before or after reading the document: "stopped reading" or "exited".)
        #expect(errors.last?.contains("(3 times in a row before its first answer; not started again") == true)
    }

    @Test func theCommandIsRequired() {
        #expect(throws: ConfigError.self) { try ExecStage(options: StageOptions([:], stageName: "exec")) }
    }
}
