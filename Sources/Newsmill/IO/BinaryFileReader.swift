#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a binary scratch file of bytes, LEB128 varints and length-prefixed byte strings
/// through one buffer: the sorted runs `counts` spills (``TermRunFile``) and the plan of
/// an incremental run (``PlannedInputs``). Errors name the file and say "truncated" or
/// "corrupt" followed by `kind`.
final class BinaryFileReader {
    let path: String
    /// What the file is, for messages: "run file".
    let kind: String
    private var fd: Int32
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var atEnd = false

    init(path: String, kind: String, bufferSize: Int = 1 << 16) throws(IOFailure) {
        self.path = path
        self.kind = kind
        fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw IOFailure(path: path, detail: FileSystem.errorText(errno)) }
        buffer = [UInt8](repeating: 0, count: max(1, bufferSize))
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// The file's content is not what its writer writes.
    func corrupt() -> IOFailure { IOFailure(path: path, detail: "corrupt \(kind)") }

    /// The file ends inside an entry.
    func truncated() -> IOFailure { IOFailure(path: path, detail: "truncated \(kind)") }

    /// True when another byte follows; false at the end of the file.
    func hasMore() throws(IOFailure) -> Bool { try fill(1) }

    /// The next byte.
    func byte() throws(IOFailure) -> UInt8 {
        guard try fill(1) else { throw truncated() }
        defer { start += 1 }
        return buffer[start]
    }

    /// The next LEB128 varint.
    func varint() throws(IOFailure) -> Int {
        var result: UInt = 0
        var shift: UInt = 0
        while true {
            let b = try byte()
            result |= UInt(b & 0x7F) << shift
            if b < 0x80 { return Int(bitPattern: result) }
            shift += 7
            if shift > 63 { throw corrupt() }
        }
    }

    /// The next `n` bytes, in place of `target`'s content.
    func bytes(_ n: Int, into target: inout [UInt8]) throws(IOFailure) {
        target.removeAll(keepingCapacity: true)
        guard n > 0 else { return }
        guard try fill(n) else { throw truncated() }
        target.append(contentsOf: buffer[start..<(start + n)])
        start += n
    }

    /// Makes at least `n` bytes available; false only at a clean end of file.
    private func fill(_ n: Int) throws(IOFailure) -> Bool {
        if end - start >= n { return true }
        _ = try FileRefill.fill(n, fd: fd, path: path, buffer: &buffer, start: &start, end: &end, atEnd: &atEnd)
        if end - start >= n { return true }
        if end == start { return false }
        throw truncated()
    }
}
