/// How documents are written.
public struct OutputOptions: Sendable, Equatable {
    public enum Compression: String, Sendable, Equatable { case gzip, none }

    /// The output directory (absolute or relative to the working directory).
    public var directory: String
    public var compression: Compression = .gzip
    /// gzip level, 0 (stored) or 1 (fastest) to 9 (smallest).
    public var level: Int = 6
    /// deflate strategy.
    public var strategy: GzipCompressor.Strategy = .default
    /// Top-level fields of a document line.
    public var fields: Set<String> = OutputOptions.allFields
    /// Token attributes written when present.
    public var tokenFields: Set<String> = OutputOptions.allTokenFields
    /// Incremental (nightly) runs: process only inputs that are new or changed since the
    /// last run; each run writes its documents under `runs/<time>/`, and the aggregates in
    /// the directory stay cumulative.
    public var incremental = false
    /// Whitespace other than one space between tokens is written as a token (`"\n"`,
    /// tag `_SP`), as spaCy does, so `Doc.from_json` loads every line.
    public var spaceTokens = true
    /// `spacy` (token objects, `Doc.from_json` reads them) or `compact` (flat arrays).
    public var compactTokens = false

    public static let allFields: Set<String> = ["id", "source", "meta", "text", "sents", "tokens", "ents"]
    public static let allTokenFields: Set<String> = ["tag", "pos", "lemma"]

    public init(directory: String) { self.directory = directory }

    /// The documents file's name.
    public var documentsFileName: String { compression == .gzip ? "documents.jsonl.gz" : "documents.jsonl" }
}

/// How input records become documents.
public struct InputOptions: Sendable, Equatable {
    /// The JSONL field holding the text.
    public var textField = "text"
    /// The JSONL field holding the id.
    public var idField = "id"
    /// For `.txt` inputs: the first line is the title (moved to `meta.title`).
    public var titleLine = false
    /// For `.txt` inputs that are not valid UTF-8: decode as Windows-1252 (flagged in
    /// `meta.encoding`) or report an error.
    public var invalidUTF8: InvalidUTF8Policy = .windows1252

    public enum InvalidUTF8Policy: String, Sendable, Equatable { case windows1252 = "windows-1252", error }
    /// The inputs are documents a run wrote (their `sents`, `tokens`, `ents` are read), so
    /// `tag`, `ner` and counts of lemmas or entities may run without the stages that make
    /// what they read.
    public var annotated = false

    public init() {}
}

/// One entry of a pipeline file's `inputs`: a file, folder or glob.
public struct InputSpec: Sendable, Equatable {
    public var pattern: String
    public var location: SourceLocation?
    public init(pattern: String, location: SourceLocation? = nil) {
        self.pattern = pattern
        self.location = location
    }
}

/// A parsed, validated pipeline file: inputs, output, workers and the built stages.
public struct PipelineConfig: Sendable {
    /// The file it came from (or `"<memory>"`).
    public var path: String
    public var name: String
    public var inputs: [InputSpec]
    public var input = InputOptions()
    public var output: OutputOptions
    /// Worker threads; nil means automatic (SLURM_CPUS_PER_TASK or the core count).
    public var workers: Int?
    /// A batch is cut after this many documents...
    public var batchDocuments = 256
    /// ...or this many bytes of input text, whichever comes first.
    public var batchBytes = 256 << 10
    /// The stages, in order.
    public var stages: [any Stage]
    /// The stages' names, in order (for the report).
    public var stageNames: [String]
    /// The aggregates (empty partials).
    public var aggregates: [AggregateSlot]
    /// A hash of the pipeline file's text: an incremental run whose pipeline changed
    /// starts afresh.
    public var fingerprint = ""

    public init(
        path: String = "<memory>", name: String = "pipeline", inputs: [InputSpec] = [],
        output: OutputOptions, stages: [any Stage] = [], aggregates: [AggregateSlot] = []
    ) {
        self.path = path
        self.name = name
        self.inputs = inputs
        self.output = output
        self.stages = stages
        self.stageNames = stages.map { type(of: $0).name }
        self.aggregates = aggregates
    }

    static let topLevelKeys = ["name", "inputs", "input", "output", "workers", "batch", "stages", "aggregates"]

