import Foundation
import Testing

@testable import Newsmill

@Suite struct LanguageStageTests {
    static let modelPath = TaggerTestData.repositoryRoot + "/models/" + LanguageModel.fileName
    static let langidDirectory = FileSystem.clean(TaggerTestData.repositoryRoot + "/../shared/data/langid")
    static var langidAvailable: Bool { FileSystem.status(langidDirectory + "/en.txt")?.isRegular == true }

    func stage(_ options: [String: String]) throws -> LanguageStage {
        var all = options
        all["model"] = all["model"] ?? Self.modelPath
        return try LanguageStage(options: StageOptions(all, stageName: "language"))
    }

    func run(_ stage: LanguageStage, _ text: String) throws -> (Verdict, Document) {
        var doc = Document(id: "d", source: SourceLocation(path: "p", line: 1), text: text)
        let verdict = try stage.process(&doc, in: StageContext())
        return (verdict, doc)
    }

    static let english =
        "China offered on Tuesday to mediate between Russia and Ukraine, its foreign minister said after a call with his counterpart."
    static let german =
        "Die Regierung hat am Dienstag angekündigt, dass die Steuern im nächsten Jahr nicht erhöht werden sollen."
    static let french =
        "Le gouvernement a annoncé mardi que les impôts ne seraient pas augmentés l'année prochaine, selon le ministre."

    @Test func keepsTheListedLanguagesAndWritesMetadata() throws {
        let english = try stage([:])
        let (kept, doc) = try run(english, Self.english)
        #expect(kept == .keep)
        #expect(doc.metadata("language") == .string("en"))
        if case .number(let score)? = doc.metadata("language_score") {
            #expect(Double(score).map { $0 >= 0.65 && $0 <= 1 } == true, "\(score)")
        } else {
            Issue.record("no language_score")
        }
        #expect(try run(english, Self.german).0 == .drop(reason: "de"))
        #expect(try run(english, Self.french).0 == .drop(reason: "fr"))
        #expect(try run(english, "1,234 -- 5.6 %").0 == .drop(reason: "und"))
        // Identify only.
        let all = try stage(["languages": "all", "threshold": "0"])
        let (verdict, german) = try run(all, Self.german)
        #expect(verdict == .keep && german.metadata("language") == .string("de"))
        let several = try stage(["languages": "fr"])
        #expect(try run(several, Self.french).0 == .keep)
    }

    /// A Reuters results table: without a prior it looks French; the listed language's
    /// bias (0.3 nats a feature by default) keeps it English. Real French stays French.
    @Test func theBiasKeepsOddTextsInTheListedLanguage() throws {
        let table = "Pay April 10\nRecord March 20\nRevs 3,761,000 vs 2,666,000"
        #expect(try run(stage(["bias": "0"]), table).0 == .drop(reason: "fr"))
        let (verdict, doc) = try run(stage([:]), table)
        #expect(verdict == .keep && doc.metadata("language") == .string("en"))
        #expect(try run(stage([:]), Self.french).0 == .drop(reason: "fr"))
        #expect(try run(stage([:]), Self.german).0 == .drop(reason: "de"))
    }

    @Test func badOptionsAreConfigErrorsNamingTheKey() {
        for (options, key) in [
            (["languages": "xx"], "languages"), (["threshold": "1.5"], "threshold"), (["bias": "-1"], "bias"),
            (["model": "/nonexistent/langid.nmm"], "model"),
        ] {
            do {
                _ = try stage(options)
                Issue.record("\(options) accepted")
            } catch {
                #expect("\(error)".contains(key), "\(error)")
            }
        }
        // A model of another kind.
        #expect(throws: ConfigError.self) { try stage(["model": TaggerTestData.posModelPath]) }
    }

    @Test func modelsRoundTripAndTrainingIsDeterministic() throws {
        let samples = [
            LanguageTrainer.Sample(language: "en", sentences: ["the cat sat on the mat", "where is the station"]),
            LanguageTrainer.Sample(language: "de", sentences: ["die katze sitzt auf der matte", "wo ist der bahnhof"]),
        ]
        let model = LanguageTrainer.train(samples)
        let dir = TestSupport.temporaryDirectory()
        try model.write(to: dir + "/a.nmm")
        try LanguageTrainer.train(samples.reversed()).write(to: dir + "/b.nmm")
        #expect(try FileSystem.readFile(dir + "/a.nmm") == FileSystem.readFile(dir + "/b.nmm"))
        let loaded = try LanguageModel.load(path: dir + "/a.nmm")
        #expect(loaded.languages == ["de", "en"])
        #expect(loaded.identify("the cat is at the station")?.language == "en")
        #expect(loaded.identify("der bahnhof und die katze")?.language == "de")
        #expect(loaded.identify("123 456") == nil)
    }

    /// Paragraphs of five held-out sentences (every 10th line of each language's file, which
    /// `newsmill train language` leaves out of training) are identified correctly.
    @Test(.enabled(if: langidAvailable, "langid data not found (needs ../shared next to the repository)"))
    func heldOutParagraphsAreIdentified() throws {
        let model = try LanguageModel.load(path: Self.modelPath)
        var total = 0
        var wrong: [String] = []
        for name in try #require(FileSystem.list(Self.langidDirectory)).filter({ $0.hasSuffix(".txt") }) {
            let code = String(name.dropLast(4))
            let lines = String(decoding: try FileSystem.readFile(Self.langidDirectory + "/" + name), as: UTF8.self)
                .split(separator: "\n").enumerated().filter { $0.offset % 10 == 9 }.map { String($0.element) }
            for k in stride(from: 0, to: lines.count - 4, by: 5) {
                total += 1
                let found = model.identify(lines[k..<k + 5].joined(separator: " "))?.language
                if found != code { wrong.append("\(code) as \(found ?? "nil")") }
            }
        }
        #expect(total > 1000)
        #expect(Double(wrong.count) <= 0.005 * Double(total), "\(wrong.prefix(10))")
    }
}
