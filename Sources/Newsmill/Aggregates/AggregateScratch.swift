import Synchronization

#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where an aggregate may keep temporary files during a run, and among how many partials
/// (workers) its memory budget is shared. The folder is made on first use and removed,
/// with everything in it, by ``removeAll()`` when the run's outputs are written.
public struct AggregateScratch: Sendable, Equatable {
    /// A folder beside the outputs (hidden, named after the process).
    public var directory: String
    /// How many partials fill at the same time (the run's workers).
    public var partials: Int

    public init(directory: String, partials: Int) {
        self.directory = directory
        self.partials = max(1, partials)
    }

    /// The scratch folder of this process in `outputDirectory`.
    public static func beside(_ outputDirectory: String, partials: Int) -> AggregateScratch {
        AggregateScratch(directory: outputDirectory + "/.newsmill-scratch-\(getpid())", partials: partials)
    }

    private static let counter = Atomic<Int>(0)

    /// A new file name in the folder (made if needed), unique in this process.
    func newFile(_ stem: String) throws(IOFailure) -> String {
        try FileSystem.makeDirectories(directory)
        let n = Self.counter.add(1, ordering: .relaxed).newValue
        return directory + "/\(stem)-\(n)"
    }

    /// Removes the folder and its files.
    public func removeAll() {
        guard let names = FileSystem.list(directory) else { return }
        for name in names { FileSystem.remove(directory + "/" + name) }
        rmdir(directory)
    }
}
