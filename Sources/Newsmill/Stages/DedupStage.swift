import Foundation

/// The `dedup` stage: drops every document whose text (or a metadata field, such as the
/// URL) repeats one met earlier in input order, as DataTrove's and Dolma's exact
/// deduplication do. Wire stories reach a news corpus many times over (each outlet that
/// runs one, each crawl that finds it again).
///
/// The first copy in input order is kept, whatever the number of workers: the worker
/// runs the stages before `dedup` on a whole batch, then batches pass a ``DedupGate`` one
/// at a time in input order, and only then run the stages after it. Keys are 64-bit hashes
/// (about one chance in 18 million of a false match among a million documents: the low
/// bit tells exact keys from near ones), kept in memory: 16 bytes a distinct document.
///
/// With `near: true`, a story rewritten a little (a dateline, a sentence, a correction) is
/// a duplicate too: MinHash over 5-word shingles of the folded text, 112 hashes cut into
/// 14 bands of 8 (as DataTrove's MinhashDedup): a document whose band matches a band of a
/// kept one is dropped. Two stories with 80% of their shingles in common match 92 times in
/// 100, with 50% 5 times in 100. 15 keys a kept document (240 bytes).
public struct DedupStage: Stage {
    public static let name = "dedup"
    public static let summary =
        "drop documents whose text (or a metadata field such as url) repeats an earlier one; the first copy is kept"
    public static let optionSpecs = [
        OptionSpec("by", default: "text", "text, or a metadata field (url, title, ...) whose value is the key"),
        OptionSpec(
            "fold", default: "true",
            "compare with ASCII letters lower-cased and runs of whitespace as one space (false: exact bytes)"),
        OptionSpec(
            "near", default: "false",
            "also drop near copies: most 5-word shingles in common (MinHash, 14 bands of 8; by: text only)"),
    ]

    /// `nil`: the text; else the metadata field.
    let field: String?
    let fold: Bool
    let near: Bool

    public init(options: StageOptions) throws(ConfigError) {
        let by = try options.string("by", default: "text")
        field = by == "text" ? nil : by
        fold = try options.bool("fold", default: true)
        near = try options.bool("near", default: false)
        if near && field != nil {
            throw .invalidOption(
                key: "near", value: "true", expected: "false with 'by: \(by)' (near copies are found in the text)",
                at: options.location(of: "near"))
        }
    }

    /// Never called by the engine's workers, which handle this stage at the gate; a
    /// document that reaches it any other way is kept.
    public func process(_ document: inout Document, in context: StageContext) throws -> Verdict { .keep }

    /// The document's keys: its exact key (low bit 0), then with `near` its band keys (low
    /// bit 1). None when it has no text or no such metadata string: such documents are
    /// never duplicates.
    func keys(of document: Document) -> [UInt64] {
        if let field {
            guard case .string(var value)? = document.metadata(field) else { return [] }
            return value.withUTF8 { Self.hash($0, fold: fold) }.map { [$0 & ~1] } ?? []
        }
        var text = document.text
        return text.withUTF8 { bytes in
            guard let exact = Self.hash(bytes, fold: fold) else { return [] }
            return near ? [exact & ~1] + Self.bandKeys(bytes) : [exact & ~1]
        }
    }

    static let shingleWords = 5
    static let bands = 14
    static let rows = 8

    /// Multipliers (odd) and addends of the 112 hash functions, from a fixed seed.
    private static let functions: [(UInt64, UInt64)] = {
        var state: UInt64 = 0x6e65_7773_6d69_6c6c  // "newsmill"
        func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            return mix(state)
        }
        return (0..<(bands * rows)).map { _ in (next() | 1, next()) }
    }()

    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var x = value
        x = (x ^ (x >> 30)) &* 0xbf58_476d_1ce4_e5b9
        x = (x ^ (x >> 27)) &* 0x94d0_49bb_1331_11eb
        return x ^ (x >> 31)
    }

    /// The 14 band keys of the text's MinHash signature over shingles of 5 folded words
    /// (a text of fewer words is one shingle).
    static func bandKeys(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt64] {
        let count = bands * rows
        var minimums = [UInt64](repeating: .max, count: count)
        var window = [UInt64](repeating: 0, count: shingleWords)
        var words = 0
        func addShingle() {
            var s: UInt64 = 0
            let n = min(words, shingleWords)
            for k in 0..<n { s = mix(s &* 0x0000_0100_0000_01b3 ^ window[(words - n + k) % shingleWords]) }
            Self.functions.withUnsafeBufferPointer { f in
                minimums.withUnsafeMutableBufferPointer { m in
                    for i in 0..<count {
                        let v = s &* f[i].0 &+ f[i].1
                        if v < m[i] { m[i] = v }
                    }
                }
            }
        }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var inWord = false
        for b in bytes {
            if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C || b == 0x0B {
                if inWord {
                    window[words % shingleWords] = h
                    words += 1
                    if words >= shingleWords { addShingle() }
                    h = 0xcbf2_9ce4_8422_2325
                    inWord = false
                }
                continue
            }
            inWord = true
            h = (h ^ UInt64(b >= 0x41 && b <= 0x5A ? b | 0x20 : b)) &* 0x0000_0100_0000_01b3
        }
        if inWord {
            window[words % shingleWords] = h
            words += 1
            if words >= shingleWords { addShingle() }
        }
        if words > 0 && words < shingleWords { addShingle() }
        return (0..<bands).map { band in
            var key = mix(UInt64(band) &+ 0x5bd1_e995)
            for r in 0..<rows { key = mix(key ^ minimums[band * rows + r]) }
            return key | 1
        }
    }

    /// A 64-bit hash of `bytes` (folded: ASCII letters lower-cased, runs of whitespace one
    /// space, none at the ends), or nil when nothing is left.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, fold: Bool) -> UInt64? {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var length = 0
        @inline(__always) func step(_ b: UInt8) {
            h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3
            length += 1
        }
        if fold {
            var space = false
            for b in bytes {
                if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C || b == 0x0B {
                    space = length > 0
                    continue
                }
                if space {
                    step(0x20)
                    space = false
                }
                step(b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
            }
        } else {
            for b in bytes { step(b) }
        }
        guard length > 0 else { return nil }
        // FNV-1a spreads poorly in its high bits; finish with a 64-bit mixer (and the length).
        return mix(h ^ UInt64(length) &* 0x9e37_79b9_7f4a_7c15)
    }
}

