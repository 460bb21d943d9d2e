/// A trained part-of-speech model: predicts, for each token, one class that is a pair of
/// Penn Treebank tag (``PennTag``) and Universal POS (``UPOS``).
///
/// An averaged perceptron whose weights are sparse rows of Int16 values (one global scale)
/// packed with their class ids into 32-bit entries. A feature hash finds its row through
/// an open-addressing table of 8-byte slots (a 32-bit fingerprint of the hash, the row's
/// start and length), so a lookup costs one cache miss and the whole model (~4 MB of slots
/// and ~4 MB of entries) stays in cache far better than dense Float32 rows of every class
/// would: measured here, dense rows with SIMD adds were memory-bound at ~0.25 M tokens/s,
/// because after averaging and pruning a feature keeps about four classes out of 78.
/// A token's score vector is the integer sum of its rows; the arg-max is its class.
/// Decoding is greedy, left to right, with the two previous predicted classes as features.
/// A tag dictionary gives frequent unambiguous words their class without scoring.
/// Immutable once built, so one instance is shared by all workers.
public final class POSModel: Sendable {
    /// Penn tag id of each class.
    public let classXPOS: [UInt8]
    /// UPOS id of each class.
    public let classUPOS: [UInt8]
    /// Full feature key of each row (for writing the file).
    let rowKeys: [UInt64]
    /// Start of each row in ``entries``; one extra entry at the end.
    let rowStarts: [UInt32]
    /// `UInt32(bitPattern: Int32(value) << 16) | class`: value × ``scale`` is the weight.
    let entries: [UInt32]
    /// The weight of one quantization step.
    let scale: Float
    /// Open-addressing slots: `fingerprint << 32 | start << 8 | length`; 0 = empty. Rows
    /// longer than ``denseAbove`` entries are copied to ``denseRows`` and their slot is
    /// `fingerprint << 32 | index << 8 | 0x80` (added with SIMD instead of entry by entry).
    let slots: [UInt64]
    /// Dense copies of long rows: ``stride(forClasses:)`` Int32 scores each, padding lanes 0.
    let denseRows: [Int32]
    /// Rows with more entries than this are kept dense.
    static let denseAbove = 16
    /// The flag of a dense row's slot.
    static let denseFlag: UInt64 = 0x80
    let slotMask: Int
    let dictionary: HashIndex
    /// Normalized word → ambiguity class id (the set of classes the word had in training).
    let lexicon: HashIndex
    /// Free-form facts about the model (training files, epochs, seed, ...).
    public let metadata: [String: String]

    /// Number of classes.
    public var classCount: Int { classXPOS.count }
    /// Number of weight rows (features kept).
    public var featureCount: Int { rowKeys.count }
    /// Number of non-zero weights.
    public var weightCount: Int { entries.count }
    /// Number of words in the tag dictionary.
    public var dictionaryCount: Int { dictionary.count }

    @inline(__always)
    static func fingerprint(_ key: UInt64) -> UInt64 { (key >> 32) | 1 }

    /// Builds a model from quantized sparse rows.
    init(
        classXPOS: [UInt8], classUPOS: [UInt8], rowKeys: [UInt64], rowStarts: [UInt32], entries: [UInt32], scale: Float,
        dictionary: HashIndex, lexicon: HashIndex, metadata: [String: String]
    ) {
        precondition(entries.count < 1 << 24 && rowStarts.count == rowKeys.count + 1, "model too large")
        self.classXPOS = classXPOS
        self.classUPOS = classUPOS
        self.rowKeys = rowKeys
        self.rowStarts = rowStarts
        self.entries = entries
        self.scale = scale
        var size = 16
        while size < rowKeys.count * 3 / 2 + 1 { size <<= 1 }
        var slots = [UInt64](repeating: 0, count: size)
        var denseRows: [Int32] = []
        let stride = POSModel.stride(forClasses: classXPOS.count)
        for (row, key) in rowKeys.enumerated() {
            let start = UInt64(rowStarts[row])
            let length = UInt64(rowStarts[row + 1]) - start
            guard length > 0 else { continue }
            let fp = POSModel.fingerprint(key)
            var slot = Int(truncatingIfNeeded: key) & (size - 1)
            while slots[slot] != 0 && slots[slot] >> 32 != fp { slot = (slot + 1) & (size - 1) }
            let kept = min(length, 255)
            if kept > UInt64(POSModel.denseAbove) {
                let index = UInt64(denseRows.count / stride)
                denseRows.append(contentsOf: repeatElement(0, count: stride))
                for e in Int(start)..<Int(start + kept) {
                    let entry = entries[e]
                    denseRows[Int(index) * stride + Int(entry & 0xff)] &+= Int32(bitPattern: entry) >> 16
                }
                slots[slot] = fp << 32 | index << 8 | POSModel.denseFlag
            } else {
                slots[slot] = fp << 32 | start << 8 | kept
            }
        }
        self.slots = slots
        self.denseRows = denseRows
        self.slotMask = size - 1
        self.dictionary = dictionary
        self.lexicon = lexicon
        self.metadata = metadata
    }

