import Testing

@testable import Newsmill

/// Nested in ``NormalizeStageTests`` so that `swift test --filter Normalize` runs it.
extension NormalizeStageTests {
    @Suite struct TextDecodingTests {
        @Test func validUTF8IsKept() {
            let (text, was1252) = TextDecoding.decode(bytes: Array("café ’quoted’".utf8))
            #expect(text == "café ’quoted’")
            #expect(!was1252)
        }

        static let cases: [([UInt8], String)] = [
            ([0x63, 0x61, 0x66, 0xE9], "café"),
            ([0x93, 0x48, 0x69, 0x94], "“Hi”"),
            ([0x92], "’"),
            ([0x80, 0x35], "€5"),
            ([0x96, 0x97], "–—"),
            ([0x85], "…"),
            ([0x9D], "\u{9D}"),
            ([0x41, 0xFF], "Aÿ"),
            // Mixed: a valid UTF-8 "é" stays, the stray Windows-1252 byte is decoded.
            ([0xC3, 0xA9, 0x20, 0xE9], "é é"),
            // A truncated UTF-8 sequence at the end.
            ([0x61, 0xE2, 0x80], "aâ€"),
        ]

        @Test(arguments: cases)
        func invalidUTF8IsWindows1252(bytes: [UInt8], expected: String) {
            let (text, was1252) = TextDecoding.decode(bytes: bytes)
            #expect(text == expected)
            #expect(was1252)
        }

        @Test func windows1252ByteRoundTrip() {
            for byte in UInt8(0x80)...UInt8(0xFF) {
                let scalar = TextDecoding.windows1252Scalar(byte)
                #expect(TextDecoding.windows1252Byte(scalar) == byte)
            }
        }

        @Test func matchesPythonCp1252() throws {
            // Python's cp1252 codec leaves 0x81, 0x8D, 0x8F, 0x90, 0x9D undefined: compare the rest.
            let code = """
                import sys
                sys.stdout.write(" ".join("%X" % ord(bytes([b]).decode("cp1252", "replace")) for b in range(0x80, 0x100)))
                """
            guard let output = try runNormalizePython(code, input: "") else {
                Issue.record("python3 is not available")
                return
            }
            let scalars = output.split(separator: " ").compactMap { UInt32($0, radix: 16) }
            #expect(scalars.count == 128)
            for (offset, scalar) in scalars.enumerated() where scalar != 0xFFFD {
                #expect(TextDecoding.windows1252Scalar(UInt8(0x80 + offset)) == scalar)
            }
        }
    }
}
