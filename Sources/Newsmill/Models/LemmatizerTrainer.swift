/// Learns a ``Lemmatizer`` from CoNLL-U lemmas: suffix edit rules by (Penn tag, suffix),
/// counted over word types, and an exception table for every (Penn tag, form) the rules get
/// wrong. A word type's rule counts for a (non-empty) suffix only when it edits nothing
/// before that suffix (so a whole-word replacement such as *palestinian* → *Palestinian*
/// cannot become the rule of *-ian*). The Penn tags whose numbers drop digit-group commas in most training
/// lemmas (*1,100* → *1100*) are learned too. Deterministic (no randomness; ties broken by
/// order).
public struct LemmatizerTrainer: Sendable {
    /// Training settings.
    public struct Options: Sendable {
        /// Longest suffix (bytes) a rule is keyed by.
        public var maxSuffix = 6
        /// A (tag, suffix) key needs at least this many word types to get a rule.
        public var minRuleTypes = 2
        /// (Tag, form) types seen at least this often are stored whole even when the rules get
        /// them right: the same lemmas, found with one lookup instead of the suffix rules
        /// (0: only the exceptions).
        public var lexiconMinCount = 2
        /// The defaults used for the shipped model.
        public init() {}
    }

    /// The settings.
    public var options: Options

    /// A trainer with these settings.
    public init(options: Options = Options()) {
        self.options = options
    }

    private struct TypeKey: Hashable {
        var xpos: UInt8
        var source: [UInt8]
    }

    private struct Rule: Hashable {
        var strip: UInt8
        var append: [UInt8]
    }

    /// Trains on `train`; prints accuracy on each `dev` set (with gold tags) through `log`.
    public func train(
        train: [CoNLLUSentence], dev: [(name: String, sentences: [CoNLLUSentence])] = [],
        metadata: [String: String] = [:], log: (String) -> Void = { _ in }
    ) -> (lemmatizer: Lemmatizer, file: ModelFile) {
        // Majority lemma of every (tag, source form) type.
        var typeLemmas: [TypeKey: [String: Int]] = [:]
        var digitGroups = [(total: Int, dropped: Int)](repeating: (0, 0), count: 256)
        var words = 0
        for sentence in train {
            for word in sentence.words {
                let xpos = PennTag.id(word.xpos) ?? 0
                let upos = UPOS.id(word.upos) ?? 0
                var source: [UInt8] = []
                Array(word.form.utf8).withUnsafeBufferPointer {
                    Lemmatizer.appendSource(of: $0, xpos: xpos, upos: upos, to: &source)
                }
                typeLemmas[TypeKey(xpos: xpos, source: source), default: [:]][word.lemma, default: 0] += 1
                if Lemmatizer.isDigitGroupNumber(source) {
                    digitGroups[Int(xpos)].total += 1
                    if word.lemma.utf8.elementsEqual(source.lazy.filter { $0 != 0x2C }) {
                        digitGroups[Int(xpos)].dropped += 1
                    }
                }
                words += 1
            }
        }
        let types = typeLemmas.keys.sorted {
            $0.xpos != $1.xpos ? $0.xpos < $1.xpos : $0.source.lexicographicallyPrecedes($1.source)
        }
        var majority: [TypeKey: [UInt8]] = [:]
        for t in types {
            let lemmas = typeLemmas[t, default: [:]]
            let best = lemmas.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }
            majority[t] = Array((best?.key ?? "").utf8)
        }
        log("lemmatizer: \(words) words, \(types.count) (tag, form) types")
        var digitCommaTags: UInt64 = 0
        var digitCommaNames: [String] = []
        for (t, c) in digitGroups.enumerated()
        where t > 0 && t < 64 && t < PennTag.names.count && c.total >= options.minRuleTypes && c.dropped * 2 > c.total {
            digitCommaTags |= 1 << UInt64(t)
            digitCommaNames.append(PennTag.names[t])
        }

