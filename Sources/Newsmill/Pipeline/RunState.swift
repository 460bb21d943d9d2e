import CZlib

/// What earlier runs of an incremental pipeline processed: every input (path, size,
/// modification time, content hash) and the cumulative aggregate partials. Stored in the
/// output root and replaced atomically, last, so a run killed at any moment leaves the
/// previous state intact.
///
/// The file is one JSON object, `{"format":1,"pipeline":..,"files":{path: [size, modified,
/// hash], ..},"aggregates":{name: partial, ..}}`, with the files in bytewise order of their
/// paths (discovery's order). Nothing of it is whole in memory, neither the aggregates
/// (every term of the corpus) nor the files (one record per input):
/// ``plan(statePath:inputs:into:)`` reads the records beside discovery's sorted stream
/// (a merge-join) and writes the outcome to a scratch file (``PlannedInputs``), which is the
/// run's input list and, at the end, the new state's records (``save(path:fingerprint:inputs:aggregates:)``);
/// ``mergeAggregates(path:into:)`` reads the stored partials into the run's at the end.
enum RunState {
    static let fileName = ".newsmill-state.json"
    /// The format this version writes and reads.
    static let format = 1

    /// What the state keeps of one input.
    struct FileRecord: Sendable, Equatable {
        var size: Int
        var modified: Int
        var hash: String
    }

    /// How the inputs compare with the state.
    struct Plan: Sendable, Equatable {
        /// Whether there was a state file.
        var hadState = false
        /// The pipeline fingerprint the state was written for.
        var fingerprint: String?
        /// The aggregates whose partials the state holds.
        var aggregateNames: [String] = []
        var new = 0
        var changed = 0
        var unchanged = 0
        /// Inputs in the state that discovery no longer finds.
        var deleted = 0
        /// The on-disk bytes of the new inputs, and of all of them.
        var newBytes = 0
        var bytes = 0
        /// Whether the state's records and discovery's paths both came in strictly
        /// increasing bytewise order, so that the join matched every input with its record.
        /// A state written by an older version may hold paths in another order (Swift's
        /// `String` order differs from the bytes' for paths not in Unicode NFC); the run
        /// then processes every input, which is always correct.
        var ordered = true

        /// The inputs now found.
        var inputs: Int { new + changed + unchanged }
    }

    /// Joins the state's records (if `statePath` exists) with the inputs, both in bytewise
    /// order of paths, and writes every input with its new record and status to `output`
    /// (new inputs and those whose size or time changed are hashed). Nothing is kept in
    /// memory; a state it cannot read throws, naming the file and what to do.
    static func plan(statePath: String, inputs: inout InputFileStream, into output: PlannedInputs.Writer)
        throws(IOFailure) -> Plan
    {
        var plan = Plan()
        do throws(IOFailure) {
            let state: Reader? = try FileSystem.status(statePath) == nil ? nil : Reader(path: statePath)
            plan.hadState = state != nil
            var head = try state?.next()
            var lastInput: String?
            while let file = inputs.next() {
                if let lastInput, !InputDiscovery.pathLess(lastInput, file.path) { plan.ordered = false }
                lastInput = file.path
                // Records before this path: inputs that are gone.
                while let gone = head, InputDiscovery.pathLess(gone.path, file.path) {
                    plan.deleted += 1
                    head = try advance(state, after: gone.path, plan: &plan)
                }
                plan.bytes += file.size
                guard let match = head, match.path.utf8.elementsEqual(file.path.utf8) else {
                    plan.new += 1
                    plan.newBytes += file.size
                    let hash = contentHash(file.path) ?? ""
                    try output.append(
                        file, record: FileRecord(size: file.size, modified: file.modified, hash: hash),
                        status: .new)
                    continue
                }
                head = try advance(state, after: match.path, plan: &plan)
                let previous = match.record
                if previous.size == file.size && previous.modified == file.modified {
                    plan.unchanged += 1
                    try output.append(file, record: previous, status: .unchanged)
                    continue
                }
                let record = FileRecord(size: file.size, modified: file.modified, hash: contentHash(file.path) ?? "")
                let same = record.hash == previous.hash && previous.size == file.size
                if same { plan.unchanged += 1 } else { plan.changed += 1 }  // same content: touched, not changed
                try output.append(file, record: record, status: same ? .unchanged : .changed)
            }
            while let gone = head {
                plan.deleted += 1
                head = try advance(state, after: gone.path, plan: &plan)
            }
            if let state {
                plan.fingerprint = state.fingerprint
                plan.aggregateNames = state.aggregateNames ?? []
            }
        } catch  where error.path == statePath && !error.detail.contains("delete") {
            let advice = " (a damaged state: delete it to process every input again)"
            throw IOFailure(path: statePath, detail: error.detail + advice)
        }
        return plan
    }

    /// The record after `path`, noting in `plan` when the records are out of order.
    private static func advance(_ state: Reader?, after path: String, plan: inout Plan)
        throws(IOFailure) -> Reader.Entry?
    {
        guard let next = try state?.next() else { return nil }
        if !InputDiscovery.pathLess(path, next.path) { plan.ordered = false }
        return next
    }

    /// Reads a state file as a stream: the members around `files`, and the records one at a
    /// time (the aggregates are skipped; only their names are kept).
    final class Reader {
        /// A record and the path it is for.
        typealias Entry = (path: String, record: FileRecord)