/// Lets batches decide on duplicates one at a time, in input order, and holds the keys
/// seen. Every batch of a run passes once (``pass(seq:keys:)``), in any thread; a batch
/// waits until the batches before it have passed. Batches are handed out in order and
/// each worker finishes its batch, so the one a batch waits for is always in progress.
final class DedupGate: @unchecked Sendable {
    // All state is guarded by `condition`.
    private let condition = NSCondition()
    private var next = 0
    private var keys: KeySet

    /// `keys`: the keys of documents kept by earlier runs (an incremental run's).
    init(keys: KeySet = KeySet()) {
        self.keys = keys
    }

    /// Marks the documents (their keys, in order) one of whose keys was seen before, in an
    /// earlier batch or earlier in this one; records the keys of the others. `seq` is the
    /// batch's number.
    func pass(seq: Int, keys batchKeys: [[UInt64]]) -> [Bool] {
        condition.lock()
        defer { condition.unlock() }
        while next != seq { condition.wait() }
        let duplicates = batchKeys.map { documentKeys in
            if documentKeys.contains(where: { keys.contains($0) }) { return true }
            for key in documentKeys { _ = keys.insert(key) }
            return false
        }
        next += 1
        condition.broadcast()
        return duplicates
    }

    /// The keys seen (once every batch has passed).
    var seen: KeySet {
        condition.lock()
        defer { condition.unlock() }
        return keys
    }
}

/// An open-addressing set of 64-bit keys (0 stands for an empty slot, so key 0 is kept
/// aside), at most half full: 16 bytes a key.
struct KeySet {
    private var slots = [UInt64](repeating: 0, count: 1024)
    private var hasZero = false
    private(set) var count = 0

    init() {}

    /// The file an incremental run keeps its keys in, beside its state.
    static let fileName = "dedup-keys.bin"
    private static let magic = Array("NMDEDUP1".utf8)

    /// Reads a set written by ``write(to:)``.
    init(path: String) throws(IOFailure) {
        let bytes = try FileSystem.readFile(path)
        let damaged = IOFailure(
            path: path,
            detail: "not a newsmill dedup key file, or damaged: delete it and the run state beside it "
                + "to process every input again")
        guard bytes.count >= 16, bytes.count % 8 == 0, Array(bytes[0..<8]) == Self.magic else { throw damaged }
        func word(_ k: Int) -> UInt64 {
            var v: UInt64 = 0
            for j in 0..<8 { v |= UInt64(bytes[k + j]) << (8 * UInt64(j)) }
            return v
        }
        let n = Int(truncatingIfNeeded: word(8))
        guard n >= 0, n == bytes.count / 8 - 2 else { throw damaged }
        var size = 1024
        while size < 2 * (n + 1) { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        for k in 0..<n { _ = insert(word(16 + 8 * k)) }
    }

    /// Calls `body` with every key (in no particular order).
    func forEach(_ body: (UInt64) -> Void) {
        if hasZero { body(0) }
        for key in slots where key != 0 { body(key) }
    }

    /// Writes the set (little-endian words after a magic and the count), atomically.
    func write(to path: String) throws(IOFailure) {
        var bytes = Self.magic
        bytes.reserveCapacity(16 + 8 * count)
        func put(_ v: UInt64) { for j in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(j)))) } }
        put(UInt64(count))
        if hasZero { put(0) }
        for key in slots where key != 0 { put(key) }
        try FileSystem.writeAtomically(path, bytes: bytes)
    }

    /// Whether `key` is in the set.
    func contains(_ key: UInt64) -> Bool {
        if key == 0 { return hasZero }
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: key) & mask
        while slots[i] != 0 {
            if slots[i] == key { return true }
            i = (i + 1) & mask
        }
        return false
    }

    /// Adds `key`; false when it was there already.
    mutating func insert(_ key: UInt64) -> Bool {
        if key == 0 {
            defer { hasZero = true }
            if hasZero { return false }
            count += 1
            return true
        }
        if 2 * (count + 1) > slots.count { grow() }
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: key) & mask
        while slots[i] != 0 {
            if slots[i] == key { return false }
            i = (i + 1) & mask
        }
        slots[i] = key
        count += 1
        return true
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        let mask = slots.count - 1
        for key in old where key != 0 {
            var i = Int(truncatingIfNeeded: key) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = key
        }
    }
}
