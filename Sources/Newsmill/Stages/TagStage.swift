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
        let tagger = try TagStage.loadModel(options, key: "model", defaultName: ModelLocator.posModelName) {
            (path) throws(ModelFormatError) in try POSModel(contentsOf: path)
        }
        var lemmatizer: Lemmatizer?
        if try options.bool("lemmas", default: true) {
            lemmatizer = try TagStage.loadModel(options, key: "lemma_model", defaultName: ModelLocator.lemmaModelName) {
                (path) throws(ModelFormatError) in try Lemmatizer(contentsOf: path)
            }
        }
        self.init(tagger: tagger, lemmatizer: lemmatizer)
    }

    private static func loadModel<M>(
        _ options: StageOptions, key: String, defaultName: String, load: (String) throws(ModelFormatError) -> M
    ) throws(ConfigError) -> M {
        let path: String
        if let given = try options.optionalString(key) {
            path = options.resolvePath(given)
        } else if let found = ModelLocator.find(defaultName) {
            path = found
        } else {
            let tried = ModelLocator.candidateDirectories().joined(separator: ", ")
            throw .invalid(
                options.location(of: key),
                detail:
                    "cannot find the default model \(defaultName) (looked in \(tried)); set '\(key)' or NEWSMILL_MODELS"
            )
        }
        do {
            return try load(path)
        } catch {
            throw .invalidOption(
                key: key, value: path, expected: "a readable model file (\(error))", at: options.location(of: key))
        }
    }

    /// Per-worker buffers.
    final class Scratch {
        let pos = POSScratch()
        var lemma: [UInt8] = []
        init() { lemma.reserveCapacity(64) }
    }

    /// Tags every sentence of the document's tokens and, when enabled, lemmatizes them.
    public func process(_ document: inout Document, in context: StageContext) throws -> Verdict {
        let count = document.tokens.count
        guard count > 0 else { return .keep }
        let scratch = context.scratch(Scratch.self) { Scratch() }
        let pos = scratch.pos
        let tagger = self.tagger
        var text = document.text
        text.withUTF8 { bytes in
            var first = 0
            while first < count {
                let sentence = document.tokens[first].sentence
                var last = first
                while last < count && document.tokens[last].sentence == sentence {
                    let token = document.tokens[last]
                    if token.start >= 0 && token.start <= token.end && Int(token.end) <= bytes.count {
                        pos.setToken(last - first, start: token.start, end: token.end)
                    } else {
                        document.tokens[last].start = 0  // a malformed span gets an empty one
                        document.tokens[last].end = 0
                        pos.setToken(last - first, start: 0, end: 0)
                    }
                    last += 1
                }
                tagger.tag(text: bytes, count: last - first, scratch: pos)
                for i in first..<last {
                    let c = pos.predictedClass(i - first)
                    document.tokens[i].tag = tagger.classXPOS[c]
                    document.tokens[i].pos = tagger.classUPOS[c]
                }
                first = last
            }
            guard let lemmatizer else { return }
            document.lemmaBytes.removeAll(keepingCapacity: true)
            for i in 0..<count {
                let token = document.tokens[i]
                let form = UnsafeBufferPointer(rebasing: bytes[Int(token.start)..<Int(token.end)])
                lemmatizer.lemmatize(form, xpos: token.tag, upos: token.pos, into: &scratch.lemma)
                if form.elementsEqual(scratch.lemma) {
                    document.tokens[i].lemmaStart = 0
                    document.tokens[i].lemmaLength = Token.lemmaIsForm
                } else {
                    document.tokens[i].lemmaStart = Int32(document.lemmaBytes.count)
                    document.tokens[i].lemmaLength = Int32(scratch.lemma.count)
                    document.lemmaBytes.append(contentsOf: scratch.lemma)
                }
            }
        }
        context.count("tag.tokens", count)
        return .keep
    }
}
