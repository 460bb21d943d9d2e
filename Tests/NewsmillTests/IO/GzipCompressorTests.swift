import Foundation
import Testing

@testable import Newsmill

@Suite struct GzipCompressorTests {
    @Test func membersConcatenateIntoAFilePythonReads() throws {
        let dir = TestSupport.temporaryDirectory()
        let compressor = GzipCompressor(level: 6)
        var out: [UInt8] = []
        compressor.compress(Array("first member\n".utf8), into: &out)
        compressor.compress(Array("second member ✓\n".utf8), into: &out)
        compressor.compress([], into: &out)
        try TestSupport.write(bytes: out, to: dir + "/m.gz")
        #expect(try TestSupport.gunzip(dir + "/m.gz") == "first member\nsecond member ✓\n")
    }

    /// A member compressed piece by piece (as a worker does with a batch's JSON) is the
    /// same bytes as one compressed at once (at level 0, stored blocks, only the same
    /// content: zlib cuts stored blocks where the input pieces end), and Python reads it.
    @Test(arguments: [0, 1, 6, 9])
    func streamingGivesTheBytesOfOneCall(level: Int) throws {
        var random = SeededGenerator(seed: 3)
        var input: [UInt8] = []
        for _ in 0..<60_000 { input.append(contentsOf: "{\"w\":\(random.below(100_000)),\"t\":\"NN\"},".utf8) }
        let whole = GzipCompressor(level: level).compress(input)
        let compressor = GzipCompressor(level: level)
        var pieces: [UInt8] = []
        for round in 0..<2 {  // twice: begin() resets after a finished member
            pieces = []
            compressor.begin()
            var k = 0
            while k < input.count {
                let n = min(input.count - k, 1 + random.below(300_000))
                input.withUnsafeBufferPointer {
                    compressor.append(UnsafeBufferPointer(rebasing: $0[k..<k + n]), into: &pieces)
                }
                k += n
            }
            compressor.finish(into: &pieces)
            let same = pieces == whole
            #expect(same || level == 0, "level \(level), round \(round): \(pieces.count) bytes, not \(whole.count)")
        }
        let dir = TestSupport.temporaryDirectory()
        try TestSupport.write(bytes: pieces, to: dir + "/s.gz")
        #expect(try TestSupport.gunzip(dir + "/s.gz") == String(decoding: input, as: UTF8.self))
        // An empty member.
        var empty: [UInt8] = []
        compressor.begin()
        compressor.finish(into: &empty)
        #expect(empty == GzipCompressor(level: level).compress([]))
    }

    @Test func outputIsDeterministic() {
        let input = Array(String(repeating: "newsmill ", count: 10_000).utf8)
        #expect(GzipCompressor(level: 6).compress(input) == GzipCompressor(level: 6).compress(input))
    }
}
