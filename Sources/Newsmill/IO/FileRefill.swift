#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The buffered reading that ``BinaryFileReader`` and ``JSONStreamReader`` share: bytes
/// `buffer[start..<end]` are read from `fd` and not yet consumed.
enum FileRefill {
    /// Makes at least `n` bytes available from `start` (moving them to the front of the
    /// buffer, growing it when it is smaller than `n`, reading until `n` are there or the
    /// file ends). Returns how far the bytes moved (add it to a count of consumed bytes);
    /// whether `n` bytes are there is `end - start >= n` afterwards.
    static func fill(
        _ n: Int, fd: Int32, path: String, buffer: inout [UInt8], start: inout Int, end: inout Int,
        atEnd: inout Bool
    ) throws(IOFailure) -> Int {
        if end - start >= n { return 0 }
        let moved = start
        if start > 0 {
            let left = end - start
            let from = start
            buffer.withUnsafeMutableBytes { b in
                if left > 0, let base = b.baseAddress { memmove(base, base + from, left) }
            }
            start = 0
            end = left
        }
        if buffer.count < n { buffer += [UInt8](repeating: 0, count: n - buffer.count) }
        while end < n && !atEnd {
            let filled = end
            let got = buffer.withUnsafeMutableBytes { b in
                guard let base = b.baseAddress else { return 0 }
                return read(fd, base + filled, b.count - filled)
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw IOFailure(path: path, detail: "read failed: \(FileSystem.errorText(errno))")
            }
            if got == 0 { atEnd = true }
            end += got
        }
        return moved
    }
}
