import Foundation
import Testing

@testable import Newsmill

/// Locates the shared development data (../shared/data next to the repository).
enum SegmentTestData {
    static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        // Tests/NewsmillTests/Stages/SegmentStageTests.swift -> repository root
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url
    }()

    static let dataDirectory = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data")

    static var sharedDataAvailable: Bool {
        FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("ud").path)
    }

    static var newsAvailable: Bool {
        FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("news/txt").path)
    }

    static func read(_ relativePath: String) throws -> String {
        let data = try Data(contentsOf: dataDirectory.appendingPathComponent(relativePath))
        return String(decoding: data, as: UTF8.self)
    }
}

@Suite struct SegmentStageTests {
    /// The seed article (the project's own text), one paragraph a line.
    static let seedArticle = [
        "China seemingly offered to play a mediator role in the conflict between Russia and Ukraine that commenced last week.",
        "Amid its strongest comments yet over the conflict, China said in a statement that Ukraine is \"willing to strengthen communications with China and looks forward to China playing a role in realizing a ceasefire.\" According to Daily Mail, Chinese authorities added that they are \"extremely concerned about the harm to civilians\" amid the war.",
        "This comes after Chinese foreign minister Wang Yi shared a call with his Ukrainian counterpart Dmytro Kuleba. During the call, Yi called on the two nations to \"find a way to resolve the issue through negotiations.\" He also reportedly said that he \"deeply regrets that conflict has broken out between Ukraine and Russia,\" and is paying \"extreme attention to the harm suffered by civilians.\" Yi also said on Tuesday that Beijing “laments” the outbreak of the conflict, reported The Guardian.",
        "The call was initiated by the Ukrainian side, said the Chinese foreign ministry. They also talked about evacuation of Chinese nationals from Ukraine, with 6,000 Chinese citizens staying, studying and working there.",
        "According to a Chinese readout, which cited Kuleba, “Ukraine is willing to strengthen communications with China, and it looks forward to China playing a mediation role in achieving a ceasefire.\" Kuleba said that Yi assured him \"of China's readiness to make every effort to end the war on Ukrainian soil through diplomacy, including as a permanent member of the UN Security Council.\"",
        "The call came as Russian forces bombarded the regional government building in Kharkiv, which is Ukraine’s second largest city. The Tuesday attack killed at least 10 civilians.",
        "Meanwhile, China said on Wednesday that it would not consider sanctioning Russia for the invasion, and shared that it will continue with \"normal trade cooperation.\" The Asian country also abstained during a United Nations General Assembly vote Wednesday. It was on a nonbinding resolution calling on Russia to stop its war on Ukraine and withdraw its soldiers.",
        "The New York Times recently reported that senior Chinese officials allegedly told their Russian counterparts to delay sending in Putin's troops into Ukraine until after the Winter Olympics had finished.",
        "© 2024 Latin Times. All rights reserved. Do not reproduce without permission.",
    ].joined(separator: "\n")

    /// Every sentence of the seed article, checked by eye.
    static let seedSentences = [
        "China seemingly offered to play a mediator role in the conflict between Russia and Ukraine that commenced last week.",
        "Amid its strongest comments yet over the conflict, China said in a statement that Ukraine is \"willing to strengthen communications with China and looks forward to China playing a role in realizing a ceasefire.\"",
        "According to Daily Mail, Chinese authorities added that they are \"extremely concerned about the harm to civilians\" amid the war.",
        "This comes after Chinese foreign minister Wang Yi shared a call with his Ukrainian counterpart Dmytro Kuleba.",
        "During the call, Yi called on the two nations to \"find a way to resolve the issue through negotiations.\"",
        "He also reportedly said that he \"deeply regrets that conflict has broken out between Ukraine and Russia,\" and is paying \"extreme attention to the harm suffered by civilians.\"",
        "Yi also said on Tuesday that Beijing “laments” the outbreak of the conflict, reported The Guardian.",
        "The call was initiated by the Ukrainian side, said the Chinese foreign ministry.",
        "They also talked about evacuation of Chinese nationals from Ukraine, with 6,000 Chinese citizens staying, studying and working there.",
        "According to a Chinese readout, which cited Kuleba, “Ukraine is willing to strengthen communications with China, and it looks forward to China playing a mediation role in achieving a ceasefire.\"",
        "Kuleba said that Yi assured him \"of China's readiness to make every effort to end the war on Ukrainian soil through diplomacy, including as a permanent member of the UN Security Council.\"",
        "The call came as Russian forces bombarded the regional government building in Kharkiv, which is Ukraine’s second largest city.",
        "The Tuesday attack killed at least 10 civilians.",
        "Meanwhile, China said on Wednesday that it would not consider sanctioning Russia for the invasion, and shared that it will continue with \"normal trade cooperation.\"",
        "The Asian country also abstained during a United Nations General Assembly vote Wednesday.",
        "It was on a nonbinding resolution calling on Russia to stop its war on Ukraine and withdraw its soldiers.",
        "The New York Times recently reported that senior Chinese officials allegedly told their Russian counterparts to delay sending in Putin's troops into Ukraine until after the Winter Olympics had finished.",
        "© 2024 Latin Times.",
        "All rights reserved.",
        "Do not reproduce without permission.",
    ]

