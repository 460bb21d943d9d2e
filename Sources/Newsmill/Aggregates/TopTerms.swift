/// The `k` best terms of a stream (by count, then documents, then key bytes, as
/// ``TermTable/top(_:minCount:)`` orders them), kept in a heap of `k` entries; every
/// term offered when `k` is 0.
struct TopTerms {
    struct Entry {
        var key: [UInt8]
        var count: Int
        var documents: Int
    }

    let k: Int
    /// A heap with the worst kept entry at the root (when `k` > 0).
    private var heap: [Entry] = []

    init(k: Int) { self.k = k }

    /// Whether `a` ranks before `b`.
    static func better(_ aKey: UnsafeBufferPointer<UInt8>, _ aCount: Int, _ aDocuments: Int, than b: Entry) -> Bool {
        if aCount != b.count { return aCount > b.count }
        if aDocuments != b.documents { return aDocuments > b.documents }
        return b.key.withUnsafeBufferPointer { bKey in
            let n = min(aKey.count, bKey.count)
            for i in 0..<n where aKey[i] != bKey[i] { return aKey[i] < bKey[i] }
            return aKey.count < bKey.count
        }
    }

    private static func better(_ a: Entry, than b: Entry) -> Bool {
        a.key.withUnsafeBufferPointer { better($0, a.count, a.documents, than: b) }
    }

    /// Offers one term; copies its key only when it is kept.
    mutating func offer(_ key: UnsafeBufferPointer<UInt8>, count: Int, documents: Int) {
        if k == 0 || heap.count < k {
            heap.append(Entry(key: Array(key), count: count, documents: documents))
            if k > 0 { siftUp(heap.count - 1) }
            return
        }
        guard Self.better(key, count, documents, than: heap[0]) else { return }
        heap[0] = Entry(key: Array(key), count: count, documents: documents)
        siftDown(0)
    }

    /// The kept terms, best first.
    func sorted() -> [Entry] {
        heap.sorted { Self.better($0, than: $1) }
    }

    private mutating func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            // The root holds the worst: a parent must not be better than its child.
            guard Self.better(heap[parent], than: heap[child]) else { return }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    private mutating func siftDown(_ index: Int) {
        var parent = index
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var worst = parent
            if left < heap.count, Self.better(heap[worst], than: heap[left]) { worst = left }
            if right < heap.count, Self.better(heap[worst], than: heap[right]) { worst = right }
            if worst == parent { return }
            heap.swapAt(parent, worst)
            parent = worst
        }
    }
}
