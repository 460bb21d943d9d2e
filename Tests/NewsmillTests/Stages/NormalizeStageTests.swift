import Foundation
import Testing

@testable import Newsmill

@Suite struct NormalizeStageTests {
    static func stage(_ options: [String: String] = [:]) throws -> NormalizeStage {
        try NormalizeStage(options: StageOptions(options, stageName: "normalize"))
    }

    static func document(_ text: String, metadata: [JSONMember] = []) -> Document {
        Document(id: "d", source: SourceLocation(path: "test.txt", line: 1), text: text, metadata: metadata)
    }

    // MARK: The seed article

    static func seedArticle() throws -> String? {
        guard let shared = normalizeSharedFolder() else { return nil }
        return try String(contentsOf: shared.appendingPathComponent("corpus-seed/seed-article.txt"), encoding: .utf8)
    }

    @Test func seedArticleLosesOnlyItsCopyrightLine() throws {
        guard let text = try Self.seedArticle() else {
            print("skipping: ../shared is absent")
            return
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            .filter { !$0.isEmpty }
        #expect(lines.last?.hasPrefix("©") == true)
        var document = Self.document(text)
        let context = StageContext()
        #expect(try Self.stage().process(&document, in: context) == .keep)
        #expect(document.text == lines.dropLast().joined(separator: "\n"))
        #expect(context.counters["normalize.boilerplate_lines"] == 1)
        // Curly quotes, straight quotes and "6,000" stay as they are.
        #expect(document.text.contains("Beijing “laments”"))
        #expect(document.text.contains("Ukraine’s second largest city"))
    }

    @Test func seedArticleTitleLine() throws {
        guard let text = try Self.seedArticle() else { return }
        var document = Self.document(text)
        _ = try Self.stage(["title_line": "true"]).process(&document, in: StageContext())
        let first = String(text.prefix(while: { $0 != "\n" }))
        #expect(document.metadata("title") == .string(first))
        #expect(!document.text.contains(first))
        #expect(document.text.hasPrefix("Amid its strongest comments yet"))
    }

    // MARK: Real Reuters articles

    /// Letters and digits of a text, in order.
    static func alphanumerics<S: StringProtocol>(_ text: S) -> [Unicode.Scalar] {
        text.unicodeScalars.filter { $0.properties.isAlphabetic || $0.properties.numericType != nil }
    }

    @Test func reutersArticlesKeepEveryWord() throws {
        guard let shared = normalizeSharedFolder() else {
            print("skipping: ../shared is absent")
            return
        }
        let folder = shared.appendingPathComponent("data/news/txt")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".txt") }
        #expect(files.count > 1000)
        let stage = try Self.stage()
        let boilerplate = try Boilerplate(patterns: [], defaults: true, maxLength: 250)
        let context = StageContext()
        var identical = 0
        var removedLines: [String] = []
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            var document = Self.document(text)
            _ = try stage.process(&document, in: context)
            // Expected: every line kept but boilerplate, as is.
            var kept: [String] = []
            for line in text.split(separator: "\n") {
                // Whitespace runs collapse and lines are trimmed (two articles have double spaces).
                var copy = line.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
                if copy.withUTF8({ boilerplate.matches($0) }) {
                    removedLines.append(copy)
                } else {
                    kept.append(copy)
                }
            }
            #expect(
                Self.alphanumerics(document.text) == Self.alphanumerics(kept.joined(separator: "\n")),
                "words changed in \(file)")
            if document.text == kept.joined(separator: "\n") { identical += 1 }
        }
        // Reuters copy is clean ASCII, one paragraph a line: nothing but boilerplate and
        // stray spaces changes (no unwrapping, no HTML in "<AXP>", no dateline).
        #expect(identical == files.count)
        #expect(context.counters["normalize.boilerplate_lines", default: 0] == removedLines.count)
        #expect(removedLines.count < 20, "removed: \(removedLines)")
        if ProcessInfo.processInfo.environment["NORMALIZE_DEBUG"] != nil { print("REMOVED \(removedLines)") }
    }

    @Test func reutersTitlesAndNoFalseDatelines() throws {
        // The Reuters-21578 bodies here have their datelines split off (the SGML keeps them
        // in a field of their own), so any dateline found would be a false one.
        guard let shared = normalizeSharedFolder() else { return }
        let folder = shared.appendingPathComponent("data/news/txt")
        let stage = try Self.stage(["title_line": "true", "dateline": "true"])
        var falseDatelines: [String] = []
        var total = 0
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            var document = Self.document(text)
            _ = try stage.process(&document, in: StageContext())
            total += 1
            if let dateline = document.metadata("dateline")?.stringValue { falseDatelines.append(dateline) }
            let first = text.prefix(while: { $0 != "\n" }).split(separator: " ").joined(separator: " ")
            #expect(document.metadata("title") == .string(first))
        }
        #expect(total > 1000)
        #expect(falseDatelines.isEmpty, "\(falseDatelines)")
    }

    // MARK: Messy text end to end

    static let endToEnd: [(String, String)] = [
        (
            "<html><body><h1>Rates held</h1><p>The bank&rsquo;s board met.</p><p>It said&nbsp;no.</p>"
                + "<script>track()</script></body></html>",
            "Rates held\nThe bank’s board met.\nIt said no."
        ),
        ("It\u{00E2}\u{20AC}\u{2122}s a caf\u{00C3}\u{00A9}.  \n\n\nNext  para.", "It’s a café.\nNext para."),
        ("\u{FEFF}Title\r\n\r\nBody\u{200B} text\u{00A0}here.\r\n", "Title\nBody text here."),
        ("cafe\u{0301} AT&amp;T", "café AT&T"),
        ("Story.\nRead more: other story\n© 2024 Site", "Story."),
        ("AMERICAN EXPRESS <AXP> SEEN IN POSSIBLE SPINNOFF", "AMERICAN EXPRESS <AXP> SEEN IN POSSIBLE SPINNOFF"),
    ]

    @Test(arguments: endToEnd)
    func cleansMessyText(input: String, expected: String) throws {
        #expect(try normalizedText(input) == expected)
    }

    @Test func unwrapsWireCopy() throws {
        let text = """
            The central bank said on Tuesday that it would keep its benchmark
            interest rate unchanged for a third month, citing slowing inflation
            and a weaker outlook for exports in the coming quarter.

            Analysts had expected the decision, though several said the bank's
            statement left room for a cut later in the year if growth continued
            to disappoint.
            """
        let expected = """
            The central bank said on Tuesday that it would keep its benchmark interest rate unchanged for a third \
            month, citing slowing inflation and a weaker outlook for exports in the coming quarter.
            Analysts had expected the decision, though several said the bank's statement left room for a cut \
            later in the year if growth continued to disappoint.
            """
        #expect(try normalizedText(text) == expected)
        #expect(try normalizedText(text, ["unwrap": "never"]) == text.replacingOccurrences(of: "\n\n", with: "\n"))
    }

    @Test func wireStoryWithIndentedParagraphs() throws {
        // Wire layout of the 1980s: headline, indented paragraphs wrapped near 70
        // columns, words broken at line ends, the sign-off.
        let text = """
            OIL PRICES RISE ON SUPPLY FEARS
                NEW YORK, March 3 - Oil prices rose sharply on Tuesday as traders
            worried that supplies from the Middle East could be disrupted by the
            conflict, analysts said. The benchmark crude contract gained 1.50 dlrs
            to 18.20 dlrs a barrel in active inter-
            national trading.
                "The market is nervous," said one well-
            known analyst at a major New York brokerage house.
                Prices are expected to remain volatile.
             REUTER
            """
        var document = Self.document(text)
        _ = try Self.stage(["title_line": "true", "dateline": "true"]).process(&document, in: StageContext())
        #expect(document.metadata("title") == .string("OIL PRICES RISE ON SUPPLY FEARS"))
        #expect(document.metadata("dateline") == .string("NEW YORK, March 3"))
        #expect(
            document.text == """
                Oil prices rose sharply on Tuesday as traders worried that supplies from the Middle East could be \
                disrupted by the conflict, analysts said. The benchmark crude contract gained 1.50 dlrs to 18.20 dlrs \
                a barrel in active international trading.
                "The market is nervous," said one well-known analyst at a major New York brokerage house.
                Prices are expected to remain volatile.
                """)
    }

    @Test func typographyOptions() throws {
        let text = "“Yes” — it’s done…"
        #expect(try normalizedText(text) == text)
        #expect(
            try normalizedText(text, ["quotes": "true", "dashes": "true", "ellipsis": "true"])
                == "\"Yes\" -- it's done...")
    }

    @Test func nfkcOption() throws {
        #expect(try normalizedText("ﬁnance ①") == "ﬁnance ①")
        #expect(try normalizedText("ﬁnance ①", ["unicode": "nfkc"]) == "finance 1")
        #expect(try normalizedText("cafe\u{0301}", ["unicode": "none"]) == "cafe\u{0301}")
    }

    @Test func stepsCanBeSwitchedOff() throws {
        #expect(try normalizedText("AT&amp;T", ["html_entities": "false"]) == "AT&amp;T")
        #expect(try normalizedText("<p>x</p>", ["html_tags": "never"]) == "<p>x</p>")
        #expect(try normalizedText("<B>x</B>") == "x")
        #expect(try normalizedText("<AXP> x", ["html_tags": "always"]) == "<AXP> x")
        #expect(try normalizedText("<P> x", ["html_tags": "always"]) == "x")
        #expect(try normalizedText("caf\u{00C3}\u{00A8}", ["mojibake": "false"]) == "caf\u{00C3}\u{00A8}")
        #expect(try normalizedText("Story.\n© 2024 X", ["boilerplate": "false"]) == "Story.\n© 2024 X")
        #expect(try normalizedText("a  b", ["whitespace": "false"]) == "a  b")
        #expect(try normalizedText("a\u{200B}b", ["invisible": "false"]) == "a\u{200B}b")
    }

    @Test func titleAndDateline() throws {
        var document = Self.document(
            "ACME <ACM> SEES HIGHER NET\nNEW YORK, March 3 - Acme Corp said it sees higher net.\nMore.")
        let context = StageContext()
        _ = try Self.stage(["title_line": "true", "dateline": "true"]).process(&document, in: context)
        #expect(document.metadata("title") == .string("ACME <ACM> SEES HIGHER NET"))
        #expect(document.metadata("dateline") == .string("NEW YORK, March 3"))
        #expect(document.text == "Acme Corp said it sees higher net.\nMore.")
        #expect(context.counters["normalize.titles"] == 1)
        #expect(context.counters["normalize.datelines"] == 1)
    }

    @Test func existingTitleIsNotReplaced() throws {
        let metadata = [JSONMember("title", .string("Headline"))]
        var same = Self.document("Headline\nBody.", metadata: metadata)
        _ = try Self.stage(["title_line": "true"]).process(&same, in: StageContext())
        #expect(same.text == "Body.")
        var other = Self.document("Body first.\nBody second.", metadata: metadata)
        _ = try Self.stage(["title_line": "true"]).process(&other, in: StageContext())
        #expect(other.text == "Body first.\nBody second.")
        #expect(other.metadata("title") == .string("Headline"))
    }

    @Test func cleanTextIsLeftAlone() throws {
        let stage = try Self.stage()
        let text = "Clean text.\nSecond “paragraph” – café."
        #expect(stage.normalize(text).text == nil)
        var document = Self.document(text)
        document.tokens = [Token(0..<5)]
        let context = StageContext()
        _ = try stage.process(&document, in: context)
        #expect(document.tokens.count == 1)
        #expect(context.counters.isEmpty)
    }

    @Test func changedTextClearsAnnotations() throws {
        var document = Self.document("Messy  text.")
        document.tokens = [Token(0..<5)]
        document.sentences = [Span(0..<12)]
        let context = StageContext()
        _ = try Self.stage().process(&document, in: context)
        #expect(document.text == "Messy text.")
        #expect(document.tokens.isEmpty && document.sentences.isEmpty)
        #expect(context.counters["normalize.changed_documents"] == 1)
        #expect(context.counters["normalize.layout_changed"] == 1)
    }

    @Test func countsRepairs() throws {
        var document = Self.document("<p>It\u{00E2}\u{20AC}\u{2122}s</p><p>AT&amp;T</p>")
        let context = StageContext()
        _ = try Self.stage().process(&document, in: context)
        #expect(document.text == "It’s\nAT&T")
        #expect(context.counters["normalize.html_documents"] == 1)
        #expect(context.counters["normalize.html_entities"] == 1)
        #expect(context.counters["normalize.mojibake_repairs"] == 1)
    }

    @Test func scratchBuffersAreReused() throws {
        let stage = try Self.stage()
        let scratch = NormalizeScratch()
        for text in ["a  b", "c\n\nd", "clean", "<p>e</p>", "f\u{200B}g"] {
            _ = stage.normalize(text, scratch: scratch)
        }
        #expect(stage.normalize("x  y", scratch: scratch).text == "x y")
        #expect(stage.normalize("clean", scratch: scratch).text == nil)
    }

    // MARK: Options

    @Test func registeredAsBuiltin() throws {
        #expect(StageRegistry.standard.stageNames.contains("normalize"))
        _ = try StageRegistry.standard.makeStage(named: "normalize", options: StageOptions([:]))
    }

    @Test func everyOptionSpecIsAccepted() throws {
        var values: [String: String] = [:]
        for spec in NormalizeStage.optionSpecs where spec.name != "boilerplate_patterns" {
            values[spec.name] = spec.defaultValue
        }
        let options = StageOptions(values, stageName: "normalize")
        _ = try StageRegistry.standard.makeStage(named: "normalize", options: options)
        let list = StageOptions(nodes: [("boilerplate_patterns", .sequence([], SourceLocation(path: "p", line: 1)))])
        _ = try NormalizeStage(options: list)
    }

    @Test func badOptionsNameTheKey() {
        #expect(throws: ConfigError.self) { _ = try Self.stage(["unicode": "nfd"]) }
        #expect(throws: ConfigError.self) { _ = try Self.stage(["wrap_min_width": "90", "wrap_max_width": "80"]) }
        #expect(throws: ConfigError.self) { _ = try Self.stage(["html_tags": "sometimes"]) }
        do {
            _ = try Self.stage(["boilerplate_patterns": "regex:(oops"])
            Issue.record("a bad regular expression was accepted")
        } catch {
            #expect(String(describing: error).contains("boilerplate_patterns"))
        }
        #expect(throws: ConfigError.self) {
            _ = try StageRegistry.standard.makeStage(named: "normalize", options: StageOptions(["quote": "true"]))
        }
    }
}

