#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Merges sorted runs of term counts into one sorted sequence, adding up the counts of an
/// entry found in several runs: the exact table the runs were spilled from, read in
/// order with one buffer per run.
final class TermRunMerger {
    /// How the runs are sorted.
    enum Order {
        /// By group, then key bytes (runs spilled from term tables).
        case key
        /// By count (descending), then documents (descending), then key bytes: the order of
        /// `top_k` records (runs of one group's ranking, whose keys are all different).
        case rank
    }

    private let order: Order
    private var readers: [TermRunFile.Reader] = []
    private var live: [Bool] = []
    private(set) var group: [UInt8] = []
    private(set) var key: [UInt8] = []
    private(set) var count = 0
    private(set) var documents = 0

    init(paths: [String], order: Order = .key) throws(IOFailure) {
        self.order = order
        for path in paths {
            let reader = try TermRunFile.Reader(path: path)
            readers.append(reader)
            live.append(try reader.next())
        }
    }

    /// Moves to the next merged entry; false at the end.
    func next() throws(IOFailure) -> Bool {
        var best = -1
        for k in readers.indices where live[k] {
            if best < 0 || less(readers[k], readers[best]) { best = k }
        }
        guard best >= 0 else { return false }
        group = readers[best].group
        key = readers[best].key
        count = 0
        documents = 0
        for k in readers.indices where live[k] {
            let r = readers[k]
            guard r.key == key, r.group == group else { continue }
            count += r.count
            documents += r.documents
            live[k] = try r.next()
        }
        return true
    }

    private func less(_ a: TermRunFile.Reader, _ b: TermRunFile.Reader) -> Bool {
        if order == .rank {
            if a.count != b.count { return a.count > b.count }
            if a.documents != b.documents { return a.documents > b.documents }
        }
        let g = Self.compare(a.group, b.group)
        if g != 0 { return g < 0 }
        return Self.compare(a.key, b.key) < 0
    }

    /// memcmp order: negative, zero or positive.
    static func compare(_ x: [UInt8], _ y: [UInt8]) -> Int {
        let n = min(x.count, y.count)
        if n > 0 {
            let c = x.withUnsafeBufferPointer { px in
                y.withUnsafeBufferPointer { py in
                    guard let a = px.baseAddress, let b = py.baseAddress else { return Int32(0) }
                    return memcmp(a, b, n)
                }
            }
            if c != 0 { return Int(c) }
        }
        return x.count - y.count
    }

    /// Merges `paths` into one new run at `output`.
    static func merge(_ paths: [String], into output: String, order: Order = .key) throws(IOFailure) {
        let merger = try TermRunMerger(paths: paths, order: order)
        let writer = try TermRunFile.Writer(path: output)
        while try merger.next() {
            let result: Result<Void, IOFailure> = merger.group.withUnsafeBufferPointer { g in
                merger.key.withUnsafeBufferPointer { k in
                    Result { () throws(IOFailure) in
                        try writer.append(group: g, key: k, count: merger.count, documents: merger.documents)
                    }
                }
            }
            try result.get()
        }
        try writer.finish()
    }
}
