/// A fixed-size memo from a pair of small ids (two word-cache entries, or a tag and an
/// entry) to a few weight-row slots (``POSModel/Tables/find(_:)`` results), so a frequent
/// pair's features cost one probe in a small table instead of several hashed lookups in the
/// model's large one. Emptied when half full; values are filled by the caller on a miss.
struct POSSlotMemo {
    /// Slot values per key.
    let width: Int
    private let mask: Int
    private let shift: UInt64
    private let keys: UnsafeMutablePointer<UInt64>
    private let values: UnsafeMutablePointer<UInt64>
    private var count = 0

    /// A memo of `1 << bits` places holding `width` values each.
    init(width: Int, bits: Int) {
        self.width = width
        mask = (1 << bits) - 1
        shift = UInt64(64 - bits)
        keys = .allocate(capacity: 1 << bits)
        keys.initialize(repeating: 0, count: 1 << bits)
        values = .allocate(capacity: (1 << bits) * width)
        values.initialize(repeating: 0, count: (1 << bits) * width)
    }

    func deallocate() {
        keys.deallocate()
        values.deallocate()
    }

    /// Forgets every pair.
    mutating func clear() {
        keys.update(repeating: 0, count: mask + 1)
        count = 0
    }

    /// The key of a pair of ids (each below 2^31); never 0.
    @inline(__always)
    static func key(_ a: Int, _ b: Int) -> UInt64 { UInt64(truncatingIfNeeded: a) << 32 | UInt64(truncatingIfNeeded: b) | 1 << 63 }

    /// The values of `key` and whether they were just made (the caller must then fill all
    /// `width` of them before the next lookup).
    @inline(__always)
    mutating func lookup(_ key: UInt64) -> (values: UnsafeMutablePointer<UInt64>, fresh: Bool) {
        var slot = Int(truncatingIfNeeded: (key &* 0x9e37_79b9_7f4a_7c15) >> shift)
        while true {
            let k = keys[slot]
            if k == key { return (values + slot * width, false) }
            if k == 0 { break }
            slot = (slot + 1) & mask
        }
        if count >= (mask + 1) / 2 {
            clear()
            slot = Int(truncatingIfNeeded: (key &* 0x9e37_79b9_7f4a_7c15) >> shift)
        }
        keys[slot] = key
        count += 1
        return (values + slot * width, true)
    }
}
