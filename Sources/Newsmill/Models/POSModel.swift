/// A trained part-of-speech model: predicts, for each token, one class that is a pair of
/// Penn Treebank tag (``PennTag``) and Universal POS (``UPOS``).
///
/// An averaged perceptron. Each feature hash maps, through an open-addressing table of
/// slots (key and row range in one 16-byte slot, so a lookup costs one cache miss), to a
/// sparse row of (class, weight) entries stored contiguously: the averaged, pruned weights
/// average about four classes per feature, so a sparse row is one cache line where a dense
/// Float32 row of all classes is five, and the dense table does not fit in cache (measured:
/// dense rows with SIMD adds were memory-bound at ~0.25 M tokens/s). A token's scores are
/// the sum of its rows; the arg-max is its class. Decoding is greedy, left to right, with
/// the two previous predicted classes as features. A tag dictionary gives frequent
/// unambiguous words their class without scoring. Immutable once built, so one instance is
/// shared by all workers.
public final class POSModel: Sendable {
    /// Penn tag id of each class.
    public let classXPOS: [UInt8]
    /// UPOS id of each class.
    public let classUPOS: [UInt8]
    let slots: [Slot]
    let slotMask: Int
    let entries: [Entry]
    let dictionary: HashIndex
    /// Normalized word → ambiguity class id (the set of classes the word had in training).
    let lexicon: HashIndex
    /// Free-form facts about the model (training files, epochs, seed, ...).
    public let metadata: [String: String]
    /// Number of weight rows (features kept).
    public let featureCount: Int

    /// A hash slot: a feature key (0 = empty) and its row's range in ``entries``.
    struct Slot {
        var key: UInt64
        var begin: UInt32
        var end: UInt32
    }

    /// One non-zero weight of a row.
    struct Entry {
        var weight: Float
        var classID: UInt32
    }

    /// Number of classes.
    public var classCount: Int { classXPOS.count }
    /// Number of non-zero weights.
    public var weightCount: Int { entries.count }
    /// Number of words in the tag dictionary.
    public var dictionaryCount: Int { dictionary.count }

    /// Builds a model from sparse rows given as (key, entries) in any order.
    init(
        classXPOS: [UInt8], classUPOS: [UInt8], rows: [(key: UInt64, entries: ArraySlice<Entry>)],
        dictionary: HashIndex, lexicon: HashIndex, metadata: [String: String]
    ) {
        self.lexicon = lexicon
        self.classXPOS = classXPOS
        self.classUPOS = classUPOS
        var size = 16
        while size < rows.count * 3 / 2 + 1 { size <<= 1 }
        var slots = [Slot](repeating: Slot(key: 0, begin: 0, end: 0), count: size)
        var entries: [Entry] = []
        entries.reserveCapacity(rows.reduce(0) { $0 + $1.entries.count })
        for row in rows {
            var slot = Int(truncatingIfNeeded: row.key) & (size - 1)
            while slots[slot].key != 0 && slots[slot].key != row.key { slot = (slot + 1) & (size - 1) }
            let begin = UInt32(entries.count)
            entries.append(contentsOf: row.entries)
            slots[slot] = Slot(key: row.key, begin: begin, end: UInt32(entries.count))
        }
        self.slots = slots
        self.slotMask = size - 1
        self.entries = entries
        self.dictionary = dictionary
        self.metadata = metadata
        self.featureCount = rows.count
    }

    /// Builds a model from dense rows (`weights[row * stride + class]`, the trainer's layout),
    /// dropping weights whose magnitude is below `pruneBelow` (and exact zeros).
    convenience init(
        classXPOS: [UInt8], classUPOS: [UInt8], keys: [UInt64], weights: [Float], stride: Int, pruneBelow: Float,
        dictionary: HashIndex, lexicon: HashIndex, metadata: [String: String]
    ) {
        var all: [Entry] = []
        var ranges: [(UInt64, Range<Int>)] = []
        for (row, key) in keys.enumerated() {
            let begin = all.count
            for c in 0..<classXPOS.count {
                let w = weights[row * stride + c]
                if w != 0 && abs(w) >= pruneBelow { all.append(Entry(weight: w, classID: UInt32(c))) }
            }
            if all.count > begin { ranges.append((key, begin..<all.count)) }
        }
        self.init(
            classXPOS: classXPOS, classUPOS: classUPOS, rows: ranges.map { ($0.0, all[$0.1]) }, dictionary: dictionary,
            lexicon: lexicon, metadata: metadata)
    }

