import Testing

@testable import Newsmill

/// Nested in ``NormalizeStageTests`` so that `swift test --filter Normalize` runs it.
extension NormalizeStageTests {
    @Suite struct MojibakeRepairTests {
        static func repair(_ text: String) -> String {
            runNormalizePass(text) { input, out in
                var spare: [UInt8] = []
                return MojibakeRepair.repairAll(input, into: &out, spare: &spare) > 0
            }
        }

        /// Makes mojibake the way it happens: UTF-8 bytes decoded as Windows-1252.
        static func garble(_ text: String) -> String {
            var out = ""
            for byte in text.utf8 {
                out.unicodeScalars.append(Unicode.Scalar(TextDecoding.windows1252Scalar(byte)) ?? "?")
            }
            return out
        }

        static let cases: [(String, String)] = [
            ("It\u{00E2}\u{20AC}\u{2122}s", "It’s"),
            ("caf\u{00C3}\u{00A9}", "café"),
            ("\u{00E2}\u{20AC}\u{0153}quoted\u{00E2}\u{20AC}\u{009D}", "“quoted”"),
            ("dash \u{00E2}\u{20AC}\u{201D} here", "dash — here"),
            ("en \u{00E2}\u{20AC}\u{201C} dash", "en – dash"),
            ("\u{00E2}\u{20AC}\u{00A6}", "…"),
            ("price \u{00E2}\u{201A}\u{00AC}5", "price €5"),
            ("Brand\u{00E2}\u{201E}\u{00A2}", "Brand™"),
            ("na\u{00C3}\u{00AF}ve", "naïve"),
            ("Z\u{00C3}\u{00BC}rich", "Zürich"),
            ("\u{00C3}\u{2030}cole", "École"),
            ("S\u{00C3}\u{00A3}o Paulo", "São Paulo"),
            ("a\u{00C2}\u{00A0}b", "a\u{00A0}b"),
            ("\u{00C2}\u{00A9} 2024", "© 2024"),
            // Latin-1 reading: C1 controls instead of Windows-1252 punctuation.
            ("It\u{00E2}\u{0080}\u{0099}s", "It’s"),
            // The undefined 0x9D byte dropped: "â€" alone before a space is a closing quote.
            ("said \u{00E2}\u{20AC}\u{0153}yes\u{00E2}\u{20AC} and", "said “yes” and"),
            // Double mojibake.
            ("It\u{00C3}\u{00A2}\u{00E2}\u{201A}\u{00AC}\u{00E2}\u{201E}\u{00A2}s", "It’s"),
            // Emoji.
            ("\u{00F0}\u{0178}\u{02DC}\u{20AC}", "😀"),
            // Windows-1252 read as Latin-1: C1 controls stand for punctuation.
            ("It\u{0092}s \u{0093}quoted\u{0094} \u{0096} done\u{0085}", "It’s “quoted” – done…"),
            ("undefined \u{0081} stays", "undefined \u{0081} stays"),
            // Cyrillic: weak leads, repaired because they come in runs.
            (
                "\u{00D0}\u{0178}\u{00D1}\u{20AC}\u{00D0}\u{00B8}\u{00D0}\u{00B2}\u{00D0}\u{00B5}\u{00D1}\u{201A}",
                "Привет"
            ),
            // Chinese: weak leads in a run.
            ("\u{00E4}\u{00B8}\u{00AD}\u{00E6}\u{2013}\u{2021}", "中文"),
        ]

        @Test(arguments: cases)
        func repairs(input: String, expected: String) {
            #expect(Self.repair(input) == expected)
        }

        static let untouched: [String] = [
            "café naïve Zürich São Paulo",
            "ESPAÑA”",  // a capital Ñ before a closing quote: a lone weak candidate
            "Straße“ and ß”",
            "Ça va? À bientôt.",
            "Ã alone",
            "Plain ASCII text.",
            "Tate & Lyle <TATL.L>",
            "“Proper” quotes — and dashes…",
        ]

        @Test(arguments: untouched)
        func leavesRealTextAlone(text: String) {
            #expect(Self.repair(text) == text)
        }

        @Test func loneEuroAfterCircumflexIsClosingQuote() {
            // "â€" at the very end: a lost 0x9D, as in the case table.
            #expect(Self.repair("â alone and â€") == "â alone and ”")
        }

        static let roundTrips: [String] = [
            "It’s “quoted” — really…",
            "Crème brûlée, façade, jalapeño, Ångström",
            "€100 and £50 and ¥30",
            "Ελληνικά and Русский",
            "日本語のテキスト",
            "emoji 🎉🚀",
        ]

        @Test(arguments: roundTrips)
        func undoesGarbling(text: String) {
            let garbled = Self.garble(text)
            #expect(garbled != text)
            #expect(Self.repair(garbled) == text)
        }

        @Test func doubleGarblingIsUndone() {
            let text = "It’s “quoted” café"
            #expect(Self.repair(Self.garble(Self.garble(text))) == text)
        }

        @Test func quickCheck() {
            // "é" is itself a possible lead (U+00E9 read back is the byte E9), so "café" would
            // pass the quick check; "ü" (U+00FC) cannot be one.
            var plain = "Nothing to see here, Zürich."
            var bad = "caf\u{00C3}\u{00A9}"
            #expect(!plain.withUTF8 { MojibakeRepair.mayContainMojibake($0) })
            #expect(bad.withUTF8 { MojibakeRepair.mayContainMojibake($0) })
        }
    }
}
