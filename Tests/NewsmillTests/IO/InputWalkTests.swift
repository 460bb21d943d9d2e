import Foundation
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

    @Test func linksAreFollowedButALinkBackToAnEnclosingFolderIsNot() throws {
        let dir = TestSupport.temporaryDirectory()
        try TestSupport.write("a", to: dir + "/c/a.txt")
        try TestSupport.write("b", to: dir + "/c/sub/b.txt")
        try TestSupport.write("x", to: dir + "/elsewhere/x.txt")
        // A loop (`find -L` reports it as one) and a link to a folder outside the walk.
        #expect(symlink("..", dir + "/c/sub/loop") == 0)
        #expect(symlink(dir + "/c", dir + "/c/sub/self") == 0)
        #expect(symlink(dir + "/elsewhere", dir + "/c/sub/other") == 0)
        let found = paths(.folder(dir + "/c"), below: dir)
        #expect(found == ["c/a.txt", "c/sub/b.txt", "c/sub/other/x.txt"])
        #expect(paths(.glob(dir + "/c/**/*.txt"), below: dir) == found)
    }

    @Test func aFolderThatCannotBeListedIsAProblemNotASilentGap() throws {
        let dir = TestSupport.temporaryDirectory()
        try TestSupport.write("a", to: dir + "/c/a.txt")
        try TestSupport.write("b", to: dir + "/c/gone/b.txt")
        try TestSupport.write("z", to: dir + "/c/z.txt")
        // Listing fails the same way for root, who may read any folder: here the folder is
        // replaced, after the walk has seen it, by a file of the same name (ENOTDIR).
        var walk = InputWalk.folder(dir + "/c")
        let first = walk.next()
        #expect(first?.path == dir + "/c/a.txt")
        #expect(walk.problems.isEmpty)
        try FileManager.default.removeItem(atPath: dir + "/c/gone")
        try TestSupport.write("not a folder", to: dir + "/c/gone")
        #expect(walk.next()?.path == dir + "/c/z.txt")
        let problems = walk.takeProblems()
        #expect(problems.map(\.pattern) == [dir + "/c/gone"])
        #expect(problems.first?.reason.hasPrefix("cannot read folder: ") == true)
        #expect(walk.takeProblems().isEmpty)
        #expect(walk.next() == nil)
    }
}
