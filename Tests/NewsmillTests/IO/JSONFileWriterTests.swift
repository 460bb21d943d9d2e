import Testing

@testable import Newsmill

@Suite struct JSONFileWriterTests {
    @Test func writesInMegabytePiecesAndTheFileHoldsEverything() throws {
        let path = TestSupport.temporaryDirectory() + "/out.json"
        let file = try OutputFile(finalPath: path)
        var output = JSONFileWriter(file: file)
        var expected = JSONWriter()
        var largest = 0
        for k in 0..<200_000 {
            output.writer.string("term \(k) ü")
            expected.string("term \(k) ü")
            largest = max(largest, output.writer.bytes.count)
            try output.flushIfFull()
        }
        try output.flush()
        try file.commit()
        #expect(largest < (1 << 20) + 64)
        #expect(expected.bytes.count > 2 << 20)
        #expect(try FileSystem.readFile(path) == expected.bytes)
    }

    @Test func withoutAFileItKeepsTheBytes() throws {
        var output = JSONFileWriter(file: nil)
        output.writer.raw("[1]")
        try output.flush()
        #expect(output.writer.bytes == Array("[1]".utf8))
    }
}
