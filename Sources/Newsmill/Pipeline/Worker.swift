import Logging

#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One worker of the pool: turns raw records into documents, runs the stages, adds kept
/// documents to its own aggregate partials, and encodes the batch's output. Owned by one
/// thread; its buffers are reused from batch to batch.
struct Worker {
    let config: PipelineConfig
    let context: StageContext
    private var stats = WorkerStats()
    private var aggregates: [AggregateSlot]
    private var writer = JSONWriter(capacity: 1 << 20)
    private var errors = JSONWriter(capacity: 4096)
    private let encoder: DocumentEncoder
    private let compressor: GzipCompressor?
    /// The batch's gzip member so far (compressed output, when the output is compressed).
    private let compressed = CompressedBatch()
    /// Compresses what the writer holds once it reaches ``flushBytes`` (made once, not per document).
    private let flush: DocumentEncoder.Flush?
    private let stages: [any Stage]
    /// The `dedup` stage, where it is in the pipeline, and the gate batches pass in order.
    private let dedup: (stage: DedupStage, index: Int, gate: DedupGate)?
    /// Documents of the batch that have run the stages before `dedup`, with their keys.
    private var held: [(document: Document, keys: [UInt64])] = []

    /// JSON bytes a worker holds before compressing them (with gzip output): a batch, or
    /// one huge document, never holds all its JSON.
    static let flushBytes = 4 << 20
    /// A writer that grew past this for a huge document is given back after its batch.
    static let keptWriterCapacity = 16 << 20

    init(config: PipelineConfig, logger: Logger, dedupGate: DedupGate? = nil) {
        self.config = config
        context = StageContext(logger: logger)
        aggregates = config.aggregates
        stages = config.stages
        if let index = config.stages.firstIndex(where: { $0 is DedupStage }),
            let stage = config.stages[index] as? DedupStage
        {
            dedup = (stage, index, dedupGate ?? DedupGate())
        } else {
            dedup = nil
        }
        encoder = DocumentEncoder(
            fields: config.output.fields, tokenFields: config.output.tokenFields,
            spaceTokens: config.output.spaceTokens, compactTokens: config.output.compactTokens)
        compressor =
            config.output.compression == .gzip
            ? GzipCompressor(level: config.output.level, strategy: config.output.strategy) : nil
        flush = compressor.map { [compressed] compressor in
            { w in
                guard w.bytes.count >= Worker.flushBytes else { return }
                w.bytes.withUnsafeBufferPointer { compressor.append($0, into: &compressed.bytes) }
                w.reset()
            }
        }
        stats.stageNanoseconds = Array(repeating: 0, count: config.stages.count)
    }

    mutating func process(_ batch: Batch, progress: (Int) -> Void) -> BatchOutput {
        writer.reset()
        errors.reset()
        compressor?.begin()
        compressed.bytes = []
        var documents = 0
        for item in batch.items {
            switch item {
            case .record(let record):
                handle(record, documents: &documents)
            case .file(let file):
                RecordReader.read(file, emit: { handle($0, documents: &documents) }, progress: progress)
            }
        }
        if let dedup {
            // The batch's turn at the gate (every batch passes, even one with nothing held),
            // then the stages after `dedup` for the first copies.
            let t0 = Self.now()
            let duplicate = dedup.gate.pass(seq: batch.seq, keys: held.map(\.keys))
            stats.stageNanoseconds[dedup.index] &+= Self.now() &- t0
            let documents = held
            held.removeAll(keepingCapacity: true)
            for (k, item) in documents.enumerated() {
                if duplicate[k] {
                    stats.dropped["dedup: duplicate", default: 0] += 1
                } else {
                    run(item.document, from: dedup.index + 1)
                }
            }
        }
        var out: [UInt8]
        if let compressor, !writer.bytes.isEmpty || !compressed.bytes.isEmpty {
            writer.bytes.withUnsafeBufferPointer { compressor.append($0, into: &compressed.bytes) }
            compressor.finish(into: &compressed.bytes)
            out = compressed.bytes
            compressed.bytes = []
        } else {
            out = writer.bytes
        }
        if writer.bytes.capacity > Self.keptWriterCapacity { writer = JSONWriter(capacity: 1 << 20) }
        return BatchOutput(seq: batch.seq, documentBytes: out, errorBytes: errors.bytes, documents: documents)
    }

