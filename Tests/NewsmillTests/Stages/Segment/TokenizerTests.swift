import Testing

@testable import Newsmill

/// Token cases: input text and the expected tokens joined by "|".
@Suite struct SegmentTokenizerTests {
    static let segmenter = Segmenter()

    static let punctuation: [(String, String)] = [
        ("Hello, world.", "Hello|,|world|."),
        ("Wait; what?", "Wait|;|what|?"),
        ("Note: it works!", "Note|:|it|works|!"),
        ("(in brackets)", "(|in|brackets|)"),
        ("[citation needed]", "[|citation|needed|]"),
        ("{braces}", "{|braces|}"),
        ("\"Quoted,\" he said.", "\"|Quoted|,|\"|he|said|."),
        ("“Curly” quotes", "“|Curly|”|quotes"),
        ("‘single’ quotes", "‘|single|’|quotes"),
        ("«guillemets»", "«|guillemets|»"),
        ("Really?!", "Really|?!"),
        ("Wow!!!", "Wow|!!!"),
        ("Hmm...", "Hmm|..."),
        ("wait…", "wait|…"),
        ("what...see", "what|...|see"),
        ("...and then", "...|and|then"),
        ("so -- he said", "so|--|he|said"),
        ("word--word", "word|--|word"),
        ("yes—no", "yes|—|no"),
        ("pages 10–12", "pages|10|–|12"),
        ("''Quoted''", "''|Quoted|''"),
        ("end.\"", "end|.|\""),
        ("(see above).", "(|see|above|)|."),
        ("cited.[3][4]", "cited|.|[|3|]|[|4|]"),
        ("said:", "said|:"),
        ("NOTE:figures", "NOTE|:|figures"),
        ("a/b/c and/or", "a/b/c|and|/|or"),
        ("he/she", "he|/|she"),
        ("w/o", "w/o"),
        ("Let's go!", "Let|'s|go|!"),
    ]

    static let contractions: [(String, String)] = [
        ("don't", "do|n't"),
        ("Don't", "Do|n't"),
        ("can't", "ca|n't"),
        ("won't", "wo|n't"),
        ("isn't", "is|n't"),
        ("ain't", "ai|n't"),
        ("didn’t", "did|n’t"),
        ("I'm", "I|'m"),
        ("you're", "you|'re"),
        ("we've", "we|'ve"),
        ("she'll", "she|'ll"),
        ("he'd", "he|'d"),
        ("it's", "it|'s"),
        ("They’re", "They|’re"),
        ("cannot", "can|not"),
        ("gonna", "gon|na"),
        ("wanna", "wan|na"),
        ("gotta", "got|ta"),
        ("Putin's troops", "Putin|'s|troops"),
        ("Ukraine’s city", "Ukraine|’s|city"),
        ("the Russians' plan", "the|Russians|'|plan"),
        ("O'Neill's", "O'Neill|'s"),
        ("o'clock", "o'clock"),
        ("rock 'n' roll", "rock|'n'|roll"),
        ("'em", "'em"),
        ("JFK Jr.'s book", "JFK|Jr.|'s|book"),
        ("the '90s", "the|'90s"),
        ("DON'T", "DO|N'T"),
        ("dont and im", "do|nt|and|i|m"),
        ("Jony Ive and IM", "Jony|Ive|and|IM"),
    ]

    static let numbers: [(String, String)] = [
        ("$1.5 billion", "$|1.5|billion"),
        ("6,000 people", "6,000|people"),
        ("3.14159", "3.14159"),
        ("15% rise", "15|%|rise"),
        ("at 10:30 today", "at|10:30|today"),
        ("at 7:30PM", "at|7:30|PM"),
        ("5pm", "5|pm"),
        ("35mm film", "35|mm|film"),
        ("£20", "£|20"),
        ("€5.50", "€|5.50"),
        ("US$", "US$"),
        ("9/11", "9/11"),
        ("11/28/2000", "11/28/2000"),
        ("the 1990s", "the|1990s"),
        ("5th floor", "5th|floor"),
        ("21st century", "21st|century"),
        ("2nd and 3rd", "2nd|and|3rd"),
        ("-5 degrees", "-|5|degrees"),
        ("+44 20", "+44|20"),
        ("#1 seed", "#|1|seed"),
        ("$650k", "$|650|k"),
        ("1.5m", "1.5|m"),
        ("212-848-8400", "212-848-8400"),
        ("853-3242", "853-3242"),
        ("15-20 years", "15|-|20|years"),
        ("1969-1970", "1969|-|1970"),
        ("35°C", "35|°|C"),
        ("1,750 to 1,780 dlrs", "1,750|to|1,780|dlrs"),
        ("5.93 mln", "5.93|mln"),
    ]

