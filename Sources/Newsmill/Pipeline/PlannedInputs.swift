#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The inputs of an incremental run as its plan left them, in a scratch file: one entry per
/// current input, in discovery's order (bytewise by path), with the record the next state
/// keeps for it and whether it is new, changed or unchanged. Written once by
/// ``RunState/plan(statePath:inputs:into:)``, then read twice: as the run's inputs
/// (``Reader/nextFile()``) and as the new state's records (``RunState/save(path:fingerprint:inputs:aggregates:)``),
/// so that an incremental run holds no list of its inputs.
///
/// Each entry: a flags byte (bits 0-1 the status, bits 2-4 the format (``formatCode(_:)``), bit 5 gzip, bit 6
/// another compression, whose ``InputCompression`` raw value is the next byte), then LEB128
/// numbers (the key's start in the path, the size, the modification time as a bit pattern)
/// and two byte strings (LEB128 length and bytes: the path, the content hash). A temporary
/// file of one process; the format is not an interface.
enum PlannedInputs {
    /// What the plan found for an input.
    enum Status: UInt8, Sendable {
        /// Not in the state: processed by every run.
        case new = 0
        /// In the state with other content.
        case changed = 1
        /// In the state with the same content (or only touched).
        case unchanged = 2
    }

    static let formats: [InputFormat] = [.txt, .jsonl, .csv, .tsv, .warc, .parquet]

    static func formatCode(_ format: InputFormat) -> UInt8 {
        UInt8(formats.firstIndex(of: format) ?? 0)
    }

    static func format(code: UInt8) -> InputFormat? {
        Int(code) < formats.count ? formats[Int(code)] : nil
    }

    /// Writes entries, in order, to a new file.
    final class Writer {
        let path: String
        private let output: BinaryFileWriter

        init(path: String) throws(IOFailure) {
            self.path = path
            output = try BinaryFileWriter(path: path)
        }

        /// Appends an input with its record and status.
        func append(_ file: InputFile, record: RunState.FileRecord, status: Status) throws(IOFailure) {
            var flags = status.rawValue
            flags |= PlannedInputs.formatCode(file.format) << 2
            if file.gzip { flags |= 32 }
            let other = file.compression != .none && !file.gzip
            if other { flags |= 64 }
            output.byte(flags)
            if other { output.byte(file.compression.rawValue) }
            output.varint(Int(file.keyStart))
            output.varint(record.size)
            output.varint(record.modified)
            output.string(file.path.utf8)
            output.string(record.hash.utf8)
            try output.entryDone()
        }

        /// Writes what is buffered and closes the file.
        func finish() throws(IOFailure) { try output.finish() }
    }

    /// Reads the entries in order; after ``next()`` returns true, the entry is in `file`
    /// (as discovery found it, with the record's size and time), `record` and `status`.
    ///
    /// Used by one thread at a time (the run's reader thread takes it as its source; the
    /// run looks at ``failure`` only after that thread has finished).
    final class Reader: @unchecked Sendable {
        let path: String
        private let input: BinaryFileReader
        private var bytes: [UInt8] = []
        private(set) var file = InputFile(path: "", format: .txt, gzip: false, size: 0, modified: 0, key: "")
        private(set) var record = RunState.FileRecord(size: 0, modified: 0, hash: "")
        private(set) var status = Status.new
        /// Entries of these statuses only, for ``nextFile()``.
        let only: Set<Status>?
        /// The error that ended ``nextFile()`` early, if one did.
        private(set) var failure: IOFailure?

        /// Opens `path`; ``nextFile()`` yields only the entries whose status is in `only`
        /// (nil: all of them).
        init(path: String, only: Set<Status>? = nil) throws(IOFailure) {
            self.path = path
            self.only = only
            input = try BinaryFileReader(path: path, kind: "planned-inputs file")
        }

        /// The next input to process (of the statuses asked for), or nil at the end or on an
        /// error (then in ``failure``, and every later call returns nil).
        func nextFile() -> InputFile? {
            guard failure == nil else { return nil }
            do {
                while try next() {
                    if only?.contains(status) ?? true { return file }
                }
            } catch {
                failure = error
            }
            return nil
        }

        /// Reads the next entry; false at the end of the file.
        func next() throws(IOFailure) -> Bool {
            guard try input.hasMore() else { return false }
            let flags = try input.byte()
            guard let status = Status(rawValue: flags & 3) else { throw input.corrupt() }
            var compression: InputCompression = flags & 32 != 0 ? .gzip : .none
            if flags & 64 != 0 {
                guard let other = InputCompression(rawValue: try input.byte()) else { throw input.corrupt() }
                compression = other
            }
            let keyStart = try input.varint()
            let size = try input.varint()
            let modified = try input.varint()
            try string(into: &bytes)
            let path = String(decoding: bytes, as: UTF8.self)
            try string(into: &bytes)
            let hash = String(decoding: bytes, as: UTF8.self)
            guard keyStart >= 0, keyStart <= path.utf8.count else { throw input.corrupt() }
            guard let format = PlannedInputs.format(code: (flags >> 2) & 7) else { throw input.corrupt() }
            file = InputFile(
                path: path, format: format, compression: compression, size: size, modified: modified, key: "")
            file.keyStart = Int32(keyStart)
            record = RunState.FileRecord(size: size, modified: modified, hash: hash)
            self.status = status
            return true
        }

        private func string(into target: inout [UInt8]) throws(IOFailure) {
            let n = try input.varint()
            guard n <= 1 << 24 else { throw input.corrupt() }
            try input.bytes(n, into: &target)
        }
    }
}
