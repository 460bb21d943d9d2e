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
    /// Apache Parquet tables (one document a row), as Hugging Face datasets are published.
    case parquet

    /// The names newsmill reads, for messages.
    public static let knownNames =
        ".txt, .jsonl, .ndjson, .json.gz, .csv, .tsv or .warc (each also .gz, .zst, .xz or .bz2), or .parquet"

    /// The format and compression a file name says, or nil for names newsmill does not read.
    /// `.json.gz` (or `.json.zst`...) is JSON lines too: Dolma's documents are named so. (A
    /// plain `.json` is not read: in a folder it is far more often one JSON value, such as a
    /// report.)
    public static func from(fileName: String) -> (InputFormat, compression: InputCompression)? {
        let lower = fileName.lowercased()
        let compression = InputCompression.from(lowercasedName: lower)
        let stem = lower.dropLast(compression.suffixLength(in: lower))
        if stem.hasSuffix(".jsonl") || stem.hasSuffix(".ndjson") || (compression != .none && stem.hasSuffix(".json")) {
            return (.jsonl, compression)
        }
        if stem.hasSuffix(".txt") { return (.txt, compression) }
        if stem.hasSuffix(".csv") { return (.csv, compression) }
        if stem.hasSuffix(".tsv") { return (.tsv, compression) }
        if stem.hasSuffix(".warc") { return (.warc, compression) }
        // Parquet compresses its own pages.
        if stem.hasSuffix(".parquet"), compression == .none { return (.parquet, .none) }
        return nil
    }
}

/// How an input file is compressed, from its name's last suffix (confirmed by its first
/// bytes when read). gzip is inflated in process with zlib, zstd with libzstd when it loads
/// (``Zstd``); xz and bzip2 (Wikipedia's `.bz2` dumps), and zstd without libzstd, are
/// decompressed by their own command-line tool, in a child process whose output is read
/// through a pipe.
public enum InputCompression: UInt8, Sendable, Equatable {
    case none = 0, gzip, zstd, xz, bzip2

    static func from(lowercasedName name: String) -> InputCompression {
        if name.hasSuffix(".gz") { return .gzip }
        if name.hasSuffix(".zst") || name.hasSuffix(".zstd") { return .zstd }
        if name.hasSuffix(".xz") { return .xz }
        if name.hasSuffix(".bz2") { return .bzip2 }
        return .none
    }

    /// The length of the suffix that says this compression at the end of `name`.
    func suffixLength(in name: String) -> Int {
        switch self {
        case .none: 0
        case .gzip: 3
        case .zstd: name.hasSuffix(".zstd") ? 5 : 4
        case .xz: 3
        case .bzip2: 4
        }
    }

    /// The format's name in messages.
    public var name: String {
        switch self {
        case .none: "uncompressed"
        case .gzip: "gzip"
        case .zstd: "zstd"
        case .xz: "xz"
        case .bzip2: "bzip2"
        }
    }

    /// The command that decompresses it to standard output (none for gzip: zlib does it).
    var tool: [String]? {
        switch self {
        case .none, .gzip: nil
        case .zstd: ["zstd", "-d", "-c", "-q"]
        case .xz: ["xz", "-d", "-c", "-q"]
        case .bzip2: ["bzip2", "-d", "-c"]  // -q would hide "Compressed file ends unexpectedly"
        }
    }

    /// The Debian package with the tool.
    var package: String {
        switch self {
        case .none, .gzip: "gzip"
        case .zstd: "zstd"
        case .xz: "xz-utils"
        case .bzip2: "bzip2"
        }
    }

    /// Whether a file's first bytes start like this compression's data.
    func matches(head: [UInt8]) -> Bool {
        func starts(_ magic: [UInt8]) -> Bool { head.count >= magic.count && Array(head.prefix(magic.count)) == magic }
        switch self {
        case .none: return true
        case .gzip: return starts([0x1F, 0x8B])
        // A zstd frame, or a skippable frame (0x184D2A50...5F, as pzstd writes first).
        case .zstd:
            return starts([0x28, 0xB5, 0x2F, 0xFD])
                || (head.count >= 4 && head[0] & 0xF0 == 0x50 && head[1] == 0x2A && head[2] == 0x4D && head[3] == 0x18)
        case .xz: return starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00])
        case .bzip2: return starts([0x42, 0x5A, 0x68])
        }
    }
}

/// One input file found by discovery.
public struct InputFile: Sendable, Equatable {
    public var path: String
    public var format: InputFormat
    public var compression: InputCompression
    /// Whether the file is gzip (inflated with zlib).
    public var gzip: Bool { compression == .gzip }
    /// The path that stands for standard input (JSON lines, uncompressed).
    public static let standardInput = "-"
    /// Whether this is standard input (read once, as a stream; its size is not known).
    public var isStandardInput: Bool { path == InputFile.standardInput }
    public var size: Int
    public var modified: Int
    /// Where the path below its input root starts (see ``key``).
    var keyStart: Int32

    public init(
        path: String, format: InputFormat, compression: InputCompression, size: Int, modified: Int, key: String
    ) {
        self.path = path
        self.format = format
        self.compression = compression
        self.size = size
        self.modified = modified
        keyStart = path.hasSuffix(key) ? Int32(path.utf8.count - key.utf8.count) : 0
    }

    public init(path: String, format: InputFormat, gzip: Bool, size: Int, modified: Int, key: String) {
        self.init(
            path: path, format: format, compression: gzip ? .gzip : .none, size: size, modified: modified, key: key)
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
