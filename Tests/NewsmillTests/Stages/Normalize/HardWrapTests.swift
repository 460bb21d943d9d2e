import Foundation
import Testing

@testable import Newsmill

/// Nested in ``NormalizeStageTests`` so that `swift test --filter Normalize` runs it.
extension NormalizeStageTests {
    @Suite struct HardWrapTests {
        static func unwrap(_ text: String, _ options: HardWrap.Options = HardWrap.Options()) -> String {
            runNormalizePass(text) { input, out in
                guard let width = HardWrap.detect(input, options: options) else { return false }
                return HardWrap.rejoin(input, width: width, options: options, into: &out).joined > 0
            }
        }

        /// Greedy wrapping at `width` columns, as wire copy and Python's textwrap do.
        static func wrap(_ paragraph: String, width: Int = 70) -> [String] {
            var lines: [String] = []
            var line = ""
            for word in paragraph.split(separator: " ") {
                if line.isEmpty {
                    line = String(word)
                } else if line.count + 1 + word.count <= width {
                    line += " " + word
                } else {
                    lines.append(line)
                    line = String(word)
                }
            }
            if !line.isEmpty { lines.append(line) }
            return lines
        }

        static let story = [
            "The central bank said on Tuesday that it would keep its benchmark interest rate unchanged for a third month, citing slowing inflation and a weaker outlook for exports in the coming quarter.",
            "Analysts had expected the decision, though several said the bank's statement left room for a cut later in the year if growth continued to disappoint.",
            "The currency was little changed after the announcement.",
        ]

        @Test func rejoinsParagraphsSeparatedByBlankLines() {
            let wrapped = Self.story.map { Self.wrap($0).joined(separator: "\n") }.joined(separator: "\n\n")
            let result = Self.unwrap(wrapped)
            #expect(result.replacingOccurrences(of: "\n\n", with: "\n") == Self.story.joined(separator: "\n"))
        }

        @Test func rejoinsParagraphsMarkedByIndentation() {
            let wrapped = Self.story.map { paragraph -> String in
                var lines = Self.wrap(paragraph, width: 66)
                lines[0] = "    " + lines[0]
                return lines.joined(separator: "\n")
            }.joined(separator: "\n")
            let result = Self.unwrap(wrapped)
            let paragraphs = result.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(paragraphs == Self.story)
        }

        @Test func rejoinsWithoutParagraphMarksWhenLastLinesEndSentences() {
            let wrapped = Self.story.map { Self.wrap($0).joined(separator: "\n") }.joined(separator: "\n")
            let result = Self.unwrap(wrapped)
            #expect(result.split(separator: "\n").map(String.init) == Self.story)
        }

        static let untouched: [String] = [
            // One paragraph a line: lines far longer than 80.
            story.joined(separator: "\n"),
            // A list of headlines: short lines, each starting with a capital.
            """
            Central bank holds rates steady for a third month as inflation slows
            Oil prices climb after producers agree to extend output cuts to June
            Tech shares lead the market higher on strong quarterly earnings reports
            Government announces new infrastructure plan worth billions of dollars
            Election officials report record turnout in the first round of voting
            """,
            // Too few lines.
            "Only a short text\nof two lines.",
        ]

        @Test(arguments: untouched)
        func leavesUnwrappedTextAlone(text: String) {
            #expect(Self.unwrap(text) == text)
        }

        static let hyphenCases: [(String, String, String)] = [
            // (word broken at a line end, the text elsewhere in the document, expected)
            ("inter-|national", "", "international"),
            ("well-|known", "", "well-known"),
            ("self-|imposed", "", "self-imposed"),
            ("Anglo-|French", "", "Anglo-French"),
            ("1986-|87", "", "1986-87"),
            ("govern-|ment", "", "government"),
            ("take-|over", "a takeover is", "takeover"),
            ("price-|fixing", "a price-fixing case", "price-fixing"),
            ("non-|binding", "", "non-binding"),
            ("an-|nounced", "", "announced"),
        ]

