import Foundation
import Testing

@testable import Newsmill

@Suite struct InputFileStreamTests {
    /// Names where a folder's `/` falls between its siblings' bytes: `-` (2D) < `.` (2E) <
    /// `/` (2F) < `0` (30), plus upper case, spaces, non-ASCII, hidden and unknown entries.
    static let trickyPaths = [
        "a/x.txt", "a.txt", "a-b.txt", "a-b/x.txt", "a.b/x.txt", "a.b.txt", "a0.txt", "a/b/x.txt", "a/b.txt",
        "a/b-c.txt", "a/b.c/x.txt", "a/b0.txt", "ab.jsonl", "ab/x.jsonl.gz", "A.txt", "B/a.txt", "a b.txt",
        "a b/x.txt", "é.txt", "é/x.txt", "e.txt", "z/y/x/w.txt.gz", "z/y.txt", "z-/a.txt", "z.txt",
        "a/.hidden.txt", ".hidden/x.txt", "a/skip.md", "a/b/skip", "deep/1/2/3/4/5/f.txt", "deep/1.txt",
        "x.TXT", "x.Jsonl.GZ",
    ]

    static func makeTree(_ paths: [String] = trickyPaths) throws -> String {
        let dir = TestSupport.temporaryDirectory()
        for path in paths { try TestSupport.write("x\n", to: dir + "/t/" + path) }
        return dir
    }

    private func collect(_ patterns: [String], shard: Shard? = nil) -> [InputFile] {
        Array(InputFileStream(patterns: patterns, shard: shard))
    }

    /// Every readable input below `root` by brute force: all paths, filtered, then one sort.
    private func bruteForce(_ root: String) throws -> [String] {
        let all = try FileManager.default.subpathsOfDirectory(atPath: root)
        return all.filter { sub in
            let parts = sub.split(separator: "/")
            guard !parts.contains(where: { $0.hasPrefix(".") }) else { return false }
            guard let st = FileSystem.status(root + "/" + sub), st.isRegular else { return false }
            return InputFormat.from(fileName: String(parts.last ?? "")) != nil
        }
        .map { root + "/" + $0 }
        .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    @Test func aFolderComesOutInGlobalBytewiseOrder() throws {
        let dir = try Self.makeTree()
        let files = collect([dir + "/t"])
        let expected = try bruteForce(dir + "/t")
        #expect(files.map(\.path) == expected)
        #expect(expected.count == 29)
        // The subtle cases, in the order a sort of full paths gives.
        let names = files.map { String($0.path.dropFirst(dir.count + 3)) }
        let order = [
            "a-b.txt", "a-b/x.txt", "a.b.txt", "a.b/x.txt", "a.txt", "a/b-c.txt", "a/b.c/x.txt", "a/b.txt",
            "a/b/x.txt", "a/b0.txt", "a/x.txt", "a0.txt",
        ]
        #expect(names.filter(order.contains) == order)
    }

    @Test(arguments: [
        ["t"], ["t/**/*.txt"], ["t/a*"], ["t/a*/*"], ["t/**"], ["t/**/x.*"], ["t/a/**/b/**/*.txt"],
        ["t/**/**/*.txt"], ["t/[aA]*/**/*.txt"], ["t/?.txt"], ["t/*/*.txt"], ["t/.*/*.txt"], ["t/a/.*"],
        ["t/a.txt/**"], ["t/deep/**/f.txt"], ["t/z*/**"], ["t/z*/**/*"],
        // Several patterns: merged, duplicates read once with the first pattern's key.
        ["t/a", "t"], ["t/**/*.txt", "t/a/b"], ["t/a.txt", "t/a", "t/a/**/*.txt"], ["t/z", "t/a-b", "t/a.b"],
        ["t/missing", "t/a/skip.md", "t/nothing/*.txt", "t/a"],
    ])
    func equalsTheSortingDiscovery(_ patterns: [String]) throws {
        let dir = try Self.makeTree()
        let full = patterns.map { dir + "/" + $0 }
        let old = SortingDiscovery.discover(full)
        let stream = InputFileStream(patterns: full)
        let files = Array(stream)
        #expect(files == old.files)
        #expect(files.map(\.key) == old.files.map(\.key))
        #expect(stream.problems == old.problems)
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func randomTreesEqualTheSortingDiscovery(_ seed: Int) throws {
        var rng = SplitMix(seed: UInt64(seed))
        let alphabet = ["a", "b", "-", ".", "0", "A", " ", "é", "_", "~"]
        let suffixes = [".txt", ".jsonl", ".txt.gz", ".md", ""]
        var paths: Set<String> = []
        while paths.count < 120 {
            let depth = Int(rng.next() % 4)
            var parts: [String] = []
            for _ in 0...depth {
                let length = 1 + Int(rng.next() % 3)
                parts.append((0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }.joined())
            }
            parts[parts.count - 1] += suffixes[Int(rng.next() % UInt64(suffixes.count))]
            let path = parts.joined(separator: "/")
            // A path can't be both a file and a folder: keep only paths that fit the tree so far.
            let clash = paths.contains { $0.hasPrefix(path + "/") || path.hasPrefix($0 + "/") }
            if !clash && !parts.contains(where: { $0 == "." || $0 == ".." }) { paths.insert(path) }
        }
        let dir = try Self.makeTree(Array(paths))
        for patterns in [["t"], ["t/**/*.txt"], ["t/**/*"], ["t/*/**/*.jsonl"], ["t/a*", "t/**/*.txt", "t/b"]] {
            let full = patterns.map { dir + "/" + $0 }
            #expect(collect(full) == SortingDiscovery.discover(full).files, "\(patterns)")
        }
        #expect(collect([dir + "/t"]).map(\.path) == (try bruteForce(dir + "/t")))
    }

    @Test func shardsSelectTheSameFilesAsFilteringTheList() throws {
        let dir = try Self.makeTree()
        for index in 0..<3 {
            let shard = Shard(index: index, count: 3)
            let old = SortingDiscovery.discover([dir + "/t"]).files.filter { shard?.contains(key: $0.key) ?? true }
            #expect(collect([dir + "/t"], shard: shard) == old)
        }
    }

    @Test func totalsCountWithoutConsuming() throws {
        let dir = try Self.makeTree()
        let stream = InputFileStream(patterns: [dir + "/t"])
        let (count, bytes) = stream.totals()
        #expect(count == 29)
        #expect(bytes == 58)
        #expect(Array(stream).count == 29)
    }

    /// The summary of files not read: most frequent suffix first, ties by name, and a cap
    /// for log lines that says how many kinds it left out.
    @Test func unreadSummaryIsOrderedAndCapped() {
        let unread = [".arrow": 3, "": 1, ".json": 1, ".md": 2]
        #expect(InputFileStream.describe(unread: unread) == ".arrow 3, .md 2, no suffix 1, .json 1")
        #expect(InputFileStream.describe(unread: unread, limit: 2) == ".arrow 3, .md 2, 2 more kinds")
        #expect(InputFileStream.describe(unread: unread, limit: 4) == ".arrow 3, .md 2, no suffix 1, .json 1")
    }
}

/// A small deterministic generator for the random trees.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
