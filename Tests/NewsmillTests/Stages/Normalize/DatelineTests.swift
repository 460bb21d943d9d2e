import Testing

@testable import Newsmill

/// Nested in ``NormalizeStageTests`` so that `swift test --filter Normalize` runs it.
extension NormalizeStageTests {
    @Suite struct DatelineTests {
        static func split(_ line: String) -> (String, String)? {
            var line = line
            return line.withUTF8 { p -> (String, String)? in
                guard let match = Dateline.match(p) else { return nil }
                return (
                    String(decoding: UnsafeBufferPointer(rebasing: p[0..<match.valueEnd]), as: UTF8.self),
                    String(decoding: UnsafeBufferPointer(rebasing: p[match.bodyStart...]), as: UTF8.self)
                )
            }
        }

        static let datelines: [(String, String, String)] = [
            ("WASHINGTON, March 2 - The USDA said", "WASHINGTON, March 2", "The USDA said"),
            ("WASHINGTON, Feb 27 - The USDA said", "WASHINGTON, Feb 27", "The USDA said"),
            ("COMMACK, N.Y., Feb 26 - Acme Inc said", "COMMACK, N.Y., Feb 26", "Acme Inc said"),
            ("COMMACK, N.Y., Feb 26 -Acme", "", ""),
            ("LONDON (Reuters) - Oil rose", "LONDON (Reuters)", "Oil rose"),
            ("NEW YORK, March 3 (Reuters) -- Stocks fell", "NEW YORK, March 3 (Reuters)", "Stocks fell"),
            ("PARIS (AP) — The government", "PARIS (AP)", "The government"),
            ("ST. LOUIS, Jan. 5 - Shares", "ST. LOUIS, Jan. 5", "Shares"),
            ("WINSTON-SALEM, N.C., April 1 - RJR said", "WINSTON-SALEM, N.C., April 1", "RJR said"),
            ("BONN, West Germany, Dec 12 - The Bundesbank", "BONN, West Germany, Dec 12", "The Bundesbank"),
            ("SÃO PAULO (Reuters) - Brazil", "SÃO PAULO (Reuters)", "Brazil"),
            ("TOKYO, Sept 30 – Japan's", "TOKYO, Sept 30", "Japan's"),
            ("Paris (AFP) - France said", "Paris (AFP)", "France said"),
            ("Hong Kong (Reuters) - Shares", "Hong Kong (Reuters)", "Shares"),
            ("BEIJING, March 3 (Xinhua) -- China", "BEIJING, March 3 (Xinhua)", "China"),
        ]

        @Test(arguments: datelines)
        func findsDatelines(line: String, value: String, body: String) {
            let result = Self.split(line)
            if value.isEmpty {
                #expect(result == nil)
            } else {
                #expect(result?.0 == value)
                #expect(result?.1 == body)
            }
        }

        static let notDatelines: [String] = [
            "US - China talks resumed on Monday.",
            "WASHINGTON - The USDA said",
            "The company said on March 2 - a Monday - that",
            "NATO, the alliance, said",
            "IBM (International Business Machines) said",
            "The company (Acme) - a maker of tools - said",
            "Paris - the city of light",
            "Shares of Acme (ACM) rose",
            "LONDON, the capital - it is large",
            "A, March 2 - x",
            "Shr 34 cts vs 1.19 dlrs",
            "WASHINGTON, March 2 -",
            "",
        ]

        @Test(arguments: notDatelines)
        func ignoresOtherOpenings(line: String) {
            #expect(Self.split(line) == nil)
        }
    }
}
