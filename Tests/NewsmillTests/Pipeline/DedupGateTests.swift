import Foundation
import Synchronization
import Testing

@testable import Newsmill

@Suite struct DedupGateTests {
    /// Batches reach the gate in reverse order, each on its own thread; each passes in
    /// turn, and a key is a duplicate only after the batch that first had it.
    @Test func batchesPassInOrderWhateverTheOrderTheyArrive() {
        let gate = DedupGate()
        let results = Mutex<[Int: [Bool]]>([:])
        let group = DispatchGroup()
        for seq in (0..<40).reversed() {
            group.enter()
            Thread {
                let outcome = gate.pass(seq: seq, keys: [[UInt64(seq % 10) << 1], [], [UInt64(1000 + seq) << 1]])
                results.withLock { $0[seq] = outcome }
                group.leave()
            }.start()
        }
        #expect(group.wait(timeout: .now() + 60) == .success)
        let all = results.withLock { $0 }
        for seq in 0..<40 {
            #expect(all[seq] == [seq >= 10, false, false], "batch \(seq)")
        }
        #expect(gate.seen.count == 10 + 40)
    }

    @Test func keysSurviveAWriteAndARead() throws {
        var set = KeySet()
        var rng = SystemRandomNumberGenerator()
        var keys: [UInt64] = [0, 1, .max]
        for _ in 0..<5000 { keys.append(rng.next()) }
        #expect(keys.allSatisfy { set.insert($0) })
        #expect(keys.allSatisfy { !set.insert($0) })
        let path = TestSupport.temporaryDirectory() + "/keys.bin"
        try set.write(to: path)
        var read = try KeySet(path: path)
        #expect(read.count == keys.count)
        #expect(keys.allSatisfy { !read.insert($0) })
        let added = read.insert(42_424_242)
        #expect(added)
    }
}
