import Foundation
import Testing

@testable import Newsmill

@Suite struct DocumentEncoderTests {
    private func encode(_ document: Document, spaceTokens: Bool = true) -> String {
        var writer = JSONWriter()
        DocumentEncoder(spaceTokens: spaceTokens).encode(document, into: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    private func sample() -> Document {
        // "Zürich’s café" — multi-byte characters before every span.
        var doc = Document(
            id: "d1", source: SourceLocation(path: "a.txt", line: 1), text: "Zürich’s café 😀 ok.\nNext.",
            metadata: [JSONMember("title", .string("T"))])
        let bytes = Array(doc.text.utf8)
        func range(_ s: String, from: Int = 0) -> Range<Int> {
            let needle = Array(s.utf8)
            for k in from...(bytes.count - needle.count) where Array(bytes[k..<k + needle.count]) == needle {
                return k..<k + needle.count
            }
            return 0..<0
        }
        let pieces = ["Zürich", "’s", "café", "😀", "ok", ".", "Next", "."]
        var from = 0
        for piece in pieces {
            let r = range(piece, from: from)
            doc.tokens.append(Token(r))
            from = r.upperBound
        }
        doc.sentences = [
            Span(start: doc.tokens[0].start, end: doc.tokens[5].end),
            Span(start: doc.tokens[6].start, end: doc.tokens[7].end),
        ]
        for k in doc.tokens.indices { doc.tokens[k].sentence = k < 6 ? 0 : 1 }
        doc.entities = [Entity(start: doc.tokens[0].start, end: doc.tokens[0].end, label: .gpe)]
        for k in doc.tokens.indices {
            doc.tokens[k].tag = PennTag.id(k == 0 ? "NNP" : "NN") ?? 0
            doc.tokens[k].pos = UPOS.id(k == 0 ? "PROPN" : "NOUN") ?? 0
            doc.setLemma(ofToken: k, to: Array((k == 1 ? "'s" : doc.string(of: doc.tokens[k].span)).utf8))
        }
        return doc
    }

    @Test func offsetsAreCodePointsThatPythonSlicesExactly() throws {
        let line = encode(sample())
        let out = try TestSupport.python(
            """
            import json, sys
            d = json.loads(sys.argv[1])
            t = d["text"]
            print("|".join(t[x["start"]:x["end"]] for x in d["tokens"]))
            print("|".join(t[x["start"]:x["end"]] for x in d["sents"]))
            print("|".join(t[x["start"]:x["end"]] + "/" + x["label"] for x in d["ents"]))
            print("|".join(x.get("lemma", "") + "/" + x.get("tag", "") for x in d["tokens"]))
            """, [line])
        #expect(
            out == """
                Zürich|’s|café|😀|ok|.|\n|Next|.
                Zürich’s café 😀 ok.\n|Next.
                Zürich/GPE
                Zürich/NNP|'s/NN|café/NN|😀/NN|ok/NN|./NN|\n/_SP|Next/NN|./NN

                """)
    }

    @Test func compactTokensGiveTheSameTokensAsFlatArrays() throws {
        var writer = JSONWriter()
        DocumentEncoder(compactTokens: true).encode(sample(), into: &writer)
        let out = try TestSupport.python(
            """
            import json, sys
            d = json.loads(sys.argv[1]); t = d["text"]; o = d["token_offsets"]
            assert "tokens" not in d
            print("|".join(t[o[i]:o[i + 1]] for i in range(0, len(o), 2)))
            print(" ".join(d["token_tags"]), " ".join(d["token_pos"][:2]))
            print(json.dumps(d["token_lemmas"][:3], ensure_ascii=False))
            """, [String(decoding: writer.bytes, as: UTF8.self)])
        #expect(
            out == """
                Zürich|’s|café|😀|ok|.|Next|.
                NNP NN NN NN NN NN NN NN PROPN NOUN
                [null, "'s", null]

                """)
    }

    /// More tokens than one formatting block (128), with multi-byte text before each.
    @Test func compactOffsetsStayExactAcrossFormattingBlocks() throws {
        let words = (0..<300).map { $0 % 3 == 0 ? "Zürich\($0)" : "w\($0)" }
        var doc = Document(id: "d", source: SourceLocation(path: "a.txt", line: 1), text: words.joined(separator: " "))
        var start = 0
        for w in words {
            doc.tokens.append(Token(start..<start + w.utf8.count))
            start += w.utf8.count + 1
        }
        var writer = JSONWriter()
        DocumentEncoder(fields: ["text", "tokens"], compactTokens: true).encode(doc, into: &writer)
        let out = try TestSupport.python(
            """
            import json, sys
            d = json.loads(sys.argv[1]); t = d["text"]; o = d["token_offsets"]
            print(" ".join(t[o[i]:o[i + 1]] for i in range(0, len(o), 2)) == t, len(o))
            """, [String(decoding: writer.bytes, as: UTF8.self)])
        #expect(out == "True 600\n")
    }

