import CZlib
import Synchronization

#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why an input file could not be read completely.
public enum InputError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, detail: String)
    case readFailed(path: String, detail: String)
    case corruptGzip(path: String, detail: String)
    case truncated(path: String)
    /// The decompressing tool (zstd, xz, bzip2) failed or is missing.
    case decompressFailed(path: String, detail: String)

    public var description: String { "\(path): \(reason)" }

    /// What went wrong, without the path (error lines carry the path in their own field).
    public var reason: String {
        switch self {
        case .cannotOpen(_, let detail): "cannot open: \(detail)"
        case .readFailed(_, let detail): "read failed: \(detail)"
        case .corruptGzip(_, let detail): "corrupt gzip data: \(detail)"
        case .truncated: "truncated gzip file (unexpected end of data)"
        case .decompressFailed(_, let detail): detail
        }
    }

    public var path: String {
        switch self {
        case .cannotOpen(let p, _), .readFailed(let p, _), .corruptGzip(let p, _), .truncated(let p),
            .decompressFailed(let p, _):
            p
        }
    }
}

/// Reads a file as a stream of byte chunks, decompressing gzip when asked.
///
/// The gzip path calls zlib's `inflate` directly with 1 MiB buffers, accepts
/// concatenated members (`cat a.gz b.gz`), and reports truncation and CRC errors. zstd,
/// xz and bzip2 files are read from the standard output of their tool (``Decompressor``),
/// which reads the file as its standard input.
public final class ChunkReader {
    public static let bufferSize = 1 << 20

    public let path: String
    private let fd: Int32
    private let gzip: Bool
    private var input: UnsafeMutableRawBufferPointer
    private var output: UnsafeMutableRawBufferPointer
    private var stream: UnsafeMutablePointer<z_stream>?
    private var inputEOF = false
    private var streamEnded = true  // between members
    private var sawMember = false
    /// Whether the current member has produced bytes (a data error before any is not a member at all).
    private var memberStarted = false
    private var finished = false
    /// The child process decompressing the file, when its compression is not gzip.
    private var decompressor: Decompressor?
    /// zstd in the process (libzstd), with the unread part `input[inputStart..<inputEnd]`
    /// and whether the last call filled the output (more may be waiting inside).
    private var zstd: ZstdStream?
    private var inputStart = 0
    private var inputEnd = 0
    private var outputFull = false
    /// Bytes read before the reader was made (standard input's first bytes, read to tell
    /// gzip from plain text): handed out first.
    private var prefix: [UInt8] = []
    /// Compressed (on-disk) bytes read so far.
    public private(set) var bytesRead = 0
    /// The decompressing child's process id (nil for plain and gzip files).
    var decompressorPID: pid_t? { decompressor?.processID }

    /// Opens `path` compressed as `compression`: gzip is inflated here, zstd, xz and bzip2
    /// by their tool in a child process.
    /// `tool` replaces the decompressing command (tests).
    public convenience init(
        path: String, compression: InputCompression, tool: [String]? = nil
    ) throws(InputError) {
        guard let command = tool ?? compression.tool else {
            try self.init(path: path, gzip: compression == .gzip)
            return
        }
        if compression == .zstd, tool == nil, let library = Zstd.library {
            try self.init(path: path, zstd: library)
            return
        }
        let child = try Decompressor(path: path, compression: compression, tool: command)
        self.init(path: path, pipe: child)
    }

