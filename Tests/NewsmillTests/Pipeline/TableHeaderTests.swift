import Foundation
import Testing

@testable import Newsmill

/// CSV and TSV inputs, written by Python's csv module (RFC 4180 quoting, CRLF line ends).
@Suite struct TableHeaderTests {
    static let writer = """
        import csv, gzip, io, sys
        d = sys.argv[1]
        rows = [
            {'id': 'a1', 'title': 'Markets, "rally"', 'content': 'Stocks rose.\\nThe Dow gained 1.2 pct, traders said.',
             'date': '2023-05-01'},
            {'id': '', 'title': 'No id', 'content': 'Second, with "quotes" and , commas.', 'date': ''},
            {'id': 'a3', 'title': 'Zürich', 'content': 'Café in Zürich 😀.', 'date': '1 May 2023'},
        ]
        names = ['id', 'title', 'content', 'date']
        with open(d + '/news.csv', 'w', newline='', encoding='utf-8-sig') as f:  # with a UTF-8 mark, as Excel writes
            w = csv.DictWriter(f, fieldnames=names); w.writeheader(); w.writerows(rows)
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=names, delimiter='\\t'); w.writeheader(); w.writerows(rows)
        gzip.open(d + '/news.tsv.gz', 'wt', newline='', encoding='utf-8').write(buf.getvalue())
        open(d + '/bad.csv', 'w').write('id,content\\nb1,fine\\nb2,too,many\\nb3,"a"b\\n\\nb4,"never closed\\nmore\\n')
        open(d + '/other.csv', 'w').write('id,body\\nc1,a body\\n')
        open(d + '/mac.csv', 'w', newline='').write('id,content\\rm1,classic\\r')
        """

