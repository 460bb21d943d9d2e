/// An open-addressing map from non-zero 64-bit keys (feature hashes) to 32-bit values,
/// with linear probing. Built once, then read-only: lookups do no allocation.
struct HashIndex: Sendable {
    private(set) var keys: [UInt64]
    private(set) var values: [UInt32]
    private(set) var count: Int = 0
    private var mask: Int

    /// An empty index able to hold `capacity` keys at a load factor of at most one half.
    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        values = [UInt32](repeating: 0, count: size)
        mask = size - 1
    }

    /// An index of these keys and values (a later duplicate key replaces an earlier one), or
    /// nil when a key is 0. Builds the table in one pass over raw buffers: a model's lexicon
    /// of ~180,000 words loads in a few milliseconds instead of inserting one by one.
    init?(keys newKeys: [UInt64], values newValues: [UInt32]) {
        precondition(newKeys.count == newValues.count, "keys and values differ in count")
        self.init(capacity: newKeys.count)
        let mask = self.mask
        var count = 0
        let ok = keys.withUnsafeMutableBufferPointer { k in
            values.withUnsafeMutableBufferPointer { v in
                for i in 0..<newKeys.count {
                    let key = newKeys[i]
                    if key == 0 { return false }
                    var slot = Int(truncatingIfNeeded: key) & mask
                    while k[slot] != 0 && k[slot] != key { slot = (slot + 1) & mask }
                    if k[slot] == 0 { count += 1 }
                    k[slot] = key
                    v[slot] = newValues[i]
                }
                return true
            }
        }
        guard ok else { return nil }
        self.count = count
    }

    /// Inserts or replaces a key (which must not be 0).
    mutating func insert(_ key: UInt64, _ value: UInt32) {
        precondition(key != 0, "HashIndex keys must be non-zero")
        if (count + 1) * 2 > keys.count { grow() }
        var slot = Int(truncatingIfNeeded: key) & mask
        while true {
            let k = keys[slot]
            if k == 0 {
                keys[slot] = key
                values[slot] = value
                count += 1
                return
            }
            if k == key {
                values[slot] = value
                return
            }
            slot = (slot + 1) & mask
        }
    }

    /// Adds one to a key's value (inserting it with 1); returns the new value.
    @discardableResult
    mutating func increment(_ key: UInt64) -> UInt32 {
        precondition(key != 0, "HashIndex keys must be non-zero")
        var slot = Int(truncatingIfNeeded: key) & mask
        while true {
            let k = keys[slot]
            if k == key {
                values[slot] &+= 1
                return values[slot]
            }
            if k == 0 { break }
            slot = (slot + 1) & mask
        }
        insert(key, 1)
        return 1
    }

    /// The value for a key, or nil.
    @inline(__always)
    func find(_ key: UInt64) -> UInt32? {
        keys.withUnsafeBufferPointer { k in
            var slot = Int(truncatingIfNeeded: key) & mask
            while true {
                let found = k[slot]
                if found == key { return values[slot] }
                if found == 0 { return nil }
                slot = (slot + 1) & mask
            }
        }
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        let size = keys.count * 2
        keys = [UInt64](repeating: 0, count: size)
        values = [UInt32](repeating: 0, count: size)
        mask = size - 1
        count = 0
        for (k, v) in zip(oldKeys, oldValues) where k != 0 { insert(k, v) }
    }

    /// A read-only view over raw pointers for hot loops.
    func withView<R>(_ body: (View) throws -> R) rethrows -> R {
        try keys.withUnsafeBufferPointer { k in
            try values.withUnsafeBufferPointer { v in
                try body(View(keys: k, values: v, mask: mask))
            }
        }
    }

    /// Pointer-based lookups, valid inside ``withView(_:)``.
    struct View {
        let keys: UnsafeBufferPointer<UInt64>
        let values: UnsafeBufferPointer<UInt32>
        let mask: Int

        /// The value for a key, or `UInt32.max` when absent.
        @inline(__always)
        func find(_ key: UInt64) -> UInt32 {
            var slot = Int(truncatingIfNeeded: key) & mask
            while true {
                let found = keys[slot]
                if found == key { return values[slot] }
                if found == 0 { return .max }
                slot = (slot + 1) & mask
            }
        }
    }
}
