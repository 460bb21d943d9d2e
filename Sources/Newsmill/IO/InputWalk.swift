#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The input files of one pattern (a folder, a glob or a file), produced one at a time in
/// bytewise order of their paths, holding only the folders on the current path.
///
/// A folder and a glob are both walked depth-first. Each folder's entries are sorted
/// bytewise with a `/` appended to the names of subfolders: every path below a subfolder
/// `d` starts with `d/`, so this puts the subfolder's whole subtree exactly where a global
/// bytewise sort of the full paths would put it (`a-b` < `a.b` < `a/x` < `a0`). Memory is
/// the entries of the folders on the current path (depth x folder size), not the corpus.
///
/// A glob is matched as a small automaton over its segments: the walk carries the set of
/// segment positions still alive in each folder, `**` matches zero or more non-hidden
/// folders, other segments are matched with `fnmatch(3)` and `FNM_PERIOD` (a leading dot
/// must be matched explicitly). A folder is walked as the glob `folder/**/*`.
///
/// Symbolic links are followed, except a link back to a folder on the current path (a
/// loop, as `find -L` detects it), which is skipped. A folder that cannot be listed is a
/// ``problems`` entry (its files would otherwise be missing without a word).
struct InputWalk: Sendable {
    /// A segment of the pattern below its fixed root.
    enum Segment: Sendable, Equatable {
        /// `**`: zero or more non-hidden folders.
        case anyFolders
        /// `*`: any name not starting with a dot (a folder walk's file names).
        case anyVisible
        /// A `fnmatch(3)` pattern.
        case pattern(String)
    }

    private struct Entry: Sendable {
        var name: String
        var isDirectory: Bool
        var size: Int
        var modified: Int
        var identity: FileSystem.Identity
    }

    private struct Frame: Sendable {
        var directory: String
        /// The path shown for the folder (nil at the top of a relative glob with no fixed prefix).
        var display: String?
        var identity: FileSystem.Identity
        var states: [Int]
        var entries: [Entry]
        var next = 0
    }

    private let segments: [Segment]
    private let keyStart: Int
    private var stack: [Frame] = []
    /// A file given by name (or the root itself matching the glob), produced first.
    private var pending: InputFile?
    /// Folders that could not be listed, in walk order (see ``takeProblems()``).
    private(set) var problems: [InputDiscovery.Problem] = []
    /// Files the pattern matched whose names say no input format (`.parquet`, `.json`), by
    /// their lower-cased last suffix ("" for none): skipped, and counted so that a run can
    /// say so.
    private(set) var unread: [String: Int] = [:]
    /// Folders never entered below the root (the run's own output folder).
    var excluded: Set<FileSystem.Identity> = []
    /// What a run writes in its output folder that a walk could take for inputs.
    static let outputNames: Set<String> = [
        "documents.jsonl", "documents.jsonl.gz", "aggregates.jsonl", "errors.jsonl", "runs", "dedup-keys.bin",
    ]

    /// A walk of the files below `root` matching `segments`.
    ///
    /// - Parameters:
    ///   - root: the folder to list (the fixed prefix of the pattern; `.` for none).
    ///   - display: how paths start (`root`, or nil to show paths relative to `root`).
    ///   - keyStart: where a file's key (its path below the input root) starts in its path.
    init(root: String, display: String?, segments: [Segment], keyStart: Int) {
        self.segments = segments
        self.keyStart = keyStart
        let states = closure([0])
        if states.contains(segments.count), let display, let st = FileSystem.status(root), st.isRegular,
            let (format, compression) = InputFormat.from(fileName: display)
        {
            // The root itself is a file and the rest of the glob matches nothing (`a.txt/**`).
            pending = makeFile(
                path: display, format: format, compression: compression, size: st.size, modified: st.modified)
        }
        if let st = FileSystem.status(root), st.isDirectory,
            let frame = makeFrame(directory: root, display: display, identity: st.identity, states: states)
        {
            stack.append(frame)
        }
    }

