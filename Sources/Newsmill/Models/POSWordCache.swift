/// A per-worker memo of everything the tagger derives from a word form alone, so a word
/// seen before costs one hash of its bytes and one table probe instead of ~30 hashed
/// lookups into the model's 4 MB slot table (mostly cache misses).
///
/// The perceptron's score of a token is an integer sum of weight rows, one per feature;
/// integer sums do not depend on their order, so any grouping of the rows gives exactly
/// the scores of ``POSModel/tagReference(text:count:scratch:)``. The 49 templates of
/// ``POSFeatures/extract(attributes:index:previous:beforePrevious:into:)`` split into:
///
/// - 33 that read one word only, by its role: itself (templates 1–13, 35, 42, 46, 48), the
///   previous word (14, 18, 20, 31, 50), the one before (15), the next (16, 19, 21, 30, 32,
///   36, 43, 49) and the one after (17, 37). An entry keeps, for itself, as the previous and
///   as the next word, the pre-summed dense row of those features (one Int32 per class; rows
///   are added with SIMD), and for the one-or-two-feature roles (15, 17, 37) their slots.
/// - 7 that read two neighbouring words (26, 27, 29, 34, 39, 41, 45): the entry keeps the
///   inner half of their hash (``FeatureHash/feature(_:_:_:)`` is `mix(mix(a ^ t) ^ b)`),
///   and template 29's two possible rows outright.
/// - 9 that read predicted tags (22, 23, 24, 25, 28, 33, 38, 40, 44): the summed rows of 22
///   and 23 are kept dense per pair of previous tags (made when first needed), and the
///   inner hash of the others per tag.
///
/// Before decoding a sentence, ``prepare`` finds every token's entry (creating the missing
/// ones) and sums, for each token that is not in the tag dictionary, the rows that do not
/// depend on predictions into a dense base score row; decoding then adds nine rows per
/// token. Entries are matched on the exact bytes of the form (not only a hash), so results
/// never depend on what the cache holds. When it holds more than ``maxEntries`` words, the
/// most often found ones (up to half) are kept and the others dropped, between windows of
/// a sentence only (``window``), so entry ids stay valid for a window (``generation`` tells
/// when they change).
final class POSWordCache {
    /// The model the entries and tables belong to.
    let model: POSModel
    /// Words kept before an eviction (~1.3 KB each, mostly the three dense rows).
    let maxEntries: Int
    /// Index slots (a power of two, at least twice ``maxEntries``).
    let tableSize: Int
    /// The default ``maxEntries``: 16,384 words, ~21 MB per worker once full. With five dense
    /// rows an entry was 1.8 KB and 16,384 of them took the news pipeline over 150 MB on the
    /// 1 GB bench corpus (157 MB), so it was 8,192; with three (~1.3 KB) 16,384 made the tag
    /// stage 17% faster than 8,192 on the 100 MB corpus (21.1 → 17.5 s, one worker) for
    /// 11 MB more at 2 workers (110 → 121 MB).
    static let defaultMaxEntries = 1 << 14

    /// Bumped whenever entries are dropped: entry ids from before are no longer valid.
    private(set) var generation = 0

    // Entries (the first four are the sentence padding pseudo-tokens, never dropped).
    private(set) var entryCount = 0
    private var entryCapacity = 0
    private var hashes: UnsafeMutablePointer<UInt64>
    /// Times each entry was found again (halved at each eviction).
    private var hits: UnsafeMutablePointer<UInt32>
    private var formStarts: UnsafeMutablePointer<Int32>
    private var formLengths: UnsafeMutablePointer<Int32>
    /// Tag dictionary class, or -1.
    private(set) var dictClasses: UnsafeMutablePointer<Int32>
    /// ``POSFeatures/attributeCount`` attributes per entry.
    private var attributes: UnsafeMutablePointer<UInt64>
    /// ``extraCount`` values per entry: inner hashes of the two-word templates, template 29's slots.
    private var extras: UnsafeMutablePointer<UInt64>
    /// ``roles`` rows of ``stride`` scores per entry.
    private var dense: UnsafeMutablePointer<Int32>

    private var forms: GrowingBuffer<UInt8>
    /// Index: entry id + 1, 0 = empty.
    private let table: UnsafeMutablePointer<Int32>
    private var indexed = 0

