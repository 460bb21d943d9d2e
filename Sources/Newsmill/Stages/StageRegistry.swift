/// Maps the names used in pipeline files to stage and aggregate types.
///
/// A value: built once and passed in. ``standard`` holds the built-ins; a package that
/// depends on Newsmill copies it, registers its own types, and hands the result to the
/// CLI's entry point.
public struct StageRegistry: Sendable {
    private var stageTypes: [String: any Stage.Type] = [:]
    private var aggregateTypes: [String: any Aggregator.Type] = [:]

    public init() {}

    /// Every built-in stage and aggregate.
    public static let standard: StageRegistry = {
        var registry = StageRegistry()
        for type in builtinStages { registry.register(type) }
        for type in builtinAggregates { registry.register(type) }
        return registry
    }()

    /// Registers a stage type under its `name`.
    public mutating func register(_ type: any Stage.Type) {
        precondition(
            stageTypes[type.name] == nil && aggregateTypes[type.name] == nil,
            "stage '\(type.name)' registered twice")
        stageTypes[type.name] = type
    }

    /// Registers an aggregate type under its `name`.
    public mutating func register(_ type: any Aggregator.Type) {
        precondition(
            stageTypes[type.name] == nil && aggregateTypes[type.name] == nil,
            "aggregate '\(type.name)' registered twice")
        aggregateTypes[type.name] = type
    }

    /// Names of all registered stages, sorted.
    public var stageNames: [String] { stageTypes.keys.sorted() }
    /// Names of all registered aggregates, sorted.
    public var aggregateNames: [String] { aggregateTypes.keys.sorted() }

    /// The stage type for a name.
    public func stageType(named name: String) -> (any Stage.Type)? { stageTypes[name] }
    /// The aggregate type for a name.
    public func aggregateType(named name: String) -> (any Aggregator.Type)? { aggregateTypes[name] }

    /// Builds a stage, checking its option keys first.
    public func makeStage(named name: String, options: StageOptions) throws(ConfigError) -> any Stage {
        guard let type = stageTypes[name] else {
            if aggregateTypes[name] != nil {
                throw .invalid(options.location, detail: "'\(name)' is an aggregate: list it under 'aggregates:'")
            }
            let known = stageNames
            let hint = ConfigError.nearest(to: name, in: known + aggregateNames)
            throw .unknownStage(name, at: options.location, suggestion: hint, known: known)
        }
        try options.checkKeys(against: type.optionSpecs)
        return try type.init(options: options)
    }

    /// Builds an empty aggregate partial, checking its option keys first (`name` is the
    /// instance's own name and is always accepted).
    public func makeAggregate(named name: String, options: StageOptions) throws(ConfigError) -> any Aggregator {
        guard let type = aggregateTypes[name] else {
            if stageTypes[name] != nil {
                throw .invalid(options.location, detail: "'\(name)' is a stage: list it under 'stages:'")
            }
            let known = aggregateNames
            let hint = ConfigError.nearest(to: name, in: known + stageNames)
            throw .unknownStage(name, at: options.location, suggestion: hint, known: known)
        }
        try options.checkKeys(against: type.optionSpecs + [OptionSpec("name", default: name, "")])
        return try type.init(options: options)
    }
}
