/// A lemmatizer: an exception table for irregular forms plus suffix edit rules keyed by
/// Penn tag, both learned from UD training lemmas (see ``LemmatizerTrainer``).
///
/// Conventions are UD English's (and spaCy's): lemmas are lower-case except for proper
/// nouns and *I*. A form keeps its case when its UPOS is `PROPN` or its Penn tag is `NNP` or
/// `NNPS` (UD English keeps the case of `NNP`-tagged adjectives and verbs too: *Fair*,
/// *United*); other forms are lower-cased (ASCII). The form is then looked up, as (Penn tag,
/// form), in the exception table (the forms the rules get wrong, and the frequent training
/// forms, which a lookup lemmatizes faster than the rules); otherwise three learned steps apply:
/// - a lower-case `NNP`/`NNPS` form that is not itself a training lemma but whose capitalized
///   form is, is capitalized (*canada* → *Canada*);
/// - under the Penn tags whose training lemmas drop digit-group commas (`CD`), a number
///   like *1,100* loses them (*1100*);
/// - the rule of its longest known suffix under its Penn tag applies (strip some bytes,
///   append others); among the rules of all matching suffixes, the longest whose result is
///   a training lemma wins. With no rule, the lemma is the form.
///
/// Immutable once built; lookups do no allocation.
public final class Lemmatizer: Sendable {
    /// Whole (Penn tag, source form) entries: the forms the rules get wrong and the frequent
    /// training forms (a lookup is cheaper than the rules). An empty lemma means "the source".
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
    /// Bit `t` set: Penn tag id `t` drops commas between digit groups (learned; see ``LemmatizerTrainer``).
    let digitCommaTags: UInt64
    /// Free-form facts about the model.
    public let metadata: [String: String]

    /// Version of the rule semantics; a file written under other semantics is refused.
    static let rulesVersion = "2"

    /// Number of whole-form entries (exceptions and frequent forms).
    public var exceptionCount: Int { exceptions.count }
    /// Number of suffix rules.
    public var ruleCount: Int { rules.count }

    init(
        exceptions: HashIndex, exceptionOffsets: [UInt32], rules: HashIndex, ruleOffsets: [UInt32], ruleStrip: [UInt8],
        blob: [UInt8], maxSuffix: Int, knownLemmas: HashIndex, digitCommaTags: UInt64, metadata: [String: String]
    ) {
        self.knownLemmas = knownLemmas
        self.digitCommaTags = digitCommaTags
        self.exceptions = exceptions
        self.exceptionOffsets = exceptionOffsets
        self.rules = rules
        self.ruleOffsets = ruleOffsets
        self.ruleStrip = ruleStrip
        self.blob = blob
        self.maxSuffix = maxSuffix
        self.metadata = metadata
    }

    /// UPOS `PROPN` and Penn `NNP`, `NNPS` (literals, so the hot path reads constants; a test
    /// checks them against ``UPOS`` and ``PennTag``).
    static let properNoun: UInt8 = 12
    static let nnp: UInt8 = 25
    static let nnps: UInt8 = 26

    /// True when a form tagged `xpos`/`upos` keeps its case in the lemma.
    @inline(__always)
    static func keepsCase(xpos: UInt8, upos: UInt8) -> Bool {
        upos == properNoun || xpos == nnp || xpos == nnps
    }

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

    /// The form a lemma is derived from: the form itself for proper nouns (``keepsCase(xpos:upos:)``),
    /// else lower-cased (ASCII).
    @inline(__always)
    static func appendSource(of form: UnsafeBufferPointer<UInt8>, xpos: UInt8, upos: UInt8, to out: inout [UInt8]) {
        if keepsCase(xpos: xpos, upos: upos) {
            out.append(contentsOf: form)
        } else {
            for b in form { out.append((b >= 0x41 && b <= 0x5A) ? b | 0x20 : b) }
        }
    }

