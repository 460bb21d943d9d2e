/// Describes one option a stage or aggregate accepts: its name, default and meaning.
/// `newsmill stages` prints these, and unknown keys are checked against them.
public struct OptionSpec: Sendable, Equatable {
    public var name: String
    public var defaultValue: String
    public var help: String

    public init(_ name: String, default defaultValue: String, _ help: String) {
        self.name = name
        self.defaultValue = defaultValue
        self.help = help
    }
}

/// The options block of one stage in a pipeline file, with typed accessors whose errors
/// name the file, line and column of the bad value.
public struct StageOptions: Sendable {
    /// The stage's name as written.
    public var stageName: String
    /// Where the stage's entry starts.
    public var location: SourceLocation
    /// The directory relative paths in options are resolved against (the pipeline file's).
    public var baseDirectory: String
    private var entries: [ConfigEntry]

    public init(
        stageName: String, entries: [ConfigEntry] = [], location: SourceLocation,
        baseDirectory: String = "."
    ) {
        self.stageName = stageName
        self.entries = entries
        self.location = location
        self.baseDirectory = baseDirectory
    }

    /// Options built from plain key-value strings (for tests and programmatic use).
    public init(_ values: [String: String], stageName: String = "stage") {
        let loc = SourceLocation(path: "<options>", line: 1)
        self.init(
            stageName: stageName,
            entries: values.sorted(by: { $0.key < $1.key }).map {
                ConfigEntry(key: $0.key, keyLocation: loc, value: .scalar($0.value, loc))
            },
            location: loc)
    }

    /// Options from entries given as nodes (lists and mappings allowed).
    public init(nodes: [(String, ConfigNode)], stageName: String = "stage") {
        let loc = SourceLocation(path: "<options>", line: 1)
        self.init(
            stageName: stageName,
            entries: nodes.map { ConfigEntry(key: $0.0, keyLocation: loc, value: $0.1) },
            location: loc)
    }

    /// The options as JSON (scalars become numbers, booleans or strings).
    public var json: JSONValue {
        .object(entries.map { JSONMember($0.key, $0.value.jsonValue) })
    }

    /// Options from JSON (the inverse of ``json``, locations aside).
    public init(json: JSONValue, stageName: String) {
        let loc = SourceLocation(path: "<\(stageName) options>", line: 1)
        func node(_ value: JSONValue) -> ConfigNode {
            switch value {
            case .null: return .scalar("null", loc)
            case .bool(let b): return .scalar(b ? "true" : "false", loc)
            case .number(let n): return .scalar(n, loc)
            case .string(let s): return .scalar(s, loc)
            case .array(let items): return .sequence(items.map(node), loc)
            case .object(let members):
                return .mapping(members.map { ConfigEntry(key: $0.key, keyLocation: loc, value: node($0.value)) }, loc)
            }
        }
        self.init(
            stageName: stageName,
            entries: (json.objectValue ?? []).map { ConfigEntry(key: $0.key, keyLocation: loc, value: node($0.value)) },
            location: loc)
    }

    /// The keys that were given.
    public var keys: [String] { entries.map(\.key) }

    /// Rejects any key not in `specs`, suggesting the nearest known one.
    public func checkKeys(against specs: [OptionSpec]) throws(ConfigError) {
        let known = specs.map(\.name)
        for entry in entries where !known.contains(entry.key) {
            throw .unknownKey(
                entry.key, at: entry.keyLocation,
                suggestion: ConfigError.nearest(to: entry.key, in: known), known: known)
        }
    }

    /// The raw node for a key.
    public func node(_ key: String) -> ConfigNode? {
        entries.first(where: { $0.key == key })?.value
    }

    private func scalar(_ key: String, expected: String) throws(ConfigError) -> (String, SourceLocation)? {
        guard let node = node(key) else { return nil }
        guard case .scalar(let value, let loc) = node else {
            throw .invalidOption(key: key, value: node.kindName, expected: expected, at: node.location)
        }
        return (value, loc)
    }

    /// A string option.
    public func string(_ key: String, default defaultValue: String) throws(ConfigError) -> String {
        try scalar(key, expected: "a string")?.0 ?? defaultValue
    }

