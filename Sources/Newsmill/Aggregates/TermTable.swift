#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A hash table from byte strings to counts (occurrences and documents), built for the
/// hot path: lookups hash the bytes in place and allocate nothing; new keys are copied
/// into one growing arena.
struct TermTable: Sendable {
    private struct Slot: Sendable {
        var offset: Int32 = -1  // into arena; -1 = empty
        var length: Int32 = 0
        var hash: UInt32 = 0
        var lastDocument: Int32 = -1
        var count: Int = 0
        var documents: Int = 0
    }

    private var slots: [Slot] = Array(repeating: Slot(), count: 16)
    private var arena: [UInt8] = []
    private(set) var count = 0

    init() {}

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for b in bytes {
            h ^= UInt32(b)
            h &*= 16_777_619
        }
        return h
    }

    /// Adds `occurrences` of a key seen in document number `document` (a running
    /// per-partial document number; pass -1 to add `documents` directly).
    mutating func add(
        _ key: UnsafeBufferPointer<UInt8>, occurrences: Int = 1, document: Int32 = -1,
        documents: Int = 0
    ) {
        if (count + 1) * 4 > slots.count * 3 { grow() }
        let h = Self.hash(key)
        let mask = slots.count - 1
        var i = Int(h) & mask
        while true {
            let slot = slots[i]
            if slot.offset < 0 {
                let offset = Int32(arena.count)
                arena.append(contentsOf: key)
                slots[i] = Slot(
                    offset: offset, length: Int32(key.count), hash: h, lastDocument: document,
                    count: occurrences, documents: document >= 0 ? 1 : documents)
                count += 1
                return
            }
            if slot.hash == h, Int(slot.length) == key.count, equalKey(slot, key) {
                slots[i].count += occurrences
                if document >= 0 {
                    if slot.lastDocument != document {
                        slots[i].documents += 1
                        slots[i].lastDocument = document
                    }
                } else {
                    slots[i].documents += documents
                }
                return
            }
            i = (i + 1) & mask
        }
    }

    /// Adds a String key.
    mutating func add(_ key: String, occurrences: Int = 1, documents: Int = 0) {
        var key = key
        key.withUTF8 { add($0, occurrences: occurrences, document: -1, documents: documents) }
    }

    @inline(__always)
    private func equalKey(_ slot: Slot, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        arena.withUnsafeBufferPointer { a in
            let start = Int(slot.offset)
            for k in 0..<key.count where a[start + k] != key[k] { return false }
            return true
        }
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(), count: old.count * 2)
        let mask = slots.count - 1
        for slot in old where slot.offset >= 0 {
            var i = Int(slot.hash) & mask
            while slots[i].offset >= 0 { i = (i + 1) & mask }
            slots[i] = slot
        }
    }

    /// Adds every entry of `other`.
    mutating func merge(_ other: TermTable) {
        other.arena.withUnsafeBufferPointer { a in
            for slot in other.slots where slot.offset >= 0 {
                let key = UnsafeBufferPointer(rebasing: a[Int(slot.offset)..<Int(slot.offset + slot.length)])
                add(key, occurrences: slot.count, document: -1, documents: slot.documents)
            }
        }
    }

    /// The bytes the table holds (slots and key arena), for memory budgets; 0 when empty
    /// (an empty table's 16 slots are not worth spilling for).
    var memoryBytes: Int {
        count == 0 ? 0 : slots.capacity * MemoryLayout<Slot>.stride + arena.capacity
    }

    /// Empties the table and gives its memory back.
    mutating func removeAll() {
        self = TermTable()
    }

    /// Calls `body` with every entry's key bytes, count and documents, in key byte order;
    /// allocates one index array (4 bytes an entry), no strings.
    func forEachSorted(_ body: (UnsafeBufferPointer<UInt8>, Int, Int) throws -> Void) rethrows {
        var order: [Int32] = []
        order.reserveCapacity(count)
        for i in slots.indices where slots[i].offset >= 0 { order.append(Int32(i)) }
        try slots.withUnsafeBufferPointer { s in
            try arena.withUnsafeBufferPointer { a in
                order.sort { keyLess(s[Int($0)], s[Int($1)], a) }
                for i in order {
                    let slot = s[Int(i)]
                    try body(
                        UnsafeBufferPointer(rebasing: a[Int(slot.offset)..<Int(slot.offset + slot.length)]),
                        slot.count, slot.documents)
                }
            }
        }
    }

    /// Compares two stored keys bytewise (memcmp order).
    private func keyLess(_ x: Slot, _ y: Slot, _ a: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = Int(min(x.length, y.length))
        if n > 0, let base = a.baseAddress {
            let c = memcmp(base + Int(x.offset), base + Int(y.offset), n)
            if c != 0 { return c < 0 }
        }
        return x.length < y.length
    }

    private func string(_ slot: Slot, _ a: UnsafeBufferPointer<UInt8>) -> String {
        String(
            decoding: UnsafeBufferPointer(rebasing: a[Int(slot.offset)..<Int(slot.offset + slot.length)]), as: UTF8.self
        )
    }

    /// Every entry as (key, count, documents), sorted by key bytes.
    func entries() -> [(key: String, count: Int, documents: Int)] {
        var used = slots.filter { $0.offset >= 0 }
        return arena.withUnsafeBufferPointer { a in
            used.sort { keyLess($0, $1, a) }
            return used.map { (string($0, a), $0.count, $0.documents) }
        }
    }

    /// The `k` most frequent entries (all when `k` is 0): by count, then documents, then key bytes.
    func top(_ k: Int, minCount: Int = 1) -> [(key: String, count: Int, documents: Int)] {
        var used = slots.filter { $0.offset >= 0 && $0.count >= minCount }
        return arena.withUnsafeBufferPointer { a in
            used.sort {
                if $0.count != $1.count { return $0.count > $1.count }
                if $0.documents != $1.documents { return $0.documents > $1.documents }
                return keyLess($0, $1, a)
            }
            let chosen = k > 0 ? used.prefix(k) : used[...]
            return chosen.map { (string($0, a), $0.count, $0.documents) }
        }
    }

    /// The table as JSON: `[[key, count, documents], ...]` sorted by key.
    func encode() -> JSONValue {
        .array(entries().map { .array([.string($0.key), .int($0.count), .int($0.documents)]) })
    }

    /// Reads what ``encode()`` wrote.
    static func decode(_ value: JSONValue) -> TermTable? {
        guard let items = value.arrayValue else { return nil }
        var table = TermTable()
        for item in items {
            guard let parts = item.arrayValue, parts.count == 3, let key = parts[0].stringValue,
                let count = parts[1].intValue, let documents = parts[2].intValue
            else { return nil }
            table.add(key, occurrences: count, documents: documents)
        }
        return table
    }
}
