/// A JSON value that keeps object key order and number spelling, so that metadata
/// passes through a pipeline unchanged.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number, kept as its original spelling (`1`, `1.50`, `-2e3`).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// A number value from an integer.
    public static func int(_ value: Int) -> JSONValue { .number(String(value)) }

    /// The string, if this is one.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The integer, if this is a number that is one.
    public var intValue: Int? {
        if case .number(let s) = self { return Int(s) }
        return nil
    }

    /// The array, if this is one.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The members, if this is an object.
    public var objectValue: [JSONMember]? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// Looks up a key in an object (nil for other values).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first(where: { $0.key == key })?.value
    }
}

/// One key-value pair of a JSON object.
public struct JSONMember: Sendable, Equatable {
    public var key: String
    public var value: JSONValue

    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}
