import Foundation
import Testing

@testable import Newsmill

/// A run's documents read again as inputs (the `newsmill` binary as a real subprocess):
/// their annotation is read back, their metadata is not nested once more.
@Suite struct AnnotatedInputTests {
    private func newsmill(_ arguments: [String]) throws -> TestSupport.Result {
        try #require(
            FileManager.default.isExecutableFile(atPath: TestSupport.binary),
            "build the CLI first (make test does): \(TestSupport.binary)")
        return try TestSupport.run([TestSupport.binary] + arguments, directory: TestSupport.repoRoot)
    }

    /// Compares two documents files in Python: the same ids, texts, sentences, tokens and
    /// entities; the second's metadata is the first's, plus `source`: the first's source
    /// (unless the first's metadata had one). Prints the number of documents.
    private func compareDocuments(_ first: String, _ second: String) throws -> String {
        try TestSupport.python(
            """
            import gzip, json, sys
            a = [json.loads(l) for l in gzip.open(sys.argv[1])]
            b = [json.loads(l) for l in gzip.open(sys.argv[2])]
            assert len(a) == len(b) and a, (len(a), len(b))
            for x, y in zip(a, b):
                for k in ('id', 'text', 'sents', 'tokens', 'ents'):
                    assert x[k] == y[k], (x['id'], k)
                m = dict(y['meta'])
                if 'source' not in x['meta']:
                    assert m.pop('source') == x['source'], (x['id'], y['meta'])
                assert m == x['meta'], (x['id'], y['meta'])
            print(len(a))
            """, [first, second])
    }

    @Test func aSegmentRunTaggedLaterEqualsTheNewsPipelineAndReadingAgainChangesNothing() throws {
        let out = TestSupport.temporaryDirectory()
        let news = try newsmill(["run", "pipelines/news.yaml", "--output", out + "/news", "--quiet"])
        #expect(news.status == 0, "\(news.stderr)")
        let segment = try newsmill(["run", "pipelines/segment.yaml", "--output", out + "/seg", "--quiet"])
        #expect(segment.status == 0, "\(segment.stderr)")

        // The compact tokens of the segment run, tagged later: the news pipeline's output.
        try TestSupport.write(
            """
            inputs: [seg]
            input: {annotated: true}
            output: {directory: tagged, level: 1}
            stages: [tag, ner]
            aggregates: [{counts: {top_k: 100}}]
            """, to: out + "/tag-later.yaml")
        let tagged = try newsmill(["run", out + "/tag-later.yaml", "--quiet"])
        #expect(tagged.status == 0, "\(tagged.stderr)")
        let count = try compareDocuments(out + "/news/documents.jsonl.gz", out + "/tagged/documents.jsonl.gz")
        #expect(Int(count.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 > 0)
        #expect(
            try String(contentsOfFile: out + "/tagged/aggregates.jsonl", encoding: .utf8)
                == String(contentsOfFile: out + "/news/aggregates.jsonl", encoding: .utf8))

        // The news run's documents, counted again by entity without running anything.
        try TestSupport.write(
            """
            inputs: [news/documents.jsonl.gz]
            input: {annotated: true}
            output: again
            stages: []
            aggregates: [{counts: {unit: entities, top_k: 50}}]
            """, to: out + "/again.yaml")
        let again = try newsmill(["run", out + "/again.yaml", "--quiet"])
        #expect(again.status == 0, "\(again.stderr)")
        _ = try compareDocuments(out + "/news/documents.jsonl.gz", out + "/again/documents.jsonl.gz")
        let entities = try String(contentsOfFile: out + "/again/aggregates.jsonl", encoding: .utf8)
        #expect(entities.contains(#""field":"entity","label":"GPE""#))
        let report = try JSONParser.parse(try String(contentsOfFile: out + "/again/report.json", encoding: .utf8))
        #expect(report["counters"]?["input.annotated_documents"] == report["documents"])
    }

    @Test func withoutTheDeclarationTaggingWithoutSegmentIsAConfigErrorThatSaysWhatToDo() throws {
        let dir = TestSupport.temporaryDirectory()
        try TestSupport.write("inputs: [in]\noutput: out\nstages: [tag]\n", to: dir + "/p.yaml")
        let result = try newsmill(["run", dir + "/p.yaml"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("p.yaml:3:10"))
        #expect(result.stderr.contains("input: {annotated: true}"))

        try TestSupport.write(
            "inputs: [in]\ninput: {annotated: true}\noutput: out\nstages: [normalize, tag]\n", to: dir + "/n.yaml")
        let normalized = try newsmill(["run", dir + "/n.yaml"])
        #expect(normalized.status == 78)
        #expect(normalized.stderr.contains("put 'segment' after 'normalize'"), "\(normalized.stderr)")
    }

    @Test func badAnnotationIsAnErrorLineOtherLabelsAreCountedOtherShapesStayMetadata() throws {
        let dir = TestSupport.temporaryDirectory()
        let lines = [
            #"{"id": "ok", "text": "Hi there.", "meta": {"title": "T"}, "title": "outer", "lang": "en"}"#,
            #"{"id": "far", "text": "Hi.", "tokens": [{"id": 0, "start": 0, "end": 9}]}"#,
            #"{"id": "label", "text": "Hi Bob.", "ents": [{"start": 3, "end": 6, "label": "PER"}, {"start": 0, "end": 2, "label": "ORG"}]}"#,
            #"{"id": "words", "text": "The cat.", "tokens": ["The", "cat", "."], "ner_tags": [0, 0, 0]}"#,
            #"{"id": "odd", "text": "Hi.", "token_offsets": [0, 2, 2]}"#,
        ]
        try TestSupport.write(lines.joined(separator: "\n") + "\n", to: dir + "/in/a.jsonl")
        try TestSupport.write(
            "inputs: [in]\ninput: {annotated: true}\noutput: out\nstages: []\n", to: dir + "/p.yaml")
        let result = try newsmill(["run", dir + "/p.yaml", "--quiet"])
        #expect(result.status == 1, "\(result.stderr)")
        let errors = try String(contentsOfFile: dir + "/out/errors.jsonl", encoding: .utf8)
            .split(separator: "\n").map { try JSONParser.parse(String($0)) }
        #expect(errors.map { $0["line"]?.intValue } == [2, 5])
        #expect(errors[0]["reason"]?.stringValue?.contains("invalid token span") == true)
        #expect(errors[0]["reason"]?.stringValue?.contains("the text has 3 characters") == true)
        #expect(errors[1]["reason"]?.stringValue?.contains("odd number") == true)
        // Another label set (a CoNLL model's PER) is left out and counted, not fatal.
        let report = try JSONParser.parse(try String(contentsOfFile: dir + "/out/report.json", encoding: .utf8))
        #expect(report["counters"]?["input.entities_unknown_label"] == .int(1))
        let kept = try TestSupport.python(
            """
            import gzip, json, sys
            for l in gzip.open(sys.argv[1]):
                d = json.loads(l)
                print(d['id'], json.dumps(d['meta'], sort_keys=True), len(d.get('tokens', [])), len(d.get('ents', [])))
            """, [dir + "/out/documents.jsonl.gz"])
        #expect(
            kept == """
                ok {"lang": "en", "title": "T"} 0 0
                label {} 0 1
                words {"ner_tags": [0, 0, 0], "tokens": ["The", "cat", "."]} 0 0

                """)

        // Not declared annotated: a pipeline that segments again never needed the bad
        // annotation, so it is left out and counted, and every document is kept.
        try TestSupport.write("inputs: [in]\noutput: out2\nstages: [segment]\n", to: dir + "/q.yaml")
        let loose = try newsmill(["run", dir + "/q.yaml", "--quiet"])
        #expect(loose.status == 0, "\(loose.stderr)")
        let looseReport = try JSONParser.parse(
            try String(contentsOfFile: dir + "/out2/report.json", encoding: .utf8))
        #expect(looseReport["kept"] == .int(5))
        #expect(looseReport["counters"]?["input.annotations_not_read"] == .int(2))
    }
}
