import Foundation
import Testing

@testable import Newsmill

/// zstd, xz and bzip2 inputs, made by the real tools and read through the real tools in a
/// child process (`zstd`, `xz`, `bzip2` are on PATH here and in CI's image).
@Suite struct ExternalDecompressionTests {
    private func readAll(_ path: String, _ compression: InputCompression) throws -> (lines: [String], read: Int) {
        let chunks = try ChunkReader(path: path, compression: compression)
        let lines = LineReader(chunks)
        var result: [String] = []
        while try lines.nextLine({ result.append(String(decoding: $0, as: UTF8.self)) }) {}
        return (result, chunks.bytesRead)
    }

    private func compress(_ tool: String, _ path: String) throws {
        let result = try TestSupport.run([tool, "-k", "-f", "-q", path])
        try #require(result.status == 0, "\(tool) failed: \(result.stderr)")
    }

    private static let cases: [(tool: String, suffix: String, compression: InputCompression)] = [
        ("zstd", ".zst", .zstd), ("xz", ".xz", .xz), ("bzip2", ".bz2", .bzip2),
    ]

    @Test func namesSayTheCompressionAndTheFormatUnderIt() {
        #expect(InputFormat.from(fileName: "pile-00.jsonl.zst")! == (.jsonl, .zstd))
        #expect(InputFormat.from(fileName: "dolma-0001.json.zstd")! == (.jsonl, .zstd))
        #expect(InputFormat.from(fileName: "A.TXT.XZ")! == (.txt, .xz))
        #expect(InputFormat.from(fileName: "rows.csv.bz2")! == (.csv, .bzip2))
        #expect(InputFormat.from(fileName: "crawl.warc.gz")! == (.warc, .gzip))
        // A plain .json is one JSON value far more often than JSON lines; compressed, it is lines.
        #expect(InputFormat.from(fileName: "report.json") == nil)
        #expect(InputFormat.from(fileName: "notes.zst") == nil)
    }

    @Test(arguments: [0, 1, 2]) func readsWhatTheToolWroteAndCountsTheBytesOnDisk(_ which: Int) throws {
        let (tool, suffix, compression) = Self.cases[which]
        let dir = TestSupport.temporaryDirectory("readsWhatTheToolWrote-\(tool)")
        let text = (1...30000).map { "line \($0) with some words ünïcödé" }.joined(separator: "\n") + "\n"
        try TestSupport.write(text, to: dir + "/a.jsonl")
        try compress(tool, dir + "/a.jsonl")
        let (lines, read) = try readAll(dir + "/a.jsonl" + suffix, compression)
        #expect(lines.count == 30000)
        #expect(lines.first == "line 1 with some words ünïcödé")
        #expect(lines.last == "line 30000 with some words ünïcödé")
        let size = try #require(FileSystem.status(dir + "/a.jsonl" + suffix)).size
        #expect(read == size)
    }

    @Test func readsEveryFrameOfConcatenatedZstdFiles() throws {
        let dir = TestSupport.temporaryDirectory()
        for k in 0..<3 {
            try TestSupport.write(
                (0..<100).map { "part \(k) line \($0)" }.joined(separator: "\n") + "\n", to: dir + "/p\(k)")
            try compress("zstd", dir + "/p\(k)")
        }
        var bytes: [UInt8] = []
        for k in 0..<3 { bytes += try FileSystem.readFile(dir + "/p\(k).zst") }
        try TestSupport.write(bytes: bytes, to: dir + "/all.jsonl.zst")
        let lines = try readAll(dir + "/all.jsonl.zst", .zstd).lines
        #expect(lines.count == 300)
        #expect(lines[100] == "part 1 line 0")
    }

    @Test func aTruncatedFileFailsWithTheToolsOwnWordsAfterItsFirstLines() throws {
        let dir = TestSupport.temporaryDirectory()
        let text = (1...50000).map { "row \($0) \($0 * 7919 % 1000)" }.joined(separator: "\n") + "\n"
        try TestSupport.write(text, to: dir + "/t.txt")
        try compress("xz", dir + "/t.txt")
        var bytes = try FileSystem.readFile(dir + "/t.txt.xz")
        bytes.removeLast(bytes.count / 3)
        try TestSupport.write(bytes: bytes, to: dir + "/cut.txt.xz")
        let lines = LineReader(try ChunkReader(path: dir + "/cut.txt.xz", compression: .xz))
        var count = 0
        do {
            while try lines.nextLine({ _ in count += 1 }) {}
            Issue.record("a truncated xz file was read to its end")
        } catch let error as InputError {
            guard case .decompressFailed(let path, let detail) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(path == dir + "/cut.txt.xz")
            #expect(detail.hasPrefix("corrupt xz data: xz -d failed (exit status 1)"), "\(detail)")
            #expect(detail.contains("Unexpected end of input"), "\(detail)")
        }
        #expect(count > 0 && count < 50000)
    }

