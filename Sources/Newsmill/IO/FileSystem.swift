#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Small POSIX file helpers (no Foundation on hot paths).
public enum FileSystem {
    /// Joins `path` to `base` unless it is absolute; cleans `./` segments.
    public static func resolve(_ path: String, relativeTo base: String) -> String {
        if path.hasPrefix("/") || base.isEmpty || base == "." { return clean(path) }
        return clean(base + "/" + path)
    }

    /// Removes `.` segments, duplicate slashes and resolvable `..` segments.
    public static func clean(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
                continue
            }
            if part == "..", absolute, parts.isEmpty { continue }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// The directory part of a path (`"."` when there is none).
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// The last path component.
    public static func baseName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// The absolute path with symbolic links, `.` and `..` resolved (`realpath(3)`); nil
    /// when the path does not exist.
    public static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// File metadata used for discovery and run state.
    public struct Status: Sendable, Equatable {
        public var isDirectory: Bool
        public var isRegular: Bool
        public var size: Int
        public var modified: Int  // nanoseconds since the epoch
        /// The device and inode: the same pair is the same file or folder, whatever the path.
        public var identity: Identity = Identity(device: 0, inode: 0)
    }

    /// A file's device and inode numbers.
    public struct Identity: Sendable, Hashable {
        public var device: UInt64
        public var inode: UInt64
    }

    /// `stat(2)`, following symbolic links; nil when the path does not exist.
    public static func status(_ path: String) -> Status? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        let mode = st.st_mode & S_IFMT
        let nanos = Int(st.st_mtim.tv_sec) * 1_000_000_000 + Int(st.st_mtim.tv_nsec)
        return Status(
            isDirectory: mode == S_IFDIR, isRegular: mode == S_IFREG, size: Int(st.st_size),
            modified: nanos, identity: Identity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino)))
    }

    /// The entries of a directory (names only, no `.`/`..`), sorted bytewise.
    public static func list(_ directory: String) -> [String]? {
        try? listing(directory)
    }

    /// The entries of a directory (names only, no `.`/`..`), sorted bytewise; throws with
    /// the reason when it cannot be read.
    public static func listing(_ directory: String) throws(IOFailure) -> [String] {
        var invalid: [(name: String, isDirectory: Bool)] = []
        return try listing(directory, invalidNames: &invalid)
    }

    /// As ``listing(_:)``; names that are not valid UTF-8 (a Latin-1 `caf\xE9.txt` copied from
    /// an old system), which no Swift string can name, are left out and added to
    /// `invalidNames` as ``escapedName(_:)`` shows them, with whether the entry is a folder.
    public static func listing(_ directory: String, invalidNames: inout [(name: String, isDirectory: Bool)])
        throws(IOFailure) -> [String]
    {
        guard let dir = opendir(directory) else {
            throw IOFailure(path: directory, detail: "cannot read folder: \(errorText(errno))")
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            // (String(validating:) on the bytes in place; an array only for a name that fails.)
            let decoded: Result<String, InvalidName> = withUnsafePointer(to: entry.pointee.d_name) { ptr in
                ptr.withMemoryRebound(to: UInt8.self, capacity: Int(NAME_MAX) + 1) { p in
                    let bytes = UnsafeBufferPointer(
                        start: p, count: strlen(UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self)))
                    if let name = String(validating: bytes, as: UTF8.self) { return .success(name) }
                    return .failure(InvalidName(bytes: Array(bytes)))
                }
            }
            let name: String
            switch decoded {
            case .success(let valid): name = valid
            case .failure(let invalid):
                invalidNames.append((escapedName(invalid.bytes), entry.pointee.d_type == UInt8(DT_DIR)))
                continue
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        return names.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }

    private struct InvalidName: Error { var bytes: [UInt8] }

    /// A file name's bytes with every byte that is not part of valid UTF-8 written `\xHH`.
    public static func escapedName(_ bytes: [UInt8]) -> String {
        var out = ""
        var k = 0
        while k < bytes.count {
            let length = bytes[k] < 0x80 ? 1 : TextDecoding.validSequenceLength(bytes, at: k)
            if length > 0 {
                out += String(decoding: bytes[k..<k + length], as: UTF8.self)
                k += length
            } else {
                let hex = Array("0123456789ABCDEF")
                out += "\\x" + String(hex[Int(bytes[k] >> 4)]) + String(hex[Int(bytes[k] & 0xF)])
                k += 1
            }
        }
        return out
    }

    /// Creates a directory and its parents.
    public static func makeDirectories(_ path: String) throws(IOFailure) {
        if let st = status(path), st.isDirectory { return }
        let parent = directory(of: path)
        if parent != path && parent != "." && parent != "/" { try makeDirectories(parent) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw IOFailure(path: path, detail: "cannot create directory: \(errorText(errno))")
        }
    }

    /// Reads a whole file.
    public static func readFile(_ path: String) throws(IOFailure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw IOFailure(path: path, detail: errorText(errno)) }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw IOFailure(path: path, detail: errorText(errno))
            }
            if n == 0 { break }
            result.append(contentsOf: chunk[0..<n])
        }
        return result
    }

    /// Reads at most `count` bytes from the start of a file.
    public static func readPrefix(_ path: String, count: Int) throws(IOFailure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw IOFailure(path: path, detail: errorText(errno)) }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = buffer.withUnsafeMutableBytes { bytes -> Int in
                guard let base = bytes.baseAddress else { return 0 }
                return read(fd, base + filled, count - filled)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw IOFailure(path: path, detail: errorText(errno))
            }
            if n == 0 { break }
            filled += n
        }
        return Array(buffer[0..<filled])
    }

    /// Writes a whole file atomically: to a temporary name beside it, then `rename(2)`.
    public static func writeAtomically(_ path: String, bytes: [UInt8]) throws(IOFailure) {
        let file = try OutputFile(finalPath: path)
        try file.write(bytes)
        try file.commit()
    }

    /// Removes a file, ignoring a missing one.
    public static func remove(_ path: String) {
        unlink(path)
    }

    /// Renames a file.
    public static func rename(_ from: String, to: String) throws(IOFailure) {
        if Glibc.rename(from, to) != 0 {
            throw IOFailure(path: to, detail: "cannot rename from \(from): \(errorText(errno))")
        }
    }

    /// The text of an errno value.
    public static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

