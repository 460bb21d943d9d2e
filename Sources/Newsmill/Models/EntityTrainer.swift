/// Trains an ``NERModel``: an averaged perceptron over BILOU tags, greedy left to right
/// with the model's own previous tags as features (as at inference), examples shuffled
/// each epoch by a seeded generator, so the same data and seed give the same model.
public struct EntityTrainer {
    /// Training settings.
    public struct Configuration: Sendable {
        public var epochs = 12
        public var seed: UInt64 = 1
        /// log2 of the weight rows (17 → 131,072 rows).
        public var rowBits = 17
        /// The labels the model learns, in slot order.
        public var labels: [EntityLabel] = EntityLabel.allCases
        /// A word joins the tag dictionary of words that do not start an entity when seen
        /// this often and starting one at most once in `maxStartRatioInverse` times. At
        /// inference such a word is tagged O without scoring when it is not capitalized, no
        /// entity is open and no pattern or gazetteer entry covers it (inside an open
        /// entity it is scored).
        public var minOutsideCount = 20
        public var maxStartRatioInverse = 500
        /// A word joins the lowercase vocabulary when seen in lower case this often.
        public var minVocabularyCount = 3
        /// Gold spans overlapping a rule-pattern span with one of these labels are replaced
        /// by the pattern span: spaCy's small model, which labels the news data, misses
        /// Reuters amounts ("6 mln dlrs", "5.5 pct", "20 cts").
        public var patternOverride: Set<EntityLabel> = [.money, .percent, .quantity]
        /// Drop gold spans that cross a line break (spaCy's guesses on table rows).
        public var dropMultilineGold = true

        public init() {}
    }

    /// A dev set measured after each epoch.
    public struct DevSet {
        public var name: String
        public var examples: [EntityExample]
        /// Labels scored on it (nil: all).
        public var labels: Set<EntityLabel>?

        public init(name: String, examples: [EntityExample], labels: Set<EntityLabel>? = nil) {
            self.name = name
            self.examples = examples
            self.labels = labels
        }
    }

    public var configuration: Configuration
    public var gazetteerEntries: [(phrase: String, label: String)]

    public init(configuration: Configuration = Configuration(), gazetteer: [(phrase: String, label: String)] = []) {
        self.configuration = configuration
        self.gazetteerEntries = gazetteer
    }

    /// Gold tag ids for an example's tokens (entities not on token boundaries are skipped).
    static func goldTags(_ example: EntityExample, slots: [EntityLabel: Int]) -> (tags: [UInt8], skipped: Int) {
        let tokens = example.document.tokens
        var tags = [UInt8](repeating: 0, count: tokens.count)
        var startIndex: [Int32: Int] = [:], endIndex: [Int32: Int] = [:]
        for (i, t) in tokens.enumerated() {
            startIndex[t.start] = i
            endIndex[t.end] = i
        }
        var skipped = 0
        for e in example.gold {
            guard let slot = slots[e.label] else { continue }
            guard let a = startIndex[e.start], let b = endIndex[e.end], a <= b,
                tokens[a].sentence == tokens[b].sentence, (a...b).allSatisfy({ tags[$0] == 0 })
            else { skipped += 1; continue }
            let base = UInt8(1 + 4 * slot)
            if a == b { tags[a] = base + 3; continue }
            tags[a] = base
            for k in (a + 1)..<b { tags[k] = base + 1 }
            tags[b] = base + 2
        }
        return (tags, skipped)
    }

