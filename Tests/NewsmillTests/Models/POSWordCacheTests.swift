import Testing

@testable import Newsmill

@Suite struct POSWordCacheTests {
    static let vocabulary = [
        "the", "The", "a", "cat", "cats", "sat", "on", "mat", ".", ",", "1987", "3.5", "U.S.", "New", "York",
        "running", "ran", "quickly", "He", "she", "said", "'s", "n't", "über", "café", "—", "(", ")", "Dogs",
        "bark", "can", "Can", "will", "$", "%", "I", "it", "It", "is", "was", "were", "be", "been", "Reuters",
        "million", "shares", "of", "in", "to", "and", "x", "LONDON", "Inc", "co-operate", "e-mail", "20,000",
        "saw", "left", "better", "leaves", "found", "that", "That", "record", "present", "lead",
    ]

    /// Seeded random sentences over ``vocabulary``, with rare made-up words (so caches fill
    /// up and evict) and, now and then, an empty span.
    static func sentences(count: Int, seed: UInt64, maxLength: Int = 40) -> (text: [UInt8], spans: [[(Int32, Int32)]]) {
        var random = SeededGenerator(seed: seed)
        var text: [UInt8] = []
        var spans: [[(Int32, Int32)]] = []
        for _ in 0..<count {
            var sentence: [(Int32, Int32)] = []
            for _ in 0..<(1 + random.below(maxLength)) {
                let start = Int32(text.count)
                switch random.below(20) {
                case 0: text.append(contentsOf: "w\(random.below(5000))x".utf8)
                case 1: sentence.append((start, start))
                default: text.append(contentsOf: vocabulary[random.below(vocabulary.count)].utf8)
                }
                if Int32(text.count) > start { sentence.append((start, Int32(text.count))) }
                text.append(0x20)
            }
            spans.append(sentence)
        }
        return (text, spans)
    }

    /// Tags every sentence through the word cache (one scratch for all, so the cache fills
    /// and evicts) and with the plain reference decoder; returns the sentences that differ
    /// and the cache's generation at the end.
    static func compare(
        _ model: POSModel, text: [UInt8], spans: [[(Int32, Int32)]], cacheSize: Int
    ) -> (differing: [Int], generation: Int) {
        let cached = POSScratch()
        cached.wordCacheSize = cacheSize
        let reference = POSScratch()
        var differing: [Int] = []
        text.withUnsafeBufferPointer { text in
            for (s, sentence) in spans.enumerated() where !sentence.isEmpty {
                for (i, span) in sentence.enumerated() {
                    cached.setToken(i, start: span.0, end: span.1)
                    reference.setToken(i, start: span.0, end: span.1)
                }
                model.tag(text: text, count: sentence.count, scratch: cached)
                model.tagReference(text: text, count: sentence.count, scratch: reference)
                if sentence.indices.contains(where: { cached.predictedClass($0) != reference.predictedClass($0) }) {
                    differing.append(s)
                }
            }
        }
        return (differing, cached.currentCache?.generation ?? -1)
    }

    @Test(arguments: [8, 64, 1024, POSWordCache.defaultMaxEntries])
    func cachedDecodingMatchesTheReference(cacheSize: Int) throws {
        let model = try #require(TaggerTestData.shippedTagger)
        let (text, spans) = Self.sentences(count: 600, seed: 7)
        let (differing, generation) = Self.compare(model, text: text, spans: spans, cacheSize: cacheSize)
        #expect(differing.isEmpty, "sentences \(differing.prefix(10))")
        if cacheSize <= 64 {
            #expect(generation > 0, "the cache never evicted")
        } else {
            #expect(generation == 0)
        }
    }

