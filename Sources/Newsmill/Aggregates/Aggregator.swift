/// One output record of an aggregate: `{"aggregate": NAME, "key": ..., "count": ..., ...}`.
public struct AggregateRecord: Sendable, Equatable {
    public var key: JSONValue
    public var count: Int
    /// Extra fields written after `count` (such as `"label"`, `"docs"` or `"group"`).
    public var extra: [JSONMember]

    public init(key: JSONValue, count: Int, extra: [JSONMember] = []) {
        self.key = key
        self.count = count
        self.extra = extra
    }
}

/// A corpus-wide aggregate with a mergeable partial.
///
/// A fresh value is an empty partial. Workers each add documents to their own partial;
/// partials merge exactly (counts are sums) and serialize to JSON so that shards and
/// nightly runs can store them and load them back.
public protocol Aggregator: Sendable {
    /// The name pipeline files use, e.g. `"counts"`.
    static var name: String { get }
    /// One line on what it computes, for `newsmill stages`.
    static var summary: String { get }
    /// Every option it accepts, with defaults.
    static var optionSpecs: [OptionSpec] { get }
    /// An empty partial configured from its options.
    init(options: StageOptions) throws(ConfigError)
    /// Adds one kept document.
    mutating func add(_ document: Document)
    /// Folds another partial of the same configuration into this one.
    mutating func merge(_ other: Self)
    /// The final records, in a deterministic order.
    func records() -> [AggregateRecord]
    /// The partial's full state as JSON.
    func encodePartial() -> JSONValue
    /// Replaces this partial's state by a stored one.
    mutating func decodePartial(_ value: JSONValue) throws
    /// Prepares the empty partial for a run (default: nothing).
    mutating func prepare(_ scratch: AggregateScratch)
    /// The records one at a time (default: ``records()``).
    func forEachRecord(_ emit: (AggregateRecord) throws -> Void) throws
    /// Writes the partial's JSON text (default: ``encodePartial()``).
    func writePartial(into output: inout JSONFileWriter) throws
    /// Adds a stored partial (the text ``writePartial(into:)`` writes) read from `reader`
    /// (default: the whole value through ``decodePartial(_:)``, then ``merge(_:)``).
    mutating func mergePartial(from reader: JSONStreamReader) throws
}

extension Aggregator {
    public static var summary: String { "" }

    /// Called once before a run, on the empty partial that workers copy: where temporary
    /// files may go and among how many partials a memory budget is shared. Does nothing
    /// unless the aggregate spills to disk.
    public mutating func prepare(_ scratch: AggregateScratch) {}

    /// Calls `emit` with each of ``records()`` in order; an aggregate whose records are
    /// many may produce them one at a time instead of in one list.
    public func forEachRecord(_ emit: (AggregateRecord) throws -> Void) throws {
        for record in records() { try emit(record) }
    }

    /// Writes the JSON text of ``encodePartial()``; an aggregate with a large state may
    /// write it piece by piece (calling `output.flushIfFull()` as it goes).
    public func writePartial(into output: inout JSONFileWriter) throws {
        output.writer.value(encodePartial())
    }

    /// Reads the stored partial's value whole, decodes it into a copy of this partial and
    /// merges the copy in. An aggregate whose state grows with the corpus reads it piece by
    /// piece instead, so that `newsmill merge` and incremental runs stay within its budget.
    public mutating func mergePartial(from reader: JSONStreamReader) throws {
        var stored = self
        try stored.decodePartial(try reader.readValue())
        merge(stored)
    }
}

/// A partial state that does not match what the aggregate expects.
public struct PartialFormatError: Error, Sendable, CustomStringConvertible {
    public var aggregate: String
    public var detail: String
    public init(aggregate: String, detail: String) {
        self.aggregate = aggregate
        self.detail = detail
    }
    public var description: String { "aggregate '\(aggregate)': invalid partial state: \(detail)" }
}

/// An aggregate in a pipeline: its instance name (unique in the pipeline) and partial.
public struct AggregateSlot: Sendable {
    public var name: String
    public var partial: any Aggregator
    /// The options it was built with, as JSON, so shard partials can be rebuilt and merged.
    public var options: JSONValue

    public init(name: String, partial: any Aggregator, options: JSONValue = .object([])) {
        self.name = name
        self.partial = partial
        self.options = options
    }

    /// The registered type name (`"counts"`).
    public var typeName: String { type(of: partial).name }

    mutating func add(_ document: Document) { partial.add(document) }

    mutating func merge(_ other: AggregateSlot) { partial.mergeAny(other.partial) }
}

extension Aggregator {
    /// Merges a partial known only as `any Aggregator` (must be the same type).
    mutating func mergeAny(_ other: any Aggregator) {
        guard let same = other as? Self else { return }
        merge(same)
    }
}
