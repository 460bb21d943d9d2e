import Testing

@testable import Newsmill

/// Nested in ``NormalizeStageTests`` so that `swift test --filter Normalize` runs it.
extension NormalizeStageTests {
    @Suite struct HTMLCleanerTests {
        static func clean(_ text: String, html: Bool? = nil) -> String {
            runNormalizePass(text) { input, out in
                let isHTML = html ?? HTMLCleaner.looksLikeHTML(input)
                return HTMLCleaner.clean(input, html: isHTML, entities: true, into: &out).changed
            }
        }

        static let entityCases: [(String, String)] = [
            ("AT&amp;T", "AT&T"),
            ("a &lt; b &gt; c", "a < b > c"),
            ("&quot;quoted&quot;", "\"quoted\""),
            ("it&apos;s", "it's"),
            ("it&#39;s", "it's"),
            ("caf&eacute;", "café"),
            ("&Eacute;cole", "École"),
            ("a&nbsp;b", "a\u{00A0}b"),
            ("a &mdash; b &ndash; c", "a — b – c"),
            ("wait&hellip;", "wait…"),
            ("&lsquo;x&rsquo; &ldquo;y&rdquo;", "‘x’ “y”"),
            ("&#8217;", "’"),
            ("&#x2019;", "’"),
            ("&#X2019;", "’"),
            ("&#8220;no semicolon&#8221", "“no semicolon”"),
            ("&#150;", "–"),
            ("&#146;", "’"),
            ("&euro;5 &pound;3 &copy; &reg; &trade;", "€5 £3 © ® ™"),
            ("&amp;quot;double&amp;quot;", "\"double\""),
            ("&amp;amp;", "&"),
            ("&amp;#8217;", "’"),
            ("Tate & Lyle", "Tate & Lyle"),
            ("a&nbsp b", "a\u{00A0} b"),
            ("AT&amp T", "AT& T"),
            ("x &lt y", "x < y"),
            ("&copy 2024", "© 2024"),
            ("&nbspx", "&nbspx"),
            ("?a=1&copy=2", "?a=1&copy=2"),
            ("&ampere", "&ampere"),
            ("Q&A", "Q&A"),
            ("AT&T;", "AT&T;"),
            ("&unknownentity;", "&unknownentity;"),
            ("&#;", "&#;"),
            ("&", "&"),
            ("&#0;", ""),
            ("&#xD800;", ""),
            ("&frac12; &deg; &times;", "½ ° ×"),
            ("&NotEqualTilde;", "\u{2242}\u{0338}"),
        ]

        @Test(arguments: entityCases)
        func entities(input: String, expected: String) {
            #expect(Self.clean(input) == expected)
        }

        static let tagCases: [(String, String)] = [
            ("<p>One</p><p>Two</p>", "\nOne\n\nTwo\n"),
            ("a<br>b<br/>c<br />d", "a\nb\nc\nd"),
            ("<div class=\"x\">text</div>", "\ntext\n"),
            ("<b>bold</b> and <i>italic</i>", "bold and italic"),
            ("<span>in</span><span>line</span>", "inline"),
            ("<a href=\"http://x.com/?a=1&amp;b=2\">link</a>", "link"),
            ("<p>x</p><script>var a = '<p>';</script><p>y</p>", "\nx\n\n\ny\n"),
            ("<style>p { color: red }</style><p>y</p>", "\n\ny\n"),
            ("a<!-- comment <p> -->b<p>c", "ab\nc"),
            ("<!DOCTYPE html><html><head><title>T</title></head><body><p>x</p></body></html>", "\n\n\n\nx\n\n\n"),
            ("<ul><li>one</li><li>two</li></ul>", "\n\none\n\ntwo\n\n"),
            ("<table><tr><td>a</td><td>b</td></tr></table>", "\n\n a  b \n\n"),
            ("<h1>Title</h1>text", "\nTitle\ntext"),
            ("<blockquote>quote</blockquote>", "\nquote\n"),
            ("<p>line\nbreak in source</p>", "\nline break in source\n"),
            ("<pre>keep\nlines</pre>", "\nkeep\nlines\n"),
            ("<P CLASS=x>upper</P>", "\nupper\n"),
            ("<p>AT&amp;T buys <Sedio N.V.></p>", "\nAT&T buys <Sedio N.V.>\n"),
            ("<p>x</p><custom-widget data-a=1>y</custom-widget>", "\nx\ny"),
            ("<p title='a > b'>z</p>", "\nz\n"),
            ("<![CDATA[raw <text>]]><p>", "raw <text>\n"),
            ("<p>a < b and c > d</p>", "\na < b and c > d\n"),
            ("<p><img src=\"x.jpg\" alt=\"photo\">caption</p>", "\ncaption\n"),
        ]

