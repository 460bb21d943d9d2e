/// The `tag` stage: writes every token's Penn Treebank tag (`tag`), Universal POS (`pos`)
/// and, optionally, its lemma, from the trained models in models/.
///
/// Needs tokens with sentence indices (the `segment` stage makes them). Models are loaded
/// once, when the stage is built, and shared read-only by every worker; per-worker buffers
/// come from the ``StageContext``.
public struct TagStage: Stage {
    /// `tag`.
    public static let name = "tag"
    /// One line for `newsmill stages`.
    public static let summary = "Part-of-speech tags (Penn Treebank and Universal POS) and lemmas from trained models."
    /// `model`, `lemmas`, `lemma_model`.
    public static let optionSpecs: [OptionSpec] = [
        OptionSpec(
            "model", default: ModelLocator.posModelName,
            "part-of-speech model file; by default the shipped one, found in $NEWSMILL_MODELS or beside the executable"),
        OptionSpec("lemmas", default: "true", "write lemmas"),
        OptionSpec("lemma_model", default: ModelLocator.lemmaModelName, "lemmatizer model file; found like model"),
    ]

    /// The part-of-speech model.
    public let tagger: POSModel
    /// The lemmatizer, when lemmas are written.
    public let lemmatizer: Lemmatizer?

    /// Builds the stage from already loaded models.
    public init(tagger: POSModel, lemmatizer: Lemmatizer?) {
        self.tagger = tagger
        self.lemmatizer = lemmatizer
    }

    /// Loads the models named by the options (or the shipped ones).
    ///
    /// - Throws: ``ConfigError`` naming the option when a model is missing or unreadable.
    public init(options: StageOptions) throws(ConfigError) {
        let tagger = try options.model("model", defaultName: ModelLocator.posModelName) {
            (path) throws(ModelFormatError) in try POSModel(contentsOf: path)
        }
        var lemmatizer: Lemmatizer?
        if try options.bool("lemmas", default: true) {
            lemmatizer = try options.model("lemma_model", defaultName: ModelLocator.lemmaModelName) {
                (path) throws(ModelFormatError) in try Lemmatizer(contentsOf: path)
            }
        }
        self.init(tagger: tagger, lemmatizer: lemmatizer)
    }

    /// Per-worker buffers, and a memo of lemmas per word-cache entry: a word's lemma
    /// depends only on its form and class, so it is computed again only when the word
    /// comes with another class than the last two it had (or after the word cache evicted).
    final class Scratch {
        let pos = POSScratch()
        var lemma: [UInt8] = []
        var memoCache: ObjectIdentifier?
        var memoGeneration = -1
        /// Two memo slots per entry (`2 * entry`, `2 * entry + 1`, the latter older): the
        /// class the lemma is for, or -1.
        var memoClass: [Int16] = []
        var memoStart: [Int32] = []
        /// Lemma length, or `Token.lemmaIsForm`.
        var memoLength: [Int32] = []
        var memoBytes: [UInt8] = []
        static let maxMemoBytes = 1 << 22

        init() { lemma.reserveCapacity(64) }

        /// Makes the memo valid for `cache`'s current entries.
        func sync(with cache: POSWordCache) {
            let id = ObjectIdentifier(cache)
            if memoCache != id || memoGeneration != cache.generation || memoBytes.count > Scratch.maxMemoBytes {
                memoCache = id
                memoGeneration = cache.generation
                memoClass.withUnsafeMutableBufferPointer { $0.update(repeating: -1) }
                memoBytes.removeAll(keepingCapacity: true)
            }
            let needed = 2 * cache.entryCount
            if memoClass.count < needed {
                let extra = max(needed, 2048) - memoClass.count
                memoClass.append(contentsOf: repeatElement(-1, count: extra))
                memoStart.append(contentsOf: repeatElement(0, count: extra))
                memoLength.append(contentsOf: repeatElement(0, count: extra))
            }
        }

        /// The memo slot holding the lemma of entry `e` with class `c`, made if missing.
        @inline(__always)
        func slot(
            entry e: Int, class c: Int16, form: UnsafeBufferPointer<UInt8>, xpos: UInt8, upos: UInt8,
            lemmatizer: Lemmatizer
        ) -> Int {
            let first = 2 * e
            if memoClass[first] == c { return first }
            if memoClass[first + 1] == c { return first + 1 }
            memoClass[first + 1] = memoClass[first]
            memoStart[first + 1] = memoStart[first]
            memoLength[first + 1] = memoLength[first]
            lemmatizer.lemmatize(form, xpos: xpos, upos: upos, into: &lemma)
            memoClass[first] = c
            if form.elementsEqual(lemma) {
                memoLength[first] = Token.lemmaIsForm
            } else {
                memoStart[first] = Int32(truncatingIfNeeded: memoBytes.count)
                memoLength[first] = Int32(truncatingIfNeeded: lemma.count)
                memoBytes.append(contentsOf: lemma)
            }
            return first
        }
    }

    static let openQuote = PennTag.id("``") ?? 0
    static let closeQuote = PennTag.id("''") ?? 0

