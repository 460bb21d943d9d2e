/// Every term of one group in `top_k` order (count, then documents, then key bytes), for
/// `top_k: 0`: kept in memory up to a budget, beyond it sorted and written as runs that are
/// merged in that order at the end (an external sort), so that writing the whole
/// vocabulary does not need it whole in memory.
struct RankedTerms {
    private let budget: Int
    private let scratch: AggregateScratch
    private var entries: [TopTerms.Entry] = []
    private var bytes = 0
    private var runs = TermRunSet()

    init(budget: Int, scratch: AggregateScratch) {
        self.budget = max(budget, 4096)  // at least a few dozen terms a run
        self.scratch = scratch
    }

    /// Adds a term (each key once).
    mutating func add(_ key: UnsafeBufferPointer<UInt8>, count: Int, documents: Int) throws(IOFailure) {
        entries.append(TopTerms.Entry(key: Array(key), count: count, documents: documents))
        bytes += key.count + MemoryLayout<TopTerms.Entry>.stride + 32
        if bytes > budget { try spill() }
    }

    /// Calls `body` with every term in rank order, then removes the runs.
    mutating func forEachRanked(_ body: (TopTerms.Entry) throws -> Void) throws {
        if runs.isEmpty {
            for entry in sorted() { try body(entry) }
            return
        }
        try spill()
        defer { runs.removeAll() }
        let merger = try TermRunMerger(paths: runs.paths, order: .rank)
        while try merger.next() {
            try body(TopTerms.Entry(key: merger.key, count: merger.count, documents: merger.documents))
        }
    }

    private func sorted() -> [TopTerms.Entry] {
        entries.sorted { a, b in a.key.withUnsafeBufferPointer { TopTerms.better($0, a.count, a.documents, than: b) } }
    }

    private mutating func spill() throws(IOFailure) {
        guard !entries.isEmpty else { return }
        let path = try scratch.newFile("ranked")
        let writer = try TermRunFile.Writer(path: path)
        let empty: [UInt8] = []
        for entry in sorted() {
            let result: Result<Void, IOFailure> = empty.withUnsafeBufferPointer { group in
                entry.key.withUnsafeBufferPointer { key in
                    Result { () throws(IOFailure) in
                        try writer.append(group: group, key: key, count: entry.count, documents: entry.documents)
                    }
                }
            }
            try result.get()
        }
        try writer.finish()
        entries = []
        bytes = 0
        try runs.add(path, order: .rank, scratch: scratch)
    }
}
