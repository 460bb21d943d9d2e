#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The formats newsmill reads, known from the file name and confirmed by its bytes.
public enum InputFormat: String, Sendable, Equatable {
    case txt, jsonl

    /// The format and compression a file name says, or nil for names newsmill does not read.
    public static func from(fileName: String) -> (InputFormat, gzip: Bool)? {
        let lower = fileName.lowercased()
        let gzip = lower.hasSuffix(".gz")
        let stem = gzip ? String(lower.dropLast(3)) : lower
        if stem.hasSuffix(".jsonl") || stem.hasSuffix(".ndjson") { return (.jsonl, gzip) }
        if stem.hasSuffix(".txt") { return (.txt, gzip) }
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
    /// The path below the input root it was found under (the folder or the glob's fixed
    /// prefix; the file name for a file given by name). Shards are chosen by this key, so
    /// a file falls in the same shard wherever the corpus is mounted.
    public var key: String
}

/// Expands files, folders (recursively) and globs (with `**`) into a sorted,
/// de-duplicated list of input files.
public enum InputDiscovery {
    /// A pattern that matched nothing, or a file of an unknown type named explicitly.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var pattern: String
        public var reason: String
        public var description: String { "\(pattern): \(reason)" }
    }

    /// Expands `patterns`; problems are returned, not thrown, so a run can go on.
    public static func discover(_ patterns: [String]) -> (files: [InputFile], problems: [Problem]) {
        var found: [String: InputFile] = [:]
        var problems: [Problem] = []
        for pattern in patterns {
            var paths: [String] = []
            var root = FileSystem.directory(of: pattern)
            if isGlob(pattern) {
                root = globRoot(pattern)
                expandGlob(pattern, into: &paths)
                if paths.isEmpty { problems.append(Problem(pattern: pattern, reason: "no input files match")) }
            } else if let st = FileSystem.status(pattern) {
                if st.isDirectory {
                    root = pattern
                    walk(pattern, into: &paths)
                    if paths.isEmpty {
                        problems.append(Problem(pattern: pattern,
                                                reason: "folder holds no .txt, .txt.gz, .jsonl or .jsonl.gz files"))
                    }
                } else {
                    if InputFormat.from(fileName: pattern) == nil {
                        problems.append(Problem(pattern: pattern,
                                                reason: "unknown input type (expected .txt, .txt.gz, .jsonl or .jsonl.gz)"))
                        continue
                    }
                    paths.append(pattern)
                }
            } else {
                problems.append(Problem(pattern: pattern, reason: "no such file or folder"))
            }
            for path in paths {
                let clean = FileSystem.clean(path)
                guard found[clean] == nil, let (format, gzip) = InputFormat.from(fileName: clean),
                      let st = FileSystem.status(clean), st.isRegular
                else { continue }
                let cleanRoot = FileSystem.clean(root)
                var key = clean
                if cleanRoot != ".", clean.hasPrefix(cleanRoot + "/") {
                    key = String(clean.dropFirst(cleanRoot.count + 1))
                } else if cleanRoot == "/" {
                    key = String(clean.dropFirst())
                }
                found[clean] = InputFile(path: clean, format: format, gzip: gzip, size: st.size, modified: st.modified,
                                         key: key)
            }
        }
        let files = found.values.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        return (files, problems)
    }

    static func isGlob(_ pattern: String) -> Bool {
        pattern.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" })
    }

    /// Every readable input file under `directory`, skipping hidden entries.
    static func walk(_ directory: String, into paths: inout [String]) {
        guard let names = FileSystem.list(directory) else { return }
        for name in names where !name.hasPrefix(".") {
            let path = directory == "/" ? "/" + name : directory + "/" + name
            guard let st = FileSystem.status(path) else { continue }
            if st.isDirectory {
                walk(path, into: &paths)
            } else if st.isRegular, InputFormat.from(fileName: name) != nil {
                paths.append(path)
            }
        }
    }

    static func globRoot(_ pattern: String) -> String {
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: true)
        let fixed = segments.prefix(while: { !isGlob(String($0)) })
        let joined = fixed.joined(separator: "/")
        if pattern.hasPrefix("/") { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    static func expandGlob(_ pattern: String, into paths: inout [String]) {
        let absolute = pattern.hasPrefix("/")
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        // The fixed prefix before the first segment with a wildcard.
        var prefixCount = 0
        while prefixCount < segments.count, !isGlob(segments[prefixCount]) { prefixCount += 1 }
        var root = segments[0..<prefixCount].joined(separator: "/")
        if absolute { root = "/" + root }
        if root.isEmpty { root = "." }
        match(Array(segments[prefixCount...]), in: root, display: prefixCount == 0 && !absolute ? nil : root,
              into: &paths)
    }

    private static func match(_ rest: [String], in directory: String, display: String?, into paths: inout [String]) {
        guard let first = rest.first else {
            if let display, let st = FileSystem.status(directory), st.isRegular { paths.append(display) }
            return
        }
        func join(_ name: String) -> (String, String) {
            let full = directory == "/" ? "/" + name : directory + "/" + name
            let shown = display.map { $0 == "/" ? "/" + name : $0 + "/" + name } ?? name
            return (full, shown)
        }
        let remaining = Array(rest.dropFirst())
        if first == "**" {
            // Zero directories...
            match(remaining, in: directory, display: display, into: &paths)
            // ...or one more, recursively.
            guard let names = FileSystem.list(directory) else { return }
            for name in names where !name.hasPrefix(".") {
                let (full, shown) = join(name)
                if let st = FileSystem.status(full), st.isDirectory {
                    match(rest, in: full, display: shown, into: &paths)
                }
            }
            return
        }
        guard let names = FileSystem.list(directory) else { return }
        for name in names where fnmatch(first, name, FNM_PERIOD) == 0 {
            let (full, shown) = join(name)
            if remaining.isEmpty {
                if let st = FileSystem.status(full), st.isRegular, InputFormat.from(fileName: name) != nil {
                    paths.append(shown)
                }
            } else if let st = FileSystem.status(full), st.isDirectory {
                match(remaining, in: full, display: shown, into: &paths)
            }
        }
    }
}