    /// Loads and validates a pipeline file.
    public static func load(path: String, registry: StageRegistry = .standard) throws(ConfigError) -> PipelineConfig {
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.readFile(path)
        } catch {
            throw .cannotRead(path: path, detail: error.detail)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .cannotRead(path: path, detail: "not valid UTF-8")
        }
        return try parse(text, path: path, registry: registry)
    }

    /// Parses and validates pipeline text; relative paths resolve against `path`'s folder.
    public static func parse(_ text: String, path: String, registry: StageRegistry = .standard) throws(ConfigError)
        -> PipelineConfig
    {
        let root = try PipelineFile.parse(text, path: path)
        var crc: UInt32 = 0xFFFF_FFFF
        for b in text.utf8 {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        let fingerprint = String(crc ^ 0xFFFF_FFFF, radix: 16)
        let base = FileSystem.directory(of: path)
        guard case .mapping(let entries, _) = root else {
            throw .invalid(
                root.location, detail: "a pipeline file must be a mapping (name, inputs, output, stages, ...)")
        }
        for entry in entries where !topLevelKeys.contains(entry.key) {
            throw .unknownKey(
                entry.key, at: entry.keyLocation,
                suggestion: ConfigError.nearest(to: entry.key, in: topLevelKeys), known: topLevelKeys)
        }
        func value(_ key: String) -> ConfigNode? { entries.first(where: { $0.key == key })?.value }

        var config = PipelineConfig(
            path: path, output: OutputOptions(directory: FileSystem.resolve("out", relativeTo: ".")))
        config.fingerprint = fingerprint
        config.name =
            value("name")?.scalar ?? FileSystem.baseName(of: path).split(separator: ".").first.map(String.init)
            ?? "pipeline"

        // inputs
        if let node = value("inputs") {
            let items: [ConfigNode]
            switch node {
            case .scalar: items = [node]
            case .sequence(let list, _): items = list
            case .mapping: items = [node]
            }
            for item in items {
                switch item {
                case .scalar(let pattern, let loc):
                    config.inputs.append(
                        InputSpec(pattern: FileSystem.resolve(pattern, relativeTo: base), location: loc))
                case .mapping(let fields, let loc):
                    let options = StageOptions(stageName: "inputs", entries: fields, location: loc, baseDirectory: base)
                    try options.checkKeys(against: [OptionSpec("path", default: "", "a file, folder or glob")])
                    guard let pattern = try options.optionalString("path") else { throw .missingKey("path", at: loc) }
                    config.inputs.append(InputSpec(pattern: options.resolvePath(pattern), location: loc))
                case .sequence(_, let loc):
                    throw .invalid(loc, detail: "each input must be a path or glob")
                }
            }
        }

        // input
        if let node = value("input") {
            let options = try mappingOptions(node, name: "input", base: base)
            try options.checkKeys(against: inputSpecs)
            config.input.textField = try options.string("text_field", default: "text")
            config.input.idField = try options.string("id_field", default: "id")
            config.input.titleLine = try options.bool("title_line", default: false)
            let policy = try options.choice("invalid_utf8", default: "windows-1252", from: ["windows-1252", "error"])
            config.input.invalidUTF8 = InputOptions.InvalidUTF8Policy(rawValue: policy) ?? .windows1252
            config.input.annotated = try options.bool("annotated", default: false)
        }

        // output
        if let node = value("output") {
            let options: StageOptions
            if case .scalar(let dir, let loc) = node {
                options = StageOptions(
                    stageName: "output",
                    entries: [ConfigEntry(key: "directory", keyLocation: loc, value: .scalar(dir, loc))],
                    location: loc, baseDirectory: base)
            } else {
                options = try mappingOptions(node, name: "output", base: base)
            }
            try options.checkKeys(against: outputSpecs)
            if let dir = try options.optionalString("directory") { config.output.directory = options.resolvePath(dir) }
            let compression = try options.choice("compression", default: "gzip", from: ["gzip", "none"])
            config.output.compression = OutputOptions.Compression(rawValue: compression) ?? .gzip
            config.output.level = try options.int("level", default: 6, in: 0...9)
            let strategy = try options.choice("strategy", default: "default", from: ["default", "huffman", "rle"])
            config.output.strategy = GzipCompressor.Strategy(rawValue: strategy) ?? .default
            let fields = try options.stringList("fields", default: Array(OutputOptions.allFields))
            for field in fields where !OutputOptions.allFields.contains(field) {
                throw .invalidOption(
                    key: "fields", value: field,
                    expected: "some of \(OutputOptions.allFields.sorted().joined(separator: ", "))",
                    at: options.location(of: "fields"))
            }
            config.output.fields = Set(fields)
            let tokenFields = try options.stringList("token_fields", default: Array(OutputOptions.allTokenFields))
            for field in tokenFields where !OutputOptions.allTokenFields.contains(field) {
                throw .invalidOption(
                    key: "token_fields", value: field,
                    expected: "some of \(OutputOptions.allTokenFields.sorted().joined(separator: ", "))",
                    at: options.location(of: "token_fields"))
            }
            config.output.tokenFields = Set(tokenFields)
            config.output.spaceTokens = try options.bool("space_tokens", default: true)
            config.output.compactTokens =
                try options.choice(
                    "token_format", default: "spacy",
                    from: ["spacy", "compact"]) == "compact"
            config.output.incremental = try options.bool("incremental", default: false)
        }

        // workers
        if let node = value("workers") {
            guard case .scalar(let text, let loc) = node else {
                throw .invalidOption(
                    key: "workers", value: node.kindName, expected: "a number or 'auto'", at: node.location)
            }
            if text != "auto" {
                guard let n = Int(text), (1...1024).contains(n) else {
                    throw .invalidOption(
                        key: "workers", value: text, expected: "a number from 1 to 1024 or 'auto'", at: loc)
                }
                config.workers = n
            }
        }

        // batch
        if let node = value("batch") {
            let options = try mappingOptions(node, name: "batch", base: base)
            try options.checkKeys(against: batchSpecs)
            config.batchDocuments = try options.int("documents", default: 256, in: 1...1_000_000)
            config.batchBytes = try options.int("bytes", default: 256 << 10, in: 1024...(1 << 30))
        }

        // stages
        if let node = value("stages") {
            guard case .sequence(let items, _) = node else {
                throw .invalid(node.location, detail: "'stages' must be a list")
            }
            var order = StageOrder(annotatedInput: config.input.annotated)
            for item in items {
                let (stageName, options) = try namedBlock(item, base: base)
                config.stages.append(try registry.makeStage(named: stageName, options: options))
                config.stageNames.append(stageName)
                // A stage that rewrites the text drops the tokens made before it.
                let rewrites = stageName == "normalize" || (config.stages.last as? PIIStage)?.replaces == true
                try order.check(stageName, rewritesText: rewrites, at: options.location)
            }
        }

        // aggregates
        if let node = value("aggregates") {
            guard case .sequence(let items, _) = node else {
                throw .invalid(node.location, detail: "'aggregates' must be a list")
            }
            for item in items {
                let (typeName, options) = try namedBlock(item, base: base)
                let partial = try registry.makeAggregate(named: typeName, options: options)
                if typeName == "counts", case .scalar(let unit, let at)? = options.node("unit") {
                    try StageOrder.checkUnit(
                        unit, at: at, stages: config.stageNames, annotatedInput: config.input.annotated)
                }
                let instanceName = try options.string("name", default: typeName)
                if config.aggregates.contains(where: { $0.name == instanceName }) {
                    throw .invalid(
                        options.location,
                        detail: "two aggregates are named '\(instanceName)'; give one a distinct 'name:'")
                }
                config.aggregates.append(AggregateSlot(name: instanceName, partial: partial, options: options.json))
            }
        }
        return config
    }

    static let inputSpecs = [
        OptionSpec("text_field", default: "text", "JSONL field holding the text"),
        OptionSpec("id_field", default: "id", "JSONL field holding the id"),
        OptionSpec("title_line", default: "false", ".txt inputs: the first line is the title (meta.title)"),
        OptionSpec("invalid_utf8", default: "windows-1252", ".txt inputs that are not UTF-8: windows-1252 or error"),
        OptionSpec(
            "annotated", default: "false",
            "the inputs are a run's documents: tag, ner and counts of lemmas or entities may use their annotation"),
    ]
    static let outputSpecs = [
        OptionSpec("directory", default: "out", "output directory, relative to the pipeline file"),
        OptionSpec("compression", default: "gzip", "documents file compression: gzip or none"),
        OptionSpec("level", default: "6", "gzip level, 0 (stored) or 1 (fastest) to 9 (smallest)"),
        OptionSpec(
            "strategy", default: "default", "deflate strategy: default (LZ77 + Huffman), huffman (Huffman only) or rle"),
        OptionSpec("fields", default: "[id, source, meta, text, sents, tokens, ents]", "document fields to write"),
        OptionSpec("token_fields", default: "[tag, pos, lemma]", "token attributes to write"),
        OptionSpec("space_tokens", default: "true", "write line breaks between tokens as tokens, as spaCy does"),
        OptionSpec("token_format", default: "spacy", "spacy (token objects) or compact (flat offset and tag arrays)"),
        OptionSpec("incremental", default: "false", "nightly runs: only new and changed inputs; cumulative aggregates"),
    ]
    static let batchSpecs = [
        OptionSpec("documents", default: "256", "documents per batch of work"),
        OptionSpec("bytes", default: "262144", "input bytes per batch of work (its JSON output is many times larger)"),
    ]

    private static func mappingOptions(_ node: ConfigNode, name: String, base: String) throws(ConfigError)
        -> StageOptions
    {
        guard case .mapping(let fields, let loc) = node else {
            throw .invalid(node.location, detail: "'\(name)' must be a mapping")
        }
        return StageOptions(stageName: name, entries: fields, location: loc, baseDirectory: base)
    }

    /// A list item naming a stage: `- segment`, `- segment: {options}` or `- segment:` (no options).
    private static func namedBlock(_ item: ConfigNode, base: String) throws(ConfigError) -> (String, StageOptions) {
        switch item {
        case .scalar(let name, let loc):
            return (name, StageOptions(stageName: name, entries: [], location: loc, baseDirectory: base))
        case .mapping(let entries, let loc):
            guard entries.count == 1, let entry = entries.first else {
                throw .invalid(
                    loc, detail: "each stage is one name with its options, e.g. '- segment: {abbreviations: [Corp]}'")
            }
            switch entry.value {
            case .mapping(let fields, _):
                return (
                    entry.key,
                    StageOptions(
                        stageName: entry.key, entries: fields, location: entry.keyLocation,
                        baseDirectory: base)
                )
            case .scalar(let s, _) where s.isEmpty || s == "null" || s == "~":
                return (
                    entry.key,
                    StageOptions(
                        stageName: entry.key, entries: [], location: entry.keyLocation,
                        baseDirectory: base)
                )
            default:
                throw .invalid(entry.value.location, detail: "the options of '\(entry.key)' must be a mapping")
            }
        case .sequence(_, let loc):
            throw .invalid(loc, detail: "a stage must be a name or a name with options")
        }
    }
}