    /// Replaces `out` with the lemma of `form` tagged `xpos`/`upos`.
    public func lemmatize(_ form: UnsafeBufferPointer<UInt8>, xpos: UInt8, upos: UInt8, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        Lemmatizer.appendSource(of: form, xpos: xpos, upos: upos, to: &out)
        let found: UInt32? = out.withUnsafeBufferPointer { source in
            exceptions.find(Lemmatizer.exceptionKey(xpos: xpos, source: source))
        }
        if let entry = found {
            let e = Int(entry)
            let start = Int(exceptionOffsets[e])
            let end = Int(exceptionOffsets[e + 1])
            // An empty lemma marks a stored form whose lemma is the form itself.
            if end > start {
                out.removeAll(keepingCapacity: true)
                out.append(contentsOf: blob[start..<end])
            }
            return
        }
        applyRules(xpos: xpos, to: &out)
    }

    /// True when `bytes` hash to a training lemma.
    @inline(__always)
    func isKnownLemma(_ bytes: UnsafeBufferPointer<UInt8>, firstByte: UInt8? = nil) -> Bool {
        var h = FeatureHash.offsetBasis
        for (i, b) in bytes.enumerated() { h = FeatureHash.step(h, i == 0 ? firstByte ?? b : b) }
        return knownLemmas.find(FeatureHash.mix(h) | 1) != nil
    }

    /// Applies the learned steps that follow the exception table to a source form, in place.
    func applyRules(xpos: UInt8, to out: inout [UInt8]) {
        let count = out.count
        guard count > 0 else { return }
        // A lower-case proper noun whose capitalized form is a training lemma (and it is not).
        if xpos == Lemmatizer.nnp || xpos == Lemmatizer.nnps {
            let capitalize: Bool = out.withUnsafeBufferPointer { source in
                for b in source where b < 0x61 || b > 0x7A { return false }
                return !isKnownLemma(source) && isKnownLemma(source, firstByte: source[0] &- 0x20)
            }
            if capitalize { out[0] &-= 0x20 }
        }
        // Digit groups: 1,100 -> 1100 under the tags whose training lemmas do so.
        if xpos < 64, digitCommaTags & (1 << UInt64(xpos)) != 0, Lemmatizer.isDigitGroupNumber(out) {
            out.removeAll { $0 == 0x2C }
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
                    let strip = Int(ruleStrip[rule])
                    // A rule may strip more than the suffix it matched (a tag's default rule
                    // matches the empty suffix); it never cuts a character in two ("é" as NNS
                    // is not "\u{C3}"), so a form that is not what training saw stays whole.
                    if strip > 0 && strip < count && source[count - strip] & 0xC0 == 0x80 {
                        k -= 1
                        continue
                    }
                    if chosen == nil { chosen = rule }
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

    /// True for a number written with comma-separated digit groups: `1,100`, `12,345,678.5`.
    static func isDigitGroupNumber<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        var lead = 0
        var groups = 0
        var run = 0
        var afterPoint = -1
        for b in bytes {
            if b >= 0x30 && b <= 0x39 {
                run += 1
                if afterPoint >= 0 { afterPoint += 1 }
            } else if b == 0x2C && afterPoint < 0 {
                if groups == 0 {
                    guard run >= 1 && run <= 3 else { return false }
                    lead = run
                } else {
                    guard run == 3 else { return false }
                }
                groups += 1
                run = 0
            } else if b == 0x2E && afterPoint < 0 && groups > 0 && run == 3 {
                afterPoint = 0
                run = 0
            } else {
                return false
            }
        }
        guard lead > 0 && groups > 0 else { return false }
        return afterPoint < 0 ? run == 3 : afterPoint > 0
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
        guard metadata["rules"] == Lemmatizer.rulesVersion else {
            throw .corrupt(
                path: path,
                detail:
                    "lemmatizer rules version \(metadata["rules"] ?? "1") differs from this build's \(Lemmatizer.rulesVersion); retrain the model"
            )
        }
        var digitCommaTags: UInt64 = 0
        for name in (metadata["digit_comma_tags"] ?? "").split(separator: ",") {
            guard let t = PennTag.id(String(name)), t < 64 else {
                throw .corrupt(path: path, detail: "unknown tag '\(name)' in digit_comma_tags")
            }
            digitCommaTags |= 1 << UInt64(t)
        }
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
            ruleStrip: ruleStrip, blob: blob, maxSuffix: maxSuffix, knownLemmas: knownLemmas,
            digitCommaTags: digitCommaTags, metadata: metadata)
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