    private mutating func handle(_ record: RawRecord, documents: inout Int) {
        switch record {
        case .failure(let location, let reason):
            stats.fileFailures += 1
            Runner.writeError(
                path: location.path, line: location.line, id: nil, stage: nil, reason: reason,
                into: &errors)
        case .skipped(let counter):
            context.count(counter)
        case .jsonl(let bytes, let location):
            documents += 1
            admit(makeJSONLDocument(bytes, location: location), at: location, textBytes: nil)
        case .row(let bytes, let header, let location):
            documents += 1
            admit(makeRowDocument(bytes, header: header, location: location), at: location, textBytes: nil)
        case .page(let bytes, let id, let metadata, let charset, let location):
            documents += 1
            let page = makePageDocument(bytes, id: id, metadata: metadata, charset: charset, location: location)
            admit(.success(page), at: location, textBytes: bytes.count)
        case .text(let bytes, let location):
            documents += 1
            admit(makeTextDocument(bytes, location: location), at: location, textBytes: bytes.count)
        }
    }

    /// Counts an input document and runs it, or writes why it could not be made. Its text
    /// bytes are `textBytes` (the article as read), else its text field's (not the framing).
    private mutating func admit(_ made: Made, at location: SourceLocation, textBytes: Int?) {
        stats.documents += 1
        if let textBytes { stats.textBytes += textBytes }
        switch made {
        case .success(let document):
            if textBytes == nil { stats.textBytes += document.text.utf8.count }
            run(document)
        case .failure(let reason):
            stats.failed += 1
            Runner.writeError(
                path: location.path, line: location.line, id: nil, stage: nil, reason: reason, into: &errors)
        }
    }

    /// Runs the stages from `first` on, then counts, aggregates and encodes the document.
    /// With a `dedup` stage, a document reaching it is held for the batch's turn at the gate.
    private mutating func run(_ original: Document, from first: Int = 0) {
        var document = original
        for k in first..<stages.count {
            let stage = stages[k]
            if let dedup, k == dedup.index {
                let t0 = Self.now()
                let keys = dedup.stage.keys(of: document)
                stats.stageNanoseconds[k] &+= Self.now() &- t0
                held.append((document, keys))
                return
            }
            let t0 = Self.now()
            let verdict: Verdict
            do {
                verdict = try stage.process(&document, in: context)
            } catch {
                stats.stageNanoseconds[k] &+= Self.now() &- t0
                stats.failed += 1
                Runner.writeError(
                    path: document.source.path, line: document.source.line, id: document.id,
                    stage: config.stageNames[k], reason: "\(error)", into: &errors)
                return
            }
            stats.stageNanoseconds[k] &+= Self.now() &- t0
            if case .drop(let reason) = verdict {
                stats.dropped["\(config.stageNames[k]): \(reason)", default: 0] += 1
                return
            }
        }
        stats.kept += 1
        stats.sentences += document.sentences.count
        stats.tokens += document.tokens.count
        stats.entities += document.entities.count
        stats.words += Self.countWords(document.text)
        for k in aggregates.indices { aggregates[k].add(document) }
        encoder.encode(document, into: &writer, flush: flush)
        flush?(&writer)
    }

    /// A batch's compressed bytes, shared with the encoder's ``DocumentEncoder/Flush``.
    final class CompressedBatch {
        var bytes: [UInt8] = []
    }

    mutating func finish() -> WorkerResult {
        for (name, n) in context.takeCounters() { stats.counters[name, default: 0] += n }
        return WorkerResult(stats: stats, aggregates: aggregates)
    }

    private enum Made {
        case success(Document)
        case failure(String)
    }