    /// Tokens a window holds: longer sentences are tagged a window at a time, with the
    /// words around a window and the tags before it as context, so the classes are the same
    /// as in one go while memory stays bounded (a "sentence" of a million tokens, a table
    /// without full stops, would otherwise need ~400 bytes a token, and a cache entry for
    /// every distinct word in it).
    static let window = 256

    // Per window: entry ids with two context ids on each side, and base score rows.
    private(set) var ids: UnsafeMutablePointer<Int32>
    private(set) var base: UnsafeMutablePointer<Int32>
    /// Six two-word feature keys per token (``prepare``'s first pass).
    private var keys: UnsafeMutablePointer<UInt64>
    /// Where the prefetching loads' values go, so that the optimizer keeps them.
    private(set) var sink: UInt64 = 0
    let stride: Int

    // Per model: rows of the tag templates.
    private let tagCount: Int
    /// Dense rows of templates 22 + 23 per (previous, before previous) tag index; made on first use.
    private let pairRows: UnsafeMutablePointer<Int32>
    private let pairReady: UnsafeMutablePointer<Bool>
    /// 7 inner hashes per tag index (tag + 2): templates 24, 25, 28, 33, 38, 40, 44.
    private let tagInner: UnsafeMutablePointer<UInt64>

    /// Roles kept as dense rows, in order: itself, as the previous word, as the next word.
    /// The roles of one or two features (as the word before the previous one: template 15;
    /// as the one after the next: 17 and 37) keep their slots instead (``slot15`` ...):
    /// adding a slot's row costs about what adding a dense row does, and an entry is 40%
    /// smaller, so the cache holds more words in the same memory.
    static let roles = 3

    static let extraCount = 11
    static let inner26 = 0
    static let inner27 = 1
    static let inner34 = 2
    static let inner39 = 3
    static let inner41 = 4
    static let inner45 = 5
    static let slot29First = 6
    static let slot29Other = 7
    static let slot15 = 8
    static let slot17 = 9
    static let slot37 = 10

    init(model: POSModel, maxEntries: Int = POSWordCache.defaultMaxEntries) {
        self.model = model
        self.maxEntries = max(maxEntries, 1)
        var size = 16
        while size < 2 * self.maxEntries { size <<= 1 }
        tableSize = size
        stride = POSModel.stride(forClasses: model.classCount)
        hashes = .allocate(capacity: 1)
        hits = .allocate(capacity: 1)
        formStarts = .allocate(capacity: 1)
        formLengths = .allocate(capacity: 1)
        dictClasses = .allocate(capacity: 1)
        attributes = .allocate(capacity: 1)
        extras = .allocate(capacity: 1)
        dense = .allocate(capacity: 1)
        entryCapacity = 1
        forms = GrowingBuffer(capacity: 1 << 16)
        table = .allocate(capacity: tableSize)
        table.initialize(repeating: 0, count: tableSize)
        ids = .allocate(capacity: POSWordCache.window + 4)
        base = .allocate(capacity: POSWordCache.window * stride)
        keys = .allocate(capacity: POSWordCache.window * 6)
        tagCount = model.classCount + 2
        pairRows = .allocate(capacity: tagCount * tagCount * stride)
        pairReady = .allocate(capacity: tagCount * tagCount)
        pairReady.initialize(repeating: false, count: tagCount * tagCount)
        tagInner = .allocate(capacity: tagCount * 7)
        // No copying while filling up (pages are touched lazily): a window adds at most
        // window + 4 entries after the eviction check.
        growEntries(to: self.maxEntries + POSWordCache.window + 8)
        model.withTables { tables in
            for t in 0..<tagCount {
                let h = POSFeatures.tagHash(t - 2)
                for (k, template) in [24, 25, 28, 33, 38, 40, 44].enumerated() {
                    tagInner[t * 7 + k] = POSWordCache.inner(UInt64(template), h)
                }
            }
            addPads(tables)
        }
    }

    deinit {
        hashes.deallocate()
        hits.deallocate()
        formStarts.deallocate()
        formLengths.deallocate()
        dictClasses.deallocate()
        attributes.deallocate()
        extras.deallocate()
        dense.deallocate()
        forms.deallocate()
        table.deallocate()
        ids.deallocate()
        base.deallocate()
        keys.deallocate()
        pairRows.deallocate()
        pairReady.deallocate()
        tagInner.deallocate()
    }

