import CZlib

/// Reads the records of a WARC file (ISO 28500, WARC/1.0 and 1.1; `.warc` or `.warc.gz`,
/// whose records are usually one gzip member each, as Common Crawl's CC-News writes them)
/// from a ``ChunkReader``: each record's named fields, then its block of `Content-Length`
/// bytes.
final class WARCReader {
    struct Record {
        /// The record's named fields, names lower-cased (`warc-type`, `warc-target-uri`).
        var fields: [String: String]
        var block: [UInt8]
        /// The record's number in the file, from 1.
        var number: Int
    }

    struct Malformed: Error {
        var reason: String
    }

    private let chunks: ChunkReader
    private var buffer: [UInt8] = []
    private var position = 0
    private var done = false
    private var count = 0
    /// The largest block read (a guard against a runaway length).
    let maxBlockBytes: Int

    init(_ chunks: ChunkReader, maxBlockBytes: Int) {
        self.chunks = chunks
        self.maxBlockBytes = maxBlockBytes
    }

    var bytesRead: Int { chunks.bytesRead }

    /// Lines that were not part of a record, skipped to reach the last one returned (a
    /// damaged or mis-counted record before it).
    private(set) var skippedLines = 0

    /// The next record, or nil at the end of the file. A block longer than
    /// ``maxBlockBytes`` is skipped and comes back empty with `oversized`. Lines that do
    /// not start a record are skipped up to the next `WARC/` line (``skippedLines``); after
    /// a ``Malformed`` error the next call goes on from there.
    func next(oversized: inout Bool) throws -> Record? {
        oversized = false
        skippedLines = 0
        // Records are separated by two CRLFs; skip blank lines before the version line.
        var line: [UInt8] = []
        while true {
            guard let next = try readLine() else {
                if skippedLines > 0 {
                    defer { skippedLines = 0 }  // told by this error
                    throw Malformed(
                        reason: skippedLines == 1
                            ? "the last line of the file is not part of a WARC record"
                            : "the last \(skippedLines) lines of the file are not part of a WARC record")
                }
                return nil
            }
            line = next
            if line.starts(with: Array("WARC/".utf8)) { break }
            if !line.isEmpty { skippedLines += 1 }
        }
        count += 1
        var fields: [String: String] = [:]
        while true {
            guard let fieldLine = try readLine() else {
                throw Malformed(reason: "record \(count) ends inside its header")
            }
            if fieldLine.isEmpty { break }
            guard let colon = fieldLine.firstIndex(of: 0x3A) else { continue }
            let name = String(decoding: fieldLine[..<colon], as: UTF8.self).lowercased()
            let value = String(decoding: fieldLine[(colon + 1)...], as: UTF8.self)
            fields[name] = value.trimmingSpaces()
        }
        guard let lengthText = fields["content-length"], let length = Int(lengthText), length >= 0 else {
            throw Malformed(reason: "record \(count) has no valid Content-Length")
        }
        var block: [UInt8] = []
        if length > maxBlockBytes {
            oversized = true
            guard try skip(length) else { throw Malformed(reason: "record \(count) is cut short (end of file)") }
        } else {
            block.reserveCapacity(length)
            guard try read(length, into: &block) else {
                throw Malformed(reason: "record \(count) is cut short (end of file)")
            }
        }
        return Record(fields: fields, block: block, number: count)
    }

    private func fill() throws -> Bool {
        if done { return false }
        if position > 0 {
            buffer.removeFirst(position)
            position = 0
        }
        let more = try chunks.next { chunk in buffer.append(contentsOf: chunk) }
        if !more { done = true }
        return more
    }

    /// A line without its CR LF; nil at the end of the file.
    /// Longer lines (binary bytes skipped after a damaged record) are cut to this length,
    /// the rest of the line dropped as it is read: memory stays bounded.
    static let maxLineBytes = 1 << 20

    private func readLine() throws -> [UInt8]? {
        var searchFrom = position
        var cut: [UInt8]?
        while true {
            if let nl = buffer[searchFrom...].firstIndex(of: 0x0A) {
                var end = nl
                if end > position && buffer[end - 1] == 0x0D { end -= 1 }
                let line = cut ?? Array(buffer[position..<end])
                position = nl + 1
                return line
            }
            if buffer.count - position > Self.maxLineBytes {
                if cut == nil { cut = Array(buffer[position..<position + Self.maxLineBytes]) }
                position = buffer.count
            }
            let consumed = position
            searchFrom = buffer.count - consumed
            guard try fill() else {
                if position < buffer.count || cut != nil {
                    let line = cut ?? Array(buffer[position...])
                    position = buffer.count
                    return line
                }
                return nil
            }
            searchFrom += position  // `fill` moved the unread bytes to the front
        }
    }

