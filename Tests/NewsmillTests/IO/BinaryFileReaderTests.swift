import Testing

@testable import Newsmill

/// The buffered reader behind `counts`' run files and incremental runs' plans, on real
/// files, with buffers small enough that every value crosses a refill.
@Suite struct BinaryFileReaderTests {
    /// 300 (two-byte varint), "hello" (length-prefixed), 0x2A, 2^40 (six-byte varint).
    static let content: [UInt8] =
        [0xAC, 0x02, 0x05] + Array("hello".utf8) + [0x2A, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20]

    static func file(_ bytes: [UInt8]) throws -> String {
        let path = TestSupport.temporaryDirectory() + "/data.bin"
        try TestSupport.write(bytes: bytes, to: path)
        return path
    }

    @Test(arguments: [1, 2, 3, 7, 1 << 16])
    func readsVarintsBytesAndTheEnd(bufferSize: Int) throws {
        let reader = try BinaryFileReader(path: try Self.file(Self.content), kind: "test file", bufferSize: bufferSize)
        #expect(try reader.hasMore())
        #expect(try reader.varint() == 300)
        var text: [UInt8] = []
        try reader.bytes(try reader.varint(), into: &text)
        #expect(String(decoding: text, as: UTF8.self) == "hello")
        #expect(try reader.byte() == 0x2A)
        #expect(try reader.varint() == 1 << 40)
        #expect(try !reader.hasMore())
    }

    @Test func truncatedAndCorruptFilesAreErrorsThatNameTheFile() throws {
        let cut = try Self.file(Array(Self.content.prefix(5)))  // inside "hello"
        let reader = try BinaryFileReader(path: cut, kind: "test file", bufferSize: 2)
        _ = try reader.varint()
        var text: [UInt8] = []
        #expect(throws: IOFailure(path: cut, detail: "truncated test file")) {
            try reader.bytes(try reader.varint(), into: &text)
        }
        let endless = try Self.file([UInt8](repeating: 0xFF, count: 12))  // a varint past 64 bits
        #expect(throws: IOFailure(path: endless, detail: "corrupt test file")) {
            _ = try BinaryFileReader(path: endless, kind: "test file").varint()
        }
        #expect(throws: IOFailure.self) {
            _ = try BinaryFileReader(path: endless + ".missing", kind: "test file")
        }
    }

    /// What ``BinaryFileWriter`` writes is what the reader reads, across many 64 KB flushes.
    @Test func readsWhatTheWriterWrote() throws {
        let path = TestSupport.temporaryDirectory() + "/written.bin"
        let writer = try BinaryFileWriter(path: path)
        for i in 0..<20_000 {
            writer.byte(UInt8(i & 0xFF))
            writer.varint(i * 1_000_003)
            writer.string(Array("entry \(i)".utf8))
            try writer.entryDone()
        }
        try writer.finish()
        let reader = try BinaryFileReader(path: path, kind: "test file", bufferSize: 1000)
        var text: [UInt8] = []
        for i in 0..<20_000 {
            #expect(try reader.byte() == UInt8(i & 0xFF))
            #expect(try reader.varint() == i * 1_000_003)
            try reader.bytes(try reader.varint(), into: &text)
            #expect(text == Array("entry \(i)".utf8))
        }
        #expect(try !reader.hasMore())
    }
}
