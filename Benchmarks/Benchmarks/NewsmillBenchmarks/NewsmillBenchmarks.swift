// Micro-benchmarks of newsmill's hot paths: the gzip reader, the JSON parser and writer,
// the counts aggregate, and (when they are registered) the normalize, segment, tag and
// ner stages. Metrics: wall clock, throughput, mallocs, peak memory.
//
//     swift package --package-path Benchmarks benchmark
//     swift package --package-path Benchmarks benchmark --filter 'Gzip.*'
//
// Each benchmark's name says how much input one iteration handles, so throughput in
// MB/s is (bytes per iteration) x (iterations per second).

import Benchmark
import Foundation
import Newsmill

let benchmarks: @Sendable () -> Void = {
    let fixture = Fixture.shared
    let metrics: [BenchmarkMetric] = [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident]
    let configuration = Benchmark.Configuration(metrics: metrics, warmupIterations: 1,
                                                maxDuration: .seconds(3), maxIterations: 1_000)
    let mb = String(format: "%.1f MB", Double(fixture.text.utf8.count) / 1e6) + " (\(fixture.source))"

    // MARK: gzip reader

    Benchmark("Gzip/ChunkReader \(mb) of text", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            guard let reader = try? ChunkReader(path: fixture.gzipPath, gzip: true) else { return }
            var total = 0
            while (try? reader.next({ total += $0.count })) == true {}
            blackHole(total)
        }
    }

    Benchmark("Gzip/LineReader \(mb) of text", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            guard let reader = try? ChunkReader(path: fixture.gzipPath, gzip: true) else { return }
            let lines = LineReader(reader)
            var count = 0
            while (try? lines.nextLine({ count += $0.count })) == true {}
            blackHole(count)
        }
    }

    // MARK: JSON

    let jsonlBytes = fixture.jsonlLines.reduce(0) { $0 + $1.count }
    Benchmark("JSON/JSONParser \(fixture.jsonlLines.count) JSONL records (\(jsonlBytes / 1000) kB, \(fixture.source))",
              configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            for line in fixture.jsonlLines {
                blackHole(try? JSONParser.parse(line))
            }
        }
    }

    let docKB = fixture.plain.text.utf8.count / 1000
    Benchmark("JSON/DocumentEncoder tokenized \(docKB) kB document (\(fixture.tokenized.tokens.count) tokens) x\(fixture.repeats)",
              configuration: configuration) { benchmark in
        let encoder = DocumentEncoder()
        var writer = JSONWriter(capacity: 1 << 20)
        for _ in benchmark.scaledIterations {
            for _ in 0..<fixture.repeats {
                writer.reset()
                encoder.encode(fixture.tokenized, into: &writer)
                blackHole(writer.bytes.count)
            }
        }
    }

    Benchmark("JSON/DocumentEncoder text-only \(docKB) kB document x\(fixture.repeats)", configuration: configuration) { benchmark in
        let encoder = DocumentEncoder()
        var writer = JSONWriter(capacity: 1 << 20)
        for _ in benchmark.scaledIterations {
            for _ in 0..<fixture.repeats {
                writer.reset()
                encoder.encode(fixture.plain, into: &writer)
                blackHole(writer.bytes.count)
            }
        }
    }

    // MARK: counts aggregate

    Benchmark("Aggregate/counts add tokenized \(docKB) kB document x\(fixture.repeats)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            guard var counts = try? CountsAggregator(options: StageOptions([:], stageName: "counts")) else { return }
            for _ in 0..<fixture.repeats { counts.add(fixture.tokenized) }
            blackHole(counts)
        }
    }

    Benchmark("Aggregate/counts add untokenized \(docKB) kB document x\(fixture.repeats)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            guard var counts = try? CountsAggregator(options: StageOptions([:], stageName: "counts")) else { return }
            for _ in 0..<fixture.repeats { counts.add(fixture.plain) }
            blackHole(counts)
        }
    }

    // MARK: stages (only those registered in this build)

    let registry = StageRegistry.standard
    var chain: [any Stage] = []  // the stages before the one measured, to prepare its input
    for name in ["normalize", "segment", "tag", "ner"] {
        guard registry.stageType(named: name) != nil else {
            Fixture.note("stage '\(name)' is not registered in this build; skipping its benchmark")
            continue
        }
        let stage: any Stage
        do {
            stage = try registry.makeStage(named: name, options: StageOptions([:], stageName: name))
        } catch {
            Fixture.note("cannot make stage '\(name)': \(error); skipping its benchmark")
            continue
        }
        // Prepare the input once: the article through the stages before this one.
        let context = StageContext()
        var documents: [Document] = []
        for article in fixture.articles {
            var document = article
            for previous in chain { _ = try? previous.process(&document, in: context) }
            documents.append(document)
        }
        chain.append(stage)
        let inputs = documents
        let bytes = inputs.reduce(0) { $0 + $1.text.utf8.count }
        Benchmark("Stage/\(name) \(inputs.count) articles (\(bytes / 1000) kB)", configuration: configuration) {
            benchmark in
            let context = StageContext()
            for _ in benchmark.scaledIterations {
                for original in inputs {
                    var document = original
                    blackHole(try? stage.process(&document, in: context))
                    blackHole(document.tokens.count)
                }
            }
        }
    }
}

