import Testing

@testable import Newsmill

/// Nested in ``NormalizeStageTests`` so that `swift test --filter Normalize` runs it.
extension NormalizeStageTests {
    @Suite struct LayoutTests {
        static func layout(_ text: String, _ options: Layout.Options = Layout.Options()) -> String {
            runNormalizePass(text) { Layout.apply($0, options: options, into: &$1) }
        }

        static let defaultCases: [(String, String)] = [
            ("plain text stays", "plain text stays"),
            ("two\nparagraphs", "two\nparagraphs"),
            ("double  space", "double space"),
            ("many     spaces here", "many spaces here"),
            ("tab\tseparated", "tab separated"),
            ("  leading and trailing  ", "leading and trailing"),
            ("line one  \n  line two", "line one\nline two"),
            ("para one\n\n\npara two", "para one\npara two"),
            ("para one\n \t \npara two", "para one\npara two"),
            ("crlf\r\nlines\r\n", "crlf\nlines"),
            ("old mac\rline", "old mac\nline"),
            ("\n\nstarts with blank lines", "starts with blank lines"),
            ("ends with blank lines\n\n\n", "ends with blank lines"),
            ("form\u{0C}feed", "form\nfeed"),
            ("bell\u{07}char", "bellchar"),
            ("nul\u{00}byte", "nulbyte"),
            ("del\u{7F}char", "delchar"),
            ("c1\u{0093}control", "c1control"),
            ("next\u{0085}line", "next\nline"),
            ("zero\u{200B}width", "zerowidth"),
            ("word \u{200B} gap", "word gap"),
            ("\u{FEFF}BOM at start", "BOM at start"),
            ("soft\u{00AD}hyphen", "softhyphen"),
            ("word\u{2060}joiner", "wordjoiner"),
            ("left\u{200E}to\u{200F}right", "lefttoright"),
            ("stray\u{200D}joiner", "strayjoiner"),
            ("family 👨\u{200D}👩\u{200D}👧 emoji", "family 👨\u{200D}👩\u{200D}👧 emoji"),
            ("no\u{00A0}break space", "no break space"),
            ("thin\u{2009}space and ideographic\u{3000}space", "thin space and ideographic space"),
            ("narrow\u{202F}no-break", "narrow no-break"),
            ("nbsp run \u{00A0}\u{00A0} here", "nbsp run here"),
            ("line\u{2028}separator", "line\nseparator"),
            ("para\u{2029}separator", "para\nseparator"),
            ("curly ‘quotes’ and “double” stay", "curly ‘quotes’ and “double” stay"),
            ("dash — stays – too", "dash — stays – too"),
            ("ellipsis… stays", "ellipsis… stays"),
            ("café naïve 中文 stays", "café naïve 中文 stays"),
            ("", ""),
            ("   ", ""),
            ("\n", ""),
            ("a", "a"),
            (" a", "a"),
            ("a ", "a"),
            ("x \n y", "x\ny"),
        ]

        @Test(arguments: defaultCases)
        func defaults(input: String, expected: String) {
            #expect(Self.layout(input) == expected)
        }

        static let foldingCases: [(String, String)] = [
            ("‘single’ and “double”", "'single' and \"double\""),
            ("„German“ quotes", "\"German\" quotes"),
            ("1990–1995", "1990-1995"),
            ("pause—then", "pause--then"),
            ("minus −5", "minus -5"),
            ("non\u{2011}breaking hyphen", "non-breaking hyphen"),
            ("wait…", "wait..."),
            ("Ukraine’s", "Ukraine's"),
        ]

        @Test(arguments: foldingCases)
        func typographyFolding(input: String, expected: String) {
            let options = Layout.Options(quotes: true, dashes: true, ellipsis: true)
            #expect(Self.layout(input, options) == expected)
        }

        @Test func eachFoldIsSeparate() {
            let text = "“a” – b…"
            #expect(Self.layout(text, Layout.Options(quotes: true)) == "\"a\" – b…")
            #expect(Self.layout(text, Layout.Options(dashes: true)) == "“a” - b…")
            #expect(Self.layout(text, Layout.Options(ellipsis: true)) == "“a” – b...")
        }

        @Test func spacesOffKeepsUnicodeSpaces() {
            #expect(Self.layout("a\u{00A0}b", Layout.Options(spaces: false)) == "a\u{00A0}b")
        }

        @Test func invisibleOffKeepsControls() {
            #expect(Self.layout("a\u{200B}b", Layout.Options(invisible: false)) == "a\u{200B}b")
        }

        @Test func whitespaceOffOnlyRemovesInvisibles() {
            let options = Layout.Options(whitespace: false)
            #expect(Self.layout("a  b\n\nc\u{200B}d\r\ne", options) == "a  b\n\ncd\ne")
        }

        @Test func cleanTextIsNotCopied() {
            var text = "Already clean.\nSecond paragraph with “quotes” and café."
            var buffer: [UInt8] = []
            let changed = text.withUTF8 { Layout.apply($0, options: Layout.Options(), into: &buffer) }
            #expect(!changed)
            #expect(buffer.isEmpty)
        }
    }
}