    @Test func rowsAreDocumentsAndBadRowsAreErrorLinesWithTheirLine() throws {
        let dir = TestSupport.temporaryDirectory()
        try FileSystem.makeDirectories(dir + "/in")
        _ = try TestSupport.python(Self.writer, [dir + "/in"])
        let config = try PipelineConfig.parse(
            "inputs: [in]\ninput: {text_field: content}\noutput: out\nstages: [segment]\n", path: dir + "/p.yaml")
        let report = try Runner(config: config, options: RunOptions(workers: 2)).run()
        #expect(report.kept == 7)
        #expect(report.failed == 3)
        #expect(report.fileFailures == 2)
        let documents = try TestSupport.python(
            """
            import gzip, json, sys
            for l in gzip.open(sys.argv[1]):
                d = json.loads(l)
                name = d['source']['path'].rsplit('/', 1)[1]
                print(name, d['source']['line'], d['id'].rsplit('/', 1)[-1], json.dumps(d['text'], ensure_ascii=False),
                      json.dumps(d['meta'], ensure_ascii=False, sort_keys=True), len(d['tokens']))
            """, [dir + "/out/documents.jsonl.gz"])
        func expected(_ name: String) -> [String] {
            [
                #"2 a1 "Stocks rose.\nThe Dow gained 1.2 pct, traders said." {"date": "2023-05-01", "title": "Markets, \"rally\""} 13"#,
                #"4 \#(name):4 "Second, with \"quotes\" and , commas." {"title": "No id"} 10"#,
                #"5 a3 "Café in Zürich 😀." {"date": "1 May 2023", "title": "Zürich"} 5"#,
            ].map { name + " " + $0 }
        }
        let lines = documents.split(separator: "\n").map(String.init)
        #expect(lines.count == 7)
        #expect(lines.first == "bad.csv 2 b1 \"fine\" {} 1")
        #expect(Array(lines[1...3]) == expected("news.csv"))
        #expect(Array(lines[4...6]) == expected("news.tsv.gz"))

        let errors = try String(contentsOfFile: dir + "/out/errors.jsonl", encoding: .utf8)
            .split(separator: "\n").map { try JSONParser.parse(String($0)) }
        #expect(
            errors.map { "\($0["path"]?.stringValue?.split(separator: "/").last ?? ""):\($0["line"]?.intValue ?? 0)" }
                == ["bad.csv:3", "bad.csv:4", "bad.csv:6", "mac.csv:1", "other.csv:2"])
        #expect(errors[0]["reason"] == .string("the row has 3 fields, the header 2"))
        #expect(errors[1]["reason"]?.stringValue?.hasPrefix("malformed row") == true)
        #expect(errors[2]["reason"]?.stringValue?.contains("never closed") == true)
        #expect(errors[3]["reason"]?.stringValue?.hasPrefix("the lines end in CR alone") == true)
        #expect(
            errors[4]["reason"]
                == .string(
                    "no column 'content' in the header (id, body): set the text column with input: {text_field: NAME}"))
    }

    @Test func incrementalRunsRememberTableFiles() throws {
        let dir = TestSupport.temporaryDirectory()
        try FileSystem.makeDirectories(dir + "/in")
        _ = try TestSupport.python(Self.writer, [dir + "/in"])
        try FileSystem.remove(dir + "/in/bad.csv")
        try FileSystem.remove(dir + "/in/other.csv")
        try FileSystem.remove(dir + "/in/mac.csv")
        let config = try PipelineConfig.parse(
            "inputs: [in]\ninput: {text_field: content}\noutput: {directory: out, incremental: true}\nstages: [segment]\n",
            path: dir + "/p.yaml")
        let first = try Runner(config: config, options: RunOptions(workers: 1)).run()
        #expect(first.kept == 6)
        let second = try Runner(config: config, options: RunOptions(workers: 1)).run()
        #expect(second.documents == 0)
        #expect(second.filesSkipped == 2)
    }

    /// A quote inside a bare field (`5" screen`, typed by hand) is a character, as Python's
    /// csv reads it: it does not open a quoted field that would swallow the rows after it.
    @Test func aQuoteInsideABareFieldDoesNotJoinRows() throws {
        let dir = TestSupport.temporaryDirectory()
        try TestSupport.write(
            "id,text\nr1,A 5\" screen is small.\nr2,\"Quoted, with\ntwo lines.\"\nr3,Plain.\n", to: dir + "/in/a.csv")
        let config = try PipelineConfig.parse("inputs: [in]\noutput: out\nstages: []\n", path: dir + "/p.yaml")
        let report = try Runner(config: config, options: RunOptions(workers: 1)).run()
        #expect(report.kept == 3)
        #expect(report.failed == 0)
        let texts = try TestSupport.python(
            "import gzip, json, sys\nprint(json.dumps([json.loads(l)['text'] for l in gzip.open(sys.argv[1])]))",
            [dir + "/out/documents.jsonl.gz"])
        #expect(
            texts.trimmingCharacters(in: .whitespacesAndNewlines)
                == #"["A 5\" screen is small.", "Quoted, with\ntwo lines.", "Plain."]"#)
        func ends(_ line: String, _ inQuotes: Bool = false) -> Bool {
            Array(line.utf8).withUnsafeBufferPointer {
                TableHeader.endsInQuotes($0, separator: 0x2C, startingInQuotes: inQuotes)
            }
        }
        #expect(!ends(#"a,5" screen,b"#))
        #expect(ends(#"a,"open, still"#))
        #expect(!ends(#"a,"closed ""q"" here",b"#))
        #expect(!ends(#"more text","#, true))
        #expect(ends(#"say ""hi"" and"#, true))
    }

    @Test func fieldsFollowRFC4180() {
        func split(_ row: String, _ separator: UInt8 = 0x2C) -> [String]? {
            Array(row.utf8).withUnsafeBufferPointer { TableHeader.fields($0, separator: separator) }?
                .map { String(decoding: $0, as: UTF8.self) }
        }
        #expect(split("a,b,c") == ["a", "b", "c"])
        #expect(split("") == [""])
        #expect(split("a,,") == ["a", "", ""])
        #expect(split(#""a,b","say ""hi""",c"#) == ["a,b", #"say "hi""#, "c"])
        #expect(split("\"two\nlines\",x") == ["two\nlines", "x"])
        #expect(split("a\t\"b\tc\"", 0x09) == ["a", "b\tc"])
        #expect(split(#"a "quoted" word,b"#) == [#"a "quoted" word"#, "b"])  // quotes inside a bare field stay
        #expect(split(#""a"b,c"#) == nil)
        #expect(split(#""open"#) == nil)
    }
}
