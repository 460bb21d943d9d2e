import Testing

@testable import Newsmill

/// Nested in ``NormalizeStageTests`` so that `swift test --filter Normalize` runs it.
extension NormalizeStageTests {
    @Suite struct LazyWriterTests {
        @Test func nothingReplacedCopiesNothing() {
            var text = "unchanged text"
            let result = text.withUTF8 { input -> (Bool, [UInt8]) in
                var writer = LazyWriter(input: input, reusing: [1, 2, 3])
                return (writer.finish(), writer.out)
            }
            #expect(result.0 == false)
            #expect(result.1.isEmpty)
        }

        @Test func replacementsAndRemovalsInOrder() {
            var text = "abcdefghij"
            let output = text.withUTF8 { input -> String in
                var writer = LazyWriter(input: input, reusing: [])
                writer.remove(0, 1)  // a
                writer.replace(2, 3, with: 0x58)  // c -> X
                writer.replace(4, 6, with: Array("--".utf8))  // ef -> --
                writer.replace(7, 8, withScalar: 0x2019)  // h -> ’
                let changed = writer.finish()
                #expect(changed)
                return String(decoding: writer.out, as: UTF8.self)
            }
            #expect(output == "bXd--g’ij")
        }

        @Test func utf8Helpers() {
            var out: [UInt8] = []
            for scalar: UInt32 in [0x41, 0xE9, 0x2019, 0x1F600, 0xD800, 0x110000] { UTF8Bytes.append(scalar, to: &out) }
            #expect(String(decoding: out, as: UTF8.self) == "Aé’😀\u{FFFD}\u{FFFD}")
            var text = "aé’😀"
            text.withUTF8 { p in
                #expect(UTF8Bytes.decode(p, at: 1).scalar == 0xE9)
                #expect(UTF8Bytes.decode(p, at: 3).scalar == 0x2019)
                #expect(UTF8Bytes.decode(p, at: 6).scalar == 0x1F600)
                #expect(UTF8Bytes.decode(p, at: 6).length == 4)
                #expect(UTF8Bytes.scalarCount(p, 0, p.count) == 4)
                #expect(UTF8Bytes.find(0xE2, in: p, from: 0) == 3)
                #expect(UTF8Bytes.find(0x7A, in: p, from: 0) == p.count)
                #expect(UTF8Bytes.skipASCII(p, from: 0) == 1)
            }
            var ascii = String(repeating: "x", count: 21) + "é"
            let firstHigh = ascii.withUTF8 { UTF8Bytes.skipASCII($0, from: 0) }
            #expect(firstHigh == 21)
        }
    }
}
