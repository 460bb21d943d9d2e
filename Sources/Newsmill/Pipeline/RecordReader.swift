/// One unit read from an input file, before it becomes a ``Document``: a JSONL line, a
/// whole `.txt` article, or a failure to report in errors.jsonl.
enum RawRecord: Sendable {
    case jsonl(bytes: [UInt8], location: SourceLocation)
    case text(bytes: [UInt8], location: SourceLocation)
    /// A row of a CSV or TSV file (its physical lines joined by "\n"), with the file's header.
    case row(bytes: [UInt8], header: TableHeader, location: SourceLocation)
    /// The body of a web page from a WARC response record (located at its record number),
    /// with its id, metadata (url, date, content type) and declared charset.
    case page(bytes: [UInt8], id: String, metadata: [JSONMember], charset: String?, location: SourceLocation)
    /// A record that holds no document (a WARC request, an image): counted, not reported.
    case skipped(counter: String)
    case failure(location: SourceLocation, reason: String)

    var byteCount: Int {
        switch self {
        case .jsonl(let b, _), .text(let b, _), .row(let b, _, _), .page(let b, _, _, _, _): b.count
        case .failure, .skipped: 0
        }
    }
}

/// Reads input files into raw records, one file at a time, streaming.
struct RecordReader {
    /// The largest `.txt` article or JSONL line accepted (a guard against a runaway file).
    static let maxRecordBytes = 256 << 20

    /// Reads `file`, calling `emit` for every record in order. Never throws: every problem
    /// becomes a `.failure` record naming the file and line. A JSONL file stops early when
    /// `stop` says so (checked before each line: `--limit`).
    static func read(
        _ file: InputFile, emit: (RawRecord) -> Void, progress: (Int) -> Void, stop: () -> Bool = { false }
    ) {
        if file.format == .parquet {
            readParquet(file, emit: emit, progress: progress, stop: stop)
            return
        }
        if file.isStandardInput {
            // A pipe cannot be read twice: its first bytes tell gzip from plain JSON lines.
            do {
                readJSONL(file, chunks: try ChunkReader.standardInput(), emit: emit, progress: progress, stop: stop)
            } catch {
                emit(.failure(location: SourceLocation(path: file.path, line: 0), reason: error.reason))
            }
            return
        }
        let compression: InputCompression
        switch sniff(file.path) {
        case .failure(let reason):
            emit(.failure(location: SourceLocation(path: file.path, line: 0), reason: reason))
            return
        case .success(let head):
            let isGzip = InputCompression.gzip.matches(head: head)
            if file.compression == .none || file.compression == .gzip {
                if file.gzip && !isGzip && file.size > 0 {
                    emit(
                        .failure(
                            location: SourceLocation(path: file.path, line: 0),
                            reason: "not a gzip file, though its name ends in .gz"))
                    return
                }
                compression = isGzip ? .gzip : .none  // a plain name with gzip bytes is read as gzip: the bytes decide
            } else {
                guard file.compression.matches(head: head) else {
                    let name = file.compression.name
                    emit(
                        .failure(
                            location: SourceLocation(path: file.path, line: 0),
                            reason: head.isEmpty
                                ? "empty file, though its name says \(name) data"
                                : "not a \(name) file, though its name says so"))
                    return
                }
                compression = file.compression
            }
        }
        let chunks: ChunkReader
        do {
            chunks = try ChunkReader(path: file.path, compression: compression)
        } catch {
            emit(.failure(location: SourceLocation(path: file.path, line: 0), reason: error.reason))
            return
        }
        switch file.format {
        case .jsonl: readJSONL(file, chunks: chunks, emit: emit, progress: progress, stop: stop)
        case .txt: readText(file, chunks: chunks, emit: emit, progress: progress)
        case .warc: readWARC(file, chunks: chunks, emit: emit, progress: progress, stop: stop)
        case .parquet: break  // read above
        case .csv, .tsv:
            readTable(
                file, separator: file.format == .csv ? 0x2C : 0x09, chunks: chunks, emit: emit, progress: progress,
                stop: stop)
        }
    }

