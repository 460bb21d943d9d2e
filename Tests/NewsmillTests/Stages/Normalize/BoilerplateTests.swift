import Testing

@testable import Newsmill

/// Nested in ``NormalizeStageTests`` so that `swift test --filter Normalize` runs it.
extension NormalizeStageTests {
    @Suite struct BoilerplateTests {
        static func strip(_ text: String, patterns: [String] = [], defaults: Bool = true, maxLength: Int = 250) throws
            -> String
        {
            let boilerplate = try Boilerplate(patterns: patterns, defaults: defaults, maxLength: maxLength)
            return runNormalizePass(text) { boilerplate.apply($0, into: &$1) > 0 }
        }

        static let removed: [String] = [
            "© 2024 Latin Times. All rights reserved. Do not reproduce without permission.",
            "Copyright 2023 The Associated Press. All rights reserved.",
            "Copyright © Reuters",
            "(c) 2021 Example News Ltd",
            "All Rights Reserved.",
            "This material may not be published, broadcast, rewritten or redistributed.",
            "Read more: How the vote went",
            "READ MORE",
            "» Read more",
            "Related: Markets rally on rate hopes",
            "Follow us on Twitter and Facebook",
            "Sign up for our daily newsletter",
            "Subscribe to our newsletter for updates",
            "Click here to subscribe",
            "Share this article",
            "Share on Facebook",
            "Share:",
            "Advertisement",
            "ADVERTISEMENT",
            "Comments",
            "Leave a comment",
            "Comments are closed.",
            "Reporting by Jane Doe; Editing by John Smith",
            "Additional reporting by A. Person in Paris",
            "• Follow us on Instagram",
            "Do not reproduce this article without permission.",
            "Photo: Jane Doe ©",
            "(Reporting by Jane Doe; Editing by John Smith)",
            "Our Standards: The Thomson Reuters Trust Principles.",
            "Advertisement - Scroll to continue",
            "REUTER",
            "By Jane Doe",
            "By JANE DOE and John Smith, Reuters",
            "By María García-López",
            "By John Q.",
            "Reuters",
            "Image ©",
            "©",
        ]

        @Test(arguments: removed)
        func removesBoilerplate(line: String) throws {
            #expect(
                try Self.strip("Body paragraph one.\n\(line)\nBody paragraph two.")
                    == "Body paragraph one.\nBody paragraph two.")
        }

        static let kept: [String] = [
            "Copyright law was changed by parliament last week.",
            "Shares on Wall Street rose sharply.",
            "Subscribers complained about the price increase.",
            "Readers who read more news are better informed, the study said.",
            "He said the comments were taken out of context.",
            "Signs up and down the coast warned of the storm.",
            "The company reserved the right to appeal.",
            "Following the vote, the minister resigned.",
            "Clicking on the link led to a fake page, police said.",
            "Reuters reported the deal on Monday.",
            "By Tuesday the vote was over.",
            "By then, Acme had sold its stake.",
            "By 2030 Emissions Must Fall",
            "(Reporting was delayed by the storm.)",
            // A long paragraph that happens to contain a pattern is not a candidate.
            String(repeating: "The court heard that all rights reserved by the treaty were waived. ", count: 5),
        ]

        @Test(arguments: kept)
        func keepsArticleText(line: String) throws {
            let text = "Body paragraph one.\n\(line)\nBody paragraph two."
            #expect(try Self.strip(text) == text)
        }

        @Test func lastLineRemovedLeavesNoTrailingNewline() throws {
            #expect(try Self.strip("Story.\nRead more\n© 2024 X") == "Story.")
        }

        @Test func firstLineRemoved() throws {
            #expect(try Self.strip("Advertisement\nStory.") == "Story.")
        }

        @Test func customPatterns() throws {
            let patterns = [
                "prefix:Photo:", "contains:via getty", "line:more to come", "regex:^Updated \\d+ (min|hours?) ago$",
            ]
            let text = "Photo: A. Person\nStory starts.\nImage via Getty Images\nMore to come.\nUpdated 5 min ago\nEnd."
            #expect(try Self.strip(text, patterns: patterns, defaults: false) == "Story starts.\nEnd.")
        }

        @Test func oneBytePatterns() throws {
            #expect(
                try BoilerplateTests.strip("Story.\n*** END ***\nMore.", patterns: ["contains:*"], defaults: false)
                    == "Story.\nMore.")
            #expect(
                try BoilerplateTests.strip("Story.\nx\nMore.", patterns: ["line:x"], defaults: false)
                    == "Story.\nMore.")
            #expect(
                try BoilerplateTests.strip("Story.\nthe end #\nMore.", patterns: ["contains:#"], defaults: false)
                    == "Story.\nMore.")
            #expect(
                try BoilerplateTests.strip("Story.\nthe end ##\nMore.", patterns: ["contains:##"], defaults: false)
                    == "Story.\nMore.")
            #expect(
                try BoilerplateTests.strip("Story.\nab\nMore.", patterns: ["contains:abc"], defaults: false)
                    == "Story.\nab\nMore.")
        }

        @Test func plainPatternIsPrefix() throws {
            #expect(
                try Self.strip("Story.\nSponsored by Acme\nEnd.", patterns: ["sponsored by"], defaults: false)
                    == "Story.\nEnd.")
            #expect(
                try Self.strip("Story.\nThis is sponsored by Acme\nEnd.", patterns: ["sponsored by"], defaults: false)
                    == "Story.\nThis is sponsored by Acme\nEnd.")
        }

        @Test func defaultsCanBeSwitchedOff() throws {
            let text = "Story.\n© 2024 X"
            #expect(try Self.strip(text, defaults: false) == text)
        }

        @Test func maxLengthLimitsCandidates() throws {
            let text = "Story.\nRead more about the long history of this issue in our archive"
            #expect(try Self.strip(text, maxLength: 20) == text)
        }

        @Test func badRegexIsRejected() {
            #expect(throws: Boilerplate.BoilerplateError.self) {
                _ = try Boilerplate(patterns: ["regex:(unclosed"], defaults: false, maxLength: 250)
            }
            #expect(throws: Boilerplate.BoilerplateError.self) {
                _ = try Boilerplate(patterns: ["contains:"], defaults: false, maxLength: 250)
            }
        }

        @Test func countsRemovedLines() throws {
            let boilerplate = try Boilerplate(patterns: [], defaults: true, maxLength: 250)
            var text = "Story.\nRead more\nShare this\n© 2024 X"
            var out: [UInt8] = []
            #expect(text.withUTF8 { boilerplate.apply($0, into: &out) } == 3)
        }
    }
}
