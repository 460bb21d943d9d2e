import Testing

@testable import Newsmill

@Suite struct EntityRecognizerTests {
    /// Sentences from the project's seed article (corpus-seed/seed-article.txt).
    static let seedSentences = [
        "China seemingly offered to play a mediator role in the conflict between Russia and Ukraine that commenced last week.",
        "This comes after Chinese foreign minister Wang Yi shared a call with his Ukrainian counterpart Dmytro Kuleba.",
        "The Asian country also abstained during a United Nations General Assembly vote Wednesday.",
    ]

    func recognize(_ text: String, patterns: Bool = true, labels: Set<EntityLabel>? = nil) throws -> [String] {
        let model = try #require(EntityTestSupport.shippedModel, "models/en-ner.nmm is missing")
        var doc = EntityTestSupport.document(text)
        EntityRecognizer(model: model, usePatterns: patterns, labels: labels).recognize(&doc, scratch: EntityScratch())
        return EntityTestSupport.entityStrings(doc)
    }

    @Test func shippedModelFindsSeedArticleNames() throws {
        let first = try recognize(Self.seedSentences[0])
        #expect(first.contains("China/GPE"))
        #expect(first.contains("Russia/GPE"))
        #expect(first.contains("Ukraine/GPE"))
        #expect(first.contains("last week/DATE"))
        let second = try recognize(Self.seedSentences[1])
        #expect(second.contains("Wang Yi/PERSON"))
        #expect(second.contains("Chinese/NORP"))
        #expect(second.contains("Dmytro Kuleba/PERSON"))
        let third = try recognize(Self.seedSentences[2])
        #expect(third.contains("United Nations General Assembly/ORG"))
        #expect(third.contains("Wednesday/DATE"))
    }

    @Test func shippedModelLabelsReutersAmounts() throws {
        let found = try recognize("Net profit rose to 6 mln dlrs , or 20 cts a share , up 5.5 pct from 1986 .")
        #expect(found.contains("6 mln dlrs/MONEY"))
        #expect(found.contains("20 cts/MONEY"))
        #expect(found.contains("5.5 pct/PERCENT"))
        #expect(found.contains("1986/DATE"))
    }

    /// Reuters results tables: the model alone labels some of these numbers PERSON, ORG or
    /// PRODUCT; a name needs a capitalised word, so they are numbers again.
    @Test func numbersInResultsTablesAreNotNames() throws {
        let names: Set<String> = ["PERSON", "ORG", "GPE", "LOC", "PRODUCT", "LAW", "NORP", "FAC", "EVENT"]
        for line in [
            "Revs 17.6 mln vs 12.8 mln", "Net 418,733 vs 235,572", "Revs 3,070,327 vs 3,195,710",
            "Net 144.5 vs 154.5 mln", "Revs 9.9 mln vs 12.3 mln", "IRAQ 1.6 1.6 1.7",
        ] {
            let found = try recognize(line.split(separator: " ").joined(separator: " "))
            let letterless = found.filter { entity in
                let parts = entity.split(separator: "/")
                return names.contains(String(parts.last!)) && !parts.dropLast().joined().contains(where: \.isLetter)
            }
            #expect(letterless.isEmpty, "\(line): \(found)")
        }
        // People and places do not end in a number ("Mar 48.0" was a PERSON); laws may.
        let prices = try recognize(
            "Hard red winter wheat , Kansas City 2.87 dlrs , Stockton 2.18 , Mar 48.0 , LA 2.54 .")
        let placeOrPerson: Set<String> = ["PERSON", "GPE", "LOC", "NORP", "FAC"]
        for entity in prices where placeOrPerson.contains(String(entity.split(separator: "/").last!)) {
            #expect(!entity.split(separator: "/").dropLast().joined().last!.isNumber, "\(prices)")
        }
        #expect(prices.contains("Kansas City/GPE"), "\(prices)")
        let law = try recognize("Boeing 747 jets and Apollo 11 and Channel 4 and Section 301 were mentioned .")
        #expect(law.contains("Section 301/LAW"), "\(law)")
        // Names next to numbers stay names, and the numbers amounts.
        let found = try recognize("Boeing Co said its 747 jets were ordered by Japan Air Lines .")
        #expect(found.contains("Boeing Co/ORG") && found.contains("Japan Air Lines/ORG"), "\(found)")
        #expect(found.contains("747/CARDINAL"), "\(found)")
    }