    /// A WARC file: every `response` record whose HTTP status is 200 and whose content is
    /// HTML or plain text is a document (its id the WARC-Record-ID; its URL, date and media
    /// type metadata); other records are counted in `input.warc_*` counters. A malformed
    /// record ends the file with an error naming its number.
    private static func readWARC(
        _ file: InputFile, chunks: ChunkReader, emit: (RawRecord) -> Void,
        progress: (Int) -> Void, stop: () -> Bool
    ) {
        let warc = WARCReader(chunks, maxBlockBytes: maxRecordBytes)
        var lastReported = 0
        defer { progress(warc.bytesRead - lastReported) }
        var number = 0
        func reportSkipped(line: Int) {
            guard warc.skippedLines > 0 else { return }
            emit(
                .failure(
                    location: SourceLocation(path: file.path, line: line),
                    reason: warc.skippedLines == 1
                        ? "a line before this record is not part of a WARC record (skipped)"
                        : "\(warc.skippedLines) lines before this record are not part of a WARC record (skipped)"))
        }
        while !stop() {
            var oversized = false
            let record: WARCReader.Record
            do {
                guard let next = try warc.next(oversized: &oversized) else { return }
                record = next
            } catch let error as WARCReader.Malformed {
                // The reader finds the next record from here.
                reportSkipped(line: number + 1)
                emit(.failure(location: SourceLocation(path: file.path, line: number + 1), reason: error.reason))
                continue
            } catch let error as InputError {
                emit(.failure(location: SourceLocation(path: file.path, line: number + 1), reason: error.reason))
                return
            } catch {
                emit(.failure(location: SourceLocation(path: file.path, line: number + 1), reason: "\(error)"))
                return
            }
            number = record.number
            reportSkipped(line: record.number)
            if warc.bytesRead != lastReported {
                progress(warc.bytesRead - lastReported)
                lastReported = warc.bytesRead
            }
            let location = SourceLocation(path: file.path, line: record.number)
            // A `response` holds an HTTP response; a `resource` (wget's and browser archivers'
            // saved pages) holds the page itself, its media type in the record's Content-Type.
            let type = record.fields["warc-type"]?.lowercased()
            guard type == "response" || type == "resource" else {
                emit(.skipped(counter: "input.warc_records_not_responses"))
                continue
            }
            if oversized {
                emit(.failure(location: location, reason: "WARC record longer than \(maxRecordBytes >> 20) MiB"))
                continue
            }
            let media: String
            let charset: String?
            let body: [UInt8]
            if type == "resource" {
                let contentType = record.fields["content-type"] ?? ""
                let parsed = HTTPResponse.parseContentType(contentType)
                (media, charset, body) = (parsed.media, parsed.charset, record.block)
            } else {
                guard let http = HTTPResponse(block: record.block) else {
                    emit(.skipped(counter: "input.warc_responses_not_http"))
                    continue
                }
                guard http.status == 200 else {
                    emit(.skipped(counter: "input.warc_responses_not_200"))
                    continue
                }
                switch http.decodedBody(limit: maxRecordBytes) {
                case .success(let bytes): body = bytes
                case .failure(let error):
                    emit(.failure(location: location, reason: error.reason))
                    continue
                }
                (media, charset) = (http.mediaType, http.charset)
            }
            guard media.isEmpty || media == "text/html" || media == "application/xhtml+xml" || media == "text/plain"
            else {
                emit(.skipped(counter: "input.warc_responses_not_text"))
                continue
            }
            var metadata: [JSONMember] = []
            if let url = record.fields["warc-target-uri"] { metadata.append(JSONMember("url", .string(url))) }
            if let date = record.fields["warc-date"] { metadata.append(JSONMember("date", .string(date))) }
            if !media.isEmpty { metadata.append(JSONMember("content_type", .string(media))) }
            // A page whose HTTP head names no charset may name it in a <meta> tag.
            let declared = charset ?? (media == "text/plain" ? nil : HTTPResponse.metaCharset(ofPage: body))
            if media != "text/plain", let title = HTTPResponse.title(ofPage: body) {
                metadata.insert(JSONMember("title", .string(title)), at: 0)
            }
            var id = record.fields["warc-record-id"] ?? ""
            if id.hasPrefix("<") && id.hasSuffix(">") { id = String(id.dropFirst().dropLast()) }
            emit(
                .page(
                    bytes: body, id: id.isEmpty ? location.description : id, metadata: metadata,
                    charset: declared, location: location))
        }
    }