    /// A single file given by name.
    init(file: InputFile) {
        segments = []
        keyStart = 0
        pending = file
    }

    /// A folder, recursively, skipping hidden entries.
    static func folder(_ directory: String) -> InputWalk {
        InputWalk(
            root: directory, display: directory, segments: [.anyFolders, .anyVisible],
            keyStart: directory == "/" ? 1 : directory.utf8.count + 1)
    }

    /// A glob (it must contain a wildcard); paths keep the pattern's fixed prefix.
    static func glob(_ pattern: String) -> InputWalk {
        let absolute = pattern.hasPrefix("/")
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var prefixCount = 0
        while prefixCount < parts.count, !InputDiscovery.isGlob(parts[prefixCount]) { prefixCount += 1 }
        var root = parts[0..<prefixCount].joined(separator: "/")
        if absolute { root = "/" + root }
        if root.isEmpty { root = "." }
        let keyStart = root == "." ? 0 : (root == "/" ? 1 : root.utf8.count + 1)
        let segments: [Segment] = parts[prefixCount...].map { $0 == "**" ? .anyFolders : .pattern($0) }
        return InputWalk(
            root: root, display: prefixCount == 0 && !absolute ? nil : root, segments: segments,
            keyStart: keyStart)
    }

    /// The next file in bytewise path order, or nil at the end.
    mutating func next() -> InputFile? {
        if let file = pending {
            pending = nil
            return file
        }
        while !stack.isEmpty {
            let top = stack.count - 1
            guard stack[top].next < stack[top].entries.count else {
                stack.removeLast()
                continue
            }
            let entry = stack[top].entries[stack[top].next]
            stack[top].next += 1
            let directory = stack[top].directory
            let full = directory == "/" ? "/" + entry.name : directory + "/" + entry.name
            let shown = stack[top].display.map { $0 == "/" ? "/" + entry.name : $0 + "/" + entry.name } ?? entry.name
            // Inside the output folder itself (it is the walk's root: `inputs: [.]` with
            // `output: .`), the run's own outputs and run folders are not inputs.
            if excluded.contains(stack[top].identity), InputWalk.outputNames.contains(entry.name) { continue }
            if entry.isDirectory {
                // A link back to a folder on the current path would repeat it forever.
                if stack.contains(where: { $0.identity == entry.identity }) { continue }
                if excluded.contains(entry.identity) { continue }
                let states = closure(step(stack[top].states, name: entry.name).descend)
                if let frame = makeFrame(directory: full, display: shown, identity: entry.identity, states: states) {
                    stack.append(frame)
                }
            } else if let (format, compression) = InputFormat.from(fileName: entry.name) {
                return makeFile(
                    path: shown, format: format, compression: compression, size: entry.size, modified: entry.modified)
            }
        }
        return nil
    }

    private func makeFile(
        path: String, format: InputFormat, compression: InputCompression, size: Int, modified: Int
    ) -> InputFile {
        var file = InputFile(
            path: path, format: format, compression: compression, size: size, modified: modified, key: "")
        file.keyStart = Int32(min(keyStart, path.utf8.count))
        return file
    }

    /// The problems found since the last call (folders that could not be listed).
    mutating func takeProblems() -> [InputDiscovery.Problem] {
        defer { problems = [] }
        return problems
    }

    /// Lists a folder and keeps the entries that can lead to a match, sorted for the walk.
    /// The lower-cased last suffix of a file name (`.parquet`), "" for none or a long one.
    static func suffix(of name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        let suffix = name[dot...].lowercased()
        return suffix.count <= 12 ? suffix : ""
    }

