/// The `language` stage: identifies each document's language (``LanguageModel``, from the
/// first 1,000 characters), writes it to `meta.language` and `meta.language_score`, and
/// drops documents not in `languages` or scored below `threshold`, as DataTrove's
/// LanguageFilter does. Drops are counted by reason (`"language: de"`, `"language: score
/// below 0.65"`).
public struct LanguageStage: Stage {
    public static let name = "language"
    public static let summary = "identify the language (34 languages), write meta.language, keep only the ones listed"
    public static let optionSpecs = [
        OptionSpec("languages", default: "[en]", "ISO 639-1 codes to keep, or all (identify only)"),
        OptionSpec("threshold", default: "0.65", "drop documents whose best language scores below this (0 to 1)"),
        OptionSpec(
            "bias", default: "0.3",
            "a prior for the listed languages, in nats a character n-gram: another language must be more likely by more than this (results tables and lists are not taken for a neighbour language); 0 for none"
        ),
        OptionSpec("write", default: "true", "write meta.language and meta.language_score"),
        OptionSpec(
            "model", default: "langid.nmm in $NEWSMILL_MODELS, ../share/newsmill/models or models/",
            "language model file (.nmm)"),
    ]

    public let model: LanguageModel
    let keep: Set<String>?
    let threshold: Double
    let write: Bool
    let bias: Double
    /// Indexes of the listed languages in the model.
    let favoured: [Int]

    public init(options: StageOptions) throws(ConfigError) {
        model = try options.model("model", defaultName: LanguageModel.fileName) { (path) throws(ModelFormatError) in
            try LanguageModel.load(path: path)
        }
        let codes = try options.stringList("languages", default: ["en"])
        if codes == ["all"] {
            keep = nil
        } else {
            for code in codes where !model.languages.contains(code) {
                throw .invalidOption(
                    key: "languages", value: code,
                    expected: "all or codes the model knows (\(model.languages.joined(separator: ", ")))",
                    at: options.location(of: "languages"))
            }
            keep = Set(codes)
        }
        let t = try options.string("threshold", default: "0.65")
        guard let value = Double(t), (0...1).contains(value) else {
            throw .invalidOption(
                key: "threshold", value: t, expected: "a number from 0 to 1", at: options.location(of: "threshold"))
        }
        threshold = value
        write = try options.bool("write", default: true)
        bias = try options.double("bias", default: 0.3, in: 0...10)
        let languages = model.languages
        favoured = keep.map { keep in languages.indices.filter { keep.contains(languages[$0]) } } ?? []
    }

    public func process(_ document: inout Document, in context: StageContext) throws -> Verdict {
        var text = document.text
        let found = text.withUTF8 { model.identify(utf8: $0, favoured: favoured, bias: bias) }
        let language = found?.language ?? "und"
        let score = found?.score ?? 0
        if write {
            document.setMetadata("language", .string(language))
            document.setMetadata("language_score", .number(String(Double(Int((score * 1000).rounded())) / 1000)))
        }
        context.count("language." + language, 1)
        if let keep, !keep.contains(language) { return .drop(reason: "\(language)") }
        if score < threshold { return .drop(reason: "score below \(threshold)") }
        return .keep
    }
}
