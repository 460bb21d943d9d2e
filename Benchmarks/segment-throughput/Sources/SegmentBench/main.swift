// segment-bench: throughput of the segment stage, and its scores on UD English CoNLL-U files.
import Foundation
import Newsmill

let arguments = Array(CommandLine.arguments.dropFirst())
let command = arguments.first ?? "help"
let repoRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
let shared = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/data")

func readFile(_ path: String) -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write("cannot read \(path)\n".data(using: .utf8)!)
        exit(66)
    }
    return String(decoding: data, as: UTF8.self)
}

switch command {
case "ud":
    var files = Array(arguments.dropFirst().filter { !$0.hasPrefix("--") })
    let show = arguments.first(where: { $0.hasPrefix("--show=") }).flatMap { Int($0.dropFirst(7)) } ?? 0
    if files.isEmpty {
        files = ["en_ewt-ud-dev.conllu", "en_gum-ccby-dev.conllu"].map { shared.appendingPathComponent("ud/\($0)").path }
    }
    let segmenter = Segmenter()
    var total = TokenizationEvaluation.Score()
    var totalSentences = TokenizationEvaluation.Score()
    for file in files {
        let gold = TokenizationEvaluation.parse(conllu: readFile(file))
        let (score, mismatches) = TokenizationEvaluation.tokenScore(of: segmenter, on: gold, maxMismatches: show)
        let sentences = TokenizationEvaluation.sentenceScore(of: segmenter, on: gold)
        print("\(URL(fileURLWithPath: file).lastPathComponent): \(gold.count) sentences")
        print("  tokens:    \(score)")
        print("  sentences: \(sentences)")
        total.gold += score.gold; total.predicted += score.predicted; total.matched += score.matched
        totalSentences.gold += sentences.gold; totalSentences.predicted += sentences.predicted
        totalSentences.matched += sentences.matched
        if let n = arguments.first(where: { $0.hasPrefix("--sentences=") }).flatMap({ Int($0.dropFirst(12)) }) {
            let (_, goldOnly, predictedOnly) = TokenizationEvaluation.sentenceScore(of: segmenter, on: gold, maxMismatches: n)
            for s in goldOnly { print("GOLD-SENT \(s)") }
            for s in predictedOnly { print("PRED-SENT \(s)") }
        }
        for m in mismatches {
            print("TEXT  \(m.text)")
            let g = Set(m.gold), p = Set(m.predicted)
            print("  GOLD-ONLY \(m.gold.filter { !p.contains($0) })  PRED-ONLY \(m.predicted.filter { !g.contains($0) })")
        }
    }
    print("all: tokens \(total)")
    print("all: sentences \(totalSentences)")
case "throughput":
    // Corpus: the Reuters .txt articles (or given files), repeated to about 50 MB.
    var files = Array(arguments.dropFirst())
    if files.isEmpty {
        let dir = shared.appendingPathComponent("news/txt").path
        files = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted().map { dir + "/" + $0 }
    }
    let texts = files.map(readFile)
    let bytes = texts.reduce(0) { $0 + $1.utf8.count }
    guard bytes > 0 else { print("no input"); exit(66) }
    let repeats = max(1, 50_000_000 / bytes)
    let segmenter = Segmenter()
    var tokens: [Token] = []
    var sentences: [Span] = []
    var scratch: [Int32] = []
    var tokenCount = 0
    // Thread CPU time, not wall time: the machine is shared, and the goal is per core.
    func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
    var best = Double.infinity
    var bestWall = Double.infinity
    for _ in 0..<5 {
        let start = cpuSeconds()
        let wallStart = DispatchTime.now().uptimeNanoseconds
        tokenCount = 0
        for _ in 0..<repeats {
            for var text in texts {
                text.withUTF8 { segmenter.segment($0, tokens: &tokens, sentences: &sentences, scratch: &scratch) }
                tokenCount += tokens.count
            }
        }
        best = min(best, cpuSeconds() - start)
        bestWall = min(bestWall, Double(DispatchTime.now().uptimeNanoseconds - wallStart) / 1e9)
    }
    let megabytes = Double(bytes * repeats) / 1e6
    print(String(format: "segment: %.1f MB, %d tokens; best of 5: %.3f s CPU = %.1f MB/s (%.2f M tokens/s) per core; wall %.3f s = %.1f MB/s",
                 megabytes, tokenCount, best, megabytes / best, Double(tokenCount) / best / 1e6, bestWall, megabytes / bestWall))
case "sentences":
    // Prints every sentence of the given files, one a line (for reviewing splits).
    let segmenter = Segmenter()
    for file in arguments.dropFirst() {
        for sentence in segmenter.sentenceStrings(readFile(file)) { print(sentence) }
    }
case "tokens":
    // Prints every token of the given files, one a line (for reviewing tokenization).
    let segmenter = Segmenter()
    for file in arguments.dropFirst() {
        for token in segmenter.tokenStrings(readFile(file)) { print(token) }
    }
case "show":
    // Prints tokens (separated by |) and sentences (one a line) of each argument.
    let segmenter = Segmenter()
    for text in arguments.dropFirst() {
        print(segmenter.tokenStrings(text).joined(separator: "|"))
        for sentence in segmenter.sentenceStrings(text) { print("  S: \(sentence)") }
    }
default:
    print("usage: segment-bench ud [FILE.conllu ...] [--show=N] | throughput [FILE ...]")
}
