import Foundation
import Testing

@testable import Newsmill

@Suite struct JSONWriterTests {
    @Test func escapingRoundTripsThroughPythonJSON() throws {
        let samples = [
            "plain", "quote \" backslash \\ slash /", "controls \u{01}\u{08}\u{0C}\n\r\t\u{1F}", "ünïcödé 中文 😀",
            "\u{2028}\u{2029} separators", "",
        ]
        var writer = JSONWriter()
        writer.value(.array(samples.map { .string($0) }))
        let text = String(decoding: writer.bytes, as: UTF8.self)
        let out = try TestSupport.python(
            """
            import json, sys
            v = json.loads(sys.argv[1])
            sys.stdout.write(json.dumps(v, ensure_ascii=True))
            """, [text])
        let expected = try TestSupport.python(
            "import json,sys; sys.stdout.write(json.dumps(json.loads(sys.argv[1]), ensure_ascii=True))",
            [JSONValue.array(samples.map { .string($0) }).jsonText])
        #expect(out == expected)
        #expect(try JSONParser.parse(writer.bytes) == .array(samples.map { .string($0) }))
    }

    @Test(arguments: [0, 7, 10, 99, -1, -12345, Int.max, Int.min + 1])
    func writesIntegers(_ n: Int) {
        var writer = JSONWriter()
        writer.int(n)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == String(n))
    }

    /// Every digit-count boundary, where a two-digits-at-a-time writer goes wrong first.
    @Test func writesDecimalsAtEveryDigitBoundary() {
        var values: [UInt] = [0, 1, 9, UInt.max, UInt(Int.max), UInt(Int.max) + 1]
        var power: UInt = 10
        for _ in 1...19 {
            values += [power - 1, power, power + 1]
            if power > UInt.max / 10 { break }
            power *= 10
        }
        var buffer = [UInt8](repeating: 0, count: 20)
        for v in values {
            let n = buffer.withUnsafeMutableBufferPointer { JSONWriter.writeDecimal(v, to: $0.baseAddress!) }
            #expect(String(decoding: buffer[0..<n], as: UTF8.self) == String(v))
        }
        var writer = JSONWriter()
        writer.int(Int.min)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == String(Int.min))
    }

    @Test func writesFixedDecimals() {
        var writer = JSONWriter()
        writer.double(12.3456, decimals: 3)
        writer.raw(UInt8(ascii: " "))
        writer.double(-0.5, decimals: 2)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "12.346 -0.50")
    }
}
