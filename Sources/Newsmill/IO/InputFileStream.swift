/// The input files of a list of patterns, one at a time, in bytewise order of their paths
/// and without duplicates: the same files in the same order as sorting every path found,
/// but holding only one walk position per pattern instead of the whole list.
///
/// Each pattern is walked in sorted order (``InputWalk``); the walks are merged, and a path
/// found by several patterns is produced once, with the key of the first pattern that found
/// it. Discovery problems (a missing path, a pattern that matches nothing) are known as soon
/// as the stream is made, because making it looks at each pattern's first file.
public struct InputFileStream: Sendable, IteratorProtocol, Sequence {
    private var walks: [InputWalk] = []
    private var heads: [InputFile?] = []
    private var last: String?
    private let shard: Shard?

    /// Problems found in the patterns, in pattern order.
    public private(set) var problems: [InputDiscovery.Problem] = []
    /// Folders found unreadable while walking, not yet taken (``takeWalkProblems()``).
    private var walkProblems: [InputDiscovery.Problem] = []

    /// Starts discovery of `patterns`; with `shard`, only the files in that shard. Folders
    /// in `excluding` (a run's output folder) are not entered when a walk meets them below
    /// its root, so that a run never reads what it or an earlier run wrote there.
    public init(patterns: [String], shard: Shard? = nil, excluding: [String] = []) {
        self.shard = shard
        let excluded = Set(
            excluding.compactMap { FileSystem.status($0).flatMap { $0.isDirectory ? $0.identity : nil } })
        for rawPattern in patterns {
            let pattern = FileSystem.clean(rawPattern)
            var walk: InputWalk
            let emptyReason: String
            if rawPattern == InputFile.standardInput {
                // JSON lines piped in (`zcat dump.jsonl.gz | newsmill run p.yaml --input -`).
                walk = InputWalk(
                    file: InputFile(
                        path: InputFile.standardInput, format: .jsonl, compression: .none, size: 0, modified: 0,
                        key: InputFile.standardInput))
                emptyReason = ""
            } else if InputDiscovery.isGlob(pattern) {
                walk = .glob(pattern)
                emptyReason = "no input files match"
            } else if let st = FileSystem.status(pattern) {
                if st.isDirectory {
                    walk = .folder(pattern)
                    emptyReason = "folder holds no \(InputFormat.knownNames) files"
                } else if let (format, compression) = InputFormat.from(fileName: pattern), st.isRegular {
                    let name = FileSystem.baseName(of: pattern)
                    walk = InputWalk(
                        file: InputFile(
                            path: pattern, format: format, compression: compression, size: st.size,
                            modified: st.modified, key: name))
                    emptyReason = ""
                } else {
                    problems.append(
                        InputDiscovery.Problem(
                            pattern: rawPattern,
                            reason: "unknown input type (expected \(InputFormat.knownNames))"))
                    continue
                }
            } else {
                problems.append(InputDiscovery.Problem(pattern: rawPattern, reason: "no such file or folder"))
                continue
            }
            walk.excluded = excluded
            let first = walk.next()
            let unreadable = walk.takeProblems()
            problems.append(contentsOf: unreadable)
            if first == nil {
                // Reported before the shard filter, as a whole-list discovery did; a folder
                // that cannot be read is its own reason.
                if unreadable.isEmpty {
                    problems.append(InputDiscovery.Problem(pattern: rawPattern, reason: emptyReason))
                }
                continue
            }
            walks.append(walk)
            heads.append(first)
        }
    }

    /// The next input file, or nil when every pattern is exhausted.
    public mutating func next() -> InputFile? {
        while true {
            // The smallest head; on a tie, the earliest pattern (whose key is kept).
            var best = -1
            for k in heads.indices {
                guard let head = heads[k] else { continue }
                if best < 0 {
                    best = k
                } else if let current = heads[best], InputDiscovery.pathLess(head.path, current.path) {
                    best = k
                }
            }
            guard best >= 0, let file = heads[best] else { return nil }
            heads[best] = walks[best].next()
            walkProblems.append(contentsOf: walks[best].takeProblems())
            if file.path == last { continue }
            last = file.path
            if let shard, !shard.contains(key: file.key) { continue }
            return file
        }
    }

    /// Folders found unreadable while walking since the last call (their files cannot be
    /// listed, so they are reported instead of missing silently). Those found before the
    /// first file of each pattern are in ``problems`` instead.
    public mutating func takeWalkProblems() -> [InputDiscovery.Problem] {
        defer { walkProblems = [] }
        return walkProblems
    }

    /// Files the patterns matched whose names say no input format, by suffix (see
    /// ``InputWalk/unread``), in the folders walked so far.
    public var unread: [String: Int] {
        var all: [String: Int] = [:]
        for walk in walks { all.merge(walk.unread, uniquingKeysWith: +) }
        return all
    }

    /// The ``unread`` counts for messages, most frequent suffix first: `.arrow 3, no suffix 1`;
    /// at most `limit` suffixes, then how many more (a log line stays one line when a folder
    /// holds files of hundreds of kinds).
    public static func describe(unread: [String: Int], limit: Int = .max) -> String {
        let sorted = unread.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        var text = sorted.prefix(limit).map { "\($0.key.isEmpty ? "no suffix" : $0.key) \($0.value)" }
            .joined(separator: ", ")
        if sorted.count > limit { text += ", \(sorted.count - limit) more kinds" }
        return text
    }

    /// Counts the files and their bytes by walking them all (nothing is kept).
    public func totals() -> (files: Int, bytes: Int) {
        var copy = self
        var files = 0
        var bytes = 0
        while let file = copy.next() {
            files += 1
            bytes += file.size
        }
        return (files, bytes)
    }
}
