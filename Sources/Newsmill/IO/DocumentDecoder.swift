/// Reads a document line in newsmill's output shape (spaCy's `Doc.to_json` names) back
/// into a ``Document``, converting code-point offsets to UTF-8 byte offsets. Used by the
/// `exec` stage to take back what an external command returns.
public enum DocumentDecoder {
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// Decodes one JSON object; `source` is used when the object has none.
    public static func decode(_ value: JSONValue, source: SourceLocation) throws(Failure) -> Document {
        guard case .object = value else { throw Failure(reason: "expected a JSON object") }
        guard let text = value["text"]?.stringValue else { throw Failure(reason: "missing string field 'text'") }
        let id: String
        switch value["id"] {
        case .string(let s): id = s
        case .number(let n): id = n
        default: id = source.description
        }
        var location = source
        if let src = value["source"], let path = src["path"]?.stringValue, let line = src["line"]?.intValue {
            location = SourceLocation(path: path, line: line)
        }
        var document = Document(id: id, source: location, text: text, metadata: value["meta"]?.objectValue ?? [])
        let offsets = CodePointOffsets(text)
        func span(_ item: JSONValue, _ what: String) throws(Failure) -> (Int32, Int32) {
            guard let start = item["start"]?.intValue, let end = item["end"]?.intValue, start <= end,
                let s = offsets.byteOffset(ofCodePoint: start), let e = offsets.byteOffset(ofCodePoint: end)
            else { throw Failure(reason: "invalid \(what) span \(item.jsonText)") }
            return (Int32(s), Int32(e))
        }
        for item in value["sents"]?.arrayValue ?? [] {
            let (s, e) = try span(item, "sentence")
            document.sentences.append(Span(start: s, end: e))
        }
        var sentence = 0
        for item in value["tokens"]?.arrayValue ?? [] {
            let (s, e) = try span(item, "token")
            var token = Token(start: s, end: e)
            if let tag = item["tag"]?.stringValue { token.tag = PennTag.id(tag) ?? 0 }
            if let pos = item["pos"]?.stringValue { token.pos = UPOS.id(pos) ?? 0 }
            while sentence + 1 < document.sentences.count, document.sentences[sentence].end <= s { sentence += 1 }
            token.sentence = Int32(sentence)
            document.tokens.append(token)
            if let lemma = item["lemma"]?.stringValue {
                document.setLemma(ofToken: document.tokens.count - 1, to: Array(lemma.utf8))
            }
        }
        for item in value["ents"]?.arrayValue ?? [] {
            let (s, e) = try span(item, "entity")
            guard let labelName = item["label"]?.stringValue, let label = EntityLabel(name: labelName) else {
                throw Failure(reason: "unknown entity label in \(item.jsonText)")
            }
            document.entities.append(Entity(start: s, end: e, label: label))
        }
        return document
    }
}

/// Maps code-point offsets of a string to UTF-8 byte offsets.
struct CodePointOffsets {
    private var byteAt: [Int32]  // byteAt[k] = byte offset of code point k; last = byte count
    private let ascii: Bool
    private let count: Int

    init(_ text: String) {
        let utf8 = text.utf8
        count = utf8.count
        ascii = utf8.allSatisfy { $0 < 0x80 }
        byteAt = []
        if !ascii {
            byteAt.reserveCapacity(count + 1)
            var i = 0
            for b in utf8 {
                if b & 0xC0 != 0x80 { byteAt.append(Int32(i)) }
                i += 1
            }
            byteAt.append(Int32(count))
        }
    }

    func byteOffset(ofCodePoint k: Int) -> Int? {
        if ascii { return k >= 0 && k <= count ? k : nil }
        return k >= 0 && k < byteAt.count ? Int(byteAt[k]) : nil
    }
}
