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

    public init(fields: Set<String> = OutputOptions.allFields, tokenFields: Set<String> = OutputOptions.allTokenFields) {
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
    }

    /// Appends the document's line (with its `\n`) to `writer`.
    public func encode(_ document: Document, into writer: inout JSONWriter) {
        var text = document.text
        text.withUTF8 { utf8 in
            document.lemmaBytes.withUnsafeBufferPointer { lemmas in
                encode(document, utf8: utf8, lemmas: lemmas, into: &writer)
            }
        }
    }

    private func encode(_ document: Document, utf8: UnsafeBufferPointer<UInt8>, lemmas: UnsafeBufferPointer<UInt8>,
                        into w: inout JSONWriter) {
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
            for (k, s) in document.sentences.enumerated() {
                if k > 0 { w.raw(UInt8(ascii: ",")) }
                w.raw("{\"start\":")
                w.int(map.codePoints(at: Int(s.start)))
                w.raw(",\"end\":")
                w.int(map.codePoints(at: Int(s.end)))
                w.raw(UInt8(ascii: "}"))
            }
            w.raw(UInt8(ascii: "]"))
        }
        if writeTokens {
            comma(&w)
            w.key("tokens")
            w.raw(UInt8(ascii: "["))
            var map = OffsetMap(utf8: utf8, ascii: ascii)
            let tagNames = PennTag.names
            let posNames = UPOS.names
            for (k, t) in document.tokens.enumerated() {
                if k > 0 { w.raw(UInt8(ascii: ",")) }
                w.raw("{\"id\":")
                w.int(k)
                w.raw(",\"start\":")
                w.int(map.codePoints(at: Int(t.start)))
                w.raw(",\"end\":")
                w.int(map.codePoints(at: Int(t.end)))
                if writeTag, t.tag != 0, Int(t.tag) < tagNames.count {
                    w.raw(",\"tag\":")
                    w.string(tagNames[Int(t.tag)])
                }
                if writePos, t.pos != 0, Int(t.pos) < posNames.count {
                    w.raw(",\"pos\":")
                    w.string(posNames[Int(t.pos)])
                }
                if writeLemma {
                    switch t.lemmaLength {
                    case Token.noLemma: break
                    case Token.lemmaIsForm:
                        w.raw(",\"lemma\":")
                        w.string(utf8: UnsafeBufferPointer(rebasing: utf8[Int(t.start)..<Int(t.end)]))
                    default:
                        let start = Int(t.lemmaStart)
                        let end = start + Int(t.lemmaLength)
                        if start >= 0, end <= lemmas.count {
                            w.raw(",\"lemma\":")
                            w.string(utf8: UnsafeBufferPointer(rebasing: lemmas[start..<end]))
                        }
                    }
                }
                w.raw(UInt8(ascii: "}"))
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