/// An I/O failure on a named path.
public struct IOFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var detail: String
    public init(path: String, detail: String) {
        self.path = path
        self.detail = detail
    }
    public var description: String { "\(path): \(detail)" }
}

/// A file written under a temporary name and renamed into place on `commit()`.
public final class OutputFile {
    public let finalPath: String
    public let temporaryPath: String
    private var fd: Int32

    public init(finalPath: String) throws(IOFailure) {
        self.finalPath = finalPath
        let dir = FileSystem.directory(of: finalPath)
        self.temporaryPath = dir + "/." + FileSystem.baseName(of: finalPath) + ".tmp-\(getpid())"
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw IOFailure(path: temporaryPath, detail: "cannot create: \(FileSystem.errorText(errno))") }
    }

    deinit {
        if fd >= 0 {
            close(fd)
            unlink(temporaryPath)
        }
    }

    /// Appends bytes.
    public func write(_ bytes: [UInt8]) throws(IOFailure) {
        let result: Result<Void, IOFailure> = bytes.withUnsafeBytes { buffer in
            Result { () throws(IOFailure) in try write(buffer) }
        }
        try result.get()
    }

    /// Appends raw bytes.
    public func write(_ buffer: UnsafeRawBufferPointer) throws(IOFailure) {
        guard let base = buffer.baseAddress else { return }  // empty: nothing to write
        var offset = 0
        while offset < buffer.count {
            let n = Glibc.write(fd, base + offset, buffer.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw IOFailure(path: temporaryPath, detail: "write failed: \(FileSystem.errorText(errno))")
            }
            offset += n
        }
    }

    /// Flushes to disk and renames the file into place.
    public func commit() throws(IOFailure) {
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
        fd = -1
        if Glibc.rename(temporaryPath, finalPath) != 0 {
            let code = errno
            unlink(temporaryPath)
            throw IOFailure(path: finalPath, detail: "cannot rename into place: \(FileSystem.errorText(code))")
        }
    }
}
