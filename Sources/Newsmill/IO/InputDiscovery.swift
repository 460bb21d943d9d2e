#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The formats newsmill reads, known from the file name and confirmed by its bytes.
public enum InputFormat: String, Sendable, Equatable {
    case txt, jsonl
    /// Comma- and tab-separated values with a header row (one document a row).
    case csv, tsv
    /// Web archives (one document an HTML or text response).
    case warc

    /// The names newsmill reads, for messages.
    public static let knownNames = ".txt, .jsonl, .ndjson, .json.gz, .csv, .tsv or .warc (each also .gz)"

    /// The format and compression a file name says, or nil for names newsmill does not read.
    /// `.json.gz` is JSON lines too: Dolma's documents are named so. (A plain `.json` is
    /// not read: in a folder it is far more often one JSON value, such as a report.)
    public static func from(fileName: String) -> (InputFormat, gzip: Bool)? {
        let lower = fileName.lowercased()
        let gzip = lower.hasSuffix(".gz")
        let stem = gzip ? String(lower.dropLast(3)) : lower
        if stem.hasSuffix(".jsonl") || stem.hasSuffix(".ndjson") || (gzip && stem.hasSuffix(".json")) {
            return (.jsonl, gzip)
        }
        if stem.hasSuffix(".txt") { return (.txt, gzip) }
        if stem.hasSuffix(".csv") { return (.csv, gzip) }
        if stem.hasSuffix(".tsv") { return (.tsv, gzip) }
        if stem.hasSuffix(".warc") { return (.warc, gzip) }
        return nil
    }
}

/// One input file found by discovery.
public struct InputFile: Sendable, Equatable {
    public var path: String
    public var format: InputFormat
    public var gzip: Bool
    public var size: Int
    public var modified: Int
    /// Where the path below its input root starts (see ``key``).
    var keyStart: Int32

    public init(path: String, format: InputFormat, gzip: Bool, size: Int, modified: Int, key: String) {
        self.path = path
        self.format = format
        self.gzip = gzip
        self.size = size
        self.modified = modified
        keyStart = path.hasSuffix(key) ? Int32(path.utf8.count - key.utf8.count) : 0
    }

    /// The path below the input root it was found under (the folder or the glob's fixed
    /// prefix; the file name for a file given by name). Shards are chosen by this key, so
    /// a file falls in the same shard wherever the corpus is mounted.
    public var key: String {
        let utf8 = path.utf8
        return String(path[utf8.index(utf8.startIndex, offsetBy: Int(keyStart))...])
    }
}

/// Expands files, folders (recursively) and globs (with `**`) into input files in
/// bytewise order of their paths, without duplicates.
public enum InputDiscovery {
    /// A pattern that matched nothing, or a file of an unknown type named explicitly.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var pattern: String
        public var reason: String
        public var description: String { "\(pattern): \(reason)" }
    }

    /// Expands `patterns` into a list; problems are returned, not thrown, so a run can go on.
    ///
    /// The list holds every file: runs stream the same files from an ``InputFileStream``
    /// instead, in the same order, without keeping them.
    public static func discover(_ patterns: [String]) -> (files: [InputFile], problems: [Problem]) {
        var stream = InputFileStream(patterns: patterns)
        var files: [InputFile] = []
        while let file = stream.next() { files.append(file) }
        return (files, stream.problems)
    }

    /// Bytewise (memcmp) order of two paths.
    static func pathLess(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let n = min(x.count, y.count)
                if n > 0, let px = x.baseAddress, let py = y.baseAddress {
                    let c = memcmp(px, py, n)
                    if c != 0 { return c < 0 }
                }
                return x.count < y.count
            }
        }
    }

    static func isGlob(_ pattern: String) -> Bool {
        pattern.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" })
    }
}
