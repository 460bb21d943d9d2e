import Foundation

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
