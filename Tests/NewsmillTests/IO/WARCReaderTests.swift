import Foundation
import Testing

@testable import Newsmill

/// WARC inputs (ISO 28500) written by Python as crawlers write them: one gzip member a
/// record (CC-News), or plain; request, warcinfo and non-HTML records among the pages.
@Suite struct WARCReaderTests {
    static let writer = #"""
        import gzip, sys
        d = sys.argv[1]
        def rec(wtype, uri, block, rid):
            head = (f"WARC/1.0\r\nWARC-Type: {wtype}\r\nWARC-Target-URI: {uri}\r\n"
                    f"WARC-Date: 2024-03-01T12:00:00Z\r\nWARC-Record-ID: <urn:uuid:{rid}>\r\n"
                    f"Content-Type: application/http; msgtype={wtype}\r\nContent-Length: {len(block)}\r\n\r\n").encode()
            return head + block + b"\r\n\r\n"
        def http(status, ctype, body, extra=""):
            return (f"HTTP/1.1 {status} X\r\nContent-Type: {ctype}\r\n{extra}"
                    f"Content-Length: {len(body)}\r\n\r\n").encode() + body
        page = ("<!DOCTYPE html><html><head><title>T</title><script>var x = 1;</script></head><body>"
                "<p>Stocks in Tokyo rose 2 pct on Monday, traders said.</p><p>The yen fell.</p></body></html>")
        records = [
            b"WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 4\r\n\r\ninfo\r\n\r\n",
            rec("request", "http://a/1", b"GET /1 HTTP/1.1\r\n\r\n", "r1"),
            rec("response", "http://a/1", http(200, "text/html; charset=UTF-8", page.encode()), "p1"),
            rec("response", "http://a/2", http(404, "text/html", b"<p>Not found</p>"), "p2"),
            rec("response", "http://a/3", http(200, "image/jpeg", b"\xff\xd8\xff"), "p3"),
            rec("response", "http://a/4",
                http(200, 'text/html; charset="iso-8859-1"', "<p>Café in Zürich.</p>".encode("latin-1")), "p4"),
            rec("response", "http://a/5",
                http(200, "text/html", gzip.compress(b"<p>Gzipped page.</p>"), "Content-Encoding: gzip\r\n"), "p5"),
            rec("response", "http://a/6",
                http(200, "text/html", b"b\r\n<p>Chunked \r\n9;ext=1\r\npage.</p>\r\n0\r\n\r\n",
                     "Transfer-Encoding: chunked\r\n"), "p6"),
            rec("response", "http://a/7", http(200, "text/html", b"\x0b\x02\x80", "Content-Encoding: br\r\n"), "p7"),
            rec("resource", "http://a/8", b"<p>Saved page.</p>", "p8").replace(
                b"application/http; msgtype=resource", b"text/html; charset=utf-8"),
        ]
        with open(d + "/cc-news.warc.gz", "wb") as f:
            for r in records:
                f.write(gzip.compress(r))
        open(d + "/plain.warc", "wb").write(records[5] + b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 999\r\n\r\nshort")
        """#

    @Test func pagesAreDocumentsAndOtherRecordsAreCounted() throws {
        let dir = TestSupport.temporaryDirectory()
        try FileSystem.makeDirectories(dir + "/in")
        _ = try TestSupport.python(Self.writer, [dir + "/in"])
        let config = try PipelineConfig.parse(
            "inputs: [in]\noutput: out\nstages: [normalize, segment]\n", path: dir + "/p.yaml")
        let report = try Runner(config: config, options: RunOptions(workers: 2)).run()
        #expect(report.kept == 6)
        #expect(report.counters["input.warc_records_not_responses"] == 2)
        #expect(report.counters["input.warc_responses_not_200"] == 1)
        #expect(report.counters["input.warc_responses_not_text"] == 1)
        let documents = try TestSupport.python(
            """
            import gzip, json, sys
            for l in gzip.open(sys.argv[1]):
                d = json.loads(l)
                print(d['source']['path'].rsplit('/', 1)[1], d['source']['line'], d['id'], d['meta'].get('title', '-'),
                      d['meta']['url'],
                      d['meta']['date'], json.dumps(d['text'], ensure_ascii=False))
            """, [dir + "/out/documents.jsonl.gz"])
        #expect(
            documents.split(separator: "\n").map(String.init) == [
                #"cc-news.warc.gz 3 urn:uuid:p1 T http://a/1 2024-03-01T12:00:00Z "Stocks in Tokyo rose 2 pct on Monday, traders said.\nThe yen fell.""#,
                #"cc-news.warc.gz 6 urn:uuid:p4 - http://a/4 2024-03-01T12:00:00Z "Café in Zürich.""#,
                #"cc-news.warc.gz 7 urn:uuid:p5 - http://a/5 2024-03-01T12:00:00Z "Gzipped page.""#,
                #"cc-news.warc.gz 8 urn:uuid:p6 - http://a/6 2024-03-01T12:00:00Z "Chunked page.""#,
                #"cc-news.warc.gz 10 urn:uuid:p8 - http://a/8 2024-03-01T12:00:00Z "Saved page.""#,
                #"plain.warc 1 urn:uuid:p4 - http://a/4 2024-03-01T12:00:00Z "Café in Zürich.""#,
            ])
        let errors = try String(contentsOfFile: dir + "/out/errors.jsonl", encoding: .utf8)
            .split(separator: "\n").map { try JSONParser.parse(String($0)) }
        #expect(errors.count == 2)
        #expect(errors[0]["line"]?.intValue == 9)
        #expect(errors[0]["reason"]?.stringValue?.contains("compressed with br") == true)
        #expect(errors[1]["path"]?.stringValue?.hasSuffix("plain.warc") == true)

        // --limit counts documents, not the requests and images between them.
        var limited = RunOptions(workers: 1)
        limited.limit = 2
        var sample = config
        sample.output.directory = dir + "/sample"
        #expect(try Runner(config: sample, options: limited).run().kept == 2)
        #expect(errors[1]["reason"] == .string("record 2 is cut short (end of file)"))
    }

    /// Lines between records (a mis-counted length, a concatenation gone wrong; one of
    /// them 3 MB long) are one error line, and the records after them are read.
    @Test func damagedRecordsAreSkippedToTheNextOne() throws {
        let dir = TestSupport.temporaryDirectory()
        try FileSystem.makeDirectories(dir + "/in")
        _ = try TestSupport.python(
            #"""
            import sys
            def rec(text, length=None):
                block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>" + text + b"</p>"
                n = len(block) if length is None else length
                return b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: " + str(n).encode() + b"\r\n\r\n" + block + b"\r\n\r\n"
            data = rec(b"One.") + b"garbage\r\n" + b"x" * 3000000 + b"\r\nmore garbage\r\n" + rec(b"Two.", length=-5) + rec(b"Three.") + b"tail\r\n"
            open(sys.argv[1] + "/a.warc", "wb").write(data)
            """#, [dir + "/in"])
        let config = try PipelineConfig.parse("inputs: [in]\noutput: out\nstages: [normalize]\n", path: dir + "/p.yaml")
        let report = try Runner(config: config, options: RunOptions(workers: 1)).run()
        let texts = try TestSupport.python(
            "import gzip, json, sys\nprint(' '.join(json.loads(l)['text'] for l in gzip.open(sys.argv[1])))",
            [dir + "/out/documents.jsonl.gz"])
        #expect(texts.trimmingCharacters(in: .whitespacesAndNewlines) == "One. Three.")
        #expect(report.kept == 2)
        let reasons = try String(contentsOfFile: dir + "/out/errors.jsonl", encoding: .utf8)
            .split(separator: "\n").map { try JSONParser.parse(String($0))["reason"]?.stringValue ?? "" }
        #expect(
            reasons == [
                "3 lines before this record are not part of a WARC record (skipped)",
                "record 2 has no valid Content-Length",
                "3 lines before this record are not part of a WARC record (skipped)",
                "the last line of the file is not part of a WARC record",
            ])
    }

    /// Pages in other charsets, named in the HTTP head or in a <meta> tag, are decoded.
    @Test func declaredCharsetsAreDecoded() throws {
        let dir = TestSupport.temporaryDirectory()
        try FileSystem.makeDirectories(dir + "/in")
        _ = try TestSupport.python(
            #"""
            import sys
            def rec(n, ctype, body):
                block = f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\n\r\n".encode() + body
                return (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{n}>\r\n"
                        f"Content-Length: {len(block)}\r\n\r\n").encode() + block + b"\r\n\r\n"
            data = (rec("ru", "text/html; charset=windows-1251", "<p>Москва, 1 мая.</p>".encode("cp1251"))
                    + rec("ja", "text/html", '<meta charset="Shift_JIS"><p>東京の株価。</p>'.encode("shift_jis"))
                    + rec("bogus", "text/html; charset=x-bogus", b"<p>Plain.</p>"))
            open(sys.argv[1] + "/a.warc", "wb").write(data)
            """#, [dir + "/in"])
        let config = try PipelineConfig.parse("inputs: [in]\noutput: out\nstages: [normalize]\n", path: dir + "/p.yaml")
        let report = try Runner(config: config, options: RunOptions(workers: 1)).run()
        #expect(report.kept == 3)
        #expect(report.counters["input.charset_not_decoded"] == 1)
        let lines = try TestSupport.python(
            """
            import gzip, json, sys
            for l in gzip.open(sys.argv[1]):
                d = json.loads(l)
                print(d['id'], d['meta'].get('charset'), d['text'])
            """, [dir + "/out/documents.jsonl.gz"])
        #expect(
            lines.split(separator: "\n").map(String.init) == [
                "urn:uuid:ru windows-1251 Москва, 1 мая.", "urn:uuid:ja shift_jis 東京の株価。",
                "urn:uuid:bogus x-bogus Plain.",
            ])
    }

    @Test func theHTTPHeadIsParsedWithSloppyLineEnds() throws {
        let response = try #require(
            HTTPResponse(block: Array("HTTP/1.0 200 OK\nContent-Type: Text/HTML; Charset='UTF-8'\n\n<p>x</p>".utf8)))
        #expect(response.status == 200)
        #expect(response.mediaType == "text/html")
        #expect(response.charset == "utf-8")
        #expect(Array(response.body) == Array("<p>x</p>".utf8))
        #expect(HTTPResponse(block: Array("dns:example.com 1.2.3.4".utf8)) == nil)
        #expect(
            HTTPResponse.title(ofPage: Array("<html><HEAD><Title lang=en>Stocks &amp;\n  bonds</TITLE>".utf8))
                == "Stocks & bonds")
        #expect(HTTPResponse.title(ofPage: Array("<html><titles>x</titles>".utf8)) == nil)
        #expect(HTTPResponse.title(ofPage: Array("<title></title>".utf8)) == nil)
        #expect(HTTPResponse.dechunk(Array("4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n".utf8)) == Array("Wikipedia".utf8))
        #expect(HTTPResponse.dechunk(Array("zz\r\nWiki".utf8)) == nil)
        #expect(HTTPResponse.dechunk(Array("9\r\nWiki".utf8)) == nil)
    }
}
