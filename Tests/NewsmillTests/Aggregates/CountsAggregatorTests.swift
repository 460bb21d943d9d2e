import Foundation
import Testing

@testable import Newsmill

@Suite struct CountsAggregatorTests {
    private func document(_ text: String, date: String? = nil) -> Document {
        Document(id: "x", source: SourceLocation(path: "p", line: 1), text: text,
                 metadata: date.map { [JSONMember("date", .string($0))] } ?? [])
    }

    @Test func mergedPartialsEqualOnePass() throws {
        let texts = (0..<200).map { "The cat \($0 % 7) sat on the Mat. the END \($0 % 3)" }
        var whole = try CountsAggregator(options: StageOptions(["top_k": "0"]))
        var a = try CountsAggregator(options: StageOptions(["top_k": "0"]))
        var b = a
        for (k, t) in texts.enumerated() {
            whole.add(document(t))
            if k % 3 == 0 { a.add(document(t)) } else { b.add(document(t)) }
        }
        a.merge(b)
        #expect(a.records() == whole.records())
        let the = whole.records().first { $0.key == .string("the") }
        #expect(the?.count == 600)
        #expect(the?.extra.contains(JSONMember("docs", .int(200))) == true)
    }

    @Test func partialsRoundTripThroughJSON() throws {
        var counts = try CountsAggregator(options: StageOptions(["group_by": "date"]))
        counts.add(document("alpha beta beta", date: "d1"))
        counts.add(document("ünïcode beta", date: "d2"))
        let text = counts.encodePartial().jsonText
        var loaded = try CountsAggregator(options: StageOptions(["group_by": "date"]))
        try loaded.decodePartial(try JSONParser.parse(text))
        #expect(loaded.records() == counts.records())
        #expect(loaded.encodePartial().jsonText == text)
    }

    @Test func topKOrdersByCountThenDocumentsThenTerm() throws {
        var counts = try CountsAggregator(options: StageOptions(["top_k": "3"]))
        counts.add(document("b a c c"))
        counts.add(document("a b d"))
        let terms = counts.records().filter { $0.extra.first == JSONMember("field", .string("term")) }
        #expect(terms.map(\.key) == [.string("a"), .string("b"), .string("c")])
    }

    @Test func rejectsABadPartial() throws {
        var counts = try CountsAggregator(options: StageOptions([:]))
        #expect(throws: PartialFormatError.self) { try counts.decodePartial(.array([])) }
    }
}
