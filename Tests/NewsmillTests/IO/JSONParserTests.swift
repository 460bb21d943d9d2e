import Foundation
import Testing

@testable import Newsmill

@Suite struct JSONParserTests {
    @Test func keepsKeyOrderAndNumberSpelling() throws {
        let value = try JSONParser.parse(#"{"z": 1.50, "a": [true, null, -2e3], "m": {"k": "v"}}"#)
        #expect(value.jsonText == #"{"z":1.50,"a":[true,null,-2e3],"m":{"k":"v"}}"#)
    }

    @Test(arguments: [
        (#""a\"b\\c\/d\n\t""#, "a\"b\\c/d\n\t"),
        (#""\u00e9\u4e2d""#, "é中"),
        (#""\ud83d\ude00""#, "😀"),
        (#""\ud83d x""#, "\u{FFFD} x"),
        ("\"raw ünïcode\"", "raw ünïcode"),
    ])
    func decodesStrings(_ input: String, _ expected: String) throws {
        #expect(try JSONParser.parse(input) == .string(expected))
    }

    @Test(arguments: [
        ("{\"a\": 1,}", "expected a string key"),
        ("{\"a\" 1}", "expected ':' after key"),
        ("[1, 2", "unterminated array"),
        ("\"abc", "unterminated string"),
        ("{} x", "unexpected text after the JSON value"),
        ("01", "unexpected text after the JSON value"),
        ("tru", "invalid literal"),
        ("\"a\u{01}b\"", "unescaped control character in string"),
    ])
    func rejectsMalformedInput(_ input: String, _ reason: String) {
        do {
            _ = try JSONParser.parse(input)
            Issue.record("accepted \(input)")
        } catch {
            #expect(error.reason == reason)
        }
    }

    @Test func rejectsInvalidUTF8InStrings() {
        let bytes: [UInt8] = Array("{\"text\": \"caf".utf8) + [0xE9] + Array("\"}".utf8)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(bytes) }
    }
}