/// Randomised agreement checks: the stage's shortcuts (skipping or narrowing the layout
/// pass after its byte scan) must give exactly what the full passes give.
extension NormalizeStageTests {
    @Suite struct ShortcutAgreementTests {
        /// A small deterministic generator (SplitMix64), so failures reproduce.
        struct SplitMix: RandomNumberGenerator {
            var state: UInt64
            mutating func next() -> UInt64 {
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                return z ^ (z >> 31)
            }
        }

        static let pieces = [
            "word", "Read", "more", "a", ".", ",", " ", " ", " ", "\n", "\n\n", "\t", "\r\n", "\u{00A0}", "\u{200B}",
            "\u{FEFF}", "é", "’", "“", "—", "…", "\u{0007}", "\u{0085}", "\u{2028}", "\u{200D}", "👍", "中", "x ",
        ]

        static func randomText(_ rng: inout SplitMix) -> String {
            var text = ""
            for _ in 0..<Int.random(in: 0...40, using: &rng) { text += pieces.randomElement(using: &rng) ?? "" }
            return text
        }

        @Test func stageLayoutAgreesWithFullPass() throws {
            var rng = SplitMix(state: 42)
            let stage = try NormalizeStage(
                options: StageOptions(
                    [
                        "boilerplate": "false", "unwrap": "never", "unicode": "none", "mojibake": "false",
                        "html_entities": "false",
                    ], stageName: "normalize"))
            for _ in 0..<3000 {
                let text = Self.randomText(&rng)
                let full = runNormalizePass(text) { Layout.apply($0, options: Layout.Options(), into: &$1) }
                let viaStage = stage.normalize(text).text ?? text
                #expect(viaStage == full, "input: \(text.unicodeScalars.map { String($0.value, radix: 16) })")
            }
        }