/// Inputs built once: the Reuters articles of ../shared/data/news when present (read at
/// run time, never copied), else the project's own corpus/ (small and repetitive, so the
/// gzip figures are then optimistic; the benchmark names say which).
final class Fixture: Sendable {
    static let shared = Fixture()

    /// Where the text came from: "Reuters" or "corpus/".
    let source: String
    /// How many times one iteration handles the document (so each iteration is ~1 MB).
    let repeats: Int
    /// About 4 MB of article text, one paragraph a line.
    let text: String
    /// `text` gzip-compressed into a temporary file.
    let gzipPath: String
    /// JSONL records, about 1 MB.
    let jsonlLines: [[UInt8]]
    /// The articles as documents.
    let articles: [Document]
    /// One article-sized document (~5 kB) with hand-made tokens, sentences, tags, lemmas
    /// and entities (the shape the tag stage produces).
    let tokenized: Document
    /// The same text without annotations.
    let plain: Document

    private init() {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let news = root.deletingLastPathComponent().appendingPathComponent("shared/data/news")
        var lines: [[UInt8]] = []
        var articles: [Document] = []
        if FileManager.default.fileExists(atPath: news.appendingPathComponent("txt").path) {
            source = "Reuters"
            for (path, fileLines) in Fixture.readAll(news.appendingPathComponent("txt"), suffix: ".txt") {
                let text = fileLines.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n") + "\n"
                articles.append(Document(id: path, source: SourceLocation(path: path, line: 1), text: text))
            }
            for (_, fileLines) in Fixture.readAll(news.appendingPathComponent("jsonl"), suffix: ".jsonl.gz") {
                lines += fileLines
            }
        } else {
            source = "corpus/"
            for (path, fileLines) in Fixture.readAll(root.appendingPathComponent("corpus"), suffix: ".gz") {
                if path.hasSuffix(".jsonl.gz") {
                    lines += fileLines
                    for line in fileLines {
                        if case .object(let members)? = try? JSONParser.parse(line),
                            case .string(let text)? = members.first(where: { $0.key == "text" })?.value
                        {
                            articles.append(Document(id: path, source: SourceLocation(path: path, line: 1), text: text))
                        }
                    }
                } else {
                    let text = fileLines.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n") + "\n"
                    articles.append(Document(id: path, source: SourceLocation(path: path, line: 1), text: text))
                }
            }
        }
        if articles.isEmpty {
            articles = [Document(id: "none", source: SourceLocation(path: "none", line: 1),
                                 text: "Neither ../shared/data/news nor corpus/ was found.\n")]
        }
        self.articles = articles

        var text = ""
        var k = 0
        while text.utf8.count < 4_000_000 {
            text += articles[k % articles.count].text
            k += 1
        }
        self.text = text
        let gzip = GzipCompressor(level: 6)
        var compressed: [UInt8] = []
        gzip.compress(Array(text.utf8), into: &compressed)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("newsmill-bench-fixture.txt.gz").path
        if !FileManager.default.createFile(atPath: path, contents: Data(compressed)) {
            Fixture.note("cannot write \(path); the gzip benchmarks will measure nothing")
        }
        gzipPath = path

        var jsonl: [[UInt8]] = []
        var jsonlBytes = 0
        while jsonlBytes < 1_000_000, !lines.isEmpty {
            jsonl += lines
            jsonlBytes += lines.reduce(0) { $0 + $1.count }
        }
        jsonlLines = jsonl

        var articleText = ""
        k = 0
        while articleText.utf8.count < 5_000 {
            articleText += articles[k % articles.count].text
            k += 1
        }
        repeats = max(1, 1_000_000 / articleText.utf8.count)
        plain = Document(id: "bench", source: SourceLocation(path: "bench.txt", line: 1), text: articleText)
        tokenized = Fixture.tokenize(plain)
    }

