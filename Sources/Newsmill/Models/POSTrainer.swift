/// Trains a ``POSModel`` (averaged perceptron, greedy decoding) from CoNLL-U sentences.
///
/// Deterministic: the same data, options and seed give a byte-identical model file.
public struct POSTrainer: Sendable {
    /// What a class is.
    public enum ClassSet: String, Sendable, CaseIterable {
        /// One class per (Penn tag, UPOS) pair seen often enough.
        case joint
        /// One class per Penn tag; UPOS is that tag's most frequent UPOS.
        case xpos
    }

    /// Training settings.
    public struct Options: Sendable {
        /// Passes over the training data.
        public var epochs = 10
        /// Seed of the per-epoch shuffles.
        public var seed: UInt64 = 1
        /// What a class is (``ClassSet/joint`` measured best).
        public var classes = ClassSet.joint
        /// Keep (Penn tag, UPOS) pairs seen at least this often as classes (joint mode).
        public var minPairCount = 10
        /// Keep features seen at least this often (with gold history) in training.
        public var minFeatureCount = 2
        /// Words seen at least this often...
        public var dictionaryMinCount = 20
        /// ...with one class at least this share of the time skip scoring.
        public var dictionaryMinShare = 0.99
        /// Words seen at least this often get an ambiguity class...
        public var lexiconMinCount = 3
        /// ...made of the classes with at least this share of their occurrences.
        public var lexiconMinShare = 0.05
        /// Training sentences see lexicons built without their own fold (1 = no jackknifing).
        public var lexiconFolds = 10
        /// Drop averaged weights below this magnitude when writing the file.
        public var pruneBelow: Float = 0.5
        /// The defaults used for the shipped model.
        public init() {}
    }

    /// The settings.
    public var options: Options

    /// A trainer with these settings.
    public init(options: Options = Options()) {
        self.options = options
    }

    /// Why ``train(train:dev:metadata:log:)`` cannot learn from these sentences, or nil: it
    /// needs words with a gold UPOS (not `_`) of at least two (Penn tag, UPOS) pairs.
    public static func problem(with train: [CoNLLUSentence]) -> String? {
        var pairs = Set<String>()
        var words = 0
        for sentence in train {
            for word in sentence.words {
                words += 1
                if word.upos != "_" { pairs.insert(word.xpos + "\t" + word.upos) }
            }
        }
        if words == 0 { return "the training files hold no words" }
        if pairs.count < 2 {
            return "the training files need words of at least two (Penn tag, UPOS) pairs with a gold UPOS "
                + "(not `_`: such words only add Penn tags to gold data); they have \(pairs.count)"
        }
        return nil
    }