        /// The layout rules written plainly over Unicode scalars, to check the byte pass.
        static func referenceLayout(_ text: String) -> String {
            let scalars = Array(text.unicodeScalars)
            func isVisibleNonASCII(_ s: Unicode.Scalar) -> Bool {
                s.value > 0xA0 && kind(s, at: nil) == .visible
            }
            enum Kind { case space, newline, invisible, visible }
            func kind(_ s: Unicode.Scalar, at index: Int?) -> Kind {
                switch s.value {
                case 0x20, 0x09, 0xA0, 0x1680, 0x2000...0x200A, 0x202F, 0x205F, 0x3000: return .space
                case 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029: return .newline
                case 0x00...0x1F, 0x7F...0x9F, 0xAD, 0x180E, 0x200B, 0x200E, 0x200F, 0x202A...0x202E, 0x2060...0x2064,
                    0x2066...0x2069, 0xFEFF:
                    return .invisible
                case 0x200C, 0x200D:
                    guard let index, index > 0, index + 1 < scalars.count else { return .invisible }
                    return isVisibleNonASCII(scalars[index - 1]) && isVisibleNonASCII(scalars[index + 1])
                        ? .visible : .invisible
                default: return .visible
                }
            }
            var out = String.UnicodeScalarView()
            var runSpace = false
            var runNewline = false
            for (index, scalar) in scalars.enumerated() {
                switch kind(scalar, at: index) {
                case .space: runSpace = true
                case .newline: runNewline = true
                case .invisible: break
                case .visible:
                    if !out.isEmpty {
                        if runNewline { out.append("\n") } else if runSpace { out.append(" ") }
                    }
                    runSpace = false
                    runNewline = false
                    out.append(scalar)
                }
            }
            return String(out)
        }

