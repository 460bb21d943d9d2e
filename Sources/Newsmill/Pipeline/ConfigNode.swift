/// A value from a pipeline file with the place it was written, so that every error can
/// name the file, line and column.
public indirect enum ConfigNode: Sendable, Equatable {
    case scalar(String, SourceLocation)
    case sequence([ConfigNode], SourceLocation)
    case mapping([ConfigEntry], SourceLocation)

    /// Where this node starts in its file.
    public var location: SourceLocation {
        switch self {
        case .scalar(_, let loc), .sequence(_, let loc), .mapping(_, let loc): loc
        }
    }

    /// The scalar text, if this is a scalar.
    public var scalar: String? {
        if case .scalar(let s, _) = self { return s }
        return nil
    }

    /// A short word for the node's kind, for messages.
    public var kindName: String {
        switch self {
        case .scalar: "a value"
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }

    /// Converts to plain JSON (scalars become strings, numbers or booleans).
    public var jsonValue: JSONValue {
        switch self {
        case .scalar(let s, _):
            if let i = Int(s) { return .number(String(i)) }
            if s == "true" { return .bool(true) }
            if s == "false" { return .bool(false) }
            if s == "null" || s == "~" { return .null }
            return .string(s)
        case .sequence(let items, _): return .array(items.map(\.jsonValue))
        case .mapping(let entries, _): return .object(entries.map { JSONMember($0.key, $0.value.jsonValue) })
        }
    }
}

/// One `key: value` entry of a mapping, with the key's location.
public struct ConfigEntry: Sendable, Equatable {
    public var key: String
    public var keyLocation: SourceLocation
    public var value: ConfigNode

    public init(key: String, keyLocation: SourceLocation, value: ConfigNode) {
        self.key = key
        self.keyLocation = keyLocation
        self.value = value
    }
}
