import Testing

@testable import Newsmill

@Suite struct SegmentAbbreviationsTests {
    let abbreviations = Abbreviations()

    func kind(_ word: String) -> Abbreviations.Kind? {
        let bytes = Array(word.utf8)
        return bytes.withUnsafeBufferPointer { abbreviations.kind($0, 0, $0.count) }
    }

    @Test(arguments: [
        ("Mr", Abbreviations.Kind.title), ("MR", .title), ("mr", .title), ("Gen", .title), ("St", .title),
        ("No", .number), ("no", .number), ("Vol", .number), ("N°", .number),
        ("Inc", .firm), ("Corp", .firm), ("co", .general), ("INC", .general), ("Jr", .general), ("etc", .general),
        ("Jan", .general), ("Sept", .general), ("Calif", .general), ("Mass", .general),
        ("e.g", .never), ("i.e", .never), ("vs", .never), ("a.m", .time), ("P.M", .time),
    ])
    func builtInKinds(word: String, expected: Abbreviations.Kind) {
        #expect(kind(word) == expected)
    }

    @Test(arguments: ["mass", "ill", "sat", "sun", "wash", "said", "the", "", "US", "EST", "MIN", "INFO"])
    func ordinaryWordsAreNotAbbreviations(word: String) {
        #expect(kind(word) == nil)
    }

    @Test func extraListsAcceptOptionalPeriods() {
        let extended = Abbreviations(extraGeneral: ["Xyz.", " Abc "], extraTitles: ["Insp.", "Qrs"])
        func kind(_ word: String) -> Abbreviations.Kind? {
            let bytes = Array(word.utf8)
            return bytes.withUnsafeBufferPointer { extended.kind($0, 0, $0.count) }
        }
        #expect(kind("Xyz") == .general)
        #expect(kind("Abc") == .general)
        #expect(kind("Qrs") == .title)
        #expect(kind("Insp") == .title)
    }

    @Test func sentenceStartersAreCaseSensitive() {
        func starter(_ word: String) -> Bool {
            let bytes = Array(word.utf8)
            return bytes.withUnsafeBufferPointer { abbreviations.isSentenceStarter($0, 0, $0.count) }
        }
        #expect(starter("The"))
        #expect(starter("How"))
        #expect(!starter("the"))
        #expect(!starter("Government"))
    }
}