    private func makeJSONLDocument(_ bytes: [UInt8], location: SourceLocation) -> Made {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            return .failure("malformed JSON: \(error.description)")
        }
        guard case .object(let members) = value else { return .failure("expected a JSON object on the line") }
        let textField = config.input.textField
        let idField = config.input.idField
        var text: String?
        var id: String?
        var metadata: [JSONMember] = []
        metadata.reserveCapacity(members.count)
        // A line in newsmill's own output shape (a run's documents read again): the members
        // of its `meta` are the metadata, and its annotation fields annotate the text.
        var recordedMeta: [JSONMember]?
        var annotations: [JSONMember] = []
        for member in members {
            if member.key == "meta", recordedMeta == nil, case .object(let inner) = member.value {
                recordedMeta = inner
            } else if DocumentDecoder.annotationFields.contains(member.key)
                && DocumentDecoder.hasAnnotationShape(member.key, member.value)
            {
                annotations.append(member)
            } else if member.key == textField {
                guard case .string(let s) = member.value else {
                    return .failure("field '\(textField)' is not a string")
                }
                text = s
            } else if member.key == idField {
                switch member.value {
                case .string(let s): id = s
                case .number(let n): id = n
                case .null: break
                default: return .failure("field '\(idField)' is not a string or number")
                }
            } else {
                metadata.append(member)
            }
        }
        guard let text else { return .failure("missing text field '\(textField)'") }
        if let recordedMeta {
            // The recorded metadata first; the line's other fields unless it has them
            // (a `source` read again stays the first one: where the document came from).
            let keys = Set(recordedMeta.map(\.key))
            metadata = recordedMeta + metadata.filter { !keys.contains($0.key) }
        }
        var document = Document(id: id ?? location.description, source: location, text: text, metadata: metadata)
        if !annotations.isEmpty {
            do {
                // Entities of another label set (a CoNLL model's PER, MISC) are counted, not
                // fatal: a pipeline that runs `ner` again never needed them.
                let skipped = try DocumentDecoder.readAnnotations(
                    .object(annotations), into: &document, skipUnknownLabels: true)
                if skipped > 0 { context.count("input.entities_unknown_label", skipped) }
            } catch {
                // Declared annotated inputs must be right; otherwise the stages make their own.
                if config.input.annotated { return .failure(error.reason) }
                document.clearAnnotations()
                context.count("input.annotations_not_read")
                return .success(document)
            }
            context.count("input.annotated_documents")
        }
        return .success(document)
    }

    /// A web page's body, decoded by its declared charset (``TextDecoding/decode(bytes:charset:)``):
    /// a charset other than UTF-8 and Latin-1 is named in `meta.charset`, one Foundation
    /// cannot decode here is counted (`input.charset_not_decoded`). The `normalize` stage
    /// turns the HTML into text.
    private func makePageDocument(
        _ bytes: [UInt8], id: String, metadata: [JSONMember], charset: String?, location: SourceLocation
    ) -> Document {
        var metadata = metadata
        let (text, outcome) = TextDecoding.decode(bytes: bytes, charset: charset)
        switch outcome {
        case .utf8(let wasWindows1252):
            if wasWindows1252 {
                metadata.append(JSONMember("encoding", .string("windows-1252")))
                context.count("input.decoded_windows_1252")
            }
        case .windows1252: break
        case .declared, .notDecoded:
            if let charset { metadata.append(JSONMember("charset", .string(charset))) }
            if outcome == .notDecoded { context.count("input.charset_not_decoded") }
        }
        return Document(id: id, source: location, text: text, metadata: metadata)
    }

    /// A CSV or TSV row: the text column is the text, the id column the id, every other
    /// non-empty cell a metadata string named by its column. A row that is not UTF-8 is
    /// read by the `invalid_utf8` policy, as `.txt` articles are.
    private func makeRowDocument(_ bytes: [UInt8], header: TableHeader, location: SourceLocation) -> Made {
        var bytes = bytes
        var windows1252 = false
        if String(validating: bytes, as: UTF8.self) == nil {
            switch config.input.invalidUTF8 {
            case .error: return .failure("invalid UTF-8 in the row")
            case .windows1252:
                bytes = Array(TextDecoding.decode(bytes: bytes).0.utf8)
                windows1252 = true
                context.count("input.decoded_windows_1252")
            }
        }
        guard let fields = bytes.withUnsafeBufferPointer({ TableHeader.fields($0, separator: header.separator) })
        else {
            return .failure(
                "malformed row: a quoted field is followed by more than a separator (write \"\" for a quote)")
        }
        let columns = header.columns
        guard fields.count == columns.count else {
            return .failure("the row has \(fields.count) fields, the header \(columns.count)")
        }
        let textField = config.input.textField
        let idField = config.input.idField
        var text: String?
        var id: String?
        var metadata: [JSONMember] = []
        for (name, field) in zip(columns, fields) {
            if name == textField {
                text = String(decoding: field, as: UTF8.self)
            } else if name == idField {
                if !field.isEmpty { id = String(decoding: field, as: UTF8.self) }
            } else if !field.isEmpty {
                metadata.append(JSONMember(name, .string(String(decoding: field, as: UTF8.self))))
            }
        }
        guard let text else {
            let shown = columns.prefix(12).joined(separator: ", ") + (columns.count > 12 ? ", ..." : "")
            return .failure(
                "no column '\(textField)' in the header (\(shown)): set the text column with input: {text_field: NAME}")
        }
        if windows1252 { metadata.append(JSONMember("encoding", .string("windows-1252"))) }
        return .success(Document(id: id ?? location.description, source: location, text: text, metadata: metadata))
    }

    private func makeTextDocument(_ bytes: [UInt8], location: SourceLocation) -> Made {
        var metadata: [JSONMember] = []
        var content: String
        var bytes = bytes
        // A UTF-8 byte order mark (Windows tools write one) is not text.
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { bytes.removeFirst(3) }
        if let (order, bomLength) = TextDecoding.wideEncoding(of: bytes) {
            content = TextDecoding.decodeWide(bytes, order: order, bomLength: bomLength)
            metadata.append(JSONMember("encoding", .string(order.name)))
            context.count("input.decoded_utf16_or_utf32")
        } else if let valid = String(validating: bytes, as: UTF8.self) {
            content = valid
        } else {
            switch config.input.invalidUTF8 {
            case .error:
                var line = 1
                var k = 0
                // Name the first line with an invalid sequence.
                var start = 0
                while k < bytes.count {
                    if bytes[k] == 0x0A {
                        if String(validating: bytes[start..<k], as: UTF8.self) == nil { break }
                        line += 1
                        start = k + 1
                    }
                    k += 1
                }
                return .failure("invalid UTF-8 at line \(line)")
            case .windows1252:
                // Valid UTF-8 runs stay UTF-8; the stray bytes are read as Windows-1252.
                content = TextDecoding.decode(bytes: bytes).0
                metadata.append(JSONMember("encoding", .string("windows-1252")))
                context.count("input.decoded_windows_1252")
            }
        }
        if config.input.titleLine {
            let utf8 = content.utf8
            let end = utf8.firstIndex(of: 0x0A) ?? utf8.endIndex
            let title = String(content[..<end]).trimmingSpaces()
            if !title.isEmpty { metadata.insert(JSONMember("title", .string(title)), at: 0) }
            content = end == utf8.endIndex ? "" : String(content[utf8.index(after: end)...])
        }
        return .success(Document(id: Self.textID(location.path), source: location, text: content, metadata: metadata))
    }

    /// A `.txt` article's id: its path without the `.txt`/`.txt.gz` extension.
    static func textID(_ path: String) -> String {
        var id = Substring(path)
        if id.hasSuffix(".gz") { id = id.dropLast(3) }
        if id.hasSuffix(".txt") { id = id.dropLast(4) }
        return String(id)
    }

    /// Whitespace-separated words (for the report's words/s), on the UTF-8 bytes.
    static func countWords(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { utf8 in
            var count = 0
            var previousSpace = true
            for b in utf8 {
                let space = b <= 0x20 && (b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D)
                count &+= (previousSpace && !space) ? 1 : 0
                previousSpace = space
            }
            return count
        }
    }

    @inline(__always)
    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}

extension String {
    /// The string without leading and trailing ASCII spaces, tabs and carriage returns.
    func trimmingSpaces() -> String {
        let utf8 = self.utf8
        guard let first = utf8.firstIndex(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }),
            let last = utf8.lastIndex(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D })
        else { return "" }
        return String(self[first...last])
    }
}
