import Testing

@testable import Newsmill

@Suite struct SegmentTextScanningTests {
    @Test func decodesScalarsForwardAndBackward() {
        let text = Array("aé€👍".utf8)
        text.withUnsafeBufferPointer { b in
            var i = 0
            var forward: [UInt32] = []
            while i < b.count {
                let (v, n) = TextScanning.scalar(b, at: i, end: b.count)
                forward.append(v)
                i += n
            }
            #expect(forward == [0x61, 0xE9, 0x20AC, 0x1F44D])
            var j = b.count
            var backward: [UInt32] = []
            while j > 0 {
                let (v, n) = TextScanning.scalar(b, before: j, start: 0)
                backward.append(v)
                j -= n
            }
            #expect(backward == [0x1F44D, 0x20AC, 0xE9, 0x61])
        }
    }

    @Test func invalidBytesDecodeAsReplacement() {
        let bytes: [UInt8] = [0xFF, 0xC3]
        bytes.withUnsafeBufferPointer { b in
            #expect(TextScanning.scalar(b, at: 0, end: 2) == (0xFFFD, 1))
            #expect(TextScanning.scalar(b, at: 1, end: 2) == (0xFFFD, 1))
        }
    }

    @Test(arguments: [
        (" ", 1), ("\t", 1), ("\n", 1), ("\u{00A0}", 2), ("\u{2009}", 3), ("\u{200B}", 3), ("\u{3000}", 3),
        ("\u{FEFF}", 3), ("a", 0), ("é", 0), ("—", 0),
    ])
    func spaceLengths(text: String, expected: Int) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { #expect(TextScanning.spaceLength($0, at: 0, end: $0.count) == expected) }
    }

    @Test func classifiesLettersAndPunctuation() {
        #expect(TextScanning.isWordScalar(0xE9))  // é
        #expect(TextScanning.isWordScalar(0x5317))  // 北
        #expect(!TextScanning.isWordScalar(0x201C))  // “
        #expect(!TextScanning.isWordScalar(0x1F44D))  // 👍
        #expect(TextScanning.isUpper(0xC9))  // É
        #expect(TextScanning.isLower(0xE9))
        #expect(TextScanning.isCloser(0x201D))
        #expect(TextScanning.isBullet(0x2022))
    }
}
