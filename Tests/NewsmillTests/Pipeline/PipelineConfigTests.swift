import Foundation
import Testing

@testable import Newsmill

@Suite struct PipelineConfigTests {
    private let registry = StageRegistry.testing

    @Test func parsesAFullPipeline() throws {
        let config = try PipelineConfig.parse(
            """
            name: demo
            inputs:
              - ../corpus
              - path: extra/*.jsonl.gz
            input:
              text_field: body
              title_line: true
            output:
              directory: ../out/demo
              compression: none
              fields: [id, text, tokens]
            workers: 3
            batch: {documents: 10, bytes: 4096}
            stages:
              - test-whitespace
              - test-drop: {word: spam}
            aggregates:
              - counts: {top_k: 5}
              - counts: {name: by-date, group_by: date}
            """, path: "pipes/demo.yaml", registry: registry)
        #expect(config.name == "demo")
        #expect(config.inputs.map(\.pattern) == ["corpus", "pipes/extra/*.jsonl.gz"])
        #expect(config.input.textField == "body")
        #expect(config.input.titleLine)
        #expect(config.output.directory == "out/demo")
        #expect(config.output.compression == .none)
        #expect(config.output.fields == ["id", "text", "tokens"])
        #expect(config.workers == 3)
        #expect(config.batchDocuments == 10)
        #expect(config.stageNames == ["test-whitespace", "test-drop"])
        #expect(config.aggregates.map(\.name) == ["counts", "by-date"])
    }

    @Test(arguments: [
        ("[tag, segment]", "p.yaml:1:10: stage 'tag' reads tokens, but no stage before it makes them"),
        ("[normalize, ner]", "p.yaml:1:21: stage 'ner' reads tokens"),
        // dedup, filter and language only read the text: they make no tokens.
        ("[dedup, tag]", "p.yaml:1:17: stage 'tag' reads tokens, but no stage before it makes them"),
        (
            "[segment, normalize, tag]",
            "p.yaml:1:19: 'normalize' rewrites the text, which drops the tokens 'segment' made before it (line 1)"
        ),
    ])
    func stagesInAnOrderThatCannotWorkAreConfigErrors(_ c: (String, String)) {
        do {
            _ = try PipelineConfig.parse("stages: \(c.0)\n", path: "p.yaml", registry: registry)
            Issue.record("\(c.0) was accepted")
        } catch {
            #expect("\(error)".hasPrefix(c.1), "\(error)")
        }
    }

    @Test func countsOfAnnotationsNobodyWritesAreConfigErrors() throws {
        for (stages, unit, fails) in [
            ("[segment]", "lemmas", true), ("[segment, ner]", "cooccurrence", false),
            ("[segment, tag]", "entities", true),
            ("[segment, tag]", "lemmas", false), ("[segment, {exec: {command: cat}}]", "entities", false),
            ("[segment]", "ngrams", false), ("[normalize, dedup, segment]", "lemmas", true),
        ] {
            let text = "stages: \(stages)\naggregates:\n  - counts: {unit: \(unit)}\n"
            do {
                _ = try PipelineConfig.parse(text, path: "p.yaml", registry: registry)
                #expect(!fails, "\(stages) \(unit) was accepted")
            } catch {
                #expect(fails, "\(error)")
                #expect("\(error)".hasPrefix("p.yaml:3:20: counts of \(unit) need the"), "\(error)")
            }
        }
    }

    @Test func ordersThatCanWorkAreAccepted() throws {
        // exec and stages registered by others may make tokens; normalize may follow exec.
        for stages in [
            "[normalize, segment, tag, ner]", "[segment, filter, language, ner, tag]",
            "[{exec: {command: cat}}, tag]", "[{exec: {command: cat}}, normalize]", "[test-whitespace, ner]",
        ] {
            #expect(throws: Never.self, "\(stages)") {
                _ = try PipelineConfig.parse("stages: \(stages)\n", path: "p.yaml", registry: registry)
            }
        }
    }

    @Test func unknownStageSuggestsTheNearestName() {
        let text = "inputs: [x]\nstages:\n  - test-drop\n  - test-whitspace\n"
        do {
            _ = try PipelineConfig.parse(text, path: "p.yaml", registry: registry)
            Issue.record("accepted an unknown stage")
        } catch {
            #expect(error.description == "p.yaml:4:5: unknown stage 'test-whitspace'; did you mean 'test-whitespace'?")
        }
    }

    @Test func unknownOptionNamesLineColumnAndSuggestion() {
        let text = "stages:\n  - test-drop:\n      wrod: x\n"
        #expect(
            throws: ConfigError.unknownKey(
                "wrod", at: SourceLocation(path: "p.yaml", line: 3, column: 7),
                suggestion: "word", known: ["word"])
        ) {
            try PipelineConfig.parse(text, path: "p.yaml", registry: registry)
        }
    }

    @Test(arguments: [
        ("outptu: x\n", "p.yaml:1:1: unknown key 'outptu'; did you mean 'output'?"),
        (
            "workers: many\n",
            "p.yaml:1:10: invalid value 'many' for 'workers': expected a number from 1 to 1024 or 'auto'"
        ),
        (
            "output: {compression: zip}\n",
            "p.yaml:1:23: invalid value 'zip' for 'compression': expected one of gzip, none"
        ),
        ("stages: [[b]]\n", "p.yaml:1:10: a stage must be a name or a name with options"),
        ("stages:\n  - counts\n", "p.yaml:2:5: 'counts' is an aggregate: list it under 'aggregates:'"),
        (
            "inputs: [a\n",
            "p.yaml:2:1: syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 1)"
        ),
        (
            "aggregates:\n  - counts: {top_k: -3}\n",
            "p.yaml:2:21: invalid value '-3' for 'top_k': expected an integer from 0 to 10000000"
        ),
    ])
    func errorsNameFileLineAndColumn(_ text: String, _ message: String) {
        do {
            _ = try PipelineConfig.parse(text, path: "p.yaml", registry: registry)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func jsonPipelinesWork() throws {
        let config = try PipelineConfig.parse(
            #"{"inputs": ["a"], "stages": ["test-whitespace"], "output": "o"}"#,
            path: "p.json", registry: registry)
        #expect(config.stageNames == ["test-whitespace"])
        #expect(config.output.directory == "o")
    }

    @Test func theShippedPipelinesAreValid() throws {
        for name in ["smoke.yaml", "news.yaml", "segment.yaml", "nightly.yaml"] {
            let path = TestSupport.repoRoot + "/pipelines/" + name
            _ = try PipelineConfig.load(path: path)
        }
    }
}
