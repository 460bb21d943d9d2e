/// Writes a ``Document`` as one JSONL line in spaCy's `Doc.to_json` shape:
///
///     {"id":…,"source":{"path":…,"line":…},"meta":{…},"text":…,
///      "sents":[{"start":…,"end":…}],
///      "tokens":[{"id":0,"start":…,"end":…,"tag":…,"pos":…,"lemma":…}],
///      "ents":[{"start":…,"end":…,"label":…}]}
///
/// Offsets are converted from UTF-8 bytes to Unicode code points in one pass per list.
public struct DocumentEncoder: Sendable {
    public var fields: Set<String>
    public var tokenFields: Set<String>
    private let writeID, writeSource, writeMeta, writeText, writeSents, writeTokens, writeEnts: Bool
    private let writeTag, writePos, writeLemma: Bool
    /// Write whitespace other than a single space between tokens as tokens of its own
    /// (`"\n"`, tag `_SP`, pos `SPACE`), as spaCy does, so `Doc.from_json` loads the line.
    public var spaceTokens: Bool
    /// Write tokens as flat arrays (`token_offsets`, `token_tags`, ...) instead of spaCy's
    /// token objects: several times smaller, for throughput runs.
    public var compactTokens: Bool

    public init(
        fields: Set<String> = OutputOptions.allFields, tokenFields: Set<String> = OutputOptions.allTokenFields,
        spaceTokens: Bool = true, compactTokens: Bool = false
    ) {
        self.spaceTokens = spaceTokens
        self.compactTokens = compactTokens
        self.fields = fields
        self.tokenFields = tokenFields
        writeID = fields.contains("id")
        writeSource = fields.contains("source")
        writeMeta = fields.contains("meta")
        writeText = fields.contains("text")
        writeSents = fields.contains("sents")
        writeTokens = fields.contains("tokens")
        writeEnts = fields.contains("ents")
        writeTag = tokenFields.contains("tag")
        writePos = tokenFields.contains("pos")
        writeLemma = tokenFields.contains("lemma")
        tagFragments = Self.makeTagFragments(tag: writeTag, pos: writePos)
    }

    /// Called now and then while a document's long lists are written (every
    /// ``flushInterval`` sentences, tokens or entities): it may take the bytes written so
    /// far out of the writer (compress them and empty it), so that a huge document never
    /// holds all its JSON at once.
    public typealias Flush = (inout JSONWriter) -> Void

    /// Items between two calls of a ``Flush``.
    static let flushInterval = 4096

    /// Appends the document's line (with its `\n`) to `writer`; `flush`, when given, is
    /// called between list items (see ``Flush``).
    public func encode(_ document: Document, into writer: inout JSONWriter, flush: Flush? = nil) {
        var text = document.text
        text.withUTF8 { utf8 in
            document.lemmaBytes.withUnsafeBufferPointer { lemmas in
                encode(document, utf8: utf8, lemmas: lemmas, into: &writer, flush: flush)
            }
        }
    }

