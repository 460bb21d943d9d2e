import CZlib

/// What earlier runs of an incremental pipeline processed: every input (path, size,
/// modification time, content hash) and the cumulative aggregate partials. Stored in the
/// output root and replaced atomically, last, so a run killed at any moment leaves the
/// previous state intact.
struct RunState: Sendable, Equatable {
    static let fileName = ".newsmill-state.json"

    struct FileRecord: Sendable, Equatable {
        var size: Int
        var modified: Int
        var hash: String
    }

    var pipelineFingerprint: String
    var files: [String: FileRecord]
    var aggregates: [JSONMember]

    static func empty(fingerprint: String) -> RunState {
        RunState(pipelineFingerprint: fingerprint, files: [:], aggregates: [])
    }

    /// Loads the state, or nil when there is none.
    static func load(path: String) throws -> RunState? {
        guard FileSystem.status(path) != nil else { return nil }
        let value = try JSONParser.parse(try FileSystem.readFile(path))
        guard value["format"] == .int(1), let fingerprint = value["pipeline"]?.stringValue,
              let files = value["files"]?.objectValue, let aggregates = value["aggregates"]?.objectValue
        else { throw IOFailure(path: path, detail: "not a newsmill state file (delete it to start afresh)") }
        var records: [String: FileRecord] = [:]
        for member in files {
            guard let parts = member.value.arrayValue, parts.count == 3, let size = parts[0].intValue,
                  let modified = parts[1].intValue, let hash = parts[2].stringValue
            else { throw IOFailure(path: path, detail: "malformed entry for \(member.key)") }
            records[member.key] = FileRecord(size: size, modified: modified, hash: hash)
        }
        return RunState(pipelineFingerprint: fingerprint, files: records, aggregates: aggregates)
    }

    /// Writes the state atomically.
    func save(path: String) throws(IOFailure) {
        let value = JSONValue.object([
            JSONMember("format", .int(1)),
            JSONMember("pipeline", .string(pipelineFingerprint)),
            JSONMember("files", .object(files.keys.sorted().compactMap { key in
                guard let r = files[key] else { return nil }
                return JSONMember(key, .array([.int(r.size), .int(r.modified), .string(r.hash)]))
            })),
            JSONMember("aggregates", .object(aggregates)),
        ])
        var writer = JSONWriter(capacity: 1 << 16)
        writer.value(value)
        writer.raw(UInt8(ascii: "\n"))
        try FileSystem.writeAtomically(path, bytes: writer.bytes)
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