    /// A CSV or TSV file: the first row names the columns; every other row is a document
    /// (located at the line it starts on). A quoted field may span lines: a row is complete
    /// when it does not end inside a quoted field (a quote that opens a field: one in the
    /// middle of a bare field, `5" screen`, is a character, as Python's csv reads it).
    /// Blank lines between rows are skipped.
    private static func readTable(
        _ file: InputFile, separator: UInt8, chunks: ChunkReader, emit: (RawRecord) -> Void,
        progress: (Int) -> Void, stop: () -> Bool
    ) {
        let lines = LineReader(chunks)
        var lastReported = 0
        var header: TableHeader?
        var row: [UInt8] = []
        var inQuotes = false
        var startLine = 0
        var refused = false
        var tooLong = false
        func fail(_ line: Int, _ reason: String) {
            emit(.failure(location: SourceLocation(path: file.path, line: line), reason: reason))
        }
        do {
            while !stop() && !refused,
                try lines.nextLine({ whole in
                    var line = whole[...]
                    if lines.lineNumber == 1 {
                        guard let start = firstLine(line, kind: "CSV and TSV files", file: file, emit: emit) else {
                            refused = true
                            return
                        }
                        line = start
                    }
                    if row.isEmpty && !inQuotes {
                        var blank = true
                        for b in line where b != 0x20 && b != 0x09 {
                            blank = false
                            break
                        }
                        if blank && header != nil { return }
                        startLine = lines.lineNumber
                    } else {
                        row.append(0x0A)
                    }
                    if !tooLong {
                        if row.count + line.count > maxRecordBytes {
                            tooLong = true
                            row = []
                        } else {
                            row.append(contentsOf: line)
                        }
                    }
                    inQuotes = TableHeader.endsInQuotes(
                        UnsafeBufferPointer(rebasing: line), separator: separator, startingInQuotes: inQuotes)
                    guard !inQuotes else { return }
                    defer {
                        row.removeAll(keepingCapacity: true)
                        inQuotes = false
                        tooLong = false
                    }
                    if tooLong {
                        fail(startLine, "row longer than \(maxRecordBytes >> 20) MiB")
                        return
                    }
                    guard let header else {
                        if row.contains(0x0D) {
                            // Excel's "CSV (Macintosh)": the whole file would be one header row.
                            refused = true
                            fail(
                                startLine,
                                "the lines end in CR alone (classic Mac, Excel's \"CSV (Macintosh)\"): "
                                    + "convert them with `tr '\\r' '\\n'`")
                            return
                        }
                        let names = row.withUnsafeBufferPointer { TableHeader.fields($0, separator: separator) }
                        guard let names, !(names.count == 1 && names[0].isEmpty) else {
                            refused = true
                            fail(startLine, "the first row must name the columns (a header such as id,title,text)")
                            return
                        }
                        header = TableHeader(
                            columns: names.map { String(decoding: $0, as: UTF8.self) }, separator: separator)
                        return
                    }
                    emit(.row(bytes: row, header: header, location: SourceLocation(path: file.path, line: startLine)))
                })
            {
                if lines.bytesRead != lastReported {
                    progress(lines.bytesRead - lastReported)
                    lastReported = lines.bytesRead
                }
            }
            if !row.isEmpty || inQuotes {
                fail(startLine, "a quoted field that starts on line \(startLine) is never closed (end of file)")
            }
        } catch let error as InputError {
            fail(lines.lineNumber + 1, error.reason)
        } catch {
            fail(lines.lineNumber + 1, "\(error)")
        }
        progress(lines.bytesRead - lastReported)
    }

    /// The first line of a line-based file without a UTF-8 byte order mark (Windows tools
    /// write one), or nil, with the error emitted, when the file is UTF-16 (PowerShell's
    /// `>`): its lines are not where the 0x0A bytes are, so the file is one error, not a
    /// malformed line for every record.
    private static func firstLine(
        _ line: Slice<UnsafeBufferPointer<UInt8>>, kind: String, file: InputFile, emit: (RawRecord) -> Void
    ) -> Slice<UnsafeBufferPointer<UInt8>>? {
        var line = line
        if line.count >= 3, line[line.startIndex] == 0xEF, line[line.startIndex + 1] == 0xBB,
            line[line.startIndex + 2] == 0xBF
        {
            line = line.dropFirst(3)
        }
        let (b0, b1) = line.count >= 2 ? (line[line.startIndex], line[line.startIndex + 1]) : (0, 0)
        guard (b0 == 0xFF && b1 == 0xFE) || (b0 == 0xFE && b1 == 0xFF) else { return line }
        emit(
            .failure(
                location: SourceLocation(path: file.path, line: 1),
                reason: "UTF-16 text (it starts with a UTF-16 byte order mark); \(kind) must be "
                    + "UTF-8: convert the file with `iconv -f UTF-16 -t UTF-8`"))
        return nil
    }

