/// A lemmatizer: an exception table for irregular forms plus suffix edit rules keyed by
/// Penn tag, both learned from UD training lemmas (see ``LemmatizerTrainer``).
///
/// Conventions are UD English's (and spaCy's): lemmas are lower-case except for proper
/// nouns (whose case is kept) and *I*. A form is first looked up, as (Penn tag, form), in
/// the exception table; otherwise the rule of its longest known suffix under its Penn tag
/// applies (strip some bytes, append others); with no rule, the lemma is the form.
/// Immutable once built; lookups do no allocation.
public final class Lemmatizer: Sendable {
    let exceptions: HashIndex
    let rules: HashIndex
    /// Lemma (exceptions) or appended bytes (rules) of each entry: `blob[offsets[i]..<offsets[i + 1]]`.
    let exceptionOffsets: [UInt32]
    let ruleOffsets: [UInt32]
    let ruleStrip: [UInt8]
    let blob: [UInt8]
    /// Longest suffix, in bytes, that rules are keyed by.
    let maxSuffix: Int
    /// Hashes (``lemmaKey(_:)``) of every lemma seen in training: among the rules of the
    /// matching suffixes, the longest whose result is a known lemma wins.
    let knownLemmas: HashIndex
    /// Free-form facts about the model.
    public let metadata: [String: String]

    /// Number of exception entries.
    public var exceptionCount: Int { exceptions.count }
    /// Number of suffix rules.
    public var ruleCount: Int { rules.count }

    init(
        exceptions: HashIndex, exceptionOffsets: [UInt32], rules: HashIndex, ruleOffsets: [UInt32], ruleStrip: [UInt8],
        blob: [UInt8], maxSuffix: Int, knownLemmas: HashIndex, metadata: [String: String]
    ) {
        self.knownLemmas = knownLemmas
        self.exceptions = exceptions
        self.exceptionOffsets = exceptionOffsets
        self.rules = rules
        self.ruleOffsets = ruleOffsets
        self.ruleStrip = ruleStrip
        self.blob = blob
        self.maxSuffix = maxSuffix
        self.metadata = metadata
    }

    static let properNoun = UPOS.id("PROPN") ?? 0

    @inline(__always)
    static func exceptionKey(xpos: UInt8, source: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = FeatureHash.step(FeatureHash.offsetBasis, 0xEE)
        h = FeatureHash.step(h, xpos)
        for b in source { h = FeatureHash.step(h, b) }
        return FeatureHash.mix(h) | 1
    }

    @inline(__always)
    static func ruleKey(xpos: UInt8, suffix: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = FeatureHash.step(FeatureHash.offsetBasis, 0xAA)
        h = FeatureHash.step(h, xpos)
        h = FeatureHash.step(h, UInt8(truncatingIfNeeded: suffix.count))
        for b in suffix { h = FeatureHash.step(h, b) }
        return FeatureHash.mix(h) | 1
    }

    /// The key of a lemma in ``knownLemmas``.
    static func lemmaKey<C: Collection>(_ lemma: C) -> UInt64 where C.Element == UInt8 {
        FeatureHash.mix(FeatureHash.fnv1a(lemma)) | 1
    }

    /// The form a lemma is derived from: the form itself for proper nouns, else lower-cased (ASCII).
    @inline(__always)
    static func appendSource(of form: UnsafeBufferPointer<UInt8>, upos: UInt8, to out: inout [UInt8]) {
        if upos == properNoun {
            out.append(contentsOf: form)
        } else {
            for b in form { out.append((b >= 0x41 && b <= 0x5A) ? b | 0x20 : b) }
        }
    }

    /// Replaces `out` with the lemma of `form` tagged `xpos`/`upos`.
    public func lemmatize(_ form: UnsafeBufferPointer<UInt8>, xpos: UInt8, upos: UInt8, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        Lemmatizer.appendSource(of: form, upos: upos, to: &out)
        let count = out.count
        let found: UInt32? = out.withUnsafeBufferPointer { source in
            exceptions.find(Lemmatizer.exceptionKey(xpos: xpos, source: source))
        }
        if let entry = found {
            let e = Int(entry)
            out.removeAll(keepingCapacity: true)
            out.append(contentsOf: blob[Int(exceptionOffsets[e])..<Int(exceptionOffsets[e + 1])])
            return
        }
        // The rules of every matching suffix, longest first; the first whose result is a
        // known lemma wins, else the longest.
        var chosen: Int?
        out.withUnsafeBufferPointer { source in
            var k = min(maxSuffix, count)
            while k >= 0 {
                let suffix = UnsafeBufferPointer(rebasing: source[(count - k)..<count])
                if let r = rules.find(Lemmatizer.ruleKey(xpos: xpos, suffix: suffix)) {
                    let rule = Int(r)
                    if chosen == nil { chosen = rule }
                    let strip = Int(ruleStrip[rule])
                    if strip <= count {
                        var h = FeatureHash.offsetBasis
                        for b in source[0..<(count - strip)] { h = FeatureHash.step(h, b) }
                        for b in blob[Int(ruleOffsets[rule])..<Int(ruleOffsets[rule + 1])] {
                            h = FeatureHash.step(h, b)
                        }
                        if knownLemmas.find(FeatureHash.mix(h) | 1) != nil {
                            chosen = rule
                            return
                        }
                    }
                }
                k -= 1
            }
        }
        guard let r = chosen else { return }
        let strip = Int(ruleStrip[r])
        guard strip < count || (strip == count && ruleOffsets[r + 1] > ruleOffsets[r]) else { return }
        out.removeLast(strip)
        out.append(contentsOf: blob[Int(ruleOffsets[r])..<Int(ruleOffsets[r + 1])])
    }