/// The order rules of the built-in stages, checked when a pipeline loads: a stage that reads
/// tokens needs one before it that makes them, and `normalize` rewrites the text, which
/// drops the tokens and entities made before it (they would point into the old text).
/// Stages registered by others may make tokens: they count as token makers.
struct StageOrder {
    /// Built-ins that neither make tokens nor need them first.
    static let textOnly: Set<String> = ["normalize", "filter", "language", "dedup", "pii"]
    /// Built-ins that read tokens.
    static let tokenReaders: Set<String> = ["tag", "ner"]

    /// The last stage so far that may make tokens (`exec` and unknown stages may), and the
    /// `segment` stage that surely does.
    private var tokenMaker: String?
    private var segment: SourceLocation?
    /// Where `normalize` ran on annotated inputs before any segment: it drops the tokens
    /// of every document whose text it changes.
    private var normalizeOnInput: (name: String, location: SourceLocation)?

    /// `annotatedInput`: the inputs carry tokens (`input: {annotated: true}`).
    init(annotatedInput: Bool = false) {
        tokenMaker = annotatedInput ? "input" : nil
    }

    /// `rewritesText`: the stage changes the text (`normalize`, `pii` replacing), which
    /// drops the tokens made before it.
    mutating func check(_ name: String, rewritesText: Bool = false, at location: SourceLocation) throws(ConfigError) {
        if Self.tokenReaders.contains(name) {
            if let (rewriter, at) = normalizeOnInput, tokenMaker == "input" {
                throw .invalid(
                    location,
                    detail: "stage '\(name)' reads the input's tokens, but '\(rewriter)' (line \(at.line)) "
                        + "drops them wherever it changes the text: put 'segment' after '\(rewriter)'")
            }
            guard tokenMaker != nil else {
                throw .invalid(
                    location,
                    detail: "stage '\(name)' reads tokens, but no stage before it makes them: put 'segment' before it "
                        + "(or, if the inputs are documents a run wrote, with tokens, say so: input: {annotated: true})"
                )
            }
            return
        }
        if rewritesText, tokenMaker == "input" { normalizeOnInput = (name, location) }
        if rewritesText, let segment {
            throw .invalid(
                location,
                detail: "'\(name)' rewrites the text, which drops the tokens 'segment' made before it "
                    + "(line \(segment.line)): put '\(name)' before 'segment'")
        }
        if name == "segment" { segment = location }
        if !Self.textOnly.contains(name) { tokenMaker = name }
    }

    /// A `counts` unit that needs a stage's annotation: lemmas need `tag`, entities `ner`
    /// (or `exec` or a stage of your own, which may write them). Without it the counts
    /// would silently be of word forms, or empty.
    static func checkUnit(_ unit: String, at location: SourceLocation, stages: [String], annotatedInput: Bool = false)
        throws(ConfigError)
    {
        if annotatedInput { return }
        // Every built-in but `exec` (whose command may write anything).
        let builtins: Set<String> = ["normalize", "filter", "language", "dedup", "pii", "segment", "tag", "ner"]
        let needed: String
        switch unit {
        case "lemmas": needed = "tag"
        case "entities", "cooccurrence": needed = "ner"
        default: return
        }
        if stages.contains(needed) || stages.contains(where: { !builtins.contains($0) }) { return }
        throw .invalid(
            location, detail: "counts of \(unit) need the '\(needed)' stage, which this pipeline does not run")
    }
}
