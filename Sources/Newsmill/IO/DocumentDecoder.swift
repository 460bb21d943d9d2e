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
        try readAnnotations(value, into: &document)
        return document
    }

    /// The fields of a document line that annotate its text: spaCy's `sents`, `tokens` and
    /// `ents`, and the compact token form's flat arrays.
    public static let annotationFields: Set<String> = [
        "sents", "tokens", "ents", "token_offsets", "token_tags", "token_pos", "token_lemmas",
    ]

    /// Whether `value`, the value of one of ``annotationFields``, has that field's shape in
    /// newsmill's (and spaCy's) output: a list of objects with a `start` (sents, tokens,
    /// ents), of numbers (token_offsets) or of strings (the other token arrays). Only the
    /// first item is looked at; ``readAnnotations(_:into:)`` checks them all. A field of
    /// the same name in another shape (`"tokens": ["The", "cat"]`) is not an annotation.
    public static func hasAnnotationShape(_ key: String, _ value: JSONValue) -> Bool {
        guard case .array(let items) = value else { return false }
        guard let first = items.first else { return true }
        switch key {
        case "sents", "tokens", "ents": return first["start"]?.intValue != nil
        case "token_offsets": return first.intValue != nil
        default:
            if case .string = first { return true }
            return key == "token_lemmas" && first == .null
        }
    }

    /// Reads the annotation fields of `value` (code-point offsets into `document.text`)
    /// into `document`'s sentences, tokens (with tag, UPOS and lemma) and entities, in
    /// place of any it had. Whitespace tokens (spaCy's `_SP`, which newsmill writes for
    /// line breaks) are skipped: newsmill's own tokens never hold whitespace.
    ///
    /// An entity whose label is not one of OntoNotes' (a CoNLL-trained model's `PER`,
    /// `MISC`) is an error; with `skipUnknownLabels` it is left out instead. Returns the
    /// number of entities left out.
    @discardableResult
    public static func readAnnotations(
        _ value: JSONValue, into document: inout Document, skipUnknownLabels: Bool = false
    ) throws(Failure) -> Int {
        let sents = value["sents"]?.arrayValue
        let tokens = value["tokens"]?.arrayValue
        let ents = value["ents"]?.arrayValue
        let offsetsList = value["token_offsets"]?.arrayValue
        guard sents != nil || tokens != nil || ents != nil || offsetsList != nil else { return 0 }
        let offsets = CodePointOffsets(document.text)
        let utf8 = Array(document.text.utf8)
        func span(_ item: JSONValue, _ what: String) throws(Failure) -> (Int32, Int32) {
            guard let start = item["start"]?.intValue, let end = item["end"]?.intValue else {
                throw Failure(reason: "invalid \(what) span \(item.jsonText)")
            }
            return try byteSpan(start, end, item.jsonText, what)
        }
        func byteSpan(_ start: Int, _ end: Int, _ shown: @autoclosure () -> String, _ what: String) throws(Failure)
            -> (Int32, Int32)
        {
            guard start <= end, let s = offsets.byteOffset(ofCodePoint: start),
                let e = offsets.byteOffset(ofCodePoint: end)
            else {
                throw Failure(
                    reason: "invalid \(what) span \(shown()) (the text has \(offsets.codePointCount) characters)")
            }
            return (Int32(s), Int32(e))
        }
        func isSpace(_ s: Int32, _ e: Int32) -> Bool {
            var k = Int(s)
            while k < Int(e) {
                let b = utf8[k]
                guard b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D else { return false }
                k += 1
            }
            return true
        }
        document.sentences = []
        document.tokens = []
        document.entities = []
        for item in sents ?? [] {
            let (s, e) = try span(item, "sentence")
            document.sentences.append(Span(start: s, end: e))
        }
        var sentence = 0
        func append(_ s: Int32, _ e: Int32, tag: String?, pos: String?, lemma: JSONValue?) {
            var token = Token(start: s, end: e)
            if let tag { token.tag = PennTag.id(tag) ?? 0 }
            if let pos { token.pos = UPOS.id(pos) ?? 0 }
            while sentence + 1 < document.sentences.count, document.sentences[sentence].end <= s { sentence += 1 }
            token.sentence = Int32(sentence)
            document.tokens.append(token)
            switch lemma {
            case .string(let text)?: document.setLemma(ofToken: document.tokens.count - 1, to: Array(text.utf8))
            case .null?: document.setLemma(ofToken: document.tokens.count - 1, to: utf8[Int(s)..<Int(e)])
            default: break
            }
        }
        if let tokens {
            for item in tokens {
                let (s, e) = try span(item, "token")
                if isSpace(s, e) { continue }
                append(s, e, tag: item["tag"]?.stringValue, pos: item["pos"]?.stringValue, lemma: item["lemma"])
            }
        } else if let offsetsList {
            guard offsetsList.count % 2 == 0 else {
                throw Failure(reason: "token_offsets has an odd number of values (\(offsetsList.count))")
            }
            let count = offsetsList.count / 2
            func column(_ key: String) throws(Failure) -> [JSONValue]? {
                guard let list = value[key]?.arrayValue else { return nil }
                guard list.count == count else {
                    throw Failure(reason: "\(key) has \(list.count) values for \(count) tokens")
                }
                return list
            }
            let tags = try column("token_tags")
            let pos = try column("token_pos")
            let lemmas = try column("token_lemmas")
            for k in 0..<count {
                guard let start = offsetsList[2 * k].intValue, let end = offsetsList[2 * k + 1].intValue else {
                    throw Failure(reason: "token_offsets holds a value that is not an integer at token \(k)")
                }
                let (s, e) = try byteSpan(start, end, "[\(start), \(end)]", "token")
                append(s, e, tag: tags?[k].stringValue, pos: pos?[k].stringValue, lemma: lemmas?[k])
            }
        }
        var skipped = 0
        for item in ents ?? [] {
            let (s, e) = try span(item, "entity")
            guard let labelName = item["label"]?.stringValue, let label = EntityLabel(name: labelName) else {
                if skipUnknownLabels {
                    skipped += 1
                    continue
                }
                throw Failure(
                    reason: "unknown entity label in \(item.jsonText) (OntoNotes labels: PERSON, NORP, ORG, GPE, ...)")
            }
            document.entities.append(Entity(start: s, end: e, label: label))
        }
        return skipped
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

    /// The number of code points.
    var codePointCount: Int { ascii ? count : byteAt.count - 1 }

    func byteOffset(ofCodePoint k: Int) -> Int? {
        if ascii { return k >= 0 && k <= count ? k : nil }
        return k >= 0 && k < byteAt.count ? Int(byteAt[k]) : nil
    }
}