    /// Reuters writes company names in angle brackets; the silver labels (spaCy's) ended
    /// them with the ">"; names never end with a bracket.
    @Test func namesDoNotEndWithReutersAngleBrackets() throws {
        for line in [
            "It bought < Wavehill International Ventures Inc > for 5 dlrs .",
            "Shares of < Acme Corp > , a unit of < NTT > , rose .",
        ] {
            let found = try recognize(line)
            #expect(!found.contains(where: { $0.contains(">") || $0.contains("<") }), "\(found)")
            #expect(found.contains(where: { $0.hasPrefix("Wavehill") || $0.hasPrefix("Acme Corp/") }), "\(found)")
        }
        // Nor with a possessive (OntoNotes leaves it out; spaCy's small model now and then
        // keeps it, "Saudi Arabia's" GPE, and so did the silver-trained model).
        for line in [
            "Shares of Sumitomo Bank Ltd 's unit rose .", "He visited Saudi Arabia 's capital .",
            "The University of NSW 's study found nothing .",
        ] {
            let found = try recognize(line)
            #expect(!found.contains(where: { $0.contains("'s/") }), "\(found)")
        }
    }

    /// A scratch prepared over `text` (tokens split at spaces, a line break ends a
    /// sentence) with `spans` as the model's spans, for the post-processing rules.
    func prepared(_ text: String, spans: [EntityTokenSpan]) throws -> EntityScratch {
        let model = try #require(EntityTestSupport.shippedModel, "models/en-ner.nmm is missing")
        let doc = EntityTestSupport.document(text)
        let scratch = EntityScratch()
        var bytes = doc.text
        bytes.withUTF8 { utf8 in
            doc.tokens.withUnsafeBufferPointer {
                scratch.prepare(bytes: utf8, tokens: $0, gazetteer: model.gazetteer, vocabulary: model.vocabulary)
            }
        }
        scratch.spans = spans
        return scratch
    }

    /// A surname alone, after the full name, is the person: labels the model gave it as an
    /// organisation (or a facility, product, event, work) become PERSON; places stay.
    @Test func aSurnameAfterTheFullNameIsThePerson() throws {
        var scratch = try prepared(
            "Joshua Norton ruled .\nNorton spoke .\nNorton left .\nSmith came .",
            spans: [
                EntityTokenSpan(start: 0, end: 2, label: .person), EntityTokenSpan(start: 4, end: 5, label: .org),
                EntityTokenSpan(start: 7, end: 8, label: .gpe), EntityTokenSpan(start: 10, end: 11, label: .org),
            ])
        EntityRecognizer.propagateSurnames(scratch)
        #expect(scratch.spans.map(\.label) == [.person, .person, .gpe, .org])
        // A word followed by more of an organisation's name elsewhere is not a surname.
        scratch = try prepared(
            "S W Berisford said .\nBerisford rose .\nW Berisford Plc fell .",
            spans: [
                EntityTokenSpan(start: 1, end: 3, label: .person), EntityTokenSpan(start: 5, end: 6, label: .org),
                EntityTokenSpan(start: 8, end: 11, label: .org),
            ])
        EntityRecognizer.propagateSurnames(scratch)
        #expect(scratch.spans.map(\.label) == [.person, .org, .org])
    }