    /// Trains on `examples`, printing progress and each dev set's P/R/F1 after every epoch.
    /// Throws when the model outgrows the file format (see ``NERModelCapacityError``).
    public func train(
        examples: [EntityExample], dev: [DevSet] = [], info: String = "",
        log: (String) -> Void = { print($0) }
    ) throws(NERModelCapacityError) -> NERModel {
        let cfg = configuration
        let labels = cfg.labels
        var slots: [EntityLabel: Int] = [:]
        for (i, l) in labels.enumerated() { slots[l] = i }
        let gazetteer = EntityGazetteer(entries: gazetteerEntries)
        let tagCount = 1 + 4 * labels.count
        let rowStride = (tagCount + 7) / 8 * 8
        let rows = 1 << cfg.rowBits
        let mask = UInt32(rows - 1)

        // Gold tags and the tag dictionary of words that (almost) never start an entity.
        var gold: [[UInt8]] = []
        var skipped = 0
        var seen: [UInt64: (count: Int, starts: Int)] = [:]
        var lowercaseSeen: [UInt64: Int] = [:]
        var examples = examples
        let relabel = EntityScratch()
        var replaced = 0, dropped = 0
        for index in examples.indices {
            var ex = examples[index]
            let before = ex.gold.count
            if cfg.dropMultilineGold {
                ex.gold.removeAll { e in
                    ex.document.text.utf8.withContiguousStorageIfAvailable { p in
                        p[Int(e.start)..<Int(e.end)].contains(0x0A)
                    } ?? false
                }
            }
            dropped += before - ex.gold.count
            if !cfg.patternOverride.isEmpty {
                ex.document.text.withUTF8 { bytes in
                    ex.document.tokens.withUnsafeBufferPointer { tb in
                        relabel.prepare(bytes: bytes, tokens: tb, gazetteer: gazetteer)
                    }
                }
                let tokens = ex.document.tokens
                for p in relabel.patternSpans where cfg.patternOverride.contains(p.label) {
                    let span = Entity(
                        start: tokens[Int(p.start)].start, end: tokens[Int(p.end) - 1].end, label: p.label)
                    if ex.gold.contains(span) { continue }
                    ex.gold.removeAll { $0.start < span.end && span.start < $0.end }
                    ex.gold.append(span)
                    replaced += 1
                }
                ex.gold.sort { $0.start < $1.start }
            }
            examples[index] = ex
        }
        for ex in examples {
            let (tags, s) = EntityTrainer.goldTags(ex, slots: slots)
            gold.append(tags)
            skipped += s
            ex.document.text.utf8.withContiguousStorageIfAvailable { p in
                for (i, t) in ex.document.tokens.enumerated() {
                    let h = EntityHash.lower(p, Int(t.start), Int(t.end))
                    if t.end > t.start, p[Int(t.start)] &- 0x61 < 26 { lowercaseSeen[h, default: 0] += 1 }
                    var entry = seen[h] ?? (0, 0)
                    entry.count += 1
                    // B or U: the word starts an entity.
                    if tags[i] != 0 && (Int(tags[i]) - 1) & 3 != 1 && (Int(tags[i]) - 1) & 3 != 2 { entry.starts += 1 }
                    seen[h] = entry
                }
            }
        }
        let outsideKeys = seen.filter {
            $0.value.count >= cfg.minOutsideCount && $0.value.starts * cfg.maxStartRatioInverse <= $0.value.count
        }.keys.sorted()
        let outside = EntityHashTable(outsideKeys.map { ($0, 1) })
        let vocabulary = EntityHashTable(
            lowercaseSeen.filter { $0.value >= cfg.minVocabularyCount }.keys.sorted().map { ($0, 1) })
        let tokenCount = gold.reduce(0) { $0 + $1.count }
        log(
            "training on \(examples.count) texts, \(tokenCount) tokens; \(skipped) gold entities off token boundaries skipped; "
                + "\(dropped) multi-line gold spans dropped; \(replaced) spans set by patterns; "
                + "\(outsideKeys.count) words in the tag dictionary of non-starting words; \(rows) rows x \(tagCount) tags"
        )

        var w = [Float](repeating: 0, count: rows * rowStride)
        var total = [Double](repeating: 0, count: rows * rowStride)
        var stamp = [Int32](repeating: 0, count: rows * rowStride)
        var step: Int32 = 1
        var rng = SplitMix64(seed: cfg.seed)
        var order = Array(examples.indices)
        let scratch = EntityScratch()
        var featureRows = [UInt32](repeating: 0, count: EntityFeatures.maxCount)
        var scores = [Float](repeating: 0, count: rowStride)
        var model: NERModel?

        for epoch in 1...max(1, cfg.epochs) {
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(i, Int(rng.next() % UInt64(i + 1)))
            }
            var errors = 0
            for index in order {
                let ex = examples[index]
                let goldTags = gold[index]
                var text = ex.document.text
                text.withUTF8 { bytes in
                    ex.document.tokens.withUnsafeBufferPointer { tb in
                        scratch.prepare(bytes: bytes, tokens: tb, gazetteer: gazetteer, vocabulary: vocabulary)
                    }
                }
                var prev = 0, prev2 = 0
                let buffers = scratch.buffers
                for i in 0..<scratch.count {
                    if Int(buffers.sentenceStart[i]) == i { prev = 0; prev2 = 0 }
                    let last = Int(buffers.sentenceEnd[i]) == i + 1
                    let n = featureRows.withUnsafeMutableBufferPointer { r -> Int in
                        guard let out = r.baseAddress else { return 0 }
                        return EntityFeatures.extract(buffers, i, prev: prev, prev2: prev2, mask: mask, into: out)
                    }
                    featureRows.withUnsafeBufferPointer { r in
                        scores.withUnsafeMutableBufferPointer { sc in
                            w.withUnsafeBufferPointer { wb in
                                guard let wp = wb.baseAddress, let rp = r.baseAddress, let sp = sc.baseAddress else {
                                    return
                                }
                                NERModel.accumulate(wp, stride: rowStride, rp, n, into: sp)
                            }
                        }
                    }
                    var best = 0
                    var bestScore = -Float.infinity
                    for t in 0..<tagCount where NERModel.allowed(t, after: prev, last: last) {
                        if scores[t] > bestScore { bestScore = scores[t]; best = t }
                    }
                    var truth = Int(goldTags[i])
                    if !NERModel.allowed(truth, after: prev, last: last) {
                        // The gold tag cannot follow our own previous guess; learn the
                        // nearest allowed form instead (e.g. U for L after an O).
                        truth = NERModel.repair(truth, after: prev, last: last)
                    }
                    if best != truth {
                        errors += 1
                        for f in 0..<n {
                            let base = Int(featureRows[f]) * rowStride
                            for (tag, delta) in [(truth, Float(1)), (best, Float(-1))] {
                                let k = base + tag
                                total[k] += Double(step - stamp[k]) * Double(w[k])
                                stamp[k] = step
                                w[k] += delta
                            }
                        }
                    }
                    step += 1
                    buffers.record(i, tag: best)
                    prev2 = prev
                    prev = best
                }
            }
            // Average.
            var averaged = [Float](repeating: 0, count: rows * rowStride)
            let now = Double(step)
            for k in 0..<averaged.count {
                averaged[k] = Float((total[k] + Double(step - stamp[k]) * Double(w[k])) / now)
            }
            let m = try NERModel(
                labels: labels, rowBits: cfg.rowBits, weights: averaged, gazetteer: gazetteer,
                outside: outside, vocabulary: vocabulary, info: info)
            var line =
                "epoch \(epoch): \(errors) token errors (\(format2(100 * Double(errors) / Double(max(1, tokenCount))))%)"
            for set in dev {
                let score = EntityTrainer.evaluate(model: m, examples: set.examples, labels: set.labels)
                let o = score.overall
                line +=
                    "; \(set.name) P \(format2(100 * o.precision)) R \(format2(100 * o.recall)) F \(format2(100 * o.f1))"
            }
            log(line)
            model = m
        }
        if let model { return model }
        return try NERModel(
            labels: labels, rowBits: cfg.rowBits, weights: w, gazetteer: gazetteer,
            outside: outside, vocabulary: vocabulary, info: info)
    }

    /// Scores `model` (with patterns) on gold examples, using their own tokens.
    public static func evaluate(
        model: NERModel, examples: [EntityExample], labels: Set<EntityLabel>?,
        usePatterns: Bool = true
    ) -> EntityScorer {
        let recognizer = EntityRecognizer(model: model, usePatterns: usePatterns)
        var scorer = EntityScorer(labels: labels)
        let scratch = EntityScratch()
        for ex in examples {
            var doc = ex.document
            recognizer.recognize(&doc, scratch: scratch)
            scorer.add(gold: ex.gold, predicted: doc.entities, ignore: ex.ignore)
        }
        return scorer
    }
}

/// Formats a number with two decimals.
func format2(_ x: Double) -> String {
    let v = (x * 100).rounded() / 100
    var s = String(v)
    if let dot = s.firstIndex(of: ".") {
        let decimals = s.distance(from: dot, to: s.endIndex) - 1
        if decimals < 2 { s += String(repeating: "0", count: 2 - decimals) }
    }
    return s
}

extension NERModel {
    /// The allowed tag closest to `tag` after `prev`: B→U, I→L, or O when the label differs.
    static func repair(_ tag: Int, after prev: Int, last: Bool) -> Int {
        var candidates: [Int] = []
        if tag != 0 {
            let base = tag - ((tag - 1) & 3)
            candidates = [base + 3, base + 2, base, base + 1]
        }
        candidates.append(0)
        if prev != 0 {
            let prevBase = prev - ((prev - 1) & 3)
            candidates += [prevBase + 2, prevBase + 1]
        }
        return candidates.first { allowed($0, after: prev, last: last) } ?? 0
    }
}

/// A small seeded random number generator (splitmix64), for deterministic shuffles.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