    /// Builds a model from dense rows (`weights[row * stride + class]`, the trainer's layout),
    /// dropping weights whose magnitude is below `pruneBelow`, quantizing the rest.
    convenience init(
        classXPOS: [UInt8], classUPOS: [UInt8], keys: [UInt64], weights: [Float], stride: Int, pruneBelow: Float,
        dictionary: HashIndex, lexicon: HashIndex, metadata: [String: String]
    ) {
        let classCount = classXPOS.count
        var maxAbs: Float = 0
        for row in 0..<keys.count {
            for c in 0..<classCount { maxAbs = max(maxAbs, abs(weights[row * stride + c])) }
        }
        let scale = maxAbs > 0 ? maxAbs / 32767 : 1
        var rowKeys: [UInt64] = []
        var rowStarts: [UInt32] = [0]
        var entries: [UInt32] = []
        for (row, key) in keys.enumerated() {
            let before = entries.count
            for c in 0..<classCount {
                let w = weights[row * stride + c]
                guard w != 0 && abs(w) >= pruneBelow else { continue }
                let q = Int32((w / scale).rounded())
                if q == 0 { continue }
                entries.append(UInt32(bitPattern: q << 16) | UInt32(c))
            }
            if entries.count > before {
                rowKeys.append(key)
                rowStarts.append(UInt32(entries.count))
            }
        }
        self.init(
            classXPOS: classXPOS, classUPOS: classUPOS, rowKeys: rowKeys, rowStarts: rowStarts, entries: entries,
            scale: scale, dictionary: dictionary, lexicon: lexicon, metadata: metadata)
    }

    static func stride(forClasses n: Int) -> Int { (n + 7) / 8 * 8 }

    // MARK: Decoding

    /// Tags the `count` tokens whose byte ranges are in `scratch.starts`/`scratch.ends`,
    /// writing class ids to `scratch.classes`.
    ///
    /// Goes through the scratch's ``POSWordCache`` (per-word pre-summed rows), a window of
    /// at most ``POSWordCache/window`` tokens at a time; the classes are exactly those of
    /// ``tagReference(text:count:scratch:)``. `window` is called after each window
    /// `from..<to` is tagged, while the cache's ``POSWordCache/entryID(_:)`` of its token
    /// `i - from` stands for token `i`'s form.
    func tag(
        text: UnsafeBufferPointer<UInt8>, count: Int, scratch: POSScratch,
        window: (_ from: Int, _ to: Int) -> Void = { _, _ in }
    ) {
        guard count > 0 else { return }
        scratch.reserve(tokens: count)
        let cache = scratch.cache(for: self, maxEntries: scratch.wordCacheSize)
        withTables { tables in
            var p1 = -1
            var p2 = -2
            var from = 0
            while from < count {
                let to = min(count, from + POSWordCache.window)
                cache.prepare(
                    text: text, starts: scratch.starts, ends: scratch.ends, count: count, from: from, to: to,
                    tables: tables)
                cache.decode(count: to - from, tables: tables, classes: scratch.classes + from, p1: &p1, p2: &p2)
                window(from, to)
                from = to
            }
        }
    }