    @Test func keyOrderIsFixed() {
        let line = encode(sample(), spaceTokens: false)
        #expect(line.hasPrefix(#"{"id":"d1","source":{"path":"a.txt","line":1},"meta":{"title":"T"},"text":"#))
        #expect(line.contains(#""tokens":[{"id":0,"start":0,"end":6,"tag":"NNP","pos":"PROPN","lemma":"Zürich"},"#))
        #expect(line.hasSuffix("}\n"))
    }

    @Test func decoderReadsBackWhatTheEncoderWrote() throws {
        let original = sample()
        let line = encode(original, spaceTokens: false)
        let decoded = try DocumentDecoder.decode(try JSONParser.parse(line), source: SourceLocation(path: "x", line: 9))
        #expect(decoded.text == original.text)
        #expect(decoded.tokens.map(\.span) == original.tokens.map(\.span))
        #expect(decoded.tokens.map(\.tag) == original.tokens.map(\.tag))
        #expect(decoded.sentences == original.sentences)
        #expect(decoded.entities == original.entities)
        #expect(
            (0..<decoded.tokens.count).map { decoded.lemma(ofToken: $0) }
                == (0..<original.tokens.count).map { original.lemma(ofToken: $0) })
    }

    /// spaCy's own `Doc.from_json` loads every line (spaCy installed by pip into a virtual
    /// environment under .build/).
    @Test(.timeLimit(.minutes(10))) func spacyDocFromJSONLoadsEveryLine() throws {
        let python = try SpacyEnvironment.python()
        let dir = TestSupport.temporaryDirectory()
        try RunnerTests.makeCorpus(in: dir)
        try TestSupport.write("  Leading spaces.\n\nTwo breaks,  double  spaces.\n", to: dir + "/c/ws.txt")
        try FileManager.default.copyItem(atPath: TestSupport.repoRoot + "/corpus", toPath: dir + "/c/corpus")
        // The real stages, whatever the pipeline has: every annotation must load.
        let config = try RunnerTests.config(dir, output: dir + "/out", stages: "[segment, ner]")
        _ = try Runner(config: config, options: RunOptions(workers: 2)).run()
        var lines = try TestSupport.gunzip(dir + "/out/documents.jsonl.gz")
        lines += encode(sample())
        try TestSupport.write(lines, to: dir + "/all.jsonl")
        let out = try TestSupport.python(
            """
            import json, sys, spacy
            from spacy.tokens import Doc
            nlp = spacy.blank("en")
            n = 0
            for line in open(sys.argv[1], encoding="utf-8"):
                d = json.loads(line)
                doc = Doc(nlp.vocab).from_json(d, validate=True)
                assert doc.text == d["text"]
                assert len(doc) == len(d["tokens"])
                assert [e.text for e in doc.ents] == [d["text"][e["start"]:e["end"]] for e in d["ents"]]
                if d["sents"]:
                    assert len(list(doc.sents)) == len(d["sents"]), (len(list(doc.sents)), d["sents"])
                n += 1
            print(n)
            """, [dir + "/all.jsonl"], python: python)
        #expect(out == "137\n")
    }
}

/// A Python virtual environment with spaCy, made once under .build/ and reused.
enum SpacyEnvironment {
    private static let made: Swift.Result<String, SetupError> = {
        let venv = TestSupport.repoRoot + "/.build/spacy-venv"
        let python = venv + "/bin/python"
        if (try? TestSupport.run([python, "-c", "import spacy"]).status) == 0 { return .success(python) }
        do {
            var r = try TestSupport.run(["python3", "-m", "venv", venv])
            guard r.status == 0 else { return .failure(SetupError(message: "venv: \(r.stderr)")) }
            r = try TestSupport.run([venv + "/bin/pip", "install", "-q", "--disable-pip-version-check", "spacy"])
            guard r.status == 0 else { return .failure(SetupError(message: "pip install spacy: \(r.stderr)")) }
            return .success(python)
        } catch {
            return .failure(SetupError(message: "\(error)"))
        }
    }()

    struct SetupError: Error, CustomStringConvertible {
        var message: String
        var description: String { "cannot set up spaCy in .build/spacy-venv: \(message)" }
    }

    static func python() throws -> String { try made.get() }
}