    /// The first half of a two-attribute feature hash (``FeatureHash/feature(_:_:_:)``).
    @inline(__always)
    static func inner(_ template: UInt64, _ a: UInt64) -> UInt64 {
        FeatureHash.mix(a ^ (template &* 0xd6e8_feb8_6659_fd93))
    }

    /// The second half.
    @inline(__always)
    static func outer(_ inner: UInt64, _ b: UInt64) -> UInt64 { FeatureHash.mix(inner ^ b) | 1 }

    private func growEntries(to newCapacity: Int) {
        func grow<T>(_ p: inout UnsafeMutablePointer<T>, _ per: Int) {
            let q = UnsafeMutablePointer<T>.allocate(capacity: newCapacity * per)
            q.moveInitialize(from: p, count: entryCount * per)
            p.deallocate()
            p = q
        }
        grow(&hashes, 1)
        grow(&hits, 1)
        grow(&formStarts, 1)
        grow(&formLengths, 1)
        grow(&dictClasses, 1)
        grow(&attributes, POSFeatures.attributeCount)
        grow(&extras, POSWordCache.extraCount)
        grow(&dense, POSWordCache.roles * stride)
        entryCapacity = newCapacity
    }

    /// Keeps the most used words (at most half of ``maxEntries``, those seen more than
    /// once) and drops the others; ids of kept entries change.
    private func evict() {
        // The smallest hit count that keeps at most half the entries.
        var histogram = [Int](repeating: 0, count: 256)
        for e in 4..<entryCount { histogram[Int(min(hits[e], 255))] += 1 }
        var threshold = 256
        var kept = 0
        while threshold > 1 && kept + histogram[threshold - 1] <= maxEntries / 2 {
            threshold -= 1
            kept += histogram[threshold]
        }
        table.update(repeating: 0, count: tableSize)
        indexed = 0
        let ac = POSFeatures.attributeCount
        let xc = POSWordCache.extraCount
        let ds = POSWordCache.roles * stride
        var next = 4
        var formCount = 0
        for e in 4..<entryCount where hits[e] >= UInt32(threshold) {
            let length = Int(formLengths[e])
            let from = forms.base + Int(formStarts[e])
            for j in 0..<length { forms.base[formCount + j] = from[j] }  // forward: never overlaps ahead
            if next != e {
                hashes[next] = hashes[e]
                formLengths[next] = formLengths[e]
                dictClasses[next] = dictClasses[e]
                (attributes + next * ac).update(from: attributes + e * ac, count: ac)
                (extras + next * xc).update(from: extras + e * xc, count: xc)
                (dense + next * ds).update(from: dense + e * ds, count: ds)
            }
            formStarts[next] = Int32(truncatingIfNeeded: formCount)
            hits[next] = hits[e] / 2
            formCount += length
            var slot = slotOf(hashes[next])
            while table[slot] != 0 { slot = (slot + 1) & (tableSize - 1) }
            table[slot] = Int32(truncatingIfNeeded: next + 1)
            indexed += 1
            next += 1
        }
        entryCount = next
        forms.count = formCount
        generation += 1
    }

    private func addPads(_ tables: POSModel.Tables) {
        for p in 0..<POSFeatures.padding {
            POSFeatures.fillPad(attributes + p * POSFeatures.attributeCount, POSFeatures.startHash &+ UInt64(p))
        }
        for p in 0..<POSFeatures.padding {
            POSFeatures.fillPad(
                attributes + (POSFeatures.padding + p) * POSFeatures.attributeCount, POSFeatures.endHash &+ UInt64(p))
        }
        for e in 0..<4 {
            hashes[e] = 0
            hits[e] = 0
            formStarts[e] = 0
            formLengths[e] = -1  // never matches a form
            dictClasses[e] = -1
            entryCount = e + 1
            finishEntry(e, tables)
        }
    }

    /// Ids of the pads: positions 0 and 1 (before the first token) and count + 2, count + 3.
    static let padStart = 0
    static let padEnd = 2