        @Test(arguments: hyphenCases)
        func hyphensAtLineEnds(broken: String, context: String, expected: String) {
            let parts = broken.split(separator: "|").map(String.init)
            let filler = "word " + String(repeating: "x", count: 3)
            var lines: [String] = []
            // Lines of about 68 characters; the broken word ends line 2 and starts line 3.
            lines.append(
                "The company said that its results for the year would be \(context.isEmpty ? "better" : context)")
            lines.append(padded("and that the board had agreed on the \(parts[0])", to: 68, filler: filler))
            lines.append("\(parts[1]) plan, which was announced in March, would go ahead as it was agreed.")
            lines.append("Shares in the company rose sharply in early trading on the exchange today.")
            let result = Self.unwrap(lines.joined(separator: "\n"))
            #expect(result.contains(" \(expected) plan"), "got: \(result)")
            #expect(!result.contains("\n"))
        }

        private func padded(_ line: String, to width: Int, filler: String) -> String {
            // Prepend words so the line is near the wrap width but keeps its ending.
            var line = line
            while line.count + 4 < width { line = "very " + line }
            return line
        }

        @Test func dehyphenateModes() {
            let text = """
                The company said that its results for the year would be better than
                expected and that the board had agreed on the very large inter-
                national expansion plan, which was announced in March, would go ahead
                as planned, according to a statement released by the firm on Monday.
                """
            #expect(Self.unwrap(text, HardWrap.Options(dehyphenate: .keep)).contains("inter-national"))
            #expect(Self.unwrap(text, HardWrap.Options(dehyphenate: .join)).contains("international"))
        }

        enum ParagraphMark: String, CaseIterable {
            case blankLine, indentation
        }

        @Test(arguments: ParagraphMark.allCases)
        func realReutersArticlesRoundTrip(mark: ParagraphMark) throws {
            guard let shared = normalizeSharedFolder() else {
                print("skipping: ../shared is absent")
                return
            }
            let folder = shared.appendingPathComponent("data/news/txt")
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().prefix(200)
            var exact = 0
            var total = 0
            var lostWords = 0
            for file in files {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                let lines = text.split(separator: "\n").map(String.init)
                let paragraphs = Array(lines.dropFirst())
                guard paragraphs.count >= 2, let title = lines.first else { continue }
                total += 1
                // The title line in capitals, then the body wrapped at 70, its paragraphs
                // marked by blank lines or (as 1980s wire copy) by indenting their first line.
                let body: String
                switch mark {
                case .blankLine:
                    body = paragraphs.map { Self.wrap($0).joined(separator: "\n") }.joined(separator: "\n\n")
                case .indentation:
                    body = paragraphs.map { "    " + Self.wrap($0, width: 66).joined(separator: "\n") }
                        .joined(separator: "\n")
                }
                let wrapped = title + "\n" + body
                let result = try normalizedText(wrapped, ["boilerplate": "false"])
                let expected = lines.map { $0.split(separator: " ").joined(separator: " ") }.joined(separator: "\n")
                if result == expected {
                    exact += 1
                } else if ProcessInfo.processInfo.environment["NORMALIZE_DEBUG"] != nil {
                    print("DIFF \(file)\n\(wrapped)\n---\n\(result)\n===")
                }
                // No letter or digit lost or added ("over-the-counter- trading" may close up).
                if result.unicodeScalars.filter(\.properties.isAlphabetic)
                    != text.split(separator: "\n")
                    .joined().unicodeScalars.filter(\.properties.isAlphabetic)
                {
                    lostWords += 1
                }
            }
            #expect(total > 100)
            #expect(lostWords == 0)
            // Paragraphs come back exactly, except in a few table-like articles.
            #expect(Double(exact) >= 0.9 * Double(total), "exact \(exact) of \(total)")
            print("normalize wrap round trip (\(mark)): \(exact) of \(total) articles exact")
        }
    }
}
