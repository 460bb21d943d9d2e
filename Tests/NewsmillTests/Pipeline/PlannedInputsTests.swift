import Foundation
import Testing

@testable import Newsmill

/// The scratch file an incremental run's plan writes: its inputs, records and statuses.
@Suite struct PlannedInputsTests {
    private static let entries: [(InputFile, RunState.FileRecord, PlannedInputs.Status)] = {
        var entries: [(InputFile, RunState.FileRecord, PlannedInputs.Status)] = []
        for k in 0..<3_000 {
            let path = k % 5 == 0 ? "/c/d\u{e9}j\u{e0}/\(k).jsonl.gz" : "c/a/\(k).txt"
            // Every format and compression: gzip in the flags, the others in a byte after them.
            let formats: [InputFormat] = [.txt, .csv, .tsv, .warc, .parquet]
            let format: InputFormat = k % 5 == 0 ? .jsonl : formats[k % 7 % 5]
            let compression: InputCompression =
                k % 5 == 0 ? .gzip : format == .parquet ? .none : [.none, .zstd, .xz, .bzip2][k % 4]
            var file = InputFile(
                path: path, format: format, compression: compression, size: k * 1_000_003,
                modified: k % 7 == 0 ? -k : 1_700_000_000_000_000_000 + k, key: "")
            file.keyStart = Int32(k % 5 == 0 ? 3 : 2)
            let hash = k % 11 == 0 ? "" : String(UInt32(truncatingIfNeeded: k &* 2_654_435_761), radix: 16)
            let status: PlannedInputs.Status = k % 3 == 0 ? .new : (k % 3 == 1 ? .unchanged : .changed)
            entries.append((file, RunState.FileRecord(size: file.size, modified: file.modified, hash: hash), status))
        }
        return entries
    }()

    private func write(_ dir: String) throws -> String {
        let path = dir + "/planned"
        let writer = try PlannedInputs.Writer(path: path)
        for (file, record, status) in Self.entries { try writer.append(file, record: record, status: status) }
        try writer.finish()
        return path
    }

    @Test func entriesComeBackInOrderWithTheirRecordsAndStatuses() throws {
        let path = try write(TestSupport.temporaryDirectory())
        let reader = try PlannedInputs.Reader(path: path)
        var k = 0
        while try reader.next() {
            let (file, record, status) = Self.entries[k]
            #expect(reader.file == file)
            #expect(reader.file.key == file.key)
            #expect(reader.record == record)
            #expect(reader.status == status)
            k += 1
        }
        #expect(k == Self.entries.count)
        #expect(try !reader.next())
    }

    @Test(arguments: [nil, [PlannedInputs.Status.new], [.new, .changed]] as [Set<PlannedInputs.Status>?])
    func nextFileYieldsTheStatusesAskedFor(_ only: Set<PlannedInputs.Status>?) throws {
        let path = try write(TestSupport.temporaryDirectory())
        let reader = try PlannedInputs.Reader(path: path, only: only)
        var files: [InputFile] = []
        while let file = reader.nextFile() { files.append(file) }
        #expect(reader.failure == nil)
        #expect(files == Self.entries.filter { only?.contains($0.2) ?? true }.map(\.0))
    }

    @Test func aTruncatedFileEndsTheInputsWithAFailure() throws {
        let dir = TestSupport.temporaryDirectory()
        let bytes = try FileSystem.readFile(try write(dir))
        let cut = dir + "/cut"
        try TestSupport.write(bytes: Array(bytes[..<(bytes.count - 3)]), to: cut)
        let reader = try PlannedInputs.Reader(path: cut)
        var count = 0
        while reader.nextFile() != nil { count += 1 }
        #expect(count == Self.entries.count - 1)
        #expect(reader.failure?.detail == "truncated planned-inputs file")
        #expect(reader.nextFile() == nil)
    }
}