    @Test func touchingNamesEndingInAnOrganisationAreOneName() throws {
        // the Sydney Morning Herald; Soviet Baltic; El Paso Gas; Acme Acme.
        let scratch = try prepared(
            "the Sydney Morning Herald said .\nSoviet Baltic ports .\nEl Paso Gas rose .\nAcme Acme fell .",
            spans: [
                EntityTokenSpan(start: 1, end: 2, label: .gpe), EntityTokenSpan(start: 2, end: 3, label: .event),
                EntityTokenSpan(start: 3, end: 4, label: .org),
                EntityTokenSpan(start: 6, end: 7, label: .norp), EntityTokenSpan(start: 7, end: 8, label: .loc),
                EntityTokenSpan(start: 10, end: 12, label: .gpe), EntityTokenSpan(start: 12, end: 13, label: .org),
                EntityTokenSpan(start: 15, end: 16, label: .org), EntityTokenSpan(start: 16, end: 17, label: .org),
            ])
        EntityRecognizer.mergeAdjacent(scratch)
        #expect(
            scratch.spans == [
                EntityTokenSpan(start: 1, end: 4, label: .org), EntityTokenSpan(start: 6, end: 7, label: .norp),
                EntityTokenSpan(start: 7, end: 8, label: .loc), EntityTokenSpan(start: 10, end: 13, label: .org),
                EntityTokenSpan(start: 15, end: 17, label: .org),
            ])
    }

    @Test func touchingDatesAreOneDateButTwoNumbersStayApart() throws {
        // Tokens: sales for 1987 full year rose . | the same period fell . |
        // Year 1986 1985 . | Monday at noon tonight . | on April 21 annual meeting
        let scratch = try prepared(
            "sales for 1987 full year rose .\nthe same period fell .\nYear 1986 1985 .\nMonday at noon tonight .\n"
                + "on April 21 annual meeting",
            spans: [
                EntityTokenSpan(start: 2, end: 3, label: .date), EntityTokenSpan(start: 3, end: 4, label: .date),
                EntityTokenSpan(start: 4, end: 5, label: .date),
                EntityTokenSpan(start: 7, end: 9, label: .date), EntityTokenSpan(start: 9, end: 10, label: .date),
                EntityTokenSpan(start: 13, end: 14, label: .date), EntityTokenSpan(start: 14, end: 15, label: .date),
                EntityTokenSpan(start: 16, end: 17, label: .date), EntityTokenSpan(start: 18, end: 19, label: .time),
                EntityTokenSpan(start: 19, end: 20, label: .time),
                EntityTokenSpan(start: 22, end: 24, label: .date), EntityTokenSpan(start: 24, end: 25, label: .date),
            ])
        EntityRecognizer.mergeTouchingDates(scratch)
        #expect(
            scratch.spans == [
                EntityTokenSpan(start: 2, end: 5, label: .date), EntityTokenSpan(start: 7, end: 10, label: .date),
                EntityTokenSpan(start: 13, end: 14, label: .date), EntityTokenSpan(start: 14, end: 15, label: .date),
                EntityTokenSpan(start: 16, end: 17, label: .date), EntityTokenSpan(start: 18, end: 20, label: .time),
                EntityTokenSpan(start: 22, end: 24, label: .date), EntityTokenSpan(start: 24, end: 25, label: .date),
            ])
    }

    /// A table of monthly figures: the figure is not the month's day, and lone punctuation
    /// never starts or ends a date.
    @Test func datesDoNotEndInDecimalFiguresOrPunctuation() throws {
        // Tokens: Wheat prev 1,655.8 , Feb 872.0 , March 164.6 . | In 1985 - 182,959 ( Nov ) .
        let scratch = try prepared(
            "Wheat prev 1,655.8 , Feb 872.0 , March 164.6 .\nIn 1985 - 182,959 ( Nov ) .",
            spans: [
                EntityTokenSpan(start: 4, end: 6, label: .date), EntityTokenSpan(start: 7, end: 9, label: .date),
                EntityTokenSpan(start: 11, end: 14, label: .date), EntityTokenSpan(start: 14, end: 16, label: .date),
                EntityTokenSpan(start: 16, end: 17, label: .cardinal),
            ])
        let doc = EntityTestSupport.document(
            "Wheat prev 1,655.8 , Feb 872.0 , March 164.6 .\nIn 1985 - 182,959 ( Nov ) .")
        var text = doc.text
        text.withUTF8 { bytes in
            doc.tokens.withUnsafeBufferPointer { EntityRecognizer.trimDates(scratch, bytes: bytes, tokens: $0) }
        }
        #expect(
            scratch.spans == [
                EntityTokenSpan(start: 4, end: 5, label: .date), EntityTokenSpan(start: 7, end: 8, label: .date),
                EntityTokenSpan(start: 11, end: 12, label: .date), EntityTokenSpan(start: 15, end: 16, label: .date),
                EntityTokenSpan(start: 16, end: 17, label: .cardinal),
            ])
    }

    /// A whole date the patterns find replaces the pieces of it the model found.
    @Test func aPatternDateReplacesTheModelsPiecesOfIt() throws {
        let found = try recognize("The dividend was paid Feb 6, 1987 to holders, and the offering was in June, 1986.")
        #expect(found.contains("Feb 6, 1987/DATE"))
        #expect(found.contains("June, 1986/DATE"))
        #expect(!found.contains("1987/DATE") && !found.contains("1986/DATE"))
    }

    @Test func firmsNamedAAndCoAreOneOrganisation() throws {
        // Tokens: Pesch and Co said . | Procter and Gamble Co rose . |
        // Chrysler and General Motors Corp fell .
        let scratch = try prepared(
            "Pesch and Co said .\nProcter and Gamble Co rose .\nChrysler and General Motors Corp fell .",
            spans: [
                EntityTokenSpan(start: 0, end: 1, label: .person), EntityTokenSpan(start: 2, end: 3, label: .org),
                EntityTokenSpan(start: 7, end: 9, label: .org), EntityTokenSpan(start: 11, end: 12, label: .org),
                EntityTokenSpan(start: 13, end: 16, label: .org),
            ])
        EntityRecognizer.joinCompanyNames(scratch)
        #expect(
            scratch.spans == [
                EntityTokenSpan(start: 0, end: 3, label: .org), EntityTokenSpan(start: 5, end: 9, label: .org),
                EntityTokenSpan(start: 11, end: 12, label: .org), EntityTokenSpan(start: 13, end: 16, label: .org),
            ])
    }

    /// "the U.S." ending a sentence: the segment stage gives the last period to the
    /// sentence, the entity keeps it (as spaCy's tokens do).
    @Test func aDottedAbbreviationEndingASentenceKeepsItsPeriod() throws {
        let dir = TestSupport.temporaryDirectory()
        try TestSupport.write(
            "{\"id\":\"a\",\"text\":\"Cars were made outside the U.S. Prices rose in the U.K.\"}\n",
            to: dir + "/in.jsonl")
        try TestSupport.write(
            "name: t\ninputs: [in.jsonl]\noutput: {directory: out, compression: none}\nstages: [segment, ner]\n",
            to: dir + "/p.yaml")
        let result = try TestSupport.run([TestSupport.binary, "run", dir + "/p.yaml", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let line = String(decoding: try FileSystem.readFile(dir + "/out/documents.jsonl"), as: UTF8.self)
        let doc = try JSONParser.parse(String(line.split(separator: "\n")[0]))
        let text = Array(try #require(doc["text"]?.stringValue).unicodeScalars)
        let names = try #require(doc["ents"]?.arrayValue).compactMap { e -> String? in
            guard let s = e["start"]?.intValue, let t = e["end"]?.intValue else { return nil }
            return String(String.UnicodeScalarView(text[s..<t]))
        }
        #expect(names.contains("U.S.") && names.contains("U.K."), "\(names)")
        #expect(!names.contains("U.K"), "\(names)")
        let bytes: [UInt8] = Array("U.S U.K. USA Inc U.S.A".utf8)
        bytes.withUnsafeBufferPointer { b in
            #expect(EntityRecognizer.endsDottedAbbreviation(b, Token(start: 0, end: 3)))
            #expect(!EntityRecognizer.endsDottedAbbreviation(b, Token(start: 4, end: 8)))  // ends in "."
            #expect(!EntityRecognizer.endsDottedAbbreviation(b, Token(start: 9, end: 12)))  // no period
            #expect(EntityRecognizer.endsDottedAbbreviation(b, Token(start: 17, end: 22)))
        }
    }

    @Test func aFirmsShortNameIsTheFirm() throws {
        let scratch = try prepared(
            "Republic Health Corp rose .\nrepublic health fell .\nMobil Corp said .\nMobil rose .\n"
                + "Texas Instruments Inc and Texas .\nGold Fields of South Africa Ltd and South Africa .\n"
                + "Banner Industries Inc and Banner .\nBuckhorn Inc said .",
            spans: [
                EntityTokenSpan(start: 0, end: 3, label: .org), EntityTokenSpan(start: 5, end: 7, label: .gpe),
                EntityTokenSpan(start: 9, end: 11, label: .org), EntityTokenSpan(start: 13, end: 14, label: .person),
                EntityTokenSpan(start: 16, end: 19, label: .org), EntityTokenSpan(start: 20, end: 21, label: .gpe),
                // The model's "South Africa Ltd" (a known place first): "South Africa" stays a place.
                EntityTokenSpan(start: 25, end: 28, label: .org), EntityTokenSpan(start: 29, end: 31, label: .gpe),
                // "Banner" after "Banner Industries Inc"; a name ending in "Inc" is a firm.
                EntityTokenSpan(start: 32, end: 35, label: .org), EntityTokenSpan(start: 36, end: 37, label: .person),
                EntityTokenSpan(start: 38, end: 40, label: .person),
            ])
        EntityRecognizer.relabelShortFirmNames(scratch)
        #expect(scratch.spans.map(\.label) == [.org, .org, .org, .org, .org, .gpe, .org, .gpe, .org, .org, .org])
    }

    /// The heads of a results table's lines and a month's abbreviation are no names.
    @Test func tableHeadsAndMonthsAreNoNames() throws {
        // Tokens: Revs 67.5 mln | Avg shrs 14.1 mln | Maize Mar 48.0 | Jan said so | Mr Avg left |
        // Revs 10.03 billion | on February 27 it
        let scratch = try prepared(
            "Revs 67.5 mln\nAvg shrs 14.1 mln\nMaize Mar 48.0\nJan said so\nMr Avg left\nRevs 10.03 billion\n"
                + "on February 27 it",
            spans: [
                EntityTokenSpan(start: 0, end: 1, label: .person), EntityTokenSpan(start: 3, end: 4, label: .person),
                EntityTokenSpan(start: 8, end: 9, label: .person), EntityTokenSpan(start: 10, end: 11, label: .person),
                EntityTokenSpan(start: 13, end: 15, label: .person), EntityTokenSpan(start: 16, end: 18, label: .law),
                EntityTokenSpan(start: 20, end: 22, label: .event),
            ])
        EntityRecognizer.trimNames(scratch)
        #expect(
            scratch.spans == [
                EntityTokenSpan(start: 10, end: 11, label: .person),
                EntityTokenSpan(start: 13, end: 15, label: .person),
                EntityTokenSpan(start: 20, end: 22, label: .date),
            ])
    }

    @Test func anAcronymDefinedAfterANameIsThatName() throws {
        // Tokens: The World Health Organisation ( WHO ) met . | WHO said no . |
        // It bought < Acme Corp > ( AC ) . | AC rose .
        let scratch = try prepared(
            "The World Health Organisation ( WHO ) met .\nWHO said no .\nIt bought < Acme Corp > ( AC ) .\nAC rose .",
            spans: [
                EntityTokenSpan(start: 1, end: 4, label: .org), EntityTokenSpan(start: 16, end: 18, label: .org),
            ])
        EntityRecognizer.linkAcronyms(scratch)
        #expect(
            scratch.spans == [
                EntityTokenSpan(start: 1, end: 4, label: .org), EntityTokenSpan(start: 5, end: 6, label: .org),
                EntityTokenSpan(start: 9, end: 10, label: .org), EntityTokenSpan(start: 16, end: 18, label: .org),
                EntityTokenSpan(start: 20, end: 21, label: .org), EntityTokenSpan(start: 23, end: 24, label: .org),
            ])
    }

    @Test func oneNameHasOneLabelPerDocument() throws {
        let scratch = try prepared(
            "Harrow won .\nHarrow lost .\nHarrow drew .\nEton won .\nEton lost .",
            spans: [
                EntityTokenSpan(start: 0, end: 1, label: .org), EntityTokenSpan(start: 3, end: 4, label: .gpe),
                EntityTokenSpan(start: 6, end: 7, label: .org), EntityTokenSpan(start: 9, end: 10, label: .org),
                EntityTokenSpan(start: 12, end: 13, label: .gpe),
            ])
        EntityRecognizer.voteLabels(scratch)
        // Two ORG to one GPE: all ORG; a tie (Eton) keeps each label.
        #expect(scratch.spans.map(\.label) == [.org, .org, .org, .org, .gpe])
    }

    @Test func labelsOptionRestrictsOutput() throws {
        let found = try recognize(Self.seedSentences[0], labels: [.date])
        #expect(found == ["last week/DATE"])
    }

    @Test func entitiesAreSortedAndInsideTheText() throws {
        let model = try #require(EntityTestSupport.shippedModel)
        var doc = EntityTestSupport.document(Self.seedSentences.joined(separator: "\n"))
        EntityRecognizer(model: model).recognize(&doc, scratch: EntityScratch())
        #expect(!doc.entities.isEmpty)
        for (a, b) in zip(doc.entities, doc.entities.dropFirst()) { #expect(a.end <= b.start) }
        #expect(doc.entities.allSatisfy { $0.start < $0.end && Int($0.end) <= doc.text.utf8.count })
        // No document tokens: no entities, no crash.
        var empty = Document(id: "e", source: SourceLocation(path: "t", line: 1), text: "No tokens here.")
        EntityRecognizer(model: model).recognize(&empty, scratch: EntityScratch())
        #expect(empty.entities.isEmpty)
    }
}

