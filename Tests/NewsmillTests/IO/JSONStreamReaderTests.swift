import Foundation
import Testing

@testable import Newsmill

@Suite struct JSONStreamReaderTests {
    /// Buffer sizes that cut the text at every byte, at odd places and not at all.
    static let bufferSizes = [1, 2, 3, 5, 1 << 16]

    static let documents: [String] = [
        #"{"a": 1, "b": [true, false, null], "c": "x\"y\\z\/\n\t\b\f\r"}"#,
        #"[ -0, 12.5e-3, 1E+2, 0.0, -7, 123456789012 ]"#,
        #""\u00e9\u4e2d \ud83d\ude00 lone \ud800 and \udc00 then \ud800\u0041 end""#,
        "\"raw ünïcode café ☕ 世界\"",
        #"{"nested": {"deeper": [[], {}, [{"k": ["v", 1, {"z": null}]}]]}, "empty": ""}"#,
        "  \n\t {\"spaced\" :\n [ 1 ,\t2 ] }  \n",
        "{}",
        "[]",
        "\"\"",
        "-12",
        "null",
    ]

    private func file(_ text: String) throws -> String {
        let path = TestSupport.temporaryDirectory() + "/value.json"
        try TestSupport.write(text, to: path)
        return path
    }

    @Test(arguments: documents, bufferSizes)
    func readsWhatJSONParserReads(_ text: String, bufferSize: Int) throws {
        let path = try file(text)
        let reader = try JSONStreamReader(path: path, bufferSize: bufferSize)
        #expect(try reader.readValue() == JSONParser.parse(text))
        try reader.expectEnd()
        let skipping = try JSONStreamReader(path: path, bufferSize: bufferSize)
        try skipping.skipValue()
        try skipping.expectEnd()
        #expect(skipping.offset == text.utf8.count)
    }

    static let malformed: [[UInt8]] =
        [
            "{\"a\": 1,}", "{\"a\" 1}", "[1, 2", "[1,]", "[1 2]", "\"abc", "{} x", "01", "tru", "-", "1.", "1e",
            "\"a\u{01}b\"", #""bad \x escape""#, #""\u12G4""#, "{\"a\":1 \"b\":2}", "{1: 2}", "", "   ",
            String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
        ].map { Array($0.utf8) } + [[0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22]]

    @Test(arguments: malformed, bufferSizes)
    func rejectsWhatJSONParserRejects(_ bytes: [UInt8], bufferSize: Int) throws {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(bytes) }
        let path = TestSupport.temporaryDirectory() + "/bad.json"
        try TestSupport.write(bytes: bytes, to: path)
        let reader = try JSONStreamReader(path: path, bufferSize: bufferSize)
        let error = #expect(throws: IOFailure.self) {
            _ = try reader.readValue()
            try reader.expectEnd()
        }
        #expect(error?.path == path)
        #expect(error?.detail.hasPrefix("not valid JSON at byte ") == true)
        let skipping = try JSONStreamReader(path: path, bufferSize: bufferSize)
        #expect(throws: IOFailure.self) {
            try skipping.skipValue()
            try skipping.expectEnd()
        }
    }

    @Test(arguments: bufferSizes)
    func walksMembersAndElements(bufferSize: Int) throws {
        let path = try file(
            #"""
            {"n": -42, "max": 9223372036854775807, "s": "a\u0000b\u00e9", "skip": {"x": [1, {"y": "z"}]},
             "terms": [["t\u00e9rm", 3, 2], ["x", 0, 0]]}
            """#)
        let reader = try JSONStreamReader(path: path, bufferSize: bufferSize)
        var keys: [String] = []
        var term: [UInt8] = []
        var terms: [(String, Int, Int)] = []
        try reader.beginObject()
        while let key = try reader.nextKey() {
            keys.append(key)
            switch key {
            case "n": #expect(try reader.readInt() == -42)
            case "max": #expect(try reader.readInt() == Int.max)
            case "s": #expect(try reader.readString() == "a\u{0}bé")
            case "terms":
                try reader.beginArray()
                while try reader.nextElement() {
                    try reader.beginArray()
                    #expect(try reader.nextElement())
                    try reader.readStringBytes(into: &term)
                    #expect(try reader.nextElement())
                    let count = try reader.readInt()
                    #expect(try reader.nextElement())
                    let documents = try reader.readInt()
                    #expect(try !reader.nextElement())
                    terms.append((String(decoding: term, as: UTF8.self), count, documents))
                }
            default: try reader.skipValue()
            }
        }
        try reader.expectEnd()
        #expect(keys == ["n", "max", "s", "skip", "terms"])
        #expect(terms.map(\.0) == ["térm", "x"])
        #expect(terms.map(\.1) == [3, 0])
        #expect(terms.map(\.2) == [2, 0])
    }

    @Test(arguments: ["9223372036854775808", "1.5", "2e3", "007", "\"1\"", "-"])
    func readIntRejectsWhatIsNotAnInt(_ text: String) throws {
        let reader = try JSONStreamReader(path: try file(text), bufferSize: 2)
        #expect(throws: IOFailure.self) { _ = try reader.readInt() }
    }

    @Test func aMissingFileNamesItself() {
        let path = TestSupport.temporaryDirectory() + "/none.json"
        let error = #expect(throws: IOFailure.self) { _ = try JSONStreamReader(path: path) }
        #expect(error?.path == path)
    }
}