    /// Sentences longer than a window (``POSWordCache/window``) are tagged a window at a
    /// time with the words and tags around it as context: the same classes as in one go,
    /// also when the cache evicts between two windows of a sentence.
    @Test(arguments: [16, 300, POSWordCache.defaultMaxEntries])
    func longSentencesAreTaggedByWindowsWithTheSameClasses(cacheSize: Int) throws {
        let model = try #require(TaggerTestData.shippedTagger)
        let (text, spans) = Self.sentences(count: 150, seed: 11, maxLength: 3 * POSWordCache.window)
        #expect(spans.filter { $0.count > 2 * POSWordCache.window }.count >= 5)
        let (differing, generation) = Self.compare(model, text: text, spans: spans, cacheSize: cacheSize)
        #expect(differing.isEmpty, "sentences \(differing.prefix(10))")
        if cacheSize <= 300 { #expect(generation > 0, "the cache never evicted") }
    }

    /// Memory does not grow with a sentence's length or its distinct words: after a
    /// 100,000-token sentence of distinct words, the cache holds at most its size plus a window.
    @Test func aHugeSentenceOfDistinctWordsKeepsTheCacheBounded() throws {
        let model = try #require(TaggerTestData.shippedTagger)
        var text: [UInt8] = []
        let scratch = POSScratch()
        scratch.wordCacheSize = 1024
        let count = 100_000
        for i in 0..<count {
            let start = Int32(text.count)
            text.append(contentsOf: "w\(i)x".utf8)
            scratch.setToken(i, start: start, end: Int32(text.count))
            text.append(0x20)
        }
        var windows = 0
        var largest = 0
        text.withUnsafeBufferPointer { text in
            model.tag(text: text, count: count, scratch: scratch) { from, to in
                windows += 1
                largest = max(largest, scratch.currentCache?.entryCount ?? 0)
                #expect(to - from <= POSWordCache.window)
            }
        }
        #expect(windows == (count + POSWordCache.window - 1) / POSWordCache.window)
        #expect(largest <= 1024 + POSWordCache.window + 8, "\(largest) entries")
        #expect(largest > 1024 / 2)
    }

    @Test(.enabled(if: TaggerTestData.udAvailable, Comment(rawValue: TaggerTestData.skipMessage)))
    func cachedDecodingMatchesTheReferenceOnUDDev() throws {
        let model = try #require(TaggerTestData.shippedTagger)
        for name in ["en_ewt-ud-dev.conllu", "en_gum-ccby-dev.conllu"] {
            let corpus = TaggedCorpus(try TaggerTestData.sentences(name, count: 800))
            let spans = (0..<corpus.sentenceCount).map { s in
                corpus.words(ofSentence: s).map { (corpus.starts[$0], corpus.ends[$0]) }
            }
            for size in [512, POSWordCache.defaultMaxEntries] {
                let (differing, _) = Self.compare(model, text: corpus.text, spans: spans, cacheSize: size)
                #expect(differing.isEmpty, "\(name), cache of \(size): sentences \(differing.prefix(10))")
            }
        }
    }

    @Test func emptySpansOfAnEmptyTextAreTagged() throws {
        let model = try #require(TaggerTestData.shippedTagger)
        let scratch = POSScratch()
        scratch.setToken(0, start: 0, end: 0)
        scratch.setToken(1, start: 0, end: 0)
        let reference = POSScratch()
        reference.setToken(0, start: 0, end: 0)
        reference.setToken(1, start: 0, end: 0)
        let empty: [UInt8] = []
        empty.withUnsafeBufferPointer { model.tag(text: $0, count: 2, scratch: scratch) }
        empty.withUnsafeBufferPointer { model.tagReference(text: $0, count: 2, scratch: reference) }
        #expect(scratch.predictedClass(0) == reference.predictedClass(0))
        #expect(scratch.predictedClass(1) == reference.predictedClass(1))
    }

    @Test func aCacheBelongsToOneModel() throws {
        let model = try #require(TaggerTestData.shippedTagger)
        let smaller = model.pruned(below: 1.5)
        let scratch = POSScratch()
        let first = scratch.cache(for: model)
        #expect(scratch.cache(for: model) === first)
        #expect(scratch.cache(for: smaller) !== first)
        // Tagging with each model in turn through one scratch gives each model's own tags.
        let words = ["Prices", "rose", "sharply", "in", "New", "York", "trading", "."]
        let alone = smaller.tags(for: words)
        _ = model.tags(for: words)
        var text: [UInt8] = []
        for (i, word) in words.enumerated() {
            let start = Int32(text.count)
            text.append(contentsOf: word.utf8)
            scratch.setToken(i, start: start, end: Int32(text.count))
            text.append(0x20)
        }
        text.withUnsafeBufferPointer { model.tag(text: $0, count: words.count, scratch: scratch) }
        text.withUnsafeBufferPointer { smaller.tag(text: $0, count: words.count, scratch: scratch) }
        let tags = words.indices.map { PennTag.names[Int(smaller.classXPOS[scratch.predictedClass($0)])] }
        #expect(tags == alone.map(\.tag))
    }
}
