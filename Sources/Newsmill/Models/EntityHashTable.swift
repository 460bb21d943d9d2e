/// A read-only open-addressing table from 64-bit keys to 32-bit values, used by the
/// named-entity recognizer for its keyword classes, gazetteer and tag dictionary:
/// lookups hash token bytes in place and never build a `String`.
struct EntityHashTable: Sendable, Equatable {
    private(set) var keys: [UInt64]
    private(set) var values: [UInt32]
    private let mask: Int

    /// Builds a table holding `entries` (later duplicates OR their values into the first).
    init(_ entries: [(UInt64, UInt32)]) {
        var capacity = 16
        while capacity < entries.count * 2 + 1 { capacity <<= 1 }
        keys = [UInt64](repeating: 0, count: capacity)
        values = [UInt32](repeating: 0, count: capacity)
        mask = capacity - 1
        for (key, value) in entries { insert(EntityHashTable.nonZero(key), value) }
    }

    /// Number of occupied slots.
    var count: Int { keys.reduce(0) { $0 + ($1 == 0 ? 0 : 1) } }

    /// Every (key, value) pair, in slot order.
    var entries: [(UInt64, UInt32)] {
        var out: [(UInt64, UInt32)] = []
        for i in keys.indices where keys[i] != 0 { out.append((keys[i], values[i])) }
        return out
    }

    private mutating func insert(_ key: UInt64, _ value: UInt32) {
        var slot = Int(truncatingIfNeeded: key >> 7) & mask
        while true {
            if keys[slot] == 0 {
                keys[slot] = key
                values[slot] = value
                return
            }
            if keys[slot] == key {
                values[slot] |= value
                return
            }
            slot = (slot + 1) & mask
        }
    }

    /// The value for `key`, or 0 when absent.
    @inline(__always)
    func value(for rawKey: UInt64) -> UInt32 {
        let key = EntityHashTable.nonZero(rawKey)
        var slot = Int(truncatingIfNeeded: key >> 7) & mask
        return keys.withUnsafeBufferPointer { k in
            while true {
                let found = k[slot]
                if found == key { return values[slot] }
                if found == 0 { return 0 }
                slot = (slot + 1) & mask
            }
        }
    }

    @inline(__always)
    private static func nonZero(_ key: UInt64) -> UInt64 { key == 0 ? 0x9E37_79B9_7F4A_7C15 : key }

    static func == (a: EntityHashTable, b: EntityHashTable) -> Bool {
        a.keys == b.keys && a.values == b.values
    }
}

/// Byte hashing shared by training and inference, so both see the same features.
enum EntityHash {
    static let offset: UInt64 = 0xCBF2_9CE4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01B3

    /// FNV-1a of bytes.
    @inline(__always)
    static func bytes(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        var h = offset
        var i = start
        while i < end {
            h = (h ^ UInt64(p[i])) &* prime
            i += 1
        }
        return h
    }

    /// FNV-1a of ASCII-lowercased bytes.
    @inline(__always)
    static func lower(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        var h = offset
        var i = start
        while i < end {
            h = (h ^ UInt64(lowered(p[i]))) &* prime
            i += 1
        }
        return h
    }

    @inline(__always)
    static func lowered(_ b: UInt8) -> UInt8 { b &- 0x41 < 26 ? b | 0x20 : b }

    /// FNV-1a of a Swift string's lowercased UTF-8 (for building tables; not a hot path).
    static func lower(_ s: String) -> UInt64 {
        var h = offset
        for b in s.utf8 { h = (h ^ UInt64(lowered(b))) &* prime }
        return h
    }

    /// Continues a phrase hash with a separator and the next word's hash.
    @inline(__always)
    static func extend(_ phrase: UInt64, _ word: UInt64) -> UInt64 {
        mix(phrase &* 31 &+ word)
    }

    /// A strong 64-bit mixer (splitmix64 finaliser).
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The lowercase hash of a multi-word phrase split on spaces (for building tables).
    static func phrase(_ words: [Substring]) -> UInt64 {
        var h: UInt64 = 0
        for (i, w) in words.enumerated() {
            let wh = lower(String(w))
            h = i == 0 ? wh : extend(h, wh)
        }
        return h
    }
}