    static let abbreviations: [(String, String)] = [
        ("Mr. Smith", "Mr.|Smith"),
        ("Dr. Who", "Dr.|Who"),
        ("the U.S. economy", "the|U.S.|economy"),
        ("the U.N. said", "the|U.N.|said"),
        ("at 5 a.m. today", "at|5|a.m.|today"),
        ("6 p.m. news", "6|p.m.|news"),
        ("No. 5", "No.|5"),
        ("No. I refuse", "No|.|I|refuse"),
        ("Acme Inc. said", "Acme|Inc.|said"),
        ("Acme Corp. and Widget Co. Ltd. agreed", "Acme|Corp.|and|Widget|Co.|Ltd.|agreed"),
        ("Jan. 5", "Jan.|5"),
        ("Sept. 11", "Sept.|11"),
        ("Calif. and Mass. voters", "Calif.|and|Mass.|voters"),
        ("J. K. Rowling", "J.|K.|Rowling"),
        ("e.g. this", "e.g.|this"),
        ("i.e., that", "i.e.|,|that"),
        ("apples vs. oranges", "apples|vs.|oranges"),
        ("Ph.D. student", "Ph.D.|student"),
        ("Washington, D.C., today", "Washington|,|D.C.|,|today"),
        ("St. Louis", "St.|Louis"),
        ("pages, etc. and more", "pages|,|etc.|and|more"),
        ("the end etc.", "the|end|etc|."),
        ("in the U.S.", "in|the|U.S|."),
        ("Inc..", "Inc.|."),
        ("U.S.-led", "U.S.|-|led"),
        ("T.V.?", "T.V.|?"),
        ("Sen. John McCain, R-Ariz., said", "Sen.|John|McCain|,|R|-|Ariz.|,|said"),
        ("Rep. Jane Doe (D-N.Y.) spoke", "Rep.|Jane|Doe|(|D|-|N.Y.|)|spoke"),
    ]

    static let hyphens: [(String, String)] = [
        ("fetal-tissue research", "fetal|-|tissue|research"),
        ("a well-known fact", "a|well|-|known|fact"),
        ("state-of-the-art", "state|-|of|-|the|-|art"),
        ("e-mail", "e-mail"),
        ("non-profit", "non-profit"),
        ("re-elected", "re-elected"),
        ("anti-war", "anti-war"),
        ("co-founder", "co-founder"),
        ("pre-war", "pre-war"),
        ("mid-August", "mid-August"),
        ("self-defense", "self|-|defense"),
        ("15-year term", "15|-|year|term"),
        ("F-16", "F|-|16"),
        ("twenty-two", "twenty|-|two"),
        ("COVID-19", "COVID|-|19"),
        ("a cut-off w-", "a|cut|-|off|w-"),
        ("over-the-counter trade", "over|-|the|-|counter|trade"),
        ("non-adult-like", "non|-|adult|-|like"),
    ]

    static let specials: [(String, String)] = [
        ("see https://www.example.com/a-b/c.html.", "see|https://www.example.com/a-b/c.html|."),
        ("(http://example.org/x)", "(|http://example.org/x|)"),
        ("www.reuters.com, daily", "www.reuters.com|,|daily"),
        ("mail jane.doe@example.com.", "mail|jane.doe@example.com|."),
        ("<john@example.org>", "<|john@example.org|>"),
        ("mailto:jane@example.com.", "mailto:jane@example.com|."),
        ("franz371...@gmail.com", "franz371...@gmail.com"),
        ("@user_1 said", "@user_1|said"),
        ("#MeToo movement", "#MeToo|movement"),
        ("great :) really", "great|:)|really"),
        ("family:)", "family|:)"),
        ("love <3", "love|<3"),
        ("AT&T", "AT&T"),
        ("example.com.", "example.com|."),
    ]

