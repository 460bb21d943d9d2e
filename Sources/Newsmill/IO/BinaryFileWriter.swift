#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a new binary scratch file of bytes, LEB128 varints and length-prefixed byte
/// strings through a 64 KB buffer; ``BinaryFileReader`` reads it back. Used for the runs
/// `counts` spills (``TermRunFile``) and the plan of an incremental run (``PlannedInputs``).
final class BinaryFileWriter {
    let path: String
    private var fd: Int32
    private var buffer: [UInt8] = []

    /// Creates (or truncates) `path`, readable by this user only.
    init(path: String) throws(IOFailure) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        if fd < 0 { throw IOFailure(path: path, detail: "cannot create: \(FileSystem.errorText(errno))") }
        buffer.reserveCapacity(1 << 16)
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Appends one byte.
    func byte(_ value: UInt8) { buffer.append(value) }

    /// Appends `value` as a LEB128 varint.
    func varint(_ value: Int) {
        var v = UInt(bitPattern: value)
        while v >= 0x80 {
            buffer.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        buffer.append(UInt8(v))
    }

    /// Appends the length of `bytes` as a varint, then the bytes.
    func string<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        varint(bytes.count)
        buffer.append(contentsOf: bytes)
    }

    /// Writes the buffer out when it holds 64 KB or more; call after each entry.
    func entryDone() throws(IOFailure) {
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Writes what is buffered and closes the file.
    func finish() throws(IOFailure) {
        try flush()
        guard fd >= 0 else { return }
        let result = close(fd)
        fd = -1
        if result != 0 { throw IOFailure(path: path, detail: "close failed: \(FileSystem.errorText(errno))") }
    }

    private func flush() throws(IOFailure) {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { b in
                guard let base = b.baseAddress else { return 0 }
                return write(fd, base + offset, b.count - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw IOFailure(path: path, detail: "write failed: \(FileSystem.errorText(errno))")
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
