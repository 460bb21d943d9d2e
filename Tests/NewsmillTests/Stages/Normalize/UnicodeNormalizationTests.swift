import Testing

@testable import Newsmill

/// Nested in ``NormalizeStageTests`` so that `swift test --filter Normalize` runs it.
extension NormalizeStageTests {
    @Suite struct UnicodeNormalizationTests {
        static func apply(_ text: String, _ form: UnicodeNormalization.Form) -> String {
            runNormalizePass(text) { UnicodeNormalization.apply($0, form: form, into: &$1) }
        }

        /// Texts that NFC and NFKC treat differently or change (built from characters of old
        /// Unicode versions, so Python's tables and the system's ICU agree).
        static let samples: [String] = [
            "cafe\u{0301}",
            "e\u{0301}\u{0327}",
            "A\u{030A}ngstro\u{0308}m",
            "\u{212B}ngstr\u{00F6}m",
            "\u{2126}hm",
            "\u{FB01}nance \u{2460} \u{00BD}",
            "\u{1100}\u{1161}\u{11A8}",
            "\u{0041}\u{0323}\u{0302}",
            "x\u{00A0}y",
            "\u{2026}",
            "ｆｕｌｌｗｉｄｔｈ",
            "\u{00C5}",
            "plain ascii",
            "na\u{00EF}ve \u{201C}quotes\u{201D}",
            "\u{0958}",
            "q\u{0307}\u{0323}",
            "\u{1E9B}\u{0323}",
            "\u{2000}\u{2001}",
            "\u{037E}\u{0387}",
            "\u{F900}",
        ]

        @Test func matchesPythonUnicodedata() throws {
            let code = """
                import sys, unicodedata
                for line in sys.stdin.read().split("\\u0001"):
                    sys.stdout.write(unicodedata.normalize("NFC", line) + "\\u0002" + unicodedata.normalize("NFKC", line) + "\\u0003")
                """
            guard let output = try runNormalizePython(code, input: Self.samples.joined(separator: "\u{0001}")) else {
                Issue.record("python3 is not available")
                return
            }
            let rows = output.split(separator: "\u{0003}", omittingEmptySubsequences: false).dropLast()
            #expect(rows.count == Self.samples.count)
            for (sample, row) in zip(Self.samples, rows) {
                let parts = row.split(separator: "\u{0002}", omittingEmptySubsequences: false)
                #expect(parts.count == 2)
                guard parts.count == 2 else { continue }
                #expect(
                    Self.apply(sample, .nfc) == String(parts[0]),
                    "NFC of \(sample.unicodeScalars.map { String($0.value, radix: 16) })")
                #expect(
                    Self.apply(sample, .nfkc) == String(parts[1]),
                    "NFKC of \(sample.unicodeScalars.map { String($0.value, radix: 16) })")
            }
        }

        static let quickCheckSafe: [String] = [
            "plain ascii",
            "café naïve Zürich",
            "“curly” ‘quotes’ — dashes – and… ellipsis",
            "Привет мир",
            "中文文本",
            "emoji 🎉",
            "€ £ ¥ © ®",
        ]

        @Test(arguments: quickCheckSafe)
        func commonNewsTextSkipsFoundation(text: String) {
            var copy = text
            #expect(!copy.withUTF8 { UnicodeNormalization.mayNeedNormalization($0, form: .nfc) })
        }

        static let quickCheckUnsafe: [String] = ["e\u{0301}", "\u{212B}", "\u{1161}", "\u{2000}", "\u{F900}"]

        @Test(arguments: quickCheckUnsafe)
        func combiningAndSingletonsNeedNFC(text: String) {
            var copy = text
            #expect(copy.withUTF8 { UnicodeNormalization.mayNeedNormalization($0, form: .nfc) })
        }

        @Test func nfkcQuickCheckCatchesCompatibilityCharacters() {
            var text = "ﬁ and …"
            #expect(text.withUTF8 { UnicodeNormalization.mayNeedNormalization($0, form: .nfkc) })
            #expect(!text.withUTF8 { UnicodeNormalization.mayNeedNormalization($0, form: .nfc) })
        }

        @Test func noneLeavesText() {
            #expect(Self.apply("e\u{0301}", .none) == "e\u{0301}")
        }

        /// Every scalar of a few blocks: where the quick check says "safe", NFC must not
        /// change the character (checked against Foundation).
        @Test func quickCheckIsConservative() {
            var scalars: [Unicode.Scalar] = []
            for range in [
                0x80...0x6FF, 0x1E00...0x1FFF, 0x2000...0x2BFF, 0x3000...0x30FF, 0xAC00...0xAC40, 0xF900...0xFB4F,
            ] {
                for value in range { if let s = Unicode.Scalar(UInt32(value)) { scalars.append(s) } }
            }
            var missed: [UInt32] = []
            for scalar in scalars {
                var text = "a" + String(Character(scalar))
                let safe = !text.withUTF8 { UnicodeNormalization.mayNeedNormalization($0, form: .nfc) }
                if safe && UnicodeNormalization.normalize(text, form: .nfc) != text { missed.append(scalar.value) }
            }
            #expect(missed.isEmpty, "quick check missed \(missed.prefix(10).map { String($0, radix: 16) })")
        }
    }
}
