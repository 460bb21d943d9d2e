import Foundation
import Testing

@testable import Newsmill

@Suite struct ChunkReaderTests {
    private func readAll(_ path: String, gzip: Bool) throws -> [String] {
        let lines = LineReader(try ChunkReader(path: path, gzip: gzip))
        var result: [String] = []
        while try lines.nextLine({ result.append(String(decoding: $0, as: UTF8.self)) }) {}
        return result
    }

    @Test func readsGzipMadeByTheGzipTool() throws {
        let dir = TestSupport.temporaryDirectory()
        let text = (1...5000).map { "line \($0) with some words ünïcödé" }.joined(separator: "\n") + "\n"
        try TestSupport.write(text, to: dir + "/a.txt")
        try TestSupport.gzip(dir + "/a.txt")
        let lines = try readAll(dir + "/a.txt.gz", gzip: true)
        #expect(lines.count == 5000)
        #expect(lines.first == "line 1 with some words ünïcödé")
        #expect(lines.last == "line 5000 with some words ünïcödé")
    }

    @Test func readsEveryMemberOfAMultiMemberFile() throws {
        let dir = TestSupport.temporaryDirectory()
        _ = try TestSupport.python(
            """
            import gzip, sys
            with open(sys.argv[1], 'wb') as f:
                for m in range(3):
                    f.write(gzip.compress(''.join(f'member {m} line {i}\\n' for i in range(1000)).encode(), mtime=0))
            """, [dir + "/multi.jsonl.gz"])
        let lines = try readAll(dir + "/multi.jsonl.gz", gzip: true)
        #expect(lines.count == 3000)
        #expect(lines[1000] == "member 1 line 0")
        #expect(lines.last == "member 2 line 999")
    }

    @Test func readsTheSharedMultiMemberShardCompletely() throws {
        let path = TestSupport.sharedRoot + "/data/news/jsonl/reuters-dev-03.jsonl.gz"
        try #require(FileManager.default.fileExists(atPath: path), "../shared/data/news is missing")
        #expect(try readAll(path, gzip: true).count == 362)
    }

    @Test func reportsTruncation() throws {
        let dir = TestSupport.temporaryDirectory()
        let text = (1...20000).map { "row \($0) \($0 * 7919 % 1000)" }.joined(separator: "\n")
        try TestSupport.write(text, to: dir + "/t.txt")
        try TestSupport.gzip(dir + "/t.txt")
        var bytes = try FileSystem.readFile(dir + "/t.txt.gz")
        bytes.removeLast(bytes.count / 3)
        try TestSupport.write(bytes: bytes, to: dir + "/cut.txt.gz")
        #expect(throws: InputError.truncated(path: dir + "/cut.txt.gz")) {
            _ = try readAll(dir + "/cut.txt.gz", gzip: true)
        }
    }

    @Test func reportsACorruptChecksum() throws {
        let dir = TestSupport.temporaryDirectory()
        try TestSupport.write("hello world\n", to: dir + "/c.txt")
        try TestSupport.gzip(dir + "/c.txt")
        var bytes = try FileSystem.readFile(dir + "/c.txt.gz")
        bytes[bytes.count - 6] ^= 0xFF  // inside the CRC32 trailer
        try TestSupport.write(bytes: bytes, to: dir + "/bad.txt.gz")
        do {
            _ = try readAll(dir + "/bad.txt.gz", gzip: true)
            Issue.record("a corrupt checksum was not detected")
        } catch let error as InputError {
            guard case .corruptGzip(let path, let detail) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(path == dir + "/bad.txt.gz")
            #expect(detail.contains("check"))
        }
    }

    @Test func namesTrailingGarbageAfterTheLastMember() throws {
        let dir = TestSupport.temporaryDirectory()
        // gzip -d says "decompression OK, trailing garbage ignored"; zeros are padding.
        _ = try TestSupport.python(
            """
            import gzip, sys
            open(sys.argv[1], 'wb').write(gzip.compress(b'kept\\n') + b'\\0' * 100)
            open(sys.argv[2], 'wb').write(gzip.compress(b'one\\n') + gzip.compress(b'two\\n') + b'junk!')
            """, [dir + "/zeros.txt.gz", dir + "/junk.txt.gz"])
        #expect(try readAll(dir + "/zeros.txt.gz", gzip: true) == ["kept"])
        let lines = LineReader(try ChunkReader(path: dir + "/junk.txt.gz", gzip: true))
        var seen: [String] = []
        #expect(throws: InputError.self) {
            while try lines.nextLine({ seen.append(String(decoding: $0, as: UTF8.self)) }) {}
        }
        #expect(seen == ["one", "two"])
        do {
            _ = try readAll(dir + "/junk.txt.gz", gzip: true)
        } catch let error as InputError {
            #expect(
                error.reason
                    == "corrupt gzip data: bytes after the end of the gzip data are not gzip (trailing garbage)")
        }
    }

    @Test func readsPlainFilesAndCRLFLinesAndAMissingFinalNewline() throws {
        let dir = TestSupport.temporaryDirectory()
        try TestSupport.write("a\r\nb\nc", to: dir + "/p.txt")
        #expect(try readAll(dir + "/p.txt", gzip: false) == ["a", "b", "c"])
    }

    @Test func linesLongerThanTheBufferSurvive() throws {
        let dir = TestSupport.temporaryDirectory()
        let long = String(repeating: "x", count: 3 * ChunkReader.bufferSize + 17)
        try TestSupport.write("short\n\(long)\nend\n", to: dir + "/l.txt")
        try TestSupport.gzip(dir + "/l.txt")
        let lines = try readAll(dir + "/l.txt.gz", gzip: true)
        #expect(lines.count == 3)
        #expect(lines[1].utf8.count == long.utf8.count)
    }
}