        @Test(arguments: tagCases)
        func tags(input: String, expected: String) {
            #expect(Self.clean(input) == expected)
        }

        static let notHTML: [String] = [
            "AMERICAN EXPRESS <AXP> SEEN IN POSSIBLE SPINNOFF",
            "sold rights to <Woodco Inc> of Houston",
            "Ford <F> and Phillips <P> and Sears <S>",
            "if a < b and b > c then",
            "5 <10 and x>3",
            "I <3 news",
        ]

        @Test(arguments: notHTML)
        func wireTickersAreNotHTML(text: String) {
            var copy = text
            #expect(!copy.withUTF8 { HTMLCleaner.looksLikeHTML($0) })
            #expect(Self.clean(text) == text)
        }

        static let isHTML: [String] = [
            "text<br>more",
            "<p>paragraph</p>",
            "<!-- comment -->",
            "<!doctype html>",
            "<P>one</P>",
            "<a href=\"x\">x",
            "<div>",
            "<span class=\"a\">",
        ]

        @Test(arguments: isHTML)
        func recognisesHTML(text: String) {
            var copy = text
            #expect(copy.withUTF8 { HTMLCleaner.looksLikeHTML($0) })
        }

        @Test func plainTextWithAFewTagsKeepsItsLines() {
            let text = "First paragraph with <b>bold</b> text.\nSecond paragraph.<br>\nThird paragraph.\nFourth."
            #expect(
                Self.clean(text) == "First paragraph with bold text.\nSecond paragraph.\n\nThird paragraph.\nFourth.")
        }

        @Test func htmlSourceLinesAreSpaces() {
            let text = "<div>\n<p>One\nwrapped line.</p>\n<p>Two.</p>\n</div>"
            #expect(Self.clean(text) == "\n \nOne wrapped line.\n \nTwo.\n \n")
        }

        @Test func forcedHTMLModeStripsUpperCaseKnownTags() {
            #expect(Self.clean("<P>x", html: true) == "\nx")
        }

        @Test func entityTableIsComplete() {
            #expect(HTMLCleaner.entities.count > 2000)
            #expect(HTMLCleaner.entities["nbsp"] == Array("\u{00A0}".utf8))
            #expect(HTMLCleaner.entities["amp"] == Array("&".utf8))
        }

        /// A news page as a crawler saves it: the menu, sidebar, footer and comment form go
        /// (html_boilerplate, on by default); the article and its header stay (the byline
        /// and the copyright line go by the boilerplate line rules, either way).
        @Test func pageFurnitureIsDroppedByDefault() throws {
            let page = """
                <!DOCTYPE html><html><head><title>Markets</title></head><body>
                <nav><ul><li><a href="/">Home</a></li><li>World</li></ul></nav>
                <article><header><h1>Tokyo stocks rise</h1><p>By Jane Doe</p></header>
                <p>Stocks in Tokyo rose 2 pct on Monday.</p><p>The yen fell.</p></article>
                <aside><h2>Most read</h2><p>Other story</p></aside>
                <form action="/comment"><label>Comment</label><textarea></textarea></form>
                <FOOTER>© 2024 Example News | Privacy</FOOTER></body></html>
                """
            let dropped = try normalizedText(page)
            #expect(dropped == "Tokyo stocks rise\nStocks in Tokyo rose 2 pct on Monday.\nThe yen fell.")
            let kept = try normalizedText(page, ["html_boilerplate": "false"])
            #expect(
                kept
                    == "Home\nWorld\nTokyo stocks rise\nStocks in Tokyo rose 2 pct on Monday.\nThe yen fell.\nMost read\n"
                    + "Other story\nComment")
        }

        @Test func countsEntitiesAndTags() {
            var text = "<p>AT&amp;T</p>"
            var out: [UInt8] = []
            let result = text.withUTF8 { HTMLCleaner.clean($0, html: true, entities: true, into: &out) }
            #expect(result == HTMLCleaner.Result(changed: true, entities: 1, tags: 2))
        }
    }
}