        static let longPieces =
            pieces + [
                "international", "The quick brown fox jumps over the lazy dog. ", "  ", "a b c d e f g h ",
                "12345678", " x", "x ", "\n\n", "word word word word ",
            ]

        @Test func layoutMatchesReference() {
            var rng = SplitMix(state: 11)
            for round in 0..<4000 {
                var text = ""
                let count = Int.random(in: 0...(round % 4 == 0 ? 120 : 30), using: &rng)
                for _ in 0..<count { text += Self.longPieces.randomElement(using: &rng) ?? "" }
                let actual = runNormalizePass(text) { Layout.apply($0, options: Layout.Options(), into: &$1) }
                let expected = Self.referenceLayout(text)
                #expect(actual == expected, "input: \(text.debugDescription)")
                if actual != expected { break }
            }
        }

        static let messyPieces =
            longPieces + [
                "<p>", "</p>", "<br>", "<div class=\"a\">", "<script>x<y</script>", "<!--", "-->", "<", ">", "&", "&#",
                "&amp;", "&amp;lt;", "&#8217;", "&#x", "&nbsp", ";", "=", "\"", "Ã", "©", "â€", "™", "Â", "ð",
                "\u{0092}",
                "-\n", "inter-\nnational ", "WASHINGTON, March 2 - ", "LONDON (Reuters) - ", "By Jane Doe\n",
                "Read more\n", "© 2024 X\n", "e\u{0301}", "ﬁ", String(repeating: "wrapped text line ", count: 4) + "\n",
            ]

