import Testing

@testable import Newsmill

@Suite struct EntityScorerTests {
    func e(_ s: Int32, _ t: Int32, _ l: EntityLabel) -> Entity { Entity(start: s, end: t, label: l) }

    @Test func countsExactSpanAndLabelMatches() {
        var scorer = EntityScorer()
        // Gold: PERSON 0-5, GPE 10-15, ORG 20-30.
        // Predicted: PERSON 0-5 (hit), GPE 10-14 (wrong span), ORG 20-30 (hit), DATE 40-44 (spurious).
        scorer.add(
            gold: [e(0, 5, .person), e(10, 15, .gpe), e(20, 30, .org)],
            predicted: [e(0, 5, .person), e(10, 14, .gpe), e(20, 30, .org), e(40, 44, .date)])
        let all = scorer.overall
        #expect(all == .init(truePositives: 2, falsePositives: 2, falseNegatives: 1))
        #expect(abs(all.precision - 0.5) < 1e-12)
        #expect(abs(all.recall - 2.0 / 3.0) < 1e-12)
        #expect(abs(all.f1 - 4.0 / 7.0) < 1e-12)  // 2PR/(P+R) = (2/3)/(7/6)
        #expect(scorer.byLabel[.gpe] == .init(truePositives: 0, falsePositives: 1, falseNegatives: 1))
        #expect(scorer.byLabel[.date] == .init(truePositives: 0, falsePositives: 1, falseNegatives: 0))
        #expect(scorer.byLabel[.person]?.f1 == 1)
    }

    @Test func wrongLabelIsBothFalsePositiveAndFalseNegative() {
        var scorer = EntityScorer()
        scorer.add(gold: [e(0, 5, .org)], predicted: [e(0, 5, .gpe)])
        #expect(scorer.byLabel[.org] == .init(truePositives: 0, falsePositives: 0, falseNegatives: 1))
        #expect(scorer.byLabel[.gpe] == .init(truePositives: 0, falsePositives: 1, falseNegatives: 0))
        #expect(scorer.overall.f1 == 0)
    }

    @Test func labelFilterAndIgnoredRegions() {
        var scorer = EntityScorer(labels: [.person, .org])
        scorer.add(
            gold: [e(0, 5, .person), e(10, 15, .date)],
            predicted: [e(0, 5, .person), e(10, 15, .date), e(20, 25, .org), e(30, 35, .org)],
            ignore: [Span(start: 19, end: 26)])
        // DATE is not scored; the ORG at 20-25 overlaps an ignored region; 30-35 is spurious.
        #expect(scorer.overall == .init(truePositives: 1, falsePositives: 1, falseNegatives: 0))
    }

    @Test func mergeAddsCountsAndReportHasOneLinePerLabel() {
        var a = EntityScorer(), b = EntityScorer()
        a.add(gold: [e(0, 5, .person)], predicted: [e(0, 5, .person)])
        b.add(gold: [e(0, 5, .person)], predicted: [])
        a.merge(b)
        #expect(a.overall == .init(truePositives: 1, falsePositives: 0, falseNegatives: 1))
        let lines = a.report().split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix("PERSON"))
        #expect(lines[2].hasPrefix("ALL") && lines[2].contains("100.0") && lines[2].contains("50.0"))
    }

    /// `EntityLabel.isName` and label masks agree with the scorer's set of names.
    @Test func nameChecksAgreeWithTheNameSet() {
        for label in EntityLabel.allCases {
            #expect(label.isName == EntityScorerLabels.names.contains(label), "\(label)")
            #expect(label.isIn(EntityLabel.mask(Array(EntityScorerLabels.names))) == label.isName)
            #expect(!label.isIn(EntityLabel.mask([])))
        }
    }
}
