import CZlib

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

    public var description: String { "\(path): \(reason)" }

    /// What went wrong, without the path (error lines carry the path in their own field).
    public var reason: String {
        switch self {
        case .cannotOpen(_, let detail): "cannot open: \(detail)"
        case .readFailed(_, let detail): "read failed: \(detail)"
        case .corruptGzip(_, let detail): "corrupt gzip data: \(detail)"
        case .truncated: "truncated gzip file (unexpected end of data)"
        }
    }

    public var path: String {
        switch self {
        case .cannotOpen(let p, _), .readFailed(let p, _), .corruptGzip(let p, _), .truncated(let p): p
        }
    }
}

/// Reads a file as a stream of byte chunks, decompressing gzip when asked.
///
/// The gzip path calls zlib's `inflate` directly with 1 MiB buffers, accepts
/// concatenated members (`cat a.gz b.gz`), and reports truncation and CRC errors.
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
    /// Compressed (on-disk) bytes read so far.
    public private(set) var bytesRead = 0

    /// Opens `path`; `gzip` says whether to inflate.
    public init(path: String, gzip: Bool) throws(InputError) {
        self.path = path
        self.gzip = gzip
        fd = open(path, O_RDONLY | O_CLOEXEC)
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
        close(fd)
        input.deallocate()
        if gzip { output.deallocate() }
        if let stream {
            inflateEnd(stream)
            stream.deallocate()
        }
    }

    private func fill() throws(InputError) -> Int {
        while true {
            let n = read(fd, input.baseAddress, input.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw .readFailed(path: path, detail: FileSystem.errorText(errno))
            }
            bytesRead += n
            return n
        }
    }

    /// Calls `body` with the next chunk of (decompressed) bytes; returns false at the end.
    public func next(_ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        if finished { return false }
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