    static func stride(forClasses n: Int) -> Int { (n + 7) / 8 * 8 }

    // MARK: Decoding

    /// Tags the `count` tokens whose byte ranges are in `scratch.starts`/`scratch.ends`,
    /// writing class ids to `scratch.classes`.
    func tag(text: UnsafeBufferPointer<UInt8>, count: Int, scratch: POSScratch) {
        guard count > 0 else { return }
        let classCount = self.classCount
        scratch.reserve(tokens: count, stride: POSModel.stride(forClasses: classCount))
        lexicon.withView { lexicon in
            POSFeatures.prepare(
                text: text, starts: scratch.starts, ends: scratch.ends, count: count, lexicon: lexicon,
                attributes: scratch.attributes)
        }
        let attributes = UnsafePointer(scratch.attributes)
        let featureHashes = scratch.featureHashes
        let classes = scratch.classes
        let scores = UnsafeMutableRawPointer(scratch.scores).assumingMemoryBound(to: Float.self)
        let mask = slotMask
        dictionary.withView { dict in
            slots.withUnsafeBufferPointer { slots in
                entries.withUnsafeBufferPointer { entries in
                    var p1 = -1
                    var p2 = -2
                    for i in 0..<count {
                        let a = attributes + (i + POSFeatures.padding) * POSFeatures.attributeCount
                        var c = Int(dict.find(a[POSFeatures.exact]))
                        if c == Int(UInt32.max) {
                            let n = POSFeatures.extract(
                                attributes: attributes, index: i, previous: p1, beforePrevious: p2, into: featureHashes)
                            c = POSModel.best(
                                features: featureHashes, count: n, slots: slots, mask: mask, entries: entries,
                                classCount: classCount, scores: scores)
                        }
                        classes[i] = UInt16(c)
                        p2 = p1
                        p1 = c
                    }
                }
            }
        }
    }

    /// Sums the rows of the features present and returns the best class (lowest id on ties).
    @inline(__always)
    static func best(
        features: UnsafePointer<UInt64>, count n: Int, slots: UnsafeBufferPointer<Slot>, mask: Int,
        entries: UnsafeBufferPointer<Entry>, classCount: Int, scores: UnsafeMutablePointer<Float>
    ) -> Int {
        scores.update(repeating: 0, count: classCount)
        for f in 0..<n {
            let key = features[f]
            var slot = Int(truncatingIfNeeded: key) & mask
            while true {
                let s = slots[slot]
                if s.key == key {
                    for e in Int(s.begin)..<Int(s.end) {
                        let entry = entries[e]
                        scores[Int(entry.classID)] += entry.weight
                    }
                    break
                }
                if s.key == 0 { break }
                slot = (slot + 1) & mask
            }
        }
        var best = 0
        var bestScore = scores[0]
        for k in 1..<classCount where scores[k] > bestScore {
            best = k
            bestScore = scores[k]
        }
        return best
    }

    // MARK: File format