    /// Finds or creates the entries of the tokens `from..<to` of a sentence of `count`
    /// tokens (at most ``window``) and of the two words on each side, and the base rows of
    /// the window's tokens that are not in the tag dictionary. Entry ids from an earlier
    /// window may be invalid after this (an eviction).
    func prepare(
        text: UnsafeBufferPointer<UInt8>, starts: UnsafePointer<Int32>, ends: UnsafePointer<Int32>, count: Int,
        from: Int, to: Int, tables: POSModel.Tables
    ) {
        precondition(from >= 0 && from < to && to <= count && to - from <= POSWordCache.window)
        if entryCount - 4 >= maxEntries { evict() }
        // ids[k] is sentence position from - 2 + k: a pad outside the sentence.
        for k in 0..<(to - from + 4) {
            let i = from - 2 + k
            let id: Int
            if i < 0 {
                id = POSWordCache.padStart + i + 2
            } else if i >= count {
                id = POSWordCache.padEnd + i - count
            } else {
                id = entry(text: text, start: Int(starts[i]), end: Int(ends[i]), tables: tables)
            }
            ids[k] = Int32(truncatingIfNeeded: id)
        }
        let first = from == 0
        let count = to - from
        let ac = POSFeatures.attributeCount
        let ds = POSWordCache.roles * stride
        let classCount = model.classCount
        // Pass 1: the six two-word feature keys of every token to score, and a load of
        // each key's first slot. The loads do not wait on each other (no branch depends
        // on them), so the table's cache misses overlap instead of stalling one by one
        // in pass 2's probing loops.
        var sink: UInt64 = 0
        for i in 0..<count {
            let e = Int(ids[i + 2])
            let k = keys + i * 6
            guard dictClasses[e] < 0 else { continue }
            let m1 = Int(ids[i + 1])
            let n1 = Int(ids[i + 3])
            let a = attributes + e * ac
            let am1 = attributes + m1 * ac
            let an1 = attributes + n1 * ac
            let x = extras + e * POSWordCache.extraCount
            let xm1 = extras + m1 * POSWordCache.extraCount
            k[0] = POSWordCache.outer(x[POSWordCache.inner26], an1[POSFeatures.norm])
            k[1] = POSWordCache.outer(xm1[POSWordCache.inner27], a[POSFeatures.norm])
            k[2] = POSWordCache.outer(xm1[POSWordCache.inner34], an1[POSFeatures.norm])
            k[3] = POSWordCache.outer(x[POSWordCache.inner39], an1[POSFeatures.ambiguity])
            k[4] = POSWordCache.outer(xm1[POSWordCache.inner41], a[POSFeatures.ambiguity])
            k[5] = POSWordCache.outer(x[POSWordCache.inner45], am1[POSFeatures.shortShape])
            sink ^= tables.touch(k[0]) ^ tables.touch(k[1]) ^ tables.touch(k[2])
            sink ^= tables.touch(k[3]) ^ tables.touch(k[4]) ^ tables.touch(k[5])
        }
        self.sink = sink
        // Pass 2: the base rows.
        for i in 0..<count {
            let e = Int(ids[i + 2])
            guard dictClasses[e] < 0 else { continue }
            let m2 = Int(ids[i])
            let m1 = Int(ids[i + 1])
            let n1 = Int(ids[i + 3])
            let n2 = Int(ids[i + 4])
            let x = extras + e * POSWordCache.extraCount
            let k = keys + i * 6
            let found = (
                tables.find(k[0]), tables.find(k[1]), tables.find(k[2]), tables.find(k[3]), tables.find(k[4]),
                tables.find(k[5])
            )
            let row = base + i * stride
            POSWordCache.sum(
                row, dense + e * ds, dense + m1 * ds + stride, dense + n1 * ds + 2 * stride, count: stride)
            let xm2 = extras + m2 * POSWordCache.extraCount
            let xn2 = extras + n2 * POSWordCache.extraCount
            tables.add(xm2[POSWordCache.slot15], into: row)
            tables.add(xn2[POSWordCache.slot17], into: row)
            tables.add(xn2[POSWordCache.slot37], into: row)
            tables.add(x[i == 0 && first ? POSWordCache.slot29First : POSWordCache.slot29Other], into: row)
            tables.add(found.0, into: row)
            tables.add(found.1, into: row)
            tables.add(found.2, into: row)
            tables.add(found.3, into: row)
            tables.add(found.4, into: row)
            tables.add(found.5, into: row)
            // Padding lanes never win the arg-max.
            for k in classCount..<stride { row[k] = .min }
        }
    }