    private init(path: String, zstd library: Zstd.Library) throws(InputError) {
        self.path = path
        gzip = false
        fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw .cannotOpen(path: path, detail: FileSystem.errorText(errno)) }
        input = .allocate(byteCount: ChunkReader.bufferSize, alignment: 16)
        output = .allocate(byteCount: ChunkReader.bufferSize, alignment: 16)
        guard let stream = ZstdStream(library: library) else {
            close(fd)
            input.deallocate()
            output.deallocate()
            throw .decompressFailed(path: path, detail: "cannot start zstd decompression (out of memory?)")
        }
        zstd = stream
    }

    private init(path: String, pipe child: Decompressor) {
        self.path = path
        gzip = false
        fd = child.output
        decompressor = child
        input = .allocate(byteCount: ChunkReader.bufferSize, alignment: 16)
        output = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    }

    /// Opens `path`; `gzip` says whether to inflate.
    public init(path: String, gzip: Bool) throws(InputError) {
        self.path = path
        self.gzip = gzip
        fd = path == InputFile.standardInput ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw .cannotOpen(path: path, detail: FileSystem.errorText(errno)) }
        input = .allocate(byteCount: ChunkReader.bufferSize, alignment: 16)
        output =
            gzip
            ? .allocate(byteCount: ChunkReader.bufferSize, alignment: 16)
            : UnsafeMutableRawBufferPointer(start: nil, count: 0)
        if gzip {
            let s = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            s.initialize(to: z_stream())
            if newsmill_inflateInit2(s, 15 + 32) != Z_OK {
                s.deallocate()
                close(fd)
                input.deallocate()
                output.deallocate()
                throw .corruptGzip(path: path, detail: "cannot initialise zlib")
            }
            stream = s
            streamEnded = false
        }
    }

    deinit {
        if let decompressor {
            decompressor.stop()
        } else {
            close(fd)
        }
        input.deallocate()
        if output.baseAddress != nil { output.deallocate() }
        if let stream {
            inflateEnd(stream)
            stream.deallocate()
        }
    }

    /// Standard input, inflated when it starts like gzip (`cat *.jsonl.gz | newsmill ... --input -`).
    public static func standardInput() throws(InputError) -> ChunkReader {
        var head = [UInt8](repeating: 0, count: 2)
        var got = 0
        while got < 2 {
            let n = head.withUnsafeMutableBytes { b -> Int in
                guard let base = b.baseAddress else { return 0 }
                return read(STDIN_FILENO, base + got, 2 - got)
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw .readFailed(path: InputFile.standardInput, detail: FileSystem.errorText(errno)) }
            if n == 0 { break }
            got += n
        }
        let reader = try ChunkReader(
            path: InputFile.standardInput, gzip: got == 2 && head[0] == 0x1F && head[1] == 0x8B)
        reader.prefix = Array(head[0..<got])
        return reader
    }

    private func fill() throws(InputError) -> Int {
        if !prefix.isEmpty {
            let n = prefix.count
            prefix.withUnsafeBytes { p in
                if let base = input.baseAddress, let from = p.baseAddress { base.copyMemory(from: from, byteCount: n) }
            }
            prefix = []
            bytesRead += n
            return n
        }
        while true {
            let n = read(fd, input.baseAddress, input.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw .readFailed(path: path, detail: FileSystem.errorText(errno))
            }
            if let decompressor {
                bytesRead = decompressor.inputPosition
                if n == 0 { try decompressor.finish() }
            } else {
                bytesRead += n
            }
            return n
        }
    }

    /// Calls `body` with the next chunk of (decompressed) bytes; returns false at the end.
    public func next(_ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        if finished { return false }
        if let zstd { return try nextZstd(zstd, body) }
        guard gzip, let stream else {
            let n = try fill()
            if n == 0 {
                finished = true
                return false
            }
            try body(UnsafeRawBufferPointer(rebasing: input[0..<n]))
            return true
        }
        while true {
            if stream.pointee.avail_in == 0 && !inputEOF {
                let n = try fill()
                if n == 0 {
                    inputEOF = true
                } else {
                    stream.pointee.next_in = input.baseAddress?.assumingMemoryBound(to: Bytef.self)
                    stream.pointee.avail_in = uInt(n)
                }
            }
            if stream.pointee.avail_in == 0 && inputEOF {
                finished = true
                if !streamEnded { throw InputError.truncated(path: path) }
                if !sawMember { throw InputError.corruptGzip(path: path, detail: "empty file, no gzip header") }
                return false
            }
            if streamEnded {
                // Another member follows the previous one (multi-member gzip).
                inflateReset(stream)
                streamEnded = false
                memberStarted = false
            }
            stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(output.count)
            let status = inflate(stream, Z_NO_FLUSH)
            let produced = output.count - Int(stream.pointee.avail_out)
            switch status {
            case Z_STREAM_END:
                streamEnded = true
                sawMember = true
                skipTrailingZeros(stream)
            case Z_OK, Z_BUF_ERROR:
                break
            case Z_DATA_ERROR:
                finished = true
                if sawMember && !memberStarted && produced == 0 {
                    // What follows a complete member is not another one: gzip -d warns
                    // "trailing garbage ignored"; here the file is reported, not half-read.
                    throw InputError.corruptGzip(
                        path: path, detail: "bytes after the end of the gzip data are not gzip (trailing garbage)")
                }
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "invalid data"
                throw InputError.corruptGzip(path: path, detail: message)
            case Z_MEM_ERROR:
                finished = true
                throw InputError.corruptGzip(path: path, detail: "out of memory")
            default:
                finished = true
                throw InputError.corruptGzip(path: path, detail: "zlib error \(status)")
            }
            if produced > 0 {
                memberStarted = true
                try body(UnsafeRawBufferPointer(rebasing: output[0..<produced]))
                return true
            }
        }
    }

    private func nextZstd(_ zstd: ZstdStream, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        while true {
            if inputStart == inputEnd && !inputEOF {
                let n = try fill()
                if n == 0 {
                    inputEOF = true
                } else {
                    inputStart = 0
                    inputEnd = n
                }
            }
            if inputStart == inputEnd && inputEOF && !outputFull {
                finished = true
                guard zstd.frameEnded else {
                    throw InputError.decompressFailed(
                        path: path, detail: "corrupt zstd data: the file ends inside a frame (cut short?)")
                }
                return false
            }
            var consumed = inputStart
            let produced: Int
            do {
                produced = try zstd.decompress(
                    UnsafeRawBufferPointer(rebasing: input[0..<inputEnd]), consumed: &consumed, into: output)
            } catch {
                finished = true
                throw InputError.decompressFailed(path: path, detail: "corrupt zstd data: \(error.message)")
            }
            inputStart = consumed
            outputFull = produced == output.count
            if produced > 0 {
                try body(UnsafeRawBufferPointer(rebasing: output[0..<produced]))
                return true
            }
        }
    }

    /// Some writers pad a gzip file with zero bytes after the last member; gzip(1) ignores them.
    private func skipTrailingZeros(_ stream: UnsafeMutablePointer<z_stream>) {
        while stream.pointee.avail_in > 0, let p = stream.pointee.next_in, p.pointee == 0 {
            stream.pointee.next_in = p + 1
            stream.pointee.avail_in -= 1
        }
    }
}

