import CZlib

/// What earlier runs of an incremental pipeline processed: every input (path, size,
/// modification time, content hash) and the cumulative aggregate partials. Stored in the
/// output root and replaced atomically, last, so a run killed at any moment leaves the
/// previous state intact.
///
/// The file is one JSON object, `{"format":1,"pipeline":..,"files":{path: [size, modified,
/// hash], ..},"aggregates":{name: partial, ..}}`. It is written and read as a stream: the
/// aggregates (every term of the corpus) are never whole in memory. ``load(path:)`` reads
/// the inputs and skips the aggregates; ``mergeAggregates(path:into:)`` reads them into
/// the run's partials at the end of the run.
struct RunState: Sendable, Equatable {
    static let fileName = ".newsmill-state.json"
    /// The format this version writes and reads.
    static let format = 1

    struct FileRecord: Sendable, Equatable {
        var size: Int
        var modified: Int
        var hash: String
    }

    var pipelineFingerprint: String
    var files: [String: FileRecord]
    /// The names of the aggregates whose partials the file holds.
    var aggregateNames: [String] = []

    static func empty(fingerprint: String) -> RunState {
        RunState(pipelineFingerprint: fingerprint, files: [:])
    }

    /// Loads the state (its aggregates are skipped, not kept), or nil when there is none.
    static func load(path: String) throws -> RunState? {
        guard FileSystem.status(path) != nil else { return nil }
        do {
            return try read(path: path)
        } catch let failure as IOFailure where failure.path == path && !failure.detail.contains("delete") {
            throw IOFailure(path: path, detail: failure.detail + " (a damaged state: delete it to process every input again)")
        }
    }

    private static func read(path: String) throws -> RunState {
        let reader = try JSONStreamReader(path: path)
        let notState = IOFailure(path: path, detail: "not a newsmill state file (delete it to start afresh)")
        var format: JSONValue?
        var fingerprint: String?
        var records: [String: FileRecord]?
        var names: [String]?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "format":
                // First in the file: a format this version does not read stops here.
                let value = try reader.readValue()
                if value != .int(Self.format) {
                    throw IOFailure(path: path, detail: "state format \(value.jsonText) is not one this newsmill "
                        + "reads (\(Self.format)): it was written by another version; run that version, or "
                        + "delete the file to process every input again")
                }
                format = value
            case "pipeline":
                fingerprint = try reader.readValue().stringValue
            case "files":
                var files: [String: FileRecord] = [:]
                try reader.beginObject()
                while let file = try reader.nextKey() {
                    try reader.beginArray()
                    guard try reader.nextElement() else { throw malformedEntry(path, file) }
                    let size = try reader.readInt()
                    guard try reader.nextElement() else { throw malformedEntry(path, file) }
                    let modified = try reader.readInt()
                    guard try reader.nextElement() else { throw malformedEntry(path, file) }
                    let hash = try reader.readString()
                    guard try !reader.nextElement() else { throw malformedEntry(path, file) }
                    files[file] = FileRecord(size: size, modified: modified, hash: hash)
                }
                records = files
            case "aggregates":
                var found: [String] = []
                try reader.beginObject()
                while let name = try reader.nextKey() {
                    found.append(name)
                    try reader.skipValue()
                }
                names = found
            default:
                try reader.skipValue()
            }
        }
        try reader.expectEnd()
        guard format != nil, let fingerprint, let records, let names else { throw notState }
        return RunState(pipelineFingerprint: fingerprint, files: records, aggregateNames: names)
    }

    private static func malformedEntry(_ path: String, _ file: String) -> IOFailure {
        IOFailure(path: path, detail: "malformed entry for \(file) (delete the file to start afresh)")
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

    /// Writes the state with the partials of `aggregates` atomically (to a temporary file
    /// renamed into place), streaming each partial.
    func save(path: String, aggregates: [AggregateSlot]) throws {
        let file = try OutputFile(finalPath: path)
        var output = JSONFileWriter(file: file)
        output.writer.raw("{\"format\":")
        output.writer.int(Self.format)
        output.writer.raw(",\"pipeline\":")
        output.writer.string(pipelineFingerprint)
        output.writer.raw(",\"files\":{")
        for (k, key) in files.keys.sorted().enumerated() {
            guard let r = files[key] else { continue }
            if k > 0 { output.writer.raw(UInt8(ascii: ",")) }
            output.writer.string(key)
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

    /// How the inputs compare with the state.
    struct Plan {
        var new: [InputFile] = []
        var changed: [InputFile] = []
        var unchanged: [InputFile] = []
        var deleted: [String] = []
        var records: [String: FileRecord] = [:]  // the records of all current inputs
    }

    func plan(_ inputs: [InputFile]) -> Plan {
        var plan = Plan()
        var present = Set<String>()
        for file in inputs {
            present.insert(file.path)
            guard let previous = files[file.path] else {
                plan.new.append(file)
                plan.records[file.path] = FileRecord(size: file.size, modified: file.modified,
                                                     hash: Self.contentHash(file.path) ?? "")
                continue
            }
            if previous.size == file.size && previous.modified == file.modified {
                plan.unchanged.append(file)
                plan.records[file.path] = previous
                continue
            }
            let hash = Self.contentHash(file.path) ?? ""
            let record = FileRecord(size: file.size, modified: file.modified, hash: hash)
            plan.records[file.path] = record
            if hash == previous.hash && previous.size == file.size {
                plan.unchanged.append(file)  // touched, not changed
            } else {
                plan.changed.append(file)
            }
        }
        plan.deleted = files.keys.filter { !present.contains($0) }.sorted()
        return plan
    }
}