    @Test func aMissingToolIsAnErrorThatNamesItsPackage() throws {
        let dir = TestSupport.temporaryDirectory()
        try TestSupport.write("{\"id\": \"a\", \"text\": \"Hi.\"}\n", to: dir + "/a.jsonl")
        try compress("zstd", dir + "/a.jsonl")
        // A tool name that is on no PATH (changing PATH itself would race the other tests).
        #expect(
            throws: InputError.decompressFailed(
                path: dir + "/a.jsonl.zst",
                detail: "zstd-compressed, and the newsmill-no-such-zstd program is not installed "
                    + "(apt install zstd); install it or decompress the file first")
        ) {
            _ = try ChunkReader(
                path: dir + "/a.jsonl.zst", compression: .zstd, tool: ["newsmill-no-such-zstd", "-d", "-c"])
        }
    }

    @Test func stoppingEarlyLeavesNoChildBehind() throws {
        let dir = TestSupport.temporaryDirectory()
        let text = (1...400_000).map { "{\"id\": \"n\($0)\", \"text\": \"Line \($0).\"}" }.joined(separator: "\n")
        try TestSupport.write(text, to: dir + "/big.jsonl")
        try compress("xz", dir + "/big.jsonl")
        var pid: pid_t = 0
        do {
            let chunks = try ChunkReader(path: dir + "/big.jsonl.xz", compression: .xz)
            pid = chunks.decompressorPID ?? 0
            #expect(pid > 0)
            #expect(try chunks.next { _ in })
        }
        // The reader is gone: its child was stopped and reaped (no process, not even a zombie).
        #expect(kill(pid, 0) == -1 && errno == ESRCH)
    }

    /// libzstd in the process when it loads, the `zstd` program otherwise: the same lines,
    /// and a file cut short is an error either way.
    @Test func zstdInTheProcessAndThroughTheProgramAgree() throws {
        let dir = TestSupport.temporaryDirectory()
        let text = (1...60000).map { "line \($0) ünïcödé \(String(repeating: "x", count: $0 % 50))" }.joined(
            separator: "\n")
        try TestSupport.write(text + "\n", to: dir + "/a.jsonl")
        try compress("zstd", dir + "/a.jsonl")
        try #require(Zstd.library != nil, "libzstd.so.1 should load here (Debian's libzstd1)")
        let chunks = try ChunkReader(path: dir + "/a.jsonl.zst", compression: .zstd)
        #expect(chunks.decompressorPID == nil)
        let lines = LineReader(chunks)
        var inProcess: [String] = []
        while try lines.nextLine({ inProcess.append(String(decoding: $0, as: UTF8.self)) }) {}
        let program = LineReader(
            try ChunkReader(path: dir + "/a.jsonl.zst", compression: .zstd, tool: ["zstd", "-d", "-c", "-q"]))
        var viaProgram: [String] = []
        while try program.nextLine({ viaProgram.append(String(decoding: $0, as: UTF8.self)) }) {}
        #expect(inProcess.count == 60000)
        #expect(inProcess == viaProgram)

        var bytes = try FileSystem.readFile(dir + "/a.jsonl.zst")
        bytes.removeLast(bytes.count / 2)
        try TestSupport.write(bytes: bytes, to: dir + "/cut.jsonl.zst")
        let cut = LineReader(try ChunkReader(path: dir + "/cut.jsonl.zst", compression: .zstd))
        #expect(throws: InputError.self) {
            while try cut.nextLine({ _ in }) {}
        }
        do {
            let again = LineReader(try ChunkReader(path: dir + "/cut.jsonl.zst", compression: .zstd))
            while try again.nextLine({ _ in }) {}
        } catch let error as InputError {
            #expect(error.reason == "corrupt zstd data: the file ends inside a frame (cut short?)")
        }
    }
}