    /// Every file below `folder` whose name ends in `suffix`, sorted, as lines.
    static func readAll(_ folder: URL, suffix: String) -> [(String, [[UInt8]])] {
        let names = (FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(suffix) }.sorted()
        var result: [(String, [[UInt8]])] = []
        for name in names {
            let path = folder.appendingPathComponent(name).path
            guard let reader = try? ChunkReader(path: path, gzip: name.hasSuffix(".gz")) else { continue }
            let lineReader = LineReader(reader)
            var fileLines: [[UInt8]] = []
            while (try? lineReader.nextLine({ fileLines.append(Array($0)) })) == true {}
            result.append((name, fileLines))
        }
        return result
    }

    /// A note on stderr (stdout carries the benchmark tables).
    static func note(_ message: String) {
        FileHandle.standardError.write(Data("NewsmillBenchmarks: \(message)\n".utf8))
    }

    /// Hand-made tokens: runs of letters/digits and single punctuation bytes, a sentence
    /// after each `.`, tag/pos ids cycled, every fifth lemma distinct, every tenth
    /// capitalized token an entity. Shapes the writer's input like the real stages would.
    static func tokenize(_ original: Document) -> Document {
        var document = original
        let bytes = Array(document.text.utf8)
        var k = 0
        var sentence: Int32 = 0
        var sentenceStart = 0
        while k < bytes.count {
            let b = bytes[k]
            if b == 0x20 || b == 0x0A {
                k += 1
                continue
            }
            let start = k
            if isWord(b) {
                while k < bytes.count, isWord(bytes[k]) { k += 1 }
            } else {
                k += 1
            }
            var token = Token(start..<k)
            let n = document.tokens.count
            token.tag = UInt8(1 + n % (PennTag.names.count - 1))
            token.pos = UInt8(1 + n % (UPOS.names.count - 1))
            token.sentence = sentence
            document.tokens.append(token)
            if n % 5 == 0 {
                document.setLemma(ofToken: n, to: Array("lemma".utf8))
            } else {
                document.setLemma(ofToken: n, to: bytes[start..<k])
            }
            if b >= 0x41, b <= 0x5A, n % 10 == 0 {
                document.entities.append(Entity(start: Int32(start), end: Int32(k), label: .org))
            }
            if b == 0x2E {
                document.sentences.append(Span(sentenceStart..<k))
                sentence += 1
                sentenceStart = k + 1 < bytes.count ? k + 1 : k
            }
        }
        if sentenceStart < bytes.count { document.sentences.append(Span(sentenceStart..<bytes.count)) }
        return document
    }

    private static func isWord(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b >= 0x80
    }
}
