/// The sorted runs of one partial, merged in levels like a binary counter: when the last
/// ``fanIn`` runs are of the same level, they become one run of the next level. Every entry
/// is rewritten about log(runs) / log(fanIn) times, and at most `fanIn - 1` runs a level
/// stay open for the final merge.
struct TermRunSet: Sendable, Equatable {
    static let fanIn = 16

    private(set) var paths: [String] = []
    private var levels: [Int] = []

    var isEmpty: Bool { paths.isEmpty }

    /// Adds a new run and merges full levels (in `order`) into new files from `scratch`.
    mutating func add(_ path: String, order: TermRunMerger.Order, scratch: AggregateScratch) throws(IOFailure) {
        paths.append(path)
        levels.append(0)
        while levels.count >= Self.fanIn, let level = levels.last,
            levels.suffix(Self.fanIn).allSatisfy({ $0 == level })
        {
            let tail = Array(paths.suffix(Self.fanIn))
            let merged = try scratch.newFile(order == .key ? "terms" : "ranked")
            try TermRunMerger.merge(tail, into: merged, order: order)
            for run in tail { FileSystem.remove(run) }
            paths.removeLast(Self.fanIn)
            levels.removeLast(Self.fanIn)
            paths.append(merged)
            levels.append(level + 1)
        }
    }

    /// Takes over another set's runs (they stay at their levels).
    mutating func append(contentsOf other: TermRunSet) {
        paths += other.paths
        levels += other.levels
    }

    /// Removes every run file.
    mutating func removeAll() {
        for run in paths { FileSystem.remove(run) }
        paths = []
        levels = []
    }
}
