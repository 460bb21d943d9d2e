import Foundation
import Testing

@testable import Newsmill

@Suite struct InputDiscoveryTests {
    private func makeTree() throws -> String {
        let dir = TestSupport.temporaryDirectory()
        for path in [
            "a/one.txt", "a/b/two.txt.gz", "a/b/c/three.jsonl", "a/b/c/four.jsonl.gz", "a/skip.md",
            "a/.hidden/five.txt", "z.jsonl",
        ] {
            try TestSupport.write("x\n", to: dir + "/" + path)
        }
        return dir
    }

    @Test func formatsAreKnownFromTheName() {
        #expect(InputFormat.from(fileName: "a.txt")! == (.txt, .none))
        #expect(InputFormat.from(fileName: "A.TXT.GZ")! == (.txt, .gzip))
        #expect(InputFormat.from(fileName: "s.jsonl.gz")! == (.jsonl, .gzip))
        #expect(InputFormat.from(fileName: "s.ndjson")! == (.jsonl, .none))
        // Dolma's documents: gzip JSON lines named .json.gz. A bare .json is one value, not read.
        #expect(InputFormat.from(fileName: "v3-0000.json.gz")! == (.jsonl, .gzip))
        #expect(InputFormat.from(fileName: "report.json") == nil)
        #expect(InputFormat.from(fileName: "a.gz") == nil)
    }

    @Test func foldersAreWalkedRecursivelyInSortedOrder() throws {
        let dir = try makeTree()
        let (files, problems) = InputDiscovery.discover([dir + "/a"])
        #expect(problems.isEmpty)
        #expect(files.map(\.key) == ["b/c/four.jsonl.gz", "b/c/three.jsonl", "b/two.txt.gz", "one.txt"])
        #expect(files.map(\.format) == [.jsonl, .jsonl, .txt, .txt])
        #expect(files.map(\.gzip) == [true, false, true, false])
    }

    @Test(arguments: [
        ("a/**/*.jsonl*", ["a/b/c/four.jsonl.gz", "a/b/c/three.jsonl"]),
        ("a/*/two.*", ["a/b/two.txt.gz"]),
        ("**/*.txt", ["a/one.txt"]),
        ("*.jsonl", ["z.jsonl"]),
    ])
    func globsMatch(_ pattern: String, _ expected: [String]) throws {
        let dir = try makeTree()
        let (files, _) = InputDiscovery.discover([dir + "/" + pattern])
        #expect(files.map { String($0.path.dropFirst(dir.count + 1)) } == expected)
    }

    @Test func duplicatesAcrossPatternsAreReadOnce() throws {
        let dir = try makeTree()
        let (files, _) = InputDiscovery.discover([dir + "/a", dir + "/a/one.txt", dir + "/a/**/*.txt"])
        #expect(files.count == 4)
    }

    @Test func problemsNameThePattern() throws {
        let dir = try makeTree()
        let (_, problems) = InputDiscovery.discover([dir + "/missing", dir + "/a/skip.md", dir + "/nothing/*.txt"])
        #expect(
            problems.map(\.reason) == [
                "no such file or folder", "unknown input type (expected \(InputFormat.knownNames))",
                "no input files match",
            ])
        #expect(problems[0].pattern == dir + "/missing")
    }
}
