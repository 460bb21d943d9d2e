/// Stable 64-bit hashing for model features: FNV-1a over bytes, and a splitmix64 finalizer
/// to combine a template id with attribute hashes.
///
/// The values are part of the model file format (features are stored by hash), so they
/// must never depend on the process (unlike Swift's `Hasher`). Changing anything here
/// changes ``POSFeatures/version``.
enum FeatureHash {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// FNV-1a of a byte sequence.
    @inline(__always)
    static func fnv1a(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = offsetBasis
        for b in bytes { h = (h ^ UInt64(b)) &* prime }
        return h
    }

    /// FNV-1a of any byte collection (training and tests).
    static func fnv1a<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var h = offsetBasis
        for b in bytes { h = (h ^ UInt64(b)) &* prime }
        return h
    }

    /// One FNV-1a step.
    @inline(__always)
    static func step(_ h: UInt64, _ byte: UInt8) -> UInt64 { (h ^ UInt64(byte)) &* prime }

    /// The splitmix64 finalizer: a bijective avalanche of 64 bits.
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z &>> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z &>> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z &>> 31)
    }

    /// A feature from a template id and one attribute; never 0 (0 marks an empty slot).
    @inline(__always)
    static func feature(_ template: UInt64, _ a: UInt64) -> UInt64 {
        mix(a ^ (template &* 0xd6e8_feb8_6659_fd93)) | 1
    }

    /// A feature from a template id and two attributes; never 0.
    @inline(__always)
    static func feature(_ template: UInt64, _ a: UInt64, _ b: UInt64) -> UInt64 {
        mix(mix(a ^ (template &* 0xd6e8_feb8_6659_fd93)) ^ b) | 1
    }
}

/// A deterministic random generator (splitmix64) for seeded shuffles.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z &>> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z &>> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z &>> 31)
    }

    /// A value in `0..<bound` (bound > 0); simple modulo, deterministic across platforms.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// Fisher-Yates shuffle with this generator's own, platform-independent draws.
    mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, below(i + 1))
        }
    }
}
