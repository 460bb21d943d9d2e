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
        private let output: BinaryFileWriter

        init(path: String) throws(IOFailure) {
            self.path = path
            output = try BinaryFileWriter(path: path)
        }

        func append(
            group: UnsafeBufferPointer<UInt8>, key: UnsafeBufferPointer<UInt8>, count: Int,
            documents: Int
        ) throws(IOFailure) {
            output.string(group)
            output.string(key)
            output.varint(count)
            output.varint(documents)
            try output.entryDone()
        }

        /// Writes what is buffered and closes the file.
        func finish() throws(IOFailure) { try output.finish() }
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