    /// Which way a straight double quote the model tagged as a quote faces, from the spaces
    /// around it in the text: after a space (or a bracket, or at the start) and before a
    /// word it opens; after a word and before a space or a punctuation mark (or at the
    /// end) it closes. The model sees token forms only, and a `"` looks the same both ways
    /// (it chose wrong for 7-12% of the quotes of the UD dev files). Other quotes keep the
    /// model's tag.
    static func quoteDirection(text: UnsafeBufferPointer<UInt8>, start: Int, end: Int, predicted: UInt8) -> UInt8 {
        guard end == start + 1, text[start] == UInt8(ascii: "\"") else { return predicted }
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D }
        let before: UInt8? = start > 0 ? text[start - 1] : nil
        let after: UInt8? = end < text.count ? text[end] : nil
        let openBefore = before.map { isSpace($0) || $0 == UInt8(ascii: "(") || $0 == UInt8(ascii: "[") } ?? true
        let spaceAfter = after.map(isSpace) ?? true
        if openBefore && !spaceAfter { return openQuote }
        let closingAfter =
            spaceAfter
            || after.map { b in
                b == UInt8(ascii: ".") || b == UInt8(ascii: ",") || b == UInt8(ascii: ";") || b == UInt8(ascii: ":")
                    || b == UInt8(ascii: "!") || b == UInt8(ascii: "?") || b == UInt8(ascii: ")")
            } ?? false
        if !openBefore && closingAfter { return closeQuote }
        return predicted
    }

    /// Tags every sentence of the document's tokens and, when enabled, lemmatizes them.
    public func process(_ document: inout Document, in context: StageContext) throws -> Verdict {
        let count = document.tokens.count
        guard count > 0 else { return .keep }
        let scratch = context.scratch(Scratch.self) { Scratch() }
        let pos = scratch.pos
        let tagger = self.tagger
        let lemmatizer = self.lemmatizer
        // Moved out of the document so they are mutated in place without exclusivity checks.
        var tokens = document.tokens
        document.tokens = []
        var lemmaBytes = document.lemmaBytes
        document.lemmaBytes = []
        if lemmatizer != nil { lemmaBytes.removeAll(keepingCapacity: true) }
        var text = document.text
        let openQuote = Self.openQuote
        let closeQuote = Self.closeQuote
        text.withUTF8 { bytes in
            tokens.withUnsafeMutableBufferPointer { tokens in
                var first = 0
                while first < count {
                    let sentence = tokens[first].sentence
                    var last = first
                    while last < count && tokens[last].sentence == sentence {
                        let token = tokens[last]
                        if token.start >= 0 && token.start <= token.end && Int(token.end) <= bytes.count {
                            pos.setToken(last - first, start: token.start, end: token.end)
                        } else {
                            tokens[last].start = 0  // a malformed span gets an empty one
                            tokens[last].end = 0
                            pos.setToken(last - first, start: 0, end: 0)
                        }
                        last += 1
                    }
                    let sentenceStart = first
                    tagger.tag(text: bytes, count: last - first, scratch: pos) { from, to in
                        for i in (sentenceStart + from)..<(sentenceStart + to) {
                            let c = pos.predictedClass(i - sentenceStart)
                            tokens[i].tag = tagger.classXPOS[c]
                            tokens[i].pos = tagger.classUPOS[c]
                            if tokens[i].tag == openQuote || tokens[i].tag == closeQuote {
                                tokens[i].tag = Self.quoteDirection(
                                    text: bytes, start: Int(tokens[i].start), end: Int(tokens[i].end),
                                    predicted: tokens[i].tag)
                            }
                        }
                        if let lemmatizer, let cache = pos.currentCache {
                            lemmatize(
                                tokens: tokens, first: sentenceStart + from, last: sentenceStart + to,
                                sentenceStart: sentenceStart, text: bytes, cache: cache, lemmatizer: lemmatizer,
                                scratch: scratch, into: &lemmaBytes)
                        }
                    }
                    first = last
                }
            }
        }
        document.tokens = tokens
        document.lemmaBytes = lemmaBytes
        context.count("tag.tokens", count)
        return .keep
    }

    /// Sets the lemmas of `tokens[first..<last]`, the window of the sentence starting at
    /// `sentenceStart` that was just tagged (so their cache entries are
    /// `cache.entryID(i - first)`).
    private func lemmatize(
        tokens: UnsafeMutableBufferPointer<Token>, first: Int, last: Int, sentenceStart: Int,
        text: UnsafeBufferPointer<UInt8>, cache: POSWordCache, lemmatizer: Lemmatizer, scratch: Scratch,
        into lemmaBytes: inout [UInt8]
    ) {
        scratch.sync(with: cache)
        let pos = scratch.pos
        for i in first..<last {
            let token = tokens[i]
            let form = UnsafeBufferPointer(rebasing: text[Int(token.start)..<Int(token.end)])
            let m = scratch.slot(
                entry: cache.entryID(i - first),
                class: Int16(truncatingIfNeeded: pos.predictedClass(i - sentenceStart)),
                form: form, xpos: token.tag, upos: token.pos, lemmatizer: lemmatizer)
            let length = scratch.memoLength[m]
            if length == Token.lemmaIsForm {
                tokens[i].lemmaStart = 0
                tokens[i].lemmaLength = Token.lemmaIsForm
            } else {
                let start = Int(scratch.memoStart[m])
                tokens[i].lemmaStart = Int32(truncatingIfNeeded: lemmaBytes.count)
                tokens[i].lemmaLength = length
                scratch.memoBytes.withUnsafeBufferPointer {
                    lemmaBytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[start..<start + Int(length)]))
                }
            }
        }
    }
}
