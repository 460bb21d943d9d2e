import Testing

@testable import Newsmill

@Suite struct TermRunSetTests {
    @Test func fullLevelsMergeLikeABinaryCounterAndKeepEveryEntry() throws {
        let scratch = AggregateScratch(directory: TestSupport.temporaryDirectory() + "/scratch", partials: 1)
        defer { scratch.removeAll() }
        var set = TermRunSet()
        for k in 0..<(2 * 16 * 16 + 3 * 16 + 5) {
            let path = try scratch.newFile("terms")
            // Every run holds "common" once and a term of its own.
            try TermRunFileTests.write([("", "common", 1, 1), ("", "own\(k)", k, 1)], to: path)
            try set.add(path, order: .key, scratch: scratch)
        }
        // 2 runs of level 2, 3 of level 1, 5 of level 0.
        #expect(set.paths.count == 2 + 3 + 5)
        #expect(FileSystem.list(scratch.directory)?.count == set.paths.count)
        let merger = try TermRunMerger(paths: set.paths)
        var entries = 0
        var common = 0
        while try merger.next() {
            entries += 1
            if merger.key == Array("common".utf8) { common = merger.count }
        }
        #expect(entries == 1 + 2 * 16 * 16 + 3 * 16 + 5)
        #expect(common == 2 * 16 * 16 + 3 * 16 + 5)
        set.removeAll()
        #expect(FileSystem.list(scratch.directory) == [])
    }
}