    /// An optional string option.
    public func optionalString(_ key: String) throws(ConfigError) -> String? {
        guard let (value, _) = try scalar(key, expected: "a string") else { return nil }
        return value.isEmpty || value == "null" || value == "~" ? nil : value
    }

    /// A string option restricted to `choices`.
    public func choice(_ key: String, default defaultValue: String, from choices: [String]) throws(ConfigError)
        -> String
    {
        guard let (value, loc) = try scalar(key, expected: "one of \(choices.joined(separator: ", "))") else {
            return defaultValue
        }
        guard choices.contains(value) else {
            throw .invalidOption(key: key, value: value, expected: "one of \(choices.joined(separator: ", "))", at: loc)
        }
        return value
    }

    /// A boolean option (`true`/`false`, `yes`/`no`, `on`/`off`).
    public func bool(_ key: String, default defaultValue: Bool) throws(ConfigError) -> Bool {
        guard let (value, loc) = try scalar(key, expected: "true or false") else { return defaultValue }
        switch value.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw .invalidOption(key: key, value: value, expected: "true or false", at: loc)
        }
    }

    /// An integer option within `range`.
    public func int(_ key: String, default defaultValue: Int, in range: ClosedRange<Int> = Int.min...Int.max)
        throws(ConfigError) -> Int
    {
        let expected =
            range == Int.min...Int.max
            ? "an integer" : "an integer from \(range.lowerBound) to \(range.upperBound)"
        guard let (value, loc) = try scalar(key, expected: expected) else { return defaultValue }
        guard let n = Int(String(value.filter { $0 != "_" })), range.contains(n) else {
            throw .invalidOption(key: key, value: value, expected: expected, at: loc)
        }
        return n
    }

    /// A floating-point option within `range`.
    public func double(_ key: String, default defaultValue: Double, in range: ClosedRange<Double>)
        throws(ConfigError) -> Double
    {
        let expected = "a number from \(range.lowerBound) to \(range.upperBound)"
        guard let (value, loc) = try scalar(key, expected: expected) else { return defaultValue }
        guard let n = Double(value), range.contains(n) else {
            throw .invalidOption(key: key, value: value, expected: expected, at: loc)
        }
        return n
    }

    /// A list of strings; a single scalar counts as a one-item list.
    public func stringList(_ key: String, default defaultValue: [String]) throws(ConfigError) -> [String] {
        guard let node = node(key) else { return defaultValue }
        switch node {
        case .scalar(let s, _): return [s]
        case .sequence(let items, _):
            var result: [String] = []
            for item in items {
                guard let s = item.scalar else {
                    throw .invalidOption(
                        key: key, value: item.kindName, expected: "a list of strings", at: item.location)
                }
                result.append(s)
            }
            return result
        case .mapping(_, let loc):
            throw .invalidOption(key: key, value: "a mapping", expected: "a list of strings", at: loc)
        }
    }

    /// The location of a key's value, or of the stage when the key is absent.
    public func location(of key: String) -> SourceLocation {
        node(key)?.location ?? location
    }

    /// Resolves a path option against the pipeline file's directory.
    public func resolvePath(_ path: String) -> String {
        FileSystem.resolve(path, relativeTo: baseDirectory)
    }
}

extension StageOptions {
    /// The model file named by option `key`, or the shipped `defaultName` found by
    /// ``ModelLocator``, loaded with `load`.
    ///
    /// - Throws: ``ConfigError`` naming the option when the model is missing or unreadable.
    public func model<M>(
        _ key: String, defaultName: String, load: (String) throws(ModelFormatError) -> M
    ) throws(ConfigError) -> M {
        let path: String
        if let given = try optionalString(key) {
            path = resolvePath(given)
        } else if let found = ModelLocator.find(defaultName) {
            path = found
        } else {
            let tried = ModelLocator.candidateDirectories().joined(separator: ", ")
            throw .invalid(
                location(of: key),
                detail:
                    "cannot find the default model \(defaultName) (looked in \(tried)); set '\(key)' or NEWSMILL_MODELS"
            )
        }
        do {
            return try load(path)
        } catch {
            throw .invalidOption(
                key: key, value: path, expected: "a readable model file (\(error))", at: location(of: key))
        }
    }
}