    private func encode(
        _ document: Document, utf8: UnsafeBufferPointer<UInt8>, lemmas: UnsafeBufferPointer<UInt8>,
        into w: inout JSONWriter, flush: Flush?
    ) {
        let ascii = isASCII(utf8)
        var first = true
        func comma(_ w: inout JSONWriter) {
            if first { first = false } else { w.raw(UInt8(ascii: ",")) }
        }
        w.raw(UInt8(ascii: "{"))
        if writeID {
            comma(&w)
            w.key("id")
            w.string(document.id)
        }
        if writeSource {
            comma(&w)
            w.key("source")
            w.raw("{\"path\":")
            w.string(document.source.path)
            w.raw(",\"line\":")
            w.int(document.source.line)
            w.raw(UInt8(ascii: "}"))
        }
        if writeMeta {
            comma(&w)
            w.key("meta")
            w.value(.object(document.metadata))
        }
        if writeText {
            comma(&w)
            w.key("text")
            w.string(utf8: utf8)
        }
        if writeSents {
            comma(&w)
            w.key("sents")
            w.raw(UInt8(ascii: "["))
            var map = OffsetMap(utf8: utf8, ascii: ascii)
            let sentences = document.sentences
            for (k, s) in sentences.enumerated() {
                if k > 0 { w.raw(UInt8(ascii: ",")) }
                if k % Self.flushInterval == Self.flushInterval - 1, let flush { flush(&w) }
                var end = Int(s.end)
                var start = Int(s.start)
                if spaceTokens, k == 0, Self.spaceToken(utf8, from: 0, to: start, leading: true) != nil {
                    start = 0  // leading whitespace is a token of the first sentence
                }
                if spaceTokens {
                    // As in spaCy, whitespace after a sentence belongs to it as a token.
                    let next = k + 1 < sentences.count ? Int(sentences[k + 1].start) : utf8.count
                    if let gap = Self.spaceToken(utf8, from: end, to: next, leading: false) { end = gap.upperBound }
                }
                w.raw("{\"start\":")
                w.int(map.codePoints(at: start))
                w.raw(",\"end\":")
                w.int(map.codePoints(at: end))
                w.raw(UInt8(ascii: "}"))
            }
            w.raw(UInt8(ascii: "]"))
        }
        if writeTokens && compactTokens {
            comma(&w)
            writeCompactTokens(document, utf8: utf8, ascii: ascii, lemmas: lemmas, into: &w, flush: flush)
        } else if writeTokens {
            comma(&w)
            w.key("tokens")
            w.raw(UInt8(ascii: "["))
            var map = OffsetMap(utf8: utf8, ascii: ascii)
            let tokens = document.tokens
            let tagged = tokens.first.map { $0.tag != 0 } ?? false
            let posTagged = tokens.first.map { $0.pos != 0 } ?? false
            let lemmatized = tokens.first.map { $0.lemmaLength != Token.noLemma } ?? false
            var id = 0
            func spaceToken(_ range: Range<Int>, _ w: inout JSONWriter) {
                if id > 0 { w.raw(UInt8(ascii: ",")) }
                w.raw("{\"id\":")
                w.int(id)
                id += 1
                w.raw(",\"start\":")
                w.int(map.codePoints(at: range.lowerBound))
                w.raw(",\"end\":")
                w.int(map.codePoints(at: range.upperBound))
                if writeTag, tagged { w.raw(",\"tag\":\"_SP\"") }
                if writePos, posTagged { w.raw(",\"pos\":\"SPACE\"") }
                if writeLemma, lemmatized {
                    w.raw(",\"lemma\":")
                    w.string(utf8: UnsafeBufferPointer(rebasing: utf8[range]))
                }
                w.raw(UInt8(ascii: "}"))
            }
            var previousEnd = 0
            for t in tokens {
                if spaceTokens,
                    let gap = Self.spaceToken(
                        utf8, from: previousEnd, to: Int(t.start),
                        leading: previousEnd == 0)
                {
                    spaceToken(gap, &w)
                }
                previousEnd = Int(t.end)
                if id % Self.flushInterval == Self.flushInterval - 1, let flush { flush(&w) }
                writeToken(
                    t, id: id, start: map.codePoints(at: Int(t.start)), end: map.codePoints(at: Int(t.end)),
                    utf8: utf8, lemmas: lemmas, into: &w)
                id += 1
            }
            if spaceTokens, !tokens.isEmpty,
                let gap = Self.spaceToken(utf8, from: previousEnd, to: utf8.count, leading: false)
            {
                spaceToken(gap, &w)
            }
            w.raw(UInt8(ascii: "]"))
        }
        if writeEnts {
            comma(&w)
            w.key("ents")
            w.raw(UInt8(ascii: "["))
            var map = OffsetMap(utf8: utf8, ascii: ascii)
            for (k, e) in document.entities.enumerated() {
                if k > 0 { w.raw(UInt8(ascii: ",")) }
                if k % Self.flushInterval == Self.flushInterval - 1, let flush { flush(&w) }
                w.raw("{\"start\":")
                w.int(map.codePoints(at: Int(e.start)))
                w.raw(",\"end\":")
                w.int(map.codePoints(at: Int(e.end)))
                w.raw(",\"label\":")
                w.string(e.label.name)
                w.raw(UInt8(ascii: "}"))
            }
            w.raw(UInt8(ascii: "]"))
        }
        w.raw("}\n")
    }

    /// `,"tag":"NNP","pos":"PROPN"` for every (tag, pos) pair, as the encoder's fields
    /// say, so a token's tags are one copy.
    private let tagFragments: [[UInt8]]
    /// `"NNP"` for every Penn tag and `"PROPN"` for every UPOS (compact token arrays).
    private let quotedTags: [[UInt8]] = PennTag.names.map { Array("\"\($0)\"".utf8) }
    private let quotedPOS: [[UInt8]] = UPOS.names.map { Array("\"\($0)\"".utf8) }

