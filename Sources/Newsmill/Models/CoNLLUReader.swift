/// One syntactic word of a CoNLL-U sentence (the unit that carries tags and lemmas).
public struct CoNLLUWord: Sendable, Equatable {
    /// FORM: the word as written.
    public var form: String
    /// LEMMA.
    public var lemma: String
    /// UPOS: the Universal POS tag.
    public var upos: String
    /// XPOS: the Penn Treebank tag in the UD English treebanks.
    public var xpos: String
    /// Index of the surface token this word belongs to (see ``CoNLLUSentence/tokens``).
    public var token: Int

    /// Creates a word.
    public init(form: String, lemma: String, upos: String, xpos: String, token: Int) {
        self.form = form
        self.lemma = lemma
        self.upos = upos
        self.xpos = xpos
        self.token = token
    }
}

/// One surface token: a plain word, or a multiword token such as *don't* (words *do* + *n't*).
public struct CoNLLUToken: Sendable, Equatable {
    /// The token as written.
    public var form: String
    /// The words of this token, as a range of indices into ``CoNLLUSentence/words``.
    public var words: Range<Int>
    /// False when the token carries `SpaceAfter=No`.
    public var spaceAfter: Bool
}

/// A sentence of a CoNLL-U file.
public struct CoNLLUSentence: Sendable {
    /// `# sent_id`.
    public var id: String?
    /// `# text`: the sentence as written.
    public var text: String?
    /// `# newdoc id` when this sentence starts a document.
    public var newDocument: String?
    /// The syntactic words (multiword tokens expanded), in order.
    public var words: [CoNLLUWord] = []
    /// The surface tokens.
    public var tokens: [CoNLLUToken] = []

    /// An empty sentence.
    public init() {}

    /// The sentence text: `# text`, or the tokens joined following `SpaceAfter`.
    public var surfaceText: String { text ?? joinedTokens }

    /// The tokens joined following `SpaceAfter`.
    public var joinedTokens: String {
        var s = ""
        for t in tokens {
            s += t.form
            if t.spaceAfter { s += " " }
        }
        while s.last == " " { s.removeLast() }
        return s
    }
}

/// Why a CoNLL-U file could not be read.
public struct CoNLLUError: Error, Sendable, Equatable, CustomStringConvertible {
    /// File and line of the problem.
    public var location: SourceLocation
    /// What is wrong.
    public var detail: String
    /// `path:line: detail`.
    public var description: String { "\(location): \(detail)" }
}

/// Reads CoNLL-U (Universal Dependencies) files: comments, multiword token ranges,
/// empty nodes (skipped), `SpaceAfter=No`.
public enum CoNLLUReader {
    /// Reads every sentence of a file.
    public static func read(path: String) throws(CoNLLUError) -> [CoNLLUSentence] {
        let bytes: [UInt8]
        do { bytes = try FileSystem.readFile(path) } catch {
            throw CoNLLUError(location: SourceLocation(path: path, line: 0), detail: error.detail)
        }
        return try parse(bytes, path: path)
    }

    /// Parses CoNLL-U text.
    public static func parse(_ text: String, path: String = "<string>") throws(CoNLLUError) -> [CoNLLUSentence] {
        try parse(Array(text.utf8), path: path)
    }

    /// Parses CoNLL-U bytes.
    public static func parse(_ bytes: [UInt8], path: String) throws(CoNLLUError) -> [CoNLLUSentence] {
        var sentences: [CoNLLUSentence] = []
        var current = CoNLLUSentence()
        var pendingMultiword: (last: Int, form: String, spaceAfter: Bool)?
        var lineNumber = 0
        var start = 0

        func finish() {
            if !current.words.isEmpty { sentences.append(current) }
            current = CoNLLUSentence()
            pendingMultiword = nil
        }

        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            lineNumber += 1
            var lineEnd = end
            if lineEnd > start && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            let line = bytes[start..<lineEnd]
            start = end + 1
            if line.isEmpty {
                finish()
                continue
            }
            if line.first == UInt8(ascii: "#") {
                let comment = String(decoding: line.dropFirst(), as: UTF8.self)
                if let value = commentValue(comment, key: "text") {
                    current.text = value
                } else if let value = commentValue(comment, key: "sent_id") {
                    current.id = value
                } else if let value = commentValue(comment, key: "newdoc id") {
                    current.newDocument = value
                } else if comment.trimmingLeadingSpaces() == "newdoc" {
                    current.newDocument = ""
                }
                continue
            }
            let fields = line.split(separator: 0x09, omittingEmptySubsequences: false)
            guard fields.count == 10 else {
                throw CoNLLUError(
                    location: SourceLocation(path: path, line: lineNumber),
                    detail: "expected 10 tab-separated fields, found \(fields.count)")
            }
            let id = fields[0]
            if id.contains(UInt8(ascii: ".")) { continue }  // empty node
            let spaceAfter = !String(decoding: fields[9], as: UTF8.self).split(separator: "|")
                .contains("SpaceAfter=No")
            let form = String(decoding: fields[1], as: UTF8.self)
            if let dash = id.firstIndex(of: UInt8(ascii: "-")) {
                guard let last = Int(String(decoding: id[(dash + 1)...], as: UTF8.self)) else {
                    throw CoNLLUError(location: SourceLocation(path: path, line: lineNumber), detail: "bad token range")
                }
                pendingMultiword = (last, form, spaceAfter)
                current.tokens.append(
                    CoNLLUToken(form: form, words: current.words.count..<current.words.count, spaceAfter: spaceAfter))
                continue
            }
            guard let wordID = Int(String(decoding: id, as: UTF8.self)) else {
                throw CoNLLUError(location: SourceLocation(path: path, line: lineNumber), detail: "bad word id")
            }
            let word = CoNLLUWord(
                form: form,
                lemma: String(decoding: fields[2], as: UTF8.self),
                upos: String(decoding: fields[3], as: UTF8.self),
                xpos: String(decoding: fields[4], as: UTF8.self),
                token: 0)
            if let multi = pendingMultiword, wordID <= multi.last {
                var w = word
                w.token = current.tokens.count - 1
                current.words.append(w)
                current.tokens[current.tokens.count - 1].words =
                    current.tokens[current.tokens.count - 1].words.lowerBound..<current.words.count
                if wordID == multi.last { pendingMultiword = nil }
            } else {
                pendingMultiword = nil
                var w = word
                w.token = current.tokens.count
                current.tokens.append(
                    CoNLLUToken(
                        form: form, words: current.words.count..<current.words.count + 1, spaceAfter: spaceAfter))
                current.words.append(w)
            }
        }
        finish()
        return sentences
    }

    private static func commentValue(_ comment: String, key: String) -> String? {
        let trimmed = comment.trimmingLeadingSpaces()
        guard trimmed.hasPrefix(key) else { return nil }
        let rest = trimmed.dropFirst(key.count).trimmingLeadingSpaces()
        guard rest.hasPrefix("=") else { return nil }
        return String(rest.dropFirst()).trimmingLeadingSpaces()
    }
}

extension StringProtocol {
    fileprivate func trimmingLeadingSpaces() -> String {
        String(drop(while: { $0 == " " || $0 == "\t" }))
    }
}