    /// `out = a + b + c` over `count` Int32 values (a multiple of 8).
    @inline(__always)
    static func sum(
        _ out: UnsafeMutablePointer<Int32>, _ a: UnsafePointer<Int32>, _ b: UnsafePointer<Int32>,
        _ c: UnsafePointer<Int32>, count: Int
    ) {
        var k = 0
        while k < count {
            let v =
                UnsafeRawPointer(a + k).loadUnaligned(as: SIMD8<Int32>.self)
                &+ UnsafeRawPointer(b + k).loadUnaligned(as: SIMD8<Int32>.self)
                &+ UnsafeRawPointer(c + k).loadUnaligned(as: SIMD8<Int32>.self)
            UnsafeMutableRawPointer(out + k).storeBytes(of: v, as: SIMD8<Int32>.self)
            k += 8
        }
    }

    /// `out += a` over `count` Int32 values (a multiple of 8).
    @inline(__always)
    static func add(_ out: UnsafeMutablePointer<Int32>, _ a: UnsafePointer<Int32>, count: Int) {
        var k = 0
        while k < count {
            let v =
                UnsafeRawPointer(out + k).loadUnaligned(as: SIMD8<Int32>.self)
                &+ UnsafeRawPointer(a + k).loadUnaligned(as: SIMD8<Int32>.self)
            UnsafeMutableRawPointer(out + k).storeBytes(of: v, as: SIMD8<Int32>.self)
            k += 8
        }
    }

    /// The first index of the largest of `count` values (a multiple of 8).
    @inline(__always)
    static func argmax(_ row: UnsafePointer<Int32>, count: Int) -> Int {
        var m = UnsafeRawPointer(row).loadUnaligned(as: SIMD8<Int32>.self)
        var k = 8
        while k < count {
            m = pointwiseMax(m, UnsafeRawPointer(row + k).loadUnaligned(as: SIMD8<Int32>.self))
            k += 8
        }
        let best = SIMD8(repeating: m.max())
        k = 0
        while !any(UnsafeRawPointer(row + k).loadUnaligned(as: SIMD8<Int32>.self) .== best) { k += 8 }
        while row[k] != best[0] { k += 1 }
        return k
    }

    /// The dense row of templates 22 and 23 for previous tag indexes `t1`, `t2`.
    @inline(__always)
    private func pairRow(_ t1: Int, _ t2: Int, _ tables: POSModel.Tables) -> UnsafeMutablePointer<Int32> {
        let pair = t1 * tagCount + t2
        let row = pairRows + pair * stride
        if !pairReady[pair] {
            row.initialize(repeating: 0, count: stride)
            let h1 = POSFeatures.tagHash(t1 - 2)
            tables.add(tables.find(FeatureHash.feature(22, h1)), into: row)
            tables.add(tables.find(FeatureHash.feature(23, h1, POSFeatures.tagHash(t2 - 2))), into: row)
            pairReady[pair] = true
        }
        return row
    }

    /// Greedy left-to-right decoding of the prepared window's `count` tokens into
    /// `classes`; `p1` and `p2` are the classes of the two tokens before it (-1 and -2
    /// before a sentence's first token), updated for the next window.
    func decode(
        count: Int, tables: POSModel.Tables, classes: UnsafeMutablePointer<UInt16>, p1: inout Int, p2: inout Int
    ) {
        let ac = POSFeatures.attributeCount
        var found = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        for i in 0..<count {
            let e = Int(ids[i + 2])
            var c = Int(dictClasses[e])
            if c < 0 {
                let t1 = p1 + 2
                let t2 = p2 + 2
                let a = attributes + e * ac
                let an1 = attributes + Int(ids[i + 3]) * ac
                let inner = tagInner + t1 * 7
                found.0 = tables.find(POSWordCache.outer(inner[0], a[POSFeatures.norm]))
                found.1 = tables.find(POSWordCache.outer(inner[1], a[POSFeatures.suffix1 + 2]))
                found.2 = tables.find(POSWordCache.outer(inner[2], an1[POSFeatures.norm]))
                found.3 = tables.find(POSWordCache.outer(inner[3], an1[POSFeatures.suffix1 + 2]))
                found.4 = tables.find(POSWordCache.outer(inner[4], an1[POSFeatures.ambiguity]))
                found.5 = tables.find(POSWordCache.outer(inner[5], a[POSFeatures.ambiguity]))
                found.6 = tables.find(POSWordCache.outer(tagInner[t2 * 7 + 6], a[POSFeatures.norm]))
                let row = base + i * stride
                POSWordCache.add(row, pairRow(t1, t2, tables), count: stride)
                tables.add(found.0, into: row)
                tables.add(found.1, into: row)
                tables.add(found.2, into: row)
                tables.add(found.3, into: row)
                tables.add(found.4, into: row)
                tables.add(found.5, into: row)
                tables.add(found.6, into: row)
                c = POSWordCache.argmax(row, count: stride)
            }
            classes[i] = UInt16(truncatingIfNeeded: c)
            p2 = p1
            p1 = c
        }
    }