    /// The lemma of a form as a string (allocates; for tests and tools).
    public func lemma(of form: String, xpos: String, upos: String) -> String {
        var out: [UInt8] = []
        let bytes = Array(form.utf8)
        bytes.withUnsafeBufferPointer {
            lemmatize($0, xpos: PennTag.id(xpos) ?? 0, upos: UPOS.id(upos) ?? 0, into: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: File format

    static let sectionMeta = "META"
    static let sectionExceptions = "EXCP"
    static let sectionRules = "RULE"
    static let sectionBlob = "BLOB"
    static let sectionKnownLemmas = "LEMS"

    /// Loads a lemmatizer file.
    public convenience init(contentsOf path: String) throws(ModelFormatError) {
        try self.init(file: try ModelFile.load(path: path), path: path)
    }

    /// Builds a lemmatizer from a parsed file.
    public convenience init(file: ModelFile, path: String) throws(ModelFormatError) {
        guard file.kind == .lemmatizer else { throw .wrongKind(path: path, expected: "lemmatizer") }
        let metadata = ModelMetadata.decode(try file.section(Lemmatizer.sectionMeta, path: path))
        let blob = try file.section(Lemmatizer.sectionBlob, path: path)
        var r = ByteReader(try file.section(Lemmatizer.sectionExceptions, path: path), path: path)
        let exceptionCount = Int(try r.u32())
        let exceptionKeys = try r.array(UInt64.self, count: exceptionCount)
        let exceptionOffsets = try r.array(UInt32.self, count: exceptionCount + 1)
        r = ByteReader(try file.section(Lemmatizer.sectionRules, path: path), path: path)
        let maxSuffix = Int(try r.u32())
        let ruleCount = Int(try r.u32())
        let ruleKeys = try r.array(UInt64.self, count: ruleCount)
        let ruleOffsets = try r.array(UInt32.self, count: ruleCount + 1)
        let ruleStrip = try r.bytes(ruleCount)
        for offsets in [exceptionOffsets, ruleOffsets] {
            for i in 0..<(offsets.count - 1) where offsets[i] > offsets[i + 1] || Int(offsets[i + 1]) > blob.count {
                throw .corrupt(path: path, detail: "bad lemma offsets")
            }
        }
        var exceptions = HashIndex(capacity: exceptionCount)
        for (i, k) in exceptionKeys.enumerated() where k != 0 { exceptions.insert(k, UInt32(i)) }
        r = ByteReader(try file.section(Lemmatizer.sectionKnownLemmas, path: path), path: path)
        let knownCount = Int(try r.u32())
        var knownLemmas = HashIndex(capacity: knownCount)
        for k in try r.array(UInt64.self, count: knownCount) where k != 0 { knownLemmas.insert(k, 1) }
        var rules = HashIndex(capacity: ruleCount)
        for (i, k) in ruleKeys.enumerated() where k != 0 { rules.insert(k, UInt32(i)) }
        self.init(
            exceptions: exceptions, exceptionOffsets: exceptionOffsets, rules: rules, ruleOffsets: ruleOffsets,
            ruleStrip: ruleStrip, blob: blob, maxSuffix: maxSuffix, knownLemmas: knownLemmas, metadata: metadata)
    }

    /// The lemmatizer as a file (entries in key order, so equal models give equal files).
    public func modelFile() -> ModelFile {
        var file = ModelFile(kind: .lemmatizer)
        file.sections.append((Lemmatizer.sectionMeta, ModelMetadata.encode(metadata)))
        var newBlob: [UInt8] = []
        func entries(_ index: HashIndex, _ offsets: [UInt32]) -> (keys: [UInt64], offsets: [UInt32], order: [Int]) {
            var pairs: [(UInt64, Int)] = []
            for (slot, key) in index.keys.enumerated() where key != 0 { pairs.append((key, Int(index.values[slot]))) }
            pairs.sort { $0.0 < $1.0 }
            var newOffsets: [UInt32] = [UInt32(newBlob.count)]
            for (_, e) in pairs {
                newBlob.append(contentsOf: blob[Int(offsets[e])..<Int(offsets[e + 1])])
                newOffsets.append(UInt32(newBlob.count))
            }
            return (pairs.map(\.0), newOffsets, pairs.map(\.1))
        }
        let ex = entries(exceptions, exceptionOffsets)
        var w = ByteWriter()
        w.u32(UInt32(ex.keys.count))
        for k in ex.keys { w.u64(k) }
        for o in ex.offsets { w.u32(o) }
        file.sections.append((Lemmatizer.sectionExceptions, w.bytes))
        let ru = entries(rules, ruleOffsets)
        w = ByteWriter()
        w.u32(UInt32(maxSuffix))
        w.u32(UInt32(ru.keys.count))
        for k in ru.keys { w.u64(k) }
        // Rule offsets continue after the exceptions in the shared blob.
        for o in ru.offsets { w.u32(o) }
        for e in ru.order { w.u8(ruleStrip[e]) }
        file.sections.append((Lemmatizer.sectionRules, w.bytes))
        file.sections.append((Lemmatizer.sectionBlob, newBlob))
        w = ByteWriter()
        let known = knownLemmas.keys.filter { $0 != 0 }.sorted()
        w.u32(UInt32(known.count))
        for k in known { w.u64(k) }
        file.sections.append((Lemmatizer.sectionKnownLemmas, w.bytes))
        return file
    }
}