        let path: String
        private let reader: JSONStreamReader
        /// Known once ``next()`` has returned nil.
        private(set) var fingerprint: String?
        private(set) var aggregateNames: [String]?
        private var formatSeen = false
        private var filesSeen = false
        private var inFiles = false

        /// Opens the state and reads up to its first record.
        init(path: String) throws(IOFailure) {
            self.path = path
            reader = try JSONStreamReader(path: path)
            try reader.beginObject()
            try readMembers()
        }

        /// The next record in the file's order, or nil after the last (the whole file is
        /// then read and checked).
        func next() throws(IOFailure) -> Entry? {
            guard inFiles else { return nil }
            guard let file = try reader.nextKey() else {
                inFiles = false
                try readMembers()
                return nil
            }
            try reader.beginArray()
            guard try reader.nextElement() else { throw malformedEntry(file) }
            let size = try reader.readInt()
            guard try reader.nextElement() else { throw malformedEntry(file) }
            let modified = try reader.readInt()
            guard try reader.nextElement() else { throw malformedEntry(file) }
            let hash = try reader.readString()
            guard try !reader.nextElement() else { throw malformedEntry(file) }
            return (file, FileRecord(size: size, modified: modified, hash: hash))
        }

        /// Reads top-level members up to the `files` object (left open) or the end.
        private func readMembers() throws(IOFailure) {
            while let key = try reader.nextKey() {
                switch key {
                case "format":
                    // First in the file: a format this version does not read stops here.
                    let value = try reader.readValue()
                    if value != .int(RunState.format) {
                        throw IOFailure(
                            path: path,
                            detail: "state format \(value.jsonText) is not one this newsmill reads "
                                + "(\(RunState.format)): it was written by another version; run that version, "
                                + "or delete the file to process every input again")
                    }
                    formatSeen = true
                case "pipeline":
                    fingerprint = try reader.readValue().stringValue
                case "files" where !filesSeen:
                    try reader.beginObject()
                    filesSeen = true
                    inFiles = true
                    return
                case "aggregates":
                    var found: [String] = []
                    try reader.beginObject()
                    while let name = try reader.nextKey() {
                        found.append(name)
                        try reader.skipValue()
                    }
                    aggregateNames = found
                default:
                    try reader.skipValue()
                }
            }
            try reader.expectEnd()
            guard formatSeen, fingerprint != nil, filesSeen, aggregateNames != nil else {
                throw IOFailure(path: path, detail: "not a newsmill state file (delete it to start afresh)")
            }
        }

        private func malformedEntry(_ file: String) -> IOFailure {
            IOFailure(path: path, detail: "malformed entry for \(file) (delete the file to start afresh)")
        }
    }

    /// Adds the partials stored in the state at `path` to the aggregates of the same names
    /// (read one at a time, term by term; names the pipeline does not have are skipped).
    static func mergeAggregates(path: String, into aggregates: inout [AggregateSlot]) throws {
        let reader = try JSONStreamReader(path: path)
        try reader.beginObject()
        while let key = try reader.nextKey() {
            guard key == "aggregates" else {
                try reader.skipValue()
                continue
            }
            try reader.beginObject()
            while let name = try reader.nextKey() {
                guard let k = aggregates.firstIndex(where: { $0.name == name }) else {
                    try reader.skipValue()
                    continue
                }
                try aggregates[k].partial.mergePartial(from: reader)
            }
        }
        try reader.expectEnd()
    }

    /// Writes the state atomically (to a temporary file renamed into place): the records
    /// of every entry of `inputs` (in its order) and the partials of `aggregates`, both
    /// streamed.
    static func save(
        path: String, fingerprint: String, inputs: PlannedInputs.Reader,
        aggregates: [AggregateSlot]
    ) throws {
        let file = try OutputFile(finalPath: path)
        var output = JSONFileWriter(file: file)
        output.writer.raw("{\"format\":")
        output.writer.int(Self.format)
        output.writer.raw(",\"pipeline\":")
        output.writer.string(fingerprint)
        output.writer.raw(",\"files\":{")
        var first = true
        while try inputs.next() {
            if !first { output.writer.raw(UInt8(ascii: ",")) }
            first = false
            let r = inputs.record
            output.writer.string(inputs.file.path)
            output.writer.raw(":[")
            output.writer.int(r.size)
            output.writer.raw(UInt8(ascii: ","))
            output.writer.int(r.modified)
            output.writer.raw(UInt8(ascii: ","))
            output.writer.string(r.hash)
            output.writer.raw(UInt8(ascii: "]"))
            try output.flushIfFull()
        }
        output.writer.raw("},\"aggregates\":{")
        for (k, slot) in aggregates.enumerated() {
            if k > 0 { output.writer.raw(UInt8(ascii: ",")) }
            output.writer.string(slot.name)
            output.writer.raw(UInt8(ascii: ":"))
            try slot.partial.writePartial(into: &output)
            try output.flushIfFull()
        }
        output.writer.raw("}}\n")
        try output.flush()
        try file.commit()
    }

    /// The CRC-32 of a file's bytes, as hex.
    static func contentHash(_ path: String) -> String? {
        guard let reader = try? ChunkReader(path: path, gzip: false) else { return nil }
        var crc: uLong = crc32(0, nil, 0)
        do {
            while try reader.next({ chunk in
                crc = crc32(crc, chunk.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(chunk.count))
            }) {}
        } catch {
            return nil
        }
        return String(crc, radix: 16)
    }
}
