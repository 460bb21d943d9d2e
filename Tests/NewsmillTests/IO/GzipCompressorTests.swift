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

    @Test func outputIsDeterministic() {
        let input = Array(String(repeating: "newsmill ", count: 10_000).utf8)
        #expect(GzipCompressor(level: 6).compress(input) == GzipCompressor(level: 6).compress(input))
    }
}
