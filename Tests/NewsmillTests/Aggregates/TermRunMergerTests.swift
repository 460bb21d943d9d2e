import Testing

@testable import Newsmill

@Suite struct TermRunMergerTests {
    @Test func theMergerAddsUpEntriesFoundInSeveralRuns() throws {
        let dir = TestSupport.temporaryDirectory()
        try TermRunFileTests.write([("", "a", 1, 1), ("", "c", 2, 2), ("x", "a", 5, 1)], to: dir + "/1")
        try TermRunFileTests.write(
            [("", "a", 10, 3), ("", "b", 1, 1), ("x", "a", 1, 1), ("y", "", 4, 4)], to: dir + "/2")
        try TermRunFileTests.write([], to: dir + "/3")
        try TermRunMerger.merge([dir + "/1", dir + "/2", dir + "/3"], into: dir + "/m")
        let merger = try TermRunMerger(paths: [dir + "/m"])
        var merged: [String] = []
        while try merger.next() {
            merged.append(
                "\(String(decoding: merger.group, as: UTF8.self))/\(String(decoding: merger.key, as: UTF8.self))"
                    + " \(merger.count) \(merger.documents)")
        }
        #expect(merged == ["/a 11 4", "/b 1 1", "/c 2 2", "x/a 6 2", "y/ 4 4"])
    }

    @Test func compareIsMemcmpOrder() {
        #expect(TermRunMerger.compare(Array("a".utf8), Array("a/".utf8)) < 0)
        #expect(TermRunMerger.compare(Array("a-".utf8), Array("a.".utf8)) < 0)
        #expect(TermRunMerger.compare(Array("é".utf8), Array("z".utf8)) > 0)
        #expect(TermRunMerger.compare([], []) == 0)
    }
}