    static let unicode: [(String, String)] = [
        ("Café au lait.", "Café|au|lait|."),
        ("José’s team", "José|’s|team"),
        ("Zürich-based", "Zürich|-|based"),
        ("naïve résumé", "naïve|résumé"),
        ("great 👍 job", "great|👍|job"),
        ("wow👍", "wow|👍"),
        ("👍🏽 thumbs", "👍🏽|thumbs"),
        ("a\u{00A0}b", "a|b"),
        ("x\u{200B}y", "x|y"),
        ("© 2024 Latin Times.", "©|2024|Latin|Times|."),
        ("Apple™ products", "Apple|™|products"),
        ("• bullet", "•|bullet"),
        ("Москва и Киев", "Москва|и|Киев"),
        ("北京 news", "北京|news"),
    ]

    @Test(arguments: punctuation)
    func punctuationSplits(text: String, expected: String) {
        #expect(Self.segmenter.tokenStrings(text).joined(separator: "|") == expected)
    }

    @Test(arguments: contractions)
    func contractionsAndPossessives(text: String, expected: String) {
        #expect(Self.segmenter.tokenStrings(text).joined(separator: "|") == expected)
    }

    @Test(arguments: numbers)
    func numbersStayWhole(text: String, expected: String) {
        #expect(Self.segmenter.tokenStrings(text).joined(separator: "|") == expected)
    }

    @Test(arguments: abbreviations)
    func abbreviationsKeepTheirPeriod(text: String, expected: String) {
        #expect(Self.segmenter.tokenStrings(text).joined(separator: "|") == expected)
    }

    @Test(arguments: hyphens)
    func hyphensSplitAsInUD(text: String, expected: String) {
        #expect(Self.segmenter.tokenStrings(text).joined(separator: "|") == expected)
    }

    @Test(arguments: specials)
    func urlsEmailsHandlesStayWhole(text: String, expected: String) {
        #expect(Self.segmenter.tokenStrings(text).joined(separator: "|") == expected)
    }

    @Test(arguments: unicode)
    func nonASCIIText(text: String, expected: String) {
        #expect(Self.segmenter.tokenStrings(text).joined(separator: "|") == expected)
    }

    @Test func hyphensStayWholeWhenSplittingIsOff() {
        let segmenter = Segmenter(splitHyphens: false)
        #expect(
            segmenter.tokenStrings("fetal-tissue state-of-the-art").joined(separator: "|")
                == "fetal-tissue|state-of-the-art")
        #expect(segmenter.tokenStrings("so -- he").joined(separator: "|") == "so|--|he")
    }

    @Test func extraAbbreviationsKeepTheirPeriod() {
        #expect(Self.segmenter.tokenStrings("Insp. Morse").joined(separator: "|") == "Insp.|Morse")
        #expect(Self.segmenter.tokenStrings("the Xyz. company").joined(separator: "|") == "the|Xyz|.|company")
        let extended = Segmenter(extraAbbreviations: ["Xyz."])
        #expect(extended.tokenStrings("the Xyz. company").joined(separator: "|") == "the|Xyz.|company")
    }

    @Test func offsetsAreExactBytes() {
        let text = "“Zoë’s” café—ok."
        let (tokens, _) = Self.segmenter.segment(text)
        let bytes = Array(text.utf8)
        let pieces = tokens.map { String(decoding: bytes[Int($0.start)..<Int($0.end)], as: UTF8.self) }
        #expect(pieces == ["“", "Zoë", "’s", "”", "café", "—", "ok", "."])
        #expect(tokens.first?.start == 0)
        #expect(tokens.last?.end == Int32(bytes.count))
    }

    @Test func emptyAndBlankTextsHaveNoTokens() {
        #expect(Self.segmenter.tokenStrings("").isEmpty)
        #expect(Self.segmenter.tokenStrings("  \n\t \u{00A0} ").isEmpty)
    }
}
