import Foundation
import Testing

@testable import Newsmill

@Suite struct FilterStageTests {
    func verdict(_ options: [String: String], _ text: String) throws -> Verdict {
        let stage = try FilterStage(options: StageOptions(options, stageName: "filter"))
        var doc = Document(id: "d", source: SourceLocation(path: "p", line: 1), text: text)
        return try stage.process(&doc, in: StageContext())
    }

    @Test func isRegistered() throws {
        #expect(StageRegistry.standard.stageNames.contains("filter"))
        #expect(try StageRegistry.standard.makeStage(named: "filter", options: StageOptions([:])) is FilterStage)
    }

    @Test func lengthsInWordsAndCharacters() throws {
        let text = "Grain prices rose  sharply\n in Chicago, café"
        // Counted inside the closure: the buffer pointer is only valid there (the test used to
        // let it escape and read freed memory, which failed now and then).
        let counts = Array(text.utf8).withUnsafeBufferPointer { FilterStage.counts($0) }
        #expect(counts == (7, text.unicodeScalars.count))
        #expect(try verdict(["min_words": "7"], text) == .keep)
        #expect(try verdict(["min_words": "8"], text) == .drop(reason: "fewer than 8 words"))
        #expect(try verdict(["max_words": "6"], text) == .drop(reason: "more than 6 words"))
        #expect(try verdict(["min_chars": "100"], text) == .drop(reason: "fewer than 100 characters"))
        #expect(try verdict(["max_chars": "\(text.unicodeScalars.count)"], text) == .keep)
        #expect(try verdict(["max_chars": "10"], text) == .drop(reason: "more than 10 characters"))
        #expect(try verdict(["min_words": "1"], "") == .drop(reason: "fewer than 1 words"))
    }

    @Test func excludeAndRequirePatterns() throws {
        let text = "Click HERE to subscribe. Shares of ACME rose 5 pct."
        #expect(try verdict(["exclude": "click here"], text) == .drop(reason: "matches exclude pattern 'click here'"))
        #expect(
            try verdict(["exclude": "contains:ACME ROSE"], text)
                == .drop(reason: "matches exclude pattern 'contains:ACME ROSE'"))
        #expect(try verdict(["exclude": "lottery"], text) == .keep)
        #expect(
            try verdict(["exclude": "regex:\\b\\d+ pct\\b"], text)
                == .drop(reason: "matches exclude pattern 'regex:\\b\\d+ pct\\b'"))
        #expect(try verdict(["require": "shares"], text) == .keep)
        #expect(try verdict(["require": "bonds"], text) == .drop(reason: "matches no require pattern"))
        // A pattern longer than the text, and one at the very end.
        #expect(try verdict(["exclude": "x\(String(repeating: "y", count: 100))"], "xy") == .keep)
        #expect(try verdict(["exclude": "pct."], text) == .drop(reason: "matches exclude pattern 'pct.'"))
    }

    @Test func qualityMeasuresOfAText() {
        let text = "The cat and the dog ...\n# 123 45\nThe cat and the dog ...\nwith café…"
        let q = Array(text.utf8).withUnsafeBufferPointer { FilterStage.quality($0) }
        #expect(q.words == 17 && q.alphaWords == 12, "\(q)")
        #expect(q.symbols == 4)  // two "...", one "#" word, one "…"
        #expect(q.lines == 4 && q.duplicateLines == 1)
        #expect(q.stopWords == 7)  // The, and, the (twice), with; case-insensitive
        #expect(
            q.wordScalars
                == text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(\.unicodeScalars.count).reduce(0, +))
    }

    @Test func qualityRulesDropWithTheirReasons() throws {
        let prose = "Grain prices rose sharply in Chicago on Tuesday as traders bought wheat and the dollar fell."
        let gopher = [
            "min_alpha_words": "0.8", "min_mean_word_length": "3", "max_mean_word_length": "10",
            "max_symbol_ratio": "0.1", "max_duplicate_lines": "0.3", "min_stop_words": "2",
        ]
        #expect(try verdict(gopher, prose) == .keep)
        #expect(
            try verdict(gopher, "123 456 789 1011 wheat and the")
                == .drop(reason: "fewer than 0.8 of the words with a letter"))
        #expect(try verdict(gopher, "a b c d e f the and") == .drop(reason: "mean word length below 3.0"))
        #expect(
            try verdict(gopher, "the and " + String(repeating: "x", count: 80))
                == .drop(reason: "mean word length above 10.0"))
        #expect(try verdict(gopher, "#news #grain #wheat the and prices") == .drop(reason: "symbol ratio above 0.1"))
        #expect(
            try verdict(gopher, "Read more of the news and\nRead more of the news and\nok the and")
                == .drop(reason: "more than 0.3 of the lines repeated"))
        #expect(try verdict(gopher, "Grain prices rose sharply in Chicago") == .drop(reason: "fewer than 2 stop words"))
        // Off by default.
        #expect(try verdict([:], "# # # 1 2 3") == .keep)
    }

    @Test func badOptionsAreConfigErrors() {
        #expect(throws: ConfigError.self) { try FilterStage(options: StageOptions(["exclude": "regex:("])) }
        #expect(throws: ConfigError.self) {
            try FilterStage(options: StageOptions(["min_words": "10", "max_words": "5"]))
        }
        #expect(throws: ConfigError.self) { try FilterStage(options: StageOptions(["min_chars": "-1"])) }
        #expect(throws: ConfigError.self) { try FilterStage(options: StageOptions(["exclude": "contains:"])) }
        #expect(throws: ConfigError.self) { try FilterStage(options: StageOptions(["min_alpha_words": "1.5"])) }
    }
}