/// Splits a chunk stream into lines (without the `\n`, and without a `\r` before it),
/// carrying a partial last line across chunks.
public final class LineReader {
    private let chunks: ChunkReader
    private var carry: [UInt8] = []
    private var pending: [UInt8] = []  // lines of the current chunk not yet handed out
    private var pendingOffset = 0
    private var done = false
    /// 1-based number of the last line returned.
    public private(set) var lineNumber = 0

    public init(_ chunks: ChunkReader) {
        self.chunks = chunks
        carry.reserveCapacity(1 << 16)
    }

    /// The compressed bytes read so far.
    public var bytesRead: Int { chunks.bytesRead }

    /// Calls `body` with the next line; returns false at the end.
    public func nextLine(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Bool {
        while true {
            if pendingOffset < pending.count {
                let found: Bool = try pending.withUnsafeBufferPointer { buf in
                    let start = pendingOffset
                    guard let nl = findNewline(buf, from: start) else { return false }
                    pendingOffset = nl + 1
                    lineNumber += 1
                    if carry.isEmpty {
                        var end = nl
                        if end > start, buf[end - 1] == 0x0D { end -= 1 }
                        try body(UnsafeBufferPointer(rebasing: buf[start..<end]))
                    } else {
                        carry.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<nl]))
                        if carry.last == 0x0D { carry.removeLast() }
                        try carry.withUnsafeBufferPointer { try body($0) }
                        carry.removeAll(keepingCapacity: true)
                    }
                    return true
                }
                if found { return true }
                pending.withUnsafeBufferPointer { buf in
                    carry.append(contentsOf: UnsafeBufferPointer(rebasing: buf[pendingOffset...]))
                }
                pendingOffset = pending.count
            }
            if done { return false }
            pending.removeAll(keepingCapacity: true)
            pendingOffset = 0
            let more = try chunks.next { chunk in
                pending.append(contentsOf: chunk)
            }
            if !more {
                done = true
                if !carry.isEmpty {
                    lineNumber += 1
                    if carry.last == 0x0D { carry.removeLast() }
                    try carry.withUnsafeBufferPointer { try body($0) }
                    carry.removeAll()
                    return true
                }
                return false
            }
        }
    }

    private func findNewline(_ buf: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start < buf.count, let base = buf.baseAddress else { return nil }
        guard let p = memchr(base + start, 0x0A, buf.count - start) else { return nil }
        return base.distance(to: p.assumingMemoryBound(to: UInt8.self))
    }
}

/// A child process that decompresses a file to a pipe: `zstd -d -c -q` (or xz, bzip2)
/// with the file as its standard input, so that the file's read position, shared with the
/// child, tells how much of it has been read. Its errors are kept (the first 4 KiB) for
/// the message when it exits with a failure.
final class Decompressor {
    private static let spawnLock = Mutex<Void>(())

