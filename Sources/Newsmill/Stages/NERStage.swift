/// The `ner` stage: named entities with OntoNotes labels (PERSON, NORP, ORG, GPE, LOC,
/// FAC, EVENT, PRODUCT, LAW, WORK_OF_ART, LANGUAGE, DATE, TIME, MONEY, PERCENT,
/// QUANTITY, ORDINAL, CARDINAL) over the tokens the segment stage wrote.
///
/// Options: `model` (a `.nmm` file; default `en-ner.nmm` found by ``NERModelLocator``),
/// `labels` (keep only these labels), `patterns` (add rule-pattern dates, times, amounts
/// and numbers where the model found nothing). The model loads once, when the stage is
/// built, and is shared read-only by every worker.
public struct NERStage: Stage {
    public static let name = "ner"
    public static let summary =
        "named entities (PERSON, ORG, GPE, DATE, MONEY, ...): a trained model plus rule patterns"
    public static let optionSpecs: [OptionSpec] = [
        OptionSpec(
            "model", default: "en-ner.nmm in $NEWSMILL_MODELS, ../share/newsmill/models or models/",
            "entity model file (.nmm)"),
        OptionSpec("labels", default: "all", "labels to keep, e.g. [PERSON, ORG, GPE]"),
        OptionSpec(
            "patterns", default: "true", "add rule-pattern DATE/TIME/MONEY/PERCENT/QUANTITY/ORDINAL/CARDINAL spans"),
    ]

    /// The recognizer (its model is an immutable shared object).
    public let recognizer: EntityRecognizer

    public init(options: StageOptions) throws(ConfigError) {
        let path: String
        if let given = try options.optionalString("model") {
            path = options.resolvePath(given)
        } else {
            path = NERModelLocator.defaultModelPath()
        }
        let model: NERModel
        do {
            model = try NERModel.load(path: path)
        } catch {
            throw .invalidOption(
                key: "model", value: path,
                expected: "a readable newsmill entity model (\(error.detail)); set NEWSMILL_MODELS or the model option",
                at: options.location(of: "model"))
        }
        var labels: Set<EntityLabel>?
        let names = try options.stringList("labels", default: [])
        if !names.isEmpty && names != ["all"] {
            var set = Set<EntityLabel>()
            for name in names {
                guard let label = EntityLabel(name: name) else {
                    throw .invalidOption(
                        key: "labels", value: name,
                        expected: "OntoNotes labels (\(EntityLabel.allCases.map(\.name).joined(separator: ", ")))",
                        at: options.location(of: "labels"))
                }
                set.insert(label)
            }
            labels = set
        }
        let patterns = try options.bool("patterns", default: true)
        recognizer = EntityRecognizer(model: model, usePatterns: patterns, labels: labels)
    }

    public func process(_ document: inout Document, in context: StageContext) throws -> Verdict {
        let scratch = context.scratch(EntityScratch.self) { EntityScratch() }
        recognizer.recognize(&document, scratch: scratch)
        context.count("ner.entities", document.entities.count)
        return .keep
    }
}