    /// Raw views of the weights and word tables, valid inside ``withTables(_:)``.
    struct Tables {
        let slots: UnsafeBufferPointer<UInt64>
        let entries: UnsafeBufferPointer<UInt32>
        let dense: UnsafePointer<Int32>
        let stride: Int
        let mask: Int
        let lexicon: HashIndex.View
        let dictionary: HashIndex.View

        /// The slot of a feature's row, or 0 when the feature has none.
        @inline(__always)
        func find(_ key: UInt64) -> UInt64 {
            let fp = POSModel.fingerprint(key)
            var slot = Int(truncatingIfNeeded: key) & mask
            while true {
                let s = slots[slot]
                if s >> 32 == fp { return s }
                if s == 0 { return 0 }
                slot = (slot + 1) & mask
            }
        }

        /// The first slot `key` probes, loaded for its side effect: bringing the slot into
        /// the cache before ``find(_:)`` needs it (fold the value into something kept).
        @inline(__always)
        func touch(_ key: UInt64) -> UInt64 { slots[Int(truncatingIfNeeded: key) & mask] }

        /// Adds the row of a slot (from ``find(_:)``) to `scores` (``stride`` values, of
        /// which the padding lanes only ever get zeros).
        @inline(__always)
        func add(_ s: UInt64, into scores: UnsafeMutablePointer<Int32>) {
            if s & POSModel.denseFlag != 0 {
                let row = dense + Int(truncatingIfNeeded: (s >> 8) & 0xff_ffff) * stride
                POSWordCache.add(scores, row, count: stride)
                return
            }
            let start = Int(truncatingIfNeeded: (s >> 8) & 0xff_ffff)
            let end = start + Int(truncatingIfNeeded: s & 0xff)
            for e in start..<end {
                let entry = entries[e]
                scores[Int(entry & 0xff)] &+= Int32(bitPattern: entry) >> 16
            }
        }
    }

    func withTables<R>(_ body: (Tables) -> R) -> R {
        lexicon.withView { lexicon in
            dictionary.withView { dictionary in
                slots.withUnsafeBufferPointer { slots in
                    entries.withUnsafeBufferPointer { entries in
                        denseRows.withUnsafeBufferPointer { dense in
                            body(
                                Tables(
                                    slots: slots, entries: entries,
                                    dense: dense.baseAddress ?? UnsafePointer(bitPattern: 8).unsafelyUnwrapped,
                                    stride: POSModel.stride(forClasses: classCount), mask: slotMask, lexicon: lexicon,
                                    dictionary: dictionary))
                        }
                    }
                }
            }
        }
    }

    /// The plain decoder: every feature of every token hashed and looked up (the reference
    /// the cached ``tag(text:count:scratch:)`` must match exactly; tests compare them).
    func tagReference(text: UnsafeBufferPointer<UInt8>, count: Int, scratch: POSScratch) {
        guard count > 0 else { return }
        let classCount = self.classCount
        scratch.reserve(tokens: count)
        lexicon.withView { lexicon in
            POSFeatures.prepare(
                text: text, starts: scratch.starts, ends: scratch.ends, count: count, lexicon: lexicon,
                attributes: scratch.attributes)
        }
        let attributes = UnsafePointer(scratch.attributes)
        let featureHashes = scratch.featureHashes
        let classes = scratch.classes
        let scores = scratch.scores
        withTables { tables in
            var p1 = -1
            var p2 = -2
            for i in 0..<count {
                let a = attributes + (i + POSFeatures.padding) * POSFeatures.attributeCount
                var c = Int(tables.dictionary.find(a[POSFeatures.exact]))
                if c == Int(UInt32.max) {
                    let n = POSFeatures.extract(
                        attributes: attributes, index: i, previous: p1, beforePrevious: p2, into: featureHashes)
                    scores.update(repeating: 0, count: tables.stride)
                    for f in 0..<n { tables.add(tables.find(featureHashes[f]), into: scores) }
                    var best = 0
                    var bestScore = scores[0]
                    for k in 1..<classCount where scores[k] > bestScore {
                        best = k
                        bestScore = scores[k]
                    }
                    c = best
                }
                classes[i] = UInt16(c)
                p2 = p1
                p1 = c
            }
        }
    }

    // MARK: File format