    /// The entry id of token `i` of the prepared window (``ids`` at position i + 2).
    @inline(__always)
    func entryID(_ i: Int) -> Int { Int(ids[i + 2]) }

    /// A valid pointer for empty forms of an empty text.
    private nonisolated(unsafe) static let noBytes = UnsafePointer(UnsafeMutablePointer<UInt8>.allocate(capacity: 1))

    @inline(__always)
    private func slotOf(_ hash: UInt64) -> Int {
        Int(truncatingIfNeeded: hash ^ (hash &>> 29)) & (tableSize - 1)
    }

    /// The entry of the form `text[start..<end]`, created when missing.
    @inline(__always)
    private func entry(text: UnsafeBufferPointer<UInt8>, start: Int, end: Int, tables: POSModel.Tables) -> Int {
        let length = end - start
        // An empty text (only empty spans) may have no base address.
        let bytes = (text.baseAddress ?? POSWordCache.noBytes) + start
        var h = FeatureHash.offsetBasis
        for j in 0..<length { h = FeatureHash.step(h, bytes[j]) }
        var slot = slotOf(h)
        while true {
            let t = Int(table[slot])
            if t == 0 { break }
            let e = t - 1
            if hashes[e] == h && Int(formLengths[e]) == length {
                let form = forms.base + Int(formStarts[e])
                var same = true
                for j in 0..<length where form[j] != bytes[j] {
                    same = false
                    break
                }
                if same {
                    hits[e] &+= 1
                    return e
                }
            }
            slot = (slot + 1) & (tableSize - 1)
        }
        // A new word.
        if entryCount == entryCapacity { growEntries(to: entryCapacity * 2) }
        let e = entryCount
        hashes[e] = h
        hits[e] = 0
        formStarts[e] = Int32(truncatingIfNeeded: forms.count)
        formLengths[e] = Int32(truncatingIfNeeded: length)
        forms.append(UnsafeBufferPointer(start: bytes, count: length))
        let a = attributes + e * POSFeatures.attributeCount
        POSFeatures.computeToken(text: text, start: start, end: end, out: a)
        POSFeatures.lookUp(lexicon: tables.lexicon, out: a)
        let d = tables.dictionary.find(a[POSFeatures.exact])
        dictClasses[e] = d == .max ? -1 : Int32(truncatingIfNeeded: d)
        entryCount = e + 1
        finishEntry(e, tables)
        if indexed < tableSize / 2 {
            table[slot] = Int32(truncatingIfNeeded: e + 1)
            indexed += 1
        }
        return e
    }