    private mutating func makeFrame(
        directory: String, display: String?, identity: FileSystem.Identity, states: [Int]
    ) -> Frame? {
        guard !states.isEmpty, states.contains(where: { $0 < segments.count }) else { return nil }
        let names: [String]
        var invalidNames: [(name: String, isDirectory: Bool)] = []
        do {
            names = try FileSystem.listing(directory, invalidNames: &invalidNames)
        } catch {
            problems.append(InputDiscovery.Problem(pattern: display ?? directory, reason: error.detail))
            return nil
        }
        for (name, isDirectory) in invalidNames {
            // Only names the walk would take (a folder, or an input file its patterns match).
            let (descend, isMatch) = step(states, name: name)
            guard isDirectory ? !descend.isEmpty : isMatch && InputFormat.from(fileName: name) != nil else { continue }
            let shown = display.map { $0 == "/" ? "/" + name : $0 + "/" + name } ?? name
            problems.append(
                InputDiscovery.Problem(
                    pattern: shown,
                    reason: "the name is not valid UTF-8 (its other bytes shown as \\xHH), so newsmill cannot open it: "
                        + "rename it to UTF-8, e.g. with `convmv -f latin1 -t utf8 --notest`"))
        }
        var entries: [Entry] = []
        for name in names {
            let (descend, isMatch) = step(states, name: name)
            guard !descend.isEmpty || isMatch else { continue }
            let full = directory == "/" ? "/" + name : directory + "/" + name
            guard let st = FileSystem.status(full) else { continue }
            if st.isDirectory, !descend.isEmpty {
                entries.append(Entry(name: name, isDirectory: true, size: 0, modified: 0, identity: st.identity))
            } else if st.isRegular, isMatch, InputFormat.from(fileName: name) != nil {
                entries.append(
                    Entry(name: name, isDirectory: false, size: st.size, modified: st.modified, identity: st.identity))
            } else if st.isRegular, isMatch, !excluded.contains(identity) {
                unread[Self.suffix(of: name), default: 0] += 1
            }
        }
        // Names are sorted already (FileSystem.list); only a folder whose name is a prefix
        // of a sibling's can be out of place, so sort with the folders' `/` appended.
        entries.sort { Self.entryLess($0, $1) }
        return Frame(directory: directory, display: display, identity: identity, states: states, entries: entries)
    }

    /// Bytewise order of `name` (+ `/` for a folder).
    private static func entryLess(_ a: Entry, _ b: Entry) -> Bool {
        var x = a.name.utf8.makeIterator()
        var y = b.name.utf8.makeIterator()
        var xDone = false
        var yDone = false
        while true {
            var cx: Int = -1
            var cy: Int = -1
            if !xDone {
                if let c = x.next() { cx = Int(c) } else { xDone = true; if a.isDirectory { cx = 0x2F } }
            }
            if !yDone {
                if let c = y.next() { cy = Int(c) } else { yDone = true; if b.isDirectory { cy = 0x2F } }
            }
            if cx != cy { return cx < cy }
            if cx < 0 { return false }
            if xDone && yDone { return false }
        }
    }

    /// The segment positions alive in a subfolder named `name`, and whether a file named
    /// `name` matches the whole pattern.
    private func step(_ states: [Int], name: String) -> (descend: [Int], isMatch: Bool) {
        var descend: [Int] = []
        var isMatch = false
        for i in states where i < segments.count {
            let matches: Bool
            switch segments[i] {
            case .anyFolders:
                if !name.hasPrefix(".") && !descend.contains(i) { descend.append(i) }
                continue
            case .anyVisible:
                matches = !name.hasPrefix(".")
            case .pattern(let pattern):
                matches = fnmatch(pattern, name, FNM_PERIOD) == 0
            }
            guard matches else { continue }
            if i + 1 == segments.count {
                isMatch = true
            } else if !descend.contains(i + 1) {
                descend.append(i + 1)
            }
        }
        return (descend, isMatch)
    }

    /// Adds the positions after each `**` (it may match zero folders).
    private func closure(_ states: [Int]) -> [Int] {
        var result = states
        var k = 0
        while k < result.count {
            let i = result[k]
            if i < segments.count, segments[i] == .anyFolders, !result.contains(i + 1) { result.append(i + 1) }
            k += 1
        }
        return result.sorted()
    }
}