        // Rule statistics over types.
        var ruleIDs: [Rule: Int] = [:]
        var rulesByID: [Rule] = []
        var keyStats: [UInt64: [Int: Int]] = [:]
        var keyOrder: [UInt64] = []
        for t in types {
            guard let lemma = majority[t] else { continue }
            let source = t.source
            // Numbers the digit-group step lemmatizes teach the suffix rules nothing.
            if t.xpos < 64, digitCommaTags & (1 << UInt64(t.xpos)) != 0, Lemmatizer.isDigitGroupNumber(source) {
                continue
            }
            var prefix = 0
            while prefix < source.count && prefix < lemma.count && source[prefix] == lemma[prefix] { prefix += 1 }
            let strip = source.count - prefix
            guard strip < 256 else { continue }
            let rule = Rule(strip: UInt8(strip), append: Array(lemma[prefix...]))
            let id: Int
            if let existing = ruleIDs[rule] {
                id = existing
            } else {
                id = rulesByID.count
                ruleIDs[rule] = id
                rulesByID.append(rule)
            }
            source.withUnsafeBufferPointer { s in
                // A rule that edits bytes before a suffix is not that suffix's rule; the empty
                // suffix (the tag's default rule) takes every type's.
                for k in 0...min(options.maxSuffix, s.count) where k == 0 || strip <= k {
                    let key = Lemmatizer.ruleKey(
                        xpos: t.xpos, suffix: UnsafeBufferPointer(rebasing: s[(s.count - k)...]))
                    if keyStats[key] == nil { keyOrder.append(key) }
                    keyStats[key, default: [:]][id, default: 0] += 1
                }
            }
        }
        var blob: [UInt8] = []
        var rules = HashIndex(capacity: keyOrder.count)
        var ruleOffsets: [UInt32] = [0]
        var ruleStrip: [UInt8] = []
        var ruleEntryForID: [Int: Int] = [:]
        // Rules are stored once each; keys point at them.
        var keyRule: [(UInt64, Int)] = []
        for key in keyOrder {
            guard let stats = keyStats[key] else { continue }
            let total = stats.values.reduce(0, +)
            guard total >= options.minRuleTypes else { continue }
            guard let best = stats.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }) else {
                continue
            }
            keyRule.append((key, best.key))
        }
        for (key, id) in keyRule {
            let entry: Int
            if let e = ruleEntryForID[id] {
                entry = e
            } else {
                entry = ruleStrip.count
                ruleEntryForID[id] = entry
                ruleStrip.append(rulesByID[id].strip)
                blob.append(contentsOf: rulesByID[id].append)
                ruleOffsets.append(UInt32(blob.count))
            }
            rules.insert(key, UInt32(entry))
        }
        var knownLemmas = HashIndex(capacity: types.count)
        for t in types {
            if let lemma = majority[t], !lemma.isEmpty { knownLemmas.insert(Lemmatizer.lemmaKey(lemma), 1) }
        }
        let rulesOnly = Lemmatizer(
            exceptions: HashIndex(capacity: 1), exceptionOffsets: [0], rules: rules, ruleOffsets: ruleOffsets,
            ruleStrip: ruleStrip, blob: blob, maxSuffix: options.maxSuffix, knownLemmas: knownLemmas,
            digitCommaTags: digitCommaTags, metadata: [:])

        // Exceptions: every type the rules get wrong.
        var exceptionBlob: [UInt8] = []
        var exceptionOffsets: [UInt32] = [0]
        var exceptions = HashIndex(capacity: 1024)
        var out: [UInt8] = []
        var exceptionCount = 0
        var lexiconCount = 0
        for t in types {
            guard let lemma = majority[t] else { continue }
            // The source already has its case; apply the steps that follow the exception table.
            out.removeAll(keepingCapacity: true)
            out.append(contentsOf: t.source)
            rulesOnly.applyRules(xpos: t.xpos, to: &out)
            let wrong = out != lemma
            let frequent =
                options.lexiconMinCount > 0
                && typeLemmas[t, default: [:]].values.reduce(0, +) >= options.lexiconMinCount
            if wrong || frequent {
                let key = t.source.withUnsafeBufferPointer { Lemmatizer.exceptionKey(xpos: t.xpos, source: $0) }
                exceptions.insert(key, UInt32(exceptionOffsets.count - 1))
                // An empty lemma stands for the source form itself.
                if lemma != t.source { exceptionBlob.append(contentsOf: lemma) }
                exceptionOffsets.append(UInt32(exceptionBlob.count))
                if wrong { exceptionCount += 1 } else { lexiconCount += 1 }
            }
        }
        // One blob: exceptions first, then rule appendices.
        let shift = UInt32(exceptionBlob.count)
        var meta = metadata
        meta["max_suffix"] = String(options.maxSuffix)
        meta["min_rule_types"] = String(options.minRuleTypes)
        meta["lexicon_min_count"] = String(options.lexiconMinCount)
        meta["rules"] = Lemmatizer.rulesVersion
        meta["digit_comma_tags"] = digitCommaNames.joined(separator: ",")
        let trained = Lemmatizer(
            exceptions: exceptions, exceptionOffsets: exceptionOffsets, rules: rules,
            ruleOffsets: ruleOffsets.map { $0 + shift }, ruleStrip: ruleStrip, blob: exceptionBlob + blob,
            maxSuffix: options.maxSuffix, knownLemmas: knownLemmas, digitCommaTags: digitCommaTags, metadata: meta)
        let file = trained.modelFile()
        let stored: Lemmatizer
        do {
            stored = try Lemmatizer(file: try ModelFile(bytes: file.encoded(), path: "<trained>"), path: "<trained>")
        } catch {
            preconditionFailure("a freshly written lemmatizer must load: \(error)")
        }
        log(
            "lemmatizer: \(stored.ruleCount) rule keys, \(exceptionCount) exceptions, \(lexiconCount) frequent forms stored whole, \(file.encoded().count) bytes"
        )
        for (name, sentences) in dev {
            log(
                "  \(name): lemma \(POSTrainer.percent(LemmatizerTrainer.accuracy(of: stored, on: sentences))) (gold tags)"
            )
        }
        return (stored, file)
    }

    /// Lemma accuracy on gold-tagged sentences.
    public static func accuracy(of lemmatizer: Lemmatizer, on sentences: [CoNLLUSentence]) -> Double {
        var right = 0
        var total = 0
        var out: [UInt8] = []
        for sentence in sentences {
            for word in sentence.words {
                Array(word.form.utf8).withUnsafeBufferPointer {
                    lemmatizer.lemmatize(
                        $0, xpos: PennTag.id(word.xpos) ?? 0, upos: UPOS.id(word.upos) ?? 0, into: &out)
                }
                if out.elementsEqual(word.lemma.utf8) { right += 1 }
                total += 1
            }
        }
        return Double(right) / Double(max(total, 1))
    }
}