    /// Sections: `META` (key=value lines), `CLAS` (class pairs), `FEAT` (sparse rows of
    /// Int16 weights with a Float32 scale per row), `TDIC` (tag dictionary), `LEXI` (ambiguity classes).
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
                detail: "feature set version \(metadata["features"] ?? "?") differs from this build's \(POSFeatures.version); retrain the model")
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
        let keys = try r.array(UInt64.self, count: rowCount)
        let ends = try r.array(UInt32.self, count: rowCount)
        let scaleBits = try r.array(UInt32.self, count: rowCount)
        let entryClasses = try r.bytes(entryCount)
        let entryValues = try r.array(UInt16.self, count: entryCount)
        var all: [Entry] = []
        all.reserveCapacity(entryCount)
        var rows: [(key: UInt64, entries: ArraySlice<Entry>)] = []
        rows.reserveCapacity(rowCount)
        var ranges: [Range<Int>] = []
        var begin = 0
        for row in 0..<rowCount {
            let end = Int(ends[row])
            guard keys[row] != 0, end >= begin, end <= entryCount else { throw .corrupt(path: path, detail: "bad feature row") }
            let scale = Float(bitPattern: scaleBits[row])
            for e in begin..<end {
                let c = entryClasses[e]
                guard Int(c) < classCount else { throw .corrupt(path: path, detail: "bad class in feature row") }
                all.append(Entry(weight: Float(Int16(bitPattern: entryValues[e])) * scale, classID: UInt32(c)))
            }
            ranges.append(begin..<end)
            begin = end
        }
        for (row, range) in ranges.enumerated() { rows.append((keys[row], all[range])) }

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
        var lexicon = HashIndex(capacity: lexiconCount)
        for (k, v) in zip(lexiconKeys, lexiconValues) {
            guard k != 0 else { throw .corrupt(path: path, detail: "bad lexicon entry") }
            lexicon.insert(k, v)
        }
        self.init(
            classXPOS: xpos, classUPOS: upos, rows: rows, dictionary: dictionary, lexicon: lexicon, metadata: metadata)
    }

    /// The model as a file: weights quantized to Int16 with one Float32 scale per row. Rows
    /// and dictionary entries are written in key order, so equal models give identical files.
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

        let used = slots.filter { $0.key != 0 }.sorted { $0.key < $1.key }
        var keys: [UInt64] = []
        var ends: [UInt32] = []
        var scales: [UInt32] = []
        var entryClasses: [UInt8] = []
        var entryValues: [UInt16] = []
        for slot in used {
            let row = entries[Int(slot.begin)..<Int(slot.end)]
            let maxAbs = row.reduce(Float(0)) { max($0, abs($1.weight)) }
            guard maxAbs > 0 else { continue }
            let scale = maxAbs / 32767
            let before = entryClasses.count
            for e in row {
                let q = Int16((e.weight / scale).rounded())
                if q == 0 { continue }
                entryClasses.append(UInt8(e.classID))
                entryValues.append(UInt16(bitPattern: q))
            }
            if entryClasses.count == before { continue }
            keys.append(slot.key)
            ends.append(UInt32(entryClasses.count))
            scales.append(scale.bitPattern)
        }
        w = ByteWriter()
        w.u32(UInt32(keys.count))
        w.u32(UInt32(entryClasses.count))
        for k in keys { w.u64(k) }
        for e in ends { w.u32(e) }
        for s in scales { w.u32(s) }
        w.bytes.append(contentsOf: entryClasses)
        for v in entryValues { w.u16(v) }
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
    private(set) var scores: UnsafeMutablePointer<SIMD8<Float>>
    private var capacity = 64
    private var scoreChunks = 16

    public init() {
        starts = .allocate(capacity: capacity)
        ends = .allocate(capacity: capacity)
        classes = .allocate(capacity: capacity)
        attributes = .allocate(capacity: (capacity + 2 * POSFeatures.padding) * POSFeatures.attributeCount)
        featureHashes = .allocate(capacity: POSFeatures.maxFeatures)
        scores = .allocate(capacity: scoreChunks)
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
    func reserve(tokens: Int, stride: Int) {
        if tokens > capacity {
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
        if stride / 8 > scoreChunks {
            scores.deallocate()
            scores = .allocate(capacity: stride / 8)
            scoreChunks = stride / 8
        }
    }

    /// Sets the byte range of token `i` (growing the buffers as needed).
    @inline(__always)
    func setToken(_ i: Int, start: Int32, end: Int32) {
        if i >= capacity { reserve(tokens: i + 1, stride: 0) }
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
