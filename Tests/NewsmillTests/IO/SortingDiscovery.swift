@testable import Newsmill

#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The discovery newsmill had before ``InputFileStream``: every path collected, then one
/// global bytewise sort. Kept verbatim as the reference the streaming order must equal.
enum SortingDiscovery {
    /// Expands `patterns`; problems are returned, not thrown, so a run can go on.
    static func discover(_ patterns: [String]) -> (files: [InputFile], problems: [InputDiscovery.Problem]) {
        var files: [InputFile] = []
        var problems: [InputDiscovery.Problem] = []
        for rawPattern in patterns {
            let pattern = FileSystem.clean(rawPattern)
            let before = files.count
            if isGlob(pattern) {
                expandGlob(pattern, root: globRoot(pattern), into: &files)
                if files.count == before {
                    problems.append(InputDiscovery.Problem(pattern: rawPattern, reason: "no input files match"))
                }
            } else if let st = FileSystem.status(pattern) {
                if st.isDirectory {
                    walk(pattern, keyStart: pattern == "/" ? 1 : pattern.utf8.count + 1, into: &files)
                    if files.count == before {
                        problems.append(
                            InputDiscovery.Problem(
                                pattern: rawPattern,
                                reason: "folder holds no \(InputFormat.knownNames) files"))
                    }
                } else if let (format, compression) = InputFormat.from(fileName: pattern), st.isRegular {
                    let name = FileSystem.baseName(of: pattern)
                    files.append(
                        InputFile(
                            path: pattern, format: format, compression: compression, size: st.size,
                            modified: st.modified, key: name))
                } else {
                    problems.append(
                        InputDiscovery.Problem(
                            pattern: rawPattern,
                            reason: "unknown input type (expected \(InputFormat.knownNames))"))
                }
            } else {
                problems.append(InputDiscovery.Problem(pattern: rawPattern, reason: "no such file or folder"))
            }
        }
        // Sort by path bytes and drop duplicates (a file matched by two patterns is read once).
        files.sort { pathLess($0.path, $1.path) }
        var unique: [InputFile] = []
        unique.reserveCapacity(files.count)
        for file in files where unique.last?.path != file.path { unique.append(file) }
        return (unique, problems)
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

    /// Every readable input file under `directory`, skipping hidden entries.
    static func walk(_ directory: String, keyStart: Int, into files: inout [InputFile]) {
        guard let names = FileSystem.list(directory) else { return }
        for name in names where !name.hasPrefix(".") {
            let path = directory == "/" ? "/" + name : directory + "/" + name
            guard let st = FileSystem.status(path) else { continue }
            if st.isDirectory {
                walk(path, keyStart: keyStart, into: &files)
            } else if st.isRegular, let (format, compression) = InputFormat.from(fileName: name) {
                var file = InputFile(
                    path: path, format: format, compression: compression, size: st.size, modified: st.modified, key: "")
                file.keyStart = Int32(min(keyStart, path.utf8.count))
                files.append(file)
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

    static func expandGlob(_ pattern: String, root: String, into files: inout [InputFile]) {
        let absolute = pattern.hasPrefix("/")
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        // The fixed prefix before the first segment with a wildcard.
        var prefixCount = 0
        while prefixCount < segments.count, !isGlob(segments[prefixCount]) { prefixCount += 1 }
        var start = segments[0..<prefixCount].joined(separator: "/")
        if absolute { start = "/" + start }
        if start.isEmpty { start = "." }
        let keyStart = root == "." ? 0 : (root == "/" ? 1 : root.utf8.count + 1)
        var paths: [String] = []
        match(
            Array(segments[prefixCount...]), in: start, display: prefixCount == 0 && !absolute ? nil : start,
            into: &paths)
        for path in paths {
            guard let (format, compression) = InputFormat.from(fileName: path), let st = FileSystem.status(path),
                st.isRegular
            else { continue }
            var file = InputFile(
                path: path, format: format, compression: compression, size: st.size, modified: st.modified, key: "")
            file.keyStart = Int32(min(keyStart, path.utf8.count))
            files.append(file)
        }
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
