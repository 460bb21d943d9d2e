import Foundation
import Testing

@testable import Newsmill

/// Parquet files written by pyarrow 26 (Tests/NewsmillTests/Fixtures/parquet, made by the
/// script in its README): every codec newsmill reads, data pages v1 and v2, dictionary and
/// plain encodings, nulls, non-ASCII text, a list column (not read) and a file cut short.
@Suite struct ParquetReaderTests {
    static let folder = TestSupport.repoRoot + "/Tests/NewsmillTests/Fixtures/parquet"

    private func rows(_ name: String) throws -> [String] {
        let reader = try ParquetReader(path: Self.folder + "/" + name)
        var rows: [String] = []
        try reader.rows(
            emit: { json, row in
                #expect(row == rows.count + 1)
                rows.append(String(decoding: json, as: UTF8.self))
            }, progress: { _ in }, stop: { false })
        return rows
    }

    @Test(arguments: ["snappy.parquet", "gzip-plain.parquet", "zstd-v2.parquet", "none.parquet"])
    func everyRowEqualsWhatPyarrowWasGiven(_ name: String) throws {
        let got = try rows(name)
        #expect(got.count == 300)
        let dir = TestSupport.temporaryDirectory("parquet-\(name)")
        try TestSupport.write(got.joined(separator: "\n") + "\n", to: dir + "/got.jsonl")
        // Python compares the values (numbers as numbers: 1e-3 and 0.001 are one value).
        let result = try TestSupport.python(
            """
            import json, sys
            got = [json.loads(l) for l in open(sys.argv[1])]
            expected = [json.loads(l) for l in open(sys.argv[2])]
            assert len(got) == len(expected), (len(got), len(expected))
            for g, e in zip(got, expected):
                assert list(g) == list(e), (list(g), list(e))
                for k in e:
                    if isinstance(e[k], float):
                        assert abs(g[k] - e[k]) <= 1e-6 * max(1, abs(e[k])), (k, g[k], e[k])
                    else:
                        assert g[k] == e[k], (k, g[k], e[k])
            print("ok")
            """, [dir + "/got.jsonl", Self.folder + "/expected.jsonl"])
        #expect(result == "ok\n")
    }

    @Test func theListColumnIsLeftOutAndNamed() throws {
        let reader = try ParquetReader(path: Self.folder + "/snappy.parquet")
        #expect(reader.skippedColumns == ["tags"])
        #expect(reader.columns.map(\.name) == ["id", "text", "url", "score", "n", "small", "ratio", "flag"])
        #expect(reader.rowGroups.map(\.rows) == [120, 120, 60])
    }

    @Test func datesAndTimestampsAreISOStringsInTheirOwnPrecision() throws {
        #expect(
            try rows("dates.parquet") == [
                #"{"id":"a","text":"A.","when":"2024-01-02T00:00:00","ms":"2024-01-02T00:00:00","ns_utc":"2024-01-02T00:00:00Z","day":"2024-01-03"}"#,
                #"{"id":"b","text":"B.","when":"1969-12-31T23:59:59.500000","ms":"1969-12-31T23:59:59.500","ns_utc":"1969-12-31T23:59:59.500000000Z","day":"1900-03-01"}"#,
                #"{"id":"c","text":"C.","when":"2000-02-29T13:05:07.123456","ms":"2000-02-29T13:05:07.123","ns_utc":"2000-02-29T13:05:07.123456000Z","day":"0001-01-01"}"#,
            ])
        #expect(ColumnCursor.isoDate(days: 0) == "1970-01-01")
        #expect(ColumnCursor.isoDate(days: -1) == "1969-12-31")
        #expect(ColumnCursor.isoDate(days: 2_932_896) == "9999-12-31")
    }

    @Test func aFileCutShortOrNotParquetIsAFailureThatSaysSo() throws {
        #expect {
            _ = try ParquetReader(path: Self.folder + "/cut.parquet")
        } throws: { error in
            "\(error)".contains("no PAR1 at the end of the file: cut short")
        }
        #expect {
            _ = try ParquetReader(path: Self.folder + "/expected.jsonl")
        } throws: { error in
            "\(error)".contains("not a Parquet file")
        }
    }

    @Test func aRunReadsRowsAsDocumentsAndReportsWhatItCannot() throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: TestSupport.binary),
            "build the CLI first (make test does): \(TestSupport.binary)")
        let dir = TestSupport.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        for name in ["snappy.parquet", "cut.parquet"] {
            try FileManager.default.copyItem(atPath: Self.folder + "/" + name, toPath: dir + "/in/" + name)
        }
        try TestSupport.write(
            "inputs: [in]\noutput: {directory: out, fields: [id, text, meta]}\nstages: [segment]\n", to: dir + "/p.yaml"
        )
        let result = try TestSupport.run([TestSupport.binary, "run", dir + "/p.yaml", "--quiet"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("299 kept"), "\(result.stdout)")
        let errors = try String(contentsOfFile: dir + "/out/errors.jsonl", encoding: .utf8)
            .split(separator: "\n").map { try JSONParser.parse(String($0)) }
        #expect(errors.count == 2)
        #expect(errors[0]["path"] == .string(dir + "/in/cut.parquet") && errors[0]["line"] == .int(0))
        // Row 8 has a null text.
        #expect(errors[1]["path"] == .string(dir + "/in/snappy.parquet") && errors[1]["line"] == .int(8))
        let report = try JSONParser.parse(try String(contentsOfFile: dir + "/out/report.json", encoding: .utf8))
        #expect(report["counters"]?["input.parquet_columns_not_read"] == .int(1))
        let first = try TestSupport.python(
            """
            import gzip, json, sys
            d = json.loads(gzip.open(sys.argv[1]).readline())
            print(d["id"], d["meta"]["url"] if "url" in d["meta"] else "-", d["meta"]["n"], d["meta"]["flag"], d["text"][:8])
            """, [dir + "/out/documents.jsonl.gz"])
        #expect(first == "r0 - 0 True Row 0: A\n")
    }
}