    /// Every token of the seed article, checked by eye, one sentence a line.
    static let seedTokens = [
        "China|seemingly|offered|to|play|a|mediator|role|in|the|conflict|between|Russia|and|Ukraine|that|commenced|last|week|.",
        "Amid|its|strongest|comments|yet|over|the|conflict|,|China|said|in|a|statement|that|Ukraine|is|\"|willing|to|strengthen|communications|with|China|and|looks|forward|to|China|playing|a|role|in|realizing|a|ceasefire|.|\"",
        "According|to|Daily|Mail|,|Chinese|authorities|added|that|they|are|\"|extremely|concerned|about|the|harm|to|civilians|\"|amid|the|war|.",
        "This|comes|after|Chinese|foreign|minister|Wang|Yi|shared|a|call|with|his|Ukrainian|counterpart|Dmytro|Kuleba|.",
        "During|the|call|,|Yi|called|on|the|two|nations|to|\"|find|a|way|to|resolve|the|issue|through|negotiations|.|\"",
        "He|also|reportedly|said|that|he|\"|deeply|regrets|that|conflict|has|broken|out|between|Ukraine|and|Russia|,|\"|and|is|paying|\"|extreme|attention|to|the|harm|suffered|by|civilians|.|\"",
        "Yi|also|said|on|Tuesday|that|Beijing|“|laments|”|the|outbreak|of|the|conflict|,|reported|The|Guardian|.",
        "The|call|was|initiated|by|the|Ukrainian|side|,|said|the|Chinese|foreign|ministry|.",
        "They|also|talked|about|evacuation|of|Chinese|nationals|from|Ukraine|,|with|6,000|Chinese|citizens|staying|,|studying|and|working|there|.",
        "According|to|a|Chinese|readout|,|which|cited|Kuleba|,|“|Ukraine|is|willing|to|strengthen|communications|with|China|,|and|it|looks|forward|to|China|playing|a|mediation|role|in|achieving|a|ceasefire|.|\"",
        "Kuleba|said|that|Yi|assured|him|\"|of|China|'s|readiness|to|make|every|effort|to|end|the|war|on|Ukrainian|soil|through|diplomacy|,|including|as|a|permanent|member|of|the|UN|Security|Council|.|\"",
        "The|call|came|as|Russian|forces|bombarded|the|regional|government|building|in|Kharkiv|,|which|is|Ukraine|’s|second|largest|city|.",
        "The|Tuesday|attack|killed|at|least|10|civilians|.",
        "Meanwhile|,|China|said|on|Wednesday|that|it|would|not|consider|sanctioning|Russia|for|the|invasion|,|and|shared|that|it|will|continue|with|\"|normal|trade|cooperation|.|\"",
        "The|Asian|country|also|abstained|during|a|United|Nations|General|Assembly|vote|Wednesday|.",
        "It|was|on|a|nonbinding|resolution|calling|on|Russia|to|stop|its|war|on|Ukraine|and|withdraw|its|soldiers|.",
        "The|New|York|Times|recently|reported|that|senior|Chinese|officials|allegedly|told|their|Russian|counterparts|to|delay|sending|in|Putin|'s|troops|into|Ukraine|until|after|the|Winter|Olympics|had|finished|.",
        "©|2024|Latin|Times|.",
        "All|rights|reserved|.",
        "Do|not|reproduce|without|permission|.",
    ]

    func makeStage(_ options: [String: String] = [:]) throws -> SegmentStage {
        try SegmentStage(options: StageOptions(options, stageName: "segment"))
    }

    func run(_ stage: SegmentStage, on text: String, context: StageContext = StageContext()) throws -> Document {
        var document = Document(id: "t", source: SourceLocation(path: "t.txt", line: 1), text: text)
        let verdict = try stage.process(&document, in: context)
        #expect(verdict == .keep)
        return document
    }