        @Test(arguments: ["defaults", "everything"])
        func messyInputKeepsTheLayoutContract(configuration: String) throws {
            var rng = SplitMix(state: configuration == "defaults" ? 5 : 6)
            let options: [String: String] =
                configuration == "defaults"
                ? [:]
                : [
                    "title_line": "true", "dateline": "true", "quotes": "true", "dashes": "true", "ellipsis": "true",
                    "unicode": "nfkc", "html_tags": "always", "unwrap": "always",
                ]
            let stage = try NormalizeStage(options: StageOptions(options, stageName: "normalize"))
            for _ in 0..<1500 {
                var text = ""
                for _ in 0..<Int.random(in: 0...60, using: &rng) {
                    text += Self.messyPieces.randomElement(using: &rng) ?? ""
                }
                let out = stage.normalize(text).text ?? text
                let bad = ["  ", "\n\n", " \n", "\n ", "\t", "\r", "\u{200B}", "\u{00A0}", "\u{FEFF}"]
                    .filter { out.contains($0) }
                let edges = out.first == " " || out.first == "\n" || out.last == " " || out.last == "\n"
                #expect(bad.isEmpty && !edges, "input \(text.debugDescription) -> \(out.debugDescription)")
                if !bad.isEmpty || edges { break }
            }
        }

        @Test func outputIsIdempotent() throws {
            var rng = SplitMix(state: 3)
            let stage = try NormalizeStage(options: StageOptions([:], stageName: "normalize"))
            for _ in 0..<2000 {
                let text = Self.randomText(&rng)
                let once = stage.normalize(text).text ?? text
                let twice = stage.normalize(once).text
                #expect(
                    twice == nil,
                    "not stable: \(text.unicodeScalars.map { String($0.value, radix: 16) }) -> \(once.unicodeScalars.map { String($0.value, radix: 16) })"
                )
            }
        }
    }
}
