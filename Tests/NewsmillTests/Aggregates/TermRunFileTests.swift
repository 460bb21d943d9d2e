import Testing

@testable import Newsmill

@Suite struct TermRunFileTests {
    static func write(_ entries: [(String, String, Int, Int)], to path: String) throws {
        let writer = try TermRunFile.Writer(path: path)
        for (group, key, count, documents) in entries {
            var g = group
            var k = key
            try g.withUTF8 { gb in
                try k.withUTF8 { kb in try writer.append(group: gb, key: kb, count: count, documents: documents) }
            }
        }
        try writer.finish()
    }

    @Test func entriesRoundTripIncludingLargeNumbersAndEmptyGroups() throws {
        let path = TestSupport.temporaryDirectory() + "/run"
        let entries = [
            ("", "a", 1, 1), ("", String(repeating: "é", count: 200), Int(Int32.max) * 9, 300),
            ("d1", "", 0, 0), ("d1", "z", 128, 127),
        ]
        try Self.write(entries, to: path)
        let reader = try TermRunFile.Reader(path: path, bufferSize: 16)  // entries cross buffer refills
        var read: [(String, String, Int, Int)] = []
        while try reader.next() {
            read.append(
                (
                    String(decoding: reader.group, as: UTF8.self), String(decoding: reader.key, as: UTF8.self),
                    reader.count, reader.documents
                ))
        }
        #expect(read.map(\.0) == entries.map(\.0))
        #expect(read.map(\.1) == entries.map(\.1))
        #expect(read.map(\.2) == entries.map(\.2))
        #expect(read.map(\.3) == entries.map(\.3))
    }

    @Test func aTruncatedRunIsAnError() throws {
        let path = TestSupport.temporaryDirectory() + "/run"
        try Self.write([("", "abcdef", 5, 1)], to: path)
        var bytes = try FileSystem.readFile(path)
        bytes.removeLast(3)
        try TestSupport.write(bytes: bytes, to: path)
        let reader = try TermRunFile.Reader(path: path)
        #expect(throws: IOFailure.self) { _ = try reader.next() }
    }
}