    @Test func isRegisteredAsSegment() throws {
        #expect(SegmentStage.name == "segment")
        #expect(StageRegistry.standard.stageNames.contains("segment"))
        let stage = try StageRegistry.standard.makeStage(
            named: "segment", options: StageOptions(["split_hyphens": "false"], stageName: "segment"))
        #expect(stage is SegmentStage)
    }

    @Test func optionSpecsListEveryOption() {
        let names = SegmentStage.optionSpecs.map(\.name)
        #expect(
            names == [
                "abbreviations", "title_abbreviations", "split_hyphens", "paragraph_breaks", "max_sentence_length",
            ])
    }

    @Test func rejectsUnknownKeysAndBadValues() {
        #expect(throws: ConfigError.self) {
            _ = try StageRegistry.standard.makeStage(
                named: "segment", options: StageOptions(["split_hyphen": "true"], stageName: "segment"))
        }
        #expect(throws: ConfigError.self) { _ = try makeStage(["split_hyphens": "maybe"]) }
        #expect(throws: ConfigError.self) { _ = try makeStage(["max_sentence_length": "-1"]) }
    }

    @Test func abbreviationListsComeFromOptions() throws {
        let stage = try SegmentStage(
            options: StageOptions(
                nodes: [
                    (
                        "abbreviations",
                        .sequence(
                            [.scalar("Xyz.", SourceLocation(path: "p", line: 1))],
                            SourceLocation(path: "p", line: 1))
                    )
                ],
                stageName: "segment"))
        let document = try run(stage, on: "He met Xyz. officials today.")
        #expect(document.tokens.map { document.string(of: $0.span) }.contains("Xyz."))
        #expect(document.sentences.count == 1)
    }

    @Test func processFillsSentencesTokensAndCounters() throws {
        let context = StageContext()
        let document = try run(try makeStage(), on: "Hello there. How are you?", context: context)
        #expect(document.sentences.map { document.string(of: $0) } == ["Hello there.", "How are you?"])
        #expect(
            document.tokens.map { document.string(of: $0.span) } == ["Hello", "there", ".", "How", "are", "you", "?"])
        #expect(document.tokens.map(\.sentence) == [0, 0, 0, 1, 1, 1, 1])
        #expect(context.counters["segment.sentences"] == 2)
        #expect(context.counters["segment.tokens"] == 7)
    }

    @Test func reprocessingReplacesEarlierAnnotations() throws {
        let stage = try makeStage()
        var document = try run(stage, on: "One. Two.")
        document.text = "Three"
        _ = try stage.process(&document, in: StageContext())
        #expect(document.tokens.count == 1)
        #expect(document.sentences == [Span(start: 0, end: 5)])
    }

    @Test func seedArticleSentencesAreLocked() throws {
        let document = try run(try makeStage(), on: Self.seedArticle)
        #expect(document.sentences.map { document.string(of: $0) } == Self.seedSentences)
    }

    @Test func seedArticleTokensAreLocked() throws {
        let document = try run(try makeStage(), on: Self.seedArticle)
        var perSentence = Array(repeating: [String](), count: document.sentences.count)
        for token in document.tokens { perSentence[Int(token.sentence)].append(document.string(of: token.span)) }
        let actual = perSentence.map { $0.joined(separator: "|") }
        #expect(actual.count == Self.seedTokens.count)
        for (index, (got, expected)) in zip(actual, Self.seedTokens).enumerated() {
            #expect(got == expected, "sentence \(index)")
        }
    }

    /// Structural invariants every segmentation must satisfy.
    static func checkInvariants(of document: Document, path: String) {
        let bytes = Array(document.text.utf8)
        let count = Int32(bytes.count)
        var previousEnd: Int32 = 0
        var covered = [Bool](repeating: false, count: bytes.count)
        for token in document.tokens {
            #expect(token.start < token.end && token.start >= previousEnd && token.end <= count, "\(path): token order")
            // Tokens start and end on scalar boundaries and hold no whitespace.
            #expect(token.start == count || bytes[Int(token.start)] & 0xC0 != 0x80, "\(path): token start mid-scalar")
            #expect(token.end == count || bytes[Int(token.end)] & 0xC0 != 0x80, "\(path): token end mid-scalar")
            let piece = document.string(of: token.span)
            #expect(!piece.unicodeScalars.contains { TextScanning.isSpace($0.value) }, "\(path): space in \(piece)")
            for k in Int(token.start)..<Int(token.end) { covered[k] = true }
            previousEnd = token.end
        }
        // Nothing is lost: every byte outside tokens is whitespace.
        var k = 0
        bytes.withUnsafeBufferPointer { b in
            while k < b.count {
                if covered[k] { k += 1; continue }
                let length = TextScanning.spaceLength(b, at: k, end: b.count)
                #expect(length > 0, "\(path): byte \(k) is neither whitespace nor in a token")
                k += max(length, 1)
            }
        }
        // Sentences: sorted, each exactly covering its tokens, no line break inside.
        var tokenIndex = 0
        for (index, sentence) in document.sentences.enumerated() {
            let first = tokenIndex
            while tokenIndex < document.tokens.count && document.tokens[tokenIndex].sentence == Int32(index) {
                tokenIndex += 1
            }
            #expect(tokenIndex > first, "\(path): empty sentence \(index)")
            guard tokenIndex > first else { return }
            #expect(sentence.start == document.tokens[first].start, "\(path): sentence \(index) start")
            #expect(sentence.end == document.tokens[tokenIndex - 1].end, "\(path): sentence \(index) end")
            #expect(!document.string(of: sentence).contains("\n"), "\(path): line break inside sentence \(index)")
        }
        #expect(tokenIndex == document.tokens.count, "\(path): tokens outside sentences")
    }

    @Test func seedArticleSatisfiesInvariants() throws {
        Self.checkInvariants(of: try run(try makeStage(), on: Self.seedArticle), path: "seed")
    }

    @Test func messyTextSatisfiesInvariants() throws {
        let texts = [
            "", " ", "\n\n", "“”", "...", "!!!", "a", "-", "'", "’s", "U.S.", "e.g.", "http://", "@", "#", "$",
            "word\u{00A0}word\u{2009}word", "emoji 👍🏽👨‍👩‍👧 end.", "tab\tand\r\nCRLF", "(((nested)))",
            "\"\"Double\"\" quotes", "ÅÄÖ. Ééé! Ççç?", "1.2.3. 4.5.6.", "a.b.c.d.e.f.g", "--- === ***",
            "x\u{200B}\u{FEFF}y", "N°. 5 №6", "‘’“”«»‹›„‚", "....... . . . . …… …", "don'tcan'twon't",
        ]
        let stage = try makeStage()
        for text in texts { Self.checkInvariants(of: try run(stage, on: text), path: "messy: \(text)") }
    }

    @Test(.timeLimit(.minutes(1)))
    func pathologicalInputsStayLinear() throws {
        let n = 30_000
        let texts = [
            String(repeating: "1234-", count: n / 5) + "12345",
            String(repeating: "a-", count: n / 2),
            String(repeating: "x", count: n) + "@" + String(repeating: ")", count: n / 10),
            String(repeating: "(", count: n / 10) + "word" + String(repeating: ".", count: n / 10),
            String(repeating: ". ", count: n / 2),
            String(repeating: "No. ", count: n / 4),
            String(repeating: "U.S. ", count: n / 5),
            String(repeating: "a/", count: n / 2),
            String(repeating: "\"", count: n),
            String(repeating: "1. a ", count: n / 5),
        ]
        let stage = try makeStage()
        for text in texts { Self.checkInvariants(of: try run(stage, on: text), path: "pathological") }
    }

    @Test(.enabled(if: SegmentTestData.newsAvailable, "needs ../shared/data/news (Reuters, read at test time only)"))
    func reutersArticlesSatisfyInvariants() throws {
        let directory = SegmentTestData.dataDirectory.appendingPathComponent("news/txt")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted().filter {
            $0.hasSuffix(".txt")
        }
        #expect(files.count > 1000)
        let stage = try makeStage()
        var sentences = 0
        var lowerCaseStarts = 0
        for file in files {
            let text = try SegmentTestData.read("news/txt/\(file)")
            let document = try run(stage, on: text)
            Self.checkInvariants(of: document, path: file)
            sentences += document.sentences.count
            // A sentence starting in lower case after a final mark usually means a wrong split.
            let bytes = Array(document.text.utf8)
            for sentence in document.sentences {
                let first = bytes[Int(sentence.start)]
                if first >= 0x61 && first <= 0x7A { lowerCaseStarts += 1 }
            }
        }
        #expect(sentences > 5000)
        #expect(
            Double(lowerCaseStarts) / Double(sentences) < 0.01,
            "\(lowerCaseStarts) of \(sentences) sentences start in lower case")
    }
}