    let path: String
    let compression: InputCompression
    /// The command, with its arguments (`zstd -d -c -q`).
    let tool: [String]
    /// The read end of the pipe from the child's standard output.
    let output: Int32
    private let file: Int32
    private let errors: Int32
    private var pid: pid_t
    private var reaped = false
    var processID: pid_t { pid }

    init(path: String, compression: InputCompression, tool command: [String]) throws(InputError) {
        self.path = path
        self.compression = compression
        tool = command
        let source = open(path, O_RDONLY | O_CLOEXEC)
        if source < 0 { throw .cannotOpen(path: path, detail: FileSystem.errorText(errno)) }
        var out: [Int32] = [-1, -1]
        var err: [Int32] = [-1, -1]
        var child: pid_t = 0
        // pipe2(O_CLOEXEC) is not visible from Swift here: the pipes are made close-on-exec
        // under a lock that every spawn of this type holds, so another worker's child never
        // inherits this one's write ends (which would keep the pipe open after it exits).
        let status: Int32 = Decompressor.spawnLock.withLock { _ in
            guard pipe(&out) == 0 else { return errno }
            guard pipe(&err) == 0 else {
                let code = errno
                close(out[0])
                close(out[1])
                return code
            }
            for fd in out + err { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            posix_spawn_file_actions_adddup2(&actions, source, 0)
            posix_spawn_file_actions_adddup2(&actions, out[1], 1)
            posix_spawn_file_actions_adddup2(&actions, err[1], 2)
            let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
            let status = posix_spawnp(&child, command[0], &actions, nil, argv, environ)
            posix_spawn_file_actions_destroy(&actions)
            for p in argv { free(p) }
            close(out[1])
            close(err[1])
            if status != 0 {
                close(out[0])
                close(err[0])
            }
            return status
        }
        if status != 0 {
            close(source)
            let detail =
                status == ENOENT
                ? "\(compression.name)-compressed, and the \(command[0]) program is not installed "
                    + "(apt install \(compression.package)); install it or decompress the file first"
                : "cannot start \(command[0]): \(FileSystem.errorText(status))"
            throw .decompressFailed(path: path, detail: detail)
        }
        file = source
        pid = child
        output = out[0]
        errors = err[0]
        _ = fcntl(errors, F_SETFL, fcntl(errors, F_GETFL) | O_NONBLOCK)
    }

    /// How far the child has read the file (its offset is shared with the child).
    var inputPosition: Int { max(Int(lseek(file, 0, SEEK_CUR)), 0) }

    /// At the end of the output: waits for the child and throws when it failed.
    func finish() throws(InputError) {
        var message: [UInt8] = []
        var status: Int32 = 0
        while !reaped {
            drainErrors(into: &message)
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid {
                reaped = true
            } else if r < 0 && errno != EINTR {
                reaped = true
                status = 0
            } else {
                usleep(1000)
            }
        }
        drainErrors(into: &message)
        let exited = status & 0x7F == 0
        let code = (status >> 8) & 0xFF
        guard !exited || code != 0 else { return }
        var text = String(decoding: message, as: UTF8.self)
        // "zstd: /*stdin*\\: unsupported format" → the tool's words, first line, without its name.
        text = text.split(separator: "\n").first.map(String.init) ?? ""
        for prefix in ["\(tool[0]): ", "(stdin): ", "/*stdin*\\ : ", "/*stdin*\\: ", "(stdin) : "] {
            if text.hasPrefix(prefix) { text.removeFirst(prefix.count) }
        }
        while text.last == " " || text.last == ";" { text.removeLast() }
        let how = exited ? "exit status \(code)" : "signal \(status & 0x7F)"
        throw .decompressFailed(
            path: path,
            detail: "corrupt \(compression.name) data: \(tool[0]) -d failed (\(how))"
                + (text.isEmpty ? "" : ": \(text)"))
    }

    private func drainErrors(into message: inout [UInt8]) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(errors, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            if message.count < 4096 { message.append(contentsOf: buffer[0..<min(n, 4096 - message.count)]) }
        }
    }

    /// Closes the pipes and the file; a child still running (the reader stopped early) is
    /// killed. Always reaps it, so no zombie is left.
    func stop() {
        close(output)
        if !reaped {
            kill(pid, SIGTERM)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            reaped = true
        }
        close(errors)
        close(file)
    }
}