    /// Reads a dictionary-class file (`form<TAB>class` lines, as
    /// `scripts/pos/lexical_classes.py` writes them) into ``train``'s `lexical` entries.
    /// Throws a message naming the line of a malformed entry.
    public static func readLexical(_ bytes: [UInt8], path: String) throws(ConfigError) -> [LexicalEntry] {
        var entries: [LexicalEntry] = []
        var line = 0
        for raw in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            line += 1
            var fields = raw
            if fields.last == UInt8(ascii: "\r") { fields = fields.dropLast() }
            if fields.isEmpty || fields.first == UInt8(ascii: "#") { continue }
            let parts = fields.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ConfigError.invalid(
                    SourceLocation(path: path, line: line), detail: "expected `form<TAB>class` (dictionary classes)")
            }
            entries.append(LexicalEntry(form: Array(parts[0]), label: Array(parts[1])))
        }
        return entries
    }

    /// A word form and its dictionary class (any label: only equality matters).
    public struct LexicalEntry: Sendable {
        public var form: [UInt8]
        public var label: [UInt8]
        public init(form: [UInt8], label: [UInt8]) {
            self.form = form
            self.label = label
        }
    }

    /// Trains on `train`, printing per-epoch accuracy on each `dev` set through `log`.
    /// `train` must pass ``problem(with:)``. `lexical` gives word forms dictionary classes
    /// (``POSFeatures/lexical``), stored in the model's lexicon.
    /// Returns the final model as stored (pruned and quantized, then loaded back), and its file.
    public func train(
        train: [CoNLLUSentence], dev: [(name: String, sentences: [CoNLLUSentence])] = [],
        lexical: [LexicalEntry] = [], metadata: [String: String] = [:], log: (String) -> Void = { _ in }
    ) -> (model: POSModel, file: ModelFile) {
        let corpus = TaggedCorpus(train)
        let devCorpora = dev.map { ($0.name, TaggedCorpus($0.sentences)) }
        log("training on \(corpus.sentenceCount) sentences, \(corpus.wordCount) words")

        // Classes.
        var pairCounts = [Int](repeating: 0, count: 256 * 256)
        // Words whose UPOS is `_` (silver data with only a Penn tag) make no classes; in
        // training their class is latent: the best-scoring class with their Penn tag.
        let latent = corpus.upos.map { $0 == TaggedCorpus.unknownUPOS }
        let latentCount = latent.reduce(0) { $0 + ($1 ? 1 : 0) }
        for i in 0..<corpus.wordCount where !latent[i] {
            pairCounts[Int(corpus.xpos[i]) * 256 + Int(corpus.upos[i])] += 1
        }
        var classIDs = [Int](repeating: -1, count: 256 * 256)
        var classXPOS: [UInt8] = []
        var classUPOS: [UInt8] = []
        // A Penn tag's most frequent class stands for a latent word where one class is needed
        // (lexicon counts, feature selection); a Penn tag with no class leaves the word out.
        var defaultClass = [Int](repeating: -1, count: 256)
        for x in 0..<256 {
            let row = pairCounts[(x * 256)..<(x * 256 + 256)]
            guard let top = row.indices.max(by: { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) }),
                row[top] > 0
            else { continue }
            for u in 0..<256 where row[x * 256 + u] > 0 {
                let key = x * 256 + u
                let keep = key == top || (options.classes == .joint && row[key] >= options.minPairCount)
                if keep {
                    classIDs[key] = classXPOS.count
                    classXPOS.append(UInt8(x))
                    classUPOS.append(UInt8(u))
                }
            }
            for u in 0..<256 where row[x * 256 + u] > 0 && classIDs[x * 256 + u] < 0 {
                classIDs[x * 256 + u] = classIDs[top]
            }
            defaultClass[x] = classIDs[top]
        }
        let classCount = classXPOS.count
        let stride = POSModel.stride(forClasses: classCount)
        let gold = (0..<corpus.wordCount).map {
            latent[$0]
                ? defaultClass[Int(corpus.xpos[$0])]
                : classIDs[Int(corpus.xpos[$0]) * 256 + Int(corpus.upos[$0])]
        }
        log("\(classCount) classes (\(options.classes.rawValue))")
        if latentCount > 0 { log("\(latentCount) words with a Penn tag only (latent class)") }

        // Attributes of every word, computed once (twice: the lexicon needs the normalized forms).
        let attributeStride = POSFeatures.attributeCount
        var attributeOffsets: [Int] = []
        var attributes: [UInt64] = []
        /// Attributes of every sentence, each with the lexicon its fold is given.
        func computeAttributes(lexicons: [HashIndex]) {
            attributeOffsets.removeAll()
            attributes.removeAll()
            corpus.text.withUnsafeBufferPointer { text in
                corpus.starts.withUnsafeBufferPointer { starts in
                    corpus.ends.withUnsafeBufferPointer { ends in
                        for s in 0..<corpus.sentenceCount {
                            let range = corpus.words(ofSentence: s)
                            attributeOffsets.append(attributes.count)
                            let size = (range.count + 2 * POSFeatures.padding) * attributeStride
                            attributes.append(contentsOf: repeatElement(0, count: size))
                            lexicons[s % lexicons.count].withView { lexicon in
                                attributes.withUnsafeMutableBufferPointer { a in
                                    guard let sp = starts.baseAddress, let ep = ends.baseAddress,
                                        let ap = a.baseAddress
                                    else { return }
                                    POSFeatures.prepare(
                                        text: text, starts: sp + range.lowerBound, ends: ep + range.lowerBound,
                                        count: range.count, lexicon: lexicon, attributes: ap + attributeOffsets[s])
                                }
                            }
                        }
                    }
                }
            }
        }
        computeAttributes(lexicons: [HashIndex(capacity: 1)])

        // Dictionary classes: key of the normalized form -> class id (from the label's bytes,
        // so ids do not depend on the order of the file).
        var lexicalKeys: [(UInt64, UInt32)] = []
        if !lexical.isEmpty {
            let scratch = UnsafeMutablePointer<UInt64>.allocate(capacity: POSFeatures.attributeCount)
            defer { scratch.deallocate() }
            var labels = Set<[UInt8]>()
            for entry in lexical {
                entry.form.withUnsafeBufferPointer { form in
                    POSFeatures.computeToken(text: form, start: 0, end: form.count, out: scratch)
                }
                var hash = FeatureHash.offsetBasis
                for b in entry.label { hash = FeatureHash.step(hash, b) }
                lexicalKeys.append(
                    (POSFeatures.lexicalKey(scratch[POSFeatures.norm]), UInt32(truncatingIfNeeded: hash) & 0x7fff_ffff))
                labels.insert(entry.label)
            }
            log("dictionary classes: \(lexicalKeys.count) forms, \(labels.count) classes")
        }

        // Lexicon: the ambiguity class of every word (normalized, and exact) seen often enough.
        // Training attributes use jackknifed lexicons (built without the sentence's own fold),
        // so that the model sees as many out-of-lexicon words in training as it will in use.
        var ambiguityIDs: [[Int]: UInt32] = [:]
        func buildLexicon(excludingFold fold: Int?, folds: Int) -> HashIndex {
            var classCounts: [UInt64: [Int: Int]] = [:]
            for s in 0..<corpus.sentenceCount where fold == nil || s % folds != fold {
                for (k, i) in corpus.words(ofSentence: s).enumerated() where !latent[i] {
                    let base = attributeOffsets[s] + (k + POSFeatures.padding) * attributeStride
                    classCounts[attributes[base + POSFeatures.norm], default: [:]][gold[i], default: 0] += 1
                    let exactKey = POSFeatures.exactLexiconKey(attributes[base + POSFeatures.exact])
                    classCounts[exactKey, default: [:]][gold[i], default: 0] += 1
                }
            }
            var lexicon = HashIndex(capacity: classCounts.count + lexicalKeys.count)
            for (key, id) in lexicalKeys { lexicon.insert(key, id) }
            for (h, counts) in classCounts {
                let total = counts.values.reduce(0, +)
                guard total >= options.lexiconMinCount, h != 0 else { continue }
                let set = counts.filter { Double($0.value) >= options.lexiconMinShare * Double(total) }.keys.sorted()
                let id: UInt32
                if let existing = ambiguityIDs[set] {
                    id = existing
                } else {
                    // Ids from the set itself, so they do not depend on hash order.
                    var hash = FeatureHash.offsetBasis
                    for c in set { hash = FeatureHash.step(hash, UInt8(c)) }
                    id = UInt32(truncatingIfNeeded: hash) & 0x7fff_ffff
                    ambiguityIDs[set] = id
                }
                lexicon.insert(h, id)
            }
            return lexicon
        }
        let folds = max(options.lexiconFolds, 1)
        let lexicon = buildLexicon(excludingFold: nil, folds: 1)
        let trainingLexicons =
            folds == 1 ? [lexicon] : (0..<folds).map { buildLexicon(excludingFold: $0, folds: folds) }
        log("lexicon: \(lexicon.count) entries, \(ambiguityIDs.count) ambiguity classes, \(folds) folds")
        computeAttributes(lexicons: trainingLexicons)

        // Tag dictionary.
        var formClassCounts: [UInt64: [Int: Int]] = [:]
        for s in 0..<corpus.sentenceCount {
            for (k, i) in corpus.words(ofSentence: s).enumerated() where !latent[i] {
                let h = attributes[
                    attributeOffsets[s] + (k + POSFeatures.padding) * attributeStride + POSFeatures.exact]
                formClassCounts[h, default: [:]][gold[i], default: 0] += 1
            }
        }
        var dictionary = HashIndex(capacity: 4096)
        for (h, counts) in formClassCounts.sorted(by: { $0.key < $1.key }) {
            let total = counts.values.reduce(0, +)
            guard total >= options.dictionaryMinCount,
                let (c, n) = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }),
                Double(n) / Double(total) >= options.dictionaryMinShare, h != 0
            else { continue }
            dictionary.insert(h, UInt32(c))
        }
        log("tag dictionary: \(dictionary.count) words")

        // Feature selection: count features with gold history.
        var counts = HashIndex(capacity: 1 << 20)
        let buffer = UnsafeMutablePointer<UInt64>.allocate(capacity: POSFeatures.maxFeatures)
        defer { buffer.deallocate() }
        attributes.withUnsafeBufferPointer { a in
            guard let base = a.baseAddress else { return }
            for s in 0..<corpus.sentenceCount {
                let range = corpus.words(ofSentence: s)
                var p1 = -1
                var p2 = -2
                for (k, i) in range.enumerated() {
                    let n = POSFeatures.extract(
                        attributes: base + attributeOffsets[s], index: k, previous: p1, beforePrevious: p2,
                        into: buffer)
                    for f in 0..<n { counts.increment(buffer[f]) }
                    p2 = p1
                    p1 = gold[i]
                }
            }
        }
        var kept: [UInt64] = []
        for (slot, key) in counts.keys.enumerated()
        where key != 0 && Int(counts.values[slot]) >= options.minFeatureCount {
            kept.append(key)
        }
        kept.sort()
        var features = HashIndex(capacity: kept.count)
        for (row, key) in kept.enumerated() { features.insert(key, UInt32(row)) }
        log("features: \(kept.count) kept of \(counts.count) seen (min count \(options.minFeatureCount))")
        counts = HashIndex(capacity: 1)

        // Perceptron.
        let rows = kept.count
        var weights = [Float](repeating: 0, count: rows * stride)
        var totals = [Double](repeating: 0, count: rows * stride)
        var instance: Double = 1
        var order = Array(0..<corpus.sentenceCount)
        var generator = SeededGenerator(seed: options.seed)
        var rowBuffer = [Int](repeating: 0, count: POSFeatures.maxFeatures)
        var scores = [Float](repeating: 0, count: stride)
        var meta = metadata
        meta["classes"] = options.classes.rawValue
        meta["epochs"] = String(options.epochs)
        meta["seed"] = String(options.seed)

        func averaged(pruneBelow: Float) -> POSModel {
            var avg = [Float](repeating: 0, count: rows * stride)
            for k in 0..<avg.count { avg[k] = Float(Double(weights[k]) - totals[k] / instance) }
            return POSModel(
                classXPOS: classXPOS, classUPOS: classUPOS, keys: kept, weights: avg, stride: stride,
                pruneBelow: pruneBelow, dictionary: dictionary, lexicon: lexicon, metadata: meta)
        }

        for epoch in 1...max(options.epochs, 1) {
            let clock = ContinuousClock.now
            generator.shuffle(&order)
            var right = 0
            var seen = 0
            features.withView { index in
                dictionary.withView { dict in
                    attributes.withUnsafeBufferPointer { a in
                        guard let base = a.baseAddress else { return }
                        for s in order {
                            let range = corpus.words(ofSentence: s)
                            let sa = base + attributeOffsets[s]
                            var p1 = -1
                            var p2 = -2
                            for (k, i) in range.enumerated() {
                                let exactHash = sa[(k + POSFeatures.padding) * attributeStride + POSFeatures.exact]
                                var guess = Int(dict.find(exactHash))
                                if guess == Int(UInt32.max) {
                                    let n = POSFeatures.extract(
                                        attributes: sa, index: k, previous: p1, beforePrevious: p2, into: buffer)
                                    var r = 0
                                    for f in 0..<n {
                                        let row = index.find(buffer[f])
                                        if row != UInt32.max {
                                            rowBuffer[r] = Int(row) * stride
                                            r += 1
                                        }
                                    }
                                    for c in 0..<classCount { scores[c] = 0 }
                                    for f in 0..<r {
                                        let base = rowBuffer[f]
                                        for c in 0..<classCount { scores[c] += weights[base + c] }
                                    }
                                    guess = 0
                                    for c in 1..<classCount where scores[c] > scores[guess] { guess = c }
                                    var truth = gold[i]
                                    if latent[i] {
                                        // The best class with the word's Penn tag (none: no update).
                                        let x = corpus.xpos[i]
                                        truth = -1
                                        for c in 0..<classCount
                                        where classXPOS[c] == x && (truth < 0 || scores[c] > scores[truth]) {
                                            truth = c
                                        }
                                        if truth < 0 || classXPOS[guess] == x { truth = guess }
                                    }
                                    if guess != truth {
                                        for f in 0..<r {
                                            let base = rowBuffer[f]
                                            weights[base + truth] += 1
                                            weights[base + guess] -= 1
                                            totals[base + truth] += instance
                                            totals[base + guess] -= instance
                                        }
                                    }
                                    instance += 1
                                }
                                if latent[i] ? classXPOS[guess] == corpus.xpos[i] : guess == gold[i] { right += 1 }
                                seen += 1
                                p2 = p1
                                p1 = guess
                            }
                        }
                    }
                }
            }
            let model = averaged(pruneBelow: 0)
            var line = "epoch \(epoch)/\(options.epochs): train \(Self.percent(Double(right) / Double(max(seen, 1))))"
            for (name, dev) in devCorpora {
                let (x, u) = dev.accuracy(of: model)
                line += "  \(name): tag \(Self.percent(x)) pos \(Self.percent(u))"
            }
            let elapsed = ContinuousClock.now - clock
            line += "  (\(Self.seconds(elapsed)))"
            log(line)
        }

        let file = averaged(pruneBelow: options.pruneBelow).modelFile()
        let encoded = file.encoded()
        // Round-trip through the stored form, so the returned model is exactly what ships.
        let stored: POSModel
        do {
            stored = try POSModel(file: try ModelFile(bytes: encoded, path: "<trained>"), path: "<trained>")
        } catch {
            preconditionFailure("a freshly written model must load: \(error)")
        }
        var line = "stored model: \(stored.featureCount) rows, \(encoded.count) bytes"
        for (name, dev) in devCorpora {
            let (x, u) = dev.accuracy(of: stored)
            line += "  \(name): tag \(Self.percent(x)) pos \(Self.percent(u))"
        }
        log(line)
        return (stored, file)
    }

    static func percent(_ x: Double) -> String {
        let v = (x * 10000).rounded() / 100
        return "\(v)%"
    }

    static func seconds(_ d: Duration) -> String {
        let ms = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
        return "\((ms / 10).rounded() / 100) s"
    }
}