    /// Sections: `META` (key=value lines), `CLAS` (class pairs), `FEAT` (row count, entry
    /// count, Float32 scale, row keys, row ends, entry classes as UInt8, entry values as Int16), `TDIC` (tag dictionary), `LEXI` (ambiguity classes).
    static let sectionMeta = "META"
    static let sectionClasses = "CLAS"
    static let sectionFeatures = "FEAT"
    static let sectionDictionary = "TDIC"
    static let sectionLexicon = "LEXI"

    /// Loads a model file.
    public convenience init(contentsOf path: String) throws(ModelFormatError) {
        try self.init(file: try ModelFile.load(path: path), path: path)
    }

    /// Builds a model from a parsed file.
    public convenience init(file: ModelFile, path: String) throws(ModelFormatError) {
        guard file.kind == .partOfSpeech else { throw .wrongKind(path: path, expected: "part-of-speech") }
        let metadata = ModelMetadata.decode(try file.section(POSModel.sectionMeta, path: path))
        guard metadata["features"] == String(POSFeatures.version) else {
            throw .corrupt(
                path: path,
                detail:
                    "feature set version \(metadata["features"] ?? "?") differs from this build's \(POSFeatures.version); retrain the model"
            )
        }
        var r = ByteReader(try file.section(POSModel.sectionClasses, path: path), path: path)
        let classCount = Int(try r.u32())
        guard classCount > 1 && classCount < 256 else { throw .corrupt(path: path, detail: "bad class count") }
        var xpos: [UInt8] = []
        var upos: [UInt8] = []
        for _ in 0..<classCount {
            let x = try r.u8()
            let u = try r.u8()
            guard Int(x) < PennTag.names.count, Int(u) < UPOS.names.count else {
                throw .corrupt(path: path, detail: "bad class tag id")
            }
            xpos.append(x)
            upos.append(u)
        }

        r = ByteReader(try file.section(POSModel.sectionFeatures, path: path), path: path)
        let rowCount = Int(try r.u32())
        let entryCount = Int(try r.u32())
        let scale = try r.f32()
        guard entryCount < 1 << 24, scale.isFinite, scale > 0 else {
            throw .corrupt(path: path, detail: "bad weight table")
        }
        let keys = try r.array(UInt64.self, count: rowCount)
        let ends = try r.array(UInt32.self, count: rowCount)
        let entryClasses = try r.bytes(entryCount)
        let entryValues = try r.array(UInt16.self, count: entryCount)
        var rowStarts: [UInt32] = [0]
        rowStarts.reserveCapacity(rowCount + 1)
        var previous: UInt32 = 0
        for row in 0..<rowCount {
            let end = ends[row]
            guard keys[row] != 0, end > previous, Int(end) <= entryCount, end - previous < 256 else {
                throw .corrupt(path: path, detail: "bad feature row")
            }
            rowStarts.append(end)
            previous = end
        }
        var entries = [UInt32](repeating: 0, count: entryCount)
        for e in 0..<entryCount {
            guard Int(entryClasses[e]) < classCount else {
                throw .corrupt(path: path, detail: "bad class in feature row")
            }
            entries[e] = UInt32(entryValues[e]) << 16 | UInt32(entryClasses[e])
        }

        r = ByteReader(try file.section(POSModel.sectionDictionary, path: path), path: path)
        let words = Int(try r.u32())
        let dictKeys = try r.array(UInt64.self, count: words)
        let dictClasses = try r.array(UInt16.self, count: words)
        var dictionary = HashIndex(capacity: words)
        for (k, c) in zip(dictKeys, dictClasses) {
            guard k != 0, Int(c) < classCount else { throw .corrupt(path: path, detail: "bad tag dictionary entry") }
            dictionary.insert(k, UInt32(c))
        }
        r = ByteReader(try file.section(POSModel.sectionLexicon, path: path), path: path)
        let lexiconCount = Int(try r.u32())
        let lexiconKeys = try r.array(UInt64.self, count: lexiconCount)
        let lexiconValues = try r.array(UInt32.self, count: lexiconCount)
        guard let lexicon = HashIndex(keys: lexiconKeys, values: lexiconValues) else {
            throw .corrupt(path: path, detail: "bad lexicon entry")
        }
        self.init(
            classXPOS: xpos, classUPOS: upos, rowKeys: keys, rowStarts: rowStarts, entries: entries, scale: scale,
            dictionary: dictionary, lexicon: lexicon, metadata: metadata)
    }

