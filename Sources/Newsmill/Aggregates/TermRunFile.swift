#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A sorted run of term counts spilled to disk when a term table outgrows its memory
/// budget: entries `(group, key, count, documents)` in bytewise order of group, then key.
///
/// Each entry is four fields: the group's length (LEB128) and bytes, the key's length
/// and bytes, the count and the document count (LEB128). Runs are temporary files of one
/// process; the format is not an interface.
enum TermRunFile {
    /// Writes entries (given in order) to a new file.
    final class Writer {
        let path: String
        private var fd: Int32
        private var buffer: [UInt8] = []

        init(path: String) throws(IOFailure) {
            self.path = path
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            if fd < 0 { throw IOFailure(path: path, detail: "cannot create: \(FileSystem.errorText(errno))") }
            buffer.reserveCapacity(1 << 16)
        }

        deinit {
            if fd >= 0 { close(fd) }
        }

        func append(
            group: UnsafeBufferPointer<UInt8>, key: UnsafeBufferPointer<UInt8>, count: Int,
            documents: Int
        ) throws(IOFailure) {
            Self.varint(group.count, into: &buffer)
            buffer.append(contentsOf: group)
            Self.varint(key.count, into: &buffer)
            buffer.append(contentsOf: key)
            Self.varint(count, into: &buffer)
            Self.varint(documents, into: &buffer)
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

        static func varint(_ value: Int, into bytes: inout [UInt8]) {
            var v = UInt(bitPattern: value)
            while v >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
                v >>= 7
            }
            bytes.append(UInt8(v))
        }
    }

    /// Reads a run's entries in order; the current entry is in `group`, `key`, `count`
    /// and `documents` after ``next()`` returns true.
    final class Reader {
        let path: String
        private let input: BinaryFileReader
        private(set) var group: [UInt8] = []
        private(set) var key: [UInt8] = []
        private(set) var count = 0
        private(set) var documents = 0

        init(path: String, bufferSize: Int = 1 << 16) throws(IOFailure) {
            self.path = path
            input = try BinaryFileReader(path: path, kind: "run file", bufferSize: bufferSize)
        }

        /// Reads the next entry; false at the end of the run.
        func next() throws(IOFailure) -> Bool {
            guard try input.hasMore() else { return false }
            try input.bytes(try input.varint(), into: &group)
            try input.bytes(try input.varint(), into: &key)
            count = try input.varint()
            documents = try input.varint()
            return true
        }
    }
}