    private func read(_ n: Int, into out: inout [UInt8]) throws -> Bool {
        var needed = n
        while needed > 0 {
            if position == buffer.count { guard try fill() else { return false } }
            let take = min(needed, buffer.count - position)
            out.append(contentsOf: buffer[position..<position + take])
            position += take
            needed -= take
        }
        return true
    }

    private func skip(_ n: Int) throws -> Bool {
        var needed = n
        while needed > 0 {
            if position == buffer.count { guard try fill() else { return false } }
            let take = min(needed, buffer.count - position)
            position += take
            needed -= take
        }
        return true
    }
}

/// The HTTP response inside a WARC `response` record's block: status, headers (names
/// lower-cased) and body.
struct HTTPResponse {
    var status: Int
    var headers: [String: String]
    var body: ArraySlice<UInt8>

    init?(block: [UInt8]) {
        guard block.starts(with: Array("HTTP/".utf8)) else { return nil }
        // The head ends at the first empty line (CRLF CRLF, or LF LF from sloppy servers).
        var k = 0
        var lineStart = 0
        var lines: [ArraySlice<UInt8>] = []
        var bodyStart = block.count
        while k < block.count {
            if block[k] == 0x0A {
                var end = k
                if end > lineStart && block[end - 1] == 0x0D { end -= 1 }
                if end == lineStart {
                    bodyStart = k + 1
                    break
                }
                lines.append(block[lineStart..<end])
                lineStart = k + 1
            }
            k += 1
        }
        guard let statusLine = lines.first else { return nil }
        let parts = statusLine.split(separator: 0x20, maxSplits: 2)
        guard parts.count >= 2, let code = Int(String(decoding: parts[1], as: UTF8.self)) else { return nil }
        status = code
        headers = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: 0x3A) else { continue }
            let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
            headers[name] = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingSpaces()
        }
        body = block[bodyStart...]
    }

    /// The media type, lower-cased, without parameters (`text/html`).
    var mediaType: String { Self.parseContentType(headers["content-type"] ?? "").media }

    /// The body as sent, without its transfer coding (`chunked`, as wget's WARCs keep it)
    /// and its content coding (`gzip`, `x-gzip`, `deflate`); nil with the reason when it
    /// uses another coding or is damaged.
    func decodedBody(limit: Int) -> Result<[UInt8], HTTPBodyError> {
        var bytes = Array(body)
        let transfer = headers["transfer-encoding"]?.lowercased() ?? ""
        if transfer.contains("chunked") {
            guard let joined = Self.dechunk(bytes) else {
                return .failure(
                    HTTPBodyError(reason: "the HTTP body's chunks (Transfer-Encoding: chunked) are damaged"))
            }
            bytes = joined
        }
        let coding = headers["content-encoding"]?.lowercased().trimmingSpaces() ?? ""
        switch coding {
        case "", "identity": return .success(bytes)
        case "gzip", "x-gzip", "deflate":
            guard let inflated = Self.inflate(bytes, limit: limit) else {
                return .failure(
                    HTTPBodyError(
                        reason: "the HTTP body (Content-Encoding: \(coding)) does not inflate, or is too long"))
            }
            return .success(inflated)
        default:
            return .failure(
                HTTPBodyError(
                    reason:
                        "the HTTP body is compressed with \(coding) (Content-Encoding), which newsmill does not read"))
        }
    }

    struct HTTPBodyError: Error {
        var reason: String
    }

    /// Joins the chunks of a `Transfer-Encoding: chunked` body (sizes in hex, extensions and
    /// trailers ignored); nil when a size line is not hex or a chunk is cut short.
    static func dechunk(_ bytes: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var k = 0
        while k < bytes.count {
            var size = 0
            var digits = 0
            while k < bytes.count, let v = hexValue(bytes[k]) {
                size = size * 16 + v
                digits += 1
                k += 1
                if digits > 15 { return nil }
            }
            guard digits > 0 else { return nil }
            while k < bytes.count && bytes[k] != 0x0A { k += 1 }  // extensions, CR
            k += 1
            if size == 0 { return out }
            guard k + size <= bytes.count else { return nil }
            out.append(contentsOf: bytes[k..<k + size])
            k += size
            if k < bytes.count && bytes[k] == 0x0D { k += 1 }
            if k < bytes.count && bytes[k] == 0x0A { k += 1 }
        }
        return out  // no last chunk: what came is kept, as browsers do
    }

    private static func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case 0x30...0x39: Int(b - 0x30)
        case 0x41...0x46: Int(b - 0x41 + 10)
        case 0x61...0x66: Int(b - 0x61 + 10)
        default: nil
        }
    }

    /// Inflates a gzip, zlib or raw deflate stream held in memory; nil when it is damaged
    /// or would exceed `limit` bytes.
    static func inflate(_ bytes: [UInt8], limit: Int) -> [UInt8]? {
        if let out = inflate(bytes, windowBits: 15 + 32, limit: limit) { return out }
        return inflate(bytes, windowBits: -15, limit: limit)  // servers that send raw deflate
    }

    private static func inflate(_ bytes: [UInt8], windowBits: Int32, limit: Int) -> [UInt8]? {
        var stream = z_stream()
        guard newsmill_inflateInit2(&stream, windowBits) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var input = bytes
        return input.withUnsafeMutableBufferPointer { source -> [UInt8]? in
            stream.next_in = source.baseAddress
            stream.avail_in = uInt(source.count)
            while true {
                let (status, produced) = chunk.withUnsafeMutableBufferPointer { buffer -> (Int32, Int) in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(buffer.count)
                    let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return (status, buffer.count - Int(stream.avail_out))
                }
                out.append(contentsOf: chunk[0..<produced])
                if out.count > limit { return nil }
                switch status {
                case Z_STREAM_END: return out
                case Z_OK: continue
                case Z_BUF_ERROR: return stream.avail_in == 0 && !out.isEmpty ? out : nil  // cut short: keep it
                default: return nil
                }
            }
        }
    }

    /// The text of an HTML page's `<title>` (in its first 64 KB; entities decoded, runs of
    /// whitespace one space), or nil.
    static func title(ofPage body: [UInt8]) -> String? {
        let n = min(body.count, 1 << 16)
        func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
        func matches(_ word: [UInt8], at k: Int) -> Bool {
            guard k + word.count <= n else { return false }
            for j in word.indices where lower(body[k + j]) != word[j] { return false }
            return true
        }
        let open = Array("<title".utf8)
        let close = Array("</title".utf8)
        var k = 0
        while k < n && !(matches(open, at: k) && k + 6 < n && (body[k + 6] == 0x3E || body[k + 6] == 0x20)) { k += 1 }
        guard k < n, let gt = body[k..<n].firstIndex(of: 0x3E) else { return nil }
        var end = gt + 1
        while end < n && !matches(close, at: end) { end += 1 }
        guard end < n else { return nil }
        var decoded: [UInt8] = []
        let raw = Array(body[(gt + 1)..<end])
        let changed = raw.withUnsafeBufferPointer {
            HTMLCleaner.clean($0, html: false, entities: true, into: &decoded).changed
        }
        let text = String(decoding: changed ? decoded : raw, as: UTF8.self)
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
        return words.isEmpty ? nil : words.joined(separator: " ")
    }

    /// The charset an HTML page names in its first 4 KB (`<meta charset="...">`, or
    /// `<meta http-equiv="Content-Type" content="text/html; charset=...">`), lower-cased.
    static func metaCharset(ofPage body: [UInt8]) -> String? {
        let n = min(body.count, 4096)
        let key = Array("charset=".utf8)
        var k = 0
        while k + key.count <= n {
            var match = true
            for j in key.indices where body[k + j] | (body[k + j] >= 0x41 && body[k + j] <= 0x5A ? 0x20 : 0) != key[j] {
                match = false
                break
            }
            if match {
                var v = k + key.count
                while v < n && (body[v] == 0x22 || body[v] == 0x27 || body[v] == 0x20) { v += 1 }
                let start = v
                while v < n,
                    body[v] == 0x2D || body[v] == 0x5F || body[v] == 0x2E || body[v] == 0x3A
                        || (body[v] | 0x20) &- 0x61 < 26 || body[v] &- 0x30 < 10
                {
                    v += 1
                }
                guard v > start else { return nil }
                return String(decoding: body[start..<v], as: UTF8.self).lowercased()
            }
            k += 1
        }
        return nil
    }

    /// The `charset` parameter of Content-Type, lower-cased, if any.
    var charset: String? { Self.parseContentType(headers["content-type"] ?? "").charset }

    /// A Content-Type value's media type (lower-cased, no parameters) and charset.
    static func parseContentType(_ value: String) -> (media: String, charset: String?) {
        let parts = value.split(separator: ";")
        let media = String(parts.first ?? "").trimmingSpaces().lowercased()
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            if pair.count == 2, String(pair[0]).trimmingSpaces().lowercased() == "charset" {
                return (media, String(pair[1]).trimmingSpaces().lowercased().replacingQuotes())
            }
        }
        return (media, nil)
    }
}

extension String {
    fileprivate func replacingQuotes() -> String {
        var s = Substring(self)
        while s.first == "\"" || s.first == "'" { s = s.dropFirst() }
        while s.last == "\"" || s.last == "'" { s = s.dropLast() }
        return String(s)
    }
}
