import Logging

/// What a stage decided about a document.
public enum Verdict: Sendable, Equatable {
    /// Keep the document and pass it to the next stage.
    case keep
    /// A filter rejected it; `reason` is counted in the report.
    case drop(reason: String)
}

/// One step of a pipeline: transforms a document in place, or drops it.
///
/// A stage is a value built once from its options and shared by every worker, so it
/// must be `Sendable` and keep no mutable state; per-worker scratch space and counters
/// live in the ``StageContext``.
public protocol Stage: Sendable {
    /// The name pipeline files use for this stage, e.g. `"segment"`.
    static var name: String { get }
    /// One line on what the stage does, for `newsmill stages`.
    static var summary: String { get }
    /// Every option the stage accepts, with defaults.
    static var optionSpecs: [OptionSpec] { get }
    /// Validates options; every bad option is rejected here, never in `process`.
    init(options: StageOptions) throws(ConfigError)
    /// Transforms one document in place; returns `.drop(reason:)` when a filter rejects it.
    func process(_ document: inout Document, in context: StageContext) throws -> Verdict
}

extension Stage {
    public static var summary: String { "" }
}

/// Per-worker state handed to every stage call: a logger, counters that end up in the
/// report, and reusable scratch objects. One context belongs to one worker thread.
public final class StageContext {
    public let logger: Logger
    /// Named counters (`"normalize.boilerplate_lines"`), summed over workers into report.json.
    public private(set) var counters: [String: Int] = [:]
    private var scratch: [ObjectIdentifier: AnyObject] = [:]
    private var keyedScratch: [String: AnyObject] = [:]

    public init(logger: Logger = Logger(label: "newsmill")) {
        self.logger = logger
    }

    /// Adds `amount` to a counter.
    public func count(_ name: String, _ amount: Int = 1) {
        counters[name, default: 0] += amount
    }

    /// Returns this worker's scratch object of type `T`, creating it on first use.
    public func scratch<T: AnyObject>(_ type: T.Type, make: () -> T) -> T {
        let key = ObjectIdentifier(type)
        if let existing = scratch[key] as? T { return existing }
        let created = make()
        scratch[key] = created
        return created
    }

    /// Returns this worker's scratch object stored under `key` (for per-instance state,
    /// such as one subprocess per `exec` stage and worker), creating it on first use.
    public func scratch<T: AnyObject>(key: String, make: () throws -> T) rethrows -> T {
        if let existing = keyedScratch[key] as? T { return existing }
        let created = try make()
        keyedScratch[key] = created
        return created
    }

    /// Forgets the scratch object under `key` (it is released).
    public func dropScratch(key: String) {
        keyedScratch[key] = nil
    }

    func takeCounters() -> [String: Int] {
        defer { counters.removeAll(keepingCapacity: true) }
        return counters
    }
}
