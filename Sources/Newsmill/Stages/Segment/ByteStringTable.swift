/// A small immutable hash table from byte strings to a one-byte value, built once and
/// looked up without allocating: keys are compared against a slice of a text buffer.
///
/// Open addressing with linear probing over a power-of-two slot array; FNV-1a hashing.
/// Lookups can fold ASCII letters to lower case so one entry serves every casing.
struct ByteStringTable: Sendable {
    private var keyBytes: [UInt8] = []
    private var keyStarts: [Int32] = []
    private var keyLengths: [Int32] = []
    private var values: [UInt8] = []
    private var slots: [Int32] = []
    private var mask = 0
    /// Whether keys and lookups are folded to ASCII lower case.
    let foldsCase: Bool

    /// Creates a table from `entries` (later duplicates replace earlier ones).
    init(_ entries: [(key: String, value: UInt8)], foldingCase: Bool) {
        foldsCase = foldingCase
        var capacity = 16
        while capacity < entries.count * 3 { capacity <<= 1 }
        slots = Array(repeating: -1, count: capacity)
        mask = capacity - 1
        for (key, value) in entries { insert(Array(key.utf8), value) }
    }

    private mutating func insert(_ key: [UInt8], _ value: UInt8) {
        let folded = foldsCase ? key.map(Self.lower) : key
        let found: UInt8? = folded.withUnsafeBufferPointer { lookup($0, 0, $0.count) }
        if found != nil {
            // Replace the value of the existing entry.
            folded.withUnsafeBufferPointer { buffer in
                var slot = Self.hash(buffer, 0, buffer.count, foldsCase) & mask
                while slots[slot] >= 0 {
                    let entry = Int(slots[slot])
                    if equal(entry, buffer, 0, buffer.count) { values[entry] = value; return }
                    slot = (slot + 1) & mask
                }
            }
            return
        }
        if (values.count + 1) * 2 > slots.count { grow() }
        let entry = Int32(values.count)
        keyStarts.append(Int32(keyBytes.count))
        keyLengths.append(Int32(folded.count))
        keyBytes.append(contentsOf: folded)
        values.append(value)
        place(Int(entry))
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for entry in 0..<values.count { place(entry) }
    }

    private mutating func place(_ entry: Int) {
        let start = Int(keyStarts[entry])
        let length = Int(keyLengths[entry])
        var slot = keyBytes.withUnsafeBufferPointer { Self.hash($0, start, start + length, false) } & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(entry)
    }

    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 {
        byte &- 65 < 26 ? byte | 0x20 : byte
    }

    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ fold: Bool) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = start
        while i < end {
            h = (h ^ UInt64(fold ? lower(bytes[i]) : bytes[i])) &* 0x100_0000_01b3
            i += 1
        }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    @inline(__always)
    private func equal(_ entry: Int, _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        let length = Int(keyLengths[entry])
        guard length == end - start else { return false }
        let keyStart = Int(keyStarts[entry])
        var k = 0
        while k < length {
            let byte = foldsCase ? Self.lower(bytes[start + k]) : bytes[start + k]
            if keyBytes[keyStart + k] != byte { return false }
            k += 1
        }
        return true
    }

    /// The value stored for `bytes[start..<end]`, or nil.
    @inline(__always)
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt8? {
        guard end > start, !values.isEmpty else { return nil }
        var slot = Self.hash(bytes, start, end, foldsCase) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { return nil }
            if equal(entry, bytes, start, end) { return values[entry] }
            slot = (slot + 1) & mask
        }
    }

    /// The value stored for a string key (allocates; for setup and tests).
    func value(for key: String) -> UInt8? {
        let bytes = Array(key.utf8)
        return bytes.withUnsafeBufferPointer { lookup($0, 0, $0.count) }
    }

    /// Number of entries.
    var count: Int { values.count }
}
