@testable import Newsmill

/// Test helpers for the entity recognizer: a small Penn-style tokenizer (the segment
/// stage is not part of these tests), the repository root, and span strings.
enum EntityTestSupport {
    /// The repository root, found from this file's path.
    static let repositoryRoot: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(4)  // Tests/NewsmillTests/Models/EntityTestSupport.swift
        return parts.joined(separator: "/")
    }()

    static var shippedModelPath: String { repositoryRoot + "/models/en-ner.nmm" }

    /// Loads the shipped model once.
    static let shippedModel: NERModel? = try? NERModel.load(path: shippedModelPath)

    /// A document whose tokens split `text` on spaces and around punctuation
    /// (`"Hello, world."` → Hello , world .), with one sentence per line.
    static func document(_ text: String) -> Document {
        var doc = Document(id: "t", source: SourceLocation(path: "test", line: 1), text: text)
        let bytes = Array(text.utf8)
        var sentence: Int32 = 0
        var i = 0
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 }
        let splitOff: Set<UInt8> = Array(",;:()\"?!$".utf8).reduce(into: []) { $0.insert($1) }
        while i < bytes.count {
            if bytes[i] == 0x0A { sentence += 1; i += 1; continue }
            if isSpace(bytes[i]) { i += 1; continue }
            var j = i
            while j < bytes.count && !isSpace(bytes[j]) { j += 1 }
            // Split leading and trailing punctuation off the chunk i..<j.
            var a = i, b = j
            var trailing: [Range<Int>] = []
            while a < b && splitOff.contains(bytes[a]) {
                add(&doc, a..<(a + 1), sentence); a += 1
            }
            while b > a
                && (splitOff.contains(bytes[b - 1])
                    || (bytes[b - 1] == 0x2E && b - 1 > a && !isAbbreviation(bytes[a..<b])))
            {
                trailing.insert((b - 1)..<b, at: 0); b -= 1
            }
            if b - a > 2 && bytes[b - 2] == 0x27 && bytes[b - 1] == 0x73 {  // 's
                add(&doc, a..<(b - 2), sentence); add(&doc, (b - 2)..<b, sentence)
            } else if b > a {
                add(&doc, a..<b, sentence)
            }
            for r in trailing { add(&doc, r, sentence) }
            i = j
        }
        return doc
    }

    private static func isAbbreviation(_ chunk: ArraySlice<UInt8>) -> Bool {
        // "U.S." or "Dr." or "Jan." keep their period; a sentence-final word does not.
        let s = String(decoding: chunk, as: UTF8.self)
        return s.dropLast().contains(".")
            || ["Dr.", "Mr.", "Mrs.", "Ms.", "Jan.", "Feb.", "Inc.", "Corp.", "Co.", "Ltd.", "St."].contains(s)
    }

    private static func add(_ doc: inout Document, _ r: Range<Int>, _ sentence: Int32) {
        var t = Token(r)
        t.sentence = sentence
        doc.tokens.append(t)
    }

    /// `"text/LABEL"` strings of a document's entities.
    static func entityStrings(_ doc: Document) -> [String] {
        doc.entities.map { doc.string(of: $0.span) + "/" + $0.label.name }
    }

    /// `"text/LABEL"` strings of the rule-pattern spans of `text`.
    static func patternStrings(_ text: String) -> [String] {
        var doc = document(text)
        let scratch = EntityScratch()
        let tokens = doc.tokens
        doc.text.withUTF8 { bytes in
            tokens.withUnsafeBufferPointer {
                scratch.prepare(bytes: bytes, tokens: $0, gazetteer: EntityGazetteer(entries: []))
            }
        }
        return scratch.patternSpans.map {
            doc.string(of: Span(start: tokens[Int($0.start)].start, end: tokens[Int($0.end) - 1].end)) + "/"
                + $0.label.name
        }
    }
}
