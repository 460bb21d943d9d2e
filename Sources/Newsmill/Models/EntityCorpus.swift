/// One annotated text for training or scoring the recognizer: tokens, sentences and
/// gold entities, all as UTF-8 byte offsets into `document.text`.
public struct EntityExample: Sendable {
    /// The text with its tokens (and their sentence indexes).
    public var document: Document
    /// Gold entities (byte offsets).
    public var gold: [Entity]
    /// Regions left out of scoring (byte offsets).
    public var ignore: [Span]
}

/// Reads entity JSONL: one object per line with `text`, `tokens` (`[[start, end], ...]`),
/// optional `sents` (`[[start, end], ...]`), `ents` (`[{"start", "end", "label"}]`) and
/// optional `ignore` (`[[start, end], ...]`), offsets in Unicode code points, as spaCy's
/// character offsets are.
public enum EntityCorpus {
    /// An error in an entity JSONL file, naming the line.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var location: SourceLocation
        public var detail: String
        public var description: String { "\(location): \(detail)" }
    }

    /// Loads every line of `path` (`.jsonl` or `.jsonl.gz`).
    public static func load(path: String) throws -> [EntityExample] {
        let reader = LineReader(
            try ChunkReader(path: path, compression: InputCompression.from(lowercasedName: path.lowercased())))
        var examples: [EntityExample] = []
        var failure: Failure?
        while try reader.nextLine({ line in
            guard failure == nil, !line.isEmpty else { return }
            let loc = SourceLocation(path: path, line: reader.lineNumber)
            do {
                examples.append(try parse(line: line, location: loc))
            } catch let error as Failure {
                failure = error
            } catch {
                failure = Failure(location: loc, detail: "\(error)")
            }
        }) {}
        if let failure { throw failure }
        return examples
    }

    /// Parses one JSONL record.
    public static func parse<Bytes: Collection>(line: Bytes, location: SourceLocation) throws -> EntityExample
    where Bytes.Element == UInt8 {
        let value: JSONValue
        do { value = try JSONParser.parse(line) } catch {
            throw Failure(location: location, detail: "invalid JSON: \(error)")
        }
        guard let text = value["text"]?.stringValue else {
            throw Failure(location: location, detail: "missing \"text\"")
        }
        // Code-point offset -> byte offset.
        var byteAt: [Int32] = []
        byteAt.reserveCapacity(text.utf8.count + 1)
        var b: Int32 = 0
        for scalar in text.unicodeScalars {
            byteAt.append(b)
            b += Int32(UTF8.width(scalar))
        }
        byteAt.append(b)
        func pair(_ v: JSONValue, _ what: String) throws -> (Int32, Int32) {
            guard let a = v.arrayValue, a.count == 2, let s = a[0].intValue, let e = a[1].intValue,
                s >= 0, s <= e, e < byteAt.count
            else { throw Failure(location: location, detail: "bad \(what) offsets") }
            return (byteAt[s], byteAt[e])
        }
        var sentences: [Span] = []
        for v in value["sents"]?.arrayValue ?? [] {
            let (s, e) = try pair(v, "sentence")
            sentences.append(Span(start: s, end: e))
        }
        var document = Document(id: value["id"]?.stringValue ?? "\(location)", source: location, text: text)
        document.sentences = sentences
        var sentence = 0
        for v in value["tokens"]?.arrayValue ?? [] {
            let (s, e) = try pair(v, "token")
            var token = Token(start: s, end: e)
            while sentence + 1 < sentences.count && sentences[sentence].end <= s { sentence += 1 }
            token.sentence = Int32(sentence)
            document.tokens.append(token)
        }
        var gold: [Entity] = []
        for v in value["ents"]?.arrayValue ?? [] {
            guard let s = v["start"]?.intValue, let e = v["end"]?.intValue, s >= 0, s < e, e < byteAt.count,
                let name = v["label"]?.stringValue
            else { throw Failure(location: location, detail: "bad entity") }
            guard let label = EntityLabel(name: name) else { continue }
            gold.append(Entity(start: byteAt[s], end: byteAt[e], label: label))
        }
        var ignore: [Span] = []
        for v in value["ignore"]?.arrayValue ?? [] {
            let (s, e) = try pair(v, "ignore")
            ignore.append(Span(start: s, end: e))
        }
        return EntityExample(document: document, gold: gold, ignore: ignore)
    }
}