    private static func makeTagFragments(tag: Bool, pos: Bool) -> [[UInt8]] {
        var fragments: [[UInt8]] = []
        fragments.reserveCapacity(PennTag.names.count * UPOS.names.count)
        for t in 0..<PennTag.names.count {
            for p in 0..<UPOS.names.count {
                var bytes: [UInt8] = []
                if tag, t != 0 { bytes += Array(",\"tag\":\"\(PennTag.names[t])\"".utf8) }
                if pos, p != 0 { bytes += Array(",\"pos\":\"\(UPOS.names[p])\"".utf8) }
                fragments.append(bytes)
            }
        }
        return fragments
    }

    /// Writes one token object with few appends: the whole object is built in a stack
    /// buffer and copied once.
    @inline(__always)
    private func writeToken(
        _ t: Token, id: Int, start: Int, end: Int, utf8: UnsafeBufferPointer<UInt8>,
        lemmas: UnsafeBufferPointer<UInt8>, into w: inout JSONWriter
    ) {
        var lemma = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        var hasLemma = false
        if writeLemma {
            switch t.lemmaLength {
            case Token.noLemma: break
            case Token.lemmaIsForm:
                lemma = UnsafeBufferPointer(rebasing: utf8[Int(t.start)..<Int(t.end)])
                hasLemma = true
            default:
                let ls = Int(t.lemmaStart)
                let le = ls + Int(t.lemmaLength)
                if ls >= 0, le <= lemmas.count {
                    lemma = UnsafeBufferPointer(rebasing: lemmas[ls..<le])
                    hasLemma = true
                }
            }
        }
        if lemma.count > 64 {
            // Rare: write the slow way.
            if id > 0 { w.raw(UInt8(ascii: ",")) }
            w.raw("{\"id\":")
            w.int(id)
            w.raw(",\"start\":")
            w.int(start)
            w.raw(",\"end\":")
            w.int(end)
            let fragment = Int(t.tag) * UPOS.names.count + Int(t.pos)
            if fragment < tagFragments.count { w.bytes.append(contentsOf: tagFragments[fragment]) }
            w.raw(",\"lemma\":")
            w.string(utf8: lemma)
            w.raw(UInt8(ascii: "}"))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 512) { buffer in
            guard let p = buffer.baseAddress else { return }
            var n = 0
            @inline(__always) func put(_ s: StaticString) {
                let count = s.utf8CodeUnitCount
                (p + n).update(from: s.utf8Start, count: count)
                n += count
            }
            @inline(__always) func putInt(_ value: Int) {
                n += JSONWriter.writeDecimal(UInt(bitPattern: value), to: p + n)
            }
            if id > 0 { put(",") }
            put("{\"id\":")
            putInt(id)
            put(",\"start\":")
            putInt(start)
            put(",\"end\":")
            putInt(end)
            let fragment = Int(t.tag) * UPOS.names.count + Int(t.pos)
            if fragment < tagFragments.count {
                tagFragments[fragment].withUnsafeBufferPointer { f in
                    if let base = f.baseAddress {
                        (p + n).update(from: base, count: f.count)
                        n += f.count
                    }
                }
            }
            if hasLemma {
                put(",\"lemma\":\"")
                for b in lemma {
                    if b >= 0x20 && b != 0x22 && b != 0x5C {
                        p[n] = b
                        n += 1
                    } else {
                        switch b {
                        case 0x22: put("\\\"")
                        case 0x5C: put("\\\\")
                        case 0x0A: put("\\n")
                        case 0x09: put("\\t")
                        case 0x0D: put("\\r")
                        default:
                            put("\\u00")
                            p[n] = JSONWriter.hex(b >> 4)
                            p[n + 1] = JSONWriter.hex(b & 0xF)
                            n += 2
                        }
                    }
                }
                put("\"")
            }
            put("}")
            w.bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        }
    }