    /// Computes the role rows and extras of entry `e` from its attributes.
    private func finishEntry(_ e: Int, _ tables: POSModel.Tables) {
        let a = attributes + e * POSFeatures.attributeCount
        let x = extras + e * POSWordCache.extraCount
        x[POSWordCache.inner26] = POSWordCache.inner(26, a[POSFeatures.norm])
        x[POSWordCache.inner27] = POSWordCache.inner(27, a[POSFeatures.norm])
        x[POSWordCache.inner34] = POSWordCache.inner(34, a[POSFeatures.norm])
        x[POSWordCache.inner39] = POSWordCache.inner(39, a[POSFeatures.ambiguity])
        x[POSWordCache.inner41] = POSWordCache.inner(41, a[POSFeatures.ambiguity])
        x[POSWordCache.inner45] = POSWordCache.inner(45, a[POSFeatures.shortShape])
        x[POSWordCache.slot29First] = tables.find(FeatureHash.feature(29, a[POSFeatures.shortShape], 1))
        x[POSWordCache.slot29Other] = tables.find(FeatureHash.feature(29, a[POSFeatures.shortShape], 0))

        let d = dense + e * POSWordCache.roles * stride
        d.initialize(repeating: 0, count: POSWordCache.roles * stride)
        let p = POSFeatures.prefix1
        let s = POSFeatures.suffix1
        // Itself: templates 1-13, 35, 42, 46, 48.
        addRow(tables, FeatureHash.feature(1, 0), d)
        addRow(tables, FeatureHash.feature(2, a[POSFeatures.exact]), d)
        addRow(tables, FeatureHash.feature(3, a[POSFeatures.norm]), d)
        addRow(tables, FeatureHash.feature(4, a[p]), d)
        addRow(tables, FeatureHash.feature(5, a[p + 1]), d)
        addRow(tables, FeatureHash.feature(6, a[p + 2]), d)
        addRow(tables, FeatureHash.feature(7, a[p + 3]), d)
        addRow(tables, FeatureHash.feature(8, a[s]), d)
        addRow(tables, FeatureHash.feature(9, a[s + 1]), d)
        addRow(tables, FeatureHash.feature(10, a[s + 2]), d)
        addRow(tables, FeatureHash.feature(11, a[s + 3]), d)
        addRow(tables, FeatureHash.feature(12, a[POSFeatures.shape]), d)
        addRow(tables, FeatureHash.feature(13, a[POSFeatures.shortShape]), d)
        addRow(tables, FeatureHash.feature(35, a[POSFeatures.ambiguity]), d)
        addRow(tables, FeatureHash.feature(42, a[POSFeatures.exactAmbiguity]), d)
        addRow(tables, FeatureHash.feature(46, a[POSFeatures.lexical]), d)
        addRow(tables, FeatureHash.feature(48, a[POSFeatures.lexical], a[POSFeatures.ambiguity]), d)
        // As the previous word: 14, 18, 20, 31, 50.
        let dp = d + stride
        addRow(tables, FeatureHash.feature(14, a[POSFeatures.norm]), dp)
        addRow(tables, FeatureHash.feature(18, a[s + 2]), dp)
        addRow(tables, FeatureHash.feature(20, a[POSFeatures.shortShape]), dp)
        addRow(tables, FeatureHash.feature(31, a[POSFeatures.exact]), dp)
        addRow(tables, FeatureHash.feature(50, a[POSFeatures.lexical]), dp)
        // As the word before the previous one: 15 (its slot).
        x[POSWordCache.slot15] = tables.find(FeatureHash.feature(15, a[POSFeatures.norm]))
        // As the next word: 16, 19, 21, 30, 32, 36, 43, 49.
        let dn = d + 2 * stride
        addRow(tables, FeatureHash.feature(16, a[POSFeatures.norm]), dn)
        addRow(tables, FeatureHash.feature(19, a[s + 2]), dn)
        addRow(tables, FeatureHash.feature(21, a[POSFeatures.shortShape]), dn)
        addRow(tables, FeatureHash.feature(30, a[s + 1]), dn)
        addRow(tables, FeatureHash.feature(32, a[POSFeatures.exact]), dn)
        addRow(tables, FeatureHash.feature(36, a[POSFeatures.ambiguity]), dn)
        addRow(tables, FeatureHash.feature(43, a[POSFeatures.exactAmbiguity]), dn)
        addRow(tables, FeatureHash.feature(49, a[POSFeatures.lexical]), dn)

        // As the word after the next one: 17, 37 (their slots).
        x[POSWordCache.slot17] = tables.find(FeatureHash.feature(17, a[POSFeatures.norm]))
        x[POSWordCache.slot37] = tables.find(FeatureHash.feature(37, a[POSFeatures.ambiguity]))
    }

    @inline(__always)
    private func addRow(_ tables: POSModel.Tables, _ feature: UInt64, _ row: UnsafeMutablePointer<Int32>) {
        tables.add(tables.find(feature), into: row)
    }
}

/// A manually grown buffer of trivial values (no uniqueness checks in hot loops).
struct GrowingBuffer<T> {
    private(set) var base: UnsafeMutablePointer<T>
    var count = 0
    private var capacity: Int

    init(capacity: Int) {
        base = .allocate(capacity: capacity)
        self.capacity = capacity
    }

    func deallocate() { base.deallocate() }

    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    private mutating func grow(_ needed: Int) {
        let newCapacity = max(needed, capacity * 2)
        let q = UnsafeMutablePointer<T>.allocate(capacity: newCapacity)
        q.moveInitialize(from: base, count: count)
        base.deallocate()
        base = q
        capacity = newCapacity
    }

    @inline(__always)
    mutating func append(_ value: T) {
        reserve(1)
        (base + count).initialize(to: value)
        count += 1
    }

    mutating func append(_ values: UnsafeBufferPointer<T>) {
        reserve(values.count)
        if let source = values.baseAddress { (base + count).initialize(from: source, count: values.count) }
        count += values.count
    }
}