    /// The model as a file. Rows and dictionary entries are written in key order, so equal
    /// models give identical files.
    public func modelFile() -> ModelFile {
        var file = ModelFile(kind: .partOfSpeech)
        var meta = metadata
        meta["features"] = String(POSFeatures.version)
        file.sections.append((POSModel.sectionMeta, ModelMetadata.encode(meta)))

        var w = ByteWriter()
        w.u32(UInt32(classCount))
        for c in 0..<classCount {
            w.u8(classXPOS[c])
            w.u8(classUPOS[c])
        }
        file.sections.append((POSModel.sectionClasses, w.bytes))

        // Rows in key order, so equal models give identical files.
        let order = rowKeys.indices.sorted { rowKeys[$0] < rowKeys[$1] }
        w = ByteWriter()
        w.u32(UInt32(rowKeys.count))
        w.u32(UInt32(entries.count))
        w.f32(scale)
        for row in order { w.u64(rowKeys[row]) }
        var end: UInt32 = 0
        for row in order {
            end += rowStarts[row + 1] - rowStarts[row]
            w.u32(end)
        }
        for row in order {
            for e in Int(rowStarts[row])..<Int(rowStarts[row + 1]) { w.u8(UInt8(entries[e] & 0xff)) }
        }
        for row in order {
            for e in Int(rowStarts[row])..<Int(rowStarts[row + 1]) { w.u16(UInt16(entries[e] >> 16)) }
        }
        file.sections.append((POSModel.sectionFeatures, w.bytes))

        var dict: [(UInt64, UInt32)] = []
        for (slot, key) in dictionary.keys.enumerated() where key != 0 { dict.append((key, dictionary.values[slot])) }
        dict.sort { $0.0 < $1.0 }
        w = ByteWriter()
        w.u32(UInt32(dict.count))
        for (k, _) in dict { w.u64(k) }
        for (_, c) in dict { w.u16(UInt16(c)) }
        file.sections.append((POSModel.sectionDictionary, w.bytes))

        var lex: [(UInt64, UInt32)] = []
        for (slot, key) in lexicon.keys.enumerated() where key != 0 { lex.append((key, lexicon.values[slot])) }
        lex.sort { $0.0 < $1.0 }
        w = ByteWriter()
        w.u32(UInt32(lex.count))
        for (k, _) in lex { w.u64(k) }
        for (_, v) in lex { w.u32(v) }
        file.sections.append((POSModel.sectionLexicon, w.bytes))
        return file
    }
}

/// Reusable per-worker buffers for ``POSModel/tag(text:count:scratch:)``.
public final class POSScratch {
    private(set) var starts: UnsafeMutablePointer<Int32>
    private(set) var ends: UnsafeMutablePointer<Int32>
    private(set) var classes: UnsafeMutablePointer<UInt16>
    private(set) var attributes: UnsafeMutablePointer<UInt64>
    let featureHashes: UnsafeMutablePointer<UInt64>
    let scores: UnsafeMutablePointer<Int32>
    private var capacity = 64
    private var wordCache: POSWordCache?
    /// Words the cache keeps (tests make it small to exercise evictions).
    var wordCacheSize = POSWordCache.defaultMaxEntries

    /// The word cache for `model` (a new one when the model or the size changed).
    func cache(for model: POSModel, maxEntries: Int = POSWordCache.defaultMaxEntries) -> POSWordCache {
        if let cache = wordCache, cache.model === model, cache.maxEntries == maxEntries { return cache }
        let cache = POSWordCache(model: model, maxEntries: maxEntries)
        wordCache = cache
        return cache
    }

    /// The word cache of the last ``POSModel/tag(text:count:scratch:)``: its
    /// ``POSWordCache/entryID(_:)`` of a token stands for the token's exact form until the
    /// cache's generation changes (or another cache replaces it).
    var currentCache: POSWordCache? { wordCache }

