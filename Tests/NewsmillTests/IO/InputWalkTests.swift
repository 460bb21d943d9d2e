import Testing

@testable import Newsmill

@Suite struct InputWalkTests {
    private func paths(_ walk: InputWalk, below dir: String) -> [String] {
        var walk = walk
        var result: [String] = []
        while let file = walk.next() { result.append(String(file.path.dropFirst(dir.count + 1))) }
        return result
    }

    @Test func doubleStarMatchesZeroOrMoreFoldersOnceEach() throws {
        let dir = try InputFileStreamTests.makeTree()
        // Several `**` can reach the same file in many ways; it comes out once.
        let found = paths(.glob(dir + "/t/**/**/b/**/*.txt"), below: dir)
        #expect(found == ["t/a/b/x.txt"])
        #expect(paths(.glob(dir + "/t/deep/**/f.txt"), below: dir) == ["t/deep/1/2/3/4/5/f.txt"])
        #expect(paths(.glob(dir + "/t/deep/**/*.txt"), below: dir) == ["t/deep/1.txt", "t/deep/1/2/3/4/5/f.txt"])
    }

    @Test func aFolderWalkSkipsHiddenAndUnknownEntriesAndSetsKeys() throws {
        let dir = try InputFileStreamTests.makeTree()
        var walk = InputWalk.folder(dir + "/t/a")
        var keys: [String] = []
        while let file = walk.next() { keys.append(file.key) }
        #expect(keys == ["b-c.txt", "b.c/x.txt", "b.txt", "b/x.txt", "b0.txt", "x.txt"])
    }

    @Test func aGlobWhoseRootIsAFileMatchesTheFile() throws {
        let dir = try InputFileStreamTests.makeTree()
        #expect(paths(.glob(dir + "/t/a.txt/**"), below: dir) == ["t/a.txt"])
        #expect(paths(.glob(dir + "/t/a.txt/*"), below: dir) == [])
    }
}
