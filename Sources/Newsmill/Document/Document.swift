/// One article moving through a pipeline.
///
/// `text` is the working text; stages such as normalize may rewrite it before
/// anything points into it. Sentences, tokens and entities are spans of UTF-8
/// byte offsets into `text`; the writer turns them into Unicode code-point
/// offsets, so that Python's `text[start:end]` gives the annotated string.
/// Metadata (every field of a JSONL record other than text and id, plus what
/// stages add such as `title`) travels unchanged, in its original key order.
public struct Document: Sendable {
    /// The document's identifier: the JSONL `id` field, or the file's path for `.txt`.
    public var id: String
    /// Where the document came from.
    public var source: SourceLocation
    /// The working text.
    public var text: String
    /// Metadata fields, in order.
    public var metadata: [JSONMember]
    /// Sentence spans, sorted, non-overlapping.
    public var sentences: [Span] = []
    /// Tokens, sorted, non-overlapping.
    public var tokens: [Token] = []
    /// Named-entity spans, sorted, non-overlapping.
    public var entities: [Entity] = []
    /// Backing bytes for lemmas that differ from the token's own text.
    public var lemmaBytes: [UInt8] = []

    /// Creates a document.
    public init(id: String, source: SourceLocation, text: String, metadata: [JSONMember] = []) {
        self.id = id
        self.source = source
        self.text = text
        self.metadata = metadata
    }

    /// Returns the metadata value for `key`, if present.
    public func metadata(_ key: String) -> JSONValue? {
        metadata.first(where: { $0.key == key })?.value
    }

    /// Sets (or replaces) the metadata value for `key`, keeping the key's position.
    public mutating func setMetadata(_ key: String, _ value: JSONValue) {
        if let index = metadata.firstIndex(where: { $0.key == key }) {
            metadata[index].value = value
        } else {
            metadata.append(JSONMember(key, value))
        }
    }

    /// Drops every annotation; used when a stage rewrites `text`.
    public mutating func clearAnnotations() {
        sentences.removeAll(keepingCapacity: true)
        tokens.removeAll(keepingCapacity: true)
        entities.removeAll(keepingCapacity: true)
        lemmaBytes.removeAll(keepingCapacity: true)
    }

    /// The UTF-8 bytes of a span of the text.
    public func bytes(of span: Span) -> Substring.UTF8View {
        let utf8 = text.utf8
        let lower = utf8.index(utf8.startIndex, offsetBy: Int(span.start))
        let upper = utf8.index(lower, offsetBy: Int(span.end - span.start))
        return text[lower..<upper].utf8
    }

    /// The string a span covers (allocates; for tests and tools, not hot paths).
    public func string(of span: Span) -> String {
        String(decoding: bytes(of: span), as: UTF8.self)
    }

    /// The lemma of token `index` (allocates; for tests and tools).
    public func lemma(ofToken index: Int) -> String? {
        let token = tokens[index]
        switch token.lemmaLength {
        case Token.noLemma: return nil
        case Token.lemmaIsForm: return string(of: token.span)
        default:
            let start = Int(token.lemmaStart)
            return String(decoding: lemmaBytes[start..<start + Int(token.lemmaLength)], as: UTF8.self)
        }
    }

    /// Sets the lemma of token `index`: stored only when it differs from the token's text.
    public mutating func setLemma<Bytes: Collection>(ofToken index: Int, to lemma: Bytes)
    where Bytes.Element == UInt8 {
        let token = tokens[index]
        if bytes(of: token.span).elementsEqual(lemma) {
            tokens[index].lemmaStart = 0
            tokens[index].lemmaLength = Token.lemmaIsForm
            return
        }
        tokens[index].lemmaStart = Int32(lemmaBytes.count)
        tokens[index].lemmaLength = Int32(lemma.count)
        lemmaBytes.append(contentsOf: lemma)
    }
}

/// A place in an input: file path and 1-based line (and column, for pipeline files).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var column: Int?

    public init(path: String, line: Int, column: Int? = nil) {
        self.path = path
        self.line = line
        self.column = column
    }

    public var description: String {
        if let column { return "\(path):\(line):\(column)" }
        return "\(path):\(line)"
    }
}

/// A half-open range of UTF-8 byte offsets into a document's text.
public struct Span: Sendable, Hashable {
    public var start: Int32
    public var end: Int32

    public init(start: Int32, end: Int32) {
        self.start = start
        self.end = end
    }

    public init(_ range: Range<Int>) {
        self.start = Int32(range.lowerBound)
        self.end = Int32(range.upperBound)
    }

    public var length: Int { Int(end - start) }
}

/// A token: a byte span plus compact tag ids and a lemma reference.
public struct Token: Sendable, Hashable {
    /// `lemmaLength` when no lemma has been assigned.
    public static let noLemma: Int32 = -1
    /// `lemmaLength` when the lemma equals the token's own text.
    public static let lemmaIsForm: Int32 = -2

    public var start: Int32
    public var end: Int32
    /// Penn Treebank tag id (``PennTag``); 0 when untagged.
    public var tag: UInt8 = 0
    /// Universal POS id (``UPOS``); 0 when untagged.
    public var pos: UInt8 = 0
    /// Index of the token's sentence.
    public var sentence: Int32 = 0
    public var lemmaStart: Int32 = 0
    public var lemmaLength: Int32 = Token.noLemma

    public init(start: Int32, end: Int32) {
        self.start = start
        self.end = end
    }

    public init(_ range: Range<Int>) {
        self.start = Int32(range.lowerBound)
        self.end = Int32(range.upperBound)
    }

    public var span: Span { Span(start: start, end: end) }
}

/// A named-entity span with its OntoNotes label.
public struct Entity: Sendable, Hashable {
    public var start: Int32
    public var end: Int32
    public var label: EntityLabel

    public init(start: Int32, end: Int32, label: EntityLabel) {
        self.start = start
        self.end = end
        self.label = label
    }

    public var span: Span { Span(start: start, end: end) }
}