    /// Empty buffers; they grow with the longest sentence seen.
    public init() {
        starts = .allocate(capacity: capacity)
        ends = .allocate(capacity: capacity)
        classes = .allocate(capacity: capacity)
        attributes = .allocate(capacity: (capacity + 2 * POSFeatures.padding) * POSFeatures.attributeCount)
        featureHashes = .allocate(capacity: POSFeatures.maxFeatures)
        scores = .allocate(capacity: 256)
    }

    deinit {
        starts.deallocate()
        ends.deallocate()
        classes.deallocate()
        attributes.deallocate()
        featureHashes.deallocate()
        scores.deallocate()
    }

    /// Makes room for `tokens` tokens, keeping the token ranges already set.
    func reserve(tokens: Int) {
        guard tokens > capacity else { return }
        let newCapacity = max(tokens, capacity * 2)
        let newStarts = UnsafeMutablePointer<Int32>.allocate(capacity: newCapacity)
        let newEnds = UnsafeMutablePointer<Int32>.allocate(capacity: newCapacity)
        newStarts.update(from: starts, count: capacity)
        newEnds.update(from: ends, count: capacity)
        starts.deallocate()
        ends.deallocate()
        starts = newStarts
        ends = newEnds
        classes.deallocate()
        classes = .allocate(capacity: newCapacity)
        attributes.deallocate()
        attributes = .allocate(capacity: (newCapacity + 2 * POSFeatures.padding) * POSFeatures.attributeCount)
        capacity = newCapacity
    }

    /// Sets the byte range of token `i` (growing the buffers as needed).
    @inline(__always)
    func setToken(_ i: Int, start: Int32, end: Int32) {
        if i >= capacity { reserve(tokens: i + 1) }
        starts[i] = start
        ends[i] = end
    }

    /// The class predicted for token `i` by the last ``POSModel/tag(text:count:scratch:)``.
    @inline(__always)
    func predictedClass(_ i: Int) -> Int { Int(classes[i]) }
}

/// Encodes model metadata as sorted `key=value` lines.
enum ModelMetadata {
    static func encode(_ meta: [String: String]) -> [UInt8] {
        var s = ""
        for key in meta.keys.sorted() {
            let value = meta[key, default: ""].replacingNewlines()
            s += "\(key)=\(value)\n"
        }
        return Array(s.utf8)
    }

    static func decode(_ bytes: [UInt8]) -> [String: String] {
        var meta: [String: String] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            meta[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        return meta
    }
}

extension String {
    fileprivate func replacingNewlines() -> String {
        String(map { $0 == "\n" ? " " : $0 })
    }
}

extension POSModel {
    /// A copy without the weights whose magnitude is below `threshold` (rows left empty are dropped).
    public func pruned(below threshold: Float) -> POSModel {
        var keys: [UInt64] = []
        var starts: [UInt32] = [0]
        var kept: [UInt32] = []
        for row in rowKeys.indices {
            let before = kept.count
            for e in Int(rowStarts[row])..<Int(rowStarts[row + 1]) {
                let value = Float(Int32(bitPattern: entries[e]) >> 16) * scale
                if abs(value) >= threshold { kept.append(entries[e]) }
            }
            if kept.count > before {
                keys.append(rowKeys[row])
                starts.append(UInt32(kept.count))
            }
        }
        return POSModel(
            classXPOS: classXPOS, classUPOS: classUPOS, rowKeys: keys, rowStarts: starts, entries: kept, scale: scale,
            dictionary: dictionary, lexicon: lexicon, metadata: metadata)
    }
}

extension POSModel {
    /// Tags one sentence given as words: (Penn tag, UPOS) names per word (allocates; for
    /// tests and tools; the tag stage works on byte spans).
    public func tags(for words: [String]) -> [(tag: String, pos: String)] {
        var text: [UInt8] = []
        let scratch = POSScratch()
        for (i, word) in words.enumerated() {
            let start = Int32(text.count)
            text.append(contentsOf: word.utf8)
            scratch.setToken(i, start: start, end: Int32(text.count))
            text.append(0x20)
        }
        text.withUnsafeBufferPointer { tag(text: $0, count: words.count, scratch: scratch) }
        return words.indices.map {
            let c = scratch.predictedClass($0)
            return (PennTag.names[Int(classXPOS[c])], UPOS.names[Int(classUPOS[c])])
        }
    }
}
