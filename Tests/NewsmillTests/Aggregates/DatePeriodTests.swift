import Testing

@testable import Newsmill

@Suite struct DatePeriodTests {
    @Test(arguments: [
        ("2024-01-31", "2024-01-31"), ("2024-01-31T23:59:59Z", "2024-01-31"), ("2024/1/5", "2024-01-05"),
        ("20240131", "2024-01-31"), ("Wed, 31 Jan 2024 10:00:00 +0000", "2024-01-31"),
        ("31 January 2024", "2024-01-31"), ("26-FEB-1987 15:01:01.79", "1987-02-26"),
        ("January 31, 2024", "2024-01-31"), ("Jan. 5 2024", "2024-01-05"), ("Sept 3rd, 2023", "2023-09-03"),
        (" 2000-02-29", "2000-02-29"),
    ])
    func readsTheDateFormatsNewsCarries(_ c: (String, String)) {
        #expect(DatePeriod.day.key(c.0) == c.1, "\(c.0)")
    }

    @Test(arguments: ["", "yesterday", "2023-02-29", "2024-13-01", "31/01/2024", "Jan 2024", "12345", "Mayday 5 2020"])
    func refusesWhatIsNotADate(_ text: String) {
        #expect(DatePeriod.day.key(text) == nil, "\(text)")
    }

    @Test func periodsSortInTimeOrder() {
        #expect(DatePeriod.month.key("2024-01-31T10:00:00Z") == "2024-01")
        #expect(DatePeriod.year.key("26-FEB-1987") == "1987")
        // ISO weeks: Monday starts them; week 1 holds the first Thursday.
        #expect(DatePeriod.week.key("2024-01-01") == "2024-W01")
        #expect(DatePeriod.week.key("2021-01-03") == "2020-W53")
        #expect(DatePeriod.week.key("2024-12-30") == "2025-W01")
        #expect(DatePeriod.week.key("1987-02-26") == "1987-W09")
        #expect(DatePeriod.week.key("2026-11-29") == "2026-W48")
    }

    @Test func countsGroupByMonth() throws {
        var counts = try CountsAggregator(
            options: StageOptions(["group_by": "date", "period": "month", "top_k": "2"], stageName: "counts"))
        for (date, text) in [
            ("2024-01-03", "wheat rose"), ("Wed, 31 Jan 2024 10:00:00 +0000", "wheat fell"),
            ("2024-02-01T08:00:00Z", "corn rose"), ("soon", "x"),
        ] {
            counts.add(
                Document(
                    id: "x", source: SourceLocation(path: "p", line: 1), text: text,
                    metadata: [JSONMember("date", .string(date))]))
        }
        let records = counts.records()
        let groups = Set(records.compactMap { $0.extra.first(where: { $0.key == "group" })?.value.stringValue })
        #expect(groups == ["2024-01", "2024-02", "(not a date)"])
        let januaryDocuments = records.first {
            $0.key == .string("documents") && $0.extra.contains(JSONMember("group", .string("2024-01")))
        }
        #expect(januaryDocuments?.count == 2)
        #expect(throws: ConfigError.self) {
            try CountsAggregator(options: StageOptions(["period": "month"], stageName: "counts"))
        }
    }
}