    /// Writes tokens as flat arrays, for throughput runs: `"token_offsets":[s0,e0,s1,e1,...]`
    /// (code points), then, when present, `"token_tags"`, `"token_pos"` and `"token_lemmas"`
    /// (`null` where the lemma is the token's own text). No whitespace tokens.
    private func writeCompactTokens(
        _ document: Document, utf8: UnsafeBufferPointer<UInt8>, ascii: Bool,
        lemmas: UnsafeBufferPointer<UInt8>, into w: inout JSONWriter, flush: Flush?
    ) {
        let tokens = document.tokens
        func mayFlush(_ k: Int, _ w: inout JSONWriter) {
            if k % Self.flushInterval == Self.flushInterval - 1, let flush { flush(&w) }
        }
        var map = OffsetMap(utf8: utf8, ascii: ascii)
        w.key("token_offsets")
        w.raw(UInt8(ascii: "["))
        // Blocks of tokens are formatted into a stack buffer and appended at once: one
        // capacity check per block instead of several per number.
        let block = 128
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: block * 42) { buffer in
            guard let p = buffer.baseAddress else { return }
            var k = 0
            while k < tokens.count {
                let blockEnd = min(k + block, tokens.count)
                var n = 0
                for i in k..<blockEnd {
                    let t = tokens[i]
                    if i > 0 {
                        p[n] = UInt8(ascii: ",")
                        n += 1
                    }
                    n += JSONWriter.writeDecimal(UInt(bitPattern: map.codePoints(at: Int(t.start))), to: p + n)
                    p[n] = UInt8(ascii: ",")
                    n += 1
                    n += JSONWriter.writeDecimal(UInt(bitPattern: map.codePoints(at: Int(t.end))), to: p + n)
                }
                w.bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
                if let flush, k / Self.flushInterval != blockEnd / Self.flushInterval { flush(&w) }
                k = blockEnd
            }
        }
        w.raw(UInt8(ascii: "]"))
        guard let first = tokens.first else { return }
        if writeTag, first.tag != 0 {
            w.raw(",\"token_tags\":[")
            for (k, t) in tokens.enumerated() {
                if k > 0 { w.raw(UInt8(ascii: ",")) }
                mayFlush(k, &w)
                w.bytes.append(contentsOf: quotedTags[Int(t.tag) < quotedTags.count ? Int(t.tag) : 0])
            }
            w.raw(UInt8(ascii: "]"))
        }
        if writePos, first.pos != 0 {
            w.raw(",\"token_pos\":[")
            for (k, t) in tokens.enumerated() {
                if k > 0 { w.raw(UInt8(ascii: ",")) }
                mayFlush(k, &w)
                w.bytes.append(contentsOf: quotedPOS[Int(t.pos) < quotedPOS.count ? Int(t.pos) : 0])
            }
            w.raw(UInt8(ascii: "]"))
        }
        if writeLemma, first.lemmaLength != Token.noLemma {
            w.raw(",\"token_lemmas\":[")
            for (k, t) in tokens.enumerated() {
                if k > 0 { w.raw(UInt8(ascii: ",")) }
                mayFlush(k, &w)
                let start = Int(t.lemmaStart)
                let end = start + Int(t.lemmaLength)
                if t.lemmaLength >= 0, start >= 0, end <= lemmas.count {
                    w.string(utf8: UnsafeBufferPointer(rebasing: lemmas[start..<end]))
                } else {
                    w.raw("null")
                }
            }
            w.raw(UInt8(ascii: "]"))
        }
    }

    /// The whitespace token spaCy makes of the gap `from..<to` between two tokens: none
    /// for no gap or one space (the previous token's trailing space); otherwise the gap
    /// less a leading space that the previous token keeps. At the start of a text the
    /// whole gap is a token. The gap must be whitespace only; otherwise nil.
    static func spaceToken(_ utf8: UnsafeBufferPointer<UInt8>, from: Int, to: Int, leading: Bool) -> Range<Int>? {
        guard from < to, to <= utf8.count else { return nil }
        for k in from..<to {
            let b = utf8[k]
            if !(b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D) { return nil }
        }
        if leading { return from..<to }
        if to - from == 1, utf8[from] == 0x20 { return nil }
        return utf8[from] == 0x20 ? (from + 1)..<to : from..<to
    }

    private func isASCII(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        var acc: UInt8 = 0
        for b in utf8 { acc |= b }
        return acc < 0x80
    }
}

/// Converts increasing UTF-8 byte offsets to code-point offsets, walking forward.
/// Offsets may also go backwards (it restarts), but sorted spans make it linear.
struct OffsetMap {
    let utf8: UnsafeBufferPointer<UInt8>
    let ascii: Bool
    var byte = 0
    var codePoint = 0

    init(utf8: UnsafeBufferPointer<UInt8>, ascii: Bool) {
        self.utf8 = utf8
        self.ascii = ascii
    }

    @inline(__always)
    mutating func codePoints(at offset: Int) -> Int {
        if ascii { return offset }
        if offset < byte {
            byte = 0
            codePoint = 0
        }
        let limit = min(offset, utf8.count)
        while byte < limit {
            if utf8[byte] & 0xC0 != 0x80 { codePoint += 1 }
            byte += 1
        }
        return codePoint
    }
}
