import Testing

@testable import Newsmill

@Suite struct EntityPatternsTests {
    struct Case: CustomStringConvertible, Sendable {
        var text: String
        var expected: [String]
        var description: String { text }
    }

    static let dateCases: [Case] = [
        Case(text: "The talks resume on March 2 in Geneva.", expected: ["March 2/DATE"]),
        Case(text: "It was signed on March 2, 1987 by both.", expected: ["March 2, 1987/DATE"]),
        Case(text: "Trade rose in January 1987 and fell in May.", expected: ["January 1987/DATE"]),
        Case(text: "Prices fell on Tuesday after the report.", expected: ["Tuesday/DATE"]),
        Case(text: "Output rose last week and will fall next year.", expected: ["last week/DATE", "next year/DATE"]),
        Case(text: "The plant opened in 1987 and closed in the 1990s.", expected: ["1987/DATE", "the 1990s/DATE"]),
        Case(text: "Sales in the first quarter were weak.", expected: ["the first quarter/DATE"]),
        Case(
            text: "He left two years ago and returned yesterday.", expected: ["two years ago/DATE", "yesterday/DATE"]),
        Case(
            text: "Profit fell in fiscal 1986 against the past three months.",
            expected: ["fiscal 1986/DATE", "the past three months/DATE"]),
        Case(text: "You may go in Feb. 12 if you march.", expected: ["Feb. 12/DATE"]),
        // Crop and fiscal years written as ranges; not a fraction or a ratio of other numbers.
        Case(
            text: "Exports in 1987/88 and 1988/1989 beat 1986/87 but not 1985/87 or 3/4 of it.",
            expected: ["1987/88/DATE", "1988/1989/DATE", "1986/87/DATE", "1985/87/CARDINAL", "3/4/CARDINAL"]),
        Case(text: "The shares were offered in June, 1986 in New York.", expected: ["June, 1986/DATE"]),
        Case(
            text: "Sales matched the prior week and the preceding month.",
            expected: ["the prior week/DATE", "the preceding month/DATE"]),
    ]

    static let timeCases: [Case] = [
        Case(text: "Trading opens at 10:30 a.m. EST today.", expected: ["10:30 a.m. EST/TIME", "today/DATE"]),
        Case(text: "The vote is at noon and ends at 4 pm.", expected: ["noon/TIME", "4 pm/TIME"]),
        Case(text: "Talks lasted two hours last night.", expected: ["two hours/TIME", "last night/TIME"]),
    ]

    static let amountCases: [Case] = [
        Case(text: "It earned 6 mln dlrs in the year.", expected: ["6 mln dlrs/MONEY"]),
        Case(text: "The deal is worth $1.5 billion now.", expected: ["$1.5 billion/MONEY"]),
        Case(text: "Shr 20 cts vs 15 cts.", expected: ["20 cts/MONEY", "15 cts/MONEY"]),
        Case(text: "A loan of 150 mln Canadian dlrs was agreed.", expected: ["150 mln Canadian dlrs/MONEY"]),
        Case(text: "Japan paid 3.1 billion yen for it.", expected: ["3.1 billion yen/MONEY"]),
        Case(text: "Rates rose 5.5 pct and 12% respectively.", expected: ["5.5 pct/PERCENT", "12%/PERCENT"]),
        Case(text: "Inflation was 4 per cent in March.", expected: ["4 per cent/PERCENT", "March/DATE"]),
        Case(text: "They shipped 300 tonnes over 10 km.", expected: ["300 tonnes/QUANTITY", "10 km/QUANTITY"]),
        Case(text: "Output was 1.2 mln barrels a day.", expected: ["1.2 mln barrels/QUANTITY"]),
    ]

    static let numberCases: [Case] = [
        Case(text: "Stocks were 48,310 bags of cocoa.", expected: ["48,310/CARDINAL"]),
        Case(text: "It was the first time and the 22nd try.", expected: ["first/ORDINAL", "22nd/ORDINAL"]),
        Case(text: "Two hundred people and 3 cars came.", expected: ["Two hundred/CARDINAL", "3/CARDINAL"]),
        Case(text: "The second bid came from the third party.", expected: ["second/ORDINAL", "third/ORDINAL"]),
        Case(text: "Nothing numeric is here at all.", expected: []),
    ]

    @Test(arguments: dateCases) func dates(_ c: Case) {
        #expect(EntityTestSupport.patternStrings(c.text) == c.expected)
    }

    @Test(arguments: timeCases) func times(_ c: Case) {
        #expect(EntityTestSupport.patternStrings(c.text) == c.expected)
    }

    @Test(arguments: amountCases) func amounts(_ c: Case) {
        #expect(EntityTestSupport.patternStrings(c.text) == c.expected)
    }

    @Test(arguments: numberCases) func numbers(_ c: Case) {
        #expect(EntityTestSupport.patternStrings(c.text) == c.expected)
    }

    @Test func patternsStayInsideSentences() {
        // "March" ends one sentence; "2" starts the next: no date across the break.
        #expect(
            EntityTestSupport.patternStrings("It happened in March\n2 people left.") == ["March/DATE", "2/CARDINAL"])
    }
}