@Suite struct EntityRecognizerNewsTests {
    /// Reuters articles from ../shared/data/news (read at run time, never copied).
    static func articles(limit: Int) -> [String]? {
        let dir = EntityTestSupport.repositoryRoot + "/../shared/data/news/txt"
        guard let names = FileSystem.list(dir) else { return nil }
        return names.prefix(limit).compactMap { name in
            (try? FileSystem.readFile(dir + "/" + name)).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    @Test func reutersAmountsAreMoneyAndPercent() throws {
        guard let texts = Self.articles(limit: 60) else {
            print("skipping: ../shared/data/news is not there")
            return
        }
        let model = try #require(EntityTestSupport.shippedModel)
        let recognizer = EntityRecognizer(model: model)
        let scratch = EntityScratch()
        var amounts = 0, covered = 0, entities = 0
        for text in texts {
            var doc = EntityTestSupport.document(text)
            recognizer.recognize(&doc, scratch: scratch)
            entities += doc.entities.count
            for (a, b) in zip(doc.entities, doc.entities.dropFirst()) { #expect(a.end <= b.start) }
            // Names never end in an all-lower-case word or a dash, and never cross a line break.
            for e in doc.entities {
                let text = doc.string(of: e.span)
                #expect(!text.contains("\n"), "\(text)")
                if EntityScorerLabels.names.contains(e.label), let lastWord = text.split(separator: " ").last {
                    #expect(
                        !lastWord.allSatisfy(\.isLowercase) && lastWord != "-" && lastWord != "--", "\(text)/\(e.label)"
                    )
                }
            }
            // Every "<number> mln dlrs" / "<number> pct" must lie inside a MONEY / PERCENT span.
            for (i, t) in doc.tokens.enumerated() where i >= 1 {
                let word = doc.string(of: t.span)
                guard word == "dlrs" || word == "pct" else { continue }
                let before = doc.string(of: doc.tokens[i - 1].span)
                guard before.first?.isNumber == true || before == "mln" || before == "billion" else { continue }
                amounts += 1
                let label: EntityLabel = word == "dlrs" ? .money : .percent
                if doc.entities.contains(where: { $0.start <= t.start && t.end <= $0.end && $0.label == label }) {
                    covered += 1
                }
            }
        }
        #expect(entities > 500)
        #expect(amounts > 20)
        #expect(covered * 100 >= amounts * 95, "\(covered) of \(amounts) amounts labelled")
    }
}