    private static func readJSONL(
        _ file: InputFile, chunks: ChunkReader, emit: (RawRecord) -> Void,
        progress: (Int) -> Void, stop: () -> Bool
    ) {
        let lines = LineReader(chunks)
        var lastReported = 0
        var utf16 = false
        do {
            while !stop() && !utf16,
                try lines.nextLine({ whole in
                    var line = whole[...]
                    if lines.lineNumber == 1 {
                        guard let start = firstLine(line, kind: "JSON lines", file: file, emit: emit) else {
                            utf16 = true
                            return
                        }
                        line = start
                    }
                    if line.count > maxRecordBytes {
                        emit(
                            .failure(
                                location: SourceLocation(path: file.path, line: lines.lineNumber),
                                reason: "line longer than \(maxRecordBytes >> 20) MiB"))
                        return
                    }
                    // Skip blank lines.
                    var blank = true
                    for b in line where b != 0x20 && b != 0x09 && b != 0x0D {
                        blank = false
                        break
                    }
                    if blank { return }
                    emit(.jsonl(bytes: Array(line), location: SourceLocation(path: file.path, line: lines.lineNumber)))
                })
            {
                if lines.bytesRead != lastReported {
                    progress(lines.bytesRead - lastReported)
                    lastReported = lines.bytesRead
                }
            }
        } catch let error as InputError {
            emit(
                .failure(
                    location: SourceLocation(path: file.path, line: lines.lineNumber + 1),
                    reason: error.reason))
        } catch {
            emit(.failure(location: SourceLocation(path: file.path, line: lines.lineNumber + 1), reason: "\(error)"))
        }
        progress(lines.bytesRead - lastReported)
    }

    private static func readText(
        _ file: InputFile, chunks: ChunkReader, emit: (RawRecord) -> Void,
        progress: (Int) -> Void
    ) {
        var bytes: [UInt8] = []
        var tooLong = false
        do {
            while try chunks.next({ chunk in
                if bytes.count + chunk.count > maxRecordBytes {
                    tooLong = true
                } else {
                    bytes.append(contentsOf: chunk)
                }
            }) {}
        } catch let error as InputError {
            // A truncated article is reported, not half-processed.
            let line = bytes.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            emit(.failure(location: SourceLocation(path: file.path, line: line), reason: error.reason))
            progress(chunks.bytesRead)
            return
        } catch {
            emit(.failure(location: SourceLocation(path: file.path, line: 1), reason: "\(error)"))
            progress(chunks.bytesRead)
            return
        }
        progress(chunks.bytesRead)
        if tooLong {
            emit(
                .failure(
                    location: SourceLocation(path: file.path, line: 1),
                    reason: "article longer than \(maxRecordBytes >> 20) MiB"))
            return
        }
        emit(.text(bytes: bytes, location: SourceLocation(path: file.path, line: 1)))
    }

    /// A Parquet file: each row a JSON object, read as a JSON line is (its columns are the
    /// record's fields); the row number stands for the line. A file that cannot be read is
    /// one error line (after the rows read before the problem).
    private static func readParquet(
        _ file: InputFile, emit: (RawRecord) -> Void, progress: (Int) -> Void, stop: () -> Bool
    ) {
        var lastRow = 0
        do {
            let reader = try ParquetReader(path: file.path)
            // Lists, structs and binary types are not read: counted, once a column and file.
            for _ in reader.skippedColumns { emit(.skipped(counter: "input.parquet_columns_not_read")) }
            try reader.rows(
                emit: { json, row in
                    lastRow = row
                    emit(.jsonl(bytes: json, location: SourceLocation(path: file.path, line: row)))
                }, progress: progress, stop: stop)
        } catch {
            emit(
                .failure(
                    location: SourceLocation(path: file.path, line: lastRow == 0 ? 0 : lastRow + 1),
                    reason: "Parquet: \(error.description)"))
        }
    }

    private enum Sniff {
        case success([UInt8])
        case failure(String)
    }

    /// The first bytes of a file (up to 6: enough for every compression's magic number).
    private static func sniff(_ path: String) -> Sniff {
        do {
            return .success(try FileSystem.readPrefix(path, count: 6))
        } catch {
            return .failure("cannot open: \(error.detail)")
        }
    }
}
